package dev.tracesieve;

/**
 * {@code make test-java}'s check of the jar's backend choice in a fresh JVM: prints the default
 * backend and exits 1 unless it is {@code args[0]} (run with {@code -Dos.arch=riscv64}, a
 * platform without a bundled library, it must fall back to Chicory; with {@code
 * -Dtracesieve.backend=chicory}, no native code is loaded).
 */
public final class Which {
  private Which() {}

  public static void main(String[] args) {
    TracesSampler s = TracesSampler.fromJson(SeedSampler.POLICY);
    double rate = s.sample(Traffic.contexts(1).get(0)); // "/payment"
    System.out.println("java " + System.getProperty("java.version") + ", os.arch " + System.getProperty("os.arch")
        + ": " + s.backend() + (s.backend().equals("ffm") || System.getProperty(Engine.PROPERTY) != null ? ""
            : " (FFM: " + Native.unavailable() + ")") + ", rate " + rate);
    if (!s.backend().equals(args[0]) || rate != 0.5) {
      System.out.println("expected " + args[0] + " and 0.5");
      System.exit(1);
    }
  }
}
