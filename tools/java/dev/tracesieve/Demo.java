package dev.tracesieve;

import io.sentry.CustomSamplingContext;
import io.sentry.Sentry;
import io.sentry.TransactionContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code make demo}'s Java column: the bundled policy on the bundled traffic
 * (examples/traffic.jsonl) through the real sentry-java, counted from the envelopes it sends
 * (target/demo/java.json, format in examples/README.md). Run from the repository root.
 */
public final class Demo {
  private Demo() {}

  /** Runs the demo; the repository root is the first argument (default {@code ..}). */
  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (Throwable t) {
      t.printStackTrace();
      System.exit(1);
    }
  }

  @SuppressWarnings("unchecked")
  static void run(String[] args) throws Exception {
    Path repo = Paths.get(args.length > 0 ? args[0] : "..");
    TracesSampler sampler = TracesSampler.fromPath(repo.resolve("examples/policy.json"));
    Map<String, String> rowOf = new ConcurrentHashMap<>();
    SentryTest.Memory memory = SentryTest.init(ctx -> {
      Explanation x = sampler.explain(ctx);
      String row = x.ruleId() != null ? x.ruleId() : "parent".equals(x.reason()) ? "(parent)" : "forced".equals(x.reason()) ? "(forced)" : "(default)";
      rowOf.put(ctx.getTransactionContext().getTraceId().toString(), row);
      return sampler.sample(ctx);
    }, o -> {});
    List<String> lines = Files.readAllLines(repo.resolve("examples/traffic.jsonl"), StandardCharsets.UTF_8);
    int roots = 0;
    for (String text : lines) {
      if (text.trim().isEmpty()) {
        continue;
      }
      roots++;
      Map<String, Object> line = (Map<String, Object>) Json.parse(text);
      String traceId = (String) line.get("traceId");
      Map<String, Object> parent = (Map<String, Object>) line.get("parent");
      String flag = parent == null ? "" : Boolean.TRUE.equals(parent.get("sampled")) ? "-1" : "-0";
      String baggage = "sentry-trace_id=" + traceId + ",sentry-sample_rand=" + String.format(java.util.Locale.ROOT, "%.6f", (Double) line.get("sampleRand"));
      if (parent != null) {
        baggage += ",sentry-sample_rate=" + Write.json(parent.get("sampleRate"));
      }
      TransactionContext tc = Sentry.continueTrace(traceId + "-" + traceId.substring(16) + flag, Collections.singletonList(baggage));
      tc.setName((String) line.get("name"));
      tc.setOperation((String) line.get("op"));
      CustomSamplingContext custom = new CustomSamplingContext();
      if (line.containsKey("path")) {
        String path = (String) line.get("path");
        int q = path.indexOf('?');
        custom.set("request", new HostileTest.Request((String) line.get("method"), q < 0 ? path : path.substring(0, q)));
      }
      SentryTest.root(tc, custom);
    }
    Sentry.flush(5000);
    TreeSet<String> sent = memory.transactionTraces();
    Sentry.close();
    Map<String, Integer> kept = new TreeMap<>();
    for (String id : sent) {
      kept.merge(rowOf.getOrDefault(id, "(unknown)"), 1, Integer::sum);
    }
    Map<String, Object> column = new TreeMap<>();
    String version = io.sentry.BuildConfig.VERSION_NAME;
    column.put("column", "java (sentry-java " + version + ", Chicory " + Instance.MODE + ")");
    column.put("kept", kept);
    Path out = repo.resolve("target/demo");
    Files.createDirectories(out);
    Files.write(out.resolve("java.json"), (Write.json(column) + "\n").getBytes(StandardCharsets.UTF_8));
    System.out.println("java: " + roots + " roots through sentry-java " + version + ", " + sampler.stats().traces().total()
        + " decided, " + sent.size() + " sent -> target/demo/java.json");
  }
}
