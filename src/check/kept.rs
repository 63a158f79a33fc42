//! The link rule's findings kept between runs, in `.kb/cache/links.bin`: at 100k docs, resolving
//! every link again was a third of a warm `kb check`, though most runs change no link's answer.
//!
//! What a doc's links resolve to depends on the doc (its path and links) and on the rest of the
//! KB: which paths hold docs, their anchors, ids and titles (the *world*), and, for a link to a
//! file that is not a doc or to nothing, on the disk. So each doc's findings are kept under a
//! key hashed from the world's digest, its path and its links; a doc whose key is kept is not
//! checked again. A change to any doc's path, anchors, id or title changes the world, and every
//! doc is checked again. The disk's answers are kept too ([`Probe`]), asked again first on the
//! next run, and any different answer counts as a changed world.

use super::{Context, DocInfo, Finding, KeptFinding};
use crate::doc::markdown::LinkKind;
use rustc_hash::{FxHashMap, FxHashSet, FxHasher};
use serde::{Deserialize, Serialize};
use std::hash::{Hash, Hasher};
use std::path::Path;

const FILE: &str = ".kb/cache/links.bin";

/// One doc's key: 128 bits, so that two docs' keys meeting by chance is never a concern.
pub type Key = (u64, u64);

/// A question the link rule asked the disk, and its answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Probe {
    /// A KB path.
    pub path: String,
    /// Whether it asked for a folder, rather than for anything.
    pub dir: bool,
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

/// The file as written.
#[derive(Default, Serialize, Deserialize)]
struct Stored {
    world: u64,
    probes: Vec<Probe>,
    /// Keys of docs whose links were all fine.
    clean: Vec<Key>,
    /// Keys of docs with findings, and the findings.
    found: Vec<(Key, Vec<KeptFinding>)>,
}

/// The findings kept for this run's world, and how this run's findings are kept for the next.
pub struct Kept {
    /// Off for a context that pretends a move happened (`kb mv`): what it finds is not the KB's.
    on: bool,
    world: u64,
    /// The probes the kept findings rest on, asked again and still so.
    probes: Vec<Probe>,
    clean: FxHashSet<Key>,
    found: FxHashMap<Key, Vec<KeptFinding>>,
}

/// What a doc's findings are this run: kept from a run before, or found now.
pub enum Findings {
    Kept(Vec<Finding>),
    Found(Vec<Finding>),
}

impl Kept {
    /// The findings kept for the KB as `ctx` sees it (none when the cache is off, on a first
    /// run, or after the world changed).
    pub fn open(ctx: &Context) -> Kept {
        let on = ctx.relocated.is_none() && ctx.kb.config.cache;
        let world = match on {
            true => world(&ctx.docs),
            false => 0,
        };
        let stored = on
            .then(|| crate::cache::read_whole::<Stored>(ctx.kb, FILE))
            .flatten()
            .filter(|s| s.world == world)
            .filter(|s| s.probes.iter().all(|p| p.holds(&ctx.kb.root)))
            .unwrap_or_default();
        Kept {
            on,
            world,
            probes: stored.probes,
            clean: stored.clean.into_iter().collect(),
            found: stored.found.into_iter().collect(),
        }
    }

    /// The key of `d`'s findings in this world.
    pub fn key(&self, d: &DocInfo) -> Key {
        let hash = |seed: usize| {
            let mut h = FxHasher::with_seed(seed);
            self.world.hash(&mut h);
            d.doc.path.hash(&mut h);
            for link in &d.outline.links {
                matches!(link.kind, LinkKind::Wiki).hash(&mut h);
                link.target.hash(&mut h);
                link.line.hash(&mut h);
                link.column.hash(&mut h);
            }
            h.finish()
        };
        (hash(1), hash(2))
    }

    /// The findings kept under `key`, if any were.
    pub fn get(&self, key: &Key) -> Option<Vec<Finding>> {
        if self.clean.contains(key) {
            return Some(Vec::new());
        }
        let found = self.found.get(key)?;
        found
            .iter()
            .cloned()
            .map(KeptFinding::into_finding)
            .collect()
    }

    /// Keeps this run's findings (each doc's key and findings) for the next run, with the probes
    /// `ctx` asked the disk; writes the file only when something was found afresh or a doc is
    /// gone.
    pub fn save(self, ctx: &Context, docs: &[(Key, Findings)]) {
        let fresh = docs.iter().any(|(_, f)| matches!(f, Findings::Found(_)));
        let kept = self.clean.len() + self.found.len();
        if !self.on || (!fresh && kept == docs.len()) {
            return;
        }
        let mut probes = self.probes;
        probes.extend(ctx.take_probes());
        probes.sort_unstable();
        probes.dedup();
        let mut stored = Stored {
            world: self.world,
            probes,
            ..Stored::default()
        };
        for (key, findings) in docs {
            let (Findings::Kept(f) | Findings::Found(f)) = findings;
            match f.is_empty() {
                true => stored.clean.push(*key),
                false => stored
                    .found
                    .push((*key, f.iter().cloned().map(KeptFinding::from).collect())),
            }
        }
        crate::cache::write_whole(ctx.kb, FILE, &stored);
    }
}

/// The digest of what links resolve against: each doc's path, title, id and anchors, in path
/// order.
fn world(docs: &[DocInfo]) -> u64 {
    use rayon::prelude::*;
    let parts: Vec<u64> = docs
        .par_chunks(1024)
        .map(|chunk| {
            let mut h = FxHasher::default();
            for d in chunk {
                d.doc.path.hash(&mut h);
                d.doc.title.hash(&mut h);
                d.doc.id().hash(&mut h);
                d.anchors.hash(&mut h);
            }
            h.finish()
        })
        .collect();
    let mut h = FxHasher::default();
    parts.hash(&mut h);
    h.finish()
}
