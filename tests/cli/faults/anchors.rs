//! Faults: anchors (see RELIABILITY.md). Long quotes lost in large docs, hostile front-matter
//! and huge quotes on the command line must not stall or flood a command.

use crate::Fixture;
use predicates::str::contains;
use std::time::{Duration, Instant};

/// A doc of about `size` bytes: sections of paragraphs of pseudo-random words.
fn big_doc(size: usize) -> String {
    let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut doc = String::from("---\ntitle: Big\n---\n# Big\n");
    while doc.len() < size {
        doc.push_str(&format!("\n## Part {}\n\n", doc.len()));
        for _ in 0..150 {
            let len = 2 + next() % 8;
            doc.extend((0..len).map(|_| (b'a' + (next() % 26) as u8) as char));
            doc.push(if next() % 12 == 0 { '\n' } else { ' ' });
        }
        doc.push_str(".\n");
    }
    doc
}

/// A quote of about `len` bytes from the middle of `doc`, starting and ending at a word.
fn middle_quote(doc: &str, len: usize) -> String {
    let from = doc[doc.len() / 2..].find(' ').unwrap() + doc.len() / 2 + 1;
    let to = doc[from + len..].find(' ').unwrap() + from + len;
    doc[from..to].to_string()
}

fn timed(fx: &Fixture, args: &[&str]) -> (std::process::Output, Duration) {
    let started = Instant::now();
    let out = fx.kb(args).env("KB_USER", "sam").output().unwrap();
    (out, started.elapsed())
}

/// A 1.5 KB quote orphaned in a 160 KB doc took three minutes in `kb review list` and `kb check`.
#[test]
fn a_long_quote_lost_in_a_large_doc_does_not_stall_list_or_check() {
    let doc = big_doc(160_000);
    let quote = middle_quote(&doc, 1500);
    let fx = Fixture::new().file("specs/big.md", &doc);
    fx.kb(&[
        "review",
        "add",
        "specs/big.md",
        "--quote",
        &quote,
        "-m",
        "x",
    ])
    .env("KB_USER", "sam")
    .assert()
    .success();
    std::fs::write(
        fx.path("specs/big.md"),
        doc.replacen(&quote, "The paragraph was rewritten.", 1),
    )
    .unwrap();

    let (out, took) = timed(&fx, &["--format", "json", "review", "list"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(took < Duration::from_secs(10), "review list took {took:?}");
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list["threads"][0]["anchor"]["resolution"], "section");

    let (out, took) = timed(&fx, &["check"]);
    assert!(out.status.code().is_some(), "check did not exit");
    assert!(took < Duration::from_secs(10), "check took {took:?}");
}

/// 100,000 nested `[` kept serde_yaml busy for two minutes before its recursion limit.
#[test]
fn deeply_nested_front_matter_is_refused_quickly_with_its_place() {
    let deep = format!(
        "---\ntitle: Deep\nx: {}\n---\n# Deep\n",
        "[".repeat(100_000)
    );
    let fx = Fixture::new()
        .file("specs/deep.md", &deep)
        .file("specs/ok.md", "# Fine\n");
    let (out, took) = timed(&fx, &["--format", "json", "ls"]);
    assert!(took < Duration::from_secs(10), "ls took {took:?}");
    assert_eq!(out.status.code(), Some(1));
    let listing: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let error = &listing["errors"][0];
    assert_eq!(
        (error["path"].as_str(), error["line"].as_u64()),
        (Some("specs/deep.md"), Some(3))
    );
    assert!(error["message"]
        .as_str()
        .unwrap()
        .contains("nests more than 64 levels deep"));

    // kb.yaml goes through the same bound, and names itself.
    let fx = Fixture::bare().file("kb.yaml", &format!("name: {}\n", "{a: ".repeat(50_000)));
    let started = Instant::now();
    fx.kb(&["ls"])
        .assert()
        .code(2)
        .stderr(contains("kb.yaml:1"))
        .stderr(contains("nests more than 64 levels deep"));
    assert!(started.elapsed() < Duration::from_secs(10));
}

/// A 100 KB quote that is not in the doc was echoed whole in the error.
#[test]
fn a_huge_quote_is_not_echoed_whole() {
    let fx = Fixture::new().file("specs/a.md", "# A\n\nSome text.\n");
    let quote = "not in the doc ".repeat(7_000);
    let out = fx
        .kb(&["review", "add", "specs/a.md", "--quote", &quote, "-m", "x"])
        .env("KB_USER", "sam")
        .assert()
        .code(2)
        .stderr(contains("does not contain \"not in the doc"))
        .stderr(contains("…\""))
        .get_output()
        .stderr
        .clone();
    assert!(out.len() < 1_000, "{} bytes of error", out.len());
}
