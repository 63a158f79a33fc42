//! Goal reports for people: the terminal tree, Markdown for CI summaries, and one self-contained
//! HTML page (minijinja with autoescape: every title is escaped by the engine, not by hand).

use super::markdown::{code_span, escape_text, link};
use super::{paint, BOLD, DIM};
use crate::goals::rollup::{GoalStatus, Report};
use anstyle::{AnsiColor, Style};

const BAR_WIDTH: usize = 10;
const HTML_TEMPLATE: &str = include_str!("goals_report.html");

/// Goals that need a manager's eye, worst first: off-track, at-risk, then stale.
pub fn needs_attention(report: &Report) -> Vec<&GoalStatus> {
    let rank = |g: &GoalStatus| match g.status.as_str() {
        "off-track" | "missed" => 0,
        "at-risk" => 1,
        _ if g.stale => 2,
        _ => 3,
    };
    let mut list: Vec<&GoalStatus> = report.goals.iter().filter(|g| rank(g) < 3).collect();
    list.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.id.cmp(&b.id)));
    list
}

pub fn bar(score: f64) -> String {
    let filled = ((score.clamp(0.0, 1.0) * BAR_WIDTH as f64).round() as usize).min(BAR_WIDTH);
    format!("{}{}", "█".repeat(filled), "░".repeat(BAR_WIDTH - filled))
}

/// A key result's value as people write it: `true` is "done", 140.0 is 140.
fn amount(value: minijinja::Value) -> String {
    if value.kind() == minijinja::value::ValueKind::Bool {
        return if value.is_true() { "done" } else { "not done" }.to_string();
    }
    match f64::try_from(value.clone()) {
        Ok(n) if n.fract() == 0.0 && n.abs() < 1e15 => format!("{}", n as i64),
        Ok(n) => format!("{n}"),
        Err(_) => value.to_string(),
    }
}

fn pct(x: f64) -> String {
    format!("{:.0}%", x * 100.0)
}

fn status_style(status: &str) -> Style {
    match status {
        "on-track" | "achieved" => AnsiColor::Green.on_default(),
        "at-risk" => AnsiColor::Yellow.on_default(),
        "off-track" | "missed" => AnsiColor::Red.on_default().bold(),
        _ => Style::new().dimmed(),
    }
}

fn marker(status: &str) -> &'static str {
    match status {
        "on-track" => "🟢",
        "at-risk" => "🟡",
        "off-track" => "🔴",
        "achieved" => "✅",
        "missed" => "❌",
        _ => "⚪",
    }
}

/// Depth relative to the shallowest listed goal, so a filtered report starts at the margin.
fn indent(report: &Report, g: &GoalStatus) -> usize {
    let min = report.goals.iter().map(|g| g.depth).min().unwrap_or(0);
    g.depth - min
}

fn reported_note(g: &GoalStatus) -> String {
    match &g.reported_status {
        Some(r) if *r != g.computed_status => {
            format!(" (reported {r}, computed {})", g.computed_status)
        }
        _ => String::new(),
    }
}

fn movement(g: &GoalStatus) -> String {
    match g.previous_score {
        Some(p) if (g.score - p).abs() >= 0.005 => format!(
            " {}{:.0} pts",
            if g.score > p { "+" } else { "−" },
            (g.score - p).abs() * 100.0
        ),
        Some(_) => " ±0".into(),
        None => String::new(),
    }
}

/// `kb goals tree`: one line per goal, indented under its parent.
pub fn tree(report: &Report) -> String {
    let mut out = format!(
        "{}\n\n",
        paint(
            BOLD,
            &format!(
                "Goals as of {}{}",
                report.as_of,
                report
                    .period
                    .as_ref()
                    .map(|p| format!(", {p}"))
                    .unwrap_or_default()
            )
        )
    );
    for g in &report.goals {
        let pad = "  ".repeat(indent(report, g));
        let status = paint(status_style(&g.status), &format!("{:<11}", g.status));
        let stale = if g.stale {
            paint(AnsiColor::Magenta.on_default(), " stale")
        } else {
            String::new()
        };
        let owner = g
            .owner
            .as_deref()
            .map(|o| format!(" · {o}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{pad}{} {:>4} {status} {} {}{owner}{stale}{}{}\n",
            bar(g.score),
            pct(g.score),
            g.title,
            paint(DIM, &format!("({})", g.id)),
            reported_note(g),
            movement(g),
        ));
    }
    if report.goals.is_empty() {
        out.push_str("No goals match.\n");
    }
    out.push_str(&counts_line(report));
    out
}

