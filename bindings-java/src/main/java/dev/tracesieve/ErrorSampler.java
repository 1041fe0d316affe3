package dev.tracesieve;

import io.sentry.Hint;
import io.sentry.SentryEvent;
import io.sentry.SentryOptions;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A sentry-java {@code beforeSend} that keeps or drops error events by the policy's {@code errors}
 * rules: the exception type (the event's throwable, or its exception list; short or fully
 * qualified name), level, logger, message, tags and extras. When the event carries its trace's
 * sample_rand ({@code contexts.trace}), every error of one trace shares one fate.
 *
 * <pre>{@code
 * options.setBeforeSend(ErrorSampler.fromPath(Paths.get("tracesieve.json")));
 * }</pre>
 *
 * <p>Safe from many threads; never throws: an event that cannot be read gets {@code
 * errors.defaultRate}, counted as a fallback.
 */
public final class ErrorSampler implements SentryOptions.BeforeSendCallback {
  final Engine engine;

  ErrorSampler(Engine engine) {
    this.engine = engine;
  }

  /**
   * Compiles a JSON policy.
   *
   * @throws PolicyException with every problem of the policy
   */
  public static ErrorSampler fromJson(String policy) {
    return new ErrorSampler(Engine.compile(policy, Engine.SHAPE_JAVA));
  }

  /**
   * Reads and compiles a JSON policy file.
   *
   * @throws PolicyException with every problem of the policy
   */
  public static ErrorSampler fromPath(Path path) {
    return fromJson(TracesSampler.read(path));
  }

  /** The policy of {@code TRACESIEVE_POLICY} (see {@link TracesSampler#fromEnv()}). */
  public static ErrorSampler fromEnv() {
    return fromJson(TracesSampler.envPolicy());
  }

  /** The event, kept, or null, dropped. */
  @Override
  public SentryEvent execute(SentryEvent event, Hint hint) {
    return keep(rate(event)) ? event : null;
  }

  /** The event's rate (1 or 0 when its trace's fate is known), counted; never throws. */
  public double rate(SentryEvent event) {
    double rate;
    try {
      rate = engine.decide(event, true);
    } catch (Throwable t) {
      rate = -1;
    }
    return rate >= 0 && rate <= 1 ? rate : 1.0;
  }

  private static boolean keep(double rate) {
    return rate >= 1 || (rate > 0 && ThreadLocalRandom.current().nextDouble() < rate);
  }

  /** Why {@code event} gets its rate; not counted. */
  public Explanation explain(SentryEvent event) {
    return Explanation.fromJson(engine.explain(event, true));
  }

  /** The decision counters. */
  public Stats stats() {
    return engine.stats();
  }

  /**
   * Where this sampler's decisions run: {@code "ffm"} (the native core through
   * java.lang.foreign: Java 22+ on a platform whose library the jar bundles) or {@code
   * "chicory"} (tracesieve.wasm on Chicory, pure Java). Set the system property {@code
   * tracesieve.backend} (or the environment variable {@code TRACESIEVE_BACKEND}) to {@code
   * chicory} to force Chicory, or to {@code ffm} to fail rather than fall back.
   */
  public String backend() {
    return engine.backend();
  }
}
