//! `kb init`: making a folder a knowledge base. Creates what is missing (kb.yaml,
//! `.kb/.gitignore` for the cache, `.kb/templates/` for overrides) and keeps everything that is
//! already there. Doc folders are made by `kb new` when it writes the first doc of a type.

use crate::config::CONFIG_FILE;
use crate::error::{Error, Result};
use crate::fsutil;
use std::path::Path;

/// What `init` did: KB-relative paths it created and those it found and kept.
#[derive(Debug, Default)]
pub struct Initialized {
    pub created: Vec<String>,
    pub existing: Vec<String>,
}

/// Makes `root` a knowledge base named `name` (default: the folder's name), creating the folder
/// if needed; nothing that exists is changed.
pub fn init(root: &Path, name: Option<String>) -> Result<Initialized> {
    std::fs::create_dir_all(root).map_err(|e| Error::io("create folder", root, e))?;
    let name = name.unwrap_or_else(|| {
        let abs = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        abs.file_name()
            .map_or("kb".into(), |n| n.to_string_lossy().into_owned())
    });
    let files = [
        (CONFIG_FILE.to_string(), starter_config(&name)),
        (
            ".kb/.gitignore".to_string(),
            crate::kb::KB_GITIGNORE.to_string(),
        ),
        (
            ".kb/templates/README.md".to_string(),
            TEMPLATES_README.to_string(),
        ),
    ];
    let mut done = Initialized::default();
    for (rel, contents) in files {
        if root.join(&rel).exists() {
            done.existing.push(rel);
        } else {
            fsutil::write_new(root, &rel, contents.as_bytes())?;
            done.created.push(rel);
        }
    }
    Ok(done)
}

/// Kept in `.kb/templates/` so the folder exists in git and says what it is for; `kb new` creates
/// each type's folder when it writes the first doc there, so init leaves no empty folders.
const TEMPLATES_README: &str =
    "# Templates\n\nA file here overrides the built-in template of the same name: \
`kb templates show spec > .kb/templates/spec.md`, then edit it. `kb templates list` shows which \
template is in force and where it comes from.\n";

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
