//! The link rule's findings kept between runs, in `.kb/cache/links.bin`: at 100k docs, resolving
//! every link again was a third of a warm `kb check`, though most runs change no link's answer.
//!
//! What a doc's links resolve to depends on the doc (its path, links and own anchors) and on the
//! rest of the KB: which paths hold docs, their ids and titles (the *world*), the anchors of the
//! docs its links point into, and, for a link to a file that is not a doc or to nothing, the
//! disk. So each doc's findings are kept under a key hashed from the world's digest, its path,
//! links and anchors, with what answering them read ([`Reads`]): the docs whose anchors they
//! read (and a hash of those anchors), and what the disk was asked and said ([`Probe`]). A doc
//! whose key is kept, whose targets' anchors hash the same and whose probes still get the same
//! answers is not checked again. A doc added, moved or deleted, or a title or id changed,
//! changes the world and every doc is checked again; a heading changed, or a linked image gone,
//! sends back only the docs whose links read it.

use super::{Context, DocInfo, Finding, KeptFinding};
use crate::doc::markdown::LinkKind;
use rayon::prelude::*;
use rustc_hash::FxHasher;
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};

const FILE: &str = ".kb/cache/links.bin";

/// One doc's key, a 64-bit hash: a changed doc's new key equals the one kept for its place by
/// chance once in 2^64 edits. (A second hash by SipHash beside it cost `kb check` 5% at 100k
/// docs.)
pub type Key = u64;

/// The [`Key`] of what `feed` writes.
fn key_of(feed: impl FnOnce(&mut FxHasher)) -> Key {
    let mut h = FxHasher::default();
    feed(&mut h);
    h.finish()
}

/// A question the link rule asked the disk, and its answer.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Probe {
    /// A KB path.
    pub path: String,
    /// Whether it asked for a folder, rather than for anything.
    pub dir: bool,
    /// Whether something (a folder, when `dir`) was there.
    pub answer: bool,
}

impl Probe {
    /// Asks the disk whether something (a folder, when `dir`) is at the KB path `path`.
    pub fn ask(root: &Path, path: &str, dir: bool) -> bool {
        let full = root.join(path);
        match dir {
            true => full.is_dir(),
            false => full.exists(),
        }
    }

    fn holds(&self, root: &Path) -> bool {
        Probe::ask(root, &self.path, self.dir) == self.answer
    }
}

/// What answering one doc's links read beyond the doc itself.
#[derive(Debug, Default)]
pub struct Reads {
    /// The docs (by index) whose anchors were read.
    pub anchored: Vec<usize>,
    /// What the disk was asked, and said.
    pub probes: Vec<Probe>,
}

/// One doc's findings as kept. Boxed slices, not vectors: at 100k docs every byte of an entry
/// is 100 KB of `kb check`'s peak memory.
#[derive(Default, Serialize, Deserialize)]
struct Entry {
    /// The doc's index: in one world, docs keep their places (the world holds every path, in
    /// order), so entries are found by place, not through a map of keys.
    doc: u32,
    key: Key,
    /// The docs (by index, which a world keeps) whose anchors the findings read...
    anchored: Box<[u32]>,
    /// ...and the hash of those anchors then.
    anchors: Key,
    /// What the disk said then, asked again before the findings are used.
    probes: Box<[Probe]>,
    findings: Box<[KeptFinding]>,
}

/// The file as written.
#[derive(Default, Serialize, Deserialize)]
struct Stored {
    world: Key,
    /// In the docs' order, each doc at most once.
    #[serde(deserialize_with = "entries_as_counted")]
    entries: Vec<Entry>,
}

/// The entries, in a list made as long as the file says: grown as they are read (serde's
/// default, which trusts no count), the list's copies cost `kb check` 20 MB more at its peak
/// at 100k docs. A damaged count is bounded: it reserves at most 2^18 entries (19 MB); a
/// larger KB's list grows past that as it is read.
fn entries_as_counted<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Entry>, D::Error> {
    struct Counted;
    impl<'de> serde::de::Visitor<'de> for Counted {
        type Value = Vec<Entry>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of kept findings")
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(
            self,
            mut seq: A,
        ) -> Result<Vec<Entry>, A::Error> {
            let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1 << 18));
            while let Some(entry) = seq.next_element()? {
                out.push(entry);
            }
            Ok(out)
        }
    }
    d.deserialize_seq(Counted)
}

