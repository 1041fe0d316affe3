# frozen_string_literal: true

require "minitest/autorun"

# TracesSampler and BeforeSend inside the real sentry-ruby 5.3, counted from its envelopes.
require_relative "sentry_helpers"
require_relative "seed_sampler"

class TestSentryRuby < Minitest::Test
  SEED_SAMPLER = SeedSampler::LAMBDA
  SEED_POLICY = SeedSampler::POLICY

  NAMES = ["GET /orders/42", "POST /api/orders", "orders.sync", "GET /users/7", "/healthz", "GET /search",
           "ProcessOrdersJob", "GET /Orders/1", "checkout", "/api/chat"].freeze

  def test_sentry_ruby_version
    assert_equal "5.3.0", Sentry::VERSION
  end

  def test_seed_lambda_and_traces_sampler_agree_on_10000_roots
    sampler = Tracesieve::TracesSampler.new(SEED_POLICY)
    rand = Random.new(7)
    seen = []
    SentryHelpers.init(traces_sampler: lambda do |ctx|
      seen << [SEED_SAMPLER.call(ctx), sampler.call(ctx)]
      0.0
    end)
    10_000.times do |i|
      parent = [nil, true, false][i % 3]
      tx = Sentry::Transaction.new(name: NAMES[rand.rand(NAMES.size)], op: %w[rack.request http.server job][i % 3],
                                   parent_sampled: parent, hub: Sentry.get_current_hub)
      Sentry.start_transaction(transaction: tx, custom_sampling_context: { user: { id: i } })
    end
    assert_equal 10_000, seen.size
    mismatches = seen.reject { |seed, ours| seed == ours }
    assert_empty mismatches.first(5), "#{mismatches.size} roots differ"
    assert_equal [0.1, 0.5], seen.map(&:first).uniq.sort, "both rates are exercised"
    assert_equal 10_000, sampler.stats.dig(:traces, :total)
  end

  def test_traces_sampler_is_accepted_by_sentry_ruby_and_decides_from_sample_rand
    sampler = Tracesieve::TracesSampler.new(SEED_POLICY)
    SentryHelpers.init(traces_sampler: sampler)
    assert_same sampler, Sentry.configuration.traces_sampler
    assert_kind_of Proc, sampler, "sentry-ruby 5.3 calls traces_sampler only if it is a Proc"
    expected = 0
    rand = Random.new(11)
    2_000.times do |i|
      name = NAMES[i % NAMES.size]
      sample_rand = rand.rand.round(6)
      expected += 1 if sample_rand < (name.include?("orders") ? 0.5 : 0.1)
      tx = Sentry.start_transaction(name: name, op: "task", custom_sampling_context: { sample_rand: sample_rand })
      tx.finish
    end
    sent = SentryHelpers.transactions
    assert_equal expected, sent.size
    assert_operator expected, :>, 200
    assert_equal 2_000, sampler.stats.dig(:traces, :total)
  end

  def test_custom_sampling_context_rules
    policy = {
      "defaultRate" => 0.0, "genAi" => false,
      "rules" => [{ "id" => "vip", "when" => { "custom" => { "user.tier" => "vip" } }, "rate" => 1 },
                  { "id" => "beta", "when" => { "custom" => { "flags.beta" => true } }, "rate" => 1 }]
    }
    sampler = Tracesieve::TracesSampler.new(policy)
    SentryHelpers.init(traces_sampler: sampler)
    contexts = [{ user: { tier: "vip" } }, { user: { tier: "free" } }, { flags: { beta: true } }, { flags: { beta: "true" } }, {}]
    decided = contexts.map do |custom|
      tx = Sentry.start_transaction(name: "GET /orders", op: "rack.request", custom_sampling_context: custom)
      tx.finish
      tx.sampled
    end
    assert_equal [true, false, true, false, false], decided
    assert_equal 2, SentryHelpers.transactions.size
    assert_equal({ "vip" => 1, "beta" => 1 }, sampler.stats.dig(:traces, :by_rule))
    assert_equal({ "user.tier" => "vip" }, sampler.explain({ transaction_context: {}, user: { tier: "vip" } })[:custom])
  end

  class MyIgnoredError < StandardError; end
  class PaymentError < StandardError; end

  def test_before_send_on_real_events
    policy = { defaultRate: 1, errors: { defaultRate: 1,
                                         rules: [{ id: "ignored", when: { exception: "MyIgnoredError" }, rate: 0 },
                                                 { id: "warnings", when: { level: "warning" }, rate: 0 },
                                                 { id: "tenant", when: { tags: { tenant: "noisy" } }, rate: 0 }] } }
    hook = Tracesieve::BeforeSend.new(policy)
    SentryHelpers.init(before_send: hook)
    [MyIgnoredError, PaymentError].each do |cls|
      raise cls, "boom"
    rescue StandardError => e
      Sentry.capture_exception(e)
    end
    Sentry.capture_message("disk almost full", level: :warning)
    Sentry.capture_message("hello")
    Sentry.with_scope do |scope|
      scope.set_tags(tenant: "noisy")
      Sentry.capture_message("from a noisy tenant")
    end
    events = SentryHelpers.events
    assert_equal ["TestSentryRuby::PaymentError", "hello"],
                 events.map { |e| e.dig("exception", "values", -1, "type") || e["message"] }
    assert_equal({ "ignored" => 1, "warnings" => 1, "tenant" => 1 }, hook.stats.dig(:errors, :by_rule))
    assert_equal 0, hook.stats[:fallbacks]
  end
end
