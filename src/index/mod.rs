//! The search index: a tantivy index in `.kb/cache/index/` holding one entry per section of every
//! doc, kept fresh by a manifest of (path, size, mtime). It is a cache: anything wrong with it (a
//! missing, half-written, corrupt or older-schema index) is fixed by rebuilding it, never shown to
//! the user as an error. Builds go to a temporary folder renamed into place, so a reader never
//! sees half an index; updates take tantivy's writer lock, so concurrent runs never corrupt it.

pub mod analyzer;
pub mod manifest;
pub mod search;

use crate::doc::{markdown, Source};
use crate::error::{DocError, Error, Result};
use crate::fsutil;
use crate::kb::Kb;
use analyzer::{RAW, STEMMED};
use manifest::{Changes, Manifest, Stamp};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tantivy::schema::{
    IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::{Index, IndexWriter, TantivyDocument, Term};

/// Bumped whenever the fields or their analysis change: an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 2;
const VERSION_FILE: &str = "kb-schema-version";
const MANIFEST_FILE: &str = "kb-manifest";
/// Writer memory for all threads together: enough for fast builds, small enough for 100k docs
/// under the RSS budget.
const WRITER_MEMORY: usize = 96 << 20;
/// Segments up to this many entries (sections) are merged after refreshes.
const REFRESH_MERGE_MAX_DOCS: usize = 20_000;
/// How long a refresh waits for another process's writer before searching the last commit.
const LOCK_WAIT: Duration = Duration::from_secs(3);

/// The fields of an index entry (one section of one doc).
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    pub path: tantivy::schema::Field,
    pub id: tantivy::schema::Field,
    pub title: tantivy::schema::Field,
    pub heading: tantivy::schema::Field,
    pub body: tantivy::schema::Field,
    pub doc_type: tantivy::schema::Field,
    pub status: tantivy::schema::Field,
    pub owner: tantivy::schema::Field,
    pub tags: tantivy::schema::Field,
    pub updated: tantivy::schema::Field,
    pub line: tantivy::schema::Field,
}

fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |tokenizer: &str, stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        path: b.add_text_field("path", STRING | STORED | FAST),
        id: b.add_text_field("id", text(RAW, true)),
        title: b.add_text_field("title", text(STEMMED, true)),
        heading: b.add_text_field("heading", text(STEMMED, true)),
        body: b.add_text_field("body", text(STEMMED, true)),
        doc_type: b.add_text_field("type", text(RAW, true)),
        status: b.add_text_field("status", text(RAW, true)),
        owner: b.add_text_field("owner", text(RAW, true)),
        tags: b.add_text_field("tags", text(RAW, true)),
        updated: b.add_text_field("updated", STRING | STORED),
        line: b.add_u64_field("line", STORED | FAST),
    };
    (b.build(), fields)
}

fn register_tokenizers(index: &Index) {
    analyzer::register(index);
}

/// An open, usable index.
pub struct SearchIndex {
    pub index: Index,
    pub fields: Fields,
    dir: PathBuf,
}

/// What a build or refresh did, for `kb index`'s summary.
#[derive(Debug, Default, Clone)]
pub struct IndexStats {
    pub docs: usize,
    pub bytes: u64,
    pub seconds: f64,
    pub rebuilt: bool,
    pub changed: usize,
    pub deleted: usize,
    /// Docs that could not be read, so are not searchable.
    pub errors: Vec<DocError>,
}

/// Where a build reports how far it is, for a progress bar: (docs done, docs total if known).
pub type Progress<'a> = &'a (dyn Fn(usize, Option<usize>) + Sync);

pub fn index_dir(kb: &Kb) -> PathBuf {
    kb.root.join(".kb/cache/index")
}

