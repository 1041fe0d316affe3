# frozen_string_literal: true

# Runs the first ```ruby block of a README (argv[0]) as written, in an empty directory, with
# the installed gem, and checks every `# => value` comment against what the line printed.
require "open3"
require "tmpdir"

readme = File.read(ARGV.fetch(0))
code = readme[/```ruby\n(.*?)```/m, 1] or abort "no ```ruby block in #{ARGV[0]}"
expected = code.lines.grep(/\bputs\b.*# => /).map { |l| l[/# => (.*)$/, 1].strip }
abort "the quick start checks nothing" if expected.empty?

out, err, status = Dir.mktmpdir do |dir|
  Open3.capture3({ "SENTRY_DSN" => nil }, "ruby", "-W0", "-e", code, chdir: dir)
end
abort "the quick start failed:\n#{err}" unless status.success?
got = out.lines.map(&:strip)
abort "expected #{expected.inspect}, got #{got.inspect}" unless got == expected
gem_dir = `ruby -e 'print Gem.loaded_specs.fetch("tracesieve", nil)&.full_gem_path || $LOADED_FEATURES.grep(/tracesieve_ext/).first.to_s' -rtracesieve`
abort "tracesieve was not loaded from GEM_HOME (#{gem_dir})" unless gem_dir.start_with?(ENV.fetch("GEM_HOME"))
puts "README quick start: #{expected.size} results as written, tracesieve from #{gem_dir}"
