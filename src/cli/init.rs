//! `kb init [DIR]`: make a folder a knowledge base. Creates what is missing (kb.yaml,
//! `.kb/.gitignore` for the cache, `.kb/templates/` for overrides) and keeps everything that is
//! already there. Doc folders are made by `kb new` when it writes the first doc of a type.

use super::{print, Format, Outcome};
use kb::config::CONFIG_FILE;
use kb::error::{Error, Result};
use kb::fsutil;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Create a knowledge base: kb.yaml, the folders, and .kb/ for kb's cache
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
}

#[derive(Debug, Serialize)]
struct InitReport {
    schema_version: u32,
    root: String,
    created: Vec<String>,
    existing: Vec<String>,
}

/// `kb_dir` is `--kb`/`KB_DIR`: the folder to initialise when no DIR is given.
pub fn run(
    cwd: &Path,
    kb_dir: Option<&Path>,
    format: Option<Format>,
    args: InitArgs,
) -> Result<Outcome> {
    let format = match format {
        None | Some(Format::Text) => Format::Text,
        Some(Format::Json) => Format::Json,
        Some(other) => {
            return Err(Error::usage_with_hint(
                format!("`kb init` has no --format {other:?}").to_lowercase(),
                "use text or json",
            ))
        }
    };
    let root = cwd.join(args.dir.as_deref().or(kb_dir).unwrap_or(Path::new("")));
    std::fs::create_dir_all(&root).map_err(|e| Error::io("create folder", &root, e))?;
    let name = args.name.unwrap_or_else(|| {
        let abs = root.canonicalize().unwrap_or_else(|_| root.clone());
        abs.file_name()
            .map_or("kb".into(), |n| n.to_string_lossy().into_owned())
    });

    let mut report = InitReport {
        schema_version: 1,
        root: match super::shown_path(cwd, &root) {
            p if p.is_empty() => ".".into(),
            p => p,
        },
        created: Vec::new(),
        existing: Vec::new(),
    };
    let files = [
        (CONFIG_FILE.to_string(), starter_config(&name)),
        (
            ".kb/.gitignore".to_string(),
            kb::kb::KB_GITIGNORE.to_string(),
        ),
        (
            ".kb/templates/README.md".to_string(),
            TEMPLATES_README.to_string(),
        ),
    ];
    for (rel, contents) in files {
        let path = root.join(&rel);
        if path.exists() {
            report.existing.push(rel);
        } else {
            fsutil::write_new(&root, &rel, contents.as_bytes())?;
            report.created.push(rel);
        }
    }
    match format {
        Format::Json => super::print_json(&report)?,
        _ => print(&init_text(&report))?,
    }
    Ok(Outcome::Clean)
}

/// Kept in `.kb/templates/` so the folder exists in git and says what it is for; `kb new` creates
/// each type's folder when it writes the first doc there, so init leaves no empty folders.
const TEMPLATES_README: &str =
    "# Templates\n\nA file here overrides the built-in template of the same name: \
`kb templates show spec > .kb/templates/spec.md`, then edit it. `kb templates list` shows which \
template is in force and where it comes from.\n";

fn init_text(report: &InitReport) -> String {
    let mut out = format!("Knowledge base in {}\n", report.root);
    for path in &report.created {
        out.push_str(&format!("  created  {path}\n"));
    }
    for path in &report.existing {
        out.push_str(&format!("  kept     {path}\n"));
    }
    out.push_str("\nNext: `kb ls` and `kb check` for the docs already here, or `kb new spec \"A title\"` to write one.\n");
    out
}

fn starter_config(name: &str) -> String {
    let name = serde_json::to_string(name).unwrap_or_else(|_| "\"kb\"".into());
    format!(
        "# kb configuration. Every key is optional; see `kb --help`.\nname: {name}\n\n\
# Paths (globs, relative to this folder) that are not docs.\nexclude: []\n\n\
# Add a doc type or change a built-in one:\n# types:\n#   vendor:\n#     folder: vendors\n\
#     required: [title, owner, renewal]\n#     fields: {{renewal: date, annual_cost: number}}\n\
#     statuses: [evaluating, active, offboarding]\n\n\
# Goal check-ins are expected twice a week; a goal without one for longer is stale.\n\
goals:\n  stale_after_days: 4\n"
    )
}
