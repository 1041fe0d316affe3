//! The `simulate --format html` report: one self-contained page (inline CSS and SVG, no
//! script, no network): per-step bars of kept and dropped roots, and the kept roots over
//! time when the traffic has timestamps.

use crate::simulate::{Simulation, round3};
use crate::table;

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

const STYLE: &str = "body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}\
table{border-collapse:collapse}td,th{padding:4px 10px;text-align:right}td:first-child,th:first-child{text-align:left}\
tr.total{font-weight:bold;border-top:1px solid #999}.bar{display:flex;width:320px;height:14px;background:#eee}\
.kept{background:#2f7d32}.dropped{background:#d9a0a0}.legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px}";

/// The whole page.
pub fn report(sim: &Simulation, policy: &str, traffic: &str) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tracesieve simulate: {}</title>\
         <style>{STYLE}</style></head><body>\n<h1>tracesieve simulate</h1>\n<p>Policy <code>{}</code> on <code>{}</code>: \
         {} roots, expected kept {} ({}).</p>\n",
        esc(policy),
        esc(policy),
        esc(traffic),
        sim.total.roots,
        round3(sim.total.expected),
        sim.total.kept().map_or_else(|| "no sampleRand".into(), |k| format!("{k} kept by sampleRand")),
    );
    out.push_str(
        "<p class=\"legend\"><span class=\"kept\"></span>expected kept<span class=\"dropped\"></span>expected dropped \
         (bar length: share of all roots)</p>\n<table id=\"steps\"><thead><tr><th>step</th><th>reason</th><th>roots</th>\
         <th>rate</th><th>expected kept</th><th>95% interval</th><th>kept</th><th></th></tr></thead><tbody>\n",
    );
    let all = sim.total.roots.max(1) as f64;
    for s in sim.shown().chain([&sim.total]) {
        let (e, i) = table::expected(s);
        let kept_pct = 100.0 * s.expected / all;
        let dropped_pct = 100.0 * (s.roots as f64 - s.expected) / all;
        out.push_str(&format!(
            "<tr class=\"{}\" data-step=\"{}\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{e}</td><td>{i}</td><td>{}</td>\
             <td><div class=\"bar\"><div class=\"kept\" style=\"width:{kept_pct:.2}%\"></div>\
             <div class=\"dropped\" style=\"width:{dropped_pct:.2}%\"></div></div></td></tr>\n",
            if s.reason.is_empty() { "total" } else { "step" },
            esc(&s.id),
            esc(&s.id),
            s.reason,
            s.roots,
            table::rate(s),
            table::kept(s),
        ));
    }
    out.push_str("</tbody></table>\n");
    if let Some(svg) = timeline(sim) {
        out.push_str("<h2>Kept roots over time</h2>\n");
        out.push_str(&svg);
        if let Some((expected, _)) = sim.per_second() {
            out.push_str(&format!(
                "<p>Expected kept: {expected:.2} per second, {:.0} per day.</p>\n",
                expected * 86_400.0
            ));
        }
    }
    out.push_str("</body></html>\n");
    out
}

/// An SVG of the expected kept roots per time bucket (60 buckets over the span).
fn timeline(sim: &Simulation) -> Option<String> {
    let (start, end) = sim.span?;
    if end <= start {
        return None;
    }
    const BUCKETS: usize = 60;
    let (w, h) = (600.0, 160.0);
    let mut kept = [0.0f64; BUCKETS];
    let mut roots = [0.0f64; BUCKETS];
    for &(t, rate, _) in &sim.times {
        let b = (((t - start) / (end - start)) * BUCKETS as f64) as usize;
        kept[b.min(BUCKETS - 1)] += rate;
        roots[b.min(BUCKETS - 1)] += 1.0;
    }
    let max = roots.iter().copied().fold(1.0, f64::max);
    let bw = w / BUCKETS as f64;
    let mut svg = format!(
        "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{}\" viewBox=\"0 0 {w} {}\">\n",
        h + 20.0,
        h + 20.0
    );
    for b in 0..BUCKETS {
        let x = b as f64 * bw;
        let (hr, hk) = (h * roots[b] / max, h * kept[b] / max);
        svg.push_str(&format!(
            "<rect x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{hr:.1}\" fill=\"#eee\"/>\
             <rect class=\"kept-bucket\" x=\"{x:.1}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{hk:.1}\" fill=\"#2f7d32\"/>\n",
            h - hr,
            bw - 1.0,
            h - hk,
            bw - 1.0
        ));
    }
    svg.push_str(&format!(
        "<text x=\"0\" y=\"{}\" font-size=\"11\">+0 s</text><text x=\"{w}\" y=\"{}\" font-size=\"11\" text-anchor=\"end\">+{:.0} s</text>\n</svg>\n",
        h + 15.0,
        h + 15.0,
        end - start
    ));
    Some(svg)
}
