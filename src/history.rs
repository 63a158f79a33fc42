//! Time, read from git: when each doc was created and last updated, by whom, in how many
//! commits (DESIGN §14). One walk over the commits, oldest first, folds tree-to-tree diffs (no
//! content diffs; renames followed) into per-path facts. The fold is cached in `.kb/cache/` by
//! HEAD, and a HEAD that descends from the cached one folds only the new commits.
//!
//! Merge commits are skipped: what they bring is already in the commits they merge, which the
//! walk visits too (`git log --no-merges`). Dates are the committer's, in the committer's time
//! zone: the day a change landed, not the day it was first written on a branch.

use crate::error::Result;
use crate::kb::Kb;
use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// Bumped when the cache's layout or meaning changes; another version is rebuilt.
const CACHE_VERSION: u32 = 1;
const CACHE_FILE: &str = ".kb/cache/history.json";

/// What git says about one current doc (the `git` object of ls, show and search).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GitFacts {
    pub created: NaiveDate,
    pub updated: NaiveDate,
    /// Handles where people/ knows the email, else the git name.
    pub author: String,
    pub last_author: String,
    pub commits: usize,
    pub last_commit: LastCommit,
    /// Changed in the work tree and not committed: `updated` is then today.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub dirty: bool,
    /// A shallow clone's history starts mid-way: `created`, `author` and `commits` only count
    /// what the clone has.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub approximate: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LastCommit {
    pub id: String,
    pub date: NaiveDate,
    pub summary: String,
}

/// The facts of every current doc that git knows, and what git could not tell.
#[derive(Debug, Default)]
pub struct History {
    /// By KB-relative path.
    pub docs: HashMap<String, GitFacts>,
    /// Whether the KB is in a git repository at all.
    pub in_git: bool,
    /// What is missing, for stderr: a shallow clone's early history, an unreadable repository.
    pub notes: Vec<String>,
}

impl History {
    pub fn get(&self, path: &str) -> Option<&GitFacts> {
        self.docs.get(path)
    }
}

/// One path's facts as folded from commits, before people/ names its authors.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Folded {
    /// Indexes into the cache's commits.
    created: usize,
    updated: usize,
    commits: usize,
    /// The commit that created it had no parent in a shallow clone.
    approximate: bool,
}

/// One commit as the facts need it.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stamp {
    id: String,
    /// Committer time: seconds since the epoch and the committer's offset in minutes.
    time: i64,
    offset: i32,
    name: String,
    email: String,
    summary: String,
}

impl Stamp {
    fn of(commit: &git2::Commit) -> Stamp {
        let who = commit.author();
        let when = commit.committer().when();
        Stamp {
            id: commit.id().to_string(),
            time: when.seconds(),
            offset: when.offset_minutes(),
            name: who.name().unwrap_or_default().to_string(),
            email: who.email().unwrap_or_default().to_string(),
            summary: commit
                .summary()
                .ok()
                .flatten()
                .unwrap_or_default()
                .to_string(),
        }
    }

    /// The day in the committer's zone; an offset out of range (a forged commit) counts as UTC.
    fn date(&self) -> NaiveDate {
        let utc = DateTime::from_timestamp(self.time, 0).unwrap_or(DateTime::UNIX_EPOCH);
        match FixedOffset::east_opt(self.offset.saturating_mul(60)) {
            Some(offset) => utc.with_timezone(&offset).date_naive(),
            None => utc.date_naive(),
        }
    }
}

/// The cache: the fold at one HEAD, by repository-relative path.
#[derive(Debug, Serialize, Deserialize)]
struct Cache {
    version: u32,
    head: String,
    shallow: bool,
    /// The commits that touched a Markdown file, each once.
    commits: Vec<Stamp>,
    paths: BTreeMap<String, Folded>,
}

/// Gives each doc its git facts; returns the rest of the history (whether there is git, what
/// it could not tell) with its docs moved out.
pub fn attach(kb: &Kb, docs: &mut [crate::doc::Document]) -> History {
    let paths: Vec<&str> = docs.iter().map(|d| d.path.as_str()).collect();
    let mut history = load(kb, &paths);
    if history.docs.is_empty() {
        return history;
    }
    for doc in docs {
        doc.git = history.docs.remove(&doc.path).map(Box::new);
    }
    history
}

/// The history of every current doc. Never fails: without git, or with a broken repository,
/// the docs simply have no facts and `notes` says why.
pub fn load(kb: &Kb, docs: &[&str]) -> History {
    match try_load(kb, docs) {
        Ok(history) => history,
        Err(e) => History {
            docs: HashMap::new(),
            in_git: true,
            notes: vec![format!("no history from git: {e}")],
        },
    }
}

