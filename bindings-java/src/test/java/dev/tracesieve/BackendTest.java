package dev.tracesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sentry.SamplingContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Which backend runs: make test-java runs the suite on JDK 17 from the classes directory
 * (Chicory only) and again on the newest JDK 22+ from the multi-release jar with {@code
 * -Dtracesieve.test.backend=ffm} (FFM by default, and every vector on both).
 */
class BackendTest {
  /** The backends to run a test on: every one this JVM can run. */
  static List<String> backends() {
    return Engine.available();
  }

  /** A sampler on {@code backend}. */
  static TracesSampler sampler(String policy, String backend) {
    return new TracesSampler(Engine.compile(policy, Engine.SHAPE_JAVA, backend));
  }

  /** The backend this run expects by default: {@code tracesieve.test.backend}, else chicory. */
  static String expected() {
    return System.getProperty("tracesieve.test.backend", "chicory");
  }

  @Test
  void theDefaultBackendIsTheExpectedOne() {
    assertEquals(expected(), TracesSampler.fromJson(SeedSampler.POLICY).backend(), "FFM unavailable: " + Native.unavailable());
    assertEquals(expected(), ErrorSampler.fromJson(SeedSampler.POLICY).backend());
    assertEquals("ffm".equals(expected()) ? 2 : 1, Engine.available().size());
  }

  @Test
  void chicoryCanBeForcedAndAWrongNameIsAnError() {
    String before = System.getProperty(Engine.PROPERTY);
    try {
      System.setProperty(Engine.PROPERTY, "chicory");
      assertEquals("chicory", TracesSampler.fromJson(SeedSampler.POLICY).backend());
      System.setProperty(Engine.PROPERTY, "wasm");
      assertThrows(IllegalStateException.class, () -> TracesSampler.fromJson(SeedSampler.POLICY));
      System.setProperty(Engine.PROPERTY, "ffm");
      if (Engine.available().contains("ffm")) {
        assertEquals("ffm", TracesSampler.fromJson(SeedSampler.POLICY).backend());
      } else {
        assertThrows(IllegalStateException.class, () -> TracesSampler.fromJson(SeedSampler.POLICY));
      }
    } finally {
      if (before == null) {
        System.clearProperty(Engine.PROPERTY);
      } else {
        System.setProperty(Engine.PROPERTY, before);
      }
    }
  }

  @Test
  void everyBackendDecidesAndExplainsAlike() {
    List<SamplingContext> ctxs = Traffic.contexts(2_000);
    for (String backend : backends()) {
      TracesSampler chicory = sampler(SeedSampler.POLICY, "chicory");
      TracesSampler s = sampler(SeedSampler.POLICY, backend);
      for (SamplingContext c : ctxs) {
        assertEquals(chicory.sample(c), s.sample(c));
        assertEquals(chicory.explain(c).toString(), s.explain(c).toString());
      }
      assertEquals(chicory.stats().toString(), s.stats().toString());
      String bad = "{\"defaultRate\": 2, \"rules\": [{\"when\": {\"nope\": 1}}]}";
      PolicyException a = assertThrows(PolicyException.class, () -> sampler(bad, "chicory"));
      PolicyException b = assertThrows(PolicyException.class, () -> sampler(bad, backend));
      assertEquals(a.getMessage(), b.getMessage());
      assertEquals(a.problems().toString(), b.problems().toString());
      assertTrue(a.problems().size() >= 2, a.problems().toString());
    }
  }
}
