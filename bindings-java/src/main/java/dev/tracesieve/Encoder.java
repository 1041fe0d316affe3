package dev.tracesieve;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Encodes a Java object graph along a {@link Plan} in the module's wire format: every node read
 * with {@link Access}, a getter that throws or a string too long marks the read failed (the
 * module then falls back and counts it). One per thread ({@link #acquire()}), reused: no
 * allocation per decision.
 */
final class Encoder {
  private static final ThreadLocal<Encoder> LOCAL = ThreadLocal.withInitial(Encoder::new);

  /** In use by a decision of this thread (a getter that decides again gets a fresh encoder). */
  private boolean busy;

  /** This thread's encoder, or a fresh one if it is in use; {@link #release()} it after the call. */
  static Encoder acquire() {
    Encoder e = LOCAL.get();
    if (e.busy) {
      e = new Encoder();
    }
    e.busy = true;
    return e;
  }

  void release() {
    busy = false;
  }

  /** {@link #encode}, or {@link #failed} if encoding throws (a context that cannot be read at all). */
  void encodeOrFail(Plan plan, Object root) {
    try {
      encode(plan, root);
    } catch (Throwable t) {
      failed(plan);
    }
  }

  /** Strings longer than this (in chars) are not copied: the read is marked failed, as the core would. */
  static final int MAX_STR = 64 * 1024;

  private byte[] buf = new byte[512];
  private int len;
  private Object[] values = new Object[16];

  byte[] bytes() {
    return buf;
  }

  int length() {
    return len;
  }

  private void room(int more) {
    if (len + more > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
    }
  }

  private void putInt(int at, int v) {
    buf[at] = (byte) v;
    buf[at + 1] = (byte) (v >>> 8);
    buf[at + 2] = (byte) (v >>> 16);
    buf[at + 3] = (byte) (v >>> 24);
  }

  private void putLong(int at, long v) {
    putInt(at, (int) v);
    putInt(at + 4, (int) (v >>> 32));
  }

  /** Writes string node {@code at}: tag 1, or 0 (a failed read) past {@link #MAX_STR}. */
  private int string(Plan plan, int at, String s) {
    if (s.length() > MAX_STR) {
      return 0;
    }
    int offset = len - plan.headLen;
    putInt(at + 1, offset);
    putInt(at + 5, putUtf8(s));
    return 1;
  }

  /**
   * Appends {@code s} in UTF-8, the same bytes as {@code s.getBytes(UTF_8)} (an unpaired
   * surrogate is {@code '?'}) without allocating: its length in bytes.
   */
  int putUtf8(String s) {
    int n = s.length();
    room(n);
    int start = len;
    int i = 0;
    // The common case, ASCII: one byte a char.
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c >= 0x80) {
        break;
      }
      buf[start + i] = (byte) c;
    }
    len = start + i;
    if (i < n) {
      putNonAscii(s, i);
    }
    return len - start;
  }

  /** The rest of {@code s} from char {@code i}: at most 3 bytes a char (a pair is 4 for 2). */
  private void putNonAscii(String s, int i) {
    int n = s.length();
    room(3 * (n - i));
    byte[] b = buf;
    int at = len;
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        b[at++] = (byte) c;
      } else if (c < 0x800) {
        b[at++] = (byte) (0xC0 | c >> 6);
        b[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (!Character.isSurrogate(c)) {
        b[at++] = (byte) (0xE0 | c >> 12);
        b[at++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        b[at++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        int cp = Character.toCodePoint(c, s.charAt(++i));
        b[at++] = (byte) (0xF0 | cp >> 18);
        b[at++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        b[at++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        b[at++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        b[at++] = '?';
      }
    }
    len = at;
  }

  /** Encodes {@code root} along {@code plan}: then {@link #bytes()} up to {@link #length()}. */
  void encode(Plan plan, Object root) {
    int n = plan.keys.length;
    if (values.length < n) {
      values = new Object[n];
    }
    len = plan.headLen;
    room(0);
    Arrays.fill(buf, 0, len, (byte) 0);
    boolean failed = false;
    for (int i = 0; i < n; i++) {
      Object v = root;
      if (i > 0) {
        Object p = values[plan.parent[i]];
        v = null;
        if (p != null) {
          try {
            v = plan.read(i, p);
          } catch (Throwable t) {
            failed = true;
          }
        }
      }
      int at = 1 + 9 * i;
      int tag;
      Object child = null;
      if (v == null) {
        tag = 0;
      } else if (v instanceof String) {
        tag = string(plan, at, (String) v);
        failed |= tag == 0;
      } else if (v instanceof Double) {
        tag = 2;
        putLong(at + 1, Double.doubleToRawLongBits((Double) v));
      } else {
        switch (Access.kind(v)) {
          case Access.BOOLEAN:
            tag = ((Boolean) v) ? 4 : 3;
            break;
          case Access.NUMBER:
            tag = 2;
            putLong(at + 1, Double.doubleToRawLongBits(((Number) v).doubleValue()));
            break;
          case Access.TEXT:
            String text = Access.text(v);
            if (text == null) { // a CharSequence whose toString() is null: an object
              tag = 5;
              child = v;
            } else {
              tag = string(plan, at, text);
              failed |= tag == 0;
            }
            break;
          case Access.LIST:
            tag = 7;
            child = v;
            break;
          default:
            tag = 5;
            child = v;
            for (int k = 0; k < plan.scans[i].length; k++) {
              try {
                if (Access.hasKeyWithPrefix(v, plan.scans[i][k])) {
                  buf[plan.scanAt[i] + k] = 1;
                }
              } catch (Throwable t) {
                failed = true;
              }
            }
        }
      }
      buf[at] = (byte) tag;
      values[i] = plan.hasChildren[i] ? child : null;
    }
    if (failed) {
      buf[0] = 1;
    }
    Arrays.fill(values, 0, n, null);
  }

  /** A context that could not be encoded at all: an empty head with the failed flag. */
  void failed(Plan plan) {
    len = plan.headLen;
    room(0);
    Arrays.fill(buf, 0, len, (byte) 0);
    buf[0] = 1;
  }

  /** Keys of a map, for a scan. */
  static boolean anyKeyStartsWith(Map<?, ?> map, String prefix) {
    for (Object k : map.keySet()) {
      if (k instanceof String && ((String) k).startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