fn try_load(kb: &Kb, docs: &[&str]) -> Result<History> {
    let Ok(repo) = git2::Repository::discover(&kb.root) else {
        return Ok(History::default());
    };
    let Some(prefix) = kb_prefix(&repo, &kb.root) else {
        return Ok(History::default());
    };
    let in_git = History {
        in_git: true,
        ..History::default()
    };
    let head = match repo.head().ok().and_then(|h| h.peel_to_commit().ok()) {
        Some(head) => head,
        // A repository without a commit yet: every doc is new.
        None => return Ok(with_dirty(kb, &repo, &prefix, docs, in_git)),
    };
    let cache = fold(kb, &repo, &head)?;
    let mut history = in_git;
    if cache.shallow {
        let oldest = cache
            .paths
            .values()
            .filter(|f| f.approximate)
            .map(|f| cache.commits[f.created].date())
            .min();
        if let Some(oldest) = oldest {
            history.notes.push(format!(
                "shallow clone: dates before {oldest} are unknown (in CI, check out with fetch-depth: 0)"
            ));
        }
    }
    let people = handles_by_email(kb);
    for doc in docs {
        let Some(folded) = cache.paths.get(&format!("{prefix}{doc}")) else {
            continue;
        };
        history
            .docs
            .insert(doc.to_string(), facts(folded, &cache.commits, &people));
    }
    Ok(with_dirty(kb, &repo, &prefix, docs, history))
}

/// The KB root as a prefix of repository paths (`""` at the top, `handbook/` below it).
fn kb_prefix(repo: &git2::Repository, root: &Path) -> Option<String> {
    let workdir = std::fs::canonicalize(repo.workdir()?).ok()?;
    let root = std::fs::canonicalize(root).ok()?;
    let rel = root.strip_prefix(&workdir).ok()?;
    let rel = rel.to_string_lossy().replace('\\', "/");
    Some(match rel.is_empty() {
        true => String::new(),
        false => format!("{rel}/"),
    })
}

/// The fold at `head`: the cached one, extended by the new commits when HEAD moved forward,
/// else computed from the start.
fn fold(kb: &Kb, repo: &git2::Repository, head: &git2::Commit) -> Result<Cache> {
    let head_id = head.id().to_string();
    let cached = match read_cache(kb) {
        Some(cache) if cache.head == head_id => return Ok(cache),
        other => other,
    };
    let base = cached.filter(|c| {
        git2::Oid::from_str(&c.head)
            .ok()
            .is_some_and(|old| repo.graph_descendant_of(head.id(), old).unwrap_or(false))
    });
    let mut cache = base.unwrap_or(Cache {
        version: CACHE_VERSION,
        head: String::new(),
        shallow: repo.is_shallow(),
        commits: Vec::new(),
        paths: BTreeMap::new(),
    });
    // The walk reads every tree of every commit; git already checked each object's hash when it
    // stored it, and re-hashing on each read made the walk ~10x slower than `git log`.
    git2::opts::strict_hash_verification(false);
    let mut walk = repo.revwalk()?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)?;
    walk.push(head.id())?;
    if let Ok(old) = git2::Oid::from_str(&cache.head) {
        walk.hide(old)?;
    }
    for id in walk {
        let commit = repo.find_commit(id?)?;
        apply(repo, &commit, &mut cache)?;
    }
    cache.head = head_id;
    write_cache(kb, &cache);
    Ok(cache)
}

/// What one commit did to one Markdown file.
#[derive(Debug, PartialEq, Eq)]
enum Change {
    Added(String, git2::Oid),
    Deleted(String, git2::Oid),
    Modified(String),
    Renamed { from: String, to: String },
}

/// Folds one commit's changes to Markdown files into the cache.
fn apply(repo: &git2::Repository, commit: &git2::Commit, cache: &mut Cache) -> Result<()> {
    if commit.parent_count() > 1 {
        return Ok(());
    }
    let parent = commit.parent(0).ok();
    let old_tree = parent.as_ref().map(|p| p.tree()).transpose()?;
    let new_tree = commit.tree()?;
    let mut changes = Vec::new();
    diff_trees(repo, old_tree.as_ref(), Some(&new_tree), "", &mut changes)?;
    if changes.is_empty() {
        return Ok(());
    }
    let changes = with_renames(repo, old_tree.as_ref(), &new_tree, changes);
    let stamp = cache.commits.len();
    cache.commits.push(Stamp::of(commit));
    let paths = &mut cache.paths;
    // A parentless commit in a shallow clone is where the clone's history was cut.
    let cut = parent.is_none() && repo.is_shallow();
    for change in changes {
        match change {
            Change::Added(path, _) => {
                paths.insert(path, born(stamp, cut));
            }
            Change::Deleted(path, _) => {
                paths.remove(&path);
            }
            Change::Renamed { from, to } => {
                let mut folded = paths.remove(&from).unwrap_or_else(|| born(stamp, cut));
                touch(&mut folded, stamp);
                paths.insert(to, folded);
            }
            Change::Modified(path) => match paths.get_mut(&path) {
                Some(folded) => touch(folded, stamp),
                None => {
                    paths.insert(path, born(stamp, cut));
                }
            },
        }
    }
    Ok(())
}

