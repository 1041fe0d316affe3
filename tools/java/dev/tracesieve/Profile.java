package dev.tracesieve;

import io.sentry.SamplingContext;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** Where a decision's time goes, per backend: encoding, the backend's call alone, the whole sample(). */
public final class Profile {
  private Profile() {}

  static volatile double sink;

  /** Bytes allocated per call of {@code step} on this thread (after the timed rounds: JIT-compiled). */
  static double bytesPerCall(List<SamplingContext> ctxs, ToDoubleFunction<SamplingContext> step) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    double acc = 0;
    for (SamplingContext c : ctxs) {
      acc += step.applyAsDouble(c);
    }
    sink = acc;
    return (mx.getCurrentThreadAllocatedBytes() - before) / (double) ctxs.size();
  }

  /** For each backend this JVM can run: the encoder alone, the backend's call alone, the whole sample(). */
  public static void main(String[] args) {
    List<SamplingContext> ctxs = Traffic.contexts(20_000);
    for (String backend : Engine.available()) {
      TracesSampler sieve = BackendTest.sampler(SeedSampler.POLICY, backend);
      Engine e = sieve.engine;
      Encoder enc = new Encoder();
      enc.encode(e.trace, ctxs.get(0));
      byte[] wire = Arrays.copyOf(enc.bytes(), enc.length());
      int len = wire.length;
      ToDoubleFunction<SamplingContext> encodeStep = c -> {
        enc.encode(e.trace, c);
        return enc.length();
      };
      Bench.perDecision(encodeStep, ctxs, 11); // warm-up: the JIT's compile threads are slow on a busy machine
      double encode = Bench.perDecision(encodeStep, ctxs, 11);
      double encodeBytes = bytesPerCall(ctxs, encodeStep);
      double call = Bench.perDecision(c -> e.decide(wire, len, false), ctxs, 11);
      double whole = Bench.perDecision(sieve::sample, ctxs, 11);
      double wholeBytes = bytesPerCall(ctxs, sieve::sample);
      String pool = "";
      if (e instanceof Chicory) {
        Chicory pooled = (Chicory) e;
        pool = String.format(Locale.ROOT, " (of which the pool's borrow + give-back %.0f ns)", Bench.perDecision(c -> {
          pooled.giveBack(pooled.borrow());
          return 1;
        }, ctxs, 11));
      }
      System.out.printf(Locale.ROOT,
          "JDK %s, %s: encode %.0f ns (%.0f B allocated), call %.0f ns%s (wire %d B), sample() %.0f ns (%.0f B allocated)%n",
          System.getProperty("java.version"), backend, encode, encodeBytes, call, pool, len, whole, wholeBytes);
    }
  }
}
