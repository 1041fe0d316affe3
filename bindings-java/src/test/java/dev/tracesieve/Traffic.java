package dev.tracesieve;

import io.sentry.CustomSamplingContext;
import io.sentry.SamplingContext;
import io.sentry.TransactionContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/** Sampling contexts shaped as sentry-java's servlet integration passes them: the tests' and the benchmark's traffic. */
final class Traffic {
  private Traffic() {}

  /** {@code n} roots over five routes, with request objects and sample_rand values cycling through [0, 1). */
  static List<SamplingContext> contexts(int n) {
    List<String> urls = Arrays.asList("/payment", "/search", "/health", "/orders", "/users/7");
    List<SamplingContext> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String url = urls.get(i % urls.size());
      TransactionContext tc = new TransactionContext("GET " + url, "http.server");
      CustomSamplingContext custom = new CustomSamplingContext();
      custom.set("url", url);
      custom.set("request", new HostileTest.Request("GET", url));
      out.add(new SamplingContext(tc, custom, (i % 1000) / 1000.0, Collections.emptyMap()));
    }
    return out;
  }
}