/// The Markdown files that differ between two trees. Subtrees with the same id are skipped
/// without being read, which is what makes a walk over thousands of commits of a large KB
/// cost about what `git log --name-only` does (libgit2's own tree diff reads them all).
fn diff_trees(
    repo: &git2::Repository,
    old: Option<&git2::Tree>,
    new: Option<&git2::Tree>,
    prefix: &str,
    out: &mut Vec<Change>,
) -> Result<()> {
    let before = entries(old);
    let after = entries(new);
    let (mut b, mut a) = (before.iter().peekable(), after.iter().peekable());
    // Both trees list their entries in git's order, so one merge pass pairs them up.
    loop {
        let (was, is) = match (b.peek(), a.peek()) {
            (None, None) => break,
            (Some(_), None) => (b.next(), None),
            (None, Some(_)) => (None, a.next()),
            (Some(w), Some(i)) => match git_order(w, i) {
                std::cmp::Ordering::Less => (b.next(), None),
                std::cmp::Ordering::Greater => (None, a.next()),
                std::cmp::Ordering::Equal => (b.next(), a.next()),
            },
        };
        if was.map(|w| w.id) == is.map(|i| i.id) {
            continue;
        }
        let Some(name) = was.or(is).map(|e| String::from_utf8_lossy(&e.name)) else {
            continue;
        };
        let path = format!("{prefix}{name}");
        let subtree = |side: Option<&Entry>| -> Result<Option<git2::Tree>> {
            match side {
                Some(e) if e.is_tree => Ok(Some(repo.find_tree(e.id)?)),
                _ => Ok(None),
            }
        };
        let (old_sub, new_sub) = (subtree(was)?, subtree(is)?);
        if old_sub.is_some() || new_sub.is_some() {
            diff_trees(
                repo,
                old_sub.as_ref(),
                new_sub.as_ref(),
                &format!("{path}/"),
                out,
            )?;
            continue;
        }
        if !is_markdown(Path::new(&path)) {
            continue;
        }
        match (was, is) {
            // Content or mode (a file become a symlink) changed: a change, not a new doc.
            (Some(_), Some(_)) => out.push(Change::Modified(path)),
            (None, Some(e)) => out.push(Change::Added(path, e.id)),
            (Some(e), None) => out.push(Change::Deleted(path, e.id)),
            (None, None) => {}
        }
    }
    Ok(())
}

/// One entry of a tree, as the diff needs it.
struct Entry {
    name: Vec<u8>,
    id: git2::Oid,
    is_tree: bool,
}

fn entries(tree: Option<&git2::Tree>) -> Vec<Entry> {
    tree.map(|t| {
        t.iter()
            .map(|e| Entry {
                name: e.name_bytes().to_vec(),
                id: e.id(),
                is_tree: e.kind() == Some(git2::ObjectType::Tree),
            })
            .collect()
    })
    .unwrap_or_default()
}

/// Git's order of tree entries: by name, a folder's name compared as if it ended in `/`.
fn git_order(a: &Entry, b: &Entry) -> std::cmp::Ordering {
    let key = |e: &Entry| {
        e.name
            .iter()
            .copied()
            .chain(e.is_tree.then_some(b'/'))
            .collect::<Vec<u8>>()
    };
    let (x, y) = (key(a), key(b));
    x.cmp(&y)
}

/// Pairs the commit's deleted and added files into renames: the same content first (free), then
/// git's similarity on what is left, which reads the blobs and so runs only when both sides
/// have candidates. A blob it cannot read (a partial clone) costs the rename, not the history.
fn with_renames(
    repo: &git2::Repository,
    old: Option<&git2::Tree>,
    new: &git2::Tree,
    changes: Vec<Change>,
) -> Vec<Change> {
    let deleted: HashMap<git2::Oid, String> = changes
        .iter()
        .filter_map(|c| match c {
            Change::Deleted(path, id) => Some((*id, path.clone())),
            _ => None,
        })
        .collect();
    if deleted.is_empty() || !changes.iter().any(|c| matches!(c, Change::Added(..))) {
        return changes;
    }
    let mut renamed: HashMap<String, String> = HashMap::new();
    let mut taken: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for c in &changes {
        if let Change::Added(to, id) = c {
            if let Some(from) = deleted.get(id) {
                if taken.insert(from.as_str()) {
                    renamed.insert(to.clone(), from.clone());
                }
            }
        }
    }
    let unmatched = |c: &&Change| match c {
        Change::Added(to, _) => !renamed.contains_key(to),
        Change::Deleted(from, _) => !taken.contains(from.as_str()),
        _ => false,
    };
    let left: Vec<&str> = changes
        .iter()
        .filter(unmatched)
        .map(|c| match c {
            Change::Added(p, _) | Change::Deleted(p, _) => p.as_str(),
            _ => "",
        })
        .collect();
    let both = changes
        .iter()
        .filter(unmatched)
        .any(|c| matches!(c, Change::Added(..)))
        && changes
            .iter()
            .filter(unmatched)
            .any(|c| matches!(c, Change::Deleted(..)));
    if both {
        renamed.extend(similar(repo, old, new, &left));
    }
    let sources: std::collections::HashSet<String> = renamed.values().cloned().collect();
    changes
        .into_iter()
        .filter_map(|c| match c {
            Change::Deleted(ref from, _) if sources.contains(from) => None,
            Change::Added(to, id) => match renamed.remove(&to) {
                Some(from) => Some(Change::Renamed { from, to }),
                None => Some(Change::Added(to, id)),
            },
            other => Some(other),
        })
        .collect()
}

