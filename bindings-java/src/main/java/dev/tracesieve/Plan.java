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

  @SuppressWarnings("unchecked")
  Plan(List<Object> nodes) {
    int n = nodes.size();
    keys = new String[n];
    parent = new int[n];
    hasChildren = new boolean[n];
    scans = new String[n][];
    scanAt = new int[n];
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
