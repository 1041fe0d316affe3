package dev.tracesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sentry.CustomSamplingContext;
import io.sentry.SpanId;
import io.sentry.protocol.SentryId;
import io.sentry.SamplingContext;
import io.sentry.TracesSamplingDecision;
import io.sentry.TransactionContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every case of tests/vectors/*.json (and TRACESIEVE_EXTRA_VECTORS) in Java: java-shaped trace
 * roots through a real io.sentry.SamplingContext and the public TracesSampler; the other shapes
 * through the same engine, plans and wire with the core adapter the case names.
 */
class VectorsTest {
  static final Path VECTORS = Paths.get("..", "tests", "vectors");
  /**
   * The Rust-shaped cases in the canonical shape, as the core's Rust SDK adapter reads them
   * (`make rust-canonical` writes them): by vector file name, then case name.
   */
  static final Path RUST_CANONICAL = Paths.get(System.getenv().getOrDefault(
      "TRACESIEVE_RUST_CANONICAL", "../target/differential/rust-canonical.json"));
  static Map<String, Object> rustCanonical;
  static int cases;
  static int throughSentry;

  static List<Path> files() throws Exception {
    List<Path> files;
    try (Stream<Path> s = Files.list(VECTORS)) {
      files = s.filter(p -> p.toString().endsWith(".json")).sorted().collect(Collectors.toList());
    }
    String extra = System.getenv("TRACESIEVE_EXTRA_VECTORS");
    if (extra != null) {
      for (String p : extra.split(":")) {
        if (!p.isEmpty()) {
          files.add(Paths.get(p));
        }
      }
    }
    return files;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    return (Map<String, Object>) o;
  }

