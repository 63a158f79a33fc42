//! The doc cache (DESIGN §17): a second command reads only what changed, and sees every change
//! at once, however the file was changed.

use crate::Fixture;

fn titles(fx: &Fixture) -> Vec<(String, String)> {
    let listing = fx.json(&["ls"]);
    listing["docs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["path"].as_str().unwrap().to_string(),
                d["title"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// When docs.bin was last written.
fn written(fx: &Fixture) -> std::time::SystemTime {
    std::fs::metadata(fx.path(".kb/cache/docs.bin"))
        .unwrap()
        .modified()
        .unwrap()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect()
}

fn handbook() -> Fixture {
    Fixture::new()
        .file("handbook/pto.md", "# Time off\n")
        .file("handbook/travel.md", "# Travel\n")
}

#[test]
fn an_edit_that_keeps_size_and_mtime_is_still_seen() {
    let fx = handbook();
    let back_to_2020 = || fx.touch_back("handbook/pto.md");
    assert!(back_to_2020());
    assert_eq!(titles(&fx)[0].1, "Time off");
    assert!(
        fx.path(".kb/cache/docs.bin").is_file(),
        "the first run fills the cache"
    );
    // Same length, and the modification time put back: only the ctime tells.
    std::fs::write(fx.path("handbook/pto.md"), "# Time on\n").unwrap();
    assert!(back_to_2020());
    assert_eq!(titles(&fx)[0].1, "Time on");
}

#[test]
fn renames_deletes_new_files_and_config_changes_show_at_once() {
    let fx = handbook();
    titles(&fx);
    std::fs::rename(fx.path("handbook/travel.md"), fx.path("handbook/trips.md")).unwrap();
    std::fs::write(fx.path("handbook/new.md"), "# New\n").unwrap();
    std::fs::remove_file(fx.path("handbook/pto.md")).unwrap();
    assert_eq!(
        titles(&fx),
        pairs(&[("handbook/new.md", "New"), ("handbook/trips.md", "Travel")])
    );
    // kb.yaml decides types: a new type applies to cached docs too.
    std::fs::create_dir_all(fx.path("notes")).unwrap();
    std::fs::write(fx.path("notes/a.md"), "# A note\n").unwrap();
    let before = fx.json(&["ls", "--where", "path~notes/"]);
    assert_eq!(before["docs"][0]["type"], serde_json::Value::Null);
    std::fs::write(
        fx.path("kb.yaml"),
        "name: Test\ntypes:\n  note: {folder: notes}\n",
    )
    .unwrap();
    let after = fx.json(&["ls", "--where", "path~notes/"]);
    assert_eq!(after["docs"][0]["type"], "note");
}

#[test]
fn a_damaged_cache_is_rebuilt_without_a_word() {
    let fx = handbook();
    titles(&fx);
    for garbage in ["", "{\"version\": 1, \"key\":", "\u{0}\u{1}binary"] {
        std::fs::write(fx.path(".kb/cache/docs.bin"), garbage).unwrap();
        fx.kb(&["ls"]).assert().success().stderr("");
        assert_eq!(titles(&fx).len(), 2);
    }
    let cache = std::fs::read(fx.path(".kb/cache/docs.bin")).unwrap();
    assert!(
        cache.windows(15).any(|w| w == b"handbook/pto.md"),
        "rewritten whole"
    );
}

/// Damage that still decodes: lz4 keeps a word it has not seen before as it is, so changing
/// its letters in the file leaves a cache that reads back, with the wrong title. Each chunk's
/// hash catches it (hostile pass, 2026-12-02: before, `kb ls` showed the changed title).
#[test]
fn damage_that_still_decodes_is_caught_by_the_chunks_hash() {
    let fx = handbook().file("handbook/zoo.md", "# Zebra quokka\n");
    titles(&fx);
    let mut cache = std::fs::read(fx.path(".kb/cache/docs.bin")).unwrap();
    let at = cache
        .windows(6)
        .position(|w| w == b"quokka")
        .expect("the title is kept as it is in the compressed chunk");
    cache[at..at + 6].copy_from_slice(b"QUOKKA");
    std::fs::write(fx.path(".kb/cache/docs.bin"), &cache).unwrap();
    assert!(titles(&fx).contains(&("handbook/zoo.md".into(), "Zebra quokka".into())));
    fx.kb(&["ls"]).assert().success().stderr("");
}

#[test]
fn a_truncated_or_extended_cache_is_rebuilt_without_a_word() {
    let fx = handbook();
    titles(&fx);
    let whole = std::fs::read(fx.path(".kb/cache/docs.bin")).unwrap();
    let mut longer = whole.clone();
    longer.push(0);
    for damaged in [
        &whole[..whole.len() / 2],
        &whole[..whole.len() - 1],
        &longer[..],
    ] {
        std::fs::write(fx.path(".kb/cache/docs.bin"), damaged).unwrap();
        fx.kb(&["ls"]).assert().success().stderr("");
        assert_eq!(titles(&fx).len(), 2);
        assert_eq!(
            std::fs::read(fx.path(".kb/cache/docs.bin")).unwrap(),
            whole,
            "rewritten whole"
        );
    }
}

#[test]
fn a_cache_from_an_earlier_kb_is_replaced() {
    let fx = handbook();
    std::fs::create_dir_all(fx.path(".kb/cache")).unwrap();
    std::fs::write(fx.path(".kb/cache/docs.json"), "{\"version\": 1}").unwrap();
    assert_eq!(titles(&fx).len(), 2);
    assert!(fx.path(".kb/cache/docs.bin").is_file());
    assert!(
        !fx.path(".kb/cache/docs.json").exists(),
        "the old file is gone"
    );
}

#[test]
fn no_cache_reads_every_doc_and_writes_nothing() {
    let fx = handbook();
    fx.kb(&["ls", "--no-cache"]).assert().success();
    fx.kb(&["ls"]).env("KB_NO_CACHE", "1").assert().success();
    assert!(!fx.path(".kb/cache/docs.bin").exists());
}

#[test]
fn concurrent_commands_both_answer_and_leave_a_valid_cache() {
    let fx = handbook();
    let runs: Vec<_> = (0..4)
        .map(|_| {
            crate::kb_in(fx.root())
                .args(["ls", "--format", "json"])
                .output()
        })
        .collect();
    for run in runs {
        let out = run.unwrap();
        assert!(out.status.success());
        let listing: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(listing["docs"].as_array().unwrap().len(), 2);
    }
    // A whole cache is read, not rewritten, by the next run.
    let before = written(&fx);
    assert_eq!(titles(&fx).len(), 2);
    assert_eq!(written(&fx), before);
}

#[test]
fn check_reads_through_its_cache_and_sees_an_edit() {
    let fx = handbook().file("handbook/index.md", "# Index\n\n[PTO](pto.md)\n");
    let first = fx.kb(&["check"]).output().unwrap();
    assert!(fx.path(".kb/cache/check.bin").is_file());
    let second = fx.kb(&["check"]).output().unwrap();
    assert_eq!(first.stdout, second.stdout, "a cached run reports the same");
    std::fs::write(fx.path("handbook/index.md"), "# Index\n\n[PTO](pot.md)\n").unwrap();
    fx.kb(&["check"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("broken-link"));
}

#[test]
fn goal_reports_read_through_the_cache_and_see_a_new_checkin() {
    let fx = Fixture::new().file(
        "goals/2026/g.md",
        "---\ntype: goal\nid: g\ntitle: Ship it\nowner: dana\nperiod: 2026-Q4\nstate: active\nkey_results:\n  - {id: a, title: A, start: 0, target: 100}\n---\n",
    );
    let first = fx.json(&["goals", "report"]);
    assert!(fx.path(".kb/cache/goals.bin").is_file());
    assert_eq!(
        first,
        fx.json(&["goals", "report"]),
        "a cached run reports the same"
    );
    std::fs::create_dir_all(fx.path("goals/checkins/2026")).unwrap();
    std::fs::write(
        fx.path("goals/checkins/2026/2026-11-24-dana.md"),
        "---\ntype: checkin\nauthor: dana\ndate: 2026-11-24\ngoals:\n  g: {key_results: {a: 90}}\n---\nNearly there.\n",
    )
    .unwrap();
    let after = fx.json(&["goals", "report"]);
    assert_eq!(after["goals"][0]["last_checkin"], "2026-11-24");
}

#[test]
fn an_inbox_reads_action_rows_through_the_cache_and_sees_an_edit() {
    let rca = |status: &str| {
        format!("---\ntitle: Outage\ntype: rca\nowner: dana\ncreated: 2026-11-01\n---\n# Outage\n\n| Action | Owner | Due | Status |\n|---|---|---|---|\n| Add alerts | @lena | 2026-11-20 | {status} |\n")
    };
    let fx = Fixture::new().file("rca/x.md", &rca("open"));
    let items = |fx: &Fixture| {
        fx.json(&["inbox", "lena"])["items"]
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(items(&fx), 1);
    assert!(fx.path(".kb/cache/actions.bin").is_file());
    assert_eq!(items(&fx), 1, "a cached run finds the same");
    std::fs::write(fx.path("rca/x.md"), rca("done")).unwrap();
    assert_eq!(items(&fx), 0);
}

#[test]
fn a_deleted_doc_alone_rewrites_the_cache_and_nothing_else_does() {
    let fx = handbook();
    titles(&fx);
    let first = written(&fx);
    titles(&fx);
    assert_eq!(written(&fx), first, "nothing changed: not rewritten");
    std::fs::remove_file(fx.path("handbook/pto.md")).unwrap();
    assert_eq!(titles(&fx), pairs(&[("handbook/travel.md", "Travel")]));
    let second = written(&fx);
    assert_ne!(second, first, "the deleted doc leaves the cache");
    titles(&fx);
    assert_eq!(written(&fx), second);
}

#[test]
fn edits_deletes_and_new_docs_across_chunks_keep_the_cache_whole() {
    // More docs than one chunk holds (1,024), so that unchanged chunks are copied as they were.
    let fx = (0..2100).fold(Fixture::new(), |fx, i| {
        fx.file(&format!("notes/{i:04}.md"), &format!("# Note {i}\n"))
    });
    assert_eq!(titles(&fx).len(), 2100);
    std::fs::write(fx.path("notes/0007.md"), "# Edited\n").unwrap();
    std::fs::remove_file(fx.path("notes/1500.md")).unwrap();
    std::fs::write(fx.path("notes/1999a.md"), "# New\n").unwrap();
    let listed = titles(&fx);
    assert_eq!(listed.len(), 2100);
    assert_eq!(listed[7], ("notes/0007.md".into(), "Edited".into()));
    assert!(listed.contains(&("notes/1999a.md".into(), "New".into())));
    // The rewritten cache holds every doc: the next run serves them all and writes nothing.
    let after = written(&fx);
    assert_eq!(titles(&fx), listed);
    assert_eq!(written(&fx), after);
    // A second edit, in the chunk written afresh, is seen too.
    std::fs::write(fx.path("notes/0008.md"), "# Also edited\n").unwrap();
    let again = titles(&fx);
    assert_eq!(again[8], ("notes/0008.md".into(), "Also edited".into()));
    assert_eq!(again.len(), 2100);
}

#[test]
fn a_huge_sparse_cache_is_refused_before_it_is_read() {
    let fx = handbook();
    titles(&fx);
    // Reading a terabyte of zeros would take the machine's memory; its size alone says damage.
    let file = std::fs::OpenOptions::new()
        .write(true)
        .open(fx.path(".kb/cache/docs.bin"))
        .unwrap();
    file.set_len(1 << 40).unwrap();
    drop(file);
    let started = std::time::Instant::now();
    fx.kb(&["ls"]).assert().success().stderr("");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
    assert_eq!(titles(&fx).len(), 2);
    assert!(
        std::fs::metadata(fx.path(".kb/cache/docs.bin"))
            .unwrap()
            .len()
            < 1 << 20
    );
}

#[cfg(unix)]
#[test]
fn a_cache_folder_that_leads_outside_the_kb_is_neither_read_nor_cleaned() {
    let fx = handbook();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("docs.json"), "precious").unwrap();
    std::fs::create_dir_all(fx.path(".kb")).unwrap();
    std::os::unix::fs::symlink(outside.path(), fx.path(".kb/cache")).unwrap();
    assert_eq!(titles(&fx).len(), 2);
    assert_eq!(
        std::fs::read_to_string(outside.path().join("docs.json")).unwrap(),
        "precious"
    );
    assert!(!outside.path().join("docs.bin").exists());
}

#[test]
fn temp_files_of_killed_runs_are_swept_by_the_next_cache_write() {
    let fx = handbook();
    std::fs::create_dir_all(fx.path(".kb/tmp")).unwrap();
    std::fs::write(fx.path(".kb/tmp/tmp-dead"), "half a cache").unwrap();
    assert!(fx.touch_back(".kb/tmp/tmp-dead"));
    titles(&fx);
    assert!(!fx.path(".kb/tmp/tmp-dead").exists());
}

#[test]
fn a_few_edits_in_a_large_kb_are_read_again_rather_than_rewrite_the_cache() {
    let mut fx = Fixture::new();
    for i in 0..300 {
        fx = fx.file(
            &format!("handbook/page-{i:03}.md"),
            &format!("# Page {i}\n"),
        );
    }
    titles(&fx);
    let written = || std::fs::read(fx.path(".kb/cache/docs.bin")).unwrap();
    let before = written();
    std::fs::write(fx.path("handbook/page-007.md"), "# Page seven, edited\n").unwrap();
    for _ in 0..2 {
        let listed = titles(&fx);
        assert_eq!(listed[7].1, "Page seven, edited");
        assert_eq!(written(), before, "one edit among 300 docs: no rewrite");
    }
    // Many edits (or a deleted doc) are written back.
    for i in 0..20 {
        std::fs::write(
            fx.path(&format!("handbook/page-{i:03}.md")),
            format!("# Page {i}, edited twice\n"),
        )
        .unwrap();
    }
    assert_eq!(titles(&fx)[7].1, "Page 7, edited twice");
    assert_ne!(written(), before);
}

#[test]
fn numbers_read_back_from_the_goals_cache_are_the_numbers_written() {
    let fx = Fixture::new()
        .file(
            "goals/2026/g1.md",
            "---\ntype: goal\nid: g1\ntitle: G\nperiod: 2026-Q4\nowner: dana\nstate: active\n\
             key_results:\n  - {title: K, start: 0.1, target: 94.46195062401999}\n---\n",
        )
        .file(
            "goals/checkins/c.md",
            "---\ntype: checkin\nauthor: dana\ndate: 2026-11-24\n\
             goals:\n  g1: {confidence: \"0.93%\"}\n---\n",
        );
    let report = || fx.json_any(&["goals", "report"]);
    let fresh = fx.json_any(&["--no-cache", "goals", "report"]);
    report();
    assert_eq!(report(), fresh);
}

/// `kb check`'s findings as `code path:line`, sorted.
fn findings(fx: &Fixture) -> Vec<String> {
    let report = fx.json_any(&["check"]);
    let mut found: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{}",
                f["code"].as_str().unwrap(),
                f["path"].as_str().unwrap(),
                f["line"]
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn kept_link_findings_follow_a_heading_a_file_and_a_doc_that_change_elsewhere() {
    let index = "# Index\n\n[PTO](pto.md#carry-over)\n[Chart](chart.png)\n[Soon](soon.md)\n[[pto#carry-over]]\n";
    let fx = Fixture::new()
        .file("handbook/index.md", index)
        .file("handbook/pto.md", "# Time off\n\n## Carry over\n")
        .bytes("handbook/chart.png", b"\x89PNG");
    let soon = "broken-link handbook/index.md:5";
    assert_eq!(findings(&fx), [soon]);
    assert!(fx.path(".kb/cache/links.bin").is_file(), "kept");
    assert_eq!(findings(&fx), [soon], "kept, the same");

    // Another doc loses the heading: index.md did not change, its anchors broke.
    std::fs::write(fx.path("handbook/pto.md"), "# Time off\n\n## Leave\n").unwrap();
    let (anchor, wiki_anchor) = (
        "broken-anchor handbook/index.md:3",
        "broken-anchor handbook/index.md:6",
    );
    assert_eq!(findings(&fx), [anchor, wiki_anchor, soon]);
    // A file that is no doc goes, and the missing doc comes.
    std::fs::remove_file(fx.path("handbook/chart.png")).unwrap();
    std::fs::write(fx.path("handbook/soon.md"), "# Soon\n").unwrap();
    let chart = "broken-link handbook/index.md:4";
    assert_eq!(findings(&fx), [anchor, wiki_anchor, chart]);
    // Only the file comes back: no doc changed, the disk's answer did.
    std::fs::write(fx.path("handbook/chart.png"), b"\x89PNG").unwrap();
    assert_eq!(findings(&fx), [anchor, wiki_anchor]);
    // The heading comes back: only the doc linking into pto.md is checked again.
    std::fs::write(fx.path("handbook/pto.md"), "# Time off\n\n## Carry over\n").unwrap();
    assert_eq!(findings(&fx), Vec::<String>::new());
    let no_cache = fx.json_any(&["check", "--no-cache"]);
    assert_eq!(no_cache["diagnostics"], serde_json::json!([]));
}

#[test]
fn kept_link_findings_follow_titles_and_ids_and_outlive_a_damaged_file() {
    let fx = Fixture::new()
        .file(
            "notes/a.md",
            "---\ntitle: Alpha\n---\n# Alpha\n\n[[Beta]]\n[[B-2]]\n",
        )
        .file("notes/b.md", "---\ntitle: Beta\nid: B-2\n---\n# Beta\n");
    assert_eq!(findings(&fx), Vec::<String>::new());
    // b.md's title changes, then its id; a.md, whose wiki links name them, does not.
    std::fs::write(
        fx.path("notes/b.md"),
        "---\ntitle: Gamma\nid: B-2\n---\n# Gamma\n",
    )
    .unwrap();
    assert_eq!(findings(&fx), ["broken-wiki-link notes/a.md:6"]);
    std::fs::write(
        fx.path("notes/b.md"),
        "---\ntitle: Gamma\nid: G-3\n---\n# Gamma\n",
    )
    .unwrap();
    let broken = [
        "broken-wiki-link notes/a.md:6",
        "broken-wiki-link notes/a.md:7",
    ];
    assert_eq!(findings(&fx), broken);
    assert_eq!(findings(&fx), broken, "kept, the same");
    let kept = fx.path(".kb/cache/links.bin");
    let whole = std::fs::read(&kept).unwrap();
    for damaged in [
        whole[..whole.len() / 2].to_vec(),
        vec![0; whole.len()],
        whole.iter().map(|b| b ^ 0x20).collect(),
    ] {
        std::fs::write(&kept, damaged).unwrap();
        assert_eq!(findings(&fx), broken, "a damaged file is not believed");
    }
    std::fs::write(
        fx.path("notes/b.md"),
        "---\ntitle: Beta\nid: B-2\n---\n# Beta\n",
    )
    .unwrap();
    assert_eq!(findings(&fx), Vec::<String>::new());
}
