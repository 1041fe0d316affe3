# frozen_string_literal: true

# `make demo`'s Ruby column: the bundled policy on the bundled traffic, through the real
# sentry-ruby 5.3, counted from the envelopes it sends (target/demo/ruby.json).
require_relative "../../tests/ruby/traffic"
require "fileutils"

sampler = Tracesieve::TracesSampler.new(Traffic::POLICY)
row_of = {}
row = lambda do |explained|
  explained[:rule_id] || { "parent" => "(parent)", "forced" => "(forced)" }.fetch(explained[:reason], "(default)")
end
SentryHelpers.init(traces_sampler: lambda do |ctx|
  row_of[ctx[:transaction_context][:trace_id]] = row.call(sampler.explain(ctx))
  sampler.call(ctx)
end)
lines = Traffic.lines
lines.each { |line| Traffic.run_root(line) }
kept = Hash.new(0)
SentryHelpers.transactions.each { |t| kept[row_of.fetch(t.dig("contexts", "trace", "trace_id"), "(unknown)")] += 1 }
out = File.join(REPO, "target", "demo")
FileUtils.mkdir_p(out)
column = { "column" => "ruby (sentry-ruby #{Sentry::VERSION})", "kept" => kept.sort.to_h }
File.write(File.join(out, "ruby.json"), "#{JSON.pretty_generate(column)}\n")
puts "ruby: #{lines.size} roots through sentry-ruby #{Sentry::VERSION}, #{sampler.stats.dig(:traces, :total)} decided, " \
     "#{kept.values.sum} sent -> target/demo/ruby.json"
