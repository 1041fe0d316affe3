# frozen_string_literal: true

# `make bench-ruby`: TracesSampler against the seed's hand-written traces_sampler (the
# "orders" lambda of seeds/002), per call, on the same 10,000 sampling contexts recorded from
# the real sentry-ruby 5.3 (the bundled traffic, cycled). The policy is the lambda's
# translation; both give the same rate for every context (checked first). Passes are
# interleaved, REPEATS rounds; per function the best pass (CPU time of this thread) over
# 10,000 calls, and the median of its pass time over the lambda's in the same round.
# Exit status 1 when TracesSampler is slower than the lambda (paired median ratio > 1).
require_relative "../../tests/ruby/traffic"
require_relative "../../tests/ruby/seed_sampler"

N = 10_000
REPEATS = 21

SEED_SAMPLER = SeedSampler::LAMBDA
SEED_POLICY = SeedSampler::POLICY

contexts = Traffic.sampling_contexts(Traffic.lines).map { |c| c.reject { |k, _| k == :sample_rand } }
contexts = contexts.cycle.first(N)
sampler = Tracesieve::TracesSampler.new(SEED_POLICY)
bundled = Tracesieve::TracesSampler.new(Traffic::POLICY)
differ = contexts.count { |c| SEED_SAMPLER.call(c) != sampler.call(c) }
abort "#{differ} contexts decided differently" unless differ.zero?

fns = { "hand-written (seed)" => SEED_SAMPLER, "TracesSampler (equivalent policy)" => sampler,
        "TracesSampler (examples/policy.json)" => bundled }
passes = fns.transform_values { [] }
clock = Process::CLOCK_THREAD_CPUTIME_ID
GC.start
REPEATS.times do
  fns.each do |name, fn|
    start = Process.clock_gettime(clock, :nanosecond)
    i = 0
    while i < N
      fn.call(contexts[i])
      i += 1
    end
    passes[name] << Process.clock_gettime(clock, :nanosecond) - start
  end
end
base = passes.fetch("hand-written (seed)")
median = ->(xs) { xs.sort[xs.size / 2] }
puts "Ruby #{RUBY_VERSION}, sentry-ruby #{Sentry::VERSION}, #{N} contexts recorded from sentry-ruby, best of #{REPEATS} (CPU time)"
puts format("%-38s %10s %22s", "sampler", "ns/call", "vs hand-written")
ratio = {}
passes.each do |name, ps|
  ratio[name] = median.call(ps.zip(base).map { |t, b| t.to_f / b })
  puts format("%-38s %10.0f %21.2fx", name, ps.min.to_f / N, ratio[name])
end
exit(ratio.fetch("TracesSampler (equivalent policy)") <= 1.0 ? 0 : 1)
