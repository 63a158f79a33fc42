//! The search index: a tantivy index in `.kb/cache/index/` holding one entry per section of every
//! doc, kept fresh by a manifest of (path, size, mtime). It is a cache: anything wrong with it (a
//! missing, half-written, corrupt or older-schema index, or tantivy panicking on flipped bytes)
//! is fixed by rebuilding it, never shown to the user as an error. Every build and refresh writes
//! a new generation and publishes it atomically (see [`generation`]), so concurrent runs never
//! see half an index and a reader never waits for a writer.

pub mod analyzer;
mod doc_rank;
pub mod free_text;
mod frozen;
pub mod generation;
pub mod manifest;
pub mod search;

use crate::doc::{markdown, Source};
use crate::error::{DocError, Error, Result};
use crate::fsutil;
use crate::kb::Kb;
use crate::stamp::Stamp;
use analyzer::{RAW, STEMMED};
use generation::{damaged, Generation};
use manifest::{Changes, Manifest};
use rayon::prelude::*;
use std::io::Read;
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Instant;
use tantivy::schema::{
    IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STORED, STRING,
};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

/// Bumped whenever the fields, their analysis, the text taken from a doc or the codecs change
/// (3: built without zstd columns, which this build cannot read; 4: HTML comments left out; 5:
/// each section carries its doc's word counts, for doc-level ranking; 6: the manifest marks the
/// docs that could not be indexed): an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 6;
const VERSION_FILE: &str = "kb-schema-version";
const MANIFEST_FILE: &str = "kb-manifest";
/// Writer memory for all threads together: enough for fast builds, small enough for 100k docs
/// under the RSS budget.
const WRITER_MEMORY: usize = 96 << 20;
/// Segments up to this many entries (sections) count as the small ones refreshes add.
const REFRESH_MERGE_MAX_DOCS: usize = 20_000;
/// This many small segments are merged into one.
const MAX_SMALL_SEGMENTS: usize = 8;
/// A segment whose deleted entries exceed this share of it is rewritten without them.
const MAX_DELETED_SHARE: f64 = 0.2;

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
    /// Words in the whole doc's body and in all its headings (see [`doc_rank`]).
    pub doc_body_words: tantivy::schema::Field,
    pub doc_heading_words: tantivy::schema::Field,
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
        doc_body_words: b.add_u64_field(doc_rank::DOC_BODY_WORDS, FAST),
        doc_heading_words: b.add_u64_field(doc_rank::DOC_HEADING_WORDS, FAST),
    };
    (b.build(), fields)
}

fn register_tokenizers(index: &Index) {
    analyzer::register(index);
}

/// An open, usable index: a published generation, held so no sweep removes it.
pub struct SearchIndex {
    pub index: Index,
    pub fields: Fields,
    reader: IndexReader,
    generation: Generation,
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
    /// The index was damaged and this run rebuilt it.
    pub repaired: bool,
}

/// Something the user should know about how a search was answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// The index was damaged (or made tantivy panic) and was rebuilt before answering.
    Repaired,
    /// Docs changed but the index could not be updated (no write access, a full disk): the
    /// answer comes from the index as it was.
    Stale { reason: String },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Notice::Repaired => f.write_str("the search index was damaged; rebuilt it"),
            Notice::Stale { reason } => write!(
                f,
                "the search index could not be updated ({reason}); results may miss recent changes"
            ),
        }
    }
}

/// A search's results, with what the user should know about them.
#[derive(Debug)]
pub struct Answer {
    pub found: search::Found,
    /// Docs that could not be indexed on the way (for a warning).
    pub unindexed: Vec<DocError>,
    pub notices: Vec<Notice>,
}

impl Answer {
    fn new(found: search::Found, unindexed: Vec<DocError>) -> Answer {
        Answer {
            found,
            unindexed,
            notices: Vec::new(),
        }
    }
}

/// Where a build reports how far it is, for a progress bar: (docs done, docs total if known).
pub type Progress<'a> = &'a (dyn Fn(usize, Option<usize>) + Sync);

