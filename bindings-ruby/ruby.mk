# The Ruby gem (bindings-ruby/): included by the top Makefile.
#
# The extension crate (bindings-ruby/ext/tracesieve) is its own cargo workspace: rb-sys
# needs ruby-dev and libclang, which `cargo build --workspace` should not require.
# build-ruby puts the extension in target/ruby/lib (what tests/ruby loads); gem-ruby makes
# the source gem (the core crate vendored) and test-ruby installs it into a clean GEM_HOME.

RB_APT := ruby ruby-dev ruby-sentry-ruby ruby-rack ruby-webrick ruby-minitest libclang-dev
RB_CRATE := bindings-ruby/ext/tracesieve
RB_CARGO := CARGO_TARGET_DIR=$(CURDIR)/target/ruby $(CARGO)
RB_EXT := target/ruby/lib/tracesieve/tracesieve_ext.so
RB_STAGE := target/ruby/gem-stage
RB_GEM_HOME := target/ruby/gem-home
RB := ruby -W0

SETUP_TARGETS += setup-ruby
TEST_TARGETS += test-ruby
DEMO_TARGETS += demo-ruby
BENCH_TARGETS += bench-ruby

.PHONY: setup-ruby build-ruby lint-ruby gem-ruby test-ruby test-ruby-gem bench-ruby demo-ruby

setup-ruby: ## Ruby: Ruby 3.1, sentry-ruby 5.3, Rack, WEBrick, minitest, libclang (Debian packages)
	@missing=$$(for p in $(RB_APT); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "apt-get install $$missing"; \
	  $$( [ $$(id -u) = 0 ] || echo sudo ) apt-get update -q && \
	  DEBIAN_FRONTEND=noninteractive $$( [ $$(id -u) = 0 ] || echo sudo ) apt-get install -y -q $$missing; \
	fi

build-ruby: ## Ruby: build the extension (release) into target/ruby/lib
	$(RB_CARGO) build --release --manifest-path $(RB_CRATE)/Cargo.toml
	@mkdir -p $(dir $(RB_EXT))
	@cp target/ruby/release/libtracesieve_ext.so $(RB_EXT)

lint-ruby: ## Ruby: rustfmt and clippy -D warnings on the extension crate
	$(CARGO) fmt --manifest-path $(RB_CRATE)/Cargo.toml -- --check
	$(RB_CARGO) clippy --manifest-path $(RB_CRATE)/Cargo.toml --all-targets -- -D warnings

gem-ruby: ## Ruby: the source gem (target/ruby/tracesieve-<version>.gem), core crate vendored
	@rm -rf $(RB_STAGE) && mkdir -p $(RB_STAGE)
	@cp -r bindings-ruby/lib bindings-ruby/README.md bindings-ruby/tracesieve.gemspec $(RB_STAGE)/
	@cp LICENSE-MIT LICENSE-APACHE docs/policy.schema.json $(RB_STAGE)/
	@mkdir -p $(RB_STAGE)/ext/tracesieve/vendor
	@cp -r $(RB_CRATE)/extconf.rb $(RB_CRATE)/Cargo.toml $(RB_CRATE)/Cargo.lock $(RB_CRATE)/src $(RB_STAGE)/ext/tracesieve/
	$(CARGO) package -q -p tracesieve --no-verify --allow-dirty --target-dir target/ruby/package
	@tar -xzf target/ruby/package/package/tracesieve-*.crate -C $(RB_STAGE)/ext/tracesieve/vendor
	@mv $(RB_STAGE)/ext/tracesieve/vendor/tracesieve-* $(RB_STAGE)/ext/tracesieve/vendor/tracesieve
	@sed -i 's|path = "../../../core"|path = "vendor/tracesieve"|' $(RB_STAGE)/ext/tracesieve/Cargo.toml
	@grep -q 'path = "vendor/tracesieve"' $(RB_STAGE)/ext/tracesieve/Cargo.toml
	cd $(RB_STAGE) && gem build -q tracesieve.gemspec -o ../tracesieve.gem

test-ruby-gem: gem-ruby ## Ruby: install the gem into a clean GEM_HOME, run the READMEs' quick starts as written
	@rm -rf $(RB_GEM_HOME)
	GEM_HOME=$(CURDIR)/$(RB_GEM_HOME) GEM_PATH=$(CURDIR)/$(RB_GEM_HOME) CARGO_TARGET_DIR=$(CURDIR)/target/ruby/gem-build \
	  gem install --local --no-document target/ruby/tracesieve.gem
	GEM_HOME=$(CURDIR)/$(RB_GEM_HOME) GEM_PATH=$(CURDIR)/$(RB_GEM_HOME):/usr/share/rubygems-integration/all \
	  $(RB) tests/ruby/readme_quickstart.rb bindings-ruby/README.md
	GEM_HOME=$(CURDIR)/$(RB_GEM_HOME) GEM_PATH=$(CURDIR)/$(RB_GEM_HOME):/usr/share/rubygems-integration/all \
	  $(RB) tests/ruby/readme_quickstart.rb README.md

test-ruby: build-ruby lint-ruby differential-cases ## Ruby: vectors, sentry-ruby, Rack/WEBrick, hostile, threads; the gem in a clean GEM_HOME
	@mkdir -p $(TEST_LOGS)
	$(RB) -e 'Dir["tests/ruby/test_*.rb"].sort.each { |f| require File.expand_path(f) }' 2>&1 | tee $(TEST_LOGS)/ruby.log
	@$(MAKE) --no-print-directory test-ruby-gem 2>&1 | tee -a $(TEST_LOGS)/ruby.log

bench-ruby: build-ruby ## Ruby: TracesSampler vs the seed's hand-written lambda, per call, same contexts
	$(RB) tools/ruby/bench.rb

demo-ruby: build-ruby ## Ruby: the demo's column through the real sentry-ruby (target/demo/ruby.json)
	$(RB) tools/ruby/demo.rb
