//! Section records for a search engine (`kb export`, DESIGN §12): one record per section of every
//! doc, in the shape docs-search UIs expect (Algolia DocSearch's: `objectID`, `url`, `anchor`,
//! `hierarchy`, `content`) plus the metadata no HTML scraper keeps (`path`, `line`, `type`,
//! `owner`, `status`, `tags`, `updated`). Since a revision, only the changed docs' records, and a
//! delete for every record that is gone. Sections are cut exactly as search cuts them
//! ([`markdown::sections_or_one`]) and anchors are the ones `kb check` resolves links against.
//!
//! Records are handed to a sink one by one, a chunk of docs at a time, so a large KB never sits
//! in memory as records or text; this module never prints.

use crate::doc::{markdown, Document};
use crate::error::{DocError, Error, Result};
use crate::kb::Kb;
use rayon::prelude::*;
use serde::Serialize;
use std::collections::HashSet;

/// Docs read and split in parallel per chunk: enough to keep both cores busy, few enough that
/// the chunk's records stay small.
const CHUNK: usize = 256;
/// Meilisearch caps a primary key at 511 bytes; the sanitised part stays under it with the hash.
const MAX_ID_PREFIX: usize = 480;

/// One section of one doc, as an engine indexes it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Record {
    /// `path#anchor`, or `path` for the part before the first heading.
    #[serde(rename = "objectID")]
    pub object_id: String,
    /// `objectID` with only `[A-Za-z0-9_-]`, for engines with strict primary keys (Meilisearch).
    pub id: String,
    pub url: String,
    pub anchor: Option<String>,
    pub hierarchy: Hierarchy,
    /// The section's text, Markdown markup dropped.
    pub content: String,
    pub path: String,
    /// 1-based line of the file where the section starts.
    pub line: usize,
    pub title: String,
    #[serde(rename = "type")]
    pub doc_type: Option<String>,
    /// The doc's front-matter `id:` (`RCA-0007`), if any.
    pub doc_id: Option<String>,
    pub owner: Option<String>,
    pub status: Option<String>,
    pub tags: Vec<String>,
    pub updated: Option<String>,
}

/// DocSearch's `hierarchy`: where a section sits, from the doc's kind down to its own heading.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Hierarchy {
    /// The doc type, else the top folder.
    pub lvl0: Option<String>,
    /// The doc's title.
    pub lvl1: String,
    pub lvl2: Option<String>,
    pub lvl3: Option<String>,
    pub lvl4: Option<String>,
    pub lvl5: Option<String>,
    pub lvl6: Option<String>,
}

/// What the engine must do with one record.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Add or replace it (boxed: deletes are far smaller and pass through the same sink).
    Index(Box<Record>),
    /// Remove the record with this `objectID`: its section or its doc is gone.
    Delete(String),
}

/// What an export did.
#[derive(Debug, Default)]
pub struct Summary {
    pub indexed: usize,
    pub deleted: usize,
    /// Docs that could not be read: left out, and their old records left alone.
    pub errors: Vec<DocError>,
}

/// Exports every doc of the KB, in path order.
pub fn all(kb: &Kb, sink: &mut dyn FnMut(Action) -> std::io::Result<()>) -> Result<Summary> {
    let walk = kb.walk();
    let mut summary = Summary {
        errors: walk.errors,
        ..Summary::default()
    };
    for chunk in walk.files.chunks(CHUNK) {
        let read: Vec<_> = chunk
            .par_iter()
            .map(|path| read_records(kb, path))
            .collect();
        for result in read {
            match result {
                Ok(records) => emit(&mut summary, sink, Vec::new(), records)?,
                Err(e) => summary.errors.push(e),
            }
        }
    }
    Ok(summary)
}

