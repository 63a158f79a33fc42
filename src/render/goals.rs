//! Goal reports for people: the terminal tree, Markdown for CI summaries, and one self-contained
//! HTML page (minijinja with autoescape: every title is escaped by the engine, not by hand).

use super::markdown::{code_span, escape_text, link, link_target};
use super::{paint, BOLD, DIM};
use crate::goals::rollup::{GoalStatus, KrStatus, LastNote, Report};
use crate::goals::KrValue;
use anstyle::{AnsiColor, Style};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};
use serde::Serialize;

const BAR_WIDTH: usize = 10;
const HTML_TEMPLATE: &str = include_str!("goals_report.html");
/// How much of a check-in note a report quotes; JSON has it in full.
const NOTE_CHARS: usize = 300;

/// Goals that need a manager's eye, worst first: off-track, at-risk, then stale.
pub fn needs_attention(report: &Report) -> Vec<&GoalStatus> {
    let rank = |g: &GoalStatus| match g.status.name() {
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

/// A number as people write it: 140.0 is 140.
fn number(n: f64) -> String {
    match n.fract() == 0.0 && n.abs() < 1e15 {
        true => format!("{}", n as i64),
        false => format!("{n}"),
    }
}

/// A number with its unit: `99.9%`, `800 ms`.
fn quantity(n: f64, unit: Option<&str>) -> String {
    match unit {
        Some("%") => format!("{}%", number(n)),
        Some(u) => format!("{} {u}", number(n)),
        None => number(n),
    }
}

/// One key result in words that read the right way round: a metric heads for its target
/// ("p99: 800 ms → 400 ms (50%)"), a threshold is met or not ("at most 5: 4 ✓ met"), never
/// "4 → 5", which reads as a regression.
pub fn kr_line(kr: &KrStatus) -> String {
    let unit = kr.unit.as_deref();
    let value = match kr.value {
        None => "no value yet".to_string(),
        Some(KrValue::Bool(true)) => "done".to_string(),
        Some(KrValue::Bool(false)) => "not done".to_string(),
        Some(KrValue::Number(n)) => quantity(n, unit),
    };
    let met = |yes: bool| if yes { "✓ met" } else { "✗ not met" };
    let detail = match (kr.kind, kr.threshold, kr.target) {
        ("threshold", Some(side), Some(target)) => {
            let bound = if side == "at_most" {
                "at most"
            } else {
                "at least"
            };
            let verdict = match kr.value {
                Some(_) => format!(" {}", met(kr.score >= 1.0)),
                None => String::new(),
            };
            format!("{bound} {}: {value}{verdict}", quantity(target, unit))
        }
        ("binary", _, _) if kr.score >= 1.0 => format!("{value} ✓"),
        ("binary", _, _) => value,
        (_, _, Some(target)) => {
            format!("{value} → {} ({})", quantity(target, unit), pct(kr.score))
        }
        _ => format!("{value} ({})", pct(kr.score)),
    };
    format!("{}: {detail}", kr.title)
}

/// The first paragraph (or list) of a check-in note as plain text, cut near [`NOTE_CHARS`]:
/// a report quotes the gist beside the goal, headings such as "What moved" dropped.
pub fn note_summary(markdown: &str) -> String {
    let mut text = String::new();
    let (mut depth, mut in_heading, mut items) = (0usize, false, 0usize);
    for event in Parser::new_ext(markdown, crate::doc::markdown::options()) {
        match event {
            Event::Start(Tag::Heading { .. }) => in_heading = true,
            Event::End(TagEnd::Heading(_)) => in_heading = false,
            _ if in_heading => {}
            Event::Start(Tag::Item) => {
                items += 1;
                if items > 1 {
                    text.push_str(" · ");
                }
                depth += 1;
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                if depth == 0 && !text.trim().is_empty() {
                    break;
                }
            }
            Event::Text(t) | Event::Code(t) => text.push_str(&t),
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            _ => {}
        }
    }
    shorten(
        &text.split_whitespace().collect::<Vec<_>>().join(" "),
        NOTE_CHARS,
    )
}

/// `text` cut at a word boundary to at most `max` characters, with `…` when cut.
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let cut: String = text.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(space) if space > max / 2 => &cut[..space],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':', '.', '·']))
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

pub(crate) fn marker(status: &str) -> &'static str {
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
        let status = paint(status_style(g.status.name()), &format!("{:<11}", g.status));
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

/// The counts by final status, without `stale`, which is not one (the goal is also counted by
/// its status) and which every report shows on its own.
fn status_counts(report: &Report) -> impl Iterator<Item = (&String, &usize)> {
    report.counts.iter().filter(|(s, _)| s.as_str() != "stale")
}

