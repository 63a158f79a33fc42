//! The user's editor (`$VISUAL`, else `$EDITOR`), for `kb new --edit` and for writing a review
//! comment without `-m`.

use kb::error::{Error, Result};
use std::path::Path;

/// The editor command, or an error saying how to set one (`purpose` says what it was for).
pub fn command(purpose: &str) -> Result<String> {
    ["VISUAL", "EDITOR"]
        .iter()
        .find_map(|v| std::env::var(v).ok().filter(|e| !e.trim().is_empty()))
        .ok_or_else(|| {
            Error::usage_with_hint(
                format!("{purpose} needs an editor"),
                "set VISUAL or EDITOR, e.g. EDITOR=vim",
            )
        })
}

/// Opens `path` in `editor` and waits; `after` says what state the user is left in if it fails.
pub fn open(editor: &str, path: &Path, after: &str) -> Result<()> {
    // EDITOR may carry arguments ("code --wait"): split on whitespace as git does for simple cases.
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(path)
        .status()
        .map_err(|e| Error::usage(format!("cannot start the editor {program}: {e}; {after}")))?;
    match status.success() {
        true => Ok(()),
        false => Err(Error::usage(format!(
            "the editor {program} exited with {status}; {after}"
        ))),
    }
}

/// Text the user writes in their editor, from an empty temporary file.
pub fn compose(purpose: &str) -> Result<String> {
    let editor = command(purpose)?;
    let file = tempfile::Builder::new()
        .suffix(".md")
        .tempfile()
        .map_err(|e| Error::io("create a temporary file in", std::env::temp_dir(), e))?;
    open(&editor, file.path(), "nothing was written")?;
    std::fs::read_to_string(file.path())
        .map_err(|e| Error::io("read", file.path().to_path_buf(), e))
}
