//! `kb digest` for people: text for the terminal, Markdown to paste in an announcement channel
//! (grouped, linked, short; empty groups left out), and one self-contained HTML page in the
//! style of the goal report.

use super::markdown::{code_span, escape_text, link, link_target};
use super::{paint, BOLD, DIM};
use crate::digest::{Added, Digest, Updated};
use serde::Serialize;

const HTML_TEMPLATE: &str = include_str!("digest.html");

/// The updated docs that are not already told as a status change: the post stays short.
fn updated(digest: &Digest) -> Vec<&Updated> {
    digest
        .docs
        .updated
        .iter()
        .filter(|u| !digest.status_changes.iter().any(|s| s.path == u.path))
        .collect()
}

/// How a doc type is named as a group of new docs.
fn type_label(doc_type: Option<&str>) -> String {
    match doc_type {
        Some("handbook") => "Handbook".into(),
        Some("playbook") => "Playbooks".into(),
        Some("goal") => "Goals".into(),
        Some("deep-dive") => "Deep dives".into(),
        Some("rca") => "RCAs".into(),
        Some("spec") => "Specs".into(),
        Some("decision") => "Decisions".into(),
        Some("meeting") => "Meetings".into(),
        Some("memo") => "Memos".into(),
        Some("onboarding") => "Onboarding".into(),
        Some("person") => "People".into(),
        Some("metric") => "Metrics".into(),
        Some(other) => {
            let mut chars = other.chars();
            chars.next().map_or_else(String::new, |c| {
                c.to_uppercase().collect::<String>() + chars.as_str()
            })
        }
        None => "Other".into(),
    }
}

