package dev.tracesieve;

import io.sentry.SamplingContext;
import io.sentry.SentryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A sentry-java {@code tracesSampler} that decides each trace root by a tracesieve policy, the
 * same policy and the same decisions as every other tracesieve package.
 *
 * <pre>{@code
 * TracesSampler sampler = TracesSampler.fromPath(Paths.get("tracesieve.json"));
 * Sentry.init(options -> { options.setDsn(dsn); options.setTracesSampler(sampler); });
 * }</pre>
 *
 * <p>Safe from many threads. {@link #sample} never throws: a context that cannot be read (a
 * getter that throws, a string over 64 KiB, a malformed value) gets the fallback rate (the
 * parent's, or the policy's {@code defaultRate}) and is counted in {@link Stats#fallbacks()}.
 */
public final class TracesSampler implements SentryOptions.TracesSamplerCallback {
  /** The environment variable of {@link #fromEnv()}: a path to a policy, or the policy's JSON text. */
  public static final String ENV = "TRACESIEVE_POLICY";

  final Engine engine;

  TracesSampler(Engine engine) {
    this.engine = engine;
  }

  /**
   * Compiles a JSON policy (docs/policy.md).
   *
   * @throws PolicyException with every problem of the policy
   */
  public static TracesSampler fromJson(String policy) {
    return new TracesSampler(Engine.compile(policy, Engine.SHAPE_JAVA));
  }

  /**
   * Reads and compiles a JSON policy file.
   *
   * @throws PolicyException with every problem of the policy
   * @throws UncheckedIOException if the file cannot be read
   */
  public static TracesSampler fromPath(Path path) {
    return fromJson(read(path));
  }

  /**
   * The policy of {@code TRACESIEVE_POLICY}: JSON text (starting with <code>{</code>) or a path.
   *
   * @throws IllegalStateException if the variable is not set
   * @throws PolicyException with every problem of the policy
   */
  public static TracesSampler fromEnv() {
    return fromJson(envPolicy());
  }

  static String envPolicy() {
    String v = System.getenv(ENV);
    if (v == null || v.trim().isEmpty()) {
      throw new IllegalStateException("tracesieve: " + ENV + " is not set (a path to a policy, or its JSON)");
    }
    return v.trim().startsWith("{") ? v : read(Paths.get(v.trim()));
  }

  static String read(Path path) {
    try {
      return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("tracesieve: cannot read the policy " + path, e);
    }
  }

  /**
   * The sample rate of a trace root: never null, never throws, always finite and in [0, 1]. Sentry
   * keeps the trace when {@code sampleRand <= rate}.
   */
  @Override
  public Double sample(SamplingContext context) {
    double rate;
    try {
      rate = engine.decide(context, false);
    } catch (Throwable t) {
      rate = -1;
    }
    return rate >= 0 && rate <= 1 ? rate : engine.defaultRate;
  }

  /** Why {@code context} gets its rate, with everything the policy read from it; not counted. */
  public Explanation explain(SamplingContext context) {
    return Explanation.fromJson(engine.explain(context, false));
  }

  /** The decision counters, summed over every thread's decisions. */
  public Stats stats() {
    return engine.stats();
  }

  /** The policy's rate for a context that cannot be read at all. */
  public double defaultRate() {
    return engine.defaultRate;
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
