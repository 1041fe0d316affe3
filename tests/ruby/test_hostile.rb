# frozen_string_literal: true

require "minitest/autorun"

# Contexts no SDK sends, and one sampler shared by 8 threads: never an exception, always a
# rate in [0, 1], every bad context counted as a fallback, counters exact.
require_relative "test_helper"
require "pathname"
require "tmpdir"

class TestHostile < Minitest::Test
  POLICY = {
    defaultRate: 0.25, genAi: { routes: ["/api/chat*"] },
    rules: [{ id: "health", when: { path: "/healthz" }, rate: 0 },
            { id: "vip", when: { custom: { "user.tier" => "vip" } }, rate: 1 }]
  }.freeze

  class RaisingHash < Hash
    def [](_key)
      raise "boom"
    end
  end

  class RaisingIndex
    def [](_key)
      raise "boom"
    end
  end

  # An object in place of the transaction_context whose readers raise.
  class RaisingReaders
    def respond_to?(*)
      raise "boom"
    end
  end

  # A sentry event whose exception reader raises.
  class RaisingEvent
    def exception
      raise "boom"
    end

    def level
      :error
    end
  end

  def big
    "/" + ("a" * (10 * 1024 * 1024))
  end

  def hostile
    [
      nil, 42, "GET /healthz", :transaction_context, [1, 2], Object.new, RaisingIndex.new,
      { transaction_context: { name: "/x", op: 5 }, parent_sampled: "yes" },
      { transaction_context: "GET /healthz" },
      { transaction_context: { name: 42, op: [] } },
      { transaction_context: { name: "/healthz", origin: 5 } },
      { transaction_context: RaisingReaders.new },
      { transaction_context: { name: big } },
      { transaction_context: { name: "/x" }, env: { "PATH_INFO" => big, "REQUEST_METHOD" => "GET" } },
      { transaction_context: { name: "/x" }, user: { tier: big } }
    ]
  end

  def test_hostile_contexts_give_a_rate_and_a_counted_fallback
    sampler = Tracesieve::TracesSampler.new(POLICY)
    contexts = hostile
    rates = contexts.map { |ctx| sampler.call(ctx) }
    rates.each { |r| assert_kind_of Float, r }
    assert(rates.all? { |r| r.between?(0.0, 1.0) })
    # Each bad context falls back to defaultRate (no parent decision was readable).
    assert_equal [0.25] * contexts.size, rates
    assert_equal contexts.size, sampler.stats[:fallbacks]
    assert_equal contexts.size, sampler.stats.dig(:traces, :by_reason, "default")
  end

  def test_missing_is_not_malformed
    sampler = Tracesieve::TracesSampler.new(POLICY)
    # nil is a missing transaction_context (as Python's None); a non-boolean parent is no parent.
    assert_equal 0.25, sampler.call({ transaction_context: nil, parent_sampled: "yes" })
    assert_equal 0, sampler.stats[:fallbacks]
  end

  def test_a_hash_whose_index_raises_is_read_without_calling_it
    sampler = Tracesieve::TracesSampler.new(POLICY)
    ctx = RaisingHash.new
    ctx[:transaction_context] = { name: "/healthz" }
    assert_equal 0.0, sampler.call(ctx)
    assert_equal 0, sampler.stats[:fallbacks]
  end

  def test_a_parent_decision_survives_a_malformed_context
    sampler = Tracesieve::TracesSampler.new(POLICY)
    assert_equal 1.0, sampler.call({ transaction_context: { name: 42 }, parent_sampled: true })
    assert_equal 1, sampler.stats[:fallbacks]
  end

  def test_hostile_events_keep_the_event_and_count
    hook = Tracesieve::BeforeSend.new({ defaultRate: 1, errors: { defaultRate: 1, rules: [{ when: { exception: "X" }, rate: 0 }] } })
    event = RaisingEvent.new
    assert_same event, hook.call(event, {})
    assert_equal "boom", hook.call("boom", nil)
    assert_nil hook.call(nil, nil) # nil stays nil: the event itself
    assert_equal 3, hook.stats[:fallbacks]
    # A hint's exception is read by its class, without touching the event.
    assert_same event, hook.call(event, { exception: RaisingIndex.new })
    assert_equal 3, hook.stats[:fallbacks]
  end

  def test_eight_threads_share_one_sampler
    sampler = Tracesieve::TracesSampler.new(POLICY)
    contexts = [
      { transaction_context: { name: "/healthz" } },
      { transaction_context: { name: "/api/chat" }, env: { "REQUEST_METHOD" => "POST", "PATH_INFO" => "/api/chat" } },
      { transaction_context: { name: "/x" }, user: { tier: "vip" } },
      { transaction_context: { name: "/other" }, parent_sampled: true },
      nil
    ]
    per_thread = 5_000
    threads = Array.new(8) do |t|
      Thread.new do
        per_thread.times.map { |i| sampler.call(contexts[(i + t) % contexts.size]) }.tally
      end
    end
    tallies = threads.map(&:value)
    stats = sampler.stats
    assert_equal 8 * per_thread, stats.dig(:traces, :total)
    each = 8 * per_thread / contexts.size
    assert_equal({ "genAi" => each, "health" => each, "vip" => each }, stats.dig(:traces, :by_rule))
    assert_equal [each, each], stats.dig(:traces, :by_reason).values_at("parent", "default")
    assert_equal each, stats[:fallbacks]
    assert_equal 8 * per_thread, tallies.sum { |t| t.values.sum }
  end

  def test_policy_inputs
    text = JSON.generate(POLICY)
    Dir.mktmpdir do |dir|
      path = File.join(dir, "sampling.json")
      File.write(path, text)
      [POLICY, JSON.parse(text), text, path, Pathname.new(path)].each do |policy|
        assert_equal 0.0, Tracesieve::TracesSampler.new(policy).call({ transaction_context: { name: "/healthz" } })
      end
      ENV["TRACESIEVE_POLICY"] = path
      assert_equal 0.25, Tracesieve::TracesSampler.from_env.call({ transaction_context: { name: "/x" } })
      assert_kind_of Tracesieve::BeforeSend, Tracesieve::BeforeSend.from_env
    ensure
      ENV.delete("TRACESIEVE_POLICY")
    end
    assert_raises(TypeError) { Tracesieve::TracesSampler.new(42) }
    error = assert_raises(ArgumentError) { Tracesieve::TracesSampler.new("/nonexistent/sampling.json") }
    assert_includes error.message, "cannot read the tracesieve policy file"
    assert_raises(ArgumentError) { Tracesieve::TracesSampler.from_env }
    nested = {}
    200.times.reduce(nested) { |h, _| h[:a] = {} }
    assert_raises(Tracesieve::PolicyError) { Tracesieve::TracesSampler.new(nested) }
  end

  def test_policy_error_text_is_the_cores
    error = assert_raises(Tracesieve::PolicyError) do
      Tracesieve::TracesSampler.new({ defaultRate: 1.5, rules: [{ id: "a", when: { pathh: "/x" }, rate: 1 }, { id: "a", when: { path: "/y" }, rate: 0 }] })
    end
    assert_equal <<~TEXT.chomp, error.message
      invalid tracesieve policy (3 problems):
        defaultRate: expected a number in [0, 1], found 1.5
        rules[0].when: unknown field "pathh" (expected one of name, op, origin, method, path, parentSampled, attributes, custom, genAi, any, all, not)
        rules[1].id: duplicate id "a" (first used at rules[0].id)
    TEXT
    assert_equal %w[defaultRate rules[0].when rules[1].id], error.problems.map(&:path)
    assert_kind_of ArgumentError, error
  end
end
