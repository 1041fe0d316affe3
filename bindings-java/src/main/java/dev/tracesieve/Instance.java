package dev.tracesieve;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.runtime.ExportFunction;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.Memory;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * One Chicory instance of tracesieve.wasm with one compiled policy (docs/wasm-abi.md). Not
 * thread-safe: {@link Chicory} lends each to one thread at a time.
 */
final class Instance {
  /** The module, parsed once per class loader. */
  private static final WasmModule MODULE = parse();

  /**
   * How Chicory runs the module: {@code compiler} (the default: compiled to JVM bytecode when
   * first loaded) or {@code interpreter}, from the system property {@code tracesieve.chicory}.
   */
  static final String MODE = System.getProperty("tracesieve.chicory", "compiler");

  private static final Function<com.dylibso.chicory.runtime.Instance, Machine> MACHINES =
      "interpreter".equals(MODE) ? null : MachineFactoryCompiler.compile(MODULE);

  private final Memory memory;
  private final ExportFunction alloc, free, compile, compileRecord, load, error, compiled, plans, buffer, decide,
      decideError, decideRecord, result, explain, stats, release;
  private int handle;
  private int bufferAt;
  private int bufferLen;
  /** The address of the handle's decision record (ts_result), once asked. */
  private int resultAt;

  private static WasmModule parse() {
    try (InputStream in = Instance.class.getResourceAsStream("tracesieve.wasm")) {
      if (in == null) {
        throw new IllegalStateException("tracesieve: dev/tracesieve/tracesieve.wasm is missing from the jar");
      }
      return Parser.parse(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Instance() {
    com.dylibso.chicory.runtime.Instance.Builder b = com.dylibso.chicory.runtime.Instance.builder(MODULE);
    if (MACHINES != null) {
      b = b.withMachineFactory(MACHINES);
    }
    com.dylibso.chicory.runtime.Instance i = b.build();
    memory = i.memory();
    alloc = i.export("ts_alloc");
    free = i.export("ts_free");
    compile = i.export("ts_compile");
    compileRecord = i.export("ts_compile_record");
    load = i.export("ts_load");
    error = i.export("ts_error");
    compiled = i.export("ts_compiled");
    plans = i.export("ts_plans");
    buffer = i.export("ts_buffer");
    decide = i.export("ts_decide");
    decideError = i.export("ts_decide_error");
    decideRecord = i.export("ts_decide_record");
    result = i.export("ts_result");
    explain = i.export("ts_explain");
    stats = i.export("ts_stats");
    release = i.export("ts_release");
  }

  /** A fresh instance with a policy compiled from JSON text; throws {@link PolicyException}. */
  static Instance compile(String policy, int shape) {
    return compile(policy, shape, null);
  }

  /**
   * As {@link #compile(String, int)}, with record keys (JSON, or null for none): ts_compile_record.
   */
  static Instance compile(String policy, int shape, String recordKeys) {
    Instance x = new Instance();
    byte[] text = policy.getBytes(StandardCharsets.UTF_8);
    int ptr = x.input(text);
    if (recordKeys == null) {
      x.handle = (int) x.compile.apply(ptr, text.length, shape)[0];
    } else {
      byte[] keys = recordKeys.getBytes(StandardCharsets.UTF_8);
      int kptr = x.input(keys);
      x.handle = (int) x.compileRecord.apply(ptr, text.length, shape, kptr, keys.length)[0];
      x.free.apply(kptr);
    }
    x.free.apply(ptr);
    x.check();
    return x;
  }

  /** A fresh instance with a policy loaded from compiled bytes. */
  static Instance load(byte[] bytes) {
    Instance x = new Instance();
    int ptr = x.input(bytes);
    x.handle = (int) x.load.apply(ptr, bytes.length)[0];
    x.free.apply(ptr);
    x.check();
    return x;
  }

  private void check() {
    if (handle == 0) {
      throw PolicyException.fromJson(text(error.apply()[0]));
    }
  }

  private int input(byte[] bytes) {
    int ptr = (int) alloc.apply(Math.max(1, bytes.length))[0];
    if (ptr == 0) {
      throw new IllegalArgumentException("tracesieve: input too large for the module (" + bytes.length + " bytes)");
    }
    memory.write(ptr, bytes);
    return ptr;
  }

  private byte[] bytes(long packed) {
    return memory.readBytes((int) (packed >>> 32), (int) packed);
  }

  private String text(long packed) {
    return new String(bytes(packed), StandardCharsets.UTF_8);
  }

  byte[] compiled() {
    return bytes(compiled.apply(handle)[0]);
  }

  String plans() {
    return text(plans.apply(handle)[0]);
  }

  String stats() {
    return text(stats.apply(handle)[0]);
  }

  private int put(byte[] wire, int len) {
    if (len > bufferLen) {
      bufferAt = (int) buffer.apply(handle, len)[0];
      bufferLen = len;
    }
    memory.write(bufferAt, wire, 0, len);
    return len;
  }

  /** Decides an encoded trace root (error false) or error event: the rate the module returns. */
  double decide(byte[] wire, int len, boolean error) {
    long[] r = (error ? decideError : decide).apply(handle, put(wire, len));
    return Double.longBitsToDouble(r[0]);
  }

  /** The decision record of the last decision (docs/wasm-abi.md): rule index and reason. */
  int lastRule() {
    return memory.readInt((int) result.apply(handle)[0] + 8);
  }

  /** Decides and records an encoded trace root (ts_decide_record): the line; the rate in {@code rate[0]}. */
  String decideRecord(byte[] wire, int len, double sampleRand, double timestamp, double[] rate) {
    long packed = decideRecord.apply(handle, put(wire, len), Double.doubleToRawLongBits(sampleRand),
        Double.doubleToRawLongBits(timestamp))[0];
    if (packed == 0) {
      rate[0] = -1;
      return "";
    }
    String line = text(packed);
    if (resultAt == 0) {
      resultAt = (int) result.apply(handle)[0];
    }
    rate[0] = Double.longBitsToDouble(memory.readLong(resultAt));
    return line;
  }

  String explain(byte[] wire, int len, boolean error) {
    return text(explain.apply(handle, put(wire, len), error ? 1 : 0)[0]);
  }

  void close() {
    if (handle != 0) {
      release.apply(handle);
      handle = 0;
    }
  }
}
