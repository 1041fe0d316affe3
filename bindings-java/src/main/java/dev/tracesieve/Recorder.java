package dev.tracesieve;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.Flushable;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * A recorder of roots for {@link TracesSampler.Builder#record}: appends each traffic line to a
 * file (JSONL), for {@code tracesieve simulate} and {@code diff}.
 *
 * <pre>{@code
 * Recorder recorder = Recorder.toFile(Paths.get("roots.jsonl"), 0.1, 64 << 20);
 * TracesSampler sampler = TracesSampler.builder(policy).record(recorder).build();
 * // ... at shutdown
 * recorder.close();
 * }</pre>
 *
 * <p>Safe from many threads. It stops writing once the file would pass {@code maxBytes} (counted
 * from the file's size when opened). Lines are buffered: {@link #flush()} or {@link #close()}
 * writes them out. Its {@link #recordRate()} is the sampler's unless the builder sets one.
 */
public final class Recorder implements Consumer<String>, Closeable, Flushable {
  /** The default size bound of {@link #toFile(Path)}: 64 MiB. */
  public static final long DEFAULT_MAX_BYTES = 64L << 20;

  private final OutputStream out;
  private final double recordRate;
  private final long maxBytes;
  private long size;
  private boolean closed;

  private Recorder(OutputStream out, long size, double recordRate, long maxBytes) {
    this.out = out;
    this.size = size;
    this.recordRate = recordRate;
    this.maxBytes = maxBytes;
  }

  /**
   * A recorder that appends to {@code path} (created if missing), records {@code recordRate} of
   * the roots (in [0, 1]), and stops writing once the file would pass {@code maxBytes}.
   *
   * @throws IllegalArgumentException for a rate outside [0, 1] or a negative {@code maxBytes}
   * @throws UncheckedIOException if the file cannot be opened
   */
  public static Recorder toFile(Path path, double recordRate, long maxBytes) {
    if (!(recordRate >= 0 && recordRate <= 1)) {
      throw new IllegalArgumentException("tracesieve: recordRate must be in [0, 1], not " + recordRate);
    }
    if (maxBytes < 0) {
      throw new IllegalArgumentException("tracesieve: maxBytes must not be negative, not " + maxBytes);
    }
    try {
      OutputStream file = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      return new Recorder(new BufferedOutputStream(file, 1 << 16), Files.size(path), recordRate, maxBytes);
    } catch (IOException e) {
      throw new UncheckedIOException("tracesieve: cannot open " + path + " to record roots", e);
    }
  }

  /** As {@link #toFile(Path, double, long)}: every root, at most {@link #DEFAULT_MAX_BYTES}. */
  public static Recorder toFile(Path path) {
    return toFile(path, 1, DEFAULT_MAX_BYTES);
  }

  /** The share of roots a sampler records with this recorder (unless its builder sets one). */
  public double recordRate() {
    return recordRate;
  }

  /** The bytes of the file so far (its size when opened, and the lines written since). */
  public synchronized long size() {
    return size;
  }

  /**
   * Appends {@code line} and a newline, unless the file would pass its {@code maxBytes} or the
   * recorder is closed.
   *
   * @throws UncheckedIOException if the write fails (the sampler ignores it)
   */
  @Override
  public synchronized void accept(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    if (closed || size + bytes.length + 1 > maxBytes) {
      return;
    }
    try {
      out.write(bytes);
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    size += bytes.length + 1;
  }

  /** Writes out the buffered lines. */
  @Override
  public synchronized void flush() throws IOException {
    if (!closed) {
      out.flush();
    }
  }

  /** Writes out the buffered lines and closes the file; later lines are dropped. */
  @Override
  public synchronized void close() throws IOException {
    if (!closed) {
      closed = true;
      out.close();
    }
  }
}
