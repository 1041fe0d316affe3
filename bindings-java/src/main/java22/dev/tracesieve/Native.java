package dev.tracesieve;

import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The FFM backend (Java 22+; META-INF/versions/22 of the jar): the core as a native library
 * (bindings-wasm/src/native.rs), bundled as {@code dev/tracesieve/natives/<os>-<arch>/} and
 * extracted to a temporary file once per class loader, called through java.lang.foreign. One
 * engine serves every thread (the core's counters are atomic); a decision is one critical
 * downcall that reads the thread's encoder buffer in place. When the library cannot be loaded
 * (no library for the platform, a failed load), {@link #compile} returns null and {@link
 * Engine} falls back to Chicory.
 *
 * <p>Without {@code --enable-native-access=ALL-UNNAMED} (or the module's name) the JDK prints a
 * warning once when the library is loaded (Java 22-25), and works.
 */
final class Native extends Engine {
  private static final ValueLayout.OfLong SIZE = ValueLayout.JAVA_LONG;
  private static final ValueLayout ADDR = ValueLayout.ADDRESS;
  private static final Linker.Option CRITICAL = Linker.Option.critical(true);

  /** Why the library is not loaded, or null when it is. */
  private static final String UNAVAILABLE;

  private static final MethodHandle COMPILE, COMPILE_RECORD, ERROR, PLANS, DECIDE, DECIDE_RECORD, LINE, EXPLAIN,
      STATS, RELEASE;

  private static final Cleaner CLEANER = Cleaner.create();

  static {
    MethodHandle compile = null, compileRecord = null, error = null, plans = null, decide = null, decideRecord = null,
        line = null, explain = null, stats = null, release = null;
    String why = null;
    try {
      SymbolLookup lib = load();
      Linker linker = Linker.nativeLinker();
      compile = linker.downcallHandle(lib.find("tsn_compile").orElseThrow(),
          FunctionDescriptor.of(ADDR, ADDR, SIZE, ValueLayout.JAVA_INT));
      compileRecord = linker.downcallHandle(lib.find("tsn_compile_record").orElseThrow(),
          FunctionDescriptor.of(ADDR, ADDR, SIZE, ValueLayout.JAVA_INT, ADDR, SIZE));
      error = linker.downcallHandle(lib.find("tsn_error").orElseThrow(), FunctionDescriptor.of(SIZE, ADDR, SIZE), CRITICAL);
      plans = linker.downcallHandle(lib.find("tsn_plans").orElseThrow(), FunctionDescriptor.of(SIZE, ADDR, ADDR, SIZE), CRITICAL);
      // Critical: no thread-state transition, and the heap arrays are read in place.
      decide = linker.downcallHandle(lib.find("tsn_decide").orElseThrow(),
          FunctionDescriptor.of(ValueLayout.JAVA_DOUBLE, ADDR, ADDR, SIZE, ValueLayout.JAVA_INT), CRITICAL);
      // Critical as decide: the wire, the rate and the line are heap arrays read in place.
      decideRecord = linker.downcallHandle(lib.find("tsn_decide_record").orElseThrow(),
          FunctionDescriptor.of(SIZE, ADDR, ADDR, SIZE, ValueLayout.JAVA_DOUBLE, ValueLayout.JAVA_DOUBLE, ADDR, ADDR, SIZE),
          CRITICAL);
      line = linker.downcallHandle(lib.find("tsn_line").orElseThrow(), FunctionDescriptor.of(SIZE, ADDR, SIZE), CRITICAL);
      explain = linker.downcallHandle(lib.find("tsn_explain").orElseThrow(),
          FunctionDescriptor.of(SIZE, ADDR, ADDR, SIZE, ValueLayout.JAVA_INT, ADDR, SIZE), CRITICAL);
      stats = linker.downcallHandle(lib.find("tsn_stats").orElseThrow(), FunctionDescriptor.of(SIZE, ADDR, ADDR, SIZE), CRITICAL);
      release = linker.downcallHandle(lib.find("tsn_release").orElseThrow(), FunctionDescriptor.ofVoid(ADDR));
    } catch (Throwable t) {
      why = t.toString();
    }
    COMPILE = compile;
    COMPILE_RECORD = compileRecord;
    ERROR = error;
    PLANS = plans;
    DECIDE = decide;
    DECIDE_RECORD = decideRecord;
    LINE = line;
    EXPLAIN = explain;
    STATS = stats;
    RELEASE = release;
    UNAVAILABLE = why;
  }

  /** {@code linux-x86_64}, {@code linux-aarch64}, {@code macos-aarch64}, {@code windows-x86_64}, ... */
  static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    os = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macos" : os.startsWith("windows") ? "windows" : os;
    arch = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("arm64") ? "aarch64" : arch;
    return os + "-" + arch;
  }

  /** The bundled library for this platform, copied to a temporary file and loaded. */
  private static SymbolLookup load() throws Exception {
    String name = "natives/" + platform() + "/" + System.mapLibraryName("tracesieve_abi");
    Path file;
    try (InputStream in = Native.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("no native library for " + platform() + " in the jar (dev/tracesieve/" + name + ")");
      }
      file = Files.createTempFile("tracesieve_abi", name.substring(name.lastIndexOf('.')));
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
    }
    try {
      return SymbolLookup.libraryLookup(file, Arena.global());
    } finally {
      // A loaded library no longer needs its file (Linux, macOS); Windows keeps it until exit.
      try {
        Files.delete(file);
      } catch (Exception e) {
        file.toFile().deleteOnExit();
      }
    }
  }

  /** Null when the library is loaded, else why not. */
  static String unavailable() {
    return UNAVAILABLE;
  }

  /**
   * The policy compiled by the native core, or null when the library is not loaded.
   *
   * @throws PolicyException with every problem of the policy
   */
  static Engine compile(String policy, int shape, String recordKeys) {
    if (UNAVAILABLE != null) {
      return null;
    }
    byte[] text = policy.getBytes(StandardCharsets.UTF_8);
    MemorySegment engine;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment in = arena.allocateFrom(ValueLayout.JAVA_BYTE, text);
      if (recordKeys == null) {
        engine = (MemorySegment) COMPILE.invokeExact(in, (long) text.length, shape);
      } else {
        byte[] keys = recordKeys.getBytes(StandardCharsets.UTF_8);
        MemorySegment k = arena.allocateFrom(ValueLayout.JAVA_BYTE, keys);
        engine = (MemorySegment) COMPILE_RECORD.invokeExact(in, (long) text.length, shape, k, (long) keys.length);
      }
    } catch (Throwable t) {
      throw new IllegalStateException("tracesieve: the native compile failed", t);
    }
    if (engine.equals(MemorySegment.NULL)) {
      throw PolicyException.fromJson(text((out, cap) -> (long) ERROR.invokeExact(out, cap)));
    }
    return new Native(engine);
  }

  /** A native call that writes text into {@code out} ({@code cap} bytes): its whole length. */
  private interface TextCall {
    long call(MemorySegment out, long cap) throws Throwable;
  }

  /** The text of {@code call}, with a larger buffer when the first is too small. */
  private static String text(TextCall call) {
    try {
      byte[] out = new byte[4096];
      long n = call.call(MemorySegment.ofArray(out), out.length);
      if (n > out.length) {
        out = new byte[Math.toIntExact(n)];
        n = call.call(MemorySegment.ofArray(out), out.length);
      }
      return new String(out, 0, (int) n, StandardCharsets.UTF_8);
    } catch (Throwable t) {
      throw new IllegalStateException("tracesieve: a native call failed", t);
    }
  }

  private final MemorySegment engine;

  private Native(MemorySegment engine) {
    super(text((out, cap) -> (long) PLANS.invokeExact(engine, out, cap)));
    this.engine = engine;
    // Released when this engine is unreachable: no decision can be running then.
    CLEANER.register(this, () -> {
      try {
        RELEASE.invokeExact(engine);
      } catch (Throwable t) {
        // nothing to do: the memory stays allocated
      }
    });
  }

  @Override
  String backend() {
    return "ffm";
  }

  // Each call keeps this engine reachable until it returns (reachabilityFence): else the
  // cleaner could release the native engine during a call.

  @Override
  double decide(byte[] wire, int len, boolean isError) {
    try {
      return (double) DECIDE.invokeExact(engine, MemorySegment.ofArray(wire), (long) len, isError ? 1 : 0);
    } catch (Throwable t) {
      return -1;
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override
  String decideRecord(byte[] wire, int len, double sampleRand, double timestamp, double[] rate) {
    try {
      byte[] out = new byte[1024];
      long n = (long) DECIDE_RECORD.invokeExact(engine, MemorySegment.ofArray(wire), (long) len, sampleRand, timestamp,
          MemorySegment.ofArray(rate), MemorySegment.ofArray(out), (long) out.length);
      if (n > out.length) {
        // Too long for the buffer: the line the core kept for this thread (not decided again).
        out = new byte[Math.toIntExact(n)];
        n = (long) LINE.invokeExact(MemorySegment.ofArray(out), (long) out.length);
      }
      return new String(out, 0, (int) n, StandardCharsets.UTF_8);
    } catch (Throwable t) {
      rate[0] = -1;
      return "";
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override
  String explain(byte[] wire, int len, boolean isError) {
    try {
      return text((out, cap) ->
          (long) EXPLAIN.invokeExact(engine, MemorySegment.ofArray(wire), (long) len, isError ? 1 : 0, out, cap));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  @Override
  Stats stats() {
    try {
      return Stats.fromJson(text((out, cap) -> (long) STATS.invokeExact(engine, out, cap)));
    } finally {
      Reference.reachabilityFence(this);
    }
  }
}