/// git's rename detection (content similarity) over just `paths`: new path to old path.
fn similar(
    repo: &git2::Repository,
    old: Option<&git2::Tree>,
    new: &git2::Tree,
    paths: &[&str],
) -> HashMap<String, String> {
    let mut options = git2::DiffOptions::new();
    options.disable_pathspec_match(true);
    for path in paths {
        options.pathspec(*path);
    }
    let Ok(mut diff) = repo.diff_tree_to_tree(old, Some(new), Some(&mut options)) else {
        return HashMap::new();
    };
    let mut find = git2::DiffFindOptions::new();
    find.renames(true);
    if diff.find_similar(Some(&mut find)).is_err() {
        return HashMap::new();
    }
    diff.deltas()
        .filter(|d| d.status() == git2::Delta::Renamed)
        .filter_map(|d| {
            let from = d.old_file().path()?.to_string_lossy().into_owned();
            let to = d.new_file().path()?.to_string_lossy().into_owned();
            Some((to, from))
        })
        .collect()
}

fn born(stamp: usize, cut: bool) -> Folded {
    Folded {
        created: stamp,
        updated: stamp,
        commits: 1,
        approximate: cut,
    }
}

fn touch(folded: &mut Folded, stamp: usize) {
    folded.updated = stamp;
    folded.commits += 1;
}

fn is_markdown(path: &Path) -> bool {
    crate::walk::is_markdown(path.as_os_str())
}

fn facts(folded: &Folded, commits: &[Stamp], people: &HashMap<String, String>) -> GitFacts {
    let (created, updated) = (&commits[folded.created], &commits[folded.updated]);
    let who = |s: &Stamp| {
        people
            .get(&s.email.to_lowercase())
            .cloned()
            .unwrap_or_else(|| s.name.clone())
    };
    GitFacts {
        created: created.date(),
        updated: updated.date(),
        author: who(created),
        last_author: who(updated),
        commits: folded.commits,
        last_commit: LastCommit {
            id: updated.id.clone(),
            date: updated.date(),
            summary: updated.summary.clone(),
        },
        dirty: false,
        approximate: folded.approximate,
    }
}

/// Docs changed in the work tree and not committed are `updated: today, dirty: true`; a new
/// doc not yet committed gets facts of its own, with no commit.
fn with_dirty(
    kb: &Kb,
    repo: &git2::Repository,
    prefix: &str,
    docs: &[&str],
    mut history: History,
) -> History {
    let today = kb.config.today;
    for rel in changed_in_work_tree(repo, prefix, docs) {
        let facts = history.docs.entry(rel).or_insert_with(|| GitFacts {
            created: today,
            updated: today,
            author: String::new(),
            last_author: String::new(),
            commits: 0,
            last_commit: LastCommit {
                id: String::new(),
                date: today,
                summary: String::new(),
            },
            dirty: true,
            approximate: false,
        });
        facts.updated = today;
        facts.dirty = true;
    }
    history
}

/// The docs (of `docs`) that differ from HEAD in the work tree or the index, or are new. A few
/// docs (a search's results) are asked about one by one; many, in one status walk.
fn changed_in_work_tree(repo: &git2::Repository, prefix: &str, docs: &[&str]) -> Vec<String> {
    let changed = |status: git2::Status| {
        !status.is_empty()
            && !status.intersects(
                git2::Status::IGNORED | git2::Status::WT_DELETED | git2::Status::INDEX_DELETED,
            )
    };
    if docs.len() <= 64 {
        return docs
            .iter()
            .filter(|rel| {
                repo.status_file(Path::new(&format!("{prefix}{rel}")))
                    .is_ok_and(changed)
            })
            .map(|rel| rel.to_string())
            .collect();
    }
    let mut options = git2::StatusOptions::new();
    options
        .include_untracked(true)
        .recurse_untracked_dirs(true)
        .include_ignored(false);
    if !prefix.is_empty() {
        options.pathspec(prefix);
    }
    let Ok(statuses) = repo.statuses(Some(&mut options)) else {
        return Vec::new();
    };
    let current: std::collections::HashSet<&str> = docs.iter().copied().collect();
    statuses
        .iter()
        .filter(|entry| changed(entry.status()))
        .filter_map(|entry| {
            let path = entry.path().ok()?;
            let rel = path.strip_prefix(prefix)?;
            current.contains(rel).then(|| rel.to_string())
        })
        .collect()
}

/// people/'s emails to handles, lower-cased.
fn handles_by_email(kb: &Kb) -> HashMap<String, String> {
    let folder = kb
        .config
        .schema
        .get("person")
        .map_or("people", |t| t.folder.as_str());
    let (people, _) = kb.walk_folder_with(folder, |rel| {
        kb.read_walked(rel.to_string()).ok().map(|s| s.doc)
    });
    people
        .into_iter()
        .filter_map(|(_, person)| {
            let person = person?;
            let text = |k: &str| person.fields.get(k).and_then(crate::doc::scalar_string);
            Some((text("email")?.trim().to_lowercase(), text("handle")?))
        })
        .collect()
}