pub fn index_dir(kb: &Kb) -> PathBuf {
    kb.root.join(".kb/cache/index")
}

/// [`index_dir`], once it is known not to lead out of the KB through a symlinked `.kb/cache`:
/// the index is read and written only inside the root.
fn checked_index_dir(kb: &Kb) -> Result<PathBuf> {
    let dir = index_dir(kb);
    fsutil::ensure_inside(&kb.root, &dir)?;
    Ok(dir)
}

impl SearchIndex {
    /// Opens a published generation read-only; `None` when it is of another schema version (an
    /// older kb's: rebuilt quietly), an error when it is damaged.
    fn open(generation: Generation) -> Result<Option<SearchIndex>> {
        let dir = &generation.dir;
        let version_file = dir.join(VERSION_FILE);
        let version = std::fs::read_to_string(&version_file).map_err(|e| {
            Error::index(
                format!("cannot read the schema version: {e}"),
                Some(&version_file),
                e,
            )
        })?;
        if version.trim() != SCHEMA_VERSION.to_string() {
            return match version.trim().parse::<u32>() {
                Ok(_) => Ok(None),
                Err(_) => Err(damaged("the schema version is garbled")),
            };
        }
        let in_dir = |e| index_error_in(dir, e);
        let index = Index::open(frozen::Frozen::open(dir).map_err(in_dir)?).map_err(in_dir)?;
        register_tokenizers(&index);
        let (expected, fields) = schema();
        if index.schema() != expected {
            return Err(damaged(
                "the index has another schema than its version says",
            ));
        }
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()
            .map_err(index_error)?;
        Ok(Some(SearchIndex {
            index,
            fields,
            reader,
            generation,
        }))
    }

    pub fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Checks the checksum of every segment file changed since the generation was sealed:
    /// flipped bytes would otherwise make tantivy panic mid-query or, worse, silently return
    /// wrong results. Files untouched since publishing are not read again, so a `--no-refresh`
    /// search stays a query.
    pub fn verify(&self) -> Result<()> {
        let unchanged = generation::sealed_unchanged(&self.generation.dir);
        let segments: Vec<String> = self
            .index
            .searchable_segment_ids()
            .map_err(index_error)?
            .iter()
            .map(|id| id.uuid_string())
            .collect();
        let directory = self.index.directory();
        let files: Vec<PathBuf> = directory
            .list_managed_files()
            .into_iter()
            .filter(|f| {
                let name = f.to_string_lossy();
                segments.iter().any(|s| name.starts_with(s.as_str()))
                    && !unchanged.contains(name.as_ref())
            })
            .collect();
        let broken = files
            .par_iter()
            .find_any(|f| !directory.validate_checksum(f).unwrap_or(false));
        match broken {
            Some(file) => Err(damaged(format!("{} is corrupt", file.display()))),
            None => Ok(()),
        }
    }

    /// The manifest of the index; `None` when it is missing, garbled or describes another commit.
    /// Only the freshness check needs it, so a `--no-refresh` search never reads it.
    pub fn read_manifest(&self) -> Option<Manifest> {
        let manifest = Manifest::read(&self.generation.dir.join(MANIFEST_FILE))?;
        let metas = self.index.load_metas().ok()?;
        (metas.opstamp == manifest.opstamp).then_some(manifest)
    }
}

/// Runs `f`, turning a panic inside it (tantivy trusts its files, and flipped bytes in a term
/// dictionary panic) into an index error, which callers answer with a rebuild. The panic message
/// is kept off stderr meanwhile: the index is a cache, its damage is not the user's problem.
fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let result = std::panic::catch_unwind(AssertUnwindSafe(f));
    std::panic::set_hook(hook);
    result.unwrap_or_else(|payload| Err(damaged(panic_message(payload.as_ref()))))
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    let text = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_default();
    format!("the index layer panicked: {text}")
}

