//! What `kb metrics` prints: the scoreboard as text for the terminal, Markdown (also the
//! `metrics` live block), and one self-contained HTML page with inline SVG sparklines.

use super::markdown::{escape_text, link, link_target};
use super::{paint, BOLD, DIM};
use crate::metrics::{sparkline, Direction, MetricStatus, Recorded, Scoreboard};
use serde::Serialize;

const HTML_TEMPLATE: &str = include_str!("metrics.html");
/// How many readings a sparkline shows.
const SPARK: usize = 12;

/// A number as people write it: no trailing `.0`, at most 4 decimals.
pub fn number(x: f64) -> String {
    let s = format!("{:.4}", x);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    match s {
        "-0" => "0".into(),
        s => s.to_string(),
    }
}

/// `number` with thousands separated: `958,000`.
fn grouped(x: f64) -> String {
    let text = number(x);
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text.as_str()),
    };
    let (int, frac) = digits
        .split_once('.')
        .map_or((digits, None), |(i, f)| (i, Some(f)));
    if int.len() <= 4 {
        return text;
    }
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

/// A value with its unit as people write it: `37.5%`, `$883,000`, `680 ms`.
fn with_unit(x: f64, unit: Option<&str>) -> String {
    match unit.map(str::trim).filter(|u| !u.is_empty()) {
        Some("%") => format!("{}%", grouped(x)),
        Some(u @ ("$" | "€" | "£" | "¥")) => match x < 0.0 {
            true => format!("-{u}{}", grouped(-x)),
            false => format!("{u}{}", grouped(x)),
        },
        Some(u) => format!("{} {u}", grouped(x)),
        None => grouped(x),
    }
}

fn signed(x: Option<f64>) -> String {
    match x {
        Some(x) if x > 0.0 => format!("+{}", grouped(x)),
        Some(x) => grouped(x),
        None => "-".into(),
    }
}

fn value(m: &MetricStatus) -> String {
    m.value
        .map_or("-".into(), |v| with_unit(v, m.unit.as_deref()))
}

fn target(m: &MetricStatus) -> String {
    let arrow = match m.direction {
        Direction::Up => "≥",
        Direction::Down => "≤",
    };
    m.target.map_or("-".into(), |t| {
        format!("{arrow} {}", with_unit(t, m.unit.as_deref()))
    })
}

fn status(m: &MetricStatus) -> String {
    let mut s = match m.status {
        Some(crate::metrics::Status::OnTarget) => "🟢 on-target".to_string(),
        Some(crate::metrics::Status::OffTarget) => "🔴 off-target".to_string(),
        None => "⚪ no target".to_string(),
    };
    if m.stale {
        s.push_str(", ⏰ stale");
    }
    s
}

pub fn text(board: &Scoreboard) -> String {
    if board.metrics.is_empty() {
        return "No metrics yet: a doc with `type: metric` defines one.\n".into();
    }
    let mut out = format!(
        "{} as of {}\n\n",
        paint(BOLD, &format!("{} metrics", board.metrics.len())),
        board.as_of
    );
    let rows: Vec<Vec<String>> = board
        .metrics
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                value(m),
                signed(m.change),
                signed(m.change_4w),
                target(m),
                status(m),
                sparkline(&m.series, SPARK),
                m.date.map_or("never".into(), |d| d.to_string()),
            ]
        })
        .collect();
    out.push_str(&super::table::render(
        &[
            "METRIC", "LATEST", "PREV", "4 WEEKS", "TARGET", "STATUS", "TREND", "DATE",
        ],
        &rows,
    ));
    out.push_str(&paint(
        DIM,
        "\nPREV and 4 WEEKS: change against the previous reading and the one 4 weeks earlier.\n",
    ));
    out
}