impl SearchIndex {
    /// Opens the index if it is whole and of this schema version; `None` means "rebuild it".
    fn open(dir: &Path) -> Option<SearchIndex> {
        let version = std::fs::read_to_string(dir.join(VERSION_FILE)).ok()?;
        if version.trim() != SCHEMA_VERSION.to_string() {
            return None;
        }
        let index = Index::open_in_dir(dir).ok()?;
        register_tokenizers(&index);
        let (expected, fields) = schema();
        if index.schema() != expected {
            return None;
        }
        // Opening every segment's files catches a truncated or garbled index now, not mid-query.
        let reader = index.reader().ok()?;
        for segment in reader.searcher().segment_readers() {
            segment.get_store_reader(1).ok()?;
        }
        Some(SearchIndex {
            index,
            fields,
            dir: dir.to_path_buf(),
        })
    }

    /// The manifest of the committed index; `None` when it is missing or describes another
    /// commit (a run stopped between the two writes): the index must then be rebuilt. Only the
    /// freshness check needs it, so a `--no-refresh` search never reads it.
    pub fn read_manifest(&self) -> Option<Manifest> {
        let manifest = Manifest::read(&self.dir.join(MANIFEST_FILE))?;
        let metas = self.index.load_metas().ok()?;
        (metas.opstamp == manifest.opstamp).then_some(manifest)
    }
}

