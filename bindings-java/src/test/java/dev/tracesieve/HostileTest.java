package dev.tracesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sentry.CustomSamplingContext;
import io.sentry.SamplingContext;
import io.sentry.SentryEvent;
import io.sentry.SentryLevel;
import io.sentry.SpanId;
import io.sentry.TracesSamplingDecision;
import io.sentry.TransactionContext;
import io.sentry.protocol.SentryId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Contexts no SDK should send, many threads, policy errors and error events. */
class HostileTest {
  static final String POLICY = "{\"defaultRate\": 0.2, \"genAi\": {\"routes\": [\"/api/chat*\"]}, \"rules\": ["
      + "{\"id\": \"health\", \"when\": {\"path\": [\"/health*\"]}, \"rate\": 0},"
      + "{\"id\": \"writes\", \"when\": {\"method\": [\"POST\"]}, \"rate\": 0.5}],"
      + "\"errors\": {\"defaultRate\": 0.9, \"rules\": [{\"id\": \"ignored\", \"when\": {\"exception\": \"IllegalStateException\"}, \"rate\": 0},"
      + "{\"id\": \"fatal\", \"when\": {\"level\": \"fatal\"}, \"rate\": 1}]}}";

  /** A servlet-like request whose getters throw. */
  public static final class Throwing {
    public String getMethod() {
      throw new IllegalStateException("request is gone");
    }

    public String getRequestURI() {
      throw new IllegalStateException("request is gone");
    }
  }

  /** A servlet-like request. */
  /** A servlet-like request (also the demo's). */
  public static final class Request {
    private final String method;
    private final String uri;

    public Request(String method, String uri) {
      this.method = method;
      this.uri = uri;
    }

    public String getMethod() {
      return method;
    }

    public String getRequestURI() {
      return uri;
    }
  }

  static SamplingContext ctx(String name, Object request, TracesSamplingDecision parent) {
    TransactionContext tc = new TransactionContext(new SentryId(), new SpanId(), new SpanId(), parent, null);
    tc.setName(name);
    tc.setOperation("http.server");
    CustomSamplingContext custom = new CustomSamplingContext();
    if (request != null) {
      custom.set("request", request);
    }
    return new SamplingContext(tc, custom, 0.5, Collections.emptyMap());
  }

  @ParameterizedTest
  @MethodSource("dev.tracesieve.BackendTest#backends")
  void hostileContextsGetAValidRateAndACountedFallback(String backend) throws Exception {
    TracesSampler s = BackendTest.sampler(POLICY, backend);
    assertEquals(0.0, s.sample(ctx("GET /healthz", new Request("GET", "/healthz"), null)));
    assertEquals(0, s.stats().fallbacks());
    // Getters that throw: the fallback (the default rate here), counted.
    assertEquals(0.2, s.sample(ctx("GET /healthz", new Throwing(), null)));
    assertEquals(1, s.stats().fallbacks());
    // A 10 MB string.
    StringBuilder big = new StringBuilder(10_000_000);
    for (int i = 0; i < 1_000_000; i++) {
      big.append("/aaaaaaaaa");
    }
    assertEquals(0.2, s.sample(ctx("GET " + big, new Request("GET", big.toString()), null)));
    assertEquals(2, s.stats().fallbacks());
    // A NaN parent rate: ignored (the parent's decision applies), counted.
    double nan = s.sample(ctx("GET /orders", null, new TracesSamplingDecision(true, Double.NaN, 0.5)));
    assertEquals(1.0, nan);
    assertEquals(3, s.stats().fallbacks());
    // A null name, a null context, a context of nothing.
    // sentry-java refuses a null name; a broken integration could still leave one.
    TransactionContext noName = new TransactionContext("x", "http.server");
    java.lang.reflect.Field name = TransactionContext.class.getDeclaredField("name");
    name.setAccessible(true);
    name.set(noName, null);
    assertNull(noName.getName());
    Double r = s.sample(new SamplingContext(noName, null, 0.5, null));
    assertNotNull(r);
    assertTrue(r >= 0 && r <= 1);
    assertEquals(0.2, s.sample(null));
    assertEquals(6, s.stats().traces().total(), "every decision counted");
    assertEquals(4, s.stats().fallbacks(), "the null context is a fallback too");
    Explanation x = s.explain(ctx("POST /api/chat", new Request("POST", "/api/chat"), null));
    assertEquals("genAi", x.reason());
    assertEquals("/api/chat", x.fields().get("path"));
  }

  @Test
  void policyErrorsListEveryProblemWithItsPath() {
    PolicyException e = assertThrows(PolicyException.class,
        () -> TracesSampler.fromJson("{\"defaultRate\": 1.5, \"rules\": [{\"when\": {\"pathh\": \"/x\"}, \"rate\": 0}]}"));
    assertTrue(e instanceof IllegalArgumentException);
    assertEquals(2, e.problems().size(), e.problems().toString());
    assertEquals("defaultRate", e.problems().get(0).path());
    assertEquals("rules[0].when", e.problems().get(1).path());
    assertTrue(e.getMessage().contains("invalid tracesieve policy"), e.getMessage());
    assertThrows(PolicyException.class, () -> TracesSampler.fromJson("{not json"));
  }

  @ParameterizedTest
  @MethodSource("dev.tracesieve.BackendTest#backends")
  void eightThreadsSharingOneSamplerAddUpExactly(String backend) throws Exception {
    TracesSampler s = BackendTest.sampler(POLICY, backend);
    int threads = 8;
    int each = 5_000;
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> all = new ArrayList<>();
    List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < threads; t++) {
      final int id = t;
      Thread thread = new Thread(() -> {
        try {
          start.await();
          for (int i = 0; i < each; i++) {
            boolean health = (i + id) % 2 == 0;
            SamplingContext c = health ? ctx("GET /healthz", new Request("GET", "/healthz"), null)
                : ctx("POST /orders", new Request("POST", "/orders"), null);
            double want = health ? 0.0 : 0.5;
            if (s.sample(c) != want) {
              throw new AssertionError("wrong rate on thread " + id);
            }
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      all.add(thread);
      thread.start();
    }
    start.countDown();
    for (Thread thread : all) {
      thread.join();
    }
    assertTrue(failures.isEmpty(), failures.toString());
    Stats stats = s.stats();
    assertEquals((long) threads * each, stats.traces().total());
    assertEquals((long) threads * each / 2, stats.traces().rule("health"));
    assertEquals((long) threads * each / 2, stats.traces().rule("writes"));
    if (s.engine instanceof Chicory) {
      int n = ((Chicory) s.engine).instances();
      assertTrue(n >= 2, "a pool of instances: " + n);
    }
  }

  @Test
  void errorEventsOfTheRealSdk() {
    ErrorSampler errors = ErrorSampler.fromJson(POLICY);
    SentryEvent ignored = new SentryEvent(new IllegalStateException("x"));
    assertNull(errors.execute(ignored, null));
    assertEquals("ignored", errors.explain(ignored).ruleId());
    assertEquals("java.lang.IllegalStateException", errors.explain(ignored).fields().get("exception"));
    SentryEvent fatal = new SentryEvent(new RuntimeException("y"));
    fatal.setLevel(SentryLevel.FATAL);
    assertSame(fatal, errors.execute(fatal, null));
    assertEquals("fatal", errors.explain(fatal).ruleId());
    SentryEvent other = new SentryEvent();
    other.setLevel(SentryLevel.ERROR);
    assertEquals(0.9, errors.rate(other));
    assertEquals(3, errors.stats().errors().total());
  }
}
