# The Java package (bindings-java, Maven: dev.tracesieve:tracesieve): tracesieve.wasm (from
# bindings-wasm/wasm-abi.mk) as a jar resource run by Chicory. Included by the top Makefile.

SETUP_TARGETS += setup-java
TEST_TARGETS += test-java
DEMO_TARGETS += demo-java
BENCH_TARGETS += bench-java

JAVA_DIR := bindings-java
MVN := mvn -B -q
JAVA_CP_FILE := $(JAVA_DIR)/target/classpath.txt
JAVA_RUN = java -cp "$(JAVA_DIR)/target/classes:$(JAVA_DIR)/target/test-classes:$$(cat $(JAVA_CP_FILE))"

.PHONY: setup-java build-java test-java bench-java demo-java

setup-java: setup-wasm-abi ## Java: check the JDK and Maven; download the pinned dependencies (~/.m2)
	@command -v java >/dev/null && command -v mvn >/dev/null || { echo "setup-java needs a JDK (11+) and Maven: apt-get install -y openjdk-17-jdk-headless maven"; exit 1; }
	cd $(JAVA_DIR) && $(MVN) dependency:resolve dependency:resolve-plugins

build-java: build-wasm-abi ## Build the jar (bindings-java/target/tracesieve-*.jar) with tracesieve.wasm inside
	cd $(JAVA_DIR) && $(MVN) package -DskipTests
	cd $(JAVA_DIR) && $(MVN) test-compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=test

test-java: setup-java build-java differential-cases ## Java: every vector, the real sentry-java, the HTTP server, hostile contexts, threads (JDK 17, then the newest JDK 22+ under /usr/lib/jvm)
	@mkdir -p $(TEST_LOGS)
	cd $(JAVA_DIR) && mvn -B test 2>&1 | tee ../$(TEST_LOGS)/java.log | grep -E "Tests run:|FAIL|BUILD"
	@if [ -n "$(JDK_NEW)" ]; then echo "again on $(JDK_NEW)"; \
	  cd $(JAVA_DIR) && mvn -B surefire:test -Djvm=$(JDK_NEW)/bin/java 2>&1 | tee ../$(TEST_LOGS)/java-new-jdk.log | grep -E "Tests run:|FAIL|BUILD"; \
	else echo "no JDK 22+ under /usr/lib/jvm: the suite ran on $$(java -version 2>&1 | head -1) only"; fi

bench-java: setup-java build-java ## Java: per decision vs the seed's hand-written callback; startTransaction throughput
	$(JAVA_RUN) dev.tracesieve.Bench

demo-java: setup-java build-java ## The demo's Java column (through the real sentry-java)
	$(JAVA_RUN) dev.tracesieve.Demo $(CURDIR)

# The newest JDK under /usr/lib/jvm that is 22 or later (FFM), if any.
JDK_NEW := $(shell for d in $$(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -V -r); do \
	v=$$($$d/bin/java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p'); \
	[ -n "$$v" ] && [ "$$v" -ge 22 ] 2>/dev/null && { echo $${d%/}; break; }; done)

.PHONY: profile-java bench-java-ffm
profile-java: setup-java build-java ## Java: where a Chicory decision's time goes (encode, wasm call, pool)
	$(JAVA_RUN) dev.tracesieve.Profile

bench-java-ffm: setup-java build-java ## Java 22+: the same encoder and one FFM downcall into the core as a native library, vs Chicory
	@[ -n "$(JDK_NEW)" ] || { echo "bench-java-ffm needs a JDK 22+ under /usr/lib/jvm"; exit 1; }
	$(CARGO) build --release -p tracesieve-wasm-abi --lib
	@mkdir -p $(JAVA_DIR)/target/ffm-classes
	$(JDK_NEW)/bin/javac -d $(JAVA_DIR)/target/ffm-classes -cp "$(JAVA_DIR)/target/classes:$(JAVA_DIR)/target/test-classes:$$(cat $(JAVA_CP_FILE))" $(JAVA_DIR)/src/ffm/java/dev/tracesieve/FfmBench.java
	$(JDK_NEW)/bin/java --enable-native-access=ALL-UNNAMED -cp "$(JAVA_DIR)/target/ffm-classes:$(JAVA_DIR)/target/classes:$(JAVA_DIR)/target/test-classes:$$(cat $(JAVA_CP_FILE))" dev.tracesieve.FfmBench $(CURDIR)/target/release/libtracesieve_abi.so
