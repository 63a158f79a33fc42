//! `kb render`: regenerate the live blocks of docs in place, or (`--check`) say which are out
//! of date, for CI.

use super::{print, print_json, Ctx, Outcome, TextOrJson};
use kb::blocks::{self, kinds::Live, BlockState, State};
use kb::error::Result;
use kb::render::{blocks as view, diagnostic};

/// Regenerate the live blocks in docs (`<!-- kb:KIND args -->` ... `<!-- /kb -->`)
///
/// A block holds the Markdown of a kb command, between its markers: `ls` (type, status, owner,
/// tag, where, sort, limit, columns), `goals` (period, owner, level), `stale` (owner, type),
/// `digest` (since, until), `metrics` (owner) and `reviews`. Only the bytes between markers change, a second run
/// writes nothing, and links lead from the doc holding the block. Blocks inside code fences are
/// left alone. --check writes nothing and exits 1 when a block is out of date; an invalid block
/// (unknown kind or argument, a marker not closed) exits 1 too.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb render
  kb render handbook/index.md decisions/
  kb render --check                # in CI: fail when a generated page is out of date

In a doc:
  <!-- kb:ls type=decision status=accepted sort=-created limit=20 columns=id,title,owner -->
  <!-- /kb -->")]
pub struct RenderArgs {
    /// Docs or folders to render (default: all)
    pub paths: Vec<String>,

    /// Write nothing; exit 1 naming each block that is out of date
    #[arg(long)]
    pub check: bool,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<TextOrJson>,
}

pub fn run(ctx: &Ctx, args: RenderArgs) -> Result<Outcome> {
    let format = ctx.format("render", args.format)?;
    let only = kb::check::Options::scoped(&ctx.kb, &ctx.cwd, &args.paths, None)?.only;
    let live = Live::default();
    let mut states: Vec<BlockState> = Vec::new();
    for doc in blocks::docs_with_blocks(&ctx.kb, only.as_ref()) {
        match args.check {
            true => {
                let Some(text) = ctx.kb.read_doc_text(&doc) else {
                    continue;
                };
                states.extend(blocks::compare(&ctx.kb, &live, &doc, &text).0);
            }
            false => states.extend(blocks::render_doc(&ctx.kb, &live, &doc)?),
        }
    }
    for s in states.iter().filter(|s| s.state == State::Invalid) {
        diagnostic::print_problem(
            diagnostic::Severity::Error,
            s.message.as_deref().unwrap_or("invalid block"),
            Some(&format!("{}:{}", s.path, s.line)),
            Some("a block is `<!-- kb:KIND key=value -->` ... `<!-- /kb -->`"),
        );
    }
    let failed = states
        .iter()
        .any(|s| s.state == State::Invalid || s.state == State::OutOfDate);
    let report = view::Rendered {
        schema_version: 1,
        check: args.check,
        blocks: states,
    };
    match format {
        TextOrJson::Json => print_json(&report)?,
        TextOrJson::Text => print(&view::text(&report))?,
    }
    Ok(match failed {
        true => Outcome::Problems,
        false => Outcome::Clean,
    })
}