/// The findings kept for this run's world, and how this run's findings are kept for the next.
pub struct Kept {
    /// Off for a context that pretends a move happened (`kb mv`): what it finds is not the KB's.
    on: bool,
    world: Key,
    /// The KB root, where kept probes are asked again.
    root: PathBuf,
    /// In the docs' order, found by doc index (a list as long as the KB, with a slot per doc,
    /// beside the file's was 10 MB more at 100k docs).
    entries: Vec<Entry>,
    /// Each doc's anchors, hashed: what a kept entry's targets are compared by.
    anchor_hashes: Vec<Key>,
}

/// What a doc's findings are this run: kept from a run before, or found now (with what finding
/// them read).
pub enum Findings {
    Kept(Vec<Finding>),
    /// Boxed: most docs' findings are kept, and the list of every doc's is as long as the KB.
    Found(Vec<Finding>, Box<Reads>),
}

impl Kept {
    /// The findings kept for the KB as `ctx` sees it (none when the cache is off, on a first
    /// run, or after the world changed).
    pub fn open(ctx: &Context) -> Kept {
        let on = ctx.relocated.is_none() && ctx.kb.config.cache;
        let (world, anchor_hashes) = match on {
            true => world(&ctx.docs),
            false => (0, Vec::new()),
        };
        let mut entries = on
            .then(|| crate::cache::read_whole::<Stored>(ctx.kb, FILE))
            .flatten()
            .filter(|s| s.world == world)
            .unwrap_or_default()
            .entries;
        // Written in order; a file that is not is damaged, and kept findings are only a saving.
        if !entries.is_sorted_by(|a, b| a.doc < b.doc) {
            entries.clear();
        }
        Kept {
            on,
            world,
            root: ctx.kb.root.clone(),
            entries,
            anchor_hashes,
        }
    }

    /// The key of `d`'s findings in this world.
    pub fn key(&self, d: &DocInfo) -> Key {
        key_of(|h| {
            self.world.hash(h);
            d.doc.path.hash(h);
            d.anchors.hash(h);
            for link in &d.links {
                matches!(link.kind, LinkKind::Wiki).hash(h);
                link.target.hash(h);
                link.line.hash(h);
                link.column.hash(h);
            }
        })
    }

    /// The findings kept for the doc at index `doc` under `key`, if any were and the anchors
    /// they read are unchanged.
    pub fn get(&self, doc: usize, key: Key) -> Option<Vec<Finding>> {
        let entry = self
            .entries
            .get(self.place(doc)?)
            .filter(|e| e.key == key)?;
        let targets = entry.anchored.iter().map(|&i| usize::try_from(i).ok());
        if self.anchors_of(targets)? != entry.anchors
            || !entry.probes.iter().all(|p| p.holds(&self.root))
        {
            return None;
        }
        let findings = entry.findings.iter().cloned();
        findings.map(KeptFinding::into_finding).collect()
    }

    /// Where the entry of the doc at index `doc` is in `entries`.
    fn place(&self, doc: usize) -> Option<usize> {
        let doc = u32::try_from(doc).ok()?;
        self.entries.binary_search_by_key(&doc, |e| e.doc).ok()
    }

    /// The hash of the anchors of the docs at `targets`; `None` for an index no doc has.
    fn anchors_of(&self, targets: impl Iterator<Item = Option<usize>>) -> Option<Key> {
        let mut h = FxHasher::default();
        for i in targets {
            self.anchor_hashes.get(i?)?.hash(&mut h);
        }
        Some(h.finish())
    }

