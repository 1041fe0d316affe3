package dev.tracesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * bindings-java/README.md's quick starts, run as written: each {@code java} block is compiled
 * from the README's text (the plain Java one wrapped in a main, the Spring Boot one as a file
 * with its imports); the Spring Boot one is the sampler of {@link HttpServerTest}.
 */
class ReadmeTest {
  /** The README's {@code java} code blocks, in order. */
  static List<String> blocks() throws IOException {
    String text = new String(Files.readAllBytes(Paths.get("README.md")), StandardCharsets.UTF_8);
    String[] parts = text.split("```java\n");
    List<String> out = new ArrayList<>();
    for (int i = 1; i < parts.length; i++) {
      out.add(parts[i].substring(0, parts[i].indexOf("```")));
    }
    return out;
  }

  /** Compiles {@code source} as {@code name}.java into a fresh directory: that directory. */
  static Path compile(String name, String source) throws IOException {
    Path dir = Files.createTempDirectory("tracesieve-readme");
    Path file = dir.resolve(name + ".java");
    Files.write(file, source.getBytes(StandardCharsets.UTF_8));
    int rc = ToolProvider.getSystemJavaCompiler()
        .run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d", dir.toString(), file.toString());
    assertEquals(0, rc, "the README's block does not compile:\n" + source);
    return dir;
  }

  /** The README's Spring Boot block, compiled with the imports it names: the class {@code Sampling}. */
  static Class<?> springBootQuickStart() throws Exception {
    String block = blocks().get(1);
    String source = "import dev.tracesieve.ErrorSampler;\nimport dev.tracesieve.TracesSampler;\n"
        + "import io.sentry.SentryOptions;\nimport org.springframework.context.annotation.Bean;\n"
        + "import org.springframework.context.annotation.Configuration;\n" + block;
    Path dir = compile("Sampling", source);
    URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, ReadmeTest.class.getClassLoader());
    return loader.loadClass("Sampling");
  }

  @Test
  void plainJavaQuickStartRunsAsWritten() throws Exception {
    String block = blocks().get(0);
    String imports = block.lines().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
    String body = block.lines().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n"));
    String source = imports + "\npublic class QuickStart {\n  public static void main(String[] args) throws Exception {\n"
        + body + "\n    System.out.println(\"enabled \" + Sentry.isEnabled() + \" rate \" + sampler.defaultRate());\n"
        + "    Sentry.close();\n  }\n}\n";
    Path dir = compile("QuickStart", source);
    // Run where the README's tracesieve.json is: a fresh working directory.
    Files.copy(Paths.get("src/test/resources/http-policy.json"), dir.resolve("tracesieve.json"));
    ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        dir + File.pathSeparator + System.getProperty("java.class.path"), "QuickStart")
        .directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("SENTRY_DSN", "https://key@localhost/1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertTrue(out.contains("enabled true rate 0.0"), out);
  }

  @Test
  void recordingQuickStartWritesItsFile() throws Exception {
    String block = blocks().get(2);
    assertTrue(block.contains("Recorder.toFile"), block);
    String imports = block.lines().filter(l -> l.startsWith("import ")).collect(Collectors.joining("\n"));
    String body = block.lines().filter(l -> !l.startsWith("import ")).collect(Collectors.joining("\n"));
    String source = imports + "\npublic class Recording {\n  public static void main(String[] args) throws Exception {\n"
        + body + "\n    for (int i = 0; i < 25; i++) {\n      Sentry.startTransaction(\"GET /a\", \"http.server\").finish();\n    }\n"
        + "    recorder.close();\n    Sentry.close();\n  }\n}\n";
    Path dir = compile("Recording", source);
    Files.copy(Paths.get("src/test/resources/http-policy.json"), dir.resolve("tracesieve.json"));
    ProcessBuilder pb = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
        dir + File.pathSeparator + System.getProperty("java.class.path"), "Recording")
        .directory(dir.toFile()).redirectErrorStream(true);
    pb.environment().put("SENTRY_DSN", "https://key@localhost/1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    List<String> lines = Files.readAllLines(dir.resolve("roots.jsonl"), StandardCharsets.UTF_8);
    assertEquals(2, lines.size(), "every 10th of 25 roots: " + lines);
    assertTrue(lines.get(0).startsWith("{\"name\":\"GET /a\""), lines.get(0));
  }
}