fn read_cache(kb: &Kb) -> Option<Cache> {
    let bytes = crate::fsutil::read_own(&kb.root, CACHE_FILE).ok()??;
    // A cache that parses but points past its commit table (edited, or from a bug) is as good
    // as none: the walk indexes the table without checking again.
    let in_range = |c: &Cache| {
        c.paths
            .values()
            .all(|f| f.created < c.commits.len() && f.updated < c.commits.len())
    };
    serde_json::from_slice::<Cache>(&bytes)
        .ok()
        .filter(|c| c.version == CACHE_VERSION && in_range(c))
}

/// The cache is an optimisation: when it cannot be written, the next run folds again.
fn write_cache(kb: &Kb, cache: &Cache) {
    if crate::index::ensure_cache_ignored(kb).is_err() {
        return;
    }
    if let Ok(bytes) = serde_json::to_vec(cache) {
        let _ = crate::fsutil::replace(&kb.root, CACHE_FILE, &bytes);
    }
}

// ---------------------------------------------------------------------------------------------
// Windows of time (`kb digest`) and one doc's commits (`kb log`). Both read commits as the fold
// above does (committer dates, merges skipped, renames found only where a commit both adds and
// deletes), but keep each commit's changes instead of folding them away.

/// Where a window starts: a date (its first day), or a git revision (the state it names).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Since {
    Date(NaiveDate),
    Rev(String),
}

/// What one commit did to one Markdown file, paths relative to the KB root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileChange {
    pub kind: ChangeKind,
    /// The path before the commit (none for an added file).
    pub old_path: Option<String>,
    /// The path after the commit (none for a deleted file).
    pub new_path: Option<String>,
    /// Blob ids of the two sides, to read the file as it was.
    pub old_blob: Option<String>,
    pub new_blob: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Added,
    Modified,
    Renamed,
    Deleted,
}

/// One commit with the Markdown files it changed under the KB root.
#[derive(Debug, Clone)]
pub struct WindowCommit {
    pub id: String,
    pub date: NaiveDate,
    /// Seconds since the epoch (committer time), for ordering within a day.
    pub time: i64,
    /// A handle where people/ knows the email, else the git name.
    pub author: String,
    pub summary: String,
    pub changes: Vec<FileChange>,
}

/// The commits of a window of time and the states at its two ends.
pub struct Window {
    /// The first and last day of the window.
    pub since: NaiveDate,
    pub until: NaiveDate,
    /// Whether the KB is in a git repository (else there are no commits, only the dates).
    pub in_git: bool,
    /// The commits that landed in the window (reachable from its end, not from its start),
    /// oldest first, merges left out; only those that changed a Markdown file.
    pub commits: Vec<WindowCommit>,
    /// What git could not tell, for stderr.
    pub notes: Vec<String>,
    repo: Option<git2::Repository>,
    prefix: String,
    start: Option<git2::Oid>,
    end: Option<git2::Oid>,
}

impl Window {
    /// The commit the window starts from (the state before it), when there is one.
    pub fn start_id(&self) -> Option<String> {
        self.start.map(|o| o.to_string())
    }

    /// The commit the window ends at, when there is one.
    pub fn end_id(&self) -> Option<String> {
        self.end.map(|o| o.to_string())
    }

    /// The bytes of a blob the changes name; none when the repository lacks it.
    pub fn blob(&self, id: &str) -> Option<Vec<u8>> {
        let repo = self.repo.as_ref()?;
        let oid = git2::Oid::from_str(id).ok()?;
        repo.find_blob(oid).ok().map(|b| b.content().to_vec())
    }

    /// The bytes of the file at `rel` (KB-relative) at the window's start.
    pub fn at_start(&self, rel: &str) -> Option<Vec<u8>> {
        self.file_at(self.start?, rel)
    }

    /// The bytes of the file at `rel` (KB-relative) at the window's end.
    pub fn at_end(&self, rel: &str) -> Option<Vec<u8>> {
        self.file_at(self.end?, rel)
    }

    fn file_at(&self, commit: git2::Oid, rel: &str) -> Option<Vec<u8>> {
        let repo = self.repo.as_ref()?;
        let tree = repo.find_commit(commit).ok()?.tree().ok()?;
        let entry = tree
            .get_path(Path::new(&format!("{}{rel}", self.prefix)))
            .ok()?;
        let blob = repo.find_blob(entry.id()).ok()?;
        Some(blob.content().to_vec())
    }
}

