//! What kb asks of git, through git2: who the user is, and committing a file kb wrote. Every
//! other command works in a plain folder without git.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// The user's git identity (`user.name`, `user.email`), from the repository's config when the
/// KB is in one, else from the global config.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Identity {
    pub name: Option<String>,
    pub email: Option<String>,
}

pub fn identity(root: &Path) -> Identity {
    let config = match git2::Repository::discover(root) {
        Ok(repo) => repo.config(),
        Err(_) => git2::Config::open_default(),
    };
    let Ok(config) = config else {
        return Identity::default();
    };
    let get = |key| config.get_string(key).ok().filter(|v| !v.trim().is_empty());
    Identity {
        name: get("user.name"),
        email: get("user.email"),
    }
}

/// Checks that `--commit` can succeed (a repository with a work tree, a git identity) before
/// the command writes anything, so a failed commit never leaves a half-done run behind.
pub fn ensure_repository(root: &Path) -> Result<()> {
    let repo = open_repository(root)?;
    if repo.workdir().is_none() {
        return Err(Error::usage("--commit needs a repository with a work tree"));
    }
    signature(&repo).map(|_| ())
}

fn open_repository(root: &Path) -> Result<git2::Repository> {
    git2::Repository::discover(root).map_err(|_| {
        Error::usage_with_hint(
            format!(
                "--commit needs a git repository, and {} is not in one",
                root.display()
            ),
            "run `git init` first, or leave out --commit",
        )
    })
}

fn signature(repo: &git2::Repository) -> Result<git2::Signature<'static>> {
    repo.signature().map_err(|_| Error::usage_with_hint(
        "--commit needs your git identity",
        "set it with `git config user.name \"Your Name\"` and `git config user.email you@example.com`",
    ))
}

/// Commits the file at `rel` (relative to the KB root) and nothing else: the commit's tree is
/// HEAD's plus this file, whatever else is staged; the file is also staged in the index so that
/// `git status` agrees. Returns the short commit id.
pub fn commit_file(root: &Path, rel: &str, message: &str) -> Result<String> {
    let (repo, root, prefix) = locate(root)?;
    signature(&repo)?;
    let file = root.join(rel);
    let at = |e| Error::git(&file, e);
    let blob = repo.blob_path(&file).map_err(at)?;
    let (parent, mut tree_index) = head_tree(&repo).map_err(at)?;
    let in_repo = prefix.join(rel);
    tree_index
        .add(&entry(&in_repo, blob, 0o100644))
        .map_err(at)?;
    let id = commit_tree(&repo, &mut tree_index, parent.as_ref(), message).map_err(at)?;
    let mut index = repo.index().map_err(at)?;
    index.add_path(&in_repo).map_err(at)?;
    index.write().map_err(at)?;
    Ok(id)
}

/// Commits a move: each `(before, after)` pair of KB paths (the same path for a file changed in
/// place) whose `before` git tracks becomes, in one commit, the removal of `before` and the
/// file now at `after`, so that git sees a rename. Files git did not track stay uncommitted, and
/// nothing else staged is included; the index is updated to agree. Returns the short commit id.
pub fn commit_moves(root: &Path, changes: &[(String, String)], message: &str) -> Result<String> {
    let (repo, root, prefix) = locate(root)?;
    signature(&repo)?;
    let at = |e| Error::git(&root, e);
    let (parent, mut tree_index) = head_tree(&repo).map_err(at)?;
    let mut index = repo.index().map_err(at)?;
    for (before, after) in changes {
        let old = prefix.join(before);
        let Some(tracked) = tree_index.get_path(&old, 0) else {
            continue;
        };
        let file = root.join(after);
        let blob = repo.blob_path(&file).map_err(|e| Error::git(&file, e))?;
        tree_index.remove_path(&old).map_err(at)?;
        let new = prefix.join(after);
        tree_index
            .add(&entry(&new, blob, tracked.mode))
            .map_err(at)?;
        if before != after {
            // Absent from the index when it was only in HEAD: nothing to take out.
            let _ = index.remove_path(&old);
        }
        index.add_path(&new).map_err(at)?;
    }
    let id = commit_tree(&repo, &mut tree_index, parent.as_ref(), message).map_err(at)?;
    index.write().map_err(at)?;
    Ok(id)
}

