//! `kb export`: section records for a search engine, streamed to stdout as NDJSON or as an
//! Elasticsearch/OpenSearch `_bulk` body.

use super::{Ctx, Outcome};
use kb::error::{Error, Result};
use kb::export::{self, Action};
use kb::render::{self, diagnostic};
use std::io::{BufWriter, Write};

/// Export one record per section, for a search engine
///
/// Each section of each doc (the part before the first heading, then one per heading) becomes a
/// record in Algolia DocSearch's shape: objectID (`path#anchor`, or `path` before the first
/// heading), url, anchor, hierarchy {lvl0: the doc type or top folder, lvl1: the title, lvl2..lvl6:
/// the headings down to the section}, content (plain text); plus path, line, title, type, doc_id,
/// owner, status, tags, updated, and id: objectID with only [A-Za-z0-9_-] and a short hash, for
/// engines with strict primary keys (Meilisearch).
///
/// --format ndjson (the default) writes one JSON object per line, for Meilisearch, Typesense and
/// Quickwit. --format es-bulk writes an Elasticsearch/OpenSearch `_bulk` body: an action line
/// {"index":{"_index":NAME,"_id":objectID}}, then the record, for each.
///
/// --since REV writes only the records of docs changed since REV (committed, staged, modified or
/// untracked), and a delete for each record REV had that is gone (a removed section, a deleted
/// doc): {"delete":{"_index":NAME,"_id":objectID}} in es-bulk; in ndjson, which has no delete, the
/// line {"objectID":..., "id":..., "_deleted":true}, for the loader to turn into a delete.
///
/// A doc that cannot be read is reported on stderr and left out (with --since, its old records are
/// not deleted), and kb exits with 1.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb export > kb.ndjson
  kb export --format es-bulk > bulk.ndjson
  kb export --format es-bulk --index handbook --since origin/main
  kb export --since HEAD~1 | grep '\"_deleted\":true'")]
pub struct ExportArgs {
    /// Only docs changed since this git revision, plus deletes for what is gone
    #[arg(long, value_name = "REV")]
    pub since: Option<String>,

    /// The index es-bulk action lines name (default: kb.yaml's name as a slug, e.g. acme)
    #[arg(long, value_name = "NAME")]
    pub index: Option<String>,
    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// `--format`: what this command can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One JSON object per line
    Ndjson,
    /// An Elasticsearch/OpenSearch `_bulk` body
    EsBulk,
}

pub fn run(ctx: &Ctx, args: ExportArgs) -> Result<Outcome> {
    let format = ctx.format("export", args.format)?;
    let index = args
        .index
        .unwrap_or_else(|| export::index_name(&ctx.kb.config.name));
    let mut out = BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let mut write = |action: Action| match format {
        Format::EsBulk => render::export::write_es_bulk(&mut out, &index, &action),
        _ => render::export::write_ndjson(&mut out, &action),
    };
    let summary = match &args.since {
        Some(rev) => export::since(&ctx.kb, rev, &mut write)?,
        None => export::all(&ctx.kb, &mut write)?,
    };
    out.flush().map_err(Error::Output)?;
    diagnostic::print_doc_errors(&summary.errors);
    Ok(match kb::error::any_broken(&summary.errors) {
        true => Outcome::Problems,
        false => Outcome::Clean,
    })
}
