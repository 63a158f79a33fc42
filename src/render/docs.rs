//! Docs as listed by `kb ls` and shown by `kb show`: the view models (with the JSON contract of
//! DESIGN §10) and their human and Markdown renderings.

use super::{markdown, paint, table, BOLD, DIM};
use crate::doc::markdown::{Heading, Link};
use crate::doc::{Document, Fields, Source};
use crate::error::DocError;
use crate::history::GitFacts;
use serde::Serialize;
use std::borrow::Cow;

/// One doc in a listing. Scripts depend on these keys: add, never rename.
#[derive(Debug, Serialize)]
pub struct DocSummary<'a> {
    /// Borrowed from the doc: a 50k-doc listing makes no copy of its paths and titles.
    pub path: &'a str,
    pub id: Option<Cow<'a, str>>,
    pub title: &'a str,
    #[serde(rename = "type")]
    pub doc_type: Option<&'a str>,
    pub status: Option<Cow<'a, str>>,
    pub owner: Option<Cow<'a, str>>,
    pub tags: Vec<Cow<'a, str>>,
    pub created: Option<Cow<'a, str>>,
    pub updated: Option<Cow<'a, str>>,
    pub fields: &'a Fields,
    /// What git says (DESIGN §14); `null` outside git.
    pub git: Option<&'a GitFacts>,
}

impl<'a> From<&'a Document> for DocSummary<'a> {
    fn from(d: &'a Document) -> Self {
        let listed = d.listed();
        DocSummary {
            path: &d.path,
            id: listed.id,
            title: &d.title,
            doc_type: d.doc_type.as_deref(),
            status: listed.status,
            owner: listed.owner,
            tags: listed.tags,
            created: listed.created,
            updated: listed.updated,
            fields: &d.fields,
            git: d.git.as_deref(),
        }
    }
}

impl DocSummary<'_> {
    /// The summary as the pretty JSON its `Serialize` gives at `depth`, written as text
    /// ([`crate::json_text`]): `kb ls --format json` writes one per doc.
    pub fn write_json(&self, out: &mut Vec<u8>, depth: usize) -> std::io::Result<()> {
        use crate::json_text::{key, line, list, optional, string};
        let at = depth + 1;
        let field = |out: &mut Vec<u8>, name: &str| {
            out.push(b',');
            line(out, at);
            key(out, name);
        };
        out.push(b'{');
        line(out, at);
        key(out, "path");
        string(out, self.path);
        field(out, "id");
        optional(out, self.id.as_deref());
        field(out, "title");
        string(out, self.title);
        field(out, "type");
        optional(out, self.doc_type);
        field(out, "status");
        optional(out, self.status.as_deref());
        field(out, "owner");
        optional(out, self.owner.as_deref());
        field(out, "tags");
        list(out, at, &self.tags, |out, tag, _| string(out, tag));
        field(out, "created");
        optional(out, self.created.as_deref());
        field(out, "updated");
        optional(out, self.updated.as_deref());
        field(out, "fields");
        self.fields.write_json(out, at)?;
        field(out, "git");
        match self.git {
            Some(git) => super::write_json_at(out, git, at)?,
            None => out.extend_from_slice(b"null"),
        }
        line(out, depth);
        out.push(b'}');
        Ok(())
    }
}

/// A doc that serializes as its [`DocSummary`], made only while it is written: a listing of
/// 100k docs then holds no summary, and no copy of their fields, in memory.
#[derive(Debug)]
pub struct Summarized<'a>(pub &'a Document);

impl Serialize for Summarized<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        DocSummary::from(self.0).serialize(s)
    }
}

/// `kb ls --format json`.
#[derive(Debug, Serialize)]
pub struct Listing<'a> {
    pub schema_version: u32,
    pub docs: Vec<Summarized<'a>>,
    /// Docs that could not be read, so a script knows the listing is incomplete.
    pub errors: &'a [DocError],
}

impl Listing<'_> {
    /// The listing as [`super::write_json`] writes it, the docs serialized on every core.
    pub fn write_json(&self, out: &mut impl std::io::Write) -> std::io::Result<()> {
        write!(
            out,
            "{{\n  \"schema_version\": {},\n  \"docs\": ",
            self.schema_version
        )?;
        super::write_json_list_by(out, &self.docs, 1, |doc, text, depth| {
            DocSummary::from(doc.0).write_json(text, depth)
        })?;
        out.write_all(b",\n  \"errors\": ")?;
        super::write_json_list(out, self.errors, 1)?;
        out.write_all(b"\n}\n")
    }
}

const LS_HEADER: [&str; 6] = ["PATH", "TYPE", "STATUS", "OWNER", "UPDATED", "TITLE"];

