# frozen_string_literal: true

# Runs the first ```ruby block of a README (argv[0]) as written, in an empty directory, with
# the installed gem. A block with `# => value` comments is checked line by line against what
# it printed; a block without them only configures the SDK: it runs beside the README's
# `sampling.json` (the bundled policy), and the sampler it configured must decide by it.
require "open3"
require "tmpdir"
require "fileutils"

CHECK = <<~RUBY
  sampler = Sentry.configuration.traces_sampler
  raise "not a tracesieve sampler: \#{sampler.class}" unless sampler.is_a?(Tracesieve::TracesSampler)
  puts sampler.call({ transaction_context: { name: "/api/chat", op: "rack.request" } })
  puts sampler.call({ transaction_context: { name: "/healthz", op: "rack.request" } })
RUBY

readme = File.read(ARGV.fetch(0))
code = readme[/```ruby\n(.*?)```/m, 1] or abort "no ```ruby block in #{ARGV[0]}"
expected = code.lines.grep(/\bputs\b.*# => /).map { |l| l[/# => (.*)$/, 1].strip }
if expected.empty?
  abort "the quick start neither prints results nor configures Sentry" unless code.include?("Sentry.init")
  code += CHECK
  expected = %w[1.0 0.0]
end
policy = File.expand_path("../../examples/policy.json", __dir__)

out, err, status = Dir.mktmpdir do |dir|
  FileUtils.cp(policy, File.join(dir, "sampling.json")) unless code.include?("File.write(\"sampling.json\"")
  Open3.capture3({ "SENTRY_DSN" => nil }, "ruby", "-W0", "-e", code, chdir: dir)
end
abort "the quick start failed:\n#{err}" unless status.success?
got = out.lines.map(&:strip)
abort "expected #{expected.inspect}, got #{got.inspect}" unless got == expected
gem_dir = `ruby -e 'print Gem.loaded_specs.fetch("tracesieve", nil)&.full_gem_path || $LOADED_FEATURES.grep(/tracesieve_ext/).first.to_s' -rtracesieve`
abort "tracesieve was not loaded from GEM_HOME (#{gem_dir})" unless gem_dir.start_with?(ENV.fetch("GEM_HOME"))
puts "#{ARGV[0]} quick start: #{expected.size} results as written, tracesieve from #{gem_dir}"
