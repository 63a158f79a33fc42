//! Faults: index (see RELIABILITY.md). The search index is a cache in `.kb/cache/index/`: flipped
//! bytes in any of its files, concurrent rebuilds, killed builds, endless refreshes, users without
//! write access and odd file names must never cost a search its answer, nor exit 101.

use crate::Fixture;
use predicates::str::contains;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const REPAIRED: &str = "warning: the search index was damaged; rebuilt it";

fn handbook() -> Fixture {
    Fixture::new()
        .file(
            "handbook/travel.md",
            "# Travel\n\nBook trains for trips under four hours.\n\n## Hotels\n\nStay near the office.\n",
        )
        .file(
            "handbook/expenses.md",
            "# Expenses\n\nFile receipts within thirty days.\n",
        )
        .file(
            "handbook/security.md",
            "# Security\n\nLock your laptop and rotate passwords.\n",
        )
}

/// The paths of `kb search QUERY --format json`, asserting exit 0.
fn found(fx: &Fixture, query: &str) -> Vec<String> {
    let json = fx.json(&["search", query]);
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect()
}

/// The published generation's folder.
fn generation(fx: &Fixture) -> PathBuf {
    let root = fx.path(".kb/cache/index");
    let name = std::fs::read_to_string(root.join("CURRENT")).unwrap();
    root.join(name.trim_end())
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut all = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        match path.is_dir() {
            true => all.extend(files_under(&path)),
            false => all.push(path),
        }
    }
    all
}