/// The commits between `since` and `until` (both days included). A date window's end is the
/// last commit of HEAD's first-parent line committed on or before `until`, its start the last
/// one before `since`; a revision is the start itself. A KB outside git gets an empty window
/// that says so; a revision that names nothing is a usage error.
pub fn window(kb: &Kb, since: &Since, until: NaiveDate) -> Result<Window> {
    use crate::error::Error;
    skip_hash_checks();
    let mut window = Window {
        since: match since {
            Since::Date(d) => *d,
            Since::Rev(_) => until,
        },
        until,
        in_git: false,
        commits: Vec::new(),
        notes: Vec::new(),
        repo: None,
        prefix: String::new(),
        start: None,
        end: None,
    };
    let repo = git2::Repository::discover(&kb.root).ok();
    let prefix = repo.as_ref().and_then(|r| kb_prefix(r, &kb.root));
    let (Some(repo), Some(prefix)) = (repo, prefix) else {
        if let Since::Rev(rev) = since {
            return Err(Error::usage_with_hint(
                format!("--since {rev:?} is not a number of days, a date, or a git revision (the knowledge base is not in git)"),
                "give a window like 7d or 2w, or a date like 2026-11-18",
            ));
        }
        window
            .notes
            .push("not in a git repository: no doc changes, only reviews and check-ins".into());
        return Ok(window);
    };
    window.in_git = true;
    let filled = fill_window(kb, &repo, &prefix, since, until, &mut window);
    window.repo = Some(repo);
    window.prefix = prefix;
    filled.map(|()| window)
}

/// [`window`] in a repository: its ends and its commits.
fn fill_window(
    kb: &Kb,
    repo: &git2::Repository,
    prefix: &str,
    since: &Since,
    until: NaiveDate,
    window: &mut Window,
) -> Result<()> {
    use crate::error::Error;
    let at = |e| Error::git(&kb.root, e);
    let head = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let Some(head) = head else {
        window
            .notes
            .push("the repository has no commits yet".into());
        return Ok(());
    };
    let day = |c: &git2::Commit| Stamp::of(c).date();
    // The end: back along the first parents to the last commit on or before `until`.
    let mut end = Some(head);
    while let Some(c) = end.as_ref().filter(|c| day(c) > until) {
        end = c.parent(0).ok();
    }
    let start = match since {
        Since::Rev(rev) => {
            let commit = repo
                .revparse_single(rev)
                .and_then(|o| o.peel_to_commit())
                .map_err(|e| {
                    Error::usage_with_hint(
                        format!(
                            "--since {rev:?} is not a number of days, a date, or a git revision: {}",
                            e.message()
                        ),
                        "give a window like 7d or 2w, a date like 2026-11-18, or a commit, tag or branch; in a shallow CI clone, fetch more history (fetch-depth: 0)",
                    )
                })?;
            // A revision committed after `until` (a clock ahead, or an older --until) opens an
            // empty window on `until` rather than one that ends before it starts.
            window.since = day(&commit).min(until);
            Some(commit)
        }
        Since::Date(since) => {
            let mut start = end.as_ref().and_then(|c| c.parent(0).ok());
            if end.as_ref().is_some_and(|c| day(c) < *since) {
                start = end.clone();
            }
            while let Some(c) = start.as_ref().filter(|c| day(c) >= *since) {
                start = c.parent(0).ok();
            }
            start
        }
    };
    if window.since > until {
        return Err(Error::usage_with_hint(
            format!(
                "the window starts on {} after it ends on {until}",
                window.since
            ),
            "give --since a date or revision before --until",
        ));
    }
    window.start = start.as_ref().map(|c| c.id());
    window.end = end.as_ref().map(|c| c.id());
    let people = handles_by_email(kb);
    if let Some(end) = &end {
        let mut walk = repo.revwalk().map_err(at)?;
        walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::REVERSE)
            .map_err(at)?;
        walk.push(end.id()).map_err(at)?;
        if let Some(start) = &start {
            walk.hide(start.id()).map_err(at)?;
        }
        for id in walk {
            let commit = repo.find_commit(id.map_err(at)?).map_err(at)?;
            if commit.parent_count() > 1 {
                continue;
            }
            // Where a shallow clone's history is cut, the commit's tree is where the window
            // starts: diffing it against nothing would call every doc new.
            if commit.parent_count() == 0 && repo.is_shallow() {
                window.notes.push(format!(
                    "shallow clone: history before {} is not in this clone, so the digest starts there (in CI, check out with fetch-depth: 0)",
                    day(&commit)
                ));
                window.start = Some(commit.id());
                window.commits.clear();
                continue;
            }
            let changes = commit_changes(repo, &commit, prefix).map_err(at)?;
            if changes.is_empty() {
                continue;
            }
            let stamp = Stamp::of(&commit);
            window.commits.push(WindowCommit {
                id: stamp.id.clone(),
                date: stamp.date(),
                time: stamp.time,
                author: people
                    .get(&stamp.email.to_lowercase())
                    .cloned()
                    .unwrap_or(stamp.name),
                summary: stamp.summary,
                changes,
            });
        }
    }
    Ok(())
}

