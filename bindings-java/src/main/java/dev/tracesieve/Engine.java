package dev.tracesieve;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A compiled policy and where its decisions run: the native core through FFM ({@link Native},
 * Java 22+, a library bundled in the jar for the platform) or tracesieve.wasm on Chicory
 * ({@link Chicory}, pure Java, any JDK 11+). Both get the same wire from the same {@link
 * Encoder}; the policy logic is the core's in both.
 */
abstract class Engine {
  /** The system property that picks the backend: {@code auto} (the default), {@code ffm} or {@code chicory}. */
  static final String PROPERTY = "tracesieve.backend";

  /** The environment variable read when the property is not set. */
  static final String ENV = "TRACESIEVE_BACKEND";

  /** Shape codes of ts_compile and tsn_compile. */
  static final int SHAPE_JS = 0;
  static final int SHAPE_CANONICAL = 1;
  static final int SHAPE_PYTHON = 2;
  static final int SHAPE_JAVA = 3;
  static final int SHAPE_RUBY = 4;

  final Plan trace;
  final Plan error;
  final double defaultRate;
  final List<Object> traceRules;

  /** From the module's read plans (docs/wasm-abi.md, {@code ts_plans}). */
  @SuppressWarnings("unchecked")
  Engine(String plansJson) {
    Map<String, Object> plans = (Map<String, Object>) Json.parse(plansJson);
    trace = new Plan((List<Object>) plans.get("trace"));
    error = new Plan((List<Object>) plans.get("error"));
    defaultRate = (Double) plans.get("defaultRate");
    traceRules = (List<Object>) ((Map<String, Object>) plans.get("rules")).get("trace");
  }

  /** The backend the settings ask for: {@code auto}, {@code ffm} or {@code chicory}. */
  static String requested() {
    String v = System.getProperty(PROPERTY);
    if (v == null || v.trim().isEmpty()) {
      v = System.getenv(ENV);
    }
    return v == null || v.trim().isEmpty() ? "auto" : v.trim().toLowerCase(Locale.ROOT);
  }

  /** Compiles {@code policy} on the backend the settings ask for ({@link #requested()}). */
  static Engine compile(String policy, int shape) {
    return compile(policy, shape, null, requested());
  }

  /**
   * Compiles {@code policy} on {@code backend}: {@code ffm} (an error if it is unavailable),
   * {@code chicory}, or {@code auto} (FFM when available, else Chicory).
   *
   * @throws PolicyException with every problem of the policy
   */
  static Engine compile(String policy, int shape, String backend) {
    return compile(policy, shape, null, backend);
  }

  /**
   * As {@link #compile(String, int, String)}; with {@code recordKeys} (JSON {@code
   * {"attributes": [...], "custom": [...]}}, or null for none) for a sampler that records roots
   * ({@link #decideRecord}): the trace plan then also reads the canonical fields, the parent
   * and those keys (ts_compile_record, tsn_compile_record).
   */
  static Engine compile(String policy, int shape, String recordKeys, String backend) {
    switch (backend) {
      case "chicory":
        return new Chicory(policy, shape, recordKeys);
      case "ffm":
        Engine e = Native.compile(policy, shape, recordKeys);
        if (e == null) {
          throw new IllegalStateException("tracesieve: the ffm backend is unavailable: " + Native.unavailable());
        }
        return e;
      case "auto":
        Engine n = Native.compile(policy, shape, recordKeys);
        return n != null ? n : new Chicory(policy, shape, recordKeys);
      default:
        throw new IllegalStateException(
            "tracesieve: " + PROPERTY + " (or " + ENV + ") is \"" + backend + "\": use auto, ffm or chicory");
    }
  }

  /** The backends this JVM can run: {@code chicory}, and {@code ffm} when the native library loads. */
  static List<String> available() {
    return Native.unavailable() == null ? Arrays.asList("ffm", "chicory") : Collections.singletonList("chicory");
  }

  /** {@code ffm} or {@code chicory}. */
  abstract String backend();

  /** Decides the encoded context and counts it: the rate (anything outside [0, 1]: fall back). */
  abstract double decide(byte[] wire, int len, boolean isError);

  /** Explains the encoded context without counting it: the JSON of docs/wasm-abi.md. */
  abstract String explain(byte[] wire, int len, boolean isError);

  /**
   * Decides and counts the encoded trace root, and writes it as a traffic line: the line, with
   * the rate in {@code rate[0]} (anything outside [0, 1]: fall back). {@code sampleRand} and
   * {@code timestamp} are NaN when unknown.
   */
  abstract String decideRecord(byte[] wire, int len, double sampleRand, double timestamp, double[] rate);

  /** The counters. */
  abstract Stats stats();

  /** Decides {@code context} (a trace root, or an error event): the rate the core returns. */
  final double decide(Object context, boolean isError) {
    Encoder enc = Encoder.acquire();
    try {
      enc.encodeOrFail(isError ? error : trace, context);
      return decide(enc.bytes(), enc.length(), isError);
    } finally {
      enc.release();
    }
  }

  /** Decides {@code context} (a trace root) and records it: the traffic line; the rate in {@code rate[0]}. */
  final String decideRecord(Object context, double timestamp, double[] rate) {
    Encoder enc = Encoder.acquire();
    try {
      enc.encodeOrFail(trace, context);
      return decideRecord(enc.bytes(), enc.length(), Double.NaN, timestamp, rate);
    } finally {
      enc.release();
    }
  }

  /** Why {@code context} gets its rate, as JSON; not counted. */
  final String explain(Object context, boolean isError) {
    Encoder enc = Encoder.acquire();
    try {
      enc.encodeOrFail(isError ? error : trace, context);
      return explain(enc.bytes(), enc.length(), isError);
    } finally {
      enc.release();
    }
  }
}