/// Inverts a run of bytes in the middle of the file (all of it when small).
fn flip_bytes(path: &Path) {
    let mut bytes = std::fs::read(path).unwrap();
    let len = bytes.len();
    let (start, end) = match len < 64 {
        true => (0, len),
        false => (len / 3, len / 3 + 32),
    };
    for b in &mut bytes[start..end] {
        *b ^= 0xff;
    }
    // Write a new file: the old one may be shared (hard-linked) with another generation.
    std::fs::remove_file(path).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// `kb ARGS` as a plain process, in the same hermetic environment as `kb_in`.
fn kb_process(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kb"));
    cmd.current_dir(dir)
        .args(args)
        .env_clear()
        .env("HOME", dir)
        .env("KB_NOW", "2026-11-25")
        .env("NO_COLOR", "1")
        .stdin(Stdio::null());
    cmd
}

#[test]
fn flipped_bytes_in_any_index_file_are_repaired_with_a_warning() {
    let fx = handbook();
    for kind in [
        "term",
        "idx",
        "pos",
        "store",
        "fieldnorm",
        "fast",
        "meta.json",
        "kb-manifest",
        "kb-schema-version",
        "CURRENT",
    ] {
        fx.kb(&["index", "--rebuild"]).assert().success();
        let targets: Vec<PathBuf> = match kind {
            "CURRENT" => vec![fx.path(".kb/cache/index/CURRENT")],
            _ => files_under(&generation(&fx))
                .into_iter()
                .filter(|f| {
                    let name = f.file_name().unwrap().to_string_lossy().into_owned();
                    name == kind || name.ends_with(&format!(".{kind}"))
                })
                .collect(),
        };
        assert!(!targets.is_empty(), "no {kind} file in the index");
        targets.iter().for_each(|f| flip_bytes(f));
        let out = fx.kb(&["search", "trains"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{kind}: {stderr}");
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("handbook/travel.md"),
            "{kind}"
        );
        assert!(stderr.contains(REPAIRED), "{kind}: {stderr}");
        // Repaired for good: the next search is quiet.
        fx.kb(&["search", "trains"]).assert().success().stderr("");
    }
}

#[test]
fn kb_index_repairs_a_damaged_index_too() {
    let fx = handbook();
    fx.kb(&["index"]).assert().success();
    for f in files_under(&generation(&fx)) {
        if f.extension().is_some_and(|e| e == "term") {
            flip_bytes(&f);
        }
    }
    fx.kb(&["index"])
        .assert()
        .success()
        .stderr(contains(REPAIRED));
    assert_eq!(found(&fx, "receipts"), ["handbook/expenses.md"]);
}

#[test]
fn concurrent_rebuilds_and_searches_all_answer() {
    let fx = handbook();
    for round in 0..4 {
        let mut children = Vec::new();
        for _ in 0..2 {
            children.push(("index", spawn(&fx, &["index", "--rebuild"])));
        }
        for _ in 0..6 {
            children.push((
                "search",
                spawn(&fx, &["--format", "json", "search", "trains"]),
            ));
        }
        for (what, child) in children {
            let out: Output = child.wait_with_output().unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert_eq!(
                out.status.code(),
                Some(0),
                "round {round}, {what}: {stderr}"
            );
            if what == "search" {
                let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
                assert_eq!(
                    json["results"][0]["path"], "handbook/travel.md",
                    "round {round}"
                );
                assert!(!stderr.contains("warning"), "round {round}: {stderr}");
            }
        }
    }
    // Superseded generations are gone once no reader holds them.
    fx.kb(&["search", "trains"]).assert().success();
    let left = std::fs::read_dir(fx.path(".kb/cache/index"))
        .unwrap()
        .count();
    assert_eq!(left, 3, "CURRENT, one generation and its lock file");
}

fn spawn(fx: &Fixture, args: &[&str]) -> std::process::Child {
    kb_process(fx.root(), args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap()
}

#[test]
fn a_killed_build_is_swept_by_the_next_run() {
    let fx = handbook();
    fx.kb(&["index"]).assert().success();
    let root = fx.path(".kb/cache/index");
    // What builds killed midway leave: a generation whose lock nobody holds, one without a lock
    // file, one half removed, and a build folder of the layout before generations.
    let killed = root.join("gen-01ARZ3NDEKTSV4RRFFQ69G5FAV");
    let lockless = root.join("gen-01BX5ZZKBKACTAV9WEVGEMMVRZ");
    let half_removed = root.join("dead-gen-01BX5ZZKBKACTAV9WEVGEMMVS0");
    let legacy = fx.path(".kb/cache/index.build-Xa1b2c");
    for dir in [&killed, &lockless, &half_removed, &legacy] {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("junk.store"), vec![7u8; 100_000]).unwrap();
    }
    std::fs::write(root.join("gen-01ARZ3NDEKTSV4RRFFQ69G5FAV.lock"), b"").unwrap();
    assert_eq!(found(&fx, "trains"), ["handbook/travel.md"]);
    for dir in [&killed, &lockless, &half_removed, &legacy] {
        assert!(!dir.exists(), "{} left", dir.display());
    }
    assert!(!root.join("gen-01ARZ3NDEKTSV4RRFFQ69G5FAV.lock").exists());
    assert!(generation(&fx).is_dir());
}

/// Bytes of all files under `dir`.
fn size(dir: &Path) -> u64 {
    files_under(dir)
        .iter()
        .map(|f| std::fs::metadata(f).unwrap().len())
        .sum()
}

#[test]
fn refreshes_with_deletes_do_not_grow_the_index() {
    let mut fx = Fixture::new();
    let body = |i: usize| {
        format!(
            "# Policy {i}\n\n{}\n",
            "Words about travel, expenses and security. ".repeat(40)
        )
    };
    for i in 0..60 {
        fx = fx.file(&format!("docs/p{i}.md"), &body(i));
    }
    fx.kb(&["index"]).assert().success();
    let before = size(&fx.path(".kb/cache"));
    for round in 0..10 {
        for i in 0..12 {
            let old = round * 12 + i;
            std::fs::remove_file(fx.path(&format!("docs/p{old}.md"))).ok();
            let new = 60 + round * 12 + i;
            std::fs::write(fx.path(&format!("docs/p{new}.md")), body(new)).unwrap();
        }
        fx.kb(&["index"]).assert().success();
    }
    let after = size(&fx.path(".kb/cache"));
    eprintln!("index: {before} bytes before, {after} after 10 refreshes with deletes");
    assert!(after < before * 2, "{before} -> {after}");
    // No file outlives its segment: merged-away segments were garbage-collected.
    let generation = generation(&fx);
    let meta = std::fs::read_to_string(generation.join("meta.json")).unwrap();
    let meta: serde_json::Value = serde_json::from_str(&meta).unwrap();
    let live: Vec<String> = meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["segment_id"].as_str().unwrap().replace('-', ""))
        .collect();
    for f in files_under(&generation) {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".store") {
            assert!(live.iter().any(|id| name.starts_with(id)), "orphan {name}");
        }
    }
    assert_eq!(fx.json(&["index"])["docs"], 60);
}