/// The repository holding the KB at `root`, the canonical root, and the root's place in the
/// repository (`""` at its top).
fn locate(root: &Path) -> Result<(git2::Repository, PathBuf, PathBuf)> {
    let repo = open_repository(root)?;
    let workdir = repo
        .workdir()
        .ok_or_else(|| Error::usage("--commit needs a repository with a work tree"))?
        .to_path_buf();
    let root = root
        .canonicalize()
        .map_err(|e| Error::io("read", root, e))?;
    let workdir = workdir
        .canonicalize()
        .map_err(|e| Error::io("read", &workdir, e))?;
    let prefix = root
        .strip_prefix(&workdir)
        .unwrap_or(Path::new(""))
        .to_path_buf();
    Ok((repo, root, prefix))
}

/// HEAD's commit, if there is one, and its tree as an in-memory index to build the next tree
/// from without touching what the user staged.
fn head_tree(
    repo: &git2::Repository,
) -> std::result::Result<(Option<git2::Commit<'_>>, git2::Index), git2::Error> {
    let parent = repo.head().ok().map(|h| h.peel_to_commit()).transpose()?;
    let mut tree_index = git2::Index::new()?;
    if let Some(parent) = &parent {
        tree_index.read_tree(&parent.tree()?)?;
    }
    Ok((parent, tree_index))
}

/// An index entry for `blob` at `path` (relative to the repository's top).
fn entry(path: &Path, blob: git2::Oid, mode: u32) -> git2::IndexEntry {
    let path = path.to_string_lossy().replace('\\', "/").into_bytes();
    git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id: blob,
        flags: (path.len().min(0xfff)) as u16,
        flags_extended: 0,
        path,
    }
}

/// Commits the tree of `tree_index` on `parent` as the new HEAD, signed with the user's git
/// identity; the short id.
fn commit_tree(
    repo: &git2::Repository,
    tree_index: &mut git2::Index,
    parent: Option<&git2::Commit<'_>>,
    message: &str,
) -> std::result::Result<String, git2::Error> {
    let signature = repo.signature()?;
    let tree = repo.find_tree(tree_index.write_tree_to(repo)?)?;
    let parents: Vec<&git2::Commit> = parent.into_iter().collect();
    let oid = repo.commit(
        Some("HEAD"),
        &signature,
        &signature,
        message,
        &tree,
        &parents,
    )?;
    Ok(oid.to_string()[..7].to_string())
}

/// The docs under `folders` (relative to the KB root) as they were at `rev`, read from git's
/// objects: for comparing goal reports with an older state. Docs that do not parse are left out.
pub fn docs_at(
    kb: &crate::kb::Kb,
    rev: &str,
    folders: &[String],
) -> Result<Vec<crate::doc::Document>> {
    let repo = git2::Repository::discover(&kb.root).map_err(|_| {
        Error::usage_with_hint(
            "--compare needs a git repository",
            "run kb inside the KB's git clone",
        )
    })?;
    let commit = repo.revparse_single(rev).and_then(|o| o.peel_to_commit()).map_err(|e| {
        Error::usage_with_hint(
            format!("unknown revision {rev:?}: {}", e.message()),
            "give a commit, tag or branch; in a shallow CI clone, fetch more history (fetch-depth: 0)",
        )
    })?;
    let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
    let root = kb.root.canonicalize().unwrap_or_else(|_| kb.root.clone());
    let workdir = workdir.canonicalize().unwrap_or(workdir);
    let prefix = crate::error::display_path(&workdir, &root);
    let prefix = if prefix.is_empty() || root == workdir {
        String::new()
    } else {
        format!("{prefix}/")
    };
    let mut docs = Vec::new();
    let at = |e| Error::git(&kb.root, e);
    let tree = commit.tree().map_err(at)?;
    tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
        let name = entry.name().unwrap_or_default();
        let full = format!("{dir}{name}");
        let Some(rel) = full.strip_prefix(&prefix) else {
            return git2::TreeWalkResult::Ok;
        };
        let wanted = folders
            .iter()
            .any(|f| f.is_empty() || rel.starts_with(&format!("{f}/")));
        if wanted
            && entry.kind() == Some(git2::ObjectType::Blob)
            && (name.ends_with(".md") || name.ends_with(".markdown"))
        {
            if let Ok(blob) = repo.find_blob(entry.id()) {
                if let Ok(source) =
                    crate::doc::parse(rel.to_string(), blob.content().to_vec(), &kb.config.schema)
                {
                    docs.push(source.doc);
                }
            }
        }
        git2::TreeWalkResult::Ok
    })
    .map_err(at)?;
    Ok(docs)
}

