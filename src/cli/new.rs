//! `kb new TYPE "TITLE"`: scaffold a doc from its type's template.

use super::{print, print_json, Ctx, Outcome, TextOrJson as Format};
use kb::error::Result;
use kb::git;
use kb::render::docs::{self, Created};
use kb::scaffold::{self, NewDoc, Request};

/// Create a doc from its type's template, in the right folder, with the next free id
///
/// The doc gets `created:` (today, or KB_NOW) and `author:` (KB_USER, else your git identity
/// mapped to a handle through the emails in people/); `owner:` defaults to the author.
/// An existing file is never overwritten: that is an error naming it.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  kb new spec \"Checkout redesign\"
  kb new rca \"Checkout outage 2026-11-20\" --owner dana --tag payments
  kb new goal \"Halve p99 latency\" --period 2026-Q4 --parent eng-2026-q4-reliability
  kb new decision \"Adopt feature flags\" --dry-run
  kb new meeting \"Q1 planning pre-read\" --edit --commit
  kb new rca \"Payout delay\" --set severity=sev1 --print-path")]
pub struct NewArgs {
    /// The doc type: spec, rca, deep-dive, decision, meeting, memo, playbook, handbook,
    /// onboarding, goal, checkin, person, metric, or one from kb.yaml
    #[arg(value_name = "TYPE")]
    pub doc_type: String,

    /// The doc's title
    #[arg(value_name = "TITLE")]
    pub title: String,

    /// Owner's handle (default: you)
    #[arg(long, value_name = "HANDLE")]
    pub owner: Option<String>,

    /// A tag (repeatable)
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Parent goal's id (goals and check-ins)
    #[arg(long, value_name = "ID")]
    pub parent: Option<String>,

    /// Goal period: 2026, 2026-Q4, 2026-11, 2026-W48 (default for goals: this quarter)
    #[arg(long, value_name = "PERIOD")]
    pub period: Option<String>,

    /// A template variable (repeatable), e.g. --set severity=sev1
    #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_set)]
    pub sets: Vec<(String, String)>,

    /// Print only the new file's path
    #[arg(long)]
    pub print_path: bool,

    /// Print the doc instead of writing it
    #[arg(long)]
    pub dry_run: bool,

    /// Open the new doc in $VISUAL or $EDITOR
    #[arg(long, conflicts_with = "dry_run")]
    pub edit: bool,

    /// Commit the new file (and only it) with your git identity
    #[arg(long, conflicts_with = "dry_run")]
    pub commit: bool,
    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<Format>,
}

fn parse_set(arg: &str) -> std::result::Result<(String, String), String> {
    match arg.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.to_string())),
        _ => Err(format!("expected KEY=VALUE, got {arg:?}")),
    }
}

pub fn run(ctx: &Ctx, args: NewArgs) -> Result<Outcome> {
    let format = ctx.format("new", args.format)?;
    let author = ctx.author("fill in `author:`")?;
    let request = Request {
        doc_type: args.doc_type,
        title: args.title,
        owner: args.owner,
        tags: args.tags,
        parent: args.parent,
        period: args.period,
        sets: args.sets,
    };
    let editor = match args.edit {
        // Checked before the doc is written, so a missing editor leaves nothing behind.
        true => Some(super::editor::command("--edit")?),
        false => None,
    };
    if args.dry_run {
        let doc = scaffold::plan(&ctx.kb, &request, &author)?;
        return report(&doc, format, args.print_path, false, None);
    }
    if args.commit {
        // Checked before the doc is written, so `--commit` outside git leaves nothing behind.
        git::ensure_repository(&ctx.kb.root)?;
    }
    let doc = scaffold::create(&ctx.kb, &request, &author)?;
    let commit = match args.commit {
        true => Some(git::commit_file(
            &ctx.kb.root,
            &doc.path,
            &format!("Add {} {}", doc.doc_type, doc.title),
        )?),
        false => None,
    };
    report(&doc, format, args.print_path, true, commit)?;
    if let Some(editor) = editor {
        let path = ctx.kb.root.join(&doc.path);
        super::editor::open(
            &editor,
            &path,
            &format!("the doc is saved at {}", path.display()),
        )?;
    }
    Ok(Outcome::Clean)
}

fn report(
    doc: &NewDoc,
    format: Format,
    print_path: bool,
    written: bool,
    commit: Option<String>,
) -> Result<Outcome> {
    let created = Created {
        schema_version: 1,
        path: &doc.path,
        id: doc.id.as_deref(),
        doc_type: &doc.doc_type,
        title: &doc.title,
        written,
        commit,
        content: (!written).then_some(doc.content.as_str()),
    };
    match format {
        Format::Json => print_json(&created)?,
        Format::Text if print_path => print(&format!("{}\n", doc.path))?,
        Format::Text => print(&docs::created_text(&created))?,
    }
    if let Some(hint) = &doc.hint {
        anstream::eprintln!("note: {hint}");
    }
    Ok(Outcome::Clean)
}