/// The published index; `None` when there is none or it is of another schema version. Sweeps
/// away what dead runs left on the way.
fn open_current(kb: &Kb) -> Result<Option<SearchIndex>> {
    let root = checked_index_dir(kb)?;
    let opened = match generation::open_current(&root)? {
        Some(generation) => SearchIndex::open(generation)?,
        None => None,
    };
    generation::sweep(&root);
    Ok(opened)
}

/// Opens the index, building it first when there is none (or one of another version).
fn open_or_build(kb: &Kb, progress: Progress) -> Result<(SearchIndex, Option<IndexStats>)> {
    if let Some(index) = open_current(kb)? {
        return Ok((index, None));
    }
    let (index, stats) = build_index(kb, progress)?;
    Ok((index, Some(stats)))
}

/// Builds a fresh index of every doc and publishes it.
pub fn build(kb: &Kb, progress: Progress) -> Result<IndexStats> {
    guarded(|| build_index(kb, progress)).map(|(_, stats)| stats)
}

fn build_index(kb: &Kb, progress: Progress) -> Result<(SearchIndex, IndexStats)> {
    let started = Instant::now();
    ensure_cache_ignored(kb)?;
    let root = checked_index_dir(kb)?;
    let generation = generation::create(&root)?;
    let (schema, fields) = schema();
    let index = Index::create_in_dir(&generation.dir, schema)
        .map_err(|e| index_error_in(&generation.dir, e))?;
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
        unindexed: Vec::new(),
        written: None,
    };
    for (path, result) in found {
        match result {
            Ok((stamp, indexed)) => {
                manifest.files.push((path, stamp));
                stats.docs += usize::from(indexed);
            }
            Err(e) => {
                // Recorded, as a refresh records it: a broken doc is not retried (and reported)
                // until it changes.
                if e.kind != crate::error::DocErrorKind::Unreadable {
                    if let Some(stamp) = kb.stamp(&path) {
                        manifest.unindexed.push(path.clone());
                        manifest.files.push((path, stamp));
                    }
                }
                stats.errors.push(e);
            }
        }
    }
    drop(index);
    let index = publish(&root, generation, &manifest)?;
    stats.bytes = bytes.into_inner();
    stats.seconds = started.elapsed().as_secs_f64();
    Ok((index, stats))
}

/// Writes the manifest and schema version into a finished generation, publishes it and opens it.
fn publish(root: &Path, mut generation: Generation, manifest: &Manifest) -> Result<SearchIndex> {
    manifest.write(&generation.dir.join(MANIFEST_FILE))?;
    let version = generation.dir.join(VERSION_FILE);
    std::fs::write(&version, SCHEMA_VERSION.to_string())
        .map_err(|e| Error::io("write", &version, e))?;
    generation.publish(root)?;
    generation::sweep(root);
    SearchIndex::open(generation)?.ok_or_else(|| damaged("the index just built cannot be opened"))
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
                    .map_err(|e| super::generation::damaged(e.message))?;
            for entry in entries(&source, &fields) {
                writer.add_document(entry).map_err(index_error)?;
            }
        }
        writer.commit().map_err(index_error)?;
        let reader = index.reader().map_err(index_error)?;
        Ok(SearchIndex {
            index,
            fields,
            reader,
            generation: super::generation::detached(),
        })
    }
}