/// Opens the index, building it first when it is missing, broken or of another version.
pub fn open_or_build(kb: &Kb, progress: Progress) -> Result<(SearchIndex, Option<IndexStats>)> {
    let dir = index_dir(kb);
    if let Some(index) = SearchIndex::open(&dir) {
        return Ok((index, None));
    }
    let stats = build(kb, progress)?;
    // Another process may have replaced the index between our rename and this open; its
    // index is as good as ours.
    for _ in 0..3 {
        if let Some(index) = SearchIndex::open(&dir) {
            return Ok((index, Some(stats)));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Err(Error::Index {
        message: format!("the index just built in {} cannot be opened", dir.display()),
    })
}

/// Builds a fresh index of every doc into a temporary folder and renames it into place.
pub fn build(kb: &Kb, progress: Progress) -> Result<IndexStats> {
    let started = Instant::now();
    let dir = index_dir(kb);
    let cache = dir.parent().unwrap_or(&kb.root).to_path_buf();
    ensure_cache_ignored(kb)?;
    std::fs::create_dir_all(&cache).map_err(|e| Error::io("create folder", &cache, e))?;
    let tmp = tempfile::Builder::new()
        .prefix("index.build-")
        .tempdir_in(&cache)
        .map_err(|e| Error::io("create a folder in", &cache, e))?;

    let (schema, fields) = schema();
    let index = Index::create_in_dir(tmp.path(), schema).map_err(index_error)?;
    register_tokenizers(&index);
    let mut writer: IndexWriter = index.writer(WRITER_MEMORY).map_err(index_error)?;
    // Merging the build's segments would take a third of the build time and double its memory,
    // for a query-time gain too small to measure at 100k docs: leave them as written.
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let done = AtomicUsize::new(0);
    let bytes = AtomicU64::new(0);
    let (found, walk_errors) = kb.walk_with(|rel| {
        let result = read_and_add(kb, &writer, &fields, rel);
        if let Ok((stamp, _)) = &result {
            bytes.fetch_add(stamp.size, Ordering::Relaxed);
        }
        progress(done.fetch_add(1, Ordering::Relaxed) + 1, None);
        result
    });
    let opstamp = writer.commit().map_err(index_error)?;
    writer.wait_merging_threads().map_err(index_error)?;

    let mut stats = IndexStats {
        rebuilt: true,
        errors: walk_errors,
        ..IndexStats::default()
    };
    let mut manifest = Manifest {
        opstamp,
        files: Vec::with_capacity(found.len()),
    };
    for (path, result) in found {
        match result {
            Ok((stamp, indexed)) => {
                manifest.files.push((path, stamp));
                stats.docs += usize::from(indexed);
            }
            Err(e) => stats.errors.push(e),
        }
    }
    manifest.write(&tmp.path().join(MANIFEST_FILE))?;
    std::fs::write(tmp.path().join(VERSION_FILE), SCHEMA_VERSION.to_string())
        .map_err(|e| Error::io("write", tmp.path().join(VERSION_FILE), e))?;

    let built = tmp.keep();
    if std::fs::rename(&built, &dir).is_err() {
        // An old or broken index is in the way (or another process just finished one): ours
        // replaces it. Readers that have the old files open keep reading them.
        let _ = match dir.is_dir() {
            true => std::fs::remove_dir_all(&dir),
            false => std::fs::remove_file(&dir),
        };
        if let Err(e) = std::fs::rename(&built, &dir) {
            let _ = std::fs::remove_dir_all(&built);
            if SearchIndex::open(&dir).is_none() {
                return Err(Error::io("move the new index to", dir, e));
            }
        }
    }
    stats.bytes = bytes.into_inner();
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

/// Entry points for the fuzz targets in `fuzz/`: an index in memory, so queries can be parsed and
/// run without a KB on disk. Not a stable API.
#[doc(hidden)]
pub mod fuzzing {
    use super::{entries, index_error, register_tokenizers, schema, SearchIndex};
    use crate::error::Result;
    use tantivy::{Index, IndexWriter};

    /// An index in memory holding the docs `(path, text)`, parsed with the default schema.
    pub fn memory_index(docs: &[(&str, &str)]) -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let index = Index::create_in_ram(schema);
        register_tokenizers(&index);
        let mut writer: IndexWriter = index.writer(15_000_000).map_err(index_error)?;
        let default_schema = crate::schema::Schema::default();
        for (path, text) in docs {
            let source =
                crate::doc::parse(path.to_string(), text.as_bytes().to_vec(), &default_schema)
                    .map_err(|e| crate::error::Error::Index { message: e.message })?;
            for entry in entries(&source, &fields) {
                writer.add_document(entry).map_err(index_error)?;
            }
        }
        writer.commit().map_err(index_error)?;
        Ok(SearchIndex {
            index,
            fields,
            dir: std::path::PathBuf::new(),
        })
    }
}

/// `.kb/.gitignore` keeps the cache out of git; a KB made without `kb init` gets one.
fn ensure_cache_ignored(kb: &Kb) -> Result<()> {
    let path = kb.root.join(".kb/.gitignore");
    match fsutil::write_new(&path, b"# kb's caches are rebuilt on demand\ncache/\n") {
        // Already there, possibly written a moment ago by a concurrent kb: either way, fine.
        Err(_) if path.exists() => Ok(()),
        other => other,
    }
}

/// Reads one doc and adds its sections. Returns its stamp and whether it was indexed (a doc that
/// does not parse is recorded in the manifest, so it is not retried until it changes).
fn read_and_add(
    kb: &Kb,
    writer: &IndexWriter,
    fields: &Fields,
    rel: &str,
) -> Result<(Stamp, bool), DocError> {
    let unreadable = |e: std::io::Error| DocError {
        path: rel.to_string(),
        line: 1,
        column: None,
        kind: crate::error::DocErrorKind::Unreadable,
        message: format!("cannot read the file: {e}"),
    };
    let mut file = std::fs::File::open(kb.root.join(rel)).map_err(unreadable)?;
    let stamp = Stamp::of(&file.metadata().map_err(unreadable)?);
    let mut bytes = Vec::with_capacity(stamp.size as usize);
    file.read_to_end(&mut bytes).map_err(unreadable)?;
    let source = crate::doc::parse(rel.to_string(), bytes, &kb.config.schema)?;
    for entry in entries(&source, fields) {
        // Only fails when the writer has died, which the commit then reports.
        let _ = writer.add_document(entry);
    }
    Ok((stamp, true))
}

/// The index entries of one doc: one per section, each carrying the doc's metadata.
fn entries(source: &Source, f: &Fields) -> Vec<TantivyDocument> {
    let doc = &source.doc;
    let mut sections = markdown::sections(source.body(), doc.body_line);
    if sections.is_empty() {
        sections.push(markdown::Section {
            heading: String::new(),
            line: 1,
            text: String::new(),
        });
    }
    let id = doc.id();
    let status = doc.status();
    let owner = doc.owner();
    let tags = doc.tags();
    let updated = doc
        .date_field("updated")
        .or_else(|| doc.date_field("lastmod"));
    sections
        .into_iter()
        .map(|s| {
            let mut e = TantivyDocument::new();
            e.add_text(f.path, &doc.path);
            e.add_text(f.title, &doc.title);
            e.add_text(f.heading, &s.heading);
            e.add_text(f.body, &s.text);
            e.add_u64(f.line, s.line as u64);
            if let Some(id) = &id {
                e.add_text(f.id, id);
            }
            if let Some(t) = &doc.doc_type {
                e.add_text(f.doc_type, t);
            }
            if let Some(s) = &status {
                e.add_text(f.status, s);
            }
            if let Some(o) = &owner {
                e.add_text(f.owner, o);
            }
            for tag in &tags {
                e.add_text(f.tags, tag);
            }
            if let Some(u) = &updated {
                e.add_text(f.updated, u);
            }
            e
        })
        .collect()
}

/// Stats every doc of the KB, in parallel: the freshness check.
pub fn stat_walk(kb: &Kb) -> Vec<(String, Stamp)> {
    let (found, _) = kb.walk_with(|rel| {
        std::fs::metadata(kb.root.join(rel))
            .ok()
            .map(|m| Stamp::of(&m))
    });
    found
        .into_iter()
        .filter_map(|(path, stamp)| stamp.map(|s| (path, s)))
        .collect()
}

/// Reindexes what changed. Returns `None` when another process holds the writer for longer than
/// we wait: the caller then searches the last committed state.
pub fn apply(
    kb: &Kb,
    index: &SearchIndex,
    manifest: Manifest,
    changes: &Changes,
) -> Result<Option<IndexStats>> {
    let started = Instant::now();
    let Some(mut writer) = acquire_writer(&index.index)? else {
        return Ok(None);
    };
    // Another process may have committed while we waited: then build on its manifest.
    let committed = index.index.load_metas().map_err(index_error)?.opstamp;
    let manifest = match committed == manifest.opstamp {
        true => manifest,
        false => index.read_manifest().ok_or_else(|| Error::Index {
            message: "the index manifest is missing".into(),
        })?,
    };
    let f = index.fields;
    let mut stats = IndexStats::default();
    let mut stamps = Vec::with_capacity(changes.changed.len());
    for path in changes.changed.iter().chain(&changes.deleted) {
        writer.delete_term(Term::from_field_text(f.path, path));
    }
    for path in &changes.changed {
        match read_and_add(kb, &writer, &f, path) {
            Ok((stamp, _)) => {
                stamps.push((path.clone(), stamp));
                stats.bytes += stamp.size;
            }
            Err(e) if e.kind == crate::error::DocErrorKind::Unreadable => {}
            Err(e) => {
                // Recorded, so a broken doc is not retried (and reported) until it changes.
                if let Ok(meta) = std::fs::metadata(kb.root.join(path)) {
                    stamps.push((path.clone(), Stamp::of(&meta)));
                }
                stats.errors.push(e);
            }
        }
    }
    let opstamp = writer.commit().map_err(index_error)?;
    let files = manifest.updated(&changes.deleted, stamps);
    stats.docs = files.len();
    Manifest { opstamp, files }.write(&index.dir.join(MANIFEST_FILE))?;
    drop(writer);
    stats.changed = changes.changed.len();
    stats.deleted = changes.deleted.len();
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(Some(stats))
}

fn acquire_writer(index: &Index) -> Result<Option<IndexWriter>> {
    let deadline = Instant::now() + LOCK_WAIT;
    loop {
        match index.writer_with_num_threads(1, 32 << 20) {
            Ok(w) => {
                // Refreshes add small segments: merge those among themselves, never the big
                // segments of the build (that would make a one-file refresh take seconds).
                let mut policy = tantivy::indexer::LogMergePolicy::default();
                policy.set_max_docs_before_merge(REFRESH_MERGE_MAX_DOCS);
                w.set_merge_policy(Box::new(policy));
                return Ok(Some(w));
            }
            Err(tantivy::TantivyError::LockFailure(..)) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(25));
            }
            Err(tantivy::TantivyError::LockFailure(..)) => return Ok(None),
            Err(e) => return Err(index_error(e)),
        }
    }
}

