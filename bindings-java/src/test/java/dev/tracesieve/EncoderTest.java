package dev.tracesieve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The encoder's UTF-8 is byte for byte {@code String.getBytes(UTF_8)}, surrogates included. */
class EncoderTest {
  static void same(String s) {
    Encoder e = new Encoder();
    int n = e.putUtf8(s);
    assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(e.bytes(), n), s);
  }

  @Test
  void likeGetBytes() {
    for (String s : new String[] {"", "GET /payment", "café", "€uro", "日本語", "😀 ok", "\uD83D", "\uDE00x", "a\uD83D\uD83Db",
        "\u007F\u0080\u07FF\u0800\uFFFF", "é/ascii after"}) {
      same(s);
    }
    Random r = new Random(15);
    // Random strings over every UTF-16 unit, mostly below 0x800, some surrogates, paired or not.
    for (int k = 0; k < 20_000; k++) {
      char[] cs = new char[r.nextInt(40)];
      for (int i = 0; i < cs.length; i++) {
        int pick = r.nextInt(8);
        cs[i] = (char) (pick < 4 ? r.nextInt(0x80) : pick < 6 ? r.nextInt(0x800) : pick < 7 ? 0xD800 + r.nextInt(0x800) : r.nextInt(0x10000));
      }
      same(new String(cs));
    }
  }

  @Test
  void growsTheBuffer() {
    char[] big = new char[100_000];
    Arrays.fill(big, 'é');
    same(new String(big));
  }
}
