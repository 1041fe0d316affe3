package dev.tracesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sentry.CustomSamplingContext;
import io.sentry.Hint;
import io.sentry.Sentry;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryItemType;
import io.sentry.SentryOptions;
import io.sentry.TransactionContext;
import io.sentry.TransactionOptions;
import io.sentry.transport.ITransport;
import io.sentry.transport.RateLimiter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** tracesieve inside the real sentry-java, with an in-memory transport: what the SDK sends. */
class SentryTest {
  /** An in-memory transport: every envelope the SDK sends. */
  static final class Memory implements ITransport {
    final List<SentryEnvelope> envelopes = Collections.synchronizedList(new ArrayList<>());

    @Override
    public void send(SentryEnvelope envelope, Hint hint) {
      envelopes.add(envelope);
    }

    @Override
    public void flush(long timeoutMillis) {}

    @Override
    public RateLimiter getRateLimiter() {
      return null;
    }

    @Override
    public void close(boolean isRestarting) {}

    @Override
    public void close() {}

    static final Pattern TRACE_ID = Pattern.compile("\"trace_id\":\"([0-9a-f]{32})\"");

    static byte[] data(SentryEnvelopeItem item) {
      try {
        return item.getData();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    /** The trace ids of the transactions sent (read from the items' JSON). */
    TreeSet<String> transactionTraces() {
      TreeSet<String> ids = new TreeSet<>();
      synchronized (envelopes) {
        for (SentryEnvelope e : envelopes) {
          for (SentryEnvelopeItem item : e.getItems()) {
            if (item.getHeader().getType() == SentryItemType.Transaction) {
              Matcher m = TRACE_ID.matcher(new String(data(item), StandardCharsets.UTF_8));
              if (!m.find()) {
                throw new AssertionError("a transaction item without a trace_id");
              }
              ids.add(m.group(1));
            }
          }
        }
      }
      return ids;
    }
  }

  /** Starts and finishes one root through the SDK, {@code custom} its custom sampling context, not bound to the scope. */
  static void root(TransactionContext tc, CustomSamplingContext custom) {
    TransactionOptions options = new TransactionOptions();
    options.setCustomSamplingContext(custom);
    options.setBindToScope(false);
    Sentry.startTransaction(tc, options).finish();
  }

  static Memory init(SentryOptions.TracesSamplerCallback sampler, Consumer<SentryOptions> more) {
    Memory memory = new Memory();
    Sentry.init(options -> {
      options.setDsn("http://public@127.0.0.1:9/1");
      options.setTransportFactory((o, r) -> memory);
      options.setTracesSampler(sampler);
      options.setEnableBackpressureHandling(false);
      more.accept(options);
    });
    return memory;
  }

  @AfterEach
  void close() {
    Sentry.close();
  }

  /** One root of the traffic: its URL, and the incoming sentry-trace and baggage headers. */
  static final class Root {
    final String url;
    final String sentryTrace;
    final String baggage;
    final String traceId;

    Root(String url, String traceId, String sentryTrace, String baggage) {
      this.url = url;
      this.traceId = traceId;
      this.sentryTrace = sentryTrace;
      this.baggage = baggage;
    }
  }

  /** 10,000 roots of a realistic mix, each continuing its trace with a sample_rand in its baggage. */
  static List<Root> traffic(int n) {
    Random r = new Random(15);
    List<String> urls = Arrays.asList("/payment", "/search", "/health", "/orders", "/users/7", "/search", "/health");
    List<Root> roots = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String traceId = String.format(Locale.ROOT, "%016x%016x", r.nextLong(), r.nextLong());
      String spanId = String.format(Locale.ROOT, "%016x", r.nextLong());
      double rand = Math.floor(r.nextDouble() * 1e6) / 1e6;
      boolean sampled = r.nextBoolean();
      String trace = traceId + "-" + spanId + "-" + (sampled ? "1" : "0");
      String baggage = "sentry-trace_id=" + traceId + ",sentry-public_key=public,sentry-sample_rate=" + (sampled ? "1" : "0")
          + ",sentry-sample_rand=" + String.format(Locale.ROOT, "%.6f", rand) + ",sentry-sampled=" + sampled;
      roots.add(new Root(urls.get(r.nextInt(urls.size())), traceId, trace, baggage));
    }
    return roots;
  }

  /** Runs the traffic through Sentry with {@code sampler}: the rate per root, and the traces kept. */
  static TreeSet<String> run(List<Root> roots, SentryOptions.TracesSamplerCallback sampler, Map<String, Double> rates) {
    Memory memory = init(ctx -> {
      Double rate = sampler.sample(ctx);
      rates.put(ctx.getTransactionContext().getTraceId().toString(), rate);
      return rate;
    }, o -> {});
    for (Root root : roots) {
      TransactionContext tc = Sentry.continueTrace(root.sentryTrace, Collections.singletonList(root.baggage));
      tc.setName("GET " + root.url);
      tc.setOperation("http.server");
      CustomSamplingContext custom = new CustomSamplingContext();
      custom.set("url", root.url);
      root(tc, custom);
    }
    Sentry.flush(5000);
    TreeSet<String> kept = memory.transactionTraces();
    Sentry.close();
    return kept;
  }

  @Test
  void theSeedSamplerAndTracesieveAgreeOnTenThousandRoots() {
    List<Root> roots = traffic(10_000);
    Map<String, Double> seedRates = new ConcurrentHashMap<>();
    Map<String, Double> sieveRates = new ConcurrentHashMap<>();
    TreeSet<String> seedKept = run(roots, new SeedSampler(), seedRates);
    TracesSampler sieve = TracesSampler.fromJson(SeedSampler.POLICY);
    TreeSet<String> sieveKept = run(roots, sieve, sieveRates);
    assertEquals(10_000, seedRates.size());
    assertEquals(seedRates, sieveRates, "the same rate for every root");
    assertEquals(seedKept, sieveKept, "the SDK keeps the same roots");
    // Not vacuous: some of each, and the kept ones are about what the rates say.
    assertTrue(seedKept.size() > 800 && seedKept.size() < 1400, "kept " + seedKept.size());
    Stats stats = sieve.stats();
    assertEquals(10_000, stats.traces().total());
    assertEquals(0, stats.fallbacks());
    assertTrue(stats.traces().rule("payment") > 1000 && stats.traces().rule("health") > 2000, stats.toString());
    for (Root root : roots) {
      double rate = sieveRates.get(root.traceId);
      double rand = Double.parseDouble(root.baggage.replaceAll(".*sentry-sample_rand=([0-9.]+).*", "$1"));
      assertEquals(rand <= rate, sieveKept.contains(root.traceId), "sentry keeps sampleRand <= rate: " + root.url);
    }
  }
}