fn index_error(e: tantivy::TantivyError) -> Error {
    Error::Index {
        message: e.to_string(),
    }
}

/// Runs `request` on an index kept fresh: the query runs on the last commit while a parallel
/// walk stats every doc; only if something changed is the index updated and the query run
/// again. A broken index is rebuilt once, silently. Returns the hits and the docs that could not
/// be indexed on the way (for a warning).
pub fn search_fresh(
    kb: &Kb,
    request: &search::Request,
    refresh: bool,
    progress: Progress,
) -> Result<(search::Found, Vec<DocError>)> {
    match try_search_fresh(kb, request, refresh, progress) {
        Err(Error::Index { .. }) => {
            let stats = build(kb, progress)?;
            let (index, _) = open_or_build(kb, progress)?;
            Ok((search::search(&index, request)?, stats.errors))
        }
        other => other,
    }
}

fn try_search_fresh(
    kb: &Kb,
    request: &search::Request,
    refresh: bool,
    progress: Progress,
) -> Result<(search::Found, Vec<DocError>)> {
    let (index, built) = open_or_build(kb, progress)?;
    if let Some(stats) = built {
        return Ok((search::search(&index, request)?, stats.errors));
    }
    if !refresh {
        return Ok((search::search(&index, request)?, Vec::new()));
    }
    let (first, on_disk, manifest) = std::thread::scope(|s| {
        let check = s.spawn(|| stat_walk(kb));
        let first = search::search(&index, request);
        let manifest = index.read_manifest();
        (first, check.join(), manifest)
    });
    let on_disk = on_disk.map_err(|_| Error::Index {
        message: "the freshness check failed".into(),
    })?;
    let manifest = manifest.ok_or_else(|| Error::Index {
        message: "the index manifest is missing".into(),
    })?;
    let changes = manifest.changes(&on_disk);
    if changes.is_empty() {
        return Ok((first?, Vec::new()));
    }
    let errors = apply(kb, &index, manifest, &changes)?
        .map(|s| s.errors)
        .unwrap_or_default();
    Ok((search::search(&index, request)?, errors))
}

/// Brings the index up to date (building it when missing or broken) and says what it did.
pub fn refresh(kb: &Kb, progress: Progress) -> Result<IndexStats> {
    let started = Instant::now();
    let (index, built) = open_or_build(kb, progress)?;
    if let Some(stats) = built {
        return Ok(stats);
    }
    // A manifest that does not match the commit (a run stopped between the two writes) is a
    // broken cache like any other: rebuild.
    let Some(manifest) = index.read_manifest() else {
        return build(kb, progress);
    };
    let changes = manifest.changes(&stat_walk(kb));
    let mut stats = match changes.is_empty() {
        true => IndexStats {
            docs: manifest.files.len(),
            ..IndexStats::default()
        },
        false => apply(kb, &index, manifest, &changes)?.ok_or_else(|| Error::Index {
            message: "another kb process is writing the index; try again in a moment".into(),
        })?,
    };
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}
