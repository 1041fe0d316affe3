package dev.tracesieve;

import io.sentry.SamplingContext;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The Java 22+ FFM measurement (docs/benchmarks.md): the same encoder as the Chicory path, then
 * one downcall into the core built as a native library (bindings-wasm/src/native.rs) instead of
 * the wasm call. Compiled and run by {@code make bench-java-ffm} on a JDK 22+; not part of the jar.
 */
public final class FfmBench {
  private FfmBench() {}

  public static void main(String[] args) throws Throwable {
    Linker linker = Linker.nativeLinker();
    SymbolLookup lib = SymbolLookup.libraryLookup(Path.of(args[0]), Arena.global());
    MethodHandle compile = linker.downcallHandle(lib.find("tsn_compile").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    MethodHandle decide = linker.downcallHandle(lib.find("tsn_decide").orElseThrow(),
        FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG,
            ValueLayout.JAVA_INT),
        Linker.Option.critical(true));
    byte[] text = SeedSampler.POLICY.getBytes(StandardCharsets.UTF_8);
    MemorySegment engine = (MemorySegment) compile.invokeExact(
        Arena.global().allocateFrom(ValueLayout.JAVA_BYTE, text), (long) text.length, Instance.SHAPE_JAVA);
    Plan plan = TracesSampler.fromJson(SeedSampler.POLICY).engine.trace;
    Encoder enc = new Encoder();
    // A critical downcall may read a heap array directly: no copy into native memory.
    Profile.Step step = c -> {
      enc.encode(plan, c);
      try {
        return (double) decide.invokeExact(engine, MemorySegment.ofArray(enc.bytes()), (long) enc.length(), 0);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    };
    List<SamplingContext> ctxs = Bench.contexts(20_000);
    TracesSampler chicory = TracesSampler.fromJson(SeedSampler.POLICY);
    for (SamplingContext c : ctxs) {
      if (step.run(c) != chicory.sample(c)) {
        throw new AssertionError("FFM and Chicory disagree on " + c.getTransactionContext().getName());
      }
    }
    double encode = Profile.median(ctxs, c -> {
      enc.encode(plan, c);
      return enc.length();
    }, 11);
    enc.encode(plan, ctxs.get(0));
    MemorySegment wire = MemorySegment.ofArray(java.util.Arrays.copyOf(enc.bytes(), enc.length()));
    long len = enc.length();
    double call = Profile.median(ctxs, c -> {
      try {
        return (double) decide.invokeExact(engine, wire, len, 0);
      } catch (Throwable t) {
        throw new IllegalStateException(t);
      }
    }, 11);
    double ffm = Profile.median(ctxs, step, 15);
    double wasm = Profile.median(ctxs, chicory::sample, 15);
    double seed = Bench.perDecision(new SeedSampler(), ctxs, 15);
    System.out.printf(Locale.ROOT,
        "JDK %s: per decision FFM %.0f ns (encode %.0f ns, native call %.0f ns), Chicory %.0f ns, hand-written %.1f ns%n",
        System.getProperty("java.version"), ffm, encode, call, wasm, seed);
  }
}
