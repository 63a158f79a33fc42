//! `kb ls`: list docs by their metadata.

use super::{print, print_with, Ctx, DocFilter, Outcome};
use kb::error::Result;
use kb::query::{self, Condition, Filter, Sort};
use kb::render::{
    diagnostic,
    docs::{self, DocSummary, Listing, Summarized},
};

/// List docs, filtered and sorted by front-matter
///
/// Filters of different kinds must all hold; repeating one (`--type rca --type spec`) accepts
/// any of its values, except --tag and --where, which must all hold.
///
/// A doc that cannot be read (bad YAML, unclosed front-matter, not UTF-8) is reported on stderr
/// with its file and line, the rest are listed, and kb exits with 1, since it cannot tell
/// whether that doc would have matched.
#[derive(Debug, clap::Args)]
#[command(after_help = "Where expressions:
  key=value  key!=value  key~text (contains)  key? (exists)
  key<value  key<=value  key>value  key>=value (dates and numbers compare as such)
  a.b=value reaches into maps; a list field matches when any item does.

Examples:
  kb ls --type rca --status published
  kb ls --owner dana --tag onboarding
  kb ls --where 'updated<2026-01-01' --sort updated
  kb ls --where review.due? --sort=-review.due --format json")]
pub struct LsArgs {
    #[command(flatten)]
    pub filter: DocFilter,

    /// Only docs whose front-matter satisfies EXPR (repeatable)
    #[arg(long = "where", value_name = "EXPR")]
    pub conditions: Vec<String>,

    /// Sort by this field (prefix with - for descending: --sort=-updated); default: path
    #[arg(long, value_name = "FIELD", allow_hyphen_values = true)]
    pub sort: Option<String>,
    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

/// `--format`: what this command can print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people
    Table,
    /// JSON with a versioned schema, for scripts
    Json,
    /// GitHub-flavoured Markdown
    #[value(alias = "markdown")]
    Md,
}

pub fn run(ctx: &Ctx, args: LsArgs) -> Result<Outcome> {
    let format = ctx.format("ls", args.format)?;
    let filter = Filter {
        types: args.filter.types,
        statuses: args.filter.statuses,
        owners: args.filter.owners,
        tags: args.filter.tags,
        conditions: args
            .conditions
            .iter()
            .map(|c| Condition::parse(c)?.resolve(&ctx.kb.config.schema, ctx.kb.config.today))
            .collect::<Result<_>>()?,
    };
    let sort = args.sort.as_deref().map(Sort::parse).transpose()?;

    let mut loaded = ctx.kb.load();
    let history = kb::history::attach(&ctx.kb, &mut loaded.docs);
    let mut notes = history.notes;
    let asks_git = filter
        .conditions
        .iter()
        .map(|c| c.key.as_str())
        .chain(sort.as_ref().map(|s| s.key.as_str()));
    if !history.in_git && asks_git.into_iter().any(|k| k.starts_with("git.")) {
        notes.push("the KB is not in a git repository, so no doc has `git.` facts".into());
    }
    for note in &notes {
        diagnostic::print_problem(diagnostic::Severity::Warning, note, None, None);
    }
    let mut selected: Vec<_> = loaded.docs.iter().filter(|d| filter.matches(d)).collect();
    if let Some(sort) = sort {
        if let Some(closest) = query::closest_field(&loaded.docs, &sort.key) {
            let hint = closest.map(|c| format!("did you mean --sort {c}?"));
            diagnostic::print_problem(
                diagnostic::Severity::Warning,
                &format!(
                    "no doc has the field `{}`: the listing is sorted by path",
                    sort.key
                ),
                None,
                hint.as_deref(),
            );
        }
        sort.apply(&mut selected);
    }
    diagnostic::print_doc_errors(&loaded.errors);
    // A query that matches nothing exits 1, as grep and `kb search` do; JSON still prints.
    let outcome = match kb::error::any_broken(&loaded.errors) || selected.is_empty() {
        false => Outcome::Clean,
        true => Outcome::Problems,
    };
    if selected.is_empty() && format != Format::Json {
        match loaded.docs.is_empty() {
            true => anstream::eprintln!("no docs yet: `kb new TYPE \"TITLE\"` writes one"),
            false => anstream::eprintln!("no docs match"),
        }
        return Ok(outcome);
    }
    match format {
        Format::Json => {
            // Each doc's summary is made as it is written, on the writer's threads.
            let listing = Listing {
                schema_version: 1,
                docs: selected.into_iter().map(Summarized).collect(),
                errors: &loaded.errors,
            };
            print_with(|out| listing.write_json(out))?;
        }
        Format::Md => print(&docs::ls_markdown(&summaries(&selected)))?,
        _ => print(&docs::ls_table(&summaries(&selected)))?,
    }
    // The process ends next: its memory goes back whole, sooner than 100k docs freed one by
    // one, mostly on threads other than those that made them.
    std::mem::forget(loaded);
    Ok(outcome)
}

/// The rows of a table or Markdown listing (the JSON listing makes its own as it writes).
fn summaries<'a>(docs: &[&'a kb::doc::Document]) -> Vec<DocSummary<'a>> {
    use rayon::prelude::*;
    docs.par_iter().map(|d| DocSummary::from(*d)).collect()
}
