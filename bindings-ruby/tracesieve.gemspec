# frozen_string_literal: true

# The tracesieve gem: a source gem whose extension cargo compiles at install time.
# `make gem-ruby` builds it from a staged copy of this folder with the core crate vendored
# (ext/tracesieve/vendor/tracesieve), so the gem builds outside the repository.
Gem::Specification.new do |s|
  s.name = "tracesieve"
  s.version = File.read(File.join(__dir__, "ext/tracesieve/Cargo.toml"))[/^version = "([^"]+)"/, 1]
  s.summary = "One declarative sampling policy for sentry-ruby (traces_sampler, before_send), backed by Rust."
  s.description = "Tracesieve::TracesSampler and Tracesieve::BeforeSend decide Sentry traces and error " \
                  "events from one JSON policy, with the same Rust core as tracesieve's JavaScript and Python packages."
  s.authors = ["tracesieve developers"]
  s.licenses = ["MIT", "Apache-2.0"]
  s.homepage = "https://github.com/tracesieve/tracesieve"
  s.required_ruby_version = ">= 3.0"
  s.metadata = { "rubygems_mfa_required" => "true" }
  s.files = Dir.chdir(__dir__) do
    Dir["lib/**/*.rb", "README.md", "LICENSE-MIT", "LICENSE-APACHE", "policy.schema.json", "ext/tracesieve/{extconf.rb,Cargo.toml,Cargo.lock}", "ext/tracesieve/src/**/*.rs",
        "ext/tracesieve/vendor/**/*"].reject { |f| File.directory?(f) || f.include?("/target/") }
  end
  s.extensions = ["ext/tracesieve/extconf.rb"]
  s.require_paths = ["lib"]
end
