package dev.tracesieve;

import io.sentry.SamplingContext;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** Where a decision's time goes: encoding, the wasm call alone, the pool, the whole sample(). */
public final class Profile {
  private Profile() {}

  static volatile double sink;

  interface Step {
    double run(SamplingContext c);
  }

  static double median(List<SamplingContext> ctxs, Step step, int rounds) {
    double[] ns = new double[rounds];
    for (int r = -5; r < rounds; r++) {
      long t0 = System.nanoTime();
      double acc = 0;
      for (SamplingContext c : ctxs) {
        acc += step.run(c);
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

  /** Bytes allocated per call of {@code step} on this thread (after the timed rounds: JIT-compiled). */
  static double bytesPerCall(List<SamplingContext> ctxs, Step step) {
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    double acc = 0;
    for (SamplingContext c : ctxs) {
      acc += step.run(c);
    }
    sink = acc;
    return (mx.getCurrentThreadAllocatedBytes() - before) / (double) ctxs.size();
  }

  public static void main(String[] args) {
    TracesSampler sieve = TracesSampler.fromJson(SeedSampler.POLICY);
    Engine e = sieve.engine;
    List<SamplingContext> ctxs = Bench.contexts(20_000);
    Engine.Slot s = e.borrow();
    e.giveBack(s);
    Encoder enc = new Encoder();
    enc.encode(e.trace, ctxs.get(0));
    byte[] wire = Arrays.copyOf(enc.bytes(), enc.length());
    int len = wire.length;
    Step encodeStep = c -> {
      enc.encode(e.trace, c);
      return enc.length();
    };
    median(ctxs, encodeStep, 11); // warm-up: the JIT's compile threads are slow on a busy machine
    double encode = median(ctxs, encodeStep, 11);
    double encodeBytes = bytesPerCall(ctxs, encodeStep);
    double call = median(ctxs, c -> s.instance.decide(wire, len, false), 11);
    double pool = median(ctxs, c -> {
      Engine.Slot x = e.borrow();
      e.giveBack(x);
      return 1;
    }, 11);
    double whole = median(ctxs, sieve::sample, 11);
    double wholeBytes = bytesPerCall(ctxs, sieve::sample);
    System.out.printf(Locale.ROOT,
        "JDK %s, Chicory %s: encode %.0f ns (%.0f B allocated), wasm call %.0f ns (wire %d B), pool %.0f ns,"
            + " sample() %.0f ns (%.0f B allocated, Chicory's call arrays)%n",
        System.getProperty("java.version"), Instance.MODE, encode, encodeBytes, call, len, pool, whole, wholeBytes);
  }
}