    /// Keeps this run's findings (each doc's index, key and findings) for the next run; writes
    /// the file only when something was found afresh (a doc gone changed the world, so every
    /// doc was).
    pub fn save(mut self, ctx: &Context, docs: &[(usize, Key, Findings)]) {
        let fresh = docs
            .iter()
            .any(|(_, _, f)| matches!(f, Findings::Found(..)));
        if !self.on || !fresh {
            return;
        }
        let mut stored = Stored {
            world: self.world,
            entries: Vec::with_capacity(docs.len()),
        };
        for &(doc, key, ref findings) in docs {
            let entry = match findings {
                // Taken, leaving its doc index: the entries stay sorted for `place`.
                Findings::Kept(_) => self.place(doc).map(|at| {
                    let doc = self.entries[at].doc;
                    std::mem::replace(
                        &mut self.entries[at],
                        Entry {
                            doc,
                            ..Entry::default()
                        },
                    )
                }),
                Findings::Found(found, reads) => {
                    let (mut anchored, mut probes) = (reads.anchored.clone(), reads.probes.clone());
                    probes.sort_unstable();
                    probes.dedup();
                    anchored.sort_unstable();
                    anchored.dedup();
                    let anchors = self.anchors_of(anchored.iter().map(|&i| Some(i)));
                    let anchored = anchored.into_iter().map(u32::try_from).collect();
                    let probes = probes.into_boxed_slice();
                    match (anchors, anchored, u32::try_from(doc)) {
                        (Some(anchors), Ok(anchored), Ok(doc)) => Some(Entry {
                            doc,
                            key,
                            anchored,
                            anchors,
                            probes,
                            findings: found.iter().cloned().map(KeptFinding::from).collect(),
                        }),
                        _ => None,
                    }
                }
            };
            stored.entries.extend(entry);
        }
        crate::cache::write_whole(ctx.kb, FILE, &stored);
    }
}

/// The digest of the names links resolve against (each doc's path, title and id, in path
/// order), and each doc's anchors hashed.
fn world(docs: &[DocInfo]) -> (Key, Vec<Key>) {
    let parts: Vec<(Key, Vec<Key>)> = docs
        .par_chunks(1024)
        .map(|chunk| {
            let names = key_of(|h| {
                for d in chunk {
                    d.doc.path.hash(h);
                    d.doc.title.hash(h);
                    d.doc.id().hash(h);
                }
            });
            let anchors = chunk.iter().map(|d| key_of(|h| d.anchors.hash(h)));
            (names, anchors.collect())
        })
        .collect();
    let world = key_of(|h| parts.iter().for_each(|(names, _)| names.hash(h)));
    let anchors = parts.into_iter().flat_map(|(_, a)| a).collect();
    (world, anchors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(doc: u32) -> Entry {
        Entry {
            doc,
            key: u64::from(doc) * 7,
            ..Entry::default()
        }
    }

    #[test]
    fn entries_are_found_by_doc_index_where_some_docs_have_none() {
        // Docs under `_includes/` keep no entry: doc 1 has none.
        let stored = Stored {
            world: 9,
            entries: vec![entry(0), entry(2), entry(5)],
        };
        let bytes = postcard::to_allocvec(&stored).unwrap();
        let read: Stored = postcard::from_bytes(&bytes).unwrap();
        let kept = Kept {
            on: true,
            world: read.world,
            root: PathBuf::new(),
            entries: read.entries,
            anchor_hashes: Vec::new(),
        };
        let places: Vec<_> = (0..7).map(|doc| kept.place(doc)).collect();
        assert_eq!(places, [Some(0), None, Some(1), None, None, Some(2), None]);
        assert_eq!(kept.get(5, 35), Some(Vec::new()), "kept, no findings");
        assert_eq!(kept.get(5, 36), None, "another key");
        assert_eq!(kept.get(1, 7), None, "no entry");
    }

    #[test]
    fn a_damaged_count_of_entries_fails_to_read_without_reserving_it() {
        // World 1, then a count of 2^40 entries and no entry.
        let mut bytes = postcard::to_allocvec(&1u64).unwrap();
        bytes.extend(postcard::to_allocvec(&(1u64 << 40)).unwrap());
        assert!(postcard::from_bytes::<Stored>(&bytes).is_err());
    }
}