fn ls_row(d: &DocSummary) -> Vec<String> {
    let or_dash = |v: Option<&str>| v.unwrap_or("-").to_string();
    vec![
        d.path.to_string(),
        or_dash(d.doc_type),
        or_dash(d.status.as_deref()),
        or_dash(d.owner.as_deref()),
        or_dash(d.updated.as_deref()),
        d.title.to_string(),
    ]
}

pub fn ls_table(docs: &[DocSummary]) -> String {
    let rows: Vec<Vec<String>> = docs.iter().map(ls_row).collect();
    table::render(&LS_HEADER, &rows)
}

pub fn ls_markdown(docs: &[DocSummary]) -> String {
    let text = |v: Option<&str>| v.map_or("-".into(), markdown::escape_text);
    let rows: Vec<Vec<String>> = docs
        .iter()
        .map(|d| {
            vec![
                markdown::link(d.title, d.path),
                text(d.doc_type),
                text(d.status.as_deref()),
                text(d.owner.as_deref()),
            ]
        })
        .collect();
    table::markdown(&["Doc", "Type", "Status", "Owner"], &rows)
}

/// `ls_markdown` with the columns asked for: `title` and `path` link to the doc, other names
/// are front-matter fields (`id`, `type`, `status`, `owner`, `tags`, `created`, `updated`, or
/// any other), shown as text.
pub fn ls_markdown_columns(docs: &[DocSummary], columns: &[String]) -> String {
    let header: Vec<String> = columns
        .iter()
        .map(|c| {
            let mut chars = c.chars();
            chars
                .next()
                .map(|f| f.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    let text = |v: Option<&str>| v.map_or("-".into(), markdown::escape_text);
    let rows: Vec<Vec<String>> = docs
        .iter()
        .map(|d| {
            columns
                .iter()
                .map(|c| match c.as_str() {
                    "title" => markdown::link(d.title, d.path),
                    "path" => markdown::link(d.path, d.path),
                    "id" => text(d.id.as_deref()),
                    "type" => text(d.doc_type),
                    "status" => text(d.status.as_deref()),
                    "owner" => text(d.owner.as_deref()),
                    "tags" => text(Some(d.tags.join(", ")).as_deref().filter(|t| !t.is_empty())),
                    "created" => text(d.created.as_deref()),
                    "updated" => text(d.updated.as_deref()),
                    other => text(
                        d.fields
                            .get(other)
                            .map(field_text)
                            .as_deref()
                            .filter(|t| *t != "-"),
                    ),
                })
                .collect()
        })
        .collect();
    table::markdown(&header, &rows)
}

/// `kb show --format json`: the summary plus the body and its outline.
#[derive(Debug, Serialize)]
pub struct DocDetail<'a> {
    pub schema_version: u32,
    #[serde(flatten)]
    pub summary: DocSummary<'a>,
    pub body_line: usize,
    pub headings: Vec<Heading>,
    pub links: Vec<Link>,
    pub body: String,
}

impl<'a> From<&'a Source> for DocDetail<'a> {
    fn from(s: &'a Source) -> Self {
        let outline = s.outline();
        DocDetail {
            schema_version: 1,
            summary: DocSummary::from(&s.doc),
            body_line: s.doc.body_line,
            headings: outline.headings,
            links: outline.links,
            body: s.body().to_string(),
        }
    }
}

/// A doc for reading in a terminal: title, a metadata block, then the body as written.
pub fn show_text(detail: &DocDetail) -> String {
    let mut out = show_header(detail);
    out.push_str(detail.body.trim_start_matches(['\n', '\r']));
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// The title, path and metadata block that `show_text` puts above the body.
pub fn show_header(detail: &DocDetail) -> String {
    let d = &detail.summary;
    let mut out = format!("{}\n{}\n", paint(BOLD, d.title), paint(DIM, d.path));
    let mut meta = Vec::new();
    for (key, value) in d.fields {
        if key == "title" {
            continue;
        }
        meta.push(vec![format!("{key}:"), field_text(value)]);
    }
    if let Some(git) = d.git {
        meta.push(vec!["git:".into(), git_text(git)]);
    }
    if !meta.is_empty() {
        out.push('\n');
        // A multi-line value (YAML's `|`) continues under its first line, not at the margin.
        let indent = format!("\n{}", " ".repeat(2 + 14 + 1));
        for row in meta {
            out.push_str(&format!(
                "  {} {}\n",
                paint(DIM, &format!("{:<14}", row[0])),
                row[1].trim_end_matches('\n').replace('\n', &indent)
            ));
        }
    }
    out.push('\n');
    out
}

/// A front-matter value on one line: lists comma-separated, maps as compact JSON.
fn field_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::Array(items)
            if items.iter().all(|i| !i.is_object() && !i.is_array()) =>
        {
            items.iter().map(field_text).collect::<Vec<_>>().join(", ")
        }
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Null => "-".into(),
        other => other.to_string(),
    }
}

