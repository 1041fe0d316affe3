package dev.tracesieve;

import java.util.List;

/** A read plan of the module (docs/wasm-abi.md): the property reads of one kind, in preorder. */
final class Plan {
  final String[] keys;
  final int[] parent;
  final boolean[] hasChildren;
  final String[][] scans;
  /** Where node i's first scan byte is in the head. */
  final int[] scanAt;
  final int headLen;

  /**
   * Node i's last reader (an inline cache): how it read its key from a parent of one class.
   * Shared by every thread deciding with this plan; each entry is immutable, so a race only
   * costs a second lookup.
   */
  private final Site[] sites;

  /** A parent class and the reader of one key on it. */
  private static final class Site {
    final Class<?> type;
    final Access.Reader reader;

    Site(Class<?> type, Access.Reader reader) {
      this.type = type;
      this.reader = reader;
    }
  }

  /** Node {@code i}'s value read from {@code parent} (not null). May throw what a getter throws. */
  Object read(int i, Object parent) throws Throwable {
    Site s = sites[i];
    if (s == null || s.type != parent.getClass()) {
      s = new Site(parent.getClass(), Access.reader(parent.getClass(), keys[i]));
      sites[i] = s;
    }
    return s.reader.read(parent);
  }

  @SuppressWarnings("unchecked")
  Plan(List<Object> nodes) {
    int n = nodes.size();
    keys = new String[n];
    parent = new int[n];
    hasChildren = new boolean[n];
    scans = new String[n][];
    scanAt = new int[n];
    sites = new Site[n];
    int at = 1 + 9 * n;
    for (int i = 0; i < n; i++) {
      List<Object> node = (List<Object>) nodes.get(i);
      keys[i] = (String) node.get(0);
      parent[i] = ((Double) node.get(1)).intValue();
      hasChildren[i] = ((Double) node.get(2)).intValue() > i + 1;
      List<Object> s = (List<Object>) node.get(3);
      scans[i] = s.toArray(new String[0]);
      scanAt[i] = at;
      at += s.size();
    }
    headLen = (at + 15) & ~15;
  }
}
