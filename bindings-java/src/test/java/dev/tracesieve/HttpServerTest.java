package dev.tracesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.sentry.ITransportFactory;
import io.sentry.SentryEnvelope;
import io.sentry.SentryEnvelopeItem;
import io.sentry.SentryItemType;
import io.sentry.SentryOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A real HTTP server: Spring Boot 3.4.1 (embedded Tomcat) with sentry-spring-boot-jakarta 8.47.0,
 * whose SentryTracingFilter starts each request's transaction (name "METHOD /uri", op
 * http.server, the HttpServletRequest under the custom key "request"). The sampler is the
 * README's Spring Boot quick start, compiled from the README as written ({@link ReadmeTest}).
 * Requests go over loopback; what is kept is read from the envelopes the SDK sends.
 */
class HttpServerTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {
    static final SentryTest.Memory MEMORY = new SentryTest.Memory();

    @Bean
    ITransportFactory transportFactory() {
      return (options, details) -> MEMORY;
    }

    @Bean
    Routes routes() {
      return new Routes();
    }
  }

  @RestController
  static class Routes {
    @GetMapping("/healthz")
    String health() {
      return "ok";
    }

    @PostMapping("/api/chat")
    String chat() {
      return "{\"reply\":\"hi\"}";
    }

    @GetMapping("/orders/{id}")
    String order(@PathVariable("id") String id) {
      return id;
    }

    @PostMapping("/orders/{id}")
    String update(@PathVariable("id") String id) {
      return id;
    }

    @GetMapping("/other")
    String other() {
      return "other";
    }
  }

  static final Pattern NAME = Pattern.compile("\"transaction\":\"([^\"]*)\"");

  /** Transactions sent, by name (sentry-spring renames each to its route at finish). */
  static Map<String, Integer> sent(SentryTest.Memory memory) {
    Map<String, Integer> byName = new TreeMap<>();
    synchronized (memory.envelopes) {
      for (SentryEnvelope e : memory.envelopes) {
        for (SentryEnvelopeItem item : e.getItems()) {
          if (item.getHeader().getType() == SentryItemType.Transaction) {
            Matcher m = NAME.matcher(new String(SentryTest.Memory.data(item), StandardCharsets.UTF_8));
            if (m.find()) {
              byName.merge(m.group(1), 1, Integer::sum);
            }
          }
        }
      }
    }
    return byName;
  }

  @Test
  void requestsOverLoopbackAreSampledByThePolicy() throws Exception {
    Class<?> sampling = ReadmeTest.springBootQuickStart();
    try (ConfigurableApplicationContext app = new SpringApplicationBuilder(App.class, sampling)
        .properties("server.port=0", "server.address=127.0.0.1", "sentry.dsn=https://key@localhost/1",
            "spring.main.banner-mode=off", "logging.level.root=warn")
        .run()) {
      int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
      HttpClient client = HttpClient.newHttpClient();
      int n = 20;
      for (int i = 0; i < n; i++) {
        for (String[] r : new String[][] {{"GET", "/healthz"}, {"POST", "/api/chat"}, {"GET", "/orders/" + i},
            {"POST", "/orders/" + i}, {"GET", "/other"}}) {
          HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + r[1]))
              .method(r[0], HttpRequest.BodyPublishers.ofString("{}")).header("content-type", "application/json")
              .build();
          assertEquals(200, client.send(req, HttpResponse.BodyHandlers.ofString()).statusCode(), r[0] + " " + r[1]);
        }
      }
      TracesSampler sampler = (TracesSampler) app.getBean(SentryOptions.TracesSamplerCallback.class);
      io.sentry.Sentry.flush(5000);
      Map<String, Integer> want = new TreeMap<>();
      want.put("POST /api/chat", n); // genAi.routes
      want.put("GET /orders/{id}", n); // path and method, from the request
      assertEquals(want, sent(App.MEMORY));
      Stats stats = sampler.stats();
      assertEquals(5L * n, stats.traces().total());
      for (String rule : new String[] {"genAi", "health", "order-read", "order-write"}) {
        assertEquals(n, stats.traces().rule(rule), rule);
      }
      assertEquals(n, stats.traces().reason("default"), "GET /other");
      assertEquals(0L, stats.fallbacks());
    }
  }
}