fn counts_line(report: &Report) -> String {
    let stale = report.goals.iter().filter(|g| g.stale).count();
    let mut parts: Vec<String> = report
        .counts
        .iter()
        .map(|(s, n)| format!("{n} {s}"))
        .collect();
    if stale > 0 {
        parts.push(format!("{stale} stale"));
    }
    format!("\n{}\n", parts.join(", "))
}

/// `kb goals report --format md`: for people, and for `$GITHUB_STEP_SUMMARY`.
pub fn markdown(report: &Report) -> String {
    let period = report
        .period
        .as_ref()
        .map(|p| format!("{p}, "))
        .unwrap_or_default();
    let mut out = format!("# Goals: {period}as of {}\n\n", report.as_of);
    out.push_str("| Status | Goals |\n|---|---:|\n");
    for (status, n) in &report.counts {
        out.push_str(&format!("| {} {status} | {n} |\n", marker(status)));
    }
    let stale = report.goals.iter().filter(|g| g.stale).count();
    out.push_str(&format!(
        "| ⏰ stale (no check-in for a while) | {stale} |\n"
    ));

    let attention = needs_attention(report);
    out.push_str("\n## Needs attention\n\n");
    if attention.is_empty() {
        out.push_str("Nothing: every listed goal is on track and checked in.\n");
    } else {
        out.push_str("| Goal | Owner | Status | Score | Expected | Last check-in |\n|---|---|---|---:|---:|---|\n");
        for g in attention {
            out.push_str(&format!(
                "| {} {} | {} | {} {}{}{} | {} | {} | {} |\n",
                link(&g.title, &g.path),
                code_span(&g.id),
                g.owner.as_deref().map_or("-".into(), escape_text),
                marker(&g.status),
                escape_text(&g.status),
                if g.stale { ", ⏰ stale" } else { "" },
                escape_text(&reported_note(g)),
                pct(g.score),
                pct(g.expected),
                g.last_checkin.as_deref().unwrap_or("never"),
            ));
        }
    }
    out.push_str("\n## All goals\n\n");
    for g in &report.goals {
        out.push_str(&format!(
            "{}- {} **{}** {} `{}` {} of {} expected · {}{}{}{}\n",
            "  ".repeat(indent(report, g)),
            marker(&g.status),
            escape_text(&g.title),
            code_span(&g.id),
            bar(g.score),
            pct(g.score),
            pct(g.expected),
            g.owner
                .as_deref()
                .map(|o| format!("{} · ", escape_text(o)))
                .unwrap_or_default(),
            escape_text(&g.status),
            if g.stale { " · ⏰ stale" } else { "" },
            movement(g),
        ));
    }
    if !report.warnings.is_empty() {
        out.push_str("\n## Warnings\n\n");
        for w in &report.warnings {
            out.push_str(&format!("- {}\n", escape_text(w)));
        }
    }
    out
}

/// `kb goals report --format html`: one page, inline CSS, no scripts.
pub fn html(report: &Report, kb_name: &str) -> Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    // The `.html` name turns on HTML autoescaping for every `{{ }}`.
    env.add_template("report.html", HTML_TEMPLATE)?;
    env.add_filter("pct", |x: f64| pct(x));
    env.add_filter("amount", amount);
    env.add_filter("bar_width", |x: f64| {
        format!("{:.0}", x.clamp(0.0, 1.0) * 100.0)
    });
    let attention: Vec<&GoalStatus> = needs_attention(report);
    let min_depth = report.goals.iter().map(|g| g.depth).min().unwrap_or(0);
    let stale = report.goals.iter().filter(|g| g.stale).count();
    env.get_template("report.html")?
        .render(minijinja::context! {
            report => minijinja::value::Serde(report),
            attention => minijinja::value::Serde(attention),
            min_depth => min_depth,
            stale => stale,
            kb_name => kb_name,
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn bars() {
        assert_eq!(super::bar(0.0), "░░░░░░░░░░");
        assert_eq!(super::bar(0.55), "██████░░░░");
        assert_eq!(super::bar(1.4), "██████████");
    }
}
