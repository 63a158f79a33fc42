//! Writing files the safe way: atomically (a temp file in the same folder, then a rename) and
//! never over a file that is already there, so a crash or a race leaves either nothing or the
//! whole file, and a user's file is never replaced unasked.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Writes `contents` to a new file at `path`, creating its folders. An existing file at `path`
/// is an error and is left untouched.
pub fn write_new(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    if path.exists() {
        return Err(already_exists(path));
    }
    let mut tmp = temp_in(dir)?;
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io("write", tmp.path().to_path_buf(), e))?;
    tmp.persist_noclobber(path)
        .map_err(|e| match e.error.kind() {
            std::io::ErrorKind::AlreadyExists => already_exists(path),
            _ => Error::io("write", path, e.error),
        })?;
    Ok(())
}

/// Writes `contents` to `path` atomically, replacing the file if it exists: for files kb owns and
/// extends, such as today's check-in.
pub fn replace(path: &Path, contents: &[u8]) -> Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io("create folder", dir, e))?;
    let mut tmp = temp_in(dir)?;
    tmp.write_all(contents)
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io("write", tmp.path().to_path_buf(), e))?;
    tmp.persist(path)
        .map_err(|e| Error::io("write", path, e.error))?;
    Ok(())
}

/// A temp file beside the target, readable like any doc (0666 less the umask, not 0600).
fn temp_in(dir: &Path) -> Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    builder.prefix(".kb-tmp-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    builder
        .tempfile_in(dir)
        .map_err(|e| Error::io("create a temporary file in", dir, e))
}

fn already_exists(path: &Path) -> Error {
    Error::usage_with_hint(
        format!("{} already exists", path.display()),
        "kb never overwrites a file: choose another name, or move the existing file away",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_once_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b.md");
        write_new(&path, b"one").unwrap();
        assert!(write_new(&path, b"two").is_err());
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("a")).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temp file left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode & 0o044, 0o044, "readable by others: {mode:o}");
        }
    }
}
