# frozen_string_literal: true

# The bundled traffic (examples/traffic.jsonl) as real sentry-ruby 5.3 roots: each line a
# transaction continued from the `sentry-trace` header an upstream service would send (when
# there is an upstream decision), its attributes as span data, HTTP roots with their Rack env,
# and the trace's sample_rand in the custom sampling context (5.3 has none of its own:
# bindings-ruby/README.md).
require_relative "sentry_helpers"

module Traffic
  TRAFFIC = File.join(REPO, "examples", "traffic.jsonl")
  POLICY = File.join(REPO, "examples", "policy.json")

  def self.lines
    File.readlines(TRAFFIC).reject { |l| l.strip.empty? }.map { |l| JSON.parse(l) }
  end

  def self.custom_context(line)
    custom = { sample_rand: line["sampleRand"] }
    if line["path"]
      path, query = line["path"].split("?", 2)
      custom[:env] = { "REQUEST_METHOD" => line["method"], "SCRIPT_NAME" => "", "PATH_INFO" => path,
                       "QUERY_STRING" => query.to_s, "HTTP_USER_AGENT" => "traffic/1.0" }
    end
    custom
  end

  # Starts and finishes the root of one traffic line.
  def self.run_root(line)
    trace_id = line.fetch("traceId")
    parent = line["parent"]
    options = { name: line["name"], op: line["op"] }
    tx = if parent
           header = "#{trace_id}-#{trace_id[16..]}-#{parent['sampled'] ? 1 : 0}"
           Sentry::Transaction.from_sentry_trace(header, **options)
         else
           Sentry::Transaction.new(trace_id: trace_id, hub: Sentry.get_current_hub, **options)
         end
    line["attributes"].each { |k, v| tx.set_data(k, v) }
    Sentry.start_transaction(transaction: tx, custom_sampling_context: custom_context(line)).finish
  end

  # The sampling contexts sentry-ruby passes to traces_sampler for these lines.
  def self.sampling_contexts(lines)
    seen = []
    SentryHelpers.init(traces_sampler: ->(ctx) { seen << ctx && 0.0 })
    lines.each { |line| run_root(line) }
    seen
  end
end
