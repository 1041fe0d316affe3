# frozen_string_literal: true

require "minitest/autorun"

# Every conformance vector (tests/vectors/*.json, plus TRACESIEVE_EXTRA_VECTORS) through the
# built extension. Ruby-shaped cases (`"sdk": "ruby"`) are Ruby Hashes with Symbol keys (the
# Rack env keeps String keys), their hint exceptions real exceptions, and they also go
# through the public API (TracesSampler, BeforeSend#explain). The other shapes are the JSON
# as Ruby Hashes, decided by the same core adapters as in every other language.
require_relative "test_helper"
require "tmpdir"

class TestVectors < Minitest::Test
  METHODS = %w[GET POST PUT DELETE PATCH HEAD OPTIONS CONNECT TRACE].freeze
  FILES = (Dir[File.join(REPO, "tests", "vectors", "*.json")].sort +
           ENV.fetch("TRACESIEVE_EXTRA_VECTORS", "").split(":").reject(&:empty?).select { |f| File.exist?(f) }).freeze

  def self.policy_text(doc, c)
    return c["policyText"] if c.key?("policyText")
    return JSON.generate(doc["policies"].fetch(c["policyRef"])) if c.key?("policyRef")

    JSON.generate(c["policy"])
  end

  # A Rust TransactionContext ({name, op, sampled, custom}) in the canonical shape, as
  # core/src/sdk/sentry.rs reads it.
  def self.rust_as_canonical(ctx)
    custom = ctx["custom"] || {}
    name = ctx["name"] || ""
    verb, rest = name.split(" ", 2)
    from_name = METHODS.include?(verb) && rest.to_s.start_with?("/")
    method = custom["http.request.method"]
    path = custom["url.path"]
    {
      "name" => name, "op" => ctx["op"] || "", "attributes" => custom, "custom" => custom,
      "method" => method.is_a?(String) ? method : (from_name || METHODS.include?(name) ? verb : nil),
      "path" => path.is_a?(String) ? path : (from_name ? rest.split(/[?#]/).first : nil),
      "parentSampled" => ctx["sampled"], "parentSampleRate" => custom["sentry.sample_rate"],
      "sampleRand" => custom["sentry.sample_rand"]
    }
  end

  # The Ruby shape as sentry-ruby passes it: Symbol keys, a real exception in the hint.
  def self.ruby_shape(ctx, kind)
    ctx = Helpers.symbolize(ctx)
    return ctx unless kind == "error" && ctx.is_a?(Hash)

    exception = ctx.dig(:hint, :exception)
    if exception.is_a?(Hash) && exception.dig(:class, :name)
      ctx[:hint] = ctx[:hint].merge(exception: Helpers.exception_class(exception.dig(:class, :name)).new("boom"))
    end
    ctx
  end

  def self.cases
    FILES.flat_map do |file|
      doc = JSON.parse(File.read(file))
      doc["cases"].map { |c| [File.basename(file, ".json"), doc, c] }
    end
  end

  def assert_policy_error(text, want)
    error = assert_raises(Tracesieve::PolicyError) do
      if text.lstrip.start_with?("{")
        Tracesieve::TracesSampler.new(text)
      else # not a JSON object: as a file, the other way in
        Dir.mktmpdir { |dir| File.write(File.join(dir, "p.json"), text) && Tracesieve::TracesSampler.new(File.join(dir, "p.json")) }
      end
    end
    assert_includes error.message, want
    refute_empty error.problems
    assert_kind_of ArgumentError, error
  end

  def check(doc, c)
    text = self.class.policy_text(doc, c)
    return assert_policy_error(text, c["expectError"]) if c.key?("expectError")

    kind = c.fetch("kind", "trace")
    sdk = c["sdk"]
    ctx = c["context"]
    case sdk
    when "ruby" then ctx = self.class.ruby_shape(ctx, kind)
    when "rust" then ctx, sdk = self.class.rust_as_canonical(ctx), nil
    end
    expect = c.fetch("expect")
    rate, reason, rule_id, sampled = Tracesieve::Native.vector_decide(text, ctx, sdk, kind, c["sampleRand"])
    assert_equal [expect["rate"], expect["reason"], expect["ruleId"]], [rate, reason, rule_id], c["name"]
    assert_equal expect["sampled"], sampled, c["name"] if expect.key?("sampled")
    check_public(text, ctx, kind, expect) if c["sdk"] == "ruby"
  end

  # Ruby-shaped cases through the public classes too.
  def check_public(text, ctx, kind, expect)
    if kind == "error"
      hook = Tracesieve::BeforeSend.new(text)
      explained = hook.explain(ctx.is_a?(Hash) ? ctx[:event] : ctx, ctx.is_a?(Hash) ? ctx[:hint] : nil)
    else
      sampler = Tracesieve::TracesSampler.new(text)
      explained = sampler.explain(ctx)
      rate = sampler.call(ctx)
      assert_equal sampler.stats.dig(:traces, :total), 1, "explain does not count"
      sampled = explained[:sampled]
      # With the trace's sample_rand in the custom context, sentry-ruby 5.3 gets the decision.
      want = ctx.is_a?(Hash) && ctx.key?(:sample_rand) && !sampled.nil? ? (sampled ? 1.0 : 0.0) : expect["rate"]
      assert_equal want, rate
    end
    assert_equal [expect["rate"], expect["reason"], expect["ruleId"]], explained.values_at(:rate, :reason, :rule_id)
  end

  cases.each_with_index do |(file, doc, c), i|
    define_method("test_#{file}_#{i}_#{c['name'].gsub(/\W+/, '_')}") { check(doc, c) }
  end

  def test_every_vector_file_is_run
    assert_operator FILES.count { |f| File.dirname(f).end_with?("tests/vectors") }, :>=, 12
    assert_operator self.class.cases.size, :>=, 600
    assert(self.class.cases.any? { |_, _, c| c["sdk"] == "ruby" })
  end
end
