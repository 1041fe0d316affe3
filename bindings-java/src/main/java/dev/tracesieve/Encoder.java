package dev.tracesieve;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;

/**
 * Encodes a Java object graph along a {@link Plan} in the module's wire format: every node read
 * with {@link Access}, a getter that throws or a string too long marks the read failed (the
 * module then falls back and counts it). Reused per instance: not thread-safe.
 */
final class Encoder {
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
      Object v;
      if (i == 0) {
        v = root;
      } else {
        Object p = values[plan.parent[i]];
        v = null;
        if (p != null) {
          try {
            v = Access.child(p, plan.keys[i]);
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
      } else if (v instanceof Boolean) {
        tag = ((Boolean) v) ? 4 : 3;
      } else if (v instanceof Number) {
        tag = 2;
        putLong(at + 1, Double.doubleToRawLongBits(((Number) v).doubleValue()));
      } else {
        String s = Access.text(v);
        if (s != null) {
          if (s.length() > MAX_STR) {
            failed = true;
            tag = 0;
          } else {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            room(utf8.length);
            putInt(at + 1, len - plan.headLen);
            putInt(at + 5, utf8.length);
            System.arraycopy(utf8, 0, buf, len, utf8.length);
            len += utf8.length;
            tag = 1;
          }
        } else if (v instanceof Collection || v.getClass().isArray()) {
          tag = 7;
          child = v;
        } else {
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
