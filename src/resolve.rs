//! DOC arguments: the one doc a user names by path, id or the start of a title.

use crate::doc::Document;
use crate::error::{Error, Result};
use crate::kb::Kb;
use std::path::Path;

impl Kb {
    /// The KB-relative path of the one doc `query` names: a path (relative to `cwd` or the root,
    /// `.md` optional), else an exact id, else an exact title, else the start of a title (all
    /// ignoring case). An ambiguous query lists its candidates; a query matching nothing
    /// carries the docs that could not be read, since one of them may be the one meant.
    pub fn resolve(&self, cwd: &Path, query: &str) -> Result<String> {
        if query.trim().is_empty() {
            return Err(Error::usage_with_hint(
                "DOC is empty",
                "give a path, an id or the start of a title",
            ));
        }
        if let Some(path) = self.existing_path(cwd, query) {
            return Ok(path);
        }
        let loaded = self.load();
        let matches = find(&loaded.docs, query);
        match matches.as_slice() {
            [one] => Ok(one.path.clone()),
            [] => Err(Error::DocNotFound {
                query: query.to_string(),
                unreadable: loaded.errors,
            }),
            many => Err(Error::Ambiguous {
                query: query.to_string(),
                candidates: candidates(many),
            }),
        }
    }

    /// `query` as the path of a Markdown file in the KB, relative to the cwd or the root.
    fn existing_path(&self, cwd: &Path, query: &str) -> Option<String> {
        let candidates = [query.to_string(), format!("{query}.md")];
        for candidate in &candidates {
            for base in [cwd, self.root.as_path()] {
                let full = base.join(candidate);
                let markdown = full
                    .extension()
                    .is_some_and(|e| e == "md" || e == "markdown");
                if markdown && full.is_file() {
                    if let Some(rel) = self.relative_path(cwd, &full) {
                        return Some(rel);
                    }
                }
            }
        }
        None
    }
}

/// Docs named by `query`: an exact id, else an exact title, else a title prefix (all ignoring case).
fn find<'a>(docs: &'a [Document], query: &str) -> Vec<&'a Document> {
    let q = query.trim().to_lowercase();
    let by = |pred: &dyn Fn(&Document) -> bool| docs.iter().filter(|d| pred(d)).collect::<Vec<_>>();
    let by_id = by(&|d| d.id().is_some_and(|id| id.to_lowercase() == q));
    if !by_id.is_empty() {
        return by_id;
    }
    let by_title = by(&|d| d.title.to_lowercase() == q);
    if !by_title.is_empty() {
        return by_title;
    }
    by(&|d| d.title.to_lowercase().starts_with(&q))
}

/// The candidates an ambiguous DOC lists: the first 20, then how many more.
fn candidates(docs: &[&Document]) -> Vec<String> {
    const SHOWN: usize = 20;
    let mut out: Vec<String> = docs
        .iter()
        .take(SHOWN)
        .map(|d| format!("{}  {}", d.path, d.title))
        .collect();
    if docs.len() > SHOWN {
        out.push(format!("... and {} more", docs.len() - SHOWN));
    }
    out
}
