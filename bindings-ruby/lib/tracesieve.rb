# frozen_string_literal: true

require "json"

# tracesieve for Ruby: one declarative sampling policy for sentry-ruby, decided by the Rust
# core that every tracesieve package shares.
#
#   Sentry.init do |config|
#     config.traces_sampler = Tracesieve::TracesSampler.new("sampling.json")
#     config.before_send = Tracesieve::BeforeSend.new("sampling.json")
#   end
module Tracesieve
  # One problem of a policy: where it is (a JSON path) and what was expected.
  Problem = Struct.new(:path, :message) do
    def to_s
      "#{path}: #{message}"
    end
  end

  # An invalid policy. The message lists every problem, each with its JSON path, with the
  # same text as every other tracesieve package; #problems has them one by one.
  class PolicyError < ArgumentError
    # @return [Array<Problem>]
    attr_reader :problems

    def initialize(message = "invalid tracesieve policy", problems = [])
      super(message)
      @problems = problems.freeze
    end
  end

  require "tracesieve/tracesieve_ext"

  VERSION = Native::VERSION

  # The environment variable that .from_env reads: a policy file or inline JSON.
  POLICY_ENV = "TRACESIEVE_POLICY"

  # The JSON text of a policy given as a Hash (String or Symbol keys), JSON text (its first
  # non-blank character is "{"), or a path (a String or anything with #to_path).
  def self.policy_text(policy)
    case policy
    when Hash
      begin
        JSON.generate(policy)
      rescue JSON::GeneratorError, JSON::NestingError => e
        raise PolicyError.new("invalid tracesieve policy: cannot be written as JSON (#{e.message})",
                              [Problem.new("", "cannot be written as JSON (#{e.message})")])
      end
    when String
      policy.lstrip.start_with?("{") ? policy : read_policy(policy)
    else
      return read_policy(policy.to_path) if policy.respond_to?(:to_path)

      raise TypeError, "policy must be a path, a JSON string or a Hash, not #{policy.class}"
    end
  end

  def self.read_policy(path)
    File.read(path, encoding: "UTF-8")
  rescue SystemCallError, IOError => e
    raise ArgumentError, "cannot read the tracesieve policy file #{path.inspect}: #{e.message}"
  end

  def self.policy_from_env
    value = ENV.fetch(POLICY_ENV, "")
    raise ArgumentError, "#{POLICY_ENV} is not set: set it to a policy file or inline JSON" if value.strip.empty?

    policy_text(value)
  end
  private_class_method :read_policy

  # `config.traces_sampler` for sentry-ruby: `call(sampling_context)` returns the sample
  # rate, a Float in [0, 1], and never raises. A context it cannot read gives the parent's
  # decision if readable, else the policy's defaultRate, counted as a fallback in #stats.
  #
  # It is a Proc (sentry-ruby 5.x calls traces_sampler only if it is one), safe to share
  # between threads (Puma): the policy is compiled once, the counters are atomic.
  #
  # With `record:`, it also hands roots to that callable as traffic lines (JSON text) for
  # `tracesieve simulate` and `diff`: the canonical fields, the keys the policy reads and the
  # `record_keys` you list (`{attributes: [...], custom: [...]}`), nothing else. Every
  # 1/record_rate-th root is recorded (default: the recorder's #record_rate, else 1.0); the
  # trace's sample_rand is in the line when the context carries it. A recorder that raises
  # never changes a decision. Without `record:`, nothing of this runs.
  class TracesSampler < Proc
    # @param policy [Hash, String, #to_path] a Hash, JSON text, or a path
    # @param record [#call, nil] receives one traffic line (a String) per recorded root
    # @param record_keys [Hash, nil] `{attributes: [String], custom: [String]}` to record too
    # @param record_rate [Float, nil] the share of roots recorded, in [0, 1]
    # @raise [PolicyError] if the policy is invalid
    def self.new(policy, record: nil, record_keys: nil, record_rate: nil)
      keys = record_keys || {}
      engine = Native::Engine.new(Tracesieve.policy_text(policy), Array(keys[:attributes] || keys["attributes"]).map(&:to_s),
                                  Array(keys[:custom] || keys["custom"]).map(&:to_s))
      recorder = record && Recorder.new(engine, record, record_rate)
      sampler = if recorder
                  super() { |sampling_context| recorder.call(sampling_context) }
                else
                  super() { |sampling_context| engine.decide(sampling_context) }
                end
      sampler.instance_variable_set(:@engine, engine)
      sampler.instance_variable_set(:@recorder, recorder)
      sampler
    end

    # The sampler of the policy in TRACESIEVE_POLICY (a path or inline JSON).
    def self.from_env
      new(Tracesieve.policy_from_env)
    end

    # The sample rate for one root.
    def call(sampling_context)
      @recorder ? @recorder.call(sampling_context) : @engine.decide(sampling_context)
    end
    alias [] call
    alias === call
    alias yield call

    # The decision for one root and what was read to make it (not counted).
    def explain(sampling_context)
      @engine.explain(sampling_context)
    end

    # Decision counters: {traces: {total:, by_reason:, by_rule:}, errors: {...}, fallbacks:}.
    def stats
      @engine.stats
    end

    def inspect
      "#<Tracesieve::TracesSampler>"
    end
  end

  # Decides roots and hands every 1/rate-th to a record callable (TracesSampler's record:).
  class Recorder
    def initialize(engine, record, rate)
      rate ||= record.respond_to?(:record_rate) ? record.record_rate : 1.0
      raise ArgumentError, "record_rate must be in [0, 1], not #{rate.inspect}" unless rate.is_a?(Numeric) && rate.between?(0, 1)

      @engine = engine
      @record = record
      @share = rate.to_f
      @seen = 0
      @lock = Mutex.new
    end

    # The rate for one root; records it when its turn comes.
    def call(sampling_context)
      return @engine.decide(sampling_context) unless due?

      rate, line = @engine.decide_record(sampling_context, Time.now.to_f)
      begin
        @record.call(line) if line
      rescue StandardError
        nil # a failing recorder never changes a decision
      end
      rate
    end

    private

    # Every 1/share-th root, by a counter: no random number, no bias by sample_rand.
    def due?
      n = @lock.synchronize { (@seen += 1) - 1 }
      ((n + 1) * @share).floor > (n * @share).floor
    end
  end
  private_constant :Recorder

  # A record callable for TracesSampler that appends each line to the file at `path`,
  # sharing `record_rate` with the sampler and stopping once the file would pass `max_bytes`
  # (counted from its size when opened). Safe from many threads; #close flushes it.
  def self.record_to_file(path, record_rate: 1.0, max_bytes: 64 * 1024 * 1024)
    FileRecorder.new(path, record_rate, max_bytes)
  end

  # See Tracesieve.record_to_file.
  class FileRecorder
    # @return [Float] the share of roots the sampler records
    attr_reader :record_rate

    def initialize(path, record_rate, max_bytes)
      @file = File.open(path, "a")
      @record_rate = record_rate
      @max_bytes = max_bytes
      @size = @file.size
      @lock = Mutex.new
    end

    # Appends one line, unless that would pass max_bytes.
    def call(line)
      @lock.synchronize do
        return if @file.closed? || @size + line.bytesize + 1 > @max_bytes

        @file.write(line, "\n")
        @size += line.bytesize + 1
      end
    end

    def close
      @lock.synchronize { @file.close unless @file.closed? }
    end
  end

  # `config.before_send` for sentry-ruby: `call(event, hint)` returns the event, or nil to
  # drop it, by the policy's `errors` rules (exception class, level, logger, message,
  # tags). Events that carry their trace share that trace's fate. Never raises.
  class BeforeSend
    # @param policy [Hash, String, #to_path] a Hash, JSON text, or a path
    # @raise [PolicyError] if the policy is invalid
    def initialize(policy)
      @engine = Native::Engine.new(Tracesieve.policy_text(policy), [], [])
    end

    # The hook of the policy in TRACESIEVE_POLICY.
    def self.from_env
      new(Tracesieve.policy_from_env)
    end

    # The event, or nil when the policy drops it.
    def call(event, hint = nil)
      @engine.keep_error(event, hint) ? event : nil
    end

    # The decision for one event and what was read to make it (not counted).
    def explain(event, hint = nil)
      @engine.explain_error(event, hint)
    end

    # Decision counters, as TracesSampler#stats.
    def stats
      @engine.stats
    end

    def to_proc
      method(:call).to_proc
    end
  end
end