/// The Markdown docs (KB-relative paths) that differ between `rev` and the work tree: committed
/// since, staged, modified or new. Deleted files are left out: there is nothing to check.
pub fn changed_since(kb: &crate::kb::Kb, rev: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = diff_since(kb, rev, "--changed-since", false)?
        .into_iter()
        .filter(|d| d.status != git2::Delta::Deleted)
        .filter_map(|d| d.new_path)
        .filter(|rel| rel.ends_with(".md") || rel.ends_with(".markdown"))
        .collect();
    out.sort();
    out.dedup();
    Ok(out)
}

/// A doc that differs between a revision and the work tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocChange {
    /// Relative to the KB root, with `/`.
    pub path: String,
    /// Its bytes at the revision, when it was there; it may since have been deleted.
    pub before: Option<Vec<u8>>,
}

/// The docs (as the walk would list them) that differ between `rev` and the work tree, untracked
/// ones included, deleted ones too, with what each held at `rev`; sorted by path. `flag` names
/// the option in error messages. A rename is a deletion and an addition: git2 diffs do not
/// detect renames unless asked, and an engine keys records by path anyway.
pub fn changes_since(kb: &crate::kb::Kb, rev: &str, flag: &str) -> Result<Vec<DocChange>> {
    let mut changes: std::collections::BTreeMap<String, Option<Vec<u8>>> = Default::default();
    for d in diff_since(kb, rev, flag, true)? {
        if let Some(old) = d.old_path {
            let slot = changes.entry(old).or_default();
            if d.before.is_some() {
                *slot = d.before;
            }
        }
        if let Some(new) = d.new_path {
            changes.entry(new).or_default();
        }
    }
    Ok(changes
        .into_iter()
        .filter(|(path, _)| kb.is_doc_path(path))
        .map(|(path, before)| DocChange { path, before })
        .collect())
}

/// One entry of a diff, its paths made relative to the KB root (a side outside the root has none).
struct Diffed {
    status: git2::Delta,
    old_path: Option<String>,
    new_path: Option<String>,
    /// The old side's bytes, when asked for and the file was in the revision's tree.
    before: Option<Vec<u8>>,
}

/// Diffs `rev`'s tree against the work tree, through the index, with untracked files.
fn diff_since(kb: &crate::kb::Kb, rev: &str, flag: &str, with_blobs: bool) -> Result<Vec<Diffed>> {
    let repo = git2::Repository::discover(&kb.root).map_err(|_| {
        Error::usage_with_hint(
            format!("{flag} needs a git repository"),
            "run kb inside the KB's git clone",
        )
    })?;
    let tree = repo.revparse_single(rev).and_then(|o| o.peel_to_tree()).map_err(|e| {
        Error::usage_with_hint(
            format!("unknown revision {rev:?}: {}", e.message()),
            "give a commit, tag or branch; in a shallow CI clone, fetch more history (fetch-depth: 0)",
        )
    })?;
    let mut options = git2::DiffOptions::new();
    options.include_untracked(true).recurse_untracked_dirs(true);
    let diff = repo
        .diff_tree_to_workdir_with_index(Some(&tree), Some(&mut options))
        .map_err(|e| Error::git(&kb.root, e))?;
    let workdir = repo.workdir().map(Path::to_path_buf).unwrap_or_default();
    let workdir = workdir.canonicalize().unwrap_or(workdir);
    let root = kb.root.canonicalize().unwrap_or_else(|_| kb.root.clone());
    let relative = |path: Option<&Path>| {
        let full = workdir.join(path?);
        let rel = full.strip_prefix(&root).ok()?;
        Some(crate::error::display_path(Path::new(""), rel))
    };
    let mut out = Vec::new();
    for delta in diff.deltas() {
        let status = delta.status();
        let old = delta.old_file();
        // An added or untracked file has no old side; its old id is zero.
        let in_tree =
            !matches!(status, git2::Delta::Added | git2::Delta::Untracked) && !old.id().is_zero();
        let before = match with_blobs && in_tree {
            true => repo.find_blob(old.id()).ok().map(|b| b.content().to_vec()),
            false => None,
        };
        out.push(Diffed {
            status,
            old_path: relative(old.path()).filter(|_| in_tree),
            new_path: relative(delta.new_file().path()).filter(|_| status != git2::Delta::Deleted),
            before,
        });
    }
    Ok(out)
}
