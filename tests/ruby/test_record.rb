# frozen_string_literal: true

require "minitest/autorun"
require "tmpdir"
require "open3"

# Recording real roots: TracesSampler.new(policy, record: ...) under the real sentry-ruby
# writes one traffic line per root; `tracesieve simulate` (the Rust binary, target/release)
# on the recorded file keeps exactly the roots sentry-ruby kept. record_rate and max_bytes
# are honoured; data the policy does not read never reaches a line.
require_relative "sentry_helpers"

class TestRecord < Minitest::Test
  BIN = ENV.fetch("TRACESIEVE_BIN", File.join(REPO, "target", "release", "tracesieve"))
  POLICY_FILE = File.join(REPO, "examples", "policy.json")
  POLICY = JSON.parse(File.read(POLICY_FILE))
  SECRET = "alice@example.com"
  PATHS = ["/api/orders/7", "/healthz", "/payment/checkout", "/search", "/api/chat", "/api/other"].freeze

  def simulate(traffic)
    out, err, status = Open3.capture3(BIN, "simulate", "--format", "json", POLICY_FILE, traffic)
    assert status.success?, err
    JSON.parse(out)
  end

  def lines(path)
    File.readlines(path, chomp: true).reject(&:empty?)
  end

  # A Rack root as sentry-ruby 5.3 starts it, with the trace's sample_rand passed through the
  # custom sampling context (5.3 has none of its own).
  def root(index, rand)
    path = PATHS[index % PATHS.size]
    env = { "PATH_INFO" => path, "REQUEST_METHOD" => "GET", "HTTP_COOKIE" => SECRET }
    op = (index % 17).zero? ? "gen_ai.chat" : "rack.request"
    tx = Sentry.start_transaction(name: path, op: op,
                                  custom_sampling_context: { env: env, user: { email: SECRET, tier: "pro" }, sample_rand: rand })
    tx&.finish
  end

  def test_roots_recorded_under_sentry_ruby_simulate_keeps_what_sentry_ruby_kept
    Dir.mktmpdir do |dir|
      file = File.join(dir, "roots.jsonl")
      record = Tracesieve.record_to_file(file)
      sampler = Tracesieve::TracesSampler.new(POLICY, record: record, record_keys: { custom: ["user.tier"] })
      SentryHelpers.init(traces_sampler: sampler)
      rand = Random.new(11)
      n = 3000
      n.times { |i| root(i, rand.rand) }
      record.close
      kept = SentryHelpers.transactions.size
      recorded = lines(file)
      assert_equal n, recorded.size, "one line per root"
      first = JSON.parse(recorded[0])
      assert_equal "gen_ai.chat", first["op"]
      assert_equal "genAi", first.dig("decision", "reason")
      second = JSON.parse(recorded[1])
      assert_equal "/healthz", second["path"]
      assert_equal "GET", second["method"]
      assert_equal "pro", second.dig("custom", "user.tier"), "a key the user lists is recorded"
      assert_kind_of Float, second["sampleRand"]
      text = File.read(file)
      refute_includes text, SECRET, "nothing the policy does not read"
      refute_includes text, "HTTP_COOKIE"
      report = simulate(file)
      assert_equal n, report["roots"]
      assert_equal kept, report["kept"]
      assert_operator kept, :>, 0
      assert_operator kept, :<, n
    end
  end

  def context(index)
    { transaction_context: { name: "/x/#{index}", op: "rack.request" },
      env: { "PATH_INFO" => "/x/#{index}", "REQUEST_METHOD" => "GET", "HTTP_COOKIE" => SECRET } }
  end

  def test_record_rate_and_max_bytes
    plain = Tracesieve::TracesSampler.new(POLICY)
    Dir.mktmpdir do |dir|
      sampled = File.join(dir, "sampled.jsonl")
      record = Tracesieve.record_to_file(sampled, record_rate: 0.25)
      sampler = Tracesieve::TracesSampler.new(POLICY, record: record)
      400.times { |i| assert_equal plain.call(context(i)), sampler.call(context(i)), "recording never changes a rate" }
      record.close
      assert_equal 100, lines(sampled).size
      assert_equal 100, simulate(sampled)["roots"]

      bounded = File.join(dir, "bounded.jsonl")
      small = Tracesieve.record_to_file(bounded, max_bytes: 2000)
      sampler = Tracesieve::TracesSampler.new(POLICY, record: small)
      400.times { |i| sampler.call(context(i)) }
      small.close
      size = File.size(bounded)
      assert_operator size, :>, 1000
      assert_operator size, :<=, 2000
      assert(lines(bounded).all? { |line| JSON.parse(line)["name"].start_with?("/x/") })
      refute_includes File.read(bounded), SECRET
    end
  end

  def test_a_raising_recorder_never_changes_a_decision
    broken = ->(_line) { raise IOError, "disk full" }
    sampler = Tracesieve::TracesSampler.new(POLICY, record: broken)
    assert_equal Tracesieve::TracesSampler.new(POLICY).call(context(0)), sampler.call(context(0))
    health = { transaction_context: { name: "/healthz" }, env: { "PATH_INFO" => "/healthz" } }
    assert_equal 0.0, sampler.call(health)
    assert_raises(ArgumentError) { Tracesieve::TracesSampler.new(POLICY, record: broken, record_rate: 2) }
  end
end
