//! Which docs a check reports on: PATHs (files or folders) and/or the docs changed since a git
//! revision. Links still resolve against the whole KB; only the report is narrowed.

use super::Options;
use crate::error::{Error, Result};
use crate::kb::Kb;
use std::collections::HashSet;
use std::path::Path;

impl Options {
    /// The options that report on `paths` (as given, from `cwd`) and/or on the docs changed
    /// since git revision `changed_since`; on every doc when neither is given. A path outside
    /// the KB or holding no docs is a usage error.
    pub fn scoped(
        kb: &Kb,
        cwd: &Path,
        paths: &[String],
        changed_since: Option<&str>,
    ) -> Result<Options> {
        if paths.is_empty() && changed_since.is_none() {
            return Ok(Options::default());
        }
        let all = kb.walk().files;
        let mut only = HashSet::new();
        for p in paths {
            let rel = kb
                .relative_path(cwd, Path::new(p))
                // Run from outside the KB (`--kb`), a path as kb's own hints write it: from the
                // root.
                .or_else(|| {
                    let from_root = Path::new(p).is_relative() && kb.root.join(p).exists();
                    from_root.then(|| kb.relative_path(&kb.root, Path::new(p)))?
                })
                .ok_or_else(|| {
                    Error::usage_with_hint(
                        format!("{p} is not inside the knowledge base"),
                        "give paths inside the KB",
                    )
                })?;
            let prefix = format!("{}/", rel.trim_end_matches('/'));
            let matched: Vec<&String> = all
                .iter()
                .filter(|f| **f == rel || rel.is_empty() || f.starts_with(&prefix))
                .collect();
            if matched.is_empty() {
                return Err(Error::usage_with_hint(
                    format!("no docs at {p}"),
                    "give a Markdown file or a folder holding some",
                ));
            }
            only.extend(matched.into_iter().cloned());
        }
        if let Some(rev) = changed_since {
            let changed: HashSet<String> =
                crate::git::changed_since(kb, rev)?.into_iter().collect();
            if paths.is_empty() {
                only = changed;
            } else {
                only.retain(|p| changed.contains(p));
            }
        }
        Ok(Options {
            only: Some(only),
            blocks: None,
        })
    }
}