fn stale_count(report: &Report) -> usize {
    report.counts.get("stale").copied().unwrap_or(0)
}

fn counts_line(report: &Report) -> String {
    let stale = stale_count(report);
    let mut parts: Vec<String> = status_counts(report)
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
    for (status, n) in status_counts(report) {
        out.push_str(&format!("| {} {status} | {n} |\n", marker(status)));
    }
    let stale = stale_count(report);
    out.push_str(&format!(
        "| ⏰ stale (no check-in for a while) | {stale} |\n"
    ));

    let attention = needs_attention(report);
    out.push_str("\n## Needs attention\n\n");
    if attention.is_empty() {
        out.push_str("Nothing: every listed goal is on track and checked in.\n");
    } else {
        out.push_str("| Goal | Owner | Status | Score | Expected | Last check-in | Latest note |\n|---|---|---|---:|---:|---|---|\n");
        for g in attention {
            out.push_str(&format!(
                "| {} {} | {} | {} {}{}{} | {} | {} | {} | {} |\n",
                link(&g.title, &g.path),
                code_span(&g.id),
                g.owner.as_deref().map_or("-".into(), escape_text),
                marker(g.status.name()),
                escape_text(g.status.name()),
                if g.stale { ", ⏰ stale" } else { "" },
                escape_text(&reported_note(g)),
                pct(g.score),
                pct(g.expected),
                g.last_checkin.as_deref().unwrap_or("never"),
                g.last_note.as_ref().map_or("-".into(), md_note),
            ));
        }
    }
    out.push_str("\n## All goals\n\n");
    for g in &report.goals {
        out.push_str(&format!(
            "{}- {} **{}** {} `{}` {} of {} expected · {}{}{}{}\n",
            "  ".repeat(indent(report, g)),
            marker(g.status.name()),
            escape_text(&g.title),
            code_span(&g.id),
            bar(g.score),
            pct(g.score),
            pct(g.expected),
            g.owner
                .as_deref()
                .map(|o| format!("{} · ", escape_text(o)))
                .unwrap_or_default(),
            escape_text(g.status.name()),
            if g.stale { " · ⏰ stale" } else { "" },
            movement(g),
        ));
        let pad = "  ".repeat(indent(report, g) + 1);
        for kr in &g.key_results {
            out.push_str(&format!("{pad}- {}\n", escape_text(&kr_line(kr))));
        }
        if let Some(note) = &g.last_note {
            out.push_str(&format!("{pad}- 💬 {}\n", md_note(note)));
        }
    }
    if !report.warnings.is_empty() {
        out.push_str("\n## Warnings\n\n");
        for w in &report.warnings {
            out.push_str(&format!("- {}\n", escape_text(w)));
        }
    }
    out
}

/// The goals of a report as one Markdown table, parents before children (a live block's
/// `goals` kind): no date in it, so it changes only when a goal does.
pub fn table_markdown(report: &Report) -> String {
    if report.goals.is_empty() {
        return "No goals match.\n".into();
    }
    let mut out = String::from(
        "| Goal | Owner | Status | Score | Expected | Last check-in |\n|---|---|---|---:|---:|---|\n",
    );
    for g in &report.goals {
        out.push_str(&format!(
            "| {}{} | {} | {} {}{} | {} | {} | {} |\n",
            "↳ ".repeat(indent(report, g)),
            link(&g.title, &g.path),
            g.owner.as_deref().map_or("-".into(), escape_text),
            marker(g.status.name()),
            escape_text(g.status.name()),
            if g.stale { ", ⏰ stale" } else { "" },
            pct(g.score),
            pct(g.expected),
            g.last_checkin.as_deref().unwrap_or("never"),
        ));
    }
    out
}

/// A note's gist, then who wrote it and when, linked to the check-in.
fn md_note(note: &LastNote) -> String {
    format!(
        "“{}” — {}, {}",
        escape_text(&note_summary(&note.text)),
        escape_text(&note.author),
        link(&note.date, &note.path)
    )
}

/// A goal as the HTML page shows it: the view model plus what the template cannot compute
/// (links, key results in words, the gist of the latest note).
#[derive(Serialize)]
struct HtmlGoal<'a> {
    #[serde(flatten)]
    goal: &'a GoalStatus,
    href: String,
    kr_lines: Vec<String>,
    note: Option<HtmlNote<'a>>,
}

#[derive(Serialize)]
struct HtmlNote<'a> {
    summary: String,
    author: &'a str,
    date: &'a str,
    href: String,
}

