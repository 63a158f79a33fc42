//! The doc cache (DESIGN §17): what every command needs from a doc (its front-matter, title,
//! type and body line, or why it could not be read), kept in `.kb/cache/docs.bin` per path and
//! keyed by the file's size, mtime, ctime and inode. A command is then a parallel stat walk plus
//! reading what changed. An edit that keeps size and mtime (`touch -d` back) still changes the
//! ctime, which no user can set.
//!
//! The file is a short header (magic, format version, the key of [`key`]) and then the entries
//! in chunks of [`CHUNK`], each encoded on its own (postcard: compact, and several times faster
//! to load than JSON) and compressed (lz4: paths, keys and values repeat from doc to doc), so
//! that loading and writing use every core and the cache stays a small part of the KB's size.
//!
//! The cache is never the user's problem: a missing, corrupt, truncated, foreign-version or
//! concurrently replaced file is rebuilt without a word, and it is written (atomically) only when
//! something changed. `KB_NO_CACHE=1` or `--no-cache` bypass it.

use crate::doc::Document;
use crate::error::DocError;
use crate::kb::Kb;
use crate::stamp::Stamp;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::de::DeserializeOwned;
use serde::Serialize;
use std::borrow::Cow;
use std::hash::{Hash, Hasher};
use std::path::Path;
use std::sync::Mutex;

/// Bumped when what is stored, how a doc is parsed into it, or the file's layout changes.
const VERSION: u32 = 15;

/// The first bytes of every cache file.
const MAGIC: &[u8; 8] = b"kb-cache";

/// Entries per chunk: enough chunks for every core to share the decoding, few enough that each
/// is worth a task.
const CHUNK: usize = 1024;

/// How a cache encodes its entries.
pub enum Encoding {
    /// postcard: compact and fast, for types that serde can read back without being told what
    /// each value is (no `#[serde(untagged)]`, no `serde_json::Value` but through [`fields`]).
    Postcard,
    /// JSON, for the types that need a self-describing format.
    Json,
}

/// What a cache keeps per doc, and the file it keeps it in.
pub trait Cached: Serialize + DeserializeOwned + Send + Sync {
    const FILE: &'static str;
    const ENCODING: Encoding = Encoding::Postcard;

    /// Whether this may be served again while the file's stamp holds: not a failure to read
    /// the file (its folder moved away for a moment, a permission), which says nothing of what
    /// the file holds and would otherwise be served until the file changed.
    fn remembered(&self) -> bool {
        true
    }
}

impl Cached for Parsed {
    const FILE: &'static str = ".kb/cache/docs.bin";

    fn remembered(&self) -> bool {
        !unreadable(self)
    }
}

/// Whether `read` is a failure to read the file, rather than what the file holds.
pub fn unreadable<T>(read: &Result<T, DocError>) -> bool {
    matches!(read, Err(e) if e.kind == crate::error::DocErrorKind::Unreadable)
}

/// A doc as the walk reads it: its metadata, or why it could not be read.
pub type Parsed = Result<Document, DocError>;

/// One entry as a chunk holds it: the path, the stamp it was read at, what was read.
type Entry<T> = (String, Stamp, T);

/// The cache as one command uses it: looked up from the walk's threads, written once at the end
/// if anything changed. A hit moves the stored doc out (each path is visited once), so the
/// cache costs one copy of the docs in memory, not two.
pub struct DocCache<T: Cached = Parsed> {
    key: String,
    /// The entries of the file read, sorted by path (the order they are written in).
    old: Olds<T>,
    /// Each entry's position in `old` by the hash of its path: a lookup is one probe and one
    /// path compare, where a binary search over 100k paths is 17 compares, each a cache miss
    /// to another string (together with the sort of the walk's list, 14% -> 10% of a warm
    /// `kb ls` at 100k docs). Paths whose hashes collide are marked [`AMBIGUOUS`] and found by
    /// binary search.
    by_hash: FxHashMap<u64, u32>,
    /// When the file read was written: an entry whose doc changed at or after that time may
    /// have changed again unseen ([`Stamp::racy`]), so it is read again.
    written: (i64, i64),
    /// Stamps of the docs parsed afresh in this run, and whether any was (Fx: a first run
    /// inserts every path, and SipHash was 2% of it).
    fresh: Mutex<FxHashMap<String, Stamp>>,
    /// The chunks of the file read: a chunk none of whose docs changed is written back as it
    /// was, so one edited doc re-encodes one chunk, not the whole cache.
    chunks: Vec<Frame>,
}

/// An entry of the file read, as the walk's threads find it and take its doc.
struct Old<T> {
    path: String,
    stamp: Stamp,
    doc: Mutex<Option<T>>,
    place: Place,
}

/// The entries of the file read, kept in the chunks they were decoded in: joining them into one
/// list would make a second copy of every entry (25 MB of fresh memory at 100k docs).
struct Olds<T> {
    chunks: Vec<Vec<Old<T>>>,
    /// The index of each chunk's first entry.
    starts: Vec<usize>,
    len: usize,
}

impl<T> Olds<T> {
    /// `chunks` as the file holds them, put in path order if they are not (damage that still
    /// hashes right cannot be told from a bug).
    fn new(mut chunks: Vec<Vec<Old<T>>>) -> Olds<T> {
        chunks.retain(|chunk| !chunk.is_empty());
        let in_order = chunks.iter().flatten().is_sorted_by(|a, b| a.path < b.path);
        if !in_order {
            let mut all: Vec<Old<T>> = chunks.into_iter().flatten().collect();
            all.sort_by(|a, b| a.path.cmp(&b.path));
            all.dedup_by(|a, b| a.path == b.path);
            chunks = vec![all];
        }
        let mut starts = Vec::with_capacity(chunks.len());
        let mut len = 0;
        for chunk in &chunks {
            starts.push(len);
            len += chunk.len();
        }
        Olds {
            chunks,
            starts,
            len,
        }
    }

    fn get(&self, i: usize) -> Option<&Old<T>> {
        let c = self.starts.partition_point(|&s| s <= i).checked_sub(1)?;
        self.chunks.get(c)?.get(i - self.starts[c])
    }

    fn iter(&self) -> impl Iterator<Item = &Old<T>> {
        self.chunks.iter().flatten()
    }

    /// The index of the entry at `path`, by binary search.
    fn position(&self, path: &str) -> Option<usize> {
        let c = self
            .chunks
            .partition_point(|chunk| chunk.first().is_some_and(|o| o.path.as_str() <= path))
            .checked_sub(1)?;
        let i = self.chunks[c]
            .binary_search_by(|o| o.path.as_str().cmp(path))
            .ok()?;
        Some(self.starts[c] + i)
    }
}

/// In [`DocCache::by_hash`]: more than one path has this hash.
const AMBIGUOUS: u32 = u32::MAX;