#[derive(Debug, Serialize)]
/// What `kb new` wrote (or, with --dry-run, would write).
pub struct Created<'a> {
    pub schema_version: u32,
    pub path: &'a str,
    pub id: Option<&'a str>,
    #[serde(rename = "type")]
    pub doc_type: &'a str,
    pub title: &'a str,
    pub written: bool,
    pub commit: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub content: Option<&'a str>,
}

/// `kb new`'s text: the doc itself for a dry run, else what was created.
pub fn created_text(created: &Created) -> String {
    if !created.written {
        return created.content.unwrap_or_default().to_string();
    }
    let id = created.id.map(|id| format!(" ({id})")).unwrap_or_default();
    let commit = created
        .commit
        .as_ref()
        .map(|c| format!(", committed as {c}"))
        .unwrap_or_default();
    format!("Created {}{id}{commit}\n", created.path)
}

/// One line of what git says: `updated 2026-11-20 by dana (12 commits since 2025-03-02)`.
fn git_text(git: &GitFacts) -> String {
    // A doc git has never seen: its facts are the work tree's.
    if git.commits == 0 {
        return format!("not committed yet (changed {})", git.updated);
    }
    let by = match git.last_author.is_empty() {
        true => String::new(),
        false => format!(" by {}", git.last_author),
    };
    let dirty = if git.dirty { ", changed since" } else { "" };
    let approximate = if git.approximate { " or earlier" } else { "" };
    let commits = match git.commits {
        1 => "1 commit".to_string(),
        n => format!("{n} commits"),
    };
    format!(
        "updated {}{by} ({commits} since {}{approximate}{dirty})",
        git.updated, git.created
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::DocErrorKind;

    fn doc(path: &str, fields: serde_json::Value) -> Document {
        Document {
            path: path.into(),
            title: "A \"title\"\nwith a line end".into(),
            doc_type: Some("spec".into()),
            fields: fields.as_object().cloned().unwrap_or_default().into(),
            body_line: 3,
            git: None,
        }
    }

    #[test]
    fn the_parallel_listing_is_the_listing_serde_writes() {
        // Fields parsed and fields kept packed as the cache keeps them (written from its
        // bytes), with and without git's facts, of every shape and escape.
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let git = crate::history::GitFacts {
            created: day,
            updated: day,
            author: "dana".into(),
            last_author: "\"lee\"".into(),
            commits: 3,
            last_commit: crate::history::LastCommit {
                id: "abc".into(),
                date: day,
                summary: "tab\there".into(),
            },
            dirty: true,
            approximate: false,
        };
        let docs: Vec<Document> = (0..9000)
            .map(|i| {
                let fields = match i % 5 {
                    0 => serde_json::json!({}),
                    1 => serde_json::json!({"tags": [], "review": {}}),
                    2 => serde_json::json!({"owner": "dana", "tags": ["a", "b"],
                        "review": {"reviewers": ["x"], "due": "2026-11-29"}}),
                    3 => serde_json::json!({"id": 7, "status": "", "tags": "x, y", "n": -3,
                        "f": 0.5, "big": 18446744073709551615u64, "yes": true, "none": null,
                        "nested": [[{"a": []}], {}], "created": "2026-01-02T10:00:00Z",
                        "weird\"key": "ctl \u{1} \u{7f} é 𝄞 \\ \"q\""}),
                    _ => serde_json::json!({"state": "on-track", "date": "2025-05-06",
                        "lastmod": "not a date"}),
                };
                let mut d = doc(&format!("docs/{i}.md"), fields);
                if i % 2 == 1 {
                    d.fields.pack();
                }
                if i % 7 == 0 {
                    d.git = Some(Box::new(git.clone()));
                }
                d
            })
            .collect();
        let error = DocError {
            path: "bad.md".into(),
            line: 2,
            column: Some(3),
            kind: DocErrorKind::BadYaml,
            message: "bad".into(),
        };
        for (n, errors) in [(0, &[][..]), (1, &[][..]), (9000, &[error][..])] {
            let listing = Listing {
                schema_version: 1,
                docs: docs[..n].iter().map(Summarized).collect(),
                errors,
            };
            let mut serde = Vec::new();
            super::super::write_json(&mut serde, &listing).unwrap();
            let mut ours = Vec::new();
            listing.write_json(&mut ours).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(serde).unwrap()
            );
        }
    }
}
