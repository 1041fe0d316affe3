package dev.tracesieve;

import io.sentry.CustomSamplingContext;
import io.sentry.SamplingContext;
import io.sentry.Sentry;
import io.sentry.SentryOptions;
import io.sentry.TransactionContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

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

  /** The median ns per call of {@code step} over {@code ctxs}, in {@code rounds} timed passes after three untimed ones. */
  static double perDecision(ToDoubleFunction<SamplingContext> step, List<SamplingContext> ctxs, int rounds) {
    double[] ns = new double[rounds];
    for (int r = -3; r < rounds; r++) {
      long t0 = System.nanoTime();
      double acc = 0;
      for (SamplingContext c : ctxs) {
        acc += step.applyAsDouble(c);
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

  static double median(double[] xs) {
    double[] sorted = xs.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  /** The sampler Sentry calls: one Sentry.init, the callback switched between rounds. */
  static final class Switch implements SentryOptions.TracesSamplerCallback {
    volatile SentryOptions.TracesSamplerCallback to;

    @Override
    public Double sample(io.sentry.SamplingContext context) {
      return to.sample(context);
    }
  }

  /** Roots per second through Sentry.startTransaction + finish, {@code n} roots (Sentry initialised with a {@link Switch}). */
  static double rootsPerSecond(int n) {
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String url = i % 3 == 0 ? "/payment" : i % 3 == 1 ? "/search" : "/orders";
      CustomSamplingContext custom = new CustomSamplingContext();
      custom.set("url", url);
      SentryTest.root(new TransactionContext("GET " + url, "http.server"), custom);
    }
    return n / ((System.nanoTime() - t0) / 1e9);
  }

  /** Prints the figures: per decision on every backend this JVM can run, then root throughput with the default one. */
  public static void main(String[] args) {
    SeedSampler seed = new SeedSampler();
    List<SamplingContext> ctxs = Traffic.contexts(20_000);
    List<String> backends = Engine.available();
    List<TracesSampler> samplers = new ArrayList<>();
    for (String backend : backends) {
      samplers.add(BackendTest.sampler(SeedSampler.POLICY, backend));
    }
    // Two passes, the second reported: each measured right after its own warm-up, once the
    // JIT's compile threads have finished with every backend (Chicory's compiled module is a
    // lot of bytecode: compiling it slows whatever runs beside it on 2 cores).
    StringBuilder line = new StringBuilder();
    double seedNs = 0;
    for (int pass = 0; pass < 2; pass++) {
      line.setLength(0);
      for (int i = 0; i < samplers.size(); i++) {
        perDecision(samplers.get(i)::sample, ctxs, 5);
        line.append(String.format(Locale.ROOT, "%s %.0f ns, ", backends.get(i), perDecision(samplers.get(i)::sample, ctxs, 15)));
      }
      perDecision(seed::sample, ctxs, 5);
      seedNs = perDecision(seed::sample, ctxs, 15);
    }
    System.out.printf(Locale.ROOT, "per decision (JDK %s): %shand-written %.1f ns%n",
        System.getProperty("java.version"), line, seedNs);
    TracesSampler shipped = TracesSampler.fromJson(SeedSampler.POLICY);
    // Throughput: one Sentry.init; hand-written and tracesieve in alternating rounds of 20,000
    // roots after 3 warm-up rounds each; the median of the per-pair ratios; A/A: consecutive
    // hand-written rounds.
    Switch sampler = new Switch();
    SentryTest.init(sampler, o -> {});
    for (int w = 0; w < 3; w++) {
      sampler.to = seed;
      rootsPerSecond(20_000);
      sampler.to = shipped;
      rootsPerSecond(20_000);
    }
    int pairs = 15;
    double[] a = new double[pairs];
    double[] b = new double[pairs];
    double[] ratio = new double[pairs];
    double[] aa = new double[pairs - 1];
    for (int k = 0; k < pairs; k++) {
      sampler.to = seed;
      a[k] = rootsPerSecond(20_000);
      sampler.to = shipped;
      b[k] = rootsPerSecond(20_000);
      ratio[k] = b[k] / a[k];
      if (k > 0) {
        aa[k - 1] = a[k] / a[k - 1];
      }
    }
    Sentry.close();
    System.out.printf(Locale.ROOT,
        "Sentry.startTransaction roots/s (medians of %d alternating rounds): hand-written %.0f, tracesieve (%s, the"
            + " default) %.0f, ratio %.3f (A/A hand-written %.3f)%n",
        pairs, median(a), shipped.backend(), median(b), median(ratio), median(aa));
  }
}