  @TestFactory
  Stream<DynamicTest> everyVector() throws Exception {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path file : files()) {
      Map<String, Object> doc = map(Json.parse(TracesSampler.read(file)));
      for (Object c : (List<Object>) doc.get("cases")) {
        Map<String, Object> kase = map(c);
        for (String backend : Engine.available()) {
          String name = backend + ": " + file.getFileName() + ": " + kase.get("name");
          String fileName = file.getFileName().toString();
          tests.add(DynamicTest.dynamicTest(name, () -> run(doc, kase, backend, fileName)));
        }
        cases++;
      }
    }
    return tests.stream();
  }

  @Test
  void theCorpusIsRunWhole() throws Exception {
    everyVector().forEach(t -> {});
    assertTrue(files().size() >= 13, "vector files: " + files().size());
    assertTrue(cases >= 700, "cases: " + cases);
  }

  static String policyText(Map<String, Object> doc, Map<String, Object> c) {
    if (c.containsKey("policyText")) {
      return (String) c.get("policyText");
    }
    if (c.containsKey("policyRef")) {
      return Write.json(map(doc.get("policies")).get(c.get("policyRef")));
    }
    return Write.json(c.get("policy"));
  }

  /** The core Rust adapter's canonical projection of a Rust-shaped case (`make rust-canonical`). */
  static Object rustAsCanonical(String file, Object caseName) throws Exception {
    if (rustCanonical == null) {
      rustCanonical = map(Json.parse(TracesSampler.read(RUST_CANONICAL)));
    }
    Object byCase = rustCanonical.get(file);
    Object ctx = byCase instanceof Map ? map(byCase).get(caseName) : null;
    assertTrue(ctx != null, "no canonical projection of " + file + ": " + caseName + " (make rust-canonical)");
    return ctx;
  }

  static void run(Map<String, Object> doc, Map<String, Object> c, String backend, String file) throws Exception {
    String text = policyText(doc, c);
    if (c.containsKey("expectError")) {
      PolicyException e = assertThrows(PolicyException.class, () -> Engine.compile(text, Engine.SHAPE_JAVA, backend));
      assertTrue(e.getMessage().contains((String) c.get("expectError")), e.getMessage());
      assertFalse(e.problems().isEmpty());
      return;
    }
    Map<String, Object> expect = map(c.get("expect"));
    boolean error = "error".equals(c.get("kind"));
    String sdk = (String) c.get("sdk");
    Object ctx = c.get("context");
    Double rand = (Double) c.get("sampleRand");
    double rate;
    Explanation x;
    SamplingContext real = "java".equals(sdk) && !error ? samplingContext(ctx) : null;
    if (real != null) {
      TracesSampler sampler = BackendTest.sampler(text, backend);
      assertEquals(backend, sampler.backend());
      rate = sampler.sample(real);
      x = sampler.explain(real);
      assertEquals(1, sampler.stats().traces().total(), "explain does not count");
      throughSentry++;
    } else {
      int shape;
      if (sdk == null || "rust".equals(sdk)) {
        shape = Engine.SHAPE_CANONICAL;
        if ("rust".equals(sdk)) {
          ctx = rustAsCanonical(file, c.get("name"));
        }
        if (rand != null && ctx instanceof Map) {
          Map<String, Object> copy = new LinkedHashMap<>(map(ctx));
          copy.put("sampleRand", rand);
          ctx = copy;
        }
      } else {
        shape = "js".equals(sdk) ? Engine.SHAPE_JS
            : "python".equals(sdk) ? Engine.SHAPE_PYTHON
            : "ruby".equals(sdk) ? Engine.SHAPE_RUBY
            : Engine.SHAPE_JAVA;
      }
      Engine engine = Engine.compile(text, shape, backend);
      x = Explanation.fromJson(engine.explain(ctx, error));
      rate = error ? x.rate() : engine.decide(ctx, false);
    }
    assertEquals(((Double) expect.get("rate")).doubleValue(), rate, "rate");
    assertEquals(((Double) expect.get("rate")).doubleValue(), x.rate(), "explained rate");
    assertEquals(expect.get("reason"), x.reason(), "reason");
    assertEquals(expect.get("ruleId"), x.ruleId(), "ruleId");
    if (expect.containsKey("sampled")) {
      Boolean sampled = x.sampled() != null ? x.sampled() : rand != null && rand >= 0 && rand <= 1 ? rand < rate : null;
      assertEquals(expect.get("sampled"), sampled, "sampled");
    }
  }

  /** A real SamplingContext for a java-shaped context, or null when the case is not representable (malformed on purpose). */
  static SamplingContext samplingContext(Object ctx) {
    if (!(ctx instanceof Map) || !(map(ctx).get("transactionContext") instanceof Map)) {
      return null;
    }
    Map<String, Object> root = map(ctx);
    Map<String, Object> tc = map(root.get("transactionContext"));
    Object name = tc.get("name");
    Object op = tc.get("operation");
    Object rand = root.get("sampleRand");
    if (!(name instanceof String) || !(op instanceof String) || !(rand instanceof Double)) {
      return null;
    }
    TracesSamplingDecision parent = null;
    if (tc.get("parentSamplingDecision") instanceof Map) {
      Map<String, Object> d = map(tc.get("parentSamplingDecision"));
      parent = new TracesSamplingDecision((Boolean) d.get("sampled"), (Double) d.get("sampleRate"), (Double) d.get("sampleRand"));
    } else if (tc.get("parentSampled") instanceof Boolean) {
      parent = new TracesSamplingDecision((Boolean) tc.get("parentSampled"));
    }
    if (parent != null && tc.containsKey("parentSampled") && tc.get("parentSampled") != parent.getSampled()) {
      return null;
    }
    TransactionContext t = new TransactionContext(new SentryId(), new SpanId(), new SpanId(), parent, null);
    t.setName((String) name);
    t.setOperation((String) op);
    if (tc.get("origin") instanceof String) {
      t.setOrigin((String) tc.get("origin"));
    }
    CustomSamplingContext custom = new CustomSamplingContext();
    if (root.get("customSamplingContext") instanceof Map) {
      map(root.get("customSamplingContext")).forEach(custom::set);
    }
    Map<String, Object> attributes = new HashMap<>();
    if (root.get("attributes") instanceof Map) {
      attributes.putAll(map(root.get("attributes")));
    }
    return new SamplingContext(t, custom, (Double) rand, attributes);
  }

}