/// Exports the docs that changed since `rev` (committed, staged, modified or untracked), with a
/// delete for each record that `rev` had and the work tree no longer has.
pub fn since(
    kb: &Kb,
    rev: &str,
    sink: &mut dyn FnMut(Action) -> std::io::Result<()>,
) -> Result<Summary> {
    let mut summary = Summary::default();
    for change in crate::git::changes_since(kb, rev, "--since")? {
        let now = match kb.root.join(&change.path).is_file() {
            true => match read_records(kb, &change.path) {
                Ok(records) => records,
                // Unreadable now: keep its old records until it is fixed.
                Err(e) => {
                    summary.errors.push(e);
                    continue;
                }
            },
            false => Vec::new(),
        };
        let before = change
            .before
            .map(|bytes| object_ids_of(kb, &change.path, bytes))
            .unwrap_or_default();
        emit(&mut summary, sink, gone(before, &now), now)?;
    }
    Ok(summary)
}

/// Hands the deletes, then the records, of one doc to the sink.
fn emit(
    summary: &mut Summary,
    sink: &mut dyn FnMut(Action) -> std::io::Result<()>,
    deletes: Vec<String>,
    records: Vec<Record>,
) -> Result<()> {
    summary.deleted += deletes.len();
    summary.indexed += records.len();
    deletes
        .into_iter()
        .map(Action::Delete)
        .chain(records.into_iter().map(|r| Action::Index(Box::new(r))))
        .try_for_each(|action| sink(action).map_err(Error::Output))
}

/// The `objectID`s of `before` that no record of `now` has, in their order.
fn gone(before: Vec<String>, now: &[Record]) -> Vec<String> {
    let kept: HashSet<&str> = now.iter().map(|r| r.object_id.as_str()).collect();
    before
        .into_iter()
        .filter(|id| !kept.contains(id.as_str()))
        .collect()
}

