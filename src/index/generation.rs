//! Generations: how `.kb/cache/index/` is laid out so that a reader always sees a whole index.
//! Every build or refresh writes a new generation `gen-<ulid>/` and publishes it by replacing the
//! pointer file `CURRENT` with a rename; a published generation never changes. Each generation
//! has a lock file `gen-<ulid>.lock` beside it: its builder holds it exclusively until it is
//! published, readers hold it shared while they use it. A generation that `CURRENT` does not
//! name and whose lock can be taken exclusively is dead (superseded, or a build that was killed)
//! and any run sweeps it away.

use crate::error::{Error, Result};
use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Duration;

const POINTER: &str = "CURRENT";
const PREFIX: &str = "gen-";
const LOCK_SUFFIX: &str = ".lock";
/// A generation being removed is first renamed to this prefix, so no reader opens it midway.
const DEAD_PREFIX: &str = "dead-";
/// Temp files made beside their target (the pointer, a lock file) before a rename.
const TEMP_PREFIX: &str = ".kb-tmp-";
/// A temp file younger than this may belong to a run that is about to rename it.
const TEMP_GRACE: Duration = Duration::from_secs(60);
/// How often a reader follows the pointer when sweeps keep removing what it named.
const OPEN_ATTEMPTS: usize = 20;
/// Folders the index layout before generations left in `.kb/cache/` when a build was killed.
const LEGACY_BUILD_PREFIX: &str = "index.build-";

/// One generation, held: exclusively while it is built, shared once published. Dropping it
/// releases the lock.
#[derive(Debug)]
pub struct Generation {
    pub dir: PathBuf,
    name: String,
    /// `None` for a reader that may not open the lock file: it reads all the same.
    lock: Option<File>,
}

/// An index that cannot be used as it is: the caller rebuilds it.
pub fn damaged(message: impl Into<String>) -> Error {
    Error::Index {
        message: message.into(),
        path: None,
        source: None,
    }
}

/// The published generation, held shared so that no sweep removes it while it is read; `None`
/// when nothing was ever published here.
pub fn open_current(root: &Path) -> Result<Option<Generation>> {
    for _ in 0..OPEN_ATTEMPTS {
        let Some(name) = read_pointer(root)? else {
            return Ok(None);
        };
        if let Some(generation) = hold_shared(root, &name)? {
            return Ok(Some(generation));
        }
        // Swept between our reading the pointer and locking: a newer one was published.
        if read_pointer(root)?.as_deref() == Some(name.as_str()) {
            return Err(damaged(format!("{POINTER} names {name}, which is missing")));
        }
    }
    Err(damaged(format!(
        "{POINTER} keeps naming removed generations"
    )))
}

/// A generation with no folder and no lock, for an index that lives in memory (the fuzz
/// targets).
#[doc(hidden)]
pub fn detached() -> Generation {
    Generation {
        dir: PathBuf::new(),
        name: String::new(),
        lock: None,
    }
}

/// A new, empty generation, held exclusively until it is published.
pub fn create(root: &Path) -> Result<Generation> {
    // Something else where the index folder goes is a broken cache, like any other.
    if root.exists() && !root.is_dir() {
        let _ = std::fs::remove_file(root);
    }
    std::fs::create_dir_all(root).map_err(|e| Error::io("create folder", root, e))?;
    let name = format!("{PREFIX}{}", ulid::Ulid::generate());
    // The lock file is made aside and renamed into place already locked, so a sweep never finds
    // it unlocked; it exists before the folder, so a folder without one is never a live build.
    let tmp = temp_in(root)?;
    tmp.as_file()
        .lock()
        .map_err(|e| Error::io("lock", tmp.path(), e))?;
    let lock_path = lock_path(root, &name);
    let lock = tmp
        .persist_noclobber(&lock_path)
        .map_err(|e| Error::io("create", &lock_path, e.error))?;
    let dir = root.join(&name);
    std::fs::create_dir(&dir).map_err(|e| Error::io("create folder", &dir, e))?;
    Ok(Generation {
        dir,
        name,
        lock: Some(lock),
    })
}

impl Generation {
    /// Makes this generation the one readers open, and holds it shared from now on.
    pub fn publish(&mut self, root: &Path) -> Result<()> {
        if let Some(lock) = &self.lock {
            set_modes(&self.dir, lock)?;
        }
        seal(&self.dir)?;
        write_pointer(root, &self.name)?;
        // Not atomic (flock drops the lock, then takes the shared one), but a sweep that gets in
        // between sees that CURRENT names this generation and leaves it.
        if let Some(lock) = &self.lock {
            lock.lock_shared()
                .map_err(|e| Error::io("lock", lock_path(root, &self.name), e))?;
        }
        Ok(())
    }
}

