//! What `kb inbox` prints: one person's duties most urgent first, each with when, what, where
//! (`path:line`) and why; for `--all`, everyone's grouped by person, or in Markdown a count per
//! person and kind for the team's check-in post.

use super::markdown::{escape_text, link};
use super::{paint, table, BOLD, DIM, WARNING};
use crate::inbox::{counts, Item, Kind};
use chrono::NaiveDate;
use serde::Serialize;

/// `kb inbox --format json` (DESIGN §15); `handle` is null with `--all`.
#[derive(Debug, Serialize)]
pub struct InboxReport {
    pub schema_version: u32,
    pub handle: Option<String>,
    pub as_of: NaiveDate,
    pub items: Vec<Item>,
}

/// How soon or how old: `overdue 3d`, `due today`, `due in 6d`, `4d old`.
pub fn when(item: &Item, today: NaiveDate) -> String {
    match (item.due, item.age_days) {
        (Some(d), _) if d < today => format!("overdue {}d", (today - d).num_days()),
        (Some(d), _) if d == today => "due today".to_string(),
        (Some(d), _) => format!("due in {}d", (d - today).num_days()),
        (None, Some(age)) => format!("{age}d old"),
        (None, None) => "-".to_string(),
    }
}

fn why(item: &Item) -> String {
    match item.due {
        Some(d) if !item.detail.contains(&d.to_string()) => format!("{} (due {d})", item.detail),
        _ => item.detail.clone(),
    }
}

fn plural(n: usize) -> String {
    match n {
        1 => "1 item".to_string(),
        n => format!("{n} items"),
    }
}

fn lines(items: &[&Item], today: NaiveDate, indent: &str) -> String {
    let width = items
        .iter()
        .map(|i| when(i, today).len())
        .max()
        .unwrap_or(0);
    let kind_width = items.iter().map(|i| i.kind.name().len()).max().unwrap_or(0);
    let mut out = String::new();
    for i in items {
        let w = when(i, today);
        let shown = match i.due.is_some_and(|d| d < today) {
            true => paint(WARNING, &w),
            false => w.clone(),
        };
        out.push_str(&format!(
            "{indent}{shown}{}  {:kind_width$}  {}:{}  {}\n{indent}{}  {}\n",
            " ".repeat(width - w.len()),
            i.kind.name(),
            i.path,
            i.line,
            paint(DIM, &i.title),
            " ".repeat(width + kind_width + 2),
            why(i),
        ));
    }
    out
}

pub fn text(report: &InboxReport) -> String {
    let today = report.as_of;
    match &report.handle {
        Some(handle) => {
            if report.items.is_empty() {
                return format!("Nothing waits on {handle} as of {today}.\n");
            }
            let items: Vec<&Item> = report.items.iter().collect();
            format!(
                "{} for {handle} as of {today}, most urgent first\n\n{}",
                plural(items.len()),
                lines(&items, today, "")
            )
        }
        None => {
            if report.items.is_empty() {
                return format!("Nothing waits on anyone as of {today}.\n");
            }
            let mut out = format!(
                "{} for {} as of {today}\n",
                plural(report.items.len()),
                match counts(&report.items).len() {
                    1 => "1 person".to_string(),
                    n => format!("{n} people"),
                }
            );
            for (handle, _) in counts(&report.items) {
                let mine: Vec<&Item> = report
                    .items
                    .iter()
                    .filter(|i| crate::people::key(&i.handle) == crate::people::key(&handle))
                    .collect();
                out.push_str(&format!("\n{} ({})\n", paint(BOLD, &handle), mine.len()));
                out.push_str(&lines(&mine, today, "  "));
            }
            out
        }
    }
}

pub fn markdown(report: &InboxReport) -> String {
    let today = report.as_of;
    match &report.handle {
        Some(handle) => {
            if report.items.is_empty() {
                return format!("Nothing waits on `{handle}` as of {today}.\n");
            }
            let rows: Vec<Vec<String>> = report
                .items
                .iter()
                .map(|i| {
                    vec![
                        when(i, today),
                        format!("`{}`", i.kind.name()),
                        link(&format!("{}:{}", i.path, i.line), &i.path),
                        escape_text(&i.title),
                        escape_text(&why(i)),
                    ]
                })
                .collect();
            format!(
                "## Inbox of `{handle}` ({}, as of {today})\n\n{}",
                plural(report.items.len()),
                table::markdown(&["When", "Kind", "Where", "Doc", "Why"], &rows)
            )
        }
        None => {
            if report.items.is_empty() {
                return format!("Nothing waits on anyone as of {today}.\n");
            }
            let all = counts(&report.items);
            let kinds: Vec<Kind> = Kind::ALL
                .into_iter()
                .filter(|k| all.iter().any(|(_, c)| c.contains_key(k)))
                .collect();
            let mut header = vec!["Person"];
            header.extend(kinds.iter().map(|k| k.name()));
            header.push("Total");
            let mut rows: Vec<Vec<String>> = all
                .iter()
                .map(|(handle, c)| {
                    let mut row = vec![format!("`{handle}`")];
                    row.extend(
                        kinds
                            .iter()
                            .map(|k| c.get(k).map_or(String::new(), |n| n.to_string())),
                    );
                    row.push(c.values().sum::<usize>().to_string());
                    row
                })
                .collect();
            let mut total = vec!["**Total**".to_string()];
            total.extend(kinds.iter().map(|k| {
                report
                    .items
                    .iter()
                    .filter(|i| i.kind == *k)
                    .count()
                    .to_string()
            }));
            total.push(format!("**{}**", report.items.len()));
            rows.push(total);
            format!(
                "## What waits on whom ({today})\n\n{}\n`kb inbox HANDLE` lists one person's items.\n",
                table::markdown(&header, &rows)
            )
        }
    }
}
