# The Java package (bindings-java, Maven: dev.tracesieve:tracesieve): tracesieve.wasm (from
# bindings-wasm/wasm-abi.mk) as a jar resource run by Chicory; and, when a JDK 22+ is
# installed under /usr/lib/jvm (JDK_NEW), the FFM backend: src/main/java22 compiled by that
# JDK's javac into the jar's META-INF/versions/22 (a multi-release jar; Maven's -Djdk.new
# profile) and the core as a native library for this platform, bundled as
# dev/tracesieve/natives/<os>-<arch>/. Included by the top Makefile.

SETUP_TARGETS += setup-java
TEST_TARGETS += test-java
DEMO_TARGETS += demo-java
BENCH_TARGETS += bench-java

JAVA_DIR := bindings-java
# The newest JDK under /usr/lib/jvm that is 22 or later (FFM), if any.
JDK_NEW := $(shell for d in $$(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do \
	v=$$($$d/bin/java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p'); \
	[ -n "$$v" ] && [ "$$v" -ge 22 ] 2>/dev/null && { echo $${d%/}; break; }; done)
MVN := mvn -B -q
JAVA_CP_FILE := $(JAVA_DIR)/target/classpath.txt
# The tools (tools/java: bench, demo, profile), compiled by build-java-tools against the tests' classes.
JAVA_TOOLS := $(JAVA_DIR)/target/tool-classes
JAVA_RUN = java -cp "$(JAVA_DIR)/target/classes:$(JAVA_TOOLS):$(JAVA_DIR)/target/test-classes:$$(cat $(JAVA_CP_FILE))"
JAVA_JAR := $(JAVA_DIR)/target/tracesieve-0.1.0.jar
JAVA_TEST_CP = $(JAVA_DIR)/target/test-classes:$$(cat $(JAVA_CP_FILE))
# The benchmarks and profile: on JDK_NEW from the multi-release jar (FFM and Chicory) when
# there is one, else on the default JDK from the classes (Chicory).
JAVA_RUN_BEST = $(if $(JDK_NEW),$(JDK_NEW)/bin/java --enable-native-access=ALL-UNNAMED -cp "$(JAVA_JAR),java -cp "$(JAVA_DIR)/target/classes):$(JAVA_TOOLS):$(JAVA_DIR)/target/test-classes:$$(cat $(JAVA_CP_FILE))"

.PHONY: setup-java build-java test-java bench-java demo-java

setup-java: setup-wasm-abi ## Java: check the JDK and Maven; download the pinned dependencies (~/.m2); with a JDK 22+, the native cross-builders (optional)
	@command -v java >/dev/null && command -v mvn >/dev/null || { echo "setup-java needs a JDK (11+) and Maven: apt-get install -y openjdk-17-jdk-headless maven"; exit 1; }
	cd $(JAVA_DIR) && $(MVN) dependency:resolve dependency:resolve-plugins

build-java: build-wasm-abi $(if $(JDK_NEW),java-natives) ## Build the jar (bindings-java/target/tracesieve-*.jar): tracesieve.wasm, and with a JDK 22+ the FFM backend and the native cores (linux x86_64, aarch64)
	cd $(JAVA_DIR) && $(MVN) package -DskipTests $(JAVA_MVN_FLAGS)
	cd $(JAVA_DIR) && $(MVN) test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test $(JAVA_MVN_FLAGS)

# The core as a native library for the FFM backend: cargo release (LTO), symbols stripped, in
# a target directory of its own, cross-built with cargo-zigbuild (setup-zig) for linux-x86_64
# and linux-aarch64 against glibc 2.17 (any glibc distribution of the last decade).
JAVA_MVN_FLAGS = $(if $(JDK_NEW),-Djdk.new=$(JDK_NEW))
NATIVE_SOURCES := $(shell find core/src bindings-js/common/src bindings-wasm/src -name '*.rs') \
	core/Cargo.toml bindings-js/common/Cargo.toml bindings-wasm/Cargo.toml

.PHONY: java-natives
java-natives: target/natives/linux-x86_64/libtracesieve_abi.so target/natives/linux-aarch64/libtracesieve_abi.so

target/natives/linux-x86_64/libtracesieve_abi.so target/natives/linux-aarch64/libtracesieve_abi.so &: $(NATIVE_SOURCES) | setup-zig
	rustup target add aarch64-unknown-linux-gnu
	CARGO_PROFILE_RELEASE_STRIP=true $(ZIG_PATH) $(CARGO) zigbuild --release -p tracesieve-wasm-abi --lib \
	  --target x86_64-unknown-linux-gnu.2.17 --target aarch64-unknown-linux-gnu.2.17 --target-dir target/native-zig
	@mkdir -p target/natives/linux-x86_64 target/natives/linux-aarch64
	cp target/native-zig/x86_64-unknown-linux-gnu/release/libtracesieve_abi.so target/natives/linux-x86_64/
	cp target/native-zig/aarch64-unknown-linux-gnu/release/libtracesieve_abi.so target/natives/linux-aarch64/

# On the default JDK (17) from the classes directory: the Chicory backend. Then on JDK_NEW
# from the multi-release jar: FFM by default (BackendTest asserts it), every vector and the
# hostile and thread tests on both backends. RecordTest runs `tracesieve simulate` (build-cli) on the roots it records.
test-java: setup-java build-java build-java-tools differential-cases rust-canonical build-cli ## Java: every vector, the real sentry-java, the HTTP server, hostile contexts, threads, recording roots (tracesieve simulate on them) (JDK 17 on Chicory, then the newest JDK 22+ under /usr/lib/jvm on FFM and Chicory)
	@mkdir -p $(TEST_LOGS)
	cd $(JAVA_DIR) && mvn -B test $(JAVA_MVN_FLAGS) 2>&1 | tee ../$(TEST_LOGS)/java.log | grep -E "Tests run:|FAIL|BUILD"
	@if [ -n "$(JDK_NEW)" ]; then echo "again on $(JDK_NEW), from the jar (FFM)"; \
	  cd $(JAVA_DIR) && mvn -B surefire:test $(JAVA_MVN_FLAGS) -Djvm=$(JDK_NEW)/bin/java \
	    -Dtracesieve.test.classes=target/tracesieve-0.1.0.jar -Dtracesieve.test.backend=ffm \
	    -DargLine=--enable-native-access=ALL-UNNAMED 2>&1 | tee ../$(TEST_LOGS)/java-new-jdk.log | grep -E "Tests run:|FAIL|BUILD"; \
	  cd .. && echo "the jar's choice in fresh JVMs (the first without --enable-native-access: the JDK warns, FFM works):" && \
	  $(JDK_NEW)/bin/java -cp "$(JAVA_JAR):$(JAVA_TEST_CP)" dev.tracesieve.Which ffm 2>&1 && \
	  $(JDK_NEW)/bin/java -Dos.arch=riscv64 -cp "$(JAVA_JAR):$(JAVA_TEST_CP)" dev.tracesieve.Which chicory && \
	  $(JDK_NEW)/bin/java -Dtracesieve.backend=chicory -cp "$(JAVA_JAR):$(JAVA_TEST_CP)" dev.tracesieve.Which chicory && \
	  java -cp "$(JAVA_JAR):$(JAVA_TEST_CP)" dev.tracesieve.Which chicory; \
	else echo "no JDK 22+ under /usr/lib/jvm: the suite ran on $$(java -version 2>&1 | head -1) only (Chicory)"; fi

.PHONY: build-java-tools
build-java-tools: build-java
	@rm -rf $(JAVA_TOOLS)
	javac -d $(JAVA_TOOLS) -cp "$(JAVA_DIR)/target/classes:$(JAVA_TEST_CP)" tools/java/dev/tracesieve/*.java

bench-java: setup-java build-java-tools ## Java: per decision (FFM, Chicory) vs the seed's hand-written callback; startTransaction throughput
	@uptime
	$(JAVA_RUN_BEST) dev.tracesieve.Bench
	@uptime

demo-java: setup-java build-java-tools ## The demo's Java column (through the real sentry-java)
	$(JAVA_RUN) dev.tracesieve.Demo $(CURDIR)


.PHONY: profile-java
profile-java: setup-java build-java-tools ## Java: where a decision's time goes per backend (encode, the call, the pool)
	$(JAVA_RUN_BEST) dev.tracesieve.Profile
