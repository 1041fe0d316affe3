package dev.tracesieve;

import io.sentry.SamplingContext;
import io.sentry.SentryOptions;

/**
 * The seed's hand-written Java sampler (seeds/003), as a sentry-java callback: the URL from the
 * custom sampling context, /payment 0.5, /search 0.01, /health 0, else 0.1.
 */
final class SeedSampler implements SentryOptions.TracesSamplerCallback {
  /** The same policy for tracesieve. */
  static final String POLICY = "{\"defaultRate\": 0.1, \"genAi\": false, \"parent\": \"ignore\", \"rules\": ["
      + "{\"id\": \"payment\", \"when\": {\"custom\": {\"url\": \"/payment\"}}, \"rate\": 0.5},"
      + "{\"id\": \"search\", \"when\": {\"custom\": {\"url\": \"/search\"}}, \"rate\": 0.01},"
      + "{\"id\": \"health\", \"when\": {\"custom\": {\"url\": \"/health\"}}, \"rate\": 0}]}";

  @Override
  public Double sample(SamplingContext context) {
    Object url = context.getCustomSamplingContext() == null ? null : context.getCustomSamplingContext().get("url");
    if ("/payment".equals(url)) {
      return 0.5;
    } else if ("/search".equals(url)) {
      return 0.01;
    } else if ("/health".equals(url)) {
      return 0.0;
    } else {
      return 0.1;
    }
  }
}
