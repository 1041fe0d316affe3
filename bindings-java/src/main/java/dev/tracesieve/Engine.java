package dev.tracesieve;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A compiled policy on a pool of module instances: Chicory instances are not thread-safe, so a
 * decision borrows one instance (with its own encoder) for its duration. The pool grows on
 * demand up to {@link #MAX_INSTANCES}; the counters are the sum over the instances.
 */
final class Engine {
  /** At most this many instances (the module's memory is about 1 MiB each). */
  static final int MAX_INSTANCES = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);

  /** One instance and its encoder. */
  static final class Slot {
    final Instance instance;
    final Encoder encoder = new Encoder();

    Slot(Instance instance) {
      this.instance = instance;
    }
  }

  private final byte[] compiled;
  final Plan trace;
  final Plan error;
  final double defaultRate;
  final List<Object> traceRules;
  private final BlockingQueue<Slot> idle = new ArrayBlockingQueue<>(MAX_INSTANCES);
  private final List<Slot> all = new CopyOnWriteArrayList<>();

  @SuppressWarnings("unchecked")
  Engine(String policy, int shape) {
    Instance first = Instance.compile(policy, shape);
    compiled = first.compiled();
    Map<String, Object> plans = (Map<String, Object>) Json.parse(first.plans());
    trace = new Plan((List<Object>) plans.get("trace"));
    error = new Plan((List<Object>) plans.get("error"));
    defaultRate = (Double) plans.get("defaultRate");
    traceRules = (List<Object>) ((Map<String, Object>) plans.get("rules")).get("trace");
    Slot slot = new Slot(first);
    all.add(slot);
    idle.add(slot);
  }

  /** An idle instance, a new one while the pool is below its size, else the next to be returned. */
  Slot borrow() {
    Slot s = idle.poll();
    if (s != null) {
      return s;
    }
    synchronized (all) {
      if (all.size() < MAX_INSTANCES) {
        Slot fresh = new Slot(Instance.load(compiled));
        all.add(fresh);
        return fresh;
      }
    }
    try {
      return idle.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("tracesieve: interrupted while waiting for an instance", e);
    }
  }

  void giveBack(Slot s) {
    idle.offer(s);
  }

  /** Decides {@code context} (a trace root, or an error event): the rate the module returns. */
  double decide(Object context, boolean isError) {
    Plan plan = isError ? error : trace;
    Slot s = borrow();
    try {
      try {
        s.encoder.encode(plan, context);
      } catch (Throwable t) {
        s.encoder.failed(plan);
      }
      return s.instance.decide(s.encoder.bytes(), s.encoder.length(), isError);
    } finally {
      giveBack(s);
    }
  }

  String explain(Object context, boolean isError) {
    Plan plan = isError ? error : trace;
    Slot s = borrow();
    try {
      try {
        s.encoder.encode(plan, context);
      } catch (Throwable t) {
        s.encoder.failed(plan);
      }
      return s.instance.explain(s.encoder.bytes(), s.encoder.length(), isError);
    } finally {
      giveBack(s);
    }
  }

  /** Every instance's counters, summed: each instance is borrowed in turn so none is mid-decision. */
  Stats stats() {
    Stats sum = Stats.EMPTY;
    for (Slot s : all) {
      String json;
      synchronized (s) {
        // Wait until this slot is idle: take it out of the idle queue.
        while (!idle.remove(s)) {
          Thread.onSpinWait();
        }
        try {
          json = s.instance.stats();
        } finally {
          idle.offer(s);
        }
      }
      sum = sum.plus(Stats.fromJson(json));
    }
    return sum;
  }

  int instances() {
    return all.size();
  }

  byte[] compiled() {
    return compiled.clone();
  }
}