/// The Markdown files under the KB root that `commit` changed against its first parent, with
/// renames found as [`apply`] finds them (a rename it cannot confirm is a delete and an add).
fn commit_changes(
    repo: &git2::Repository,
    commit: &git2::Commit,
    prefix: &str,
) -> std::result::Result<Vec<FileChange>, git2::Error> {
    let parent = commit.parent(0).ok();
    let old_tree = parent.as_ref().map(|p| p.tree()).transpose()?;
    let new_tree = commit.tree()?;
    let mut options = git2::DiffOptions::new();
    options.include_typechange(true);
    if !prefix.is_empty() {
        options.pathspec(prefix);
    }
    let mut diff =
        repo.diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), Some(&mut options))?;
    let markdown = |path: Option<&Path>| path.is_some_and(is_markdown);
    let (mut adds, mut deletes, mut touches_markdown) = (0, 0, false);
    for d in diff.deltas() {
        // Only a doc added where a doc went away can be a doc's rename (renames to or from
        // other kinds of file are an add or a delete): the costly search runs only then.
        adds += usize::from(d.status() == git2::Delta::Added && markdown(d.new_file().path()));
        deletes += usize::from(d.status() == git2::Delta::Deleted && markdown(d.old_file().path()));
        touches_markdown |= markdown(d.old_file().path()) || markdown(d.new_file().path());
    }
    if !touches_markdown {
        return Ok(Vec::new());
    }
    if adds > 0 && deletes > 0 {
        let mut find = git2::DiffFindOptions::new();
        find.renames(true);
        if diff.find_similar(Some(&mut find)).is_err() {
            diff =
                repo.diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), Some(&mut options))?;
            let mut exact = git2::DiffFindOptions::new();
            exact.renames(true).exact_match_only(true);
            let _ = diff.find_similar(Some(&mut exact));
        }
    }
    let relative = |p: Option<&Path>| -> Option<String> {
        let p = p.filter(|p| is_markdown(p))?;
        let full = p.to_string_lossy().replace('\\', "/");
        full.strip_prefix(prefix).map(str::to_string)
    };
    let blob = |f: git2::DiffFile| (!f.id().is_zero()).then(|| f.id().to_string());
    let mut out = Vec::new();
    for delta in diff.deltas() {
        let (old, new) = (
            relative(delta.old_file().path()),
            relative(delta.new_file().path()),
        );
        let (old_blob, new_blob) = (blob(delta.old_file()), blob(delta.new_file()));
        let change = match delta.status() {
            git2::Delta::Added | git2::Delta::Copied => {
                new.map(|n| (ChangeKind::Added, None, Some(n)))
            }
            git2::Delta::Deleted => old.map(|o| (ChangeKind::Deleted, Some(o), None)),
            git2::Delta::Renamed => match (old, new) {
                (Some(o), Some(n)) => Some((ChangeKind::Renamed, Some(o), Some(n))),
                // Renamed into the KB or to a name that is not Markdown: an add or a delete.
                (None, Some(n)) => Some((ChangeKind::Added, None, Some(n))),
                (Some(o), None) => Some((ChangeKind::Deleted, Some(o), None)),
                (None, None) => None,
            },
            _ => new.map(|n| (ChangeKind::Modified, Some(n.clone()), Some(n))),
        };
        if let Some((kind, old_path, new_path)) = change {
            out.push(FileChange {
                kind,
                old_blob: old_path.as_ref().and(old_blob),
                new_blob: new_path.as_ref().and(new_blob),
                old_path,
                new_path,
            });
        }
    }
    Ok(out)
}

/// One commit that touched a doc, with the path the doc had then.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocCommit {
    pub id: String,
    pub date: NaiveDate,
    pub time: i64,
    pub author: String,
    pub summary: String,
    pub path: String,
    pub kind: ChangeKind,
}

/// The commits that touched the doc at `rel` (KB-relative), newest first, following it back
/// through renames as `git log --follow` does; merges left out. Outside git: none, and a note.
pub fn doc_commits(kb: &Kb, rel: &str) -> Result<(Vec<DocCommit>, Vec<String>)> {
    skip_hash_checks();
    let at = |e| crate::error::Error::git(&kb.root, e);
    let mut notes = Vec::new();
    let repo = git2::Repository::discover(&kb.root).ok();
    let prefix = repo.as_ref().and_then(|r| kb_prefix(r, &kb.root));
    let (Some(repo), Some(prefix)) = (repo, prefix) else {
        notes.push("not in a git repository: no commits to show".to_string());
        return Ok((Vec::new(), notes));
    };
    let Some(head) = repo.head().ok().and_then(|h| h.peel_to_commit().ok()) else {
        return Ok((Vec::new(), notes));
    };
    let people = handles_by_email(kb);
    let mut walk = repo.revwalk().map_err(at)?;
    walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
        .map_err(at)?;
    walk.push(head.id()).map_err(at)?;
    let mut current = format!("{prefix}{rel}");
    let mut memo = HashMap::new();
    let mut out = Vec::new();
    for id in walk {
        let commit = repo.find_commit(id.map_err(at)?).map_err(at)?;
        if commit.parent_count() > 1 {
            continue;
        }
        let Some((kind, before)) = touched(&repo, &commit, &current, &mut memo).map_err(at)? else {
            continue;
        };
        let stamp = Stamp::of(&commit);
        let cut = commit.parent_count() == 0 && repo.is_shallow();
        if cut {
            notes.push(format!(
                "shallow clone: commits before {} are not in this clone (in CI, check out with fetch-depth: 0)",
                stamp.date()
            ));
        }
        out.push(DocCommit {
            id: stamp.id.clone(),
            date: stamp.date(),
            time: stamp.time,
            author: people
                .get(&stamp.email.to_lowercase())
                .cloned()
                .unwrap_or(stamp.name),
            summary: stamp.summary,
            path: current
                .strip_prefix(&prefix)
                .unwrap_or(&current)
                .to_string(),
            kind: if cut { ChangeKind::Modified } else { kind },
        });
        match before {
            Some(old) => {
                current = old;
                memo.clear();
            }
            // Born here: nothing older is this doc.
            None if kind == ChangeKind::Added => break,
            None => {}
        }
    }
    Ok((out, notes))
}

