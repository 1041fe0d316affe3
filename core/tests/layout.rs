//! The core's modules import each other without cycles.
//!
//! Reads every file under `core/src`, collects the `crate::` / `super::` / `self::` paths it
//! names (in `use` lines and in code; comments are skipped), resolves each to the file that
//! defines the item (following the `pub use` re-exports of `lib.rs` and the `mod.rs` files,
//! which only declare and re-export), and fails on any cycle between files, naming the
//! files and the line of each import on the cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// A module path (`["compile", "bytes"]`), `[]` for the crate root.
type ModPath = Vec<String>;

struct Module {
    file: String,
    text: String,
    /// Whether it is `lib.rs` or a `mod.rs`: its children are `<its path>::<child>`.
    is_dir: bool,
}

fn main_modules() -> BTreeMap<ModPath, Module> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&src, &mut files);
    let mut modules = BTreeMap::new();
    for path in files {
        let rel = path.strip_prefix(&src).unwrap().to_string_lossy().replace('\\', "/");
        let mut segs: Vec<String> = rel.trim_end_matches(".rs").split('/').map(String::from).collect();
        let is_dir = matches!(segs.last().map(String::as_str), Some("mod" | "lib"));
        if is_dir {
            segs.pop();
        }
        let text = fs::read_to_string(&path).unwrap();
        modules.insert(segs, Module { file: format!("src/{rel}"), text, is_dir });
    }
    modules
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a line, without its `//` comment (a `//` inside a string literal is rare
/// enough in this crate to ignore).
fn code(line: &str) -> &str {
    let t = line.trim_start();
    if t.starts_with("//") {
        return "";
    }
    match line.find("//") {
        Some(i) if !line[..i].contains('"') => &line[..i],
        _ => line,
    }
}

fn is_ident(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// Expands the path tree that starts at `s` (`a::b::{c, d::e as f}`) into paths, each
/// with its alias (the last segment, or the `as` name).
fn expand(s: &str, prefix: &[String], out: &mut Vec<(ModPath, String)>) -> usize {
    let mut path = prefix.to_vec();
    let mut i = 0;
    let b = s.as_bytes();
    loop {
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        if i < b.len() && b[i] == b'{' {
            i += 1;
            loop {
                while i < b.len() && matches!(b[i], b' ' | b',' | b'\n') {
                    i += 1;
                }
                if i >= b.len() || b[i] == b'}' {
                    return i + 1;
                }
                i += expand(&s[i..], &path, out);
            }
        }
        let start = i;
        while i < b.len() && is_ident(b[i] as char) {
            i += 1;
        }
        if start == i {
            return i;
        }
        let seg = &s[start..i];
        if s[i..].starts_with("::") && s[i + 2..].starts_with(|c: char| is_ident(c) || c == '{') {
            path.push(seg.to_string());
            i += 2;
            continue;
        }
        let mut alias = seg.to_string();
        let rest = &s[i..];
        let ws = rest.len() - rest.trim_start().len();
        if let Some(after) = rest[ws..].strip_prefix("as ") {
            let ws2 = after.len() - after.trim_start().len();
            let name = &after[ws2..];
            let n = name.find(|c: char| !is_ident(c)).unwrap_or(name.len());
            alias = name[..n].to_string();
            i += ws + 3 + ws2 + n;
        }
        if seg == "self" {
            alias = path.last().cloned().unwrap_or_default();
        } else {
            path.push(seg.to_string());
        }
        out.push((path, alias));
        return i;
    }
}

/// An import: the absolute path it names, and the line it is on.
struct Import {
    path: ModPath,
    line: usize,
    /// From a `pub use` of a `lib.rs` / `mod.rs`: a re-export.
    reexport: Option<String>,
}

fn imports(at: &ModPath, m: &Module, modules: &BTreeMap<ModPath, Module>) -> Vec<Import> {
    let here: ModPath = at.clone();
    let parent: ModPath = at[..at.len().saturating_sub(1)].to_vec();
    // Statements can span lines (`use crate::{\n a,\n b };`): join each `use` until `;`.
    let lines: Vec<&str> = m.text.lines().map(code).collect();
    let mut out = Vec::new();
    let mut n = 0;
    while n < lines.len() {
        let mut text = lines[n].to_string();
        let t = text.trim_start();
        let is_use = t.starts_with("use ") || t.starts_with("pub use ") || t.starts_with("pub(crate) use ");
        let first = n;
        if is_use {
            while !text.contains(';') && n + 1 < lines.len() {
                n += 1;
                text.push(' ');
                text.push_str(lines[n].trim());
            }
        }
        n += 1;
        let is_pub_use = m.is_dir && (text.trim_start().starts_with("pub use ") || text.contains("pub(crate) use "));
        let mut found = Vec::new();
        let mut i = 0;
        while i < text.len() {
            let rest = &text[i..];
            let before = text[..i].chars().next_back();
            if before.is_some_and(|c| is_ident(c) || c == ':') {
                i += rest.chars().next().map_or(1, char::len_utf8);
                continue;
            }
            // `super` of an indented `use` is that of an inline module (`mod tests`): this file.
            let inline = is_use && text.starts_with(char::is_whitespace);
            let (base, skip): (ModPath, usize) = if rest.starts_with("crate::") {
                (Vec::new(), 7)
            } else if rest.starts_with("super::") {
                (if inline { here.clone() } else { parent.clone() }, 7)
            } else if rest.starts_with("self::") {
                (here.clone(), 6)
            } else if is_use && i == text.find("use ").unwrap() + 4 {
                // `use child::Item;` names a child module of this one.
                let seg: String = rest.chars().take_while(|c| is_ident(*c)).collect();
                let mut child = here.clone();
                child.push(seg);
                if modules.contains_key(&child) { (here.clone(), 0) } else { (Vec::new(), usize::MAX) }
            } else {
                i += rest.chars().next().map_or(1, char::len_utf8);
                continue;
            };
            if skip == usize::MAX {
                i += 1;
                continue;
            }
            let mut paths = Vec::new();
            // `super::super::x`: resolve the repeated `super` here.
            let mut base = base;
            let mut rest = &rest[skip..];
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            let used = expand(rest, &base, &mut paths);
            for (path, alias) in paths {
                found.push(Import { path, line: first + 1, reexport: is_pub_use.then_some(alias) });
            }
            i += skip + used.max(1);
        }
        out.extend(found);
    }
    out
}

/// The file that defines what `path` names: the longest module prefix, then through the
/// re-exports of `lib.rs` / `mod.rs` files.
fn resolve(path: &[String], modules: &BTreeMap<ModPath, Module>, exports: &Exports, depth: usize) -> ModPath {
    let mut cur: ModPath = Vec::new();
    for (k, seg) in path.iter().enumerate() {
        let mut next = cur.clone();
        next.push(seg.clone());
        if modules.contains_key(&next) {
            cur = next;
            continue;
        }
        if depth < 16
            && let Some(target) = exports.get(&cur).and_then(|e| e.get(seg))
        {
            let mut target = target.clone();
            target.extend_from_slice(&path[k + 1..]);
            return resolve(&target, modules, exports, depth + 1);
        }
        break;
    }
    cur
}

/// Per `lib.rs` / `mod.rs`: the names it re-exports, and the paths they stand for.
type Exports = BTreeMap<ModPath, BTreeMap<String, ModPath>>;

/// Edges between files (`a` imports from `b`), with the line of the first such import and
/// whether it is in the file's trailing `#[cfg(test)] mod tests`.
type Edges = BTreeMap<ModPath, BTreeMap<ModPath, (usize, bool)>>;

fn file_edges(modules: &BTreeMap<ModPath, Module>) -> Edges {
    let mut all = BTreeMap::new();
    let mut exports: Exports = BTreeMap::new();
    for (at, m) in modules {
        let list = imports(at, m, modules);
        for imp in &list {
            if let Some(alias) = &imp.reexport {
                exports.entry(at.clone()).or_default().insert(alias.clone(), imp.path.clone());
            }
        }
        all.insert(at.clone(), list);
    }
    let mut edges: Edges = BTreeMap::new();
    for (at, list) in &all {
        let tests_from = tests_line(&modules[at].text);
        for imp in list {
            let to = resolve(&imp.path, modules, &exports, 0);
            if &to == at {
                continue;
            }
            // A `lib.rs` / `mod.rs` re-exporting its own descendants declares them: not a use.
            if modules[at].is_dir && to.starts_with(at) {
                continue;
            }
            let in_tests = tests_from.is_some_and(|t| imp.line > t);
            let entry = edges.entry(at.clone()).or_default().entry(to).or_insert((imp.line, in_tests));
            entry.1 &= in_tests;
        }
    }
    edges
}

/// The line of the `#[cfg(test)]` that opens a file's `mod tests`, if it has one.
fn tests_line(text: &str) -> Option<usize> {
    let lines: Vec<&str> = text.lines().collect();
    lines.windows(2).position(|w| w[0].trim() == "#[cfg(test)]" && w[1].trim_start().starts_with("mod ")).map(|i| i + 1)
}

#[test]
fn no_import_cycles_between_modules() {
    let modules = main_modules();
    let edges: BTreeMap<ModPath, BTreeMap<ModPath, usize>> = file_edges(&modules)
        .into_iter()
        .map(|(from, to)| (from, to.into_iter().map(|(t, (line, _))| (t, line)).collect()))
        .collect();
    let cycles = find_cycles(&edges);
    let name = |p: &ModPath| modules[p].file.clone();
    let report: Vec<String> = cycles
        .iter()
        .map(|cycle| {
            let mut s = String::from("  ");
            for w in cycle.windows(2) {
                s.push_str(&format!("{} (line {}) -> ", name(&w[0]), edges[&w[0]][&w[1]]));
            }
            s.push_str(&name(&cycle[cycle.len() - 1]));
            s
        })
        .collect();
    assert!(
        report.is_empty(),
        "import cycles between modules of core/src (each file imports the next, at the line shown; \
         move the item that closes the cycle to where it belongs):\n{}",
        report.join("\n")
    );
    // The parser found the imports at all (a test that cannot fail proves nothing).
    assert!(edges.values().map(BTreeMap::len).sum::<usize>() > 50, "too few imports found: {edges:?}");
}

/// One cycle (as a closed walk `a, b, ..., a`) per strongly connected component of more
/// than one file.
fn find_cycles(edges: &BTreeMap<ModPath, BTreeMap<ModPath, usize>>) -> Vec<Vec<ModPath>> {
    let mut cycles = Vec::new();
    let mut reported: BTreeSet<ModPath> = BTreeSet::new();
    for start in edges.keys() {
        if reported.contains(start) {
            continue;
        }
        // Shortest path from a successor of `start` back to `start` (breadth first).
        let mut prev: BTreeMap<ModPath, ModPath> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([start.clone()]);
        let mut found = false;
        while let Some(node) = queue.pop_front() {
            for next in edges.get(&node).into_iter().flat_map(BTreeMap::keys) {
                if next == start {
                    prev.insert(start.clone(), node.clone());
                    found = true;
                    break;
                }
                if !prev.contains_key(next) {
                    prev.insert(next.clone(), node.clone());
                    queue.push_back(next.clone());
                }
            }
            if found {
                break;
            }
        }
        if found {
            let mut cycle = vec![start.clone()];
            let mut node = prev[start].clone();
            while &node != start {
                cycle.push(node.clone());
                node = prev[&node].clone();
            }
            cycle.push(start.clone());
            cycle.reverse();
            reported.extend(cycle.iter().cloned());
            cycles.push(cycle);
        }
    }
    cycles
}

/// The stages of the core, each a folder of `src/`, in the order they may import each
/// other: a stage uses only the stages before it (its own tests may use any).
const STAGES: &[&str] = &["text", "context", "policy", "compile", "decide", "wire", "sdk"];

#[test]
fn stages_import_only_earlier_stages() {
    let modules = main_modules();
    let stage = |p: &ModPath| p.first().and_then(|s| STAGES.iter().position(|st| st == s));
    for p in modules.keys() {
        let top = p.first().map_or("lib", String::as_str);
        assert!(
            stage(p).is_some() || matches!(top, "lib" | "policy_reference"),
            "{}: in no stage of STAGES",
            modules[p].file
        );
    }
    let edges = file_edges(&modules);
    let mut wrong = Vec::new();
    let mut checked = 0;
    for (from, targets) in &edges {
        for (to, &(line, in_tests)) in targets {
            if let (Some(a), Some(b)) = (stage(from), stage(to))
                && !in_tests
            {
                checked += 1;
                if b > a {
                    wrong.push(format!(
                        "  {} (line {line}) imports {} ({} comes after {})",
                        modules[from].file, modules[to].file, STAGES[b], STAGES[a]
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports of a later stage (stages: {}; move the item to the stage that first needs it):\n{}",
        STAGES.join(" < "),
        wrong.join("\n")
    );
    assert!(checked > 50, "too few imports between stages found");
}
