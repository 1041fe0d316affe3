//! Plain-text tables for `simulate` and `diff`.

use crate::simulate::{Simulation, Step};

/// A table with right-aligned columns (the first left-aligned), two spaces apart.
pub fn render(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let width: Vec<usize> =
        (0..cols).map(|c| rows.iter().filter_map(|r| r.get(c)).map(|s| s.chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = width[c] - cell.chars().count();
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A rate as a table shows it: `0.5`, `varies`, `-`.
pub fn rate(s: &Step) -> String {
    match (s.roots, s.rate) {
        (0, _) => "-".into(),
        (_, Some(r)) => r.to_string(),
        (_, None) => "varies".into(),
    }
}

/// An expected count with its interval: `12.5 [6.1, 18.9]`.
pub fn expected(s: &Step) -> (String, String) {
    let (lo, hi) = s.interval();
    (format!("{:.1}", s.expected), format!("[{lo:.1}, {hi:.1}]"))
}

/// A kept count, `-` when no root carried a `sampleRand`.
pub fn kept(s: &Step) -> String {
    s.kept().map_or_else(|| "-".into(), |k| k.to_string())
}

/// The `simulate` table, then the totals per second and per day.
pub fn simulation(sim: &Simulation) -> String {
    let header = ["step", "reason", "roots", "rate", "expected", "95% interval", "kept"];
    let mut rows = vec![header.iter().map(|s| s.to_string()).collect::<Vec<_>>()];
    for s in sim.shown().chain([&sim.total]) {
        let (e, i) = expected(s);
        rows.push(vec![s.id.clone(), s.reason.into(), s.roots.to_string(), rate(s), e, i, kept(s)]);
    }
    let mut out = render(&rows);
    if let Some((expected, kept)) = sim.per_second() {
        let k = |f: f64, digits: usize| kept.map_or_else(String::new, |k| format!(", kept {:.digits$}", k * f));
        out.push_str(&format!("per second: expected {:.2}{}\n", expected, k(1.0, 2)));
        out.push_str(&format!("per day: expected {:.0}{}\n", expected * 86_400.0, k(86_400.0, 0)));
    }
    out
}