/// Whether `commit` changed the file at `path` (repository-relative): how, and under which
/// name it was before when the commit renamed it. The diff is limited to `path` first; only an
/// addition is diffed in full, to tell a rename from a new file.
fn touched(
    repo: &git2::Repository,
    commit: &git2::Commit,
    path: &str,
    memo: &mut HashMap<git2::Oid, Option<git2::Oid>>,
) -> std::result::Result<Option<(ChangeKind, Option<String>)>, git2::Error> {
    // Cheap first: the same blob at the same path on both sides means untouched. Each commit's
    // blob is looked up once: as a commit, then as its child's parent.
    let mut blob_at = |id: git2::Oid| -> Option<git2::Oid> {
        *memo.entry(id).or_insert_with(|| {
            let tree = repo.find_commit(id).ok()?.tree().ok()?;
            tree.get_path(Path::new(path)).ok().map(|e| e.id())
        })
    };
    let new = blob_at(commit.id());
    let old = match new {
        Some(_) => commit.parent_id(0).ok().and_then(&mut blob_at),
        None => None,
    };
    match (old, new) {
        (_, None) => Ok(None),
        (Some(o), Some(n)) if o == n => Ok(None),
        (Some(_), Some(_)) => Ok(Some((ChangeKind::Modified, None))),
        (None, Some(_)) => {
            let parent = commit.parent(0).ok();
            let old_tree = parent.as_ref().map(|p| p.tree()).transpose()?;
            let new_tree = commit.tree()?;
            let mut options = markdown_only("");
            let diff =
                repo.diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), Some(&mut options))?;
            let deleted: Vec<(String, git2::Oid)> = diff
                .deltas()
                .filter(|d| d.status() == git2::Delta::Deleted)
                .filter_map(|d| {
                    let p = d.old_file().path()?.to_string_lossy().replace('\\', "/");
                    Some((p, d.old_file().id()))
                })
                .collect();
            // The same bytes under another name: a rename, without comparing contents.
            if let Some((old, _)) = deleted.iter().find(|(_, id)| Some(*id) == new) {
                return Ok(Some((ChangeKind::Renamed, Some(old.clone()))));
            }
            // Else compare this doc with the deleted ones only, not every pair of a commit
            // that moved hundreds of docs; and only with those whose bytes the repository
            // has (a partial clone lacks some), as one missing blob fails the whole search.
            let odb = repo.odb()?;
            let deleted: Vec<&(String, git2::Oid)> =
                deleted.iter().filter(|(_, id)| odb.exists(*id)).collect();
            let mut options = git2::DiffOptions::new();
            options.disable_pathspec_match(true).pathspec(path);
            for (p, _) in &deleted {
                options.pathspec(p);
            }
            let mut diff =
                repo.diff_tree_to_tree(old_tree.as_ref(), Some(&new_tree), Some(&mut options))?;
            if !deleted.is_empty() && old_tree.is_some() {
                let mut find = git2::DiffFindOptions::new();
                find.renames(true);
                if diff.find_similar(Some(&mut find)).is_err() {
                    diff = repo.diff_tree_to_tree(
                        old_tree.as_ref(),
                        Some(&new_tree),
                        Some(&mut options),
                    )?;
                    let mut exact = git2::DiffFindOptions::new();
                    exact.renames(true).exact_match_only(true);
                    let _ = diff.find_similar(Some(&mut exact));
                }
            }
            let renamed_from = diff.deltas().find_map(|d| {
                let to = d.new_file().path()?.to_string_lossy().replace('\\', "/");
                (d.status() == git2::Delta::Renamed && to == path).then(|| {
                    d.old_file()
                        .path()
                        .map(|p| p.to_string_lossy().replace('\\', "/"))
                })?
            });
            Ok(Some(match renamed_from {
                Some(old) => (ChangeKind::Renamed, Some(old)),
                None => (ChangeKind::Added, None),
            }))
        }
    }
}

/// libgit2 hashes every object it reads to check it against its id; on a walk over many trees
/// that is a third of the time. The objects are the user's own repository, read only: git
/// itself does not check them on `git log` either.
fn skip_hash_checks() {
    git2::opts::strict_hash_verification(false);
}

/// Diff options limited to Markdown files under `prefix` (a folder with `/`, or `""`): the
/// rename search for one doc then compares it with docs only, not every file a commit moved.
fn markdown_only(prefix: &str) -> git2::DiffOptions {
    let mut options = git2::DiffOptions::new();
    options
        .include_typechange(true)
        .pathspec(format!("{prefix}*.md"))
        .pathspec(format!("{prefix}*.markdown"));
    options
}