/// The `objectID`s a doc's old text had; none when it did not parse (it was never exported).
fn object_ids_of(kb: &Kb, path: &str, bytes: Vec<u8>) -> Vec<String> {
    match crate::doc::parse(path.to_string(), bytes, &kb.config.schema) {
        Ok(source) => records(&source.doc, source.body())
            .into_iter()
            .map(|r| r.object_id)
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn read_records(kb: &Kb, path: &str) -> Result<Vec<Record>, DocError> {
    kb.read_metadata_with_body(path, |doc, body| records(&doc, body))
}

/// The records of one doc: one per section, in order.
pub fn records(doc: &Document, body: &str) -> Vec<Record> {
    let headings = markdown::outline(body, doc.body_line).headings;
    let chains = heading_chains(&headings);
    // A doc's first heading, when it is an `# H1`, is its title heading even when front-matter
    // words the title differently (`# ADR-0001: ...`): lvl1 already stands for it.
    let title_line = headings.first().filter(|h| h.level == 1).map(|h| h.line);
    let meta = Meta::of(doc);
    markdown::sections_or_one(body, doc.body_line)
        .into_iter()
        .map(|section| {
            // A section that starts on a heading's line is that heading's; the part before the
            // first heading has none. Both come from the same parse, so the lines agree.
            let chain = chains
                .iter()
                .find(|(line, _)| *line == section.line)
                .map(|(_, chain)| chain.as_slice())
                .unwrap_or_default();
            let below_title: Vec<_> = chain
                .iter()
                .copied()
                .filter(|h| Some(h.line) != title_line && !(h.level == 1 && h.text == doc.title))
                .collect();
            record(doc, &meta, chain, &below_title, section)
        })
        .collect()
}

/// What every record of a doc repeats.
struct Meta {
    lvl0: Option<String>,
    doc_id: Option<String>,
    owner: Option<String>,
    status: Option<String>,
    tags: Vec<String>,
    updated: Option<String>,
}

impl Meta {
    fn of(doc: &Document) -> Meta {
        Meta {
            lvl0: doc.doc_type.clone().or_else(|| top_folder(&doc.path)),
            doc_id: doc.id(),
            owner: doc.owner(),
            status: doc.status(),
            tags: doc.tags(),
            // As search reads it: Hugo's `lastmod` stands in for `updated`.
            updated: doc.updated(),
        }
    }
}

fn record(
    doc: &Document,
    meta: &Meta,
    chain: &[&markdown::Heading],
    below_title: &[&markdown::Heading],
    section: markdown::Section,
) -> Record {
    let anchor = chain
        .last()
        .map(|h| h.anchor.clone())
        .filter(|a| !a.is_empty());
    let object_id = match &anchor {
        Some(anchor) => format!("{}#{anchor}", doc.path),
        None => doc.path.clone(),
    };
    Record {
        id: safe_id(&object_id),
        url: object_id.clone(),
        object_id,
        anchor,
        hierarchy: hierarchy(meta.lvl0.clone(), &doc.title, below_title),
        content: section.text.trim().to_string(),
        path: doc.path.clone(),
        line: section.line,
        title: doc.title.clone(),
        doc_type: doc.doc_type.clone(),
        doc_id: meta.doc_id.clone(),
        owner: meta.owner.clone(),
        status: meta.status.clone(),
        tags: meta.tags.clone(),
        updated: meta.updated.clone(),
    }
}

/// For each heading (by line), the headings from the outermost down to it: a heading closes
/// every open one of its level or deeper.
fn heading_chains(headings: &[markdown::Heading]) -> Vec<(usize, Vec<&markdown::Heading>)> {
    let mut open: Vec<&markdown::Heading> = Vec::new();
    headings
        .iter()
        .map(|h| {
            while open.last().is_some_and(|o| o.level >= h.level) {
                open.pop();
            }
            open.push(h);
            (h.line, open.clone())
        })
        .collect()
}

/// The hierarchy of a section under `headings` (the title heading left out): they fill `lvl2`..
/// in order, whatever their Markdown level, so a doc that starts at `##` or skips a level has no
/// holes. Past five, the innermost are kept: a result must show the section's own heading.
fn hierarchy(lvl0: Option<String>, title: &str, headings: &[&markdown::Heading]) -> Hierarchy {
    let mut levels: Vec<String> = headings.iter().map(|h| h.text.clone()).collect();
    let excess = levels.len().saturating_sub(5);
    levels.drain(..excess);
    let mut levels = levels.into_iter();
    Hierarchy {
        lvl0,
        lvl1: title.to_string(),
        lvl2: levels.next(),
        lvl3: levels.next(),
        lvl4: levels.next(),
        lvl5: levels.next(),
        lvl6: levels.next(),
    }
}

/// `handbook` for `handbook/x/y.md`; none for a doc at the root.
fn top_folder(path: &str) -> Option<String> {
    path.split_once('/').map(|(top, _)| top.to_string())
}

/// `objectID` made safe as a strict primary key: every character outside `[A-Za-z0-9_-]`
/// becomes `_`, and a hash of the whole `objectID` keeps ids apart that only differed there
/// (`a/b.md` and `a.b/md`).
pub fn safe_id(object_id: &str) -> String {
    let mut id: String = object_id
        .chars()
        .take(MAX_ID_PREFIX)
        .map(
            |c| match c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                true => c,
                false => '_',
            },
        )
        .collect();
    id.push('-');
    id.push_str(&format!("{:08x}", short_hash(object_id)));
    id
}

/// 32 bits of FNV-1a: stable across runs, platforms and Rust versions (std's hasher is not),
/// so an id never changes between two exports of the same section.
fn short_hash(text: &str) -> u32 {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    (hash ^ (hash >> 32)) as u32
}

/// The default index name: the KB's name as a slug (`Acme Corp` is `acme-corp`), else `kb`.
pub fn index_name(kb_name: &str) -> String {
    let slug = crate::slug::slugify(kb_name);
    match slug.is_empty() {
        true => "kb".to_string(),
        false => slug,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    fn records_of(path: &str, text: &str) -> Vec<Record> {
        let source = crate::doc::parse(path.into(), text.into(), &Schema::default()).unwrap();
        records(&source.doc, source.body())
    }

    #[test]
    fn object_ids_use_github_anchors() {
        let r = records_of(
            "handbook/pto.md",
            "---\ntitle: PTO\n---\nIntro.\n\n## Root cause: 5 whys\n\ntext\n\n## FAQ\n\n## FAQ\n\nmore\n",
        );
        let ids: Vec<_> = r.iter().map(|r| r.object_id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "handbook/pto.md",
                "handbook/pto.md#root-cause-5-whys",
                "handbook/pto.md#faq",
                "handbook/pto.md#faq-1"
            ]
        );
        assert_eq!(r[0].anchor, None);
        assert_eq!(r[1].anchor.as_deref(), Some("root-cause-5-whys"));
        assert_eq!(r[1].url, "handbook/pto.md#root-cause-5-whys");
        assert_eq!((r[0].line, r[1].line), (4, 6));
        assert_eq!(r[1].content, "text");
    }

    #[test]
    fn hierarchy_skips_the_title_heading_and_fills_levels_in_order() {
        let r = records_of(
            "misc/a.md",
            "# A\n\n### Deep\n\nx\n\n## Two\n\n#### Four\n\ny\n",
        );
        let h: Vec<_> = r
            .iter()
            .map(|r| {
                let h = &r.hierarchy;
                (h.lvl2.as_deref(), h.lvl3.as_deref(), h.lvl4.as_deref())
            })
            .collect();
        assert_eq!(
            h,
            [
                (None, None, None),
                (Some("Deep"), None, None),
                (Some("Two"), None, None),
                (Some("Two"), Some("Four"), None)
            ]
        );
        assert_eq!(r[0].hierarchy.lvl0.as_deref(), Some("misc"));
        assert_eq!(r[0].hierarchy.lvl1, "A");
        assert_eq!(r[0].object_id, "misc/a.md#a");
    }

    #[test]
    fn a_first_h1_is_the_title_heading_and_later_h1s_are_sections() {
        let r = records_of(
            "decisions/a.md",
            "---\ntitle: Retries\n---\n# ADR-1: Retries\n\nx\n\n## Why\n\n# Appendix\n\ny\n",
        );
        let lvl2: Vec<_> = r.iter().map(|r| r.hierarchy.lvl2.as_deref()).collect();
        assert_eq!(lvl2, [None, Some("Why"), Some("Appendix")]);
        assert_eq!(r[0].anchor.as_deref(), Some("adr-1-retries"));
    }

    #[test]
    fn an_empty_doc_is_one_record() {
        let r = records_of("rca/x.md", "---\ntitle: X\nowner: dana\n---\n");
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].object_id, "rca/x.md");
        assert_eq!(r[0].hierarchy.lvl0.as_deref(), Some("rca"));
        assert_eq!(r[0].owner.as_deref(), Some("dana"));
    }

    #[test]
    fn safe_ids_are_strict_keys_and_stay_apart() {
        let a = safe_id("handbook/pto.md#über-faq");
        assert!(a.starts_with("handbook_pto_md__ber-faq-"), "{a}");
        assert!(a
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'));
        assert_ne!(safe_id("a/b.md"), safe_id("a.b/md"));
        assert_eq!(safe_id("a/b.md"), safe_id("a/b.md"));
        assert!(safe_id(&"x".repeat(2000)).len() <= 511);
    }

    #[test]
    fn deletes_are_the_ids_that_are_gone() {
        let now = records_of("a.md", "# A\n\n## Kept\n\nx\n");
        let before = vec!["a.md#a".into(), "a.md#kept".into(), "a.md#dropped".into()];
        assert_eq!(gone(before, &now), ["a.md#dropped"]);
    }

    #[test]
    fn index_names() {
        assert_eq!(index_name("Acme"), "acme");
        assert_eq!(index_name("Acme Corp"), "acme-corp");
        assert_eq!(index_name("!!"), "kb");
    }
}