/// `.kb/.gitignore` keeps the cache out of git; a KB made without `kb init` gets one.
pub(crate) fn ensure_cache_ignored(kb: &Kb) -> Result<()> {
    let path = kb.root.join(".kb/.gitignore");
    match fsutil::write_new(
        &kb.root,
        ".kb/.gitignore",
        crate::kb::KB_GITIGNORE.as_bytes(),
    ) {
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
    let stamp = Stamp::from_metadata(&file.metadata().map_err(unreadable)?);
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
    let sections = markdown::sections_or_one(source.body(), doc.body_line);
    let id = doc.id();
    let status = doc.status();
    let owner = doc.owner();
    let tags = doc.tags();
    let updated = doc.updated();
    let body_words: u64 = sections.iter().map(|s| doc_rank::word_count(&s.text)).sum();
    let heading_words: u64 = sections
        .iter()
        .map(|s| doc_rank::word_count(&s.heading))
        .sum();
    sections
        .into_iter()
        .map(|s| {
            let mut e = TantivyDocument::new();
            e.add_text(f.path, &doc.path);
            e.add_text(f.title, &doc.title);
            e.add_text(f.heading, &s.heading);
            e.add_text(f.body, &s.text);
            e.add_u64(f.line, s.line as u64);
            e.add_u64(f.doc_body_words, body_words);
            e.add_u64(f.doc_heading_words, heading_words);
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

/// Reindexes what changed into a new generation, made of the current one's files (linked, not
/// copied: tantivy never changes a file it wrote) plus the changes, and publishes it. `index` is
/// let go before publishing, so the sweep that follows can remove it if no one else reads it.
fn apply(
    kb: &Kb,
    index: SearchIndex,
    manifest: Manifest,
    changes: &Changes,
) -> Result<(SearchIndex, IndexStats)> {
    let started = Instant::now();
    let root = checked_index_dir(kb)?;
    let generation = generation::create(&root)?;
    link_files(&index.generation.dir, &generation.dir)?;
    let f = index.fields;
    drop(index);
    let next =
        Index::open_in_dir(&generation.dir).map_err(|e| index_error_in(&generation.dir, e))?;
    register_tokenizers(&next);
    let mut writer: IndexWriter = next
        .writer_with_num_threads(1, 32 << 20)
        .map_err(index_error)?;
    writer.set_merge_policy(Box::new(tantivy::indexer::NoMergePolicy));
    let mut stats = IndexStats::default();
    let mut stamps = Vec::with_capacity(changes.changed.len());
    let mut failed = Vec::new();
    // Changed docs that could not be read: out of the index, and out of the manifest, so that
    // the next run reads them again.
    let mut dropped = changes.deleted.clone();
    for path in changes.changed.iter().chain(&changes.deleted) {
        writer.delete_term(Term::from_field_text(f.path, path));
    }
    for path in &changes.changed {
        match read_and_add(kb, &writer, &f, path) {
            Ok((stamp, _)) => {
                stamps.push((path.clone(), stamp));
                stats.bytes += stamp.size;
            }
            Err(e) if e.kind == crate::error::DocErrorKind::Unreadable => {
                dropped.push(path.clone());
                stats.errors.push(e);
            }
            Err(e) => {
                // Recorded, so a broken doc is not retried (and reported) until it changes.
                match kb.stamp(path) {
                    Some(stamp) => {
                        stamps.push((path.clone(), stamp));
                        failed.push(path.clone());
                    }
                    None => dropped.push(path.clone()),
                }
                stats.errors.push(e);
            }
        }
    }
    writer.commit().map_err(index_error)?;
    reclaim(&next, &mut writer)?;
    writer.wait_merging_threads().map_err(index_error)?;
    let opstamp = next.load_metas().map_err(index_error)?.opstamp;
    drop(next);
    // Counted as the index sees them: a doc that was never in it is not dropped from it.
    stats.changed = stamps.len() - failed.len();
    stats.deleted = changes
        .deleted
        .iter()
        .filter(|p| !manifest.is_unindexed(p))
        .count();
    let manifest = Manifest {
        opstamp,
        ..manifest.updated(&dropped, stamps, failed)
    };
    stats.docs = manifest.indexed();
    let published = publish(&root, generation, &manifest)?;
    stats.seconds = started.elapsed().as_secs_f64();
    Ok((published, stats))
}

/// Links the files of generation `from` into the new generation `to`, all but kb's own (written
/// anew) and tantivy's lock files.
fn link_files(from: &Path, to: &Path) -> Result<()> {
    let entries = std::fs::read_dir(from).map_err(|e| Error::io("read folder", from, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| Error::io("read folder", from, e))?;
        let name = entry.file_name();
        let skip = name
            .to_str()
            .is_some_and(|n| n == MANIFEST_FILE || n == VERSION_FILE || n.starts_with(".tantivy-"));
        if skip || !entry.file_type().is_ok_and(|t| t.is_file()) {
            continue;
        }
        let target = to.join(&name);
        // A file system without hard links gets a copy.
        if std::fs::hard_link(entry.path(), &target).is_err() {
            std::fs::copy(entry.path(), &target).map_err(|e| Error::io("copy", &target, e))?;
        }
    }
    Ok(())
}

/// Keeps an often-refreshed index from growing without bound: merges away deleted entries once
/// they are a fair share of a segment, and the small segments refreshes add once there are many,
/// then removes the files no segment uses any more.
fn reclaim(index: &Index, writer: &mut IndexWriter) -> Result<()> {
    let segments = index.searchable_segment_metas().map_err(index_error)?;
    let sizes: Vec<(u32, u32)> = segments
        .iter()
        .map(|s| (s.max_doc(), s.num_deleted_docs()))
        .collect();
    let chosen: Vec<_> = merge_candidates(&sizes)
        .into_iter()
        .map(|i| segments[i].id())
        .collect();
    // A live SegmentMeta keeps its files from the garbage collection below.
    drop(segments);
    if !chosen.is_empty() {
        writer.merge(&chosen).wait().map_err(index_error)?;
    }
    writer.garbage_collect_files().wait().map_err(index_error)?;
    Ok(())
}

/// Which segments to merge, given each one's (entries, deleted entries): those mostly deleted,
/// and all the small ones when there are many.
fn merge_candidates(segments: &[(u32, u32)]) -> Vec<usize> {
    let wasteful = |&(max_doc, deleted): &(u32, u32)| {
        f64::from(deleted) > f64::from(max_doc) * MAX_DELETED_SHARE
    };
    let small = |&(max_doc, deleted): &(u32, u32)| {
        (max_doc - deleted.min(max_doc)) as usize <= REFRESH_MERGE_MAX_DOCS
    };
    let many_small = segments.iter().filter(|s| small(s)).count() >= MAX_SMALL_SEGMENTS;
    (0..segments.len())
        .filter(|&i| wasteful(&segments[i]) || (many_small && small(&segments[i])))
        .collect()
}

fn index_error(e: tantivy::TantivyError) -> Error {
    Error::Index {
        message: e.to_string(),
        path: None,
        source: Some(Box::new(e)),
    }
}

/// A tantivy error on the index in `dir`.
fn index_error_in(dir: &Path, e: tantivy::TantivyError) -> Error {
    Error::index(e.to_string(), Some(dir), e)
}

/// Runs `request` on an index kept fresh: the query runs on the published index while parallel
/// threads verify its checksums and stat every doc; only if something changed is the index
/// updated and the query run again. A damaged index (an error or a panic anywhere in the index
/// layer) is rebuilt, and the answer says so.
pub fn search_fresh(
    kb: &Kb,
    request: &search::Request,
    refresh: bool,
    progress: Progress,
) -> Result<Answer> {
    let mut answer = match guarded(|| try_search_fresh(kb, request, refresh, progress)) {
        Err(Error::Index { .. }) => {
            let (index, stats) = guarded(|| build_index(kb, progress))?;
            let found = guarded(|| search::search(&index, request))?;
            Answer {
                found,
                unindexed: stats.errors,
                notices: vec![Notice::Repaired],
            }
        }
        other => other?,
    };
    for hit in &mut answer.found.hits {
        search::point_at_match(kb, hit);
    }
    Ok(answer)
}

fn try_search_fresh(
    kb: &Kb,
    request: &search::Request,
    refresh: bool,
    progress: Progress,
) -> Result<Answer> {
    let (index, built) = open_or_build(kb, progress)?;
    if let Some(stats) = built {
        return Ok(Answer::new(search::search(&index, request)?, stats.errors));
    }
    let (first, verified, on_disk, manifest) = std::thread::scope(|s| {
        let verify = s.spawn(|| index.verify());
        let check = refresh.then(|| s.spawn(|| kb.stamps()));
        let first = search::search(&index, request);
        let manifest = refresh.then(|| index.read_manifest());
        let verified = verify
            .join()
            .unwrap_or_else(|_| Err(damaged("verify panicked")));
        (first, verified, check.map(|c| c.join()), manifest)
    });
    verified?;
    let (Some(on_disk), Some(manifest)) = (on_disk, manifest) else {
        return Ok(Answer::new(first?, Vec::new()));
    };
    let on_disk = on_disk.map_err(|_| damaged("the freshness check failed"))?;
    let manifest = manifest.ok_or_else(|| damaged("the index manifest is missing or stale"))?;
    let changes = manifest.changes(&on_disk);
    if changes.is_empty() {
        return Ok(Answer::new(first?, Vec::new()));
    }
    match apply(kb, index, manifest, &changes) {
        Ok((fresh, stats)) => Ok(Answer::new(search::search(&fresh, request)?, stats.errors)),
        // Could not write the next generation: the index we have still answers.
        Err(e @ Error::Io { .. }) => Ok(Answer {
            found: first?,
            unindexed: Vec::new(),
            notices: vec![Notice::Stale {
                reason: e.to_string(),
            }],
        }),
        Err(e) => Err(e),
    }
}

/// Brings the index up to date (building it when missing, rebuilding it when damaged) and says
/// what it did.
pub fn refresh(kb: &Kb, progress: Progress) -> Result<IndexStats> {
    match guarded(|| try_refresh(kb, progress)) {
        Err(Error::Index { .. }) => {
            let (_, mut stats) = guarded(|| build_index(kb, progress))?;
            stats.repaired = true;
            Ok(stats)
        }
        other => other,
    }
}

fn try_refresh(kb: &Kb, progress: Progress) -> Result<IndexStats> {
    let started = Instant::now();
    let (index, built) = open_or_build(kb, progress)?;
    if let Some(stats) = built {
        return Ok(stats);
    }
    index.verify()?;
    let manifest = index
        .read_manifest()
        .ok_or_else(|| damaged("the index manifest is missing or stale"))?;
    let (on_disk, walk_errors) = kb.stamps_and_errors();
    let changes = manifest.changes(&on_disk);
    let unchanged_broken: Vec<String> = manifest
        .unindexed
        .iter()
        .filter(|p| {
            let seen = |list: &[String]| list.binary_search(p).is_ok();
            !seen(&changes.changed) && !seen(&changes.deleted)
        })
        .cloned()
        .collect();
    let mut stats = match changes.is_empty() {
        true => IndexStats {
            docs: manifest.indexed(),
            ..IndexStats::default()
        },
        false => apply(kb, index, manifest, &changes)?.1,
    };
    // Docs left out of the index earlier and unchanged since are not read by the refresh; read
    // again here (they are few), so that `kb index` names every doc search cannot find.
    stats.errors.extend(walk_errors);
    stats.errors.extend(
        unchanged_broken
            .into_iter()
            .filter_map(|path| kb.read(path).err()),
    );
    stats.errors.sort_by(|a, b| a.path.cmp(&b.path));
    stats.seconds = started.elapsed().as_secs_f64();
    Ok(stats)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_mostly_deleted_and_many_small_segments() {
        assert!(merge_candidates(&[(100_000, 0), (10, 0), (10, 5)]) == vec![2]);
        assert!(merge_candidates(&[(100_000, 30_000)]) == vec![0]);
        let mut many = vec![(100_000, 0)];
        many.extend([(10, 0); MAX_SMALL_SEGMENTS]);
        assert_eq!(
            merge_candidates(&many),
            (1..=MAX_SMALL_SEGMENTS).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_panic_is_an_index_error() {
        let result: Result<()> = guarded(|| panic!("boom"));
        assert!(matches!(result, Err(Error::Index { message, .. }) if message.contains("boom")));
    }
}
