//! The one error type of the crate.
//!
//! Every failure a user can meet is a variant here that carries what they need to act on it: the
//! file, the line, and a hint. The message is written once, in `Display`; `exit_code` and `hint`
//! are what `main` adds around it. A document that cannot be read is not an `Error` of the whole
//! command but a [`DocError`]: the command reports it and goes on with the other documents.

use std::fmt;
use std::io;
use std::path::{Path, PathBuf};

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Exit code for "problems found" (bad docs, nothing found where that matters).
pub const EXIT_PROBLEMS: u8 = 1;
/// Exit code for usage and environment errors.
pub const EXIT_USAGE: u8 = 2;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot {action} {}: {source}", path.display())]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },

    #[error("cannot write output: {0}")]
    Output(#[source] io::Error),

    #[error("knowledge base folder {} does not exist", path.display())]
    KbMissing { path: PathBuf },

    #[error("no knowledge base found from {}", start.display())]
    KbNotFound { start: PathBuf },

    #[error("{message}")]
    Config {
        path: PathBuf,
        line: Option<usize>,
        message: String,
    },

    #[error("invalid value for {name}: {message}")]
    Env { name: &'static str, message: String },

    #[error("{message}")]
    Usage {
        message: String,
        hint: Option<String>,
    },

    #[error("no document matches {query:?}")]
    DocNotFound {
        query: String,
        /// Docs that could not be read: one of them may be the one meant.
        unreadable: Vec<DocError>,
    },

    #[error("{query:?} matches {} documents:\n{}", candidates.len(), candidates.iter().map(|c| format!("  {c}")).collect::<Vec<_>>().join("\n"))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
    },

    /// A single document the command needs could not be read.
    #[error("{0}")]
    Doc(DocError),

    #[error("template error: {message}")]
    Template {
        file: String,
        line: Option<usize>,
        message: String,
    },

    #[error("goal parents form a cycle: {}", goals.join(" -> "))]
    GoalCycle { goals: Vec<String> },

    /// The search index could not be built or used even after a rebuild.
    #[error("search index: {message}")]
    Index {
        message: String,
        /// The index file or folder concerned, when one is known.
        path: Option<PathBuf>,
        /// What failed underneath (tantivy, the file system, the file watcher), when anything
        /// did: `message` already says it in words, this keeps it for callers that look.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    /// A git operation failed.
    #[error("git: {}", source.message())]
    Git {
        /// The repository or file it was on, when one is known.
        path: Option<PathBuf>,
        #[source]
        source: git2::Error,
    },
}

impl Error {
    pub fn io(action: &'static str, path: impl Into<PathBuf>, source: io::Error) -> Self {
        Error::Io {
            action,
            path: path.into(),
            source,
        }
    }

    /// The search index failed because of `source`; `message` is what users read.
    pub fn index(
        message: impl Into<String>,
        path: Option<&Path>,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Self {
        Error::Index {
            message: message.into(),
            path: path.map(Path::to_path_buf),
            source: Some(source.into()),
        }
    }

    /// A git operation on `path` (a repository or a file in one) failed.
    pub fn git(path: impl Into<PathBuf>, source: git2::Error) -> Self {
        Error::Git {
            path: Some(path.into()),
            source,
        }
    }

    pub fn usage(message: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: None,
        }
    }

    pub fn usage_with_hint(message: impl Into<String>, hint: impl Into<String>) -> Self {
        Error::Usage {
            message: message.into(),
            hint: Some(hint.into()),
        }
    }

    /// 1 when the command ran and found a problem, 2 when it could not run as asked.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::DocNotFound { .. } | Error::Doc(_) | Error::GoalCycle { .. } => EXIT_PROBLEMS,
            _ => EXIT_USAGE,
        }
    }

    /// Where the problem is, as `path:line`, when there is one place to point at.
    pub fn location(&self) -> Option<String> {
        match self {
            Error::Config { path, line, .. } => Some(match line {
                Some(line) => format!("{}:{line}", path.display()),
                None => path.display().to_string(),
            }),
            Error::Doc(e) => Some(e.location()),
            Error::Template { file, line, .. } => Some(match line {
                Some(line) => format!("{file}:{line}"),
                None => file.clone(),
            }),
            _ => None,
        }
    }

    /// What the user can do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            Error::KbMissing { .. } => {
                Some("check the path given with --kb or KB_DIR, or create it with `kb init DIR`".into())
            }
            Error::KbNotFound { .. } => Some(
                "run kb inside a knowledge base (a folder with kb.yaml, or a git repository), pass --kb DIR, or create one with `kb init`".into(),
            ),
            Error::Config { path, .. } => Some(format!("fix {} and run the command again", path.display())),
            Error::Usage { hint, .. } => hint.clone(),
            Error::DocNotFound { .. } => {
                Some("give a path, an id or the start of a title (`kb ls` lists them), or find it by its words with `kb search`".into())
            }
            Error::Ambiguous { .. } => Some("give more of the title, the id or the path".into()),
            Error::GoalCycle { .. } => Some("a goal's `parent` must lead up to a root; fix one `parent:` on the cycle".into()),
            Error::Doc(e) => Some(e.hint()),
            Error::Env { .. } => Some("fix or unset the environment variable".into()),
            Error::Io { source, path, action }
                if matches!(
                    source.kind(),
                    io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem
                ) =>
            {
                Some(format!(
                    "you lack the permission to {action} {}: ask for access, or run kb in a clone you own",
                    path.display()
                ))
            }
            Error::Template { file, .. } if file.ends_with("(built-in)") => {
                Some("a --set variable may be missing; `kb templates show NAME` prints the template".into())
            }
            Error::Template { file, .. } if file.ends_with("(generic)") => {
                Some("give the field with --set FIELD=VALUE, or write a template for the type in .kb/templates/".into())
            }
            Error::Template { .. } => Some("fix the template in .kb/templates/, or delete it to use the built-in one".into()),
            _ => None,
        }
    }

    /// True when the error is only that our reader went away (`kb ls | head`).
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Output(e) if e.kind() == io::ErrorKind::BrokenPipe)
    }
}

