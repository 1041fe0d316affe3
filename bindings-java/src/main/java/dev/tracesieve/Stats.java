package dev.tracesieve;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** The decision counters of a sampler: trace roots, error events, and fallbacks. */
public final class Stats {
  static final Stats EMPTY = new Stats(Counts.EMPTY, Counts.EMPTY, 0);

  /** Decision counts of one kind. */
  public static final class Counts {
    static final Counts EMPTY = new Counts(0, new LinkedHashMap<>(), new LinkedHashMap<>());
    private final long total;
    private final Map<String, Long> byReason;
    private final Map<String, Long> byRule;

    Counts(long total, Map<String, Long> byReason, Map<String, Long> byRule) {
      this.total = total;
      this.byReason = Collections.unmodifiableMap(byReason);
      this.byRule = Collections.unmodifiableMap(byRule);
    }

    /** Every decision. */
    public long total() {
      return total;
    }

    /** Decisions by reason ({@code genAi}, {@code rule}, {@code parent}, {@code default}, ...). */
    public Map<String, Long> byReason() {
      return byReason;
    }

    /** Decisions by rule id, in policy order. */
    public Map<String, Long> byRule() {
      return byRule;
    }

    /** The count of one reason (0 if none). */
    public long reason(String reason) {
      return byReason.getOrDefault(reason, 0L);
    }

    /** The count of one rule (0 if none). */
    public long rule(String id) {
      return byRule.getOrDefault(id, 0L);
    }

    @SuppressWarnings("unchecked")
    static Counts fromJson(Object json) {
      Map<String, Object> m = (Map<String, Object>) json;
      return new Counts(((Double) m.get("total")).longValue(), longs(m.get("byReason")), longs(m.get("byRule")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Long> longs(Object json) {
      Map<String, Long> out = new LinkedHashMap<>();
      ((Map<String, Object>) json).forEach((k, v) -> out.put(k, ((Double) v).longValue()));
      return out;
    }

    Counts plus(Counts o) {
      Map<String, Long> reasons = new LinkedHashMap<>(byReason);
      o.byReason.forEach((k, v) -> reasons.merge(k, v, Long::sum));
      Map<String, Long> rules = new LinkedHashMap<>(byRule);
      o.byRule.forEach((k, v) -> rules.merge(k, v, Long::sum));
      return new Counts(total + o.total, reasons, rules);
    }

    @Override
    public String toString() {
      return "{total=" + total + ", byReason=" + byReason + ", byRule=" + byRule + "}";
    }
  }

  private final Counts traces;
  private final Counts errors;
  private final long fallbacks;

  Stats(Counts traces, Counts errors, long fallbacks) {
    this.traces = traces;
    this.errors = errors;
    this.fallbacks = fallbacks;
  }

  @SuppressWarnings("unchecked")
  static Stats fromJson(String json) {
    Map<String, Object> m = (Map<String, Object>) Json.parse(json);
    return new Stats(
        Counts.fromJson(m.get("traces")), Counts.fromJson(m.get("errors")), ((Double) m.get("fallbacks")).longValue());
  }

  Stats plus(Stats o) {
    return new Stats(traces.plus(o.traces), errors.plus(o.errors), fallbacks + o.fallbacks);
  }

  /** Trace-root decisions. */
  public Counts traces() {
    return traces;
  }

  /** Error-event decisions. */
  public Counts errors() {
    return errors;
  }

  /** Decisions on contexts that could not be read (a getter threw, a malformed value): the fallback rate. */
  public long fallbacks() {
    return fallbacks;
  }

  @Override
  public String toString() {
    return "Stats{traces=" + traces + ", errors=" + errors + ", fallbacks=" + fallbacks + "}";
  }
}
