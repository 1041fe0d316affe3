# frozen_string_literal: true

# Shared by the Ruby suite (`make test-ruby`): the built extension comes first on the load
# path (target/ruby/lib, where `make build-ruby` puts it), then the gem's Ruby code.
REPO = File.expand_path("../..", __dir__)
$LOAD_PATH.unshift(File.join(REPO, "bindings-ruby", "lib"))
$LOAD_PATH.unshift(ENV.fetch("TRACESIEVE_RUBY_EXT_DIR", File.join(REPO, "target", "ruby", "lib")))

require "json"
require "tracesieve"

module Helpers
  # A Hash with Symbol keys, as sentry-ruby builds contexts; String keys kept inside :env
  # (the Rack env) and under `keep` keys.
  def self.symbolize(value, keep_strings: false)
    case value
    when Hash
      value.each_with_object({}) do |(k, v), out|
        key = keep_strings ? k : k.to_sym
        out[key] = symbolize(v, keep_strings: keep_strings || k == "env")
      end
    when Array then value.map { |v| symbolize(v, keep_strings: keep_strings) }
    else value
    end
  end

  # The class named `name` ("A::B"), defined as a StandardError subclass if missing.
  def self.exception_class(name)
    parts = name.split("::")
    parts[0...-1].reduce(Object) do |mod, part|
      mod.const_defined?(part, false) ? mod.const_get(part, false) : mod.const_set(part, Module.new)
    end.then do |mod|
      last = parts.last
      mod.const_defined?(last, false) ? mod.const_get(last, false) : mod.const_set(last, Class.new(StandardError))
    end
  end
end
