//! The doc cache (DESIGN §17): what every command needs from a doc (its front-matter, title,
//! type and body line, or why it could not be read), kept in `.kb/cache/docs.json` per path and
//! keyed by the file's size, mtime, ctime and inode. A command is then a parallel stat walk plus
//! reading what changed. An edit that keeps size and mtime (`touch -d` back) still changes the
//! ctime, which no user can set.
//!
//! The cache is never the user's problem: a missing, corrupt, foreign-version or concurrently
//! replaced file is rebuilt without a word, and it is written (atomically) only when something
//! changed. `KB_NO_CACHE=1` or `--no-cache` bypass it.

use crate::doc::Document;
use crate::error::DocError;
use crate::kb::Kb;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Mutex;

/// Bumped when what is stored, or how a doc is parsed into it, changes.
const VERSION: u32 = 1;

/// What a cache keeps per doc, and the file it keeps it in.
pub trait Cached: Serialize + DeserializeOwned + Clone + Send {
    const FILE: &'static str;
}

impl Cached for Parsed {
    const FILE: &'static str = ".kb/cache/docs.json";
}

/// A file's identity at one moment: if any of it differs, the file may have changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    size: u64,
    mtime: (i64, i64),
    ctime: (i64, i64),
    inode: u64,
}

impl Stamp {
    pub fn of(path: &Path) -> Option<Stamp> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Stamp::from_metadata(&meta))
    }

    #[cfg(unix)]
    fn from_metadata(meta: &std::fs::Metadata) -> Stamp {
        use std::os::unix::fs::MetadataExt;
        Stamp {
            size: meta.size(),
            mtime: (meta.mtime(), meta.mtime_nsec()),
            ctime: (meta.ctime(), meta.ctime_nsec()),
            inode: meta.ino(),
        }
    }

    #[cfg(not(unix))]
    fn from_metadata(meta: &std::fs::Metadata) -> Stamp {
        let nanos = |t: std::io::Result<std::time::SystemTime>| {
            t.ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or((0, 0), |d| {
                    (d.as_secs() as i64, i64::from(d.subsec_nanos()))
                })
        };
        Stamp {
            size: meta.len(),
            mtime: nanos(meta.modified()),
            ctime: nanos(meta.created()),
            inode: 0,
        }
    }
}

/// A doc as the walk reads it: its metadata, or why it could not be read.
pub type Parsed = Result<Document, DocError>;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(bound = "T: Cached")]
struct Entry<T> {
    stamp: Stamp,
    doc: T,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(bound = "T: Cached")]
struct Stored<T> {
    version: u32,
    /// kb's version and kb.yaml's hash: a new binary or new types parse docs differently.
    key: String,
    entries: HashMap<String, Entry<T>>,
}

/// The cache as one command uses it: looked up from the walk's threads, written once at the end
/// if anything changed. A hit moves the stored doc out (each path is visited once), so the
/// cache costs one copy of the docs in memory, not two.
pub struct DocCache<T: Cached = Parsed> {
    key: String,
    old: HashMap<String, (Stamp, Mutex<Option<T>>)>,
    /// Stamps of the docs parsed afresh in this run, and whether any was.
    fresh: Mutex<HashMap<String, Stamp>>,
}

impl<T: Cached> DocCache<T> {
    /// The KB's cache, or `None` when it is switched off.
    pub fn open(kb: &Kb) -> Option<DocCache<T>> {
        if !kb.config.cache {
            return None;
        }
        let key = key(kb);
        let old = read::<T>(kb)
            .filter(|s| s.version == VERSION && s.key == key)
            .map(|s| s.entries)
            .unwrap_or_default()
            .into_iter()
            .map(|(path, e)| (path, (e.stamp, Mutex::new(Some(e.doc)))))
            .collect();
        Some(DocCache {
            key,
            old,
            fresh: Mutex::new(HashMap::new()),
        })
    }