impl From<git2::Error> for Error {
    fn from(source: git2::Error) -> Self {
        Error::Git { path: None, source }
    }
}

/// Why a document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DocErrorKind {
    /// The file could not be read at all (permissions, a vanished file, a symlink loop).
    Unreadable,
    /// The bytes are not UTF-8.
    NotUtf8,
    /// A `---` or `+++` opens front-matter that never closes.
    UnclosedFrontMatter,
    /// The YAML front-matter does not parse, or is not a mapping.
    BadYaml,
    /// The TOML front-matter does not parse.
    BadToml,
    /// A symlink leads outside the KB; the walk skips it (a warning, not an error).
    SymlinkOutside,
}

impl DocErrorKind {
    /// The stable code scripts and `kb check` use.
    pub fn code(&self) -> &'static str {
        match self {
            DocErrorKind::Unreadable => "unreadable",
            DocErrorKind::NotUtf8 => "not-utf8",
            DocErrorKind::UnclosedFrontMatter => "unclosed-front-matter",
            DocErrorKind::BadYaml => "bad-yaml",
            DocErrorKind::BadToml => "bad-toml",
            DocErrorKind::SymlinkOutside => "symlink-outside",
        }
    }

    /// Whether the doc is only left out on purpose, with a warning, rather than broken.
    pub fn is_warning(&self) -> bool {
        matches!(self, DocErrorKind::SymlinkOutside)
    }
}

/// A document that could not be read, with the file and line to fix.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DocError {
    /// Path relative to the KB root, with `/`.
    pub path: String,
    /// 1-based line of the file; front-matter included.
    pub line: usize,
    pub column: Option<usize>,
    pub kind: DocErrorKind,
    pub message: String,
}

impl DocError {
    /// A file or folder that cannot be read, at its first line: `message` says why.
    pub fn unreadable(path: String, message: String) -> DocError {
        DocError {
            path,
            line: 1,
            column: None,
            kind: DocErrorKind::Unreadable,
            message,
        }
    }

    /// A path that leads outside the KB: left out, with a warning.
    pub fn outside(path: String, message: &str) -> DocError {
        DocError {
            kind: DocErrorKind::SymlinkOutside,
            ..DocError::unreadable(path, message.into())
        }
    }

    /// A Markdown-named FIFO, socket or device: reading it could hang.
    pub fn not_a_file(path: String) -> DocError {
        DocError::unreadable(
            path,
            "not a regular file (a FIFO, socket or device): skipped".into(),
        )
    }

    pub fn location(&self) -> String {
        match self.column {
            Some(col) => format!("{}:{}:{col}", self.path, self.line),
            None => format!("{}:{}", self.path, self.line),
        }
    }

    pub fn hint(&self) -> String {
        match self.kind {
            DocErrorKind::Unreadable => "check that the file exists and is readable".into(),
            DocErrorKind::NotUtf8 => "save the file as UTF-8".into(),
            DocErrorKind::UnclosedFrontMatter => {
                "close the front-matter with a line holding only `---` (or `+++` for TOML)".into()
            }
            DocErrorKind::BadYaml => {
                "fix the YAML between the `---` lines; quote values that contain `: ` or start with a special character".into()
            }
            DocErrorKind::BadToml => "fix the TOML between the `+++` lines".into(),
            DocErrorKind::SymlinkOutside => {
                "kb reads only inside the KB: copy the file in, or remove the symlink".into()
            }
        }
    }
}

impl fmt::Display for DocError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Whether any of `errors` is a broken doc rather than one skipped with a warning.
pub fn any_broken(errors: &[DocError]) -> bool {
    errors.iter().any(|e| !e.kind.is_warning())
}

/// Relative path of `path` under `root`, with `/` separators, for messages and JSON.
pub fn display_path(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let mut out = String::new();
    for (i, part) in rel.components().enumerate() {
        if i > 0 {
            out.push('/');
        }
        out.push_str(&part.as_os_str().to_string_lossy());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_permission_error_says_what_to_do() {
        let e = Error::io(
            "write",
            "specs/a.md",
            io::Error::from(io::ErrorKind::PermissionDenied),
        );
        let hint = e.hint().unwrap_or_default();
        assert!(hint.contains("permission to write specs/a.md"), "{hint}");
    }

    #[test]
    fn git_and_index_errors_keep_their_cause_and_say_what_they_said() {
        use std::error::Error as _;
        let cause = git2::Error::from_str("reference 'HEAD' not found");
        let e = Error::git("/kb/specs/a.md", cause);
        assert_eq!(e.to_string(), "git: reference 'HEAD' not found");
        assert!(e.source().is_some());
        assert!(matches!(&e, Error::Git { path: Some(p), .. } if p.ends_with("specs/a.md")));

        let cause = io::Error::new(io::ErrorKind::InvalidData, "bad bytes");
        let e = Error::index(
            format!("cannot read CURRENT: {cause}"),
            Some(Path::new("/kb/.kb/cache/index/CURRENT")),
            cause,
        );
        assert_eq!(
            e.to_string(),
            "search index: cannot read CURRENT: bad bytes"
        );
        assert_eq!(
            e.source().map(|s| s.to_string()).as_deref(),
            Some("bad bytes")
        );
    }
}
