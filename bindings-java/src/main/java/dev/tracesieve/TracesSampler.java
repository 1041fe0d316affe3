package dev.tracesieve;

import io.sentry.SamplingContext;
import io.sentry.SentryOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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

  /** Receives the recorded roots' lines; null when this sampler does not record. */
  private final Consumer<String> record;

  /** The share of roots recorded, and the roots seen so far (for every 1/share-th). */
  private final double share;

  private final AtomicLong seen = new AtomicLong();

  TracesSampler(Engine engine) {
    this(engine, null, 0);
  }

  private TracesSampler(Engine engine, Consumer<String> record, double share) {
    this.engine = engine;
    this.record = record;
    this.share = share;
  }

  /**
   * A builder of a sampler of the JSON policy {@code policy} (docs/policy.md), to record the roots
   * it decides as traffic lines for {@code tracesieve simulate} and {@code diff}:
   *
   * <pre>{@code
   * Recorder recorder = Recorder.toFile(Paths.get("roots.jsonl"), 0.1, 64 << 20);
   * TracesSampler sampler = TracesSampler.builder(policy)
   *     .record(recorder)
   *     .recordKeys(List.of("app.tier"), List.of())
   *     .build();
   * }</pre>
   */
  public static Builder builder(String policy) {
    return new Builder(policy);
  }

  /**
   * As {@link #builder(String)}, with the policy read from a file.
   *
   * @throws UncheckedIOException if the file cannot be read
   */
  public static Builder builder(Path policy) {
    return new Builder(read(policy));
  }

  /** Builds a {@link TracesSampler}: a policy, and optionally a recorder of roots. */
  public static final class Builder {
    private final String policy;
    private Consumer<String> record;
    private List<String> attributes = Collections.emptyList();
    private List<String> custom = Collections.emptyList();
    private Double recordRate;
    private String backend = Engine.requested();

    private Builder(String policy) {
      this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Hands each recorded root to {@code record} as one traffic line (JSON text, no newline): the
     * canonical fields ({@code name}, {@code op}, {@code origin}, {@code method}, {@code path}),
     * the parent's decision, the attribute and custom keys the policy reads and those of {@link
     * #recordKeys}, the trace's {@code sampleRand}, a timestamp and the decision; nothing else of
     * the context. Called on the thread that starts the transaction; a recorder that throws never
     * changes a decision. Null: no recording (the default).
     */
    public Builder record(Consumer<String> record) {
      this.record = record;
      return this;
    }

    /** Attribute keys and custom sampling-context keys (dotted paths) to record besides the policy's. */
    public Builder recordKeys(Collection<String> attributes, Collection<String> custom) {
      this.attributes = new ArrayList<>(Objects.requireNonNull(attributes, "attributes"));
      this.custom = new ArrayList<>(Objects.requireNonNull(custom, "custom"));
      return this;
    }

    /**
     * The share of roots recorded, in [0, 1]: every 1/rate-th root, by a counter (no random
     * number: recording only low sample_rands would bias kept counts). Default: the {@link
     * Recorder}'s own rate, else 1.
     *
     * @throws IllegalArgumentException outside [0, 1]
     */
    public Builder recordRate(double rate) {
      if (!(rate >= 0 && rate <= 1)) {
        throw new IllegalArgumentException("tracesieve: recordRate must be in [0, 1], not " + rate);
      }
      this.recordRate = rate;
      return this;
    }

    /** The backend ({@code auto}, {@code ffm}, {@code chicory}): for tests; else the settings'. */
    Builder backend(String backend) {
      this.backend = backend;
      return this;
    }

    /**
     * The sampler. Without {@link #record}, the same as {@link TracesSampler#fromJson}.
     *
     * @throws PolicyException with every problem of the policy
     */
    public TracesSampler build() {
      if (record == null) {
        return new TracesSampler(Engine.compile(policy, Engine.SHAPE_JAVA, backend));
      }
      double rate = recordRate != null ? recordRate : record instanceof Recorder ? ((Recorder) record).recordRate() : 1;
      String keys = "{\"attributes\":" + Json.strings(attributes) + ",\"custom\":" + Json.strings(custom) + "}";
      return new TracesSampler(Engine.compile(policy, Engine.SHAPE_JAVA, keys, backend), record, rate);
    }
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
    if (record != null) {
      return sampleRecording(context);
    }
    double rate;
    try {
      rate = engine.decide(context, false);
    } catch (Throwable t) {
      rate = -1;
    }
    return rate >= 0 && rate <= 1 ? rate : engine.defaultRate;
  }

  /** {@link #sample} of a sampler that records: every 1/share-th root is recorded. */
  private Double sampleRecording(SamplingContext context) {
    double rate;
    long n = seen.getAndIncrement();
    if (Math.floor((n + 1) * share) > Math.floor(n * share)) {
      double[] out = new double[1];
      String line = null;
      try {
        line = engine.decideRecord(context, System.currentTimeMillis() / 1000.0, out);
        rate = out[0];
      } catch (Throwable t) {
        rate = -1;
      }
      if (line != null && !line.isEmpty()) {
        try {
          record.accept(line);
        } catch (Throwable t) {
          // A recorder that throws never changes a decision.
        }
      }
    } else {
      try {
        rate = engine.decide(context, false);
      } catch (Throwable t) {
        rate = -1;
      }
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
