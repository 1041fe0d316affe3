package dev.tracesieve;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/**
 * The repository README's Java quick start is bindings-java/README.md's plain Java one, which
 * {@link ReadmeTest} compiles and runs as written: the two cannot drift apart.
 */
class TopReadmeTest {
  @Test
  void topReadmeJavaBlockIsThePlainJavaQuickStart() throws Exception {
    String text = new String(Files.readAllBytes(Paths.get("../README.md")), StandardCharsets.UTF_8);
    String[] parts = text.split("```java\n");
    assertEquals(2, parts.length, "README.md should have exactly one java block");
    String block = parts[1].substring(0, parts[1].indexOf("```"));
    assertEquals(ReadmeTest.blocks().get(0), block);
  }
}
