//! `kb show DOC`: one doc, its metadata and its body.

use super::{print, print_json, Ctx, Format, Outcome};
use crate::doc::Document;
use crate::error::{Error, Result};
use crate::render::{
    diagnostic,
    docs::{self, DocDetail},
};

/// Show one doc: its metadata, then its body
///
/// DOC is a path (relative to the current folder or to the KB root, `.md` optional), an `id`
/// from front-matter, or the start of a title. An ambiguous DOC lists the candidates.
/// Only the doc shown matters: others that cannot be read are mentioned only when no doc
/// matched (one of them might have been it).
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  kb show handbook/values.md\n  kb show RCA-0001\n  kb show \"async comm\"\n  kb show ADR-0002 --format json"
)]
pub struct ShowArgs {
    /// A path, an id, or the start of a title
    #[arg(value_name = "DOC")]
    pub doc: String,

    /// Show the doc's open review threads after the passages they are about
    #[arg(long)]
    pub comments: bool,
}

pub fn run(ctx: &Ctx, args: ShowArgs) -> Result<Outcome> {
    let format = ctx.format("show", &[Format::Text, Format::Json])?;
    let path = resolve(ctx, &args.doc)?;
    let source = ctx.kb.read(path).map_err(Error::Doc)?;
    let detail = DocDetail::from(&source);
    match format {
        Format::Json => print_json(&detail)?,
        _ if args.comments => {
            let threads = super::review::open_threads(ctx, &source.doc.path);
            let mut text = docs::show_header(&detail);
            text.push_str(&super::review::annotated(&source, threads));
            print(&text)?
        }
        _ => print(&docs::show_text(&detail))?,
    }
    Ok(Outcome::Clean)
}

/// The path of the one doc `query` names.
pub(super) fn resolve(ctx: &Ctx, query: &str) -> Result<String> {
    if query.trim().is_empty() {
        return Err(Error::usage_with_hint(
            "DOC is empty",
            "give a path, an id or the start of a title",
        ));
    }
    if let Some(path) = existing_path(ctx, query) {
        return Ok(path);
    }
    let loaded = ctx.kb.load();
    let matches = find(&loaded.docs, query);
    match matches.as_slice() {
        [one] => Ok(one.path.clone()),
        [] => {
            if !loaded.errors.is_empty() {
                eprintln!(
                    "{} docs could not be read; one of them may be the one you want:",
                    loaded.errors.len()
                );
                diagnostic::print_doc_errors(&loaded.errors);
            }
            Err(Error::DocNotFound {
                query: query.to_string(),
            })
        }
        many => Err(Error::Ambiguous {
            query: query.to_string(),
            candidates: candidates(many),
        }),
    }
}

/// `query` as the path of a Markdown file in the KB, relative to the cwd or the root.
fn existing_path(ctx: &Ctx, query: &str) -> Option<String> {
    let candidates = [query.to_string(), format!("{query}.md")];
    for candidate in &candidates {
        for base in [ctx.cwd.as_path(), ctx.kb.root.as_path()] {
            let full = base.join(candidate);
            let markdown = full
                .extension()
                .is_some_and(|e| e == "md" || e == "markdown");
            if markdown && full.is_file() {
                if let Some(rel) = ctx.kb.relative_path(&ctx.cwd, &full) {
                    return Some(rel);
                }
            }
        }
    }
    None
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