/// [`DocCache::by_hash`] for `old`.
fn by_hash<T>(old: &Olds<T>) -> FxHashMap<u64, u32> {
    let mut by_hash = FxHashMap::default();
    by_hash.reserve(old.len);
    for (i, o) in old.iter().enumerate() {
        let at = u32::try_from(i).unwrap_or(AMBIGUOUS);
        by_hash
            .entry(path_hash(&o.path))
            .and_modify(|e| *e = AMBIGUOUS)
            .or_insert(at);
    }
    by_hash
}

fn path_hash(path: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    path.hash(&mut hasher);
    hasher.finish()
}

/// Where an entry was in the file read: its chunk, and its index in it.
type Place = (usize, usize);

/// An entry as it is written: borrowed from the walk's results.
type Written<'a, T> = (&'a str, Stamp, &'a T);

/// What [`DocCache::save`] writes, in order: a chunk of the file read, or entries to encode.
enum Piece<'a, T> {
    Copied(usize),
    Encoded(Vec<Written<'a, T>>),
}

impl<T: Cached> DocCache<T> {
    /// The KB's cache, or `None` when it is switched off.
    pub fn open(kb: &Kb) -> Option<DocCache<T>> {
        if !kb.config.cache {
            return None;
        }
        let key = key(kb);
        let (written, chunks, entries) = read::<T>(kb, &key).unwrap_or_default();
        let old = Olds::new(entries);
        Some(DocCache {
            key,
            by_hash: by_hash(&old),
            old,
            written,
            fresh: Mutex::new(FxHashMap::default()),
            chunks,
        })
    }

    /// How many docs the cache holds.
    pub fn len(&self) -> usize {
        self.old.len
    }

    /// Whether the cache holds no doc (a first run, or one after a change of kb or kb.yaml).
    pub fn is_empty(&self) -> bool {
        self.old.len == 0
    }

    /// The doc at `rel`: from the cache when its stamp matches, else from `parse`, remembered.
    pub fn get_or(&self, kb: &Kb, rel: &str, parse: impl FnOnce() -> T) -> T {
        self.get_or_with(rel, || kb.stamp(rel), parse)
    }

    /// [`DocCache::get_or`] for a file the walk found, stat'ed by `stamp`
    /// ([`crate::kb::Walked::stamp`]).
    pub fn get_or_with(
        &self,
        rel: &str,
        stamp: impl Fn() -> Option<Stamp>,
        parse: impl FnOnce() -> T,
    ) -> T {
        self.get_or_stamped(rel, &stamp, || {
            // Taken before reading: a change while `parse` reads then shows next time.
            let stamp = stamp();
            (parse(), stamp)
        })
    }

    /// [`DocCache::get_or_with`] for a `parse` that also returns the file's stamp, taken from
    /// the file it opened before reading it (`fstat`): a path the cache does not hold (a first
    /// run) is then not looked up twice.
    pub fn get_or_stamped(
        &self,
        rel: &str,
        stamp: impl FnOnce() -> Option<Stamp>,
        parse: impl FnOnce() -> (T, Option<Stamp>),
    ) -> T {
        let old = self.find(rel);
        let stamp = old.and_then(|_| stamp());
        if let (Some(stamp), Some(old)) = (stamp, old) {
            if old.stamp == stamp && !stamp.racy(self.written) {
                if let Some(doc) = old.doc.lock().ok().and_then(|mut d| d.take()) {
                    return doc;
                }
            }
        }
        let (doc, opened) = parse();
        let stamp = match old {
            Some(_) => stamp,
            None => opened,
        };
        // A file without a stamp, or that could not be read, is not remembered.
        let recorded = match doc.remembered() {
            true => stamp.unwrap_or(Stamp::UNKNOWN),
            false => Stamp::UNKNOWN,
        };
        if let Ok(mut fresh) = self.fresh.lock() {
            fresh.insert(rel.to_string(), recorded);
        }
        doc
    }

    fn find(&self, path: &str) -> Option<&Old<T>> {
        let at = match *self.by_hash.get(&path_hash(path))? {
            AMBIGUOUS => self.old.position(path)?,
            at => at as usize,
        };
        // The only path with this hash may be another one: then `path` is not cached.
        self.old.get(at).filter(|o| o.path == path)
    }

