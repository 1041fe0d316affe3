# frozen_string_literal: true

# Builds the tracesieve extension with cargo (no rb_sys gem needed): writes a Makefile whose
# `all` runs `cargo build --release` and whose `install` puts tracesieve/tracesieve_ext.<so>
# where RubyGems (or `make install`) wants it.
require "rbconfig"
require "shellwords"

cargo = ENV.fetch("CARGO", "cargo")
unless system(cargo, "--version", out: File::NULL, err: File::NULL)
  abort "tracesieve: building the extension needs cargo (Rust 1.85 or later, https://rustup.rs), " \
        "and libclang for rb-sys (Debian: apt-get install libclang-dev ruby-dev)"
end

here = File.expand_path(__dir__)
dlext = RbConfig::CONFIG.fetch("DLEXT")
target_dir = ENV.fetch("CARGO_TARGET_DIR", File.join(here, "target"))
built = File.join(target_dir, "release", "libtracesieve_ext.#{RbConfig::CONFIG['host_os'] =~ /darwin/ ? 'dylib' : 'so'}")
sitearchdir = RbConfig::CONFIG.fetch("sitearchdir")
q = ->(s) { Shellwords.escape(s) }

File.write("Makefile", <<~MAKE)
  sitearchdir ?= #{q[sitearchdir]}
  DESTDIR ?=

  all: tracesieve_ext.#{dlext}

  tracesieve_ext.#{dlext}: FORCE
  \tRUBY=#{q[RbConfig.ruby]} #{q[cargo]} build --release --manifest-path #{q[File.join(here, 'Cargo.toml')]} --target-dir #{q[target_dir]}
  \tcp #{q[built]} tracesieve_ext.#{dlext}

  install: tracesieve_ext.#{dlext}
  \tmkdir -p $(DESTDIR)$(sitearchdir)/tracesieve
  \tcp tracesieve_ext.#{dlext} $(DESTDIR)$(sitearchdir)/tracesieve/

  clean:
  \trm -f tracesieve_ext.#{dlext}

  FORCE:
  .PHONY: all install clean FORCE
MAKE
