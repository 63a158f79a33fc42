//! `kb show DOC`: one doc, its metadata and its body.

use super::{print, print_json, Ctx, Outcome, TextOrJson as Format};
use kb::error::{Error, Result};
use kb::render::diagnostic;
use kb::render::docs::{self, DocDetail};

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
    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

pub fn run(ctx: &Ctx, args: ShowArgs) -> Result<Outcome> {
    let format = ctx.format("show", args.format)?;
    let path = ctx.kb.resolve(&ctx.cwd, &args.doc)?;
    let mut source = ctx.kb.read(path).map_err(Error::Doc)?;
    let history = kb::history::attach(&ctx.kb, std::slice::from_mut(&mut source.doc));
    for note in &history.notes {
        diagnostic::print_problem(diagnostic::Severity::Warning, note, None, None);
    }
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