    /// Writes the cache if the walk found changes. `found` is what the walk under `folder`
    /// produced, in full; entries elsewhere are kept.
    pub fn save(self, kb: &Kb, folder: &str, found: &[(String, T)]) {
        let fresh = std::mem::take(&mut *self.fresh.lock().unwrap_or_else(|p| p.into_inner()));
        let prefix = format!("{folder}/");
        let under = |path: &str| folder.is_empty() || path.starts_with(&prefix);
        // An entry under the folder that this run neither served (which took its doc) nor read
        // afresh: its file is gone.
        let gone = self.old.iter().any(|o| {
            under(&o.path)
                && !fresh.contains_key(&o.path)
                && o.doc.lock().map_or(true, |d| d.is_some())
        });
        // A handful of docs changed in a large cache: reading them again next time costs less
        // than rewriting the whole file now (at 100k docs, one edit's rewrite was +50 ms).
        let few = fresh.len() <= FEW_CHANGED && fresh.len() * 100 < self.old.len;
        if !gone && (fresh.is_empty() || few) {
            return;
        }
        // Outside the walked folder: kept as it was.
        let kept: Vec<(Entry<T>, Place)> = self
            .old
            .iter()
            .filter(|o| !under(&o.path))
            .filter_map(|o| {
                let doc = o.doc.lock().ok()?.take()?;
                Some(((o.path.clone(), o.stamp, doc), o.place))
            })
            .collect();
        // Each entry to write, and where it was when this run served it from the cache (its
        // doc is then in `found`).
        let mut listed: Vec<(Written<'_, T>, Option<Place>)> = found
            .iter()
            .filter_map(|(path, doc)| match fresh.get(path) {
                Some(stamp) if *stamp == Stamp::UNKNOWN => None,
                Some(stamp) => Some(((path.as_str(), *stamp, doc), None)),
                None => self
                    .find(path)
                    .map(|o| ((path.as_str(), o.stamp, doc), Some(o.place))),
            })
            .collect();
        // Not held while the chunks are encoded: a first run's map holds every path.
        drop(fresh);
        // Written in path order, as `open` expects (another folder's entries may sort first).
        if !kept.is_empty() {
            let kept = kept
                .iter()
                .map(|((path, stamp, doc), place)| ((path.as_str(), *stamp, doc), Some(*place)));
            listed.extend(kept);
            listed.sort_by(|a, b| a.0 .0.cmp(b.0 .0));
        }
        // The file is read again (from the page cache) only now that it is rewritten: holding it
        // from the start would cost every run its memory. A file another run replaced since
        // is used only if its chunks lie where ours did; each entry in it is whole either way.
        let file = match self.chunks.is_empty() {
            true => Vec::new(),
            false => reread::<T>(kb, &self.key, &self.chunks).unwrap_or_default(),
        };
        let mut pieces = Vec::new();
        let mut pending: Vec<Written<'_, T>> = Vec::new();
        let mut i = 0;
        while i < listed.len() {
            // A whole chunk of the file read, in order and unchanged: copied, not re-encoded.
            if let (false, Some((c, 0))) = (file.is_empty(), listed[i].1) {
                let n = self.chunks.get(c).map_or(0, |f| f.entries);
                let whole = n > 0
                    && listed.get(i..i + n).is_some_and(|run| {
                        run.iter().enumerate().all(|(k, e)| e.1 == Some((c, k)))
                    });
                if whole {
                    pieces.extend(pending.chunks(CHUNK).map(|p| Piece::Encoded(p.to_vec())));
                    pending.clear();
                    pieces.push(Piece::Copied(c));
                    i += n;
                    continue;
                }
            }
            pending.push(listed[i].0);
            i += 1;
        }
        pieces.extend(pending.chunks(CHUNK).map(|p| Piece::Encoded(p.to_vec())));
        write::<T>(kb, &self.key, &pieces, &file, &self.chunks);
    }
}

/// Changed docs a large cache leaves to be read again rather than rewrite itself for.
const FEW_CHANGED: usize = 16;

fn key(kb: &Kb) -> String {
    format!("{}-{:016x}", env!("CARGO_PKG_VERSION"), kb.config.digest)
}

/// The entries of the cache file, chunk by chunk; `None` when it is missing, damaged, or was
/// written by another version of kb or for another kb.yaml.
type Read<T> = ((i64, i64), Vec<Frame>, Vec<Vec<Old<T>>>);

fn read<T: Cached>(kb: &Kb, key: &str) -> Option<Read<T>> {
    // Taken before reading: a file replaced in between is then judged by the older time, which
    // calls more entries racy, never fewer.
    let written = Stamp::of(&kb.root.join(T::FILE))?.mtime();
    let bytes = crate::fsutil::read_own(&kb.root, T::FILE).ok()??;
    let mut chunks = frames(&bytes, key)?;
    let entries: Vec<Vec<Old<T>>> = chunks
        .par_iter()
        .enumerate()
        .map(|(c, f)| {
            let entries = decode::<T>(f, &bytes)?.into_iter().enumerate();
            let old = entries.map(|(i, (path, stamp, doc))| Old {
                path,
                stamp,
                doc: Mutex::new(Some(doc)),
                place: (c, i),
            });
            Some(old.collect())
        })
        .collect::<Option<_>>()?;
    for (frame, entries) in chunks.iter_mut().zip(&entries) {
        frame.entries = entries.len();
    }
    Some((written, chunks, entries))
}

/// The cache file again, if its chunks still lie where `chunks` says.
fn reread<T: Cached>(kb: &Kb, key: &str, chunks: &[Frame]) -> Option<Vec<u8>> {
    let bytes = crate::fsutil::read_own(&kb.root, T::FILE).ok()??;
    let now = frames(&bytes, key)?;
    let same = now.len() == chunks.len()
        && now
            .iter()
            .zip(chunks)
            .all(|(a, b)| a.size == b.size && a.at == b.at && a.hash == b.hash);
    same.then_some(bytes)
}

/// The chunks of a cache file whose header names this format and `key`.
fn frames(bytes: &[u8], key: &str) -> Option<Vec<Frame>> {
    let mut r = Reader(bytes.strip_prefix(MAGIC.as_slice())?);
    if r.number()? != VERSION as usize {
        return None;
    }
    let key_len = r.number()?;
    if r.take(key_len)? != key.as_bytes() {
        return None;
    }
    let count = r.number()?;
    let mut chunks = Vec::with_capacity(count.min(1 << 16));
    for _ in 0..count {
        let size = r.number()?;
        let len = r.number()?;
        let hash = r.hash()?;
        // lz4 shrinks at most 255 times: a larger size is damage, not a reason to allocate.
        if size > len.saturating_mul(255) + 64 {
            return None;
        }
        let start = bytes.len() - r.0.len();
        r.take(len)?;
        chunks.push(Frame {
            size,
            at: start..start + len,
            hash,
            entries: 0,
        });
    }
    // Anything after the last chunk is damage too.
    r.0.is_empty().then_some(chunks)
}

/// One compressed chunk: where it lies in the file, its size once decompressed, the hash of
/// its bytes, and how many entries it holds.
#[derive(Debug, Clone)]
struct Frame {
    size: usize,
    at: std::ops::Range<usize>,
    hash: u64,
    entries: usize,
}

/// The hash a chunk is written with. lz4 blocks carry no checksum, and damage that still
/// decodes (bytes swapped between two entries) would otherwise be served as the docs' text.
fn chunk_hash(bytes: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    hasher.write(bytes);
    hasher.write_usize(bytes.len());
    hasher.finish()
}

/// The unread rest of a cache file.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, len: usize) -> Option<&'a [u8]> {
        let (head, tail) = self.0.split_at_checked(len)?;
        self.0 = tail;
        Some(head)
    }

    /// A length or version: four bytes, little-endian.
    fn number(&mut self) -> Option<usize> {
        let bytes: [u8; 4] = self.take(4)?.try_into().ok()?;
        Some(u32::from_le_bytes(bytes) as usize)
    }

    /// A chunk's hash: eight bytes, little-endian.
    fn hash(&mut self) -> Option<u64> {
        let bytes: [u8; 8] = self.take(8)?.try_into().ok()?;
        Some(u64::from_le_bytes(bytes))
    }
}