/// Removes what earlier runs left behind: superseded generations no reader holds, builds that
/// were killed, half-removed generations and files of the layout before generations. Failures are
/// ignored (a user without write access, a concurrent sweep): the next run tries again.
pub fn sweep(root: &Path) {
    sweep_legacy_builds(root);
    let Ok(entries) = std::fs::read_dir(root) else {
        return;
    };
    let current = read_pointer(root).ok().flatten();
    for entry in entries.flatten() {
        let Ok(name) = entry.file_name().into_string() else {
            continue;
        };
        let is_dir = entry.file_type().is_ok_and(|t| t.is_dir());
        if name == POINTER || Some(&name) == current.as_ref() {
            continue;
        }
        if let Some(generation) = name.strip_suffix(LOCK_SUFFIX) {
            if !root.join(generation).exists() {
                retire(root, generation);
            }
        } else if is_generation_name(&name) && is_dir {
            retire(root, &name);
        } else if name.starts_with(DEAD_PREFIX) && is_dir {
            let _ = std::fs::remove_dir_all(entry.path());
        } else if name.starts_with(TEMP_PREFIX) {
            if older_than(&entry.path(), TEMP_GRACE) {
                let _ = std::fs::remove_file(entry.path());
            }
        } else if !is_dir {
            // A file of the single-folder layout kb used before generations.
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Removes generation `name` (its folder, if any, and its lock file) unless it is published or
/// someone holds it.
fn retire(root: &Path, name: &str) {
    let lock_path = lock_path(root, name);
    if !crate::fsutil::absent_or_regular(&lock_path) {
        return;
    }
    let lock = match File::open(&lock_path) {
        Ok(file) => Some(file),
        // A builder makes the lock file first: a folder without one is never a live build.
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(_) => return,
    };
    if let Some(lock) = &lock {
        if lock.try_lock().is_err() {
            return;
        }
        // Published since we read the pointer: now that we hold it, nobody can publish it again.
        if read_pointer(root).ok().flatten().as_deref() == Some(name) {
            return;
        }
    }
    let dir = root.join(name);
    let dead = root.join(format!("{DEAD_PREFIX}{name}"));
    if dir.exists() && std::fs::rename(&dir, &dead).is_err() {
        return;
    }
    let _ = std::fs::remove_file(&lock_path);
    drop(lock);
    let _ = std::fs::remove_dir_all(&dead);
}

/// Killed builds of the layout before generations, in `.kb/cache/`.
fn sweep_legacy_builds(root: &Path) {
    let Some(cache) = root.parent() else {
        return;
    };
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.flatten() {
        let is_build = entry
            .file_name()
            .to_str()
            .is_some_and(|n| n.starts_with(LEGACY_BUILD_PREFIX));
        if is_build && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// Generation `name`, held shared; `None` when it is gone (swept after the pointer moved on).
fn hold_shared(root: &Path, name: &str) -> Result<Option<Generation>> {
    let lock_path = lock_path(root, name);
    if !crate::fsutil::absent_or_regular(&lock_path) {
        return Err(damaged(format!(
            "{} is not a plain file",
            lock_path.display()
        )));
    }
    let lock = match File::open(&lock_path) {
        Ok(file) => {
            file.lock_shared()
                .map_err(|e| Error::io("lock", &lock_path, e))?;
            Some(file)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        // Cannot open it (permissions): read without it; a sweep then may remove the generation
        // under us, which shows as a damaged index and is answered by a rebuild.
        Err(_) => None,
    };
    // A sweep renames a generation away while holding its lock: look once ours is taken.
    let dir = root.join(name);
    Ok(dir.is_dir().then(|| Generation {
        dir,
        name: name.to_string(),
        lock,
    }))
}

/// The generation `CURRENT` names; `None` when there is no pointer, an error when it is garbled.
fn read_pointer(root: &Path) -> Result<Option<String>> {
    match crate::fsutil::read_own(root, POINTER) {
        Ok(Some(bytes)) => parse_pointer(&bytes)
            .map(Some)
            .ok_or_else(|| damaged(format!("{POINTER} is garbled"))),
        Ok(None) => Ok(None),
        Err(e) => Err(Error::index(
            format!("cannot read {POINTER}: {e}"),
            Some(&root.join(POINTER)),
            e,
        )),
    }
}

fn parse_pointer(bytes: &[u8]) -> Option<String> {
    let name = std::str::from_utf8(bytes).ok()?.strip_suffix('\n')?;
    is_generation_name(name).then(|| name.to_string())
}

fn is_generation_name(name: &str) -> bool {
    name.strip_prefix(PREFIX)
        .is_some_and(|id| id.parse::<ulid::Ulid>().is_ok())
}

fn lock_path(root: &Path, name: &str) -> PathBuf {
    root.join(format!("{name}{LOCK_SUFFIX}"))
}

/// The file that records, at publish time, each file of a generation with its size, inode and
/// change time.
const SEAL: &str = "kb-seal";

/// Records every file of a finished generation as it is now. A file that is later rewritten or
/// replaced gets a new change time or inode, so readers need to verify checksums only of files
/// whose stamp no longer matches, instead of reading the whole index on every search.
fn seal(dir: &Path) -> Result<()> {
    let mut text = String::new();
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read folder", dir, e))?;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name == SEAL {
            continue;
        }
        if let Some(stamp) = entry.metadata().ok().and_then(|m| file_stamp(&m)) {
            text.push_str(&format!("{stamp} {name}\n"));
        }
    }
    let path = dir.join(SEAL);
    std::fs::write(&path, text).map_err(|e| Error::io("write", &path, e))
}

/// The files of a generation unchanged since it was sealed (empty when the seal is missing or
/// unreadable: then everything is verified).
pub fn sealed_unchanged(dir: &Path) -> std::collections::HashSet<String> {
    let Ok(text) = std::fs::read_to_string(dir.join(SEAL)) else {
        return Default::default();
    };
    text.lines()
        .filter_map(|line| {
            let (stamp, name) = line.rsplit_once(' ')?;
            let now = std::fs::metadata(dir.join(name))
                .ok()
                .and_then(|m| file_stamp(&m))?;
            (now == stamp).then(|| name.to_string())
        })
        .collect()
}

#[cfg(unix)]
fn file_stamp(meta: &std::fs::Metadata) -> Option<String> {
    use std::os::unix::fs::MetadataExt;
    meta.is_file().then(|| {
        format!(
            "{}:{}:{}.{}",
            meta.len(),
            meta.ino(),
            meta.ctime(),
            meta.ctime_nsec()
        )
    })
}

#[cfg(not(unix))]
fn file_stamp(_: &std::fs::Metadata) -> Option<String> {
    None
}

/// Replaces `CURRENT` atomically. The temp file stays in the cache folder (git-ignored, swept
/// like any leftover) rather than `.kb/tmp/`, so the index needs nothing outside its folder.
fn write_pointer(root: &Path, name: &str) -> Result<()> {
    let mut tmp = temp_in(root)?;
    std::io::Write::write_all(&mut tmp, format!("{name}\n").as_bytes())
        .and_then(|()| tmp.as_file().sync_all())
        .map_err(|e| Error::io("write", tmp.path(), e))?;
    let path = root.join(POINTER);
    tmp.persist(&path)
        .map_err(|e| Error::io("write", &path, e.error))?;
    Ok(())
}

fn temp_in(dir: &Path) -> Result<tempfile::NamedTempFile> {
    crate::fsutil::temp_file(dir, TEMP_PREFIX)
}

fn older_than(path: &Path, age: Duration) -> bool {
    std::fs::metadata(path)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.elapsed().ok())
        .is_some_and(|elapsed| elapsed > age)
}

/// Gives every file of the generation the mode a new file gets (0666 less the umask, as the lock
/// file got): tantivy's and tempfile's atomic writes make them 0600, which locks out other users
/// of a shared checkout.
#[cfg(unix)]
fn set_modes(dir: &Path, lock: &File) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let meta = lock.metadata().map_err(|e| Error::io("read", dir, e))?;
    let mode = meta.permissions().mode() & 0o666;
    let entries = std::fs::read_dir(dir).map_err(|e| Error::io("read folder", dir, e))?;
    for entry in entries.flatten() {
        let Ok(meta) = entry.metadata() else {
            continue;
        };
        if meta.is_file() && meta.permissions().mode() & 0o777 != mode {
            std::fs::set_permissions(entry.path(), std::fs::Permissions::from_mode(mode))
                .map_err(|e| Error::io("set the mode of", entry.path(), e))?;
        }
    }
    Ok(())
}

#[cfg(not(unix))]
fn set_modes(_dir: &Path, _lock: &File) -> Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_names_only_generations() {
        let name = format!("{PREFIX}{}", ulid::Ulid::generate());
        assert_eq!(parse_pointer(format!("{name}\n").as_bytes()), Some(name));
        assert_eq!(parse_pointer(b"gen-x\n"), None);
        assert_eq!(parse_pointer(b"\xff\xfe"), None);
        assert_eq!(parse_pointer(b"../etc\n"), None);
    }

    #[test]
    fn published_generation_survives_a_sweep_and_superseded_ones_do_not() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("index");
        let mut first = create(&root).unwrap();
        first.publish(&root).unwrap();
        let first_dir = first.dir.clone();
        drop(first);
        let mut second = create(&root).unwrap();
        // Being built: held, so not swept.
        sweep(&root);
        assert!(second.dir.is_dir());
        second.publish(&root).unwrap();
        let reader = open_current(&root).unwrap().unwrap();
        assert_eq!(reader.dir, second.dir);
        drop(second);
        sweep(&root);
        assert!(!first_dir.exists());
        assert!(reader.dir.is_dir());
        let names: Vec<String> = std::fs::read_dir(&root)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }

    #[test]
    fn killed_builds_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("index");
        let built = create(&root).unwrap();
        let killed = built.dir.clone();
        drop(built);
        let lockless = root.join(format!("{PREFIX}{}", ulid::Ulid::generate()));
        std::fs::create_dir(&lockless).unwrap();
        let legacy = dir.path().join("index.build-x1");
        std::fs::create_dir(&legacy).unwrap();
        sweep(&root);
        assert!(!killed.exists() && !lockless.exists() && !legacy.exists());
        assert_eq!(std::fs::read_dir(&root).unwrap().count(), 0);
    }
}