#[cfg(unix)]
#[test]
fn index_files_get_the_umask_mode() {
    use std::os::unix::fs::PermissionsExt;
    let fx = handbook();
    let probe = fx.path("probe");
    std::fs::write(&probe, b"").unwrap();
    let expected = std::fs::metadata(&probe).unwrap().permissions().mode() & 0o777;
    fx.kb(&["index"]).assert().success();
    std::fs::write(fx.path("handbook/new.md"), "# New\n\nFresh text.\n").unwrap();
    fx.kb(&["index"]).assert().success();
    for f in files_under(&fx.path(".kb/cache")) {
        let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, expected, "{}: {mode:o}", f.display());
    }
}

#[cfg(unix)]
#[test]
fn a_user_without_write_access_searches_and_is_told_when_stale() {
    use std::os::unix::fs::PermissionsExt;
    let is_root = Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| o.stdout.starts_with(b"0\n"));
    if !is_root {
        eprintln!("skipped: needs root to run kb as another user");
        return;
    }
    let fx = handbook();
    fx.kb(&["index"]).assert().success();
    // World-readable, not writable: the KB of a shared checkout as another user sees it.
    let mut dirs = vec![fx.root().to_path_buf()];
    while let Some(dir) = dirs.pop() {
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            match path.is_dir() {
                true => dirs.push(path),
                false => {
                    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap()
                }
            }
        }
    }
    let as_nobody = |args: &[&str]| {
        let mut all = vec![
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            env!("CARGO_BIN_EXE_kb"),
        ];
        all.extend_from_slice(args);
        let mut setpriv = Command::new("setpriv");
        setpriv
            .current_dir(fx.root())
            .args(all)
            .env_clear()
            .env("HOME", fx.root())
            .env("KB_NOW", "2026-11-25")
            .env("NO_COLOR", "1")
            .stdin(Stdio::null());
        setpriv.output()
    };
    let reachable = as_nobody(&["--version"]).is_ok_and(|o| o.status.success());
    let readable = Command::new("setpriv")
        .args([
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "test",
            "-r",
        ])
        .arg(fx.path("kb.yaml"))
        .status()
        .is_ok_and(|s| s.success());
    if !reachable || !readable {
        eprintln!("skipped: setpriv is missing or nobody cannot reach the temp dir");
        return;
    }
    let out = as_nobody(&["search", "trains", "--no-refresh"]).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("handbook/travel.md"));
    assert_eq!(stderr, "");

    // A doc changed, but nobody may write the index: the answer comes from the index it has.
    std::fs::write(
        fx.path("handbook/travel.md"),
        "# Travel\n\nBook trains or buses.\n",
    )
    .unwrap();
    let out = as_nobody(&["search", "trains"]).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("handbook/travel.md"));
    assert!(
        stderr.contains("warning: the search index could not be updated"),
        "{stderr}"
    );
}

#[test]
fn a_file_name_with_a_newline_does_not_force_rebuilds() {
    let fx = handbook().file("handbook/a\nb.md", "# Odd name\n\nZeppelins are rare.\n");
    fx.kb(&["index"]).assert().success();
    let built = generation(&fx);
    let again = fx.json(&["index"]);
    assert_eq!(again["rebuilt"], false);
    assert_eq!(again["changed"], 0);
    assert_eq!(found(&fx, "zeppelins"), ["handbook/a\nb.md"]);
    assert_eq!(generation(&fx), built, "no rebuild, no refresh");
}

#[test]
fn warnings_written_to_a_file_carry_no_colour_codes() {
    let fx = handbook();
    fx.kb(&["index"]).assert().success();
    flip_bytes(&fx.path(".kb/cache/index/CURRENT"));
    let out = fx
        .kb(&["search", "trains"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(REPAIRED), "{stderr}");
    assert!(!stderr.contains('\x1b'), "{stderr:?}");
}