/// A chunk's entries, decompressed into a buffer each thread reuses (fresh memory costs the
/// kernel zeroing pages).
fn decode<T: Cached>(frame: &Frame, file: &[u8]) -> Option<Vec<Entry<T>>> {
    thread_local! {
        static BUFFER: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    BUFFER.with_borrow_mut(|buffer| {
        inflate(frame, file, buffer)?;
        decode_entries::<T>(buffer)
    })
}

/// The chunk `frame` of `file`, its hash checked, decompressed into `buffer`.
fn inflate(frame: &Frame, file: &[u8], buffer: &mut Vec<u8>) -> Option<()> {
    let compressed = file.get(frame.at.clone())?;
    if chunk_hash(compressed) != frame.hash {
        return None;
    }
    buffer.resize(frame.size, 0);
    match lz4_flex::block::decompress_into(compressed, buffer) {
        Ok(n) if n == frame.size => Some(()),
        _ => None,
    }
}

fn decode_entries<T: Cached>(chunk: &[u8]) -> Option<Vec<Entry<T>>> {
    match T::ENCODING {
        Encoding::Postcard => match postcard::take_from_bytes(chunk) {
            Ok((entries, [])) => Some(entries),
            _ => None,
        },
        Encoding::Json => serde_json::from_slice(chunk).ok(),
    }
}

fn encode<T: Cached>(entries: &[(&str, Stamp, &T)]) -> Option<Vec<u8>> {
    match T::ENCODING {
        Encoding::Postcard => postcard::to_allocvec(entries).ok(),
        Encoding::Json => serde_json::to_vec(entries).ok(),
    }
}

/// The chunks of the file, encoded in parallel: each its size decompressed, and its bytes.
fn file_chunks<'a, T: Cached>(
    pieces: &[Piece<'_, T>],
    file: &'a [u8],
    read: &[Frame],
) -> Option<Vec<(usize, Cow<'a, [u8]>)>> {
    pieces
        .par_iter()
        .map(|piece| match piece {
            Piece::Copied(c) => {
                let frame = read.get(*c)?;
                Some((frame.size, file.get(frame.at.clone())?.into()))
            }
            Piece::Encoded(entries) => {
                encode::<T>(entries).map(|raw| (raw.len(), lz4_flex::block::compress(&raw).into()))
            }
        })
        .collect()
}

/// A cache file of `chunks` (each its size decompressed, and its bytes), as the runs of bytes
/// to write one after the other: the header, then each chunk behind its sizes and hash. Not
/// copied into one buffer: a first `kb check` at 100k docs held its 31 MB twice.
fn with_header<'a>(key: &str, chunks: &'a [(usize, Cow<'a, [u8]>)]) -> Option<Vec<Cow<'a, [u8]>>> {
    let number = |n: usize| u32::try_from(n).ok().map(u32::to_le_bytes);
    let mut head = Vec::with_capacity(64 + key.len());
    head.extend_from_slice(MAGIC);
    head.extend_from_slice(&VERSION.to_le_bytes());
    head.extend_from_slice(&number(key.len())?);
    head.extend_from_slice(key.as_bytes());
    head.extend_from_slice(&number(chunks.len())?);
    let mut parts = vec![Cow::Owned(head)];
    for (size, chunk) in chunks {
        let mut frame = Vec::with_capacity(16);
        frame.extend_from_slice(&number(*size)?);
        frame.extend_from_slice(&number(chunk.len())?);
        frame.extend_from_slice(&chunk_hash(chunk).to_le_bytes());
        parts.push(Cow::Owned(frame));
        parts.push(Cow::Borrowed(chunk.as_ref()));
    }
    Some(parts)
}

/// Writes a cache file of `parts` ([`with_header`]) in one atomic replace, not synced.
fn write_parts(kb: &Kb, file: &str, parts: &[Cow<[u8]>]) {
    let parts: Vec<&[u8]> = parts.iter().map(|p| p.as_ref()).collect();
    let _ = crate::fsutil::replace_cache(&kb.root, file, &parts);
}

/// A cache file that holds one value rather than an entry per doc (`kb check`'s kept link
/// findings): the same header and key, one chunk. `None` when the cache is off, or the file is
/// missing, damaged, or another kb's or kb.yaml's.
pub fn read_whole<T: DeserializeOwned>(kb: &Kb, file: &str) -> Option<T> {
    if !kb.config.cache {
        return None;
    }
    let bytes = crate::fsutil::read_own(&kb.root, file).ok()??;
    let frames = frames(&bytes, &key(kb))?;
    let [frame] = frames.as_slice() else {
        return None;
    };
    let mut raw = Vec::new();
    inflate(frame, &bytes, &mut raw)?;
    match postcard::take_from_bytes(&raw) {
        Ok((value, [])) => Some(value),
        _ => None,
    }
}

/// Writes `value` as [`read_whole`] reads it back, when the cache is on.
pub fn write_whole<T: Serialize>(kb: &Kb, file: &str, value: &T) {
    if !kb.config.cache || crate::index::ensure_cache_ignored(kb).is_err() {
        return;
    }
    let Ok(raw) = postcard::to_allocvec(value) else {
        return;
    };
    let chunk = lz4_flex::block::compress(&raw);
    let chunks = [(raw.len(), chunk.into())];
    if let Some(parts) = with_header(&key(kb), &chunks) {
        write_parts(kb, file, &parts);
    }
}

/// The cache is an optimisation: when it cannot be written (a read-only checkout), the next run
/// parses again.
fn write<T: Cached>(kb: &Kb, key: &str, pieces: &[Piece<'_, T>], file: &[u8], read: &[Frame]) {
    if crate::index::ensure_cache_ignored(kb).is_err() {
        return;
    }
    let chunks = file_chunks::<T>(pieces, file, read);
    if let Some(parts) = chunks.as_deref().and_then(|c| with_header(key, c)) {
        write_parts(kb, T::FILE, &parts);
    }
    // The JSON file an earlier kb kept in its place is dead weight.
    let legacy = Path::new(T::FILE).with_extension("json");
    if legacy != Path::new(T::FILE) {
        crate::fsutil::remove_own(&kb.root, legacy);
    }
}

/// Front-matter fields in a form postcard reads back. postcard does not say what kind each
/// value is, which `serde_json::Value` needs to be told; here each value is written behind its
/// kind (`#[serde(with = "crate::cache::fields")]` on [`Document::fields`]).
pub mod fields {
    use crate::doc::Fields;
    use crate::json_text;
    use serde::de::{Deserializer, EnumAccess, MapAccess, SeqAccess, VariantAccess, Visitor};
    use serde::ser::{Error as _, SerializeMap, SerializeSeq, Serializer};
    use serde::{Deserialize, Serialize};
    use serde_json::{Map, Number, Value};

    /// In a binary cache, the fields are one run of bytes (their [`Packed`] encoding), so that
    /// reading them back is a copy; in JSON, a map.
    pub fn serialize<S: Serializer>(fields: &Fields, s: S) -> Result<S::Ok, S::Error> {
        if s.is_human_readable() {
            return AsMap(fields).serialize(s);
        }
        match fields.packed() {
            Some(packed) => s.serialize_bytes(&packed.bytes),
            None => {
                let bytes = postcard::to_allocvec(&AsMap(fields)).map_err(S::Error::custom)?;
                s.serialize_bytes(&bytes)
            }
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Fields, D::Error> {
        match d.is_human_readable() {
            true => d.deserialize_map(MapVisitor).map(Fields::from_distinct),
            false => d.deserialize_bytes(PackedVisitor).map(Fields::from_packed),
        }
    }

    struct AsMap<'a>(&'a Fields);

    impl Serialize for AsMap<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut out = s.serialize_map(Some(self.0.len()))?;
            for (k, v) in self.0 {
                out.serialize_entry(k, &Tagged::Value(v))?;
            }
            out.end()
        }
    }

    /// A doc's fields as the binary cache encodes them (postcard: a map of key to
    /// [`Tagged`] value), kept as bytes. Their shape is checked when read; a text is checked
    /// to be UTF-8 only when it is used (a text of every field of 100k docs checked at load
    /// was a twentieth of a warm `kb inbox`; the chunk's hash already stands for the bytes).
    /// Decoded one value for a lookup by key, or all of them when a command needs them all.
    #[derive(Clone)]
    pub(crate) struct Packed {
        bytes: Box<[u8]>,
        /// One bit per key ([`key_bit`]): a key whose bit is clear is not there, found without
        /// reading the bytes. Most keys `kb check`'s rules ask for are absent (`supersedes`,
        /// `kb-check`, `review`), and stepping over every field to say so was a tenth of it.
        keys: u64,
    }

    /// The bit of `key` in [`Packed::keys`].
    fn key_bit(key: &[u8]) -> u64 {
        let mut hasher = rustc_hash::FxHasher::default();
        std::hash::Hasher::write(&mut hasher, key);
        1 << (std::hash::Hasher::finish(&hasher) % 64)
    }

    /// Deeper nesting than YAML readers allow (serde_yaml stops at 128) is damage.
    const DEEPEST: usize = 256;

    impl Packed {
        /// `bytes` when they are whole, well-shaped fields, else `None`.
        fn new(bytes: &[u8]) -> Option<Packed> {
            let mut r = Reader(bytes);
            let mut keys = 0;
            for _ in 0..r.count()? {
                keys |= key_bit(r.raw_text()?);
                r.skip_value(0)?;
            }
            r.0.is_empty().then(|| Packed {
                bytes: bytes.into(),
                keys,
            })
        }

        /// The bytes of `fields`, as the cache writes them.
        pub(crate) fn of(fields: &Fields) -> Option<Packed> {
            Packed::new(&postcard::to_allocvec(&AsMap(fields)).ok()?)
        }

        pub(crate) fn len(&self) -> usize {
            self.reader().count().unwrap_or(0)
        }

        pub(crate) fn contains_key(&self, key: &str) -> bool {
            self.find(key).is_some()
        }

        /// The value of `key`, decoded alone.
        pub(crate) fn get(&self, key: &str) -> Option<Value> {
            postcard::from_bytes::<Owned>(self.find(key)?)
                .ok()
                .map(|o| o.0)
        }

        /// The encoded values of `keys`, found in one pass over the bytes (a listing asks nine
        /// keys of every doc: a pass per key was a tenth of `kb ls`).
        pub(crate) fn find_many<const N: usize>(&self, keys: [&str; N]) -> [Option<&[u8]>; N] {
            let mut found = [None; N];
            let wanted = keys.iter().fold(0, |bits, k| bits | key_bit(k.as_bytes()));
            if self.keys & wanted == 0 {
                return found;
            }
            let mut r = self.reader();
            for _ in 0..r.count().unwrap_or(0) {
                let (Some(k), Some(value)) = (r.raw_text(), r.value()) else {
                    break;
                };
                // The first of a key, as `find` answers (keys are not repeated when written).
                if let Some(i) = keys.iter().position(|key| key.as_bytes() == k) {
                    found[i].get_or_insert(value);
                }
            }
            found
        }

        /// Every pair, in order.
        pub(crate) fn decode(&self) -> Vec<(String, Value)> {
            // Only damage that passed the chunk's hash fails here (a text not UTF-8): then the
            // doc has no fields, where `contains_key` still finds the key. No field beats a
            // wrong one.
            postcard::from_bytes::<Nested>(&self.bytes).map_or_else(|_| Vec::new(), |n| n.0)
        }

        /// Writes the fields as a map straight from the bytes, building no value: `kb ls`
        /// prints every field of every doc, and decoding them all first cost it 80 MB at 100k.
        pub(crate) fn write<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut r = self.reader();
            let n = r.count().ok_or_else(damaged::<S::Error>)?;
            let mut out = s.serialize_map(Some(n))?;
            for _ in 0..n {
                let key = r.text().ok_or_else(damaged::<S::Error>)?;
                let value = r.value().ok_or_else(damaged::<S::Error>)?;
                out.serialize_entry(key, &Encoded(value))?;
            }
            out.end()
        }

        /// The fields as the pretty JSON object [`crate::json_text`] writes, at `depth`, straight
        /// from the bytes. `None` (with `out` part written) on damage.
        pub(crate) fn write_json(&self, out: &mut Vec<u8>, depth: usize) -> Option<()> {
            let mut r = self.reader();
            let n = r.count()?;
            let mut whole = Some(());
            json_text::object(out, depth, 0..n, |out, _, depth| {
                whole = whole.and_then(|()| {
                    json_text::key_of_bytes(out, r.raw_text()?)?;
                    json_value(out, r.value()?, depth)
                });
            });
            whole
        }

        /// A reader of the bytes: it steps over texts without checking them (checking them was
        /// a tenth of `kb ls`, which looks up six keys per doc).
        fn reader(&self) -> Reader<'_> {
            Reader(&self.bytes)
        }

        /// The encoded value of `key`.
        pub(crate) fn find(&self, key: &str) -> Option<&[u8]> {
            if self.keys & key_bit(key.as_bytes()) == 0 {
                return None;
            }
            let mut r = self.reader();
            for _ in 0..r.count()? {
                let k = r.raw_text()?;
                let value = r.0;
                r.skip_value(0)?;
                if k == key.as_bytes() {
                    return value.get(..value.len() - r.0.len());
                }
            }
            None
        }
    }

    fn damaged<E: serde::ser::Error>() -> E {
        E::custom("damaged fields in the doc cache")
    }

    /// One encoded value, written as the JSON value it decodes to.
    struct Encoded<'a>(&'a [u8]);

    impl Serialize for Encoded<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let mut r = Reader(self.0);
            let kind = r.kind().ok_or_else(damaged::<S::Error>)?;
            let bad = damaged::<S::Error>;
            match kind {
                NULL => s.serialize_unit(),
                BOOL => s.serialize_bool(r.bytes(1).ok_or_else(bad)? == [1]),
                INT => s.serialize_i64(unzigzag(r.varint().ok_or_else(bad)?)),
                UINT => s.serialize_u64(r.varint().ok_or_else(bad)?),
                FLOAT => {
                    let bytes = r.bytes(8).and_then(|b| b.try_into().ok()).ok_or_else(bad)?;
                    // As decoding does: a number JSON cannot hold is null.
                    match f64::from_le_bytes(bytes) {
                        f if f.is_finite() => s.serialize_f64(f),
                        _ => s.serialize_unit(),
                    }
                }
                STR => s.serialize_str(r.text().ok_or_else(bad)?),
                LIST => {
                    let n = r.count().ok_or_else(bad)?;
                    let mut seq = s.serialize_seq(Some(n))?;
                    for _ in 0..n {
                        seq.serialize_element(&Encoded(r.value().ok_or_else(bad)?))?;
                    }
                    seq.end()
                }
                MAP => {
                    let n = r.count().ok_or_else(bad)?;
                    let mut map = s.serialize_map(Some(n))?;
                    for _ in 0..n {
                        let key = r.text().ok_or_else(bad)?;
                        map.serialize_entry(key, &Encoded(r.value().ok_or_else(bad)?))?;
                    }
                    map.end()
                }
                _ => Err(bad()),
            }
        }
    }

    /// One encoded value ([`Packed::find`]) decoded.
    pub(crate) fn decoded(value: &[u8]) -> Option<Value> {
        postcard::from_bytes::<Owned>(value).ok().map(|o| o.0)
    }

    /// One encoded value as text when it is a text, borrowed from the bytes.
    pub(crate) fn text(value: &[u8]) -> Option<&str> {
        let mut r = Reader(value);
        (r.kind()? == STR).then_some(())?;
        r.text()
    }

    /// The encoded items of a list, when `value` is one.
    pub(crate) fn items(value: &[u8]) -> Option<Vec<&[u8]>> {
        let mut r = Reader(value);
        (r.kind()? == LIST).then_some(())?;
        let n = r.count()?;
        (0..n).map(|_| r.value()).collect()
    }

    /// One encoded value as the JSON [`Encoded`] serializes it to, written as text.
    fn json_value(out: &mut Vec<u8>, value: &[u8], depth: usize) -> Option<()> {
        let mut r = Reader(value);
        match r.kind()? {
            NULL => out.extend_from_slice(b"null"),
            BOOL => json_text::scalar(out, &(r.bytes(1)? == [1])),
            INT => json_text::scalar(out, &unzigzag(r.varint()?)),
            UINT => json_text::scalar(out, &r.varint()?),
            FLOAT => json_text::scalar(out, &f64::from_le_bytes(r.bytes(8)?.try_into().ok()?)),
            STR => json_text::string_of_bytes(out, r.raw_text()?)?,
            kind @ (LIST | MAP) => {
                let n = r.count()?;
                let mut whole = Some(());
                let mut item = |out: &mut Vec<u8>, _, depth| {
                    whole = whole.and_then(|()| {
                        if kind == MAP {
                            json_text::key_of_bytes(out, r.raw_text()?)?;
                        }
                        json_value(out, r.value()?, depth)
                    });
                };
                match kind {
                    LIST => json_text::list(out, depth, 0..n, &mut item),
                    _ => json_text::object(out, depth, 0..n, &mut item),
                }
                whole?;
            }
            _ => return None,
        }
        Some(())
    }

    /// postcard's signed varint: zigzag, so small negative numbers stay short.
    fn unzigzag(n: u64) -> i64 {
        ((n >> 1) as i64) ^ -((n & 1) as i64)
    }

    /// Reads postcard's encoding of [`Tagged`] values far enough to step over them. Texts
    /// stepped over are not checked to be UTF-8; texts read are, as `str` requires.
    struct Reader<'a>(&'a [u8]);

    impl<'a> Reader<'a> {
        fn varint(&mut self) -> Option<u64> {
            let mut out = 0u64;
            for i in 0..10 {
                let (&byte, rest) = self.0.split_first()?;
                self.0 = rest;
                out |= u64::from(byte & 0x7f) << (7 * i);
                if byte & 0x80 == 0 {
                    return Some(out);
                }
            }
            None
        }

        /// A value's kind (an index into [`KINDS`]).
        fn kind(&mut self) -> Option<u32> {
            u32::try_from(self.varint()?).ok()
        }

        fn count(&mut self) -> Option<usize> {
            usize::try_from(self.varint()?).ok()
        }

        fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
            let (taken, rest) = self.0.split_at_checked(n)?;
            self.0 = rest;
            Some(taken)
        }

        fn text(&mut self) -> Option<&'a str> {
            std::str::from_utf8(self.raw_text()?).ok()
        }

        /// A text's bytes, not checked to be UTF-8.
        fn raw_text(&mut self) -> Option<&'a [u8]> {
            let n = self.count()?;
            self.bytes(n)
        }

        fn skip_text(&mut self) -> Option<()> {
            self.raw_text().map(drop)
        }

        /// The bytes of the next value, stepped over.
        fn value(&mut self) -> Option<&'a [u8]> {
            let start = self.0;
            self.skip_value(0)?;
            start.get(..start.len() - self.0.len())
        }

        /// Steps over one value: its kind (the index in [`KINDS`]), then what that kind holds.
        fn skip_value(&mut self, depth: usize) -> Option<()> {
            if depth > DEEPEST {
                return None;
            }
            match self.kind()? {
                NULL => {}
                BOOL => {
                    self.bytes(1).filter(|b| matches!(b, [0] | [1]))?;
                }
                INT | UINT => {
                    self.varint()?;
                }
                FLOAT => {
                    self.bytes(8)?;
                }
                STR => self.skip_text()?,
                LIST => {
                    for _ in 0..self.count()? {
                        self.skip_value(depth + 1)?;
                    }
                }
                MAP => {
                    for _ in 0..self.count()? {
                        self.skip_text()?;
                        self.skip_value(depth + 1)?;
                    }
                }
                _ => return None,
            }
            Some(())
        }
    }

    struct PackedVisitor;

    impl<'de> Visitor<'de> for PackedVisitor {
        type Value = Packed;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("the bytes of a doc's fields")
        }

        fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<Packed, E> {
            Packed::new(bytes).ok_or_else(|| E::custom("damaged fields"))
        }
    }

    const NAME: &str = "Value";
    const KINDS: &[&str] = &["Null", "Bool", "Int", "Uint", "Float", "Str", "List", "Map"];

    // Each kind's index on the wire (into `KINDS`): what `Tagged` writes, and what
    // `Reader::skip_value` and `Encoded` read back without serde.
    const NULL: u32 = 0;
    const BOOL: u32 = 1;
    const INT: u32 = 2;
    const UINT: u32 = 3;
    const FLOAT: u32 = 4;
    const STR: u32 = 5;
    const LIST: u32 = 6;
    const MAP: u32 = 7;

    /// A value's kind on the wire, by index (postcard) or by name.
    #[derive(Deserialize)]
    #[serde(variant_identifier)]
    enum Kind {
        Null,
        Bool,
        Int,
        Uint,
        Float,
        Str,
        List,
        Map,
    }

    enum Tagged<'a> {
        Value(&'a Value),
        List(&'a [Value]),
        Map(&'a Map<String, Value>),
    }

    impl Serialize for Tagged<'_> {
        fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            let value = match self {
                Tagged::List(list) => {
                    let mut seq = s.serialize_seq(Some(list.len()))?;
                    for v in *list {
                        seq.serialize_element(&Tagged::Value(v))?;
                    }
                    return seq.end();
                }
                Tagged::Map(map) => {
                    let mut out = s.serialize_map(Some(map.len()))?;
                    for (k, v) in *map {
                        out.serialize_entry(k, &Tagged::Value(v))?;
                    }
                    return out.end();
                }
                Tagged::Value(value) => value,
            };
            match value {
                Value::Null => s.serialize_unit_variant(NAME, NULL, KINDS[NULL as usize]),
                Value::Bool(b) => s.serialize_newtype_variant(NAME, BOOL, KINDS[BOOL as usize], b),
                Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
                    (Some(i), _, _) => {
                        s.serialize_newtype_variant(NAME, INT, KINDS[INT as usize], &i)
                    }
                    (None, Some(u), _) => {
                        s.serialize_newtype_variant(NAME, UINT, KINDS[UINT as usize], &u)
                    }
                    (None, None, f) => s.serialize_newtype_variant(
                        NAME,
                        FLOAT,
                        KINDS[FLOAT as usize],
                        &f.unwrap_or(0.0),
                    ),
                },
                Value::String(t) => s.serialize_newtype_variant(NAME, STR, KINDS[STR as usize], t),
                Value::Array(list) => s.serialize_newtype_variant(
                    NAME,
                    LIST,
                    KINDS[LIST as usize],
                    &Tagged::List(list),
                ),
                Value::Object(map) => {
                    s.serialize_newtype_variant(NAME, MAP, KINDS[MAP as usize], &Tagged::Map(map))
                }
            }
        }
    }

    /// One value read back.
    struct Owned(Value);

    impl<'de> Deserialize<'de> for Owned {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Owned, D::Error> {
            d.deserialize_enum(NAME, KINDS, ValueVisitor).map(Owned)
        }
    }

    struct ValueVisitor;

    impl<'de> Visitor<'de> for ValueVisitor {
        type Value = Value;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a front-matter value behind its kind")
        }

        fn visit_enum<A: EnumAccess<'de>>(self, data: A) -> Result<Value, A::Error> {
            let (kind, v) = data.variant::<Kind>()?;
            Ok(match kind {
                Kind::Null => {
                    v.unit_variant()?;
                    Value::Null
                }
                Kind::Bool => Value::Bool(v.newtype_variant()?),
                Kind::Int => Value::from(v.newtype_variant::<i64>()?),
                Kind::Uint => Value::from(v.newtype_variant::<u64>()?),
                Kind::Float => {
                    Number::from_f64(v.newtype_variant()?).map_or(Value::Null, Value::Number)
                }
                Kind::Str => Value::String(v.newtype_variant()?),
                Kind::List => Value::Array(v.newtype_variant::<List>()?.0),
                Kind::Map => Value::Object(Map::from_iter(v.newtype_variant::<Nested>()?.0)),
            })
        }
    }

    /// serde may not pre-size a collection by more than this from a length it was told: a
    /// damaged length must not ask for gigabytes.
    const MOST: usize = 4096;

    struct List(Vec<Value>);

    impl<'de> Deserialize<'de> for List {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<List, D::Error> {
            d.deserialize_seq(ListVisitor).map(List)
        }
    }

    struct ListVisitor;

    impl<'de> Visitor<'de> for ListVisitor {
        type Value = Vec<Value>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of front-matter values")
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Value>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(MOST));
            while let Some(Owned(v)) = seq.next_element()? {
                out.push(v);
            }
            Ok(out)
        }
    }

    struct Nested(Vec<(String, Value)>);

    impl<'de> Deserialize<'de> for Nested {
        fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Nested, D::Error> {
            d.deserialize_map(MapVisitor).map(Nested)
        }
    }

    struct MapVisitor;

    impl<'de> Visitor<'de> for MapVisitor {
        type Value = Vec<(String, Value)>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of front-matter values")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::with_capacity(map.size_hint().unwrap_or(0).min(MOST));
            while let Some((k, Owned(v))) = map.next_entry::<String, Owned>()? {
                out.push((k, v));
            }
            Ok(out)
        }
    }

    #[cfg(test)]
    mod tests {
        use serde_json::json;

        #[derive(serde::Serialize, serde::Deserialize, PartialEq, Debug)]
        struct Doc {
            #[serde(with = "super")]
            fields: crate::doc::Fields,
        }

        #[test]
        fn every_kind_of_value_comes_back_from_postcard_and_json() {
            let value = json!({
                "title": "A", "n": -3, "big": u64::MAX, "ratio": 0.25, "yes": true,
                "none": null, "tags": ["a", 1, [2, {"b": null}]], "review": {"due": "2026-11-29"}
            });
            let doc = Doc {
                fields: value.as_object().unwrap().clone().into(),
            };
            let bytes = postcard::to_allocvec(&doc).unwrap();
            assert_eq!(postcard::from_bytes::<Doc>(&bytes).unwrap(), doc);
            let text = serde_json::to_vec(&doc).unwrap();
            assert_eq!(serde_json::from_slice::<Doc>(&text).unwrap(), doc);
            // Key order is the file's.
            let back = postcard::from_bytes::<Doc>(&bytes).unwrap();
            let keys: Vec<&String> = back.fields.keys().collect();
            assert_eq!(keys[0], "title");
            assert_eq!(keys[7], "review");
        }

        fn packed(value: serde_json::Value) -> Doc {
            let doc = Doc {
                fields: value.as_object().unwrap().clone().into(),
            };
            postcard::from_bytes(&postcard::to_allocvec(&doc).unwrap()).unwrap()
        }

        #[test]
        fn a_key_is_read_from_the_bytes_alone_and_the_rest_on_demand() {
            let doc = packed(json!({"title": "A", "tags": ["x", 2], "review": {"due": "d"}}));
            let f = &doc.fields;
            assert!(f.packed().is_some());
            assert_eq!(f.value("tags").as_deref(), Some(&json!(["x", 2])));
            assert_eq!(f.value("nope"), None);
            assert!(f.contains_key("review") && !f.contains_key("revie"));
            assert_eq!((f.len(), f.get("missing")), (3, None));
            // Nothing decoded the whole so far; `get` of a key that is there does.
            assert_eq!(f.get("review"), Some(&json!({"due": "d"})));
            assert_eq!(f.value("title").as_deref(), Some(&json!("A")));
            assert_eq!(f.keys().collect::<Vec<_>>(), ["title", "tags", "review"]);
        }

        #[test]
        fn fields_printed_from_the_bytes_are_the_fields_decoded() {
            let value = json!({
                "title": "A \"q\" é", "n": -3, "z": 0, "big": u64::MAX, "small": i64::MIN,
                "ratio": 0.1, "yes": true, "no": false, "none": null, "empty": [], "e": {},
                "tags": ["a", 1, [2, {"b": null, "c": [1.5e300]}]], "review": {"due": "d"}
            });
            let doc = packed(value.clone());
            assert!(doc.fields.packed().is_some());
            let printed = serde_json::to_string_pretty(&doc.fields).unwrap();
            let owned: crate::doc::Fields = value.as_object().unwrap().clone().into();
            assert_eq!(printed, serde_json::to_string_pretty(&owned).unwrap());
            // Printing decoded nothing.
            assert_eq!(doc.fields.value("n").as_deref(), Some(&json!(-3)));
        }

        #[test]
        fn changed_fields_are_written_as_changed_not_as_read() {
            let mut doc = packed(json!({"a": 1, "b": 2}));
            doc.fields.insert("c".into(), json!(3));
            assert_eq!(doc.fields.remove("a"), Some(json!(1)));
            assert!(doc.fields.packed().is_none());
            let again = postcard::from_bytes::<Doc>(&postcard::to_allocvec(&doc).unwrap());
            assert_eq!(again.unwrap().fields.keys().collect::<Vec<_>>(), ["b", "c"]);
            let mut other = packed(json!({"b": 2, "c": 3}));
            assert_eq!(other.fields, doc.fields);
            other.fields.unpack();
            assert!(other.fields.packed().is_none());
            assert_eq!(other.fields, doc.fields);
        }

        #[test]
        fn a_key_is_found_by_its_bit_and_its_bytes_and_an_absent_one_is_not() {
            let mut map = serde_json::Map::new();
            for i in 0..40 {
                map.insert(format!("key{i}"), json!(i));
            }
            let doc = Doc { fields: map.into() };
            let back: Doc = postcard::from_bytes(&postcard::to_allocvec(&doc).unwrap()).unwrap();
            assert!(back.fields.packed().is_some());
            for i in 0..40 {
                assert_eq!(
                    back.fields.value(&format!("key{i}")).as_deref(),
                    Some(&json!(i))
                );
            }
            // 40 keys set most of the 64 bits: absent keys whose bit is set are still absent.
            for i in 40..400 {
                assert!(!back.fields.contains_key(&format!("key{i}")), "key{i}");
            }
        }

        #[test]
        fn damaged_field_bytes_are_refused_not_misread() {
            let doc = Doc {
                fields: json!({"title": "A", "tags": ["x"]})
                    .as_object()
                    .unwrap()
                    .clone()
                    .into(),
            };
            let bytes = postcard::to_allocvec(&doc).unwrap();
            // Every shortening, and every byte set to a value postcard's varints, lengths
            // and kinds do not allow there, is refused or reads back whole: never a panic.
            for cut in 0..bytes.len() {
                assert!(postcard::from_bytes::<Doc>(&bytes[..cut]).is_err());
            }
            for at in 0..bytes.len() {
                for byte in [0x00, 0x07, 0x09, 0x7f, 0xff] {
                    let mut bad = bytes.clone();
                    bad[at] = byte;
                    if let Ok(back) = postcard::from_bytes::<Doc>(&bad) {
                        let pairs: Vec<_> = back.fields.iter().collect();
                        assert_eq!(pairs.len(), back.fields.len(), "{at} {byte}");
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `u8::MAX` stands for a file that could not be read.
    impl Cached for u8 {
        const FILE: &'static str = ".kb/cache/test.bin";

        fn remembered(&self) -> bool {
            *self != u8::MAX
        }
    }

    /// A cache of `paths` in chunks of two, each doc its path's index.
    fn cache_of(paths: &[&str]) -> DocCache<u8> {
        let chunks = paths
            .chunks(2)
            .enumerate()
            .map(|(c, chunk)| {
                let entries = chunk.iter().enumerate().map(|(i, p)| Old {
                    path: p.to_string(),
                    stamp: Stamp::UNKNOWN,
                    doc: Mutex::new(Some((c * 2 + i) as u8)),
                    place: (c, i),
                });
                entries.collect()
            })
            .collect();
        let old = Olds::new(chunks);
        DocCache {
            key: String::new(),
            by_hash: by_hash(&old),
            old,
            written: (0, 0),
            fresh: Mutex::default(),
            chunks: Vec::new(),
        }
    }

    fn found(cache: &DocCache<u8>, path: &str) -> Option<u8> {
        cache.find(path).and_then(|o| *o.doc.lock().unwrap())
    }

    #[test]
    fn a_path_is_found_by_its_hash_and_a_colliding_stranger_is_not() {
        let mut cache = cache_of(&["a.md", "b/c.md", "d.md"]);
        assert_eq!(found(&cache, "b/c.md"), Some(1));
        assert_eq!(found(&cache, "x.md"), None);
        // Another path with b/c.md's hash: not in the cache, though its hash is.
        cache.by_hash.insert(path_hash("x.md"), 1);
        assert_eq!(found(&cache, "x.md"), None);
    }

    #[test]
    fn paths_whose_hashes_collide_are_found_by_binary_search() {
        let mut cache = cache_of(&["a.md", "b/c.md", "d.md"]);
        for at in cache.by_hash.values_mut() {
            *at = AMBIGUOUS;
        }
        assert_eq!(found(&cache, "a.md"), Some(0));
        assert_eq!(found(&cache, "b/c.md"), Some(1));
        assert_eq!(found(&cache, "d.md"), Some(2));
        for stranger in ["0.md", "c.md", "e.md"] {
            assert_eq!(found(&cache, stranger), None, "{stranger}");
        }
    }

    #[test]
    fn a_file_that_could_not_be_read_is_not_remembered_under_its_stamp() {
        let cache = cache_of(&[]);
        let manifest = Path::new(env!("CARGO_MANIFEST_DIR")).join("Cargo.toml");
        let stamp = Stamp::of(&manifest).expect("a stamp");
        assert_eq!(
            cache.get_or_stamped("a.md", || None, || (3, Some(stamp))),
            3
        );
        let failed = cache.get_or_stamped("b.md", || None, || (u8::MAX, Some(stamp)));
        assert_eq!(failed, u8::MAX);
        let fresh = cache.fresh.lock().unwrap();
        assert_eq!(fresh.get("a.md"), Some(&stamp));
        // Kept out of the file that is written: read again next time, whatever its stamp.
        assert_eq!(fresh.get("b.md"), Some(&Stamp::UNKNOWN));
    }

    #[test]
    fn an_unreadable_doc_is_told_from_a_broken_one() {
        let error = |kind| DocError {
            path: "a.md".into(),
            line: 1,
            column: None,
            kind,
            message: String::new(),
        };
        let unreadable_doc: Parsed = Err(error(crate::error::DocErrorKind::Unreadable));
        let broken_doc: Parsed = Err(error(crate::error::DocErrorKind::BadYaml));
        assert!(!unreadable_doc.remembered());
        assert!(broken_doc.remembered());
    }

    #[test]
    fn chunks_out_of_order_are_put_in_order_and_their_entries_still_found() {
        let cache = cache_of(&["d.md", "e.md", "a.md", "a.md", "b.md"]);
        let paths: Vec<&str> = cache.old.iter().map(|o| o.path.as_str()).collect();
        assert_eq!(paths, ["a.md", "b.md", "d.md", "e.md"]);
        assert_eq!(found(&cache, "b.md"), Some(4));
        assert_eq!(found(&cache, "e.md"), Some(1));
    }
}
