package dev.tracesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sentry.CustomSamplingContext;
import io.sentry.Sentry;
import io.sentry.TransactionContext;
import io.sentry.TransactionOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recording real roots (#18): roots decided inside the real sentry-java (in-memory transport) are
 * recorded to a file, and {@code tracesieve simulate} (the Rust binary, target/release, {@code
 * make build-cli}) on that file counts every root and keeps exactly the roots sentry-java sent.
 * On every backend this JVM can run.
 */
class RecordTest {
  static final Path REPO = Paths.get(System.getProperty("user.dir")).toAbsolutePath().getParent();
  static final Path POLICY = REPO.resolve("examples/policy.json");
  static final String SECRET = "alice@example.com";

  @TempDir Path tmp;

  @AfterEach
  void close() {
    Sentry.close();
  }

  static String policy() throws IOException {
    return new String(Files.readAllBytes(POLICY), StandardCharsets.UTF_8);
  }

  static List<String> lines(Path file) throws IOException {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      if (!l.isEmpty()) {
        out.add(l);
      }
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> json(String text) {
    return (Map<String, Object>) Json.parse(text);
  }

  /** {@code tracesieve simulate --format json examples/policy.json traffic}: its report. */
  static Map<String, Object> simulate(Path traffic) throws Exception {
    String bin = System.getenv("TRACESIEVE_BIN");
    Path exe = bin != null ? Paths.get(bin) : REPO.resolve("target/release/tracesieve");
    assertTrue(Files.isExecutable(exe), exe + " is missing: make build-cli");
    Process p = new ProcessBuilder(exe.toString(), "simulate", "--format", "json", POLICY.toString(), traffic.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream in = p.getInputStream()) {
      in.transferTo(out);
    }
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), "tracesieve simulate failed");
    return json(out.toString(StandardCharsets.UTF_8));
  }

  /** Starts and finishes {@code roots} through Sentry with {@code sampler}: the transactions sent. */
  static int run(List<SentryTest.Root> roots, TracesSampler sampler) {
    SentryTest.Memory memory = SentryTest.init(sampler, o -> {});
    for (SentryTest.Root root : roots) {
      TransactionContext tc = Sentry.continueTrace(root.sentryTrace, Collections.singletonList(root.baggage));
      tc.setName("GET " + root.url);
      tc.setOperation("http.server");
      CustomSamplingContext custom = new CustomSamplingContext();
      custom.set("url", root.url);
      custom.set("tier", "pro");
      custom.set("email", SECRET);
      SentryTest.root(tc, custom);
    }
    Sentry.flush(5000);
    int sent = memory.transactionTraces().size();
    Sentry.close();
    return sent;
  }

  @Test
  void rootsRecordedUnderSentryJavaSimulateKeepsWhatSentrySent() throws Exception {
    int n = 3000;
    List<SentryTest.Root> roots = SentryTest.traffic(n);
    for (String backend : BackendTest.backends()) {
      Path file = tmp.resolve("roots-" + backend + ".jsonl");
      TracesSampler sampler;
      int sent;
      try (Recorder recorder = Recorder.toFile(file)) {
        sampler = TracesSampler.builder(policy())
            .record(recorder)
            .recordKeys(Collections.emptyList(), Collections.singletonList("tier"))
            .backend(backend)
            .build();
        assertEquals(backend, sampler.backend());
        sent = run(roots, sampler);
      }
      List<String> recorded = lines(file);
      assertEquals(n, recorded.size(), backend + ": one line per root");
      assertEquals(n, sampler.stats().traces().total(), backend + ": each root counted once");
      Map<String, Object> first = json(recorded.get(0));
      assertEquals("GET " + roots.get(0).url, first.get("name"), backend);
      assertEquals(roots.get(0).url, first.get("path"), backend);
      assertEquals("http.server", first.get("op"), backend);
      assertTrue(first.get("sampleRand") instanceof Double, backend + ": sentry-java passes sample_rand: " + first);
      assertTrue(first.get("parent") instanceof Map, backend + ": the parent's decision: " + first);
      assertTrue(first.get("timestamp") instanceof Double, backend + ": " + first);
      for (String line : recorded) {
        Map<String, Object> custom = (Map<String, Object>) json(line).get("custom");
        assertEquals("pro", custom.get("tier"), backend + ": a listed key: " + line);
      }
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      assertFalse(text.contains(SECRET) || text.contains("\"email\"") || text.contains("\"url\""),
          backend + ": nothing the policy does not read and no key not listed");
      Map<String, Object> report = simulate(file);
      assertEquals((double) n, report.get("roots"), backend);
      assertEquals((double) sent, report.get("kept"), backend + ": simulate keeps what sentry-java sent");
      assertTrue(sent > n / 10 && sent < n - n / 10, backend + ": not vacuous: sent " + sent);
    }
  }

  @Test
  void recordRateAndMaxBytesAreHonoured() throws Exception {
    List<SentryTest.Root> roots = SentryTest.traffic(400);
    for (String backend : BackendTest.backends()) {
      // The recorder's rate: every 4th root.
      Path quarter = tmp.resolve("quarter-" + backend + ".jsonl");
      try (Recorder recorder = Recorder.toFile(quarter, 0.25, Recorder.DEFAULT_MAX_BYTES)) {
        run(roots, TracesSampler.builder(policy()).record(recorder).backend(backend).build());
      }
      assertEquals(100, lines(quarter).size(), backend);
      // The builder's rate wins over the recorder's.
      Path half = tmp.resolve("half-" + backend + ".jsonl");
      try (Recorder recorder = Recorder.toFile(half, 0.25, Recorder.DEFAULT_MAX_BYTES)) {
        run(roots, TracesSampler.builder(policy()).record(recorder).recordRate(0.5).backend(backend).build());
      }
      assertEquals(200, lines(half).size(), backend);
      // Rate 0: nothing.
      Path none = tmp.resolve("none-" + backend + ".jsonl");
      try (Recorder recorder = Recorder.toFile(none, 0, Recorder.DEFAULT_MAX_BYTES)) {
        run(roots, TracesSampler.builder(policy()).record(recorder).backend(backend).build());
      }
      assertEquals(0, Files.size(none), backend);
      // maxBytes: whole lines only, never past it, and it was reached.
      Path small = tmp.resolve("small-" + backend + ".jsonl");
      long max = 5000;
      Recorder recorder = Recorder.toFile(small, 1, max);
      run(roots, TracesSampler.builder(policy()).record(recorder).backend(backend).build());
      recorder.close();
      long size = Files.size(small);
      assertTrue(size <= max && size > max - 400, backend + ": " + size);
      assertEquals(size, recorder.size());
      for (String line : lines(small)) {
        assertTrue(json(line).containsKey("decision"), line);
      }
      assertTrue(new String(Files.readAllBytes(small), StandardCharsets.UTF_8).endsWith("}\n"));
      // Appending: the bound counts what the file already has.
      try (Recorder more = Recorder.toFile(small, 1, max)) {
        assertEquals(size, more.size());
        more.accept("x".repeat((int) (max - size)));
        assertEquals(size, Files.size(small), "a line past the bound is dropped");
      }
    }
  }

  @Test
  void aRecorderThatThrowsNeverChangesADecision() throws Exception {
    List<SentryTest.Root> roots = SentryTest.traffic(300);
    for (String backend : BackendTest.backends()) {
      TracesSampler plain = TracesSampler.builder(policy()).backend(backend).build();
      AtomicInteger calls = new AtomicInteger();
      TracesSampler throwing = TracesSampler.builder(policy()).record(line -> {
        calls.incrementAndGet();
        throw new IllegalStateException("disk full");
      }).backend(backend).build();
      int plainSent = run(roots, plain);
      int throwingSent = run(roots, throwing);
      assertEquals(plainSent, throwingSent, backend);
      assertEquals(300, calls.get(), backend);
      assertEquals(plain.stats().traces().total(), throwing.stats().traces().total(), backend);
      assertEquals(0, throwing.stats().fallbacks(), backend);
    }
  }

  @Test
  void badArguments() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> TracesSampler.builder("{}").recordRate(1.5));
    assertThrows(IllegalArgumentException.class, () -> TracesSampler.builder("{}").recordRate(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> Recorder.toFile(tmp.resolve("x"), -0.1, 10));
    assertThrows(IllegalArgumentException.class, () -> Recorder.toFile(tmp.resolve("x"), 1, -1));
    assertThrows(java.io.UncheckedIOException.class, () -> Recorder.toFile(tmp.resolve("no/such/dir/x"), 1, 10));
    assertThrows(PolicyException.class,
        () -> TracesSampler.builder("{\"defaultRate\": 2}").record(line -> {}).build());
    // Keys with characters JSON escapes reach the core intact.
    List<String> lines = new ArrayList<>();
    TracesSampler s = TracesSampler.builder("{\"defaultRate\": 0.5}").record(lines::add)
        .recordKeys(Arrays.asList("a\"b", "c\\d\n"), Collections.singletonList("x.y")).build();
    SentryTest.init(s, o -> {});
    Sentry.startTransaction("GET /a", "http.server").finish();
    Sentry.close();
    assertEquals(1, lines.size());
    assertNull(json(lines.get(0)).get("custom"), lines.get(0));
  }

  @Test
  void aLongLineComesWhole() throws Exception {
    // Longer than the FFM backend's first buffer (1 KiB): the core keeps it for tsn_line.
    String big = "v".repeat(5000);
    for (String backend : BackendTest.backends()) {
      List<String> lines = new ArrayList<>();
      TracesSampler s = TracesSampler.builder("{\"defaultRate\": 0.5}").record(lines::add)
          .recordKeys(Collections.emptyList(), Collections.singletonList("big")).backend(backend).build();
      SentryTest.init(s, o -> {});
      CustomSamplingContext custom = new CustomSamplingContext();
      custom.set("big", big);
      TransactionOptions options = new TransactionOptions();
      options.setCustomSamplingContext(custom);
      Sentry.startTransaction(new TransactionContext("GET /a", "http.server"), options).finish();
      Sentry.close();
      assertEquals(1, lines.size(), backend);
      assertEquals(big, ((Map<String, Object>) json(lines.get(0)).get("custom")).get("big"), backend);
      assertEquals(1, s.stats().traces().total(), backend + ": decided once");
    }
  }
}
