package dev.tracesieve;

import java.util.Collections;
import java.util.Map;

/** Why a context got its rate: the decision and everything the policy read from the context. */
public final class Explanation {
  private final double rate;
  private final String reason;
  private final String ruleId;
  private final Boolean sampled;
  private final boolean fallback;
  private final Map<String, Object> fields;

  Explanation(double rate, String reason, String ruleId, Boolean sampled, boolean fallback, Map<String, Object> fields) {
    this.rate = rate;
    this.reason = reason;
    this.ruleId = ruleId;
    this.sampled = sampled;
    this.fallback = fallback;
    this.fields = Collections.unmodifiableMap(fields);
  }

  @SuppressWarnings("unchecked")
  static Explanation fromJson(String json) {
    Map<String, Object> x = (Map<String, Object>) Json.parse(json);
    return new Explanation(
        (Double) x.get("rate"),
        (String) x.get("reason"),
        (String) x.get("ruleId"),
        (Boolean) x.get("sampled"),
        Boolean.TRUE.equals(x.get("fallback")),
        (Map<String, Object>) x.get("context"));
  }

  /** The sample rate, finite and in [0, 1]. */
  public double rate() {
    return rate;
  }

  /** The precedence step that decided: {@code forced}, {@code genAi}, {@code rule}, {@code parent} or {@code default}. */
  public String reason() {
    return reason;
  }

  /** The id of the deciding rule ({@code genAi}, a rule's id, or {@code rules[i]}), or null. */
  public String ruleId() {
    return ruleId;
  }

  /** {@code sampleRand < rate} when the context carried the trace's sample_rand, else null. */
  public Boolean sampled() {
    return sampled;
  }

  /** Whether the context could not be read (a getter threw, a value was malformed): the fallback rate. */
  public boolean fallback() {
    return fallback;
  }

  /**
   * What the policy read: field names ({@code name}, {@code op}, {@code method}, {@code path},
   * ...) to values, then {@code attributes}, {@code custom}, {@code tags} (maps), {@code
   * parentSampled}, {@code parentSampleRate} and {@code genAi} when known.
   */
  public Map<String, Object> fields() {
    return fields;
  }

  @Override
  public String toString() {
    return "Explanation{rate=" + rate + ", reason=" + reason + ", ruleId=" + ruleId + ", sampled=" + sampled
        + ", fallback=" + fallback + ", fields=" + fields + "}";
  }
}