/// The added docs in groups of one type each, in the digest's order (by type, then path).
fn added_by_type(digest: &Digest) -> Vec<(String, Vec<&Added>)> {
    let mut groups: Vec<(String, Vec<&Added>)> = Vec::new();
    for a in &digest.docs.added {
        let label = type_label(a.doc_type.as_deref());
        match groups.last_mut() {
            Some((l, items)) if *l == label => items.push(a),
            _ => groups.push((label, vec![a])),
        }
    }
    groups
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn window(digest: &Digest) -> String {
    match digest.since == digest.until {
        true => digest.since.to_string(),
        false => format!("{} to {}", digest.since, digest.until),
    }
}

/// The one line of an empty digest.
fn nothing(kb_name: &str, digest: &Digest) -> String {
    match digest.since == digest.until {
        true => format!("Nothing changed in {kb_name} on {}.", digest.since),
        false => format!(
            "Nothing changed in {kb_name} between {} and {}.",
            digest.since, digest.until
        ),
    }
}

/// What the check-ins line says, when there is anything to say.
fn checkins_line(digest: &Digest, handle: impl Fn(&str) -> String) -> Option<String> {
    let c = &digest.checkins;
    if c.count == 0 && c.missing.is_empty() {
        return None;
    }
    let mut line = plural(c.count, "check-in", "check-ins");
    if !c.missing.is_empty() {
        let names: Vec<String> = c.missing.iter().map(|h| handle(h)).collect();
        line.push_str(&format!("; none from {} (active goals)", names.join(", ")));
    }
    Some(line)
}

/// `kb digest --format md`: the announcement post.
pub fn markdown(digest: &Digest, kb_name: &str) -> String {
    if digest.is_empty() {
        return format!("{}\n", nothing(&escape_text(kb_name), digest));
    }
    let mut out = format!(
        "## {}: what changed, {}\n",
        escape_text(kb_name),
        window(digest)
    );
    let mut group = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            out.push_str(&format!("\n**{title}**\n"));
            for l in lines {
                out.push_str(&format!("- {l}\n"));
            }
        }
    };
    let owner = |o: &Option<String>| {
        o.as_deref()
            .map(|o| format!(" · {}", escape_text(o)))
            .unwrap_or_default()
    };
    let d = &digest.docs;
    let new: Vec<String> = added_by_type(digest)
        .into_iter()
        .map(|(label, items)| {
            let docs: Vec<String> = items
                .iter()
                .map(|a| format!("{}{}", link(&a.title, &a.path), owner(&a.owner)))
                .collect();
            format!("{label}: {}", docs.join(", "))
        })
        .collect();
    group("New", new);
    group(
        "Status changes",
        digest
            .status_changes
            .iter()
            .map(|s| {
                format!(
                    "{} ({}): {} → **{}** · {}, {}",
                    link(&s.title, &s.path),
                    escape_text(&s.doc_type),
                    s.from.as_deref().map_or("new".into(), escape_text),
                    escape_text(&s.to),
                    escape_text(&s.author),
                    s.date
                )
            })
            .collect(),
    );
    group(
        "Goals",
        digest
            .goals
            .iter()
            .map(|g| {
                format!(
                    "{} {}{}: {} {} → {} **{}**",
                    link(&g.title, &g.path),
                    code_span(&g.id),
                    owner(&g.owner),
                    super::goals::marker(&g.from),
                    escape_text(&g.from),
                    super::goals::marker(&g.to),
                    escape_text(&g.to)
                )
            })
            .collect(),
    );
    group(
        "Updated",
        updated(digest)
            .into_iter()
            .map(|u| {
                format!(
                    "{}: {} by {}",
                    link(&u.title, &u.path),
                    plural(u.commits, "commit", "commits"),
                    escape_text(&u.authors.join(", "))
                )
            })
            .collect(),
    );
    group(
        "Moved",
        d.renamed
            .iter()
            .map(|r| format!("{} → {}", code_span(&r.from), link(&r.title, &r.to)))
            .collect(),
    );
    group(
        "Removed",
        d.removed
            .iter()
            .map(|r| format!("{} {}", escape_text(&r.title), code_span(&r.path)))
            .collect(),
    );
    let r = &digest.reviews;
    let mut reviews = Vec::new();
    for t in &r.opened {
        let quote = t
            .quote
            .as_deref()
            .map(|q| format!(" on “{}”", escape_text(q)))
            .unwrap_or_default();
        reviews.push(format!(
            "💬 {} opened a thread on {}{quote}",
            escape_text(&t.author),
            link(&t.title, &t.doc)
        ));
    }
    for t in &r.resolved {
        reviews.push(format!(
            "✔️ {} resolved a thread on {} {}",
            escape_text(&t.author),
            link(&t.title, &t.doc),
            code_span(&t.thread)
        ));
    }
    for a in &r.approved {
        reviews.push(format!(
            "✅ {} approved {}",
            escape_text(&a.author),
            link(&a.title, &a.doc)
        ));
    }
    group("Reviews", reviews);
    group(
        "Check-ins",
        checkins_line(digest, escape_text).into_iter().collect(),
    );
    out
}

