package dev.tracesieve;

import io.sentry.CustomSamplingContext;
import io.sentry.ITransaction;
import io.sentry.SamplingContext;
import io.sentry.Sentry;
import io.sentry.SentryOptions;
import io.sentry.TransactionContext;
import io.sentry.TransactionOptions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code make bench-java}: per decision, TracesSampler on every backend this JVM can run (FFM
 * and Chicory on Java 22+ with the jar, Chicory alone before) against the seed's hand-written
 * callback on the same contexts; then Sentry.startTransaction root throughput with the
 * default backend and with the hand-written callback. A careful
 * in-process harness: warm-up, then the median of several timed rounds.
 */
public final class Bench {
  private Bench() {}

  static volatile double sink;

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

  /** The median ns per call of {@code sampler} over {@code ctxs}. */
  static double perDecision(SentryOptions.TracesSamplerCallback sampler, List<SamplingContext> ctxs, int rounds) {
    double[] ns = new double[rounds];
    for (int r = -3; r < rounds; r++) {
      long t0 = System.nanoTime();
      double acc = 0;
      for (SamplingContext c : ctxs) {
        acc += sampler.sample(c);
      }
      long t1 = System.nanoTime();
      sink = acc;
      if (r >= 0) {
        ns[r] = (t1 - t0) / (double) ctxs.size();
      }
    }
    Arrays.sort(ns);
    return ns[rounds / 2];
  }

  /** Roots per second through Sentry.startTransaction + finish with {@code sampler}. */
  static double rootsPerSecond(SentryOptions.TracesSamplerCallback sampler, int n, int rounds) {
    SentryTest.init(sampler, o -> {});
    double[] rates = new double[rounds];
    for (int r = -2; r < rounds; r++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) {
        String url = i % 3 == 0 ? "/payment" : i % 3 == 1 ? "/search" : "/orders";
        CustomSamplingContext custom = new CustomSamplingContext();
        custom.set("url", url);
        TransactionOptions options = new TransactionOptions();
        options.setCustomSamplingContext(custom);
        options.setBindToScope(false);
        ITransaction tx = Sentry.startTransaction(new TransactionContext("GET " + url, "http.server"), options);
        tx.finish();
      }
      long t1 = System.nanoTime();
      if (r >= 0) {
        rates[r] = n / ((t1 - t0) / 1e9);
      }
    }
    Sentry.close();
    Arrays.sort(rates);
    return rates[rounds / 2];
  }

  /** Prints the figures: per decision on every backend this JVM can run, then root throughput with the default one. */
  public static void main(String[] args) {
    SeedSampler seed = new SeedSampler();
    List<SamplingContext> ctxs = contexts(20_000);
    List<String> backends = Engine.available();
    List<TracesSampler> samplers = new ArrayList<>();
    for (String backend : backends) {
      samplers.add(BackendTest.sampler(SeedSampler.POLICY, backend));
    }
    for (TracesSampler s : samplers) {
      perDecision(s, ctxs, 5);
    }
    perDecision(seed, ctxs, 5);
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < samplers.size(); i++) {
      line.append(String.format(Locale.ROOT, "%s %.0f ns, ", backends.get(i), perDecision(samplers.get(i), ctxs, 15)));
    }
    System.out.printf(Locale.ROOT, "per decision (JDK %s): %shand-written %.1f ns%n",
        System.getProperty("java.version"), line, perDecision(seed, ctxs, 15));
    TracesSampler shipped = TracesSampler.fromJson(SeedSampler.POLICY);
    rootsPerSecond(seed, 20_000, 3);
    rootsPerSecond(shipped, 20_000, 3);
    double a = rootsPerSecond(seed, 20_000, 5);
    double b = rootsPerSecond(shipped, 20_000, 5);
    double a2 = rootsPerSecond(seed, 20_000, 5);
    System.out.printf(Locale.ROOT,
        "Sentry.startTransaction roots/s: hand-written %.0f, tracesieve (%s, the default) %.0f, ratio %.3f"
            + " (A/A hand-written %.3f)%n",
        a, shipped.backend(), b, b / a, a2 / a);
  }
}
