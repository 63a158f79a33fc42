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
    let status = editor_command(editor, path)
        .status()
        .map_err(|e| Error::usage(format!("cannot start the editor {editor}: {e}; {after}")))?;
    match status.success() {
        true => Ok(()),
        false => Err(Error::usage(format!(
            "the editor {editor} exited with {status}; {after}"
        ))),
    }
}

/// The editor as a shell command line, as git runs it (`sh -c '<editor> "$@"' sh <file>`):
/// arguments (`code --wait`) and quoted paths with spaces work, and the file name is passed
/// as an argument, never re-read by the shell.
#[cfg(unix)]
fn editor_command(editor: &str, path: &Path) -> std::process::Command {
    let mut command = std::process::Command::new("sh");
    command
        .arg("-c")
        .arg(format!("{editor} \"$@\""))
        .arg("sh")
        .arg(path);
    command
}

/// Without a POSIX shell: the editor's words, split on whitespace, then the file.
#[cfg(not(unix))]
fn editor_command(editor: &str, path: &Path) -> std::process::Command {
    let mut parts = editor.split_whitespace();
    let mut command = std::process::Command::new(parts.next().unwrap_or("notepad"));
    command.args(parts).arg(path);
    command
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
