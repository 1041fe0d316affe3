package dev.tracesieve;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The no-native backend: tracesieve.wasm on a pool of Chicory instances. Chicory instances are
 * not thread-safe, so a decision borrows one for its duration. The pool grows on demand up to
 * {@link #MAX_INSTANCES}; the counters are the sum over the instances.
 */
final class Chicory extends Engine {
  /** At most this many instances (the module's memory is about 1 MiB each). */
  static final int MAX_INSTANCES = Math.max(2, Runtime.getRuntime().availableProcessors() * 2);

  private final byte[] compiled;
  /** For a sampler that records: the policy, its shape and the record keys (null otherwise). */
  private final String policy, recordKeys;
  private final int shape;
  private final BlockingQueue<Instance> idle = new ArrayBlockingQueue<>(MAX_INSTANCES);
  private final List<Instance> all = new CopyOnWriteArrayList<>();

  Chicory(String policy, int shape) {
    this(policy, shape, null);
  }

  /** With {@code recordKeys} (JSON, or null): a pool whose instances can record roots. */
  Chicory(String policy, int shape, String recordKeys) {
    this(Instance.compile(policy, shape, recordKeys), recordKeys == null ? null : policy, shape, recordKeys);
  }

  private Chicory(Instance first, String policy, int shape, String recordKeys) {
    super(first.plans());
    compiled = first.compiled();
    this.policy = policy;
    this.shape = shape;
    this.recordKeys = recordKeys;
    all.add(first);
    idle.add(first);
  }

  /**
   * A new instance of this policy: loaded from the compiled bytes, or, for a sampler that
   * records, compiled again with the record keys (compiled bytes do not carry them).
   */
  private Instance fresh() {
    return recordKeys == null ? Instance.load(compiled) : Instance.compile(policy, shape, recordKeys);
  }

  @Override
  String backend() {
    return "chicory";
  }

  /** An idle instance, a new one while the pool is below its size, else the next to be returned. */
  Instance borrow() {
    Instance s = idle.poll();
    if (s != null) {
      return s;
    }
    synchronized (all) {
      if (all.size() < MAX_INSTANCES) {
        Instance fresh = fresh();
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

  void giveBack(Instance s) {
    idle.offer(s);
  }

  @Override
  double decide(byte[] wire, int len, boolean isError) {
    Instance s = borrow();
    try {
      return s.decide(wire, len, isError);
    } finally {
      giveBack(s);
    }
  }

  @Override
  String decideRecord(byte[] wire, int len, double sampleRand, double timestamp, double[] rate) {
    Instance s = borrow();
    try {
      return s.decideRecord(wire, len, sampleRand, timestamp, rate);
    } finally {
      giveBack(s);
    }
  }

  @Override
  String explain(byte[] wire, int len, boolean isError) {
    Instance s = borrow();
    try {
      return s.explain(wire, len, isError);
    } finally {
      giveBack(s);
    }
  }

  /** Every instance's counters, summed: each instance is borrowed in turn so none is mid-decision. */
  @Override
  Stats stats() {
    Stats sum = Stats.EMPTY;
    for (Instance s : all) {
      String json;
      synchronized (s) {
        // Wait until this instance is idle: take it out of the idle queue.
        while (!idle.remove(s)) {
          Thread.onSpinWait();
        }
        try {
          json = s.stats();
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
}