    /// The doc at `rel`: from the cache when its stamp matches, else from `parse`, remembered.
    pub fn get_or(&self, kb: &Kb, rel: &str, parse: impl FnOnce() -> T) -> T {
        let stamp = Stamp::of(&kb.root.join(rel));
        if let (Some(stamp), Some((old, doc))) = (stamp, self.old.get(rel)) {
            if *old == stamp {
                if let Some(doc) = doc.lock().ok().and_then(|mut d| d.take()) {
                    return doc;
                }
            }
        }
        let doc = parse();
        // A file without a stamp, or written within the clock's resolution of now (it could
        // change again with the same stamp), is not remembered.
        let remembered = stamp.filter(settled);
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.insert(rel.to_string(), remembered.unwrap_or(UNKNOWN));
        }
        doc
    }

    /// Writes the cache if the walk found changes. `found` is what the walk under `folder`
    /// produced, in full; entries elsewhere are kept.
    pub fn save(self, kb: &Kb, folder: &str, found: &[(String, T)]) {
        let fresh = self.fresh.into_inner().unwrap_or_default();
        let under = |path: &str| folder.is_empty() || path.starts_with(&format!("{folder}/"));
        let seen: std::collections::HashSet<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        let gone = self
            .old
            .keys()
            .any(|p| under(p) && !seen.contains(p.as_str()));
        if fresh.is_empty() && !gone {
            return;
        }
        let mut entries: HashMap<String, Entry<T>> = HashMap::new();
        let mut unchanged: HashMap<String, Stamp> = HashMap::new();
        for (path, (stamp, doc)) in self.old {
            match under(&path) {
                // Served from the cache this run: its doc is in `found`.
                true => {
                    unchanged.insert(path, stamp);
                }
                // Outside the walked folder: kept as it was.
                false => {
                    if let Some(doc) = doc.into_inner().ok().flatten() {
                        entries.insert(path, Entry { stamp, doc });
                    }
                }
            }
        }
        for (path, doc) in found {
            let stamp = match fresh.get(path).or_else(|| unchanged.get(path)) {
                Some(stamp) if *stamp == UNKNOWN => continue,
                Some(stamp) => *stamp,
                None => continue,
            };
            let entry = Entry {
                stamp,
                doc: doc.clone(),
            };
            entries.insert(path.clone(), entry);
        }
        let stored = Stored {
            version: VERSION,
            key: self.key,
            entries,
        };
        write(kb, &stored);
    }
}

/// A file not to remember (no stamp, or too fresh to trust one).
const UNKNOWN: Stamp = Stamp {
    size: u64::MAX,
    mtime: (0, 0),
    ctime: (0, 0),
    inode: 0,
};

/// Whether a second change could not keep this stamp: the file system keeps nanoseconds (a
/// non-zero fraction), or the last change is over two seconds old (FAT keeps 2 s).
fn settled(stamp: &Stamp) -> bool {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    stamp.ctime.1 != 0 || now - stamp.mtime.0.max(stamp.ctime.0) > 2
}

fn key(kb: &Kb) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    std::fs::read(kb.root.join(crate::config::CONFIG_FILE))
        .unwrap_or_default()
        .hash(&mut hasher);
    format!("{}-{:016x}", env!("CARGO_PKG_VERSION"), hasher.finish())
}

fn read<T: Cached>(kb: &Kb) -> Option<Stored<T>> {
    let bytes = crate::fsutil::read_own(&kb.root.join(T::FILE)).ok()??;
    serde_json::from_slice(&bytes).ok()
}

/// The cache is an optimisation: when it cannot be written (a read-only checkout), the next run
/// parses again.
fn write<T: Cached>(kb: &Kb, stored: &Stored<T>) {
    if crate::index::ensure_cache_ignored(kb).is_err() {
        return;
    }
    if let Ok(bytes) = serde_json::to_vec(stored) {
        let _ = crate::fsutil::replace(&kb.root, T::FILE, &bytes);
    }
}
