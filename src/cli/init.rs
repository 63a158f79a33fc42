//! `kb init [DIR]`: make a folder a knowledge base (the work is in the core's `init`).

use super::{print, Outcome, TextOrJson};
use kb::error::Result;
use kb::render::init::{self as view, InitReport};
use std::path::{Path, PathBuf};

/// Create a knowledge base: kb.yaml and .kb/ (folders come with each type's first doc)
///
/// Safe on an existing repository: nothing that exists is changed or overwritten.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  kb init                 # the current folder\n  kb init handbook-repo   # creates the folder if needed"
)]
pub struct InitArgs {
    /// Folder to make a knowledge base (default: the current folder)
    pub dir: Option<PathBuf>,

    /// The knowledge base's name, written to kb.yaml (default: the folder's name)
    #[arg(long)]
    pub name: Option<String>,

    /// Output format
    #[arg(long, value_enum)]
    pub format: Option<TextOrJson>,
}

/// `kb_dir` is `--kb`/`KB_DIR`: the folder to initialise when no DIR is given; `before` is a
/// `--format` given before the command.
pub fn run(
    cwd: &Path,
    kb_dir: Option<&Path>,
    before: Option<&str>,
    args: InitArgs,
) -> Result<Outcome> {
    let format = super::choose_format("init", args.format, before)?;
    let root = cwd.join(args.dir.as_deref().or(kb_dir).unwrap_or(Path::new("")));
    let done = kb::init::init(&root, args.name)?;
    let report = InitReport {
        schema_version: 1,
        root: match super::shown_path(cwd, &root) {
            p if p.is_empty() => ".".into(),
            p => p,
        },
        created: done.created,
        existing: done.existing,
    };
    match format {
        TextOrJson::Json => super::print_json(&report)?,
        TextOrJson::Text => print(&view::text(&report))?,
    }
    Ok(Outcome::Clean)
}
