//! End-to-end tests: the real `kb` binary on fixture knowledge bases built in temp dirs, in a
//! hermetic environment (cleared env, temp HOME, fixed KB_NOW).

mod adopt;
mod cache;
mod check;
mod digest;
mod export;
mod faults;
mod goals;
mod help;
mod history;
mod inbox;
mod init;
mod log;
mod ls;
mod metrics;
mod mv;
mod new;
mod outputs;
mod parsing;
mod people;
mod ranking;
mod readme;
mod render;
mod review;
mod search;
mod show;
mod stale;

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A knowledge base in a temp dir, built file by file.
pub struct Fixture {
    dir: TempDir,
}

#[allow(clippy::new_without_default)]
impl Fixture {
    /// An empty folder with a kb.yaml.
    pub fn new() -> Fixture {
        Fixture::bare().file("kb.yaml", "name: Test\n")
    }

    /// An empty folder, not yet a knowledge base.
    pub fn bare() -> Fixture {
        Fixture {
            dir: tempfile::tempdir().expect("temp dir"),
        }
    }

    pub fn file(self, path: &str, contents: &str) -> Fixture {
        self.bytes(path, contents.as_bytes())
    }

    pub fn bytes(self, path: &str, contents: &[u8]) -> Fixture {
        let full = self.dir.path().join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, contents).unwrap();
        self
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Sets the file's mtime back to 2020 (`touch -d`): its ctime still moves, as no user can
    /// set it. Returns whether `touch` succeeded.
    pub fn touch_back(&self, rel: &str) -> bool {
        std::process::Command::new("touch")
            .args(["-d", "2020-01-01 00:00:00", rel])
            .current_dir(self.root())
            .status()
            .unwrap()
            .success()
    }

    /// `kb ARGS` run from the KB root.
    pub fn kb(&self, args: &[&str]) -> Command {
        let mut cmd = kb_in(self.root());
        cmd.args(args);
        cmd
    }

    /// `kb ARGS`, returning stdout, asserting exit 0.
    pub fn stdout(&self, args: &[&str]) -> String {
        let out = self.kb(args).assert().success().get_output().stdout.clone();
        String::from_utf8(out).unwrap()
    }

    /// `kb --format json ARGS`, parsed.
    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        serde_json::from_str(&self.stdout(&all)).expect("valid JSON")
    }
}

/// The binary, run in `dir` with a cleared environment.
pub fn kb_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("kb").unwrap();
    cmd.current_dir(dir)
        .env_clear()
        .env("HOME", dir)
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("KB_NOW", "2026-11-25")
        .env("NO_COLOR", "1");
    cmd
}

/// The `path` values of `kb ls --format json` output.
pub fn paths(listing: &serde_json::Value) -> Vec<String> {
    listing["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap().to_string())
        .collect()
}

impl Fixture {
    /// `kb --format json ARGS`, parsed, whatever the exit code (for commands that report
    /// problems with exit 1).
    pub fn json_any(&self, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--format", "json"];
        all.extend_from_slice(args);
        let out = self.kb(&all).output().expect("kb runs");
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
    }
}

/// Copies a folder tree (a fixture, examples/acme) into `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        match entry.file_type().unwrap().is_dir() {
            true => copy_dir(&entry.path(), &target),
            false => {
                std::fs::copy(entry.path(), target).unwrap();
            }
        }
    }
}

/// Runs git in `dir` as Dana Reyes, committing at `date` (`YYYY-MM-DD`, noon UTC) when given.
pub fn git_as(dir: &Path, date: Option<&str>, args: &[&str]) {
    let mut cmd = std::process::Command::new("git");
    cmd.args(args)
        .current_dir(dir)
        .env("GIT_AUTHOR_NAME", "Dana Reyes")
        .env("GIT_AUTHOR_EMAIL", "dana@acme.example")
        .env("GIT_COMMITTER_NAME", "Dana Reyes")
        .env("GIT_COMMITTER_EMAIL", "dana@acme.example");
    if let Some(date) = date {
        let stamp = format!("{date}T12:00:00+00:00");
        cmd.env("GIT_AUTHOR_DATE", &stamp)
            .env("GIT_COMMITTER_DATE", &stamp);
    }
    let ok = cmd.status().is_ok_and(|s| s.success());
    assert!(ok, "git {args:?}");
}