/// `kb digest`: the same groups for the terminal, with paths instead of links.
pub fn text(digest: &Digest, kb_name: &str) -> String {
    if digest.is_empty() {
        return format!("{}\n", nothing(kb_name, digest));
    }
    let mut out = format!(
        "{}\n",
        paint(
            BOLD,
            &format!("{kb_name}: what changed, {}", window(digest))
        )
    );
    let mut group = |title: &str, lines: Vec<String>| {
        if !lines.is_empty() {
            out.push_str(&format!("\n{}\n", paint(BOLD, title)));
            for l in lines {
                out.push_str(&format!("  {l}\n"));
            }
        }
    };
    let dim = |s: &str| paint(DIM, s);
    let d = &digest.docs;
    let mut new = Vec::new();
    for (label, items) in added_by_type(digest) {
        new.push(format!("{label}:"));
        for a in items {
            let owner = a
                .owner
                .as_deref()
                .map(|o| format!(" · {o}"))
                .unwrap_or_default();
            new.push(format!("  {}{owner}  {}", a.title, dim(&a.path)));
        }
    }
    group("New", new);
    group(
        "Status changes",
        digest
            .status_changes
            .iter()
            .map(|s| {
                format!(
                    "{} ({}): {} → {}  {}",
                    s.title,
                    s.doc_type,
                    s.from.as_deref().unwrap_or("new"),
                    s.to,
                    dim(&format!("{}, {} · {}", s.author, s.date, s.path))
                )
            })
            .collect(),
    );
    group(
        "Goals",
        digest
            .goals
            .iter()
            .map(|g| {
                let owner = g
                    .owner
                    .as_deref()
                    .map(|o| format!(" · {o}"))
                    .unwrap_or_default();
                format!("{}{owner}: {} → {}  {}", g.title, g.from, g.to, dim(&g.id))
            })
            .collect(),
    );
    group(
        "Updated",
        updated(digest)
            .into_iter()
            .map(|u| {
                format!(
                    "{}: {} by {}  {}",
                    u.title,
                    plural(u.commits, "commit", "commits"),
                    u.authors.join(", "),
                    dim(&u.path)
                )
            })
            .collect(),
    );
    group(
        "Moved",
        d.renamed
            .iter()
            .map(|r| format!("{} → {}", r.from, r.to))
            .collect(),
    );
    group(
        "Removed",
        d.removed
            .iter()
            .map(|r| format!("{}  {}", r.title, dim(&r.path)))
            .collect(),
    );
    let r = &digest.reviews;
    let mut reviews = Vec::new();
    for t in &r.opened {
        reviews.push(format!(
            "opened   {} on {}  {}",
            t.author,
            t.title,
            dim(&t.thread)
        ));
    }
    for t in &r.resolved {
        reviews.push(format!(
            "resolved {} on {}  {}",
            t.author,
            t.title,
            dim(&t.thread)
        ));
    }
    for a in &r.approved {
        reviews.push(format!("approved {} on {}", a.author, a.title));
    }
    group("Reviews", reviews);
    group(
        "Check-ins",
        checkins_line(digest, str::to_string).into_iter().collect(),
    );
    out
}

/// A group of new docs as the page shows it.
#[derive(Serialize)]
struct HtmlGroup<'a> {
    label: String,
    docs: Vec<HtmlLinked<'a, Added>>,
}

/// An item of the view model with the link to its doc.
#[derive(Serialize)]
struct HtmlLinked<'a, T> {
    #[serde(flatten)]
    item: &'a T,
    href: String,
}

fn linked<'a, T>(item: &'a T, path: &str) -> HtmlLinked<'a, T> {
    HtmlLinked {
        item,
        href: link_target(path),
    }
}

/// `kb digest --format html`: one page, inline CSS, no scripts.
pub fn html(digest: &Digest, kb_name: &str) -> Result<String, minijinja::Error> {
    let mut env = minijinja::Environment::new();
    // The `.html` name turns on HTML autoescaping for every `{{ }}`.
    env.add_template("digest.html", HTML_TEMPLATE)?;
    let groups: Vec<HtmlGroup> = added_by_type(digest)
        .into_iter()
        .map(|(label, docs)| HtmlGroup {
            label,
            docs: docs.into_iter().map(|a| linked(a, &a.path)).collect(),
        })
        .collect();
    let d = &digest.docs;
    let r = &digest.reviews;
    env.get_template("digest.html")?
        .render(minijinja::context! {
            digest => minijinja::value::Serde(digest),
            kb_name => kb_name,
            window => window(digest),
            empty => digest.is_empty(),
            added => minijinja::value::Serde(groups),
            status_changes => minijinja::value::Serde(digest.status_changes.iter().map(|s| linked(s, &s.path)).collect::<Vec<_>>()),
            goals => minijinja::value::Serde(digest.goals.iter().map(|g| linked(g, &g.path)).collect::<Vec<_>>()),
            updated => minijinja::value::Serde(updated(digest).into_iter().map(|u| linked(u, &u.path)).collect::<Vec<_>>()),
            renamed => minijinja::value::Serde(d.renamed.iter().map(|x| linked(x, &x.to)).collect::<Vec<_>>()),
            removed => minijinja::value::Serde(&d.removed),
            opened => minijinja::value::Serde(r.opened.iter().map(|t| linked(t, &t.doc)).collect::<Vec<_>>()),
            resolved => minijinja::value::Serde(r.resolved.iter().map(|t| linked(t, &t.doc)).collect::<Vec<_>>()),
            approved => minijinja::value::Serde(r.approved.iter().map(|a| linked(a, &a.doc)).collect::<Vec<_>>()),
            checkins => checkins_line(digest, str::to_string),
        })
}
