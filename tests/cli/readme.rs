//! The README's tour, run as written: every `kb` line of its `sh` blocks, on a fresh copy of
//! examples/acme (in a git repository with two commits), must exit 0, or 1 where its comment
//! says `exits 1`. A README example that fails is the first thing a new team meets.

use crate::copy_dir;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The commands of the README's `sh` blocks after the first (which builds kb and runs the tests),
/// each with the exit code its comment announces.
fn tour() -> Vec<(String, i32)> {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let mut commands = Vec::new();
    let mut in_sh = false;
    let mut blocks = 0;
    for line in readme.lines() {
        match line.trim() {
            "```sh" => {
                in_sh = true;
                blocks += 1;
                continue;
            }
            "```" => {
                in_sh = false;
                continue;
            }
            _ => {}
        }
        let line = line.trim();
        // `--watch` runs until stopped: the index tests cover it.
        let skipped = line.is_empty()
            || line.contains("--watch")
            || line.starts_with('#')
            || ["alias ", "cargo ", "git clone", "curl ", "cd ", "quickwit "]
                .iter()
                .any(|p| line.starts_with(p));
        if !in_sh || blocks < 2 || skipped {
            continue;
        }
        let (command, comment) = match line.find("  #") {
            Some(at) => (line[..at].trim_end(), &line[at..]),
            None => (line, ""),
        };
        let expected = if comment.contains("exits 1") { 1 } else { 0 };
        commands.push((command.to_string(), expected));
    }
    commands
}

fn git(dir: &Path, args: &[&str]) {
    crate::git_as(dir, None, args);
}

/// examples/acme in a temp git repository, with a commit before the current one.
fn acme() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("acme");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme"),
        &kb,
    );
    git(&kb, &["init", "-q", "-b", "main"]);
    git(&kb, &["config", "user.name", "Dana Reyes"]);
    git(&kb, &["config", "user.email", "dana@acme.example"]);
    git(&kb, &["add", "-A"]);
    git(&kb, &["commit", "-q", "-m", "Acme's knowledge base"]);
    git(
        &kb,
        &["commit", "-q", "--allow-empty", "-m", "A week later"],
    );
    (dir, kb)
}

#[test]
fn every_command_of_the_readme_runs_as_shown() {
    let commands = tour();
    assert!(
        commands.len() > 40,
        "the tour has {} commands",
        commands.len()
    );
    let (dir, kb) = acme();
    let mut failures = Vec::new();
    for (command, expected) in &commands {
        let out = Command::new("sh")
            .arg("-c")
            .arg(format!(
                "kb() {{ timeout 120 \"$KB_BIN\" \"$@\"; }}\n{command}"
            ))
            .current_dir(&kb)
            .env_clear()
            .env("KB_BIN", env!("CARGO_BIN_EXE_kb"))
            .env("HOME", dir.path())
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("KB_NOW", "2026-11-25")
            .env("KB_USER", "dana")
            .env("EDITOR", "true")
            .env("GITHUB_STEP_SUMMARY", dir.path().join("summary.md"))
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let code = out.status.code().unwrap_or(-1);
        if code != *expected {
            failures.push(format!(
                "`{command}` exited {code}, the README says {expected}:\n{}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