/// `kb metrics --format md`, and the `metrics` live block.
pub fn markdown(board: &Scoreboard) -> String {
    if board.metrics.is_empty() {
        return "No metrics yet.\n".into();
    }
    let mut out = String::from(
        "| Metric | Latest | vs previous | vs 4 weeks | Target | Status | Trend | Owner |\n|---|---:|---:|---:|---:|---|---|---|\n",
    );
    for m in &board.metrics {
        out.push_str(&format!(
            "| {} | {}{} | {} | {} | {} | {} | {} | {} |\n",
            link(&m.title, &m.path),
            md_text(&value(m)),
            m.date.map_or(String::new(), |d| format!(" ({d})")),
            signed(m.change),
            signed(m.change_4w),
            md_text(&target(m)),
            status(m),
            sparkline(&m.series, SPARK),
            m.owner.as_deref().map_or("-".into(), escape_text),
        ));
    }
    out
}

/// A value or target for a table cell: numbers as they are (`37.5%` is no list marker inside a
/// cell), the unit, which a user wrote, escaped.
fn md_text(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '&' => "&amp;".to_string(),
            '|' => "\\|".to_string(),
            '\\' | '[' | ']' | '*' | '`' | '_' => format!("\\{c}"),
            c => c.to_string(),
        })
        .collect()
}

/// The last readings as an inline SVG polyline (no script, no external file).
fn svg(m: &MetricStatus) -> String {
    let points = &m.series[m.series.len().saturating_sub(SPARK)..];
    if points.is_empty() {
        return String::new();
    }
    let (w, h) = (120.0, 28.0);
    let (lo, hi) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.value), hi.max(p.value))
    });
    let step = match points.len() {
        1 => 0.0,
        n => w / (n - 1) as f64,
    };
    let coords: Vec<String> = points
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let y = match hi > lo {
                true => h - 2.0 - (p.value - lo) / (hi - lo) * (h - 4.0),
                false => h / 2.0,
            };
            format!("{:.1},{:.1}", i as f64 * step, y)
        })
        .collect();
    let colour = match m.status {
        Some(crate::metrics::Status::OffTarget) => "#cf222e",
        Some(crate::metrics::Status::OnTarget) => "#1a7f37",
        None => "#656d76",
    };
    format!(
        "<svg class=\"spark\" width=\"{w}\" height=\"{h}\" viewBox=\"-2 0 {} {h}\" role=\"img\" aria-label=\"trend\"><polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/></svg>",
        w + 4.0,
        coords.join(" ")
    )
}

#[derive(Serialize)]
struct HtmlMetric<'a> {
    metric: &'a MetricStatus,
    href: String,
    value: String,
    change: String,
    change_4w: String,
    target: String,
    /// Built here from numbers only, so it is safe to insert unescaped.
    svg: String,
}

/// `kb metrics --format html`: one page, inline CSS and SVG, no scripts.
pub fn html(board: &Scoreboard, kb_name: &str) -> Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    // The `.html` name turns on HTML autoescaping for every `{{ }}`.
    env.add_template("metrics.html", HTML_TEMPLATE)?;
    let metrics: Vec<HtmlMetric> = board
        .metrics
        .iter()
        .map(|m| HtmlMetric {
            metric: m,
            href: link_target(&m.path),
            value: value(m),
            change: signed(m.change),
            change_4w: signed(m.change_4w),
            target: target(m),
            svg: svg(m),
        })
        .collect();
    env.get_template("metrics.html")?
        .render(minijinja::context! {
            board => minijinja::value::Serde(board),
            metrics => minijinja::value::Serde(metrics),
            kb_name => kb_name,
        })
}

/// What `kb metrics record` wrote.
pub fn recorded(r: &Recorded) -> String {
    let verb = if r.created { "Created" } else { "Updated" };
    format!(
        "{verb} {}: {} = {} on {}\n",
        r.path,
        r.metric,
        number(r.value),
        r.date
    )
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_as_people_write_them() {
        assert_eq!(number(412.0), "412");
        assert_eq!(number(0.1 + 0.2), "0.3");
        assert_eq!(number(-0.00001), "0");
        assert_eq!(number(98.25), "98.25");
        assert_eq!(super::with_unit(883000.0, Some("$")), "$883,000");
        assert_eq!(super::with_unit(-1234567.5, None), "-1,234,567.5");
        assert_eq!(super::with_unit(680.0, Some("ms")), "680 ms");
        assert_eq!(super::md_text("1 <b>|x"), "1 &lt;b&gt;\\|x");
    }
}