impl<'a> HtmlGoal<'a> {
    fn new(goal: &'a GoalStatus) -> Self {
        HtmlGoal {
            goal,
            href: link_target(&goal.path),
            kr_lines: goal.key_results.iter().map(kr_line).collect(),
            note: goal.last_note.as_ref().map(|n| HtmlNote {
                summary: note_summary(&n.text),
                author: &n.author,
                date: &n.date,
                href: link_target(&n.path),
            }),
        }
    }
}

/// `kb goals report --format html`: one page, inline CSS, no scripts.
pub fn html(report: &Report, kb_name: &str) -> Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    // The `.html` name turns on HTML autoescaping for every `{{ }}`.
    env.add_template("report.html", HTML_TEMPLATE)?;
    env.add_filter("pct", |x: f64| pct(x));
    env.add_filter("bar_width", |x: f64| {
        format!("{:.0}", x.clamp(0.0, 1.0) * 100.0)
    });
    let attention: Vec<HtmlGoal> = needs_attention(report)
        .into_iter()
        .map(HtmlGoal::new)
        .collect();
    let goals: Vec<HtmlGoal> = report.goals.iter().map(HtmlGoal::new).collect();
    let counts: Vec<(&String, &usize)> = status_counts(report).collect();
    let min_depth = report.goals.iter().map(|g| g.depth).min().unwrap_or(0);
    env.get_template("report.html")?
        .render(minijinja::context! {
            report => minijinja::value::Serde(report),
            goals => minijinja::value::Serde(goals),
            counts => minijinja::value::Serde(counts),
            attention => minijinja::value::Serde(attention),
            min_depth => min_depth,
            stale => stale_count(report),
            kb_name => kb_name,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kr(kind: &'static str, threshold: Option<&'static str>, value: Option<f64>) -> KrStatus {
        let target = 5.0;
        let score = match (threshold, value) {
            (Some("at_most"), Some(v)) => f64::from(u8::from(v <= target)),
            (_, Some(v)) => (v / target).min(1.0),
            _ => 0.0,
        };
        KrStatus {
            id: "k".into(),
            title: "Incidents".into(),
            kind,
            threshold,
            start: None,
            target: Some(target),
            unit: None,
            value: value.map(KrValue::Number),
            score,
            raw: None,
        }
    }

    #[test]
    fn thresholds_read_the_right_way_round() {
        let at_most = |v| kr_line(&kr("threshold", Some("at_most"), v));
        assert_eq!(at_most(Some(4.0)), "Incidents: at most 5: 4 ✓ met");
        assert_eq!(at_most(Some(7.0)), "Incidents: at most 5: 7 ✗ not met");
        assert_eq!(at_most(None), "Incidents: at most 5: no value yet");
        let at_least = kr_line(&kr("threshold", Some("at_least"), Some(5.0)));
        assert_eq!(at_least, "Incidents: at least 5: 5 ✓ met");
        let mut metric = kr("metric", None, Some(4.0));
        metric.unit = Some("ms".into());
        assert_eq!(kr_line(&metric), "Incidents: 4 ms → 5 ms (80%)");
    }

    #[test]
    fn a_note_summary_is_the_first_paragraph_in_plain_text() {
        assert_eq!(
            note_summary("## What moved\n\n- p99 for `POST /pay` is\n  down.\n- [[RCA-1]] out.\n\n## Next\n\nMore."),
            "p99 for POST /pay is down. · RCA-1 out."
        );
        assert_eq!(
            note_summary("Pool fix shipped.\n\nSecond."),
            "Pool fix shipped."
        );
        let long = note_summary(&"word ".repeat(100));
        assert!(
            long.ends_with("word…") && long.chars().count() <= NOTE_CHARS + 1,
            "{long}"
        );
        assert_eq!(note_summary(""), "");
    }

    #[test]
    fn bars() {
        assert_eq!(super::bar(0.0), "░░░░░░░░░░");
        assert_eq!(super::bar(0.55), "██████░░░░");
        assert_eq!(super::bar(1.4), "██████████");
    }
}

/// What `kb goals checkin` wrote.
#[derive(Debug, Serialize)]
pub struct CheckinWritten {
    pub schema_version: u32,
    pub path: String,
    pub goal: String,
    /// Whether the file is new (else the check-in was added to today's file).
    pub created: bool,
}

pub fn checkin_written(w: &CheckinWritten) -> String {
    let verb = if w.created { "Wrote" } else { "Added to" };
    format!("{verb} check-in on {} in {}\n", w.goal, w.path)
}
