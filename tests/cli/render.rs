//! `kb render`: live blocks regenerated in place, and `--check` for CI (DESIGN §16).

use crate::{copy_dir, git_as, Fixture};
use predicates::str::contains;

const EMPTY: &str = "<!-- /kb -->";

/// A small KB: two decisions, a goal with a check-in, a handbook page overdue for review, a
/// spec in review, and pages holding blocks.
fn kb() -> Fixture {
    Fixture::bare()
        .file("kb.yaml", "name: Acme\nfreshness: {handbook: 90d}\n")
        .file(
            "decisions/adr-0001-queue.md",
            "---\ntype: decision\nid: ADR-0001\ntitle: Use a queue\nowner: lena\nstatus: accepted\ncreated: 2026-01-10\n---\n# Use a queue\n",
        )
        .file(
            "decisions/adr-0002-flags.md",
            "---\ntype: decision\nid: ADR-0002\ntitle: Ship behind flags\nowner: ines\nstatus: proposed\ncreated: 2026-03-01\n---\n# Flags\n",
        )
        .file(
            "handbook/pto.md",
            "---\ntype: handbook\ntitle: Time off\nowner: dana\nupdated: 2026-01-01\n---\nTake it.\n",
        )
        .file(
            "goals/2026/eng.md",
            "---\ntype: goal\nid: eng-q4\ntitle: Faster API\nowner: dana\nperiod: 2026-Q4\nlevel: division\nkey_results:\n  - {id: p99, kind: metric, start: 1200, target: 400}\n---\n# Faster API\n",
        )
        .file(
            "goals/checkins/2026/2026-11-24-dana.md",
            "---\ntype: checkin\nauthor: dana\ndate: 2026-11-24\ngoals:\n  eng-q4: {key_results: {p99: 800}}\n---\nPool fix.\n",
        )
        .file(
            "specs/checkout.md",
            "---\ntype: spec\nid: SPEC-0001\ntitle: Checkout\nowner: ines\nstatus: in-review\nreview: {reviewers: [dana], due: 2026-12-01}\n---\n# Checkout\n",
        )
}

fn page(blocks: &str) -> String {
    format!("---\ntype: handbook\ntitle: Log\nowner: dana\nupdated: 2026-11-20\n---\n# Log\n\n{blocks}\nAfter.\n")
}

#[test]
fn each_kind_renders_its_command() {
    let fx = kb().file(
        "log.md",
        &page(&format!(
            "<!-- kb:ls type=decision sort=-created columns=id,title,owner -->\n{EMPTY}\n\
             <!-- kb:goals period=2026-Q4 -->\n{EMPTY}\n\
             <!-- kb:stale -->\n{EMPTY}\n\
             <!-- kb:reviews -->\n{EMPTY}\n\
             <!-- kb:digest since=30d -->\n{EMPTY}\n"
        )),
    );
    fx.kb(&["render"])
        .assert()
        .success()
        .stdout(contains("rendered 5 blocks of 5"));
    let text = fx.read("log.md");
    let ls = "| Id | Title | Owner |\n|---|---|---|\n| ADR-0002 | [Ship behind flags](decisions/adr-0002-flags.md) | ines |\n| ADR-0001 | [Use a queue](decisions/adr-0001-queue.md) | lena |\n";
    assert!(text.contains(ls), "{text}");
    assert!(
        text.contains("[Faster API](goals/2026/eng.md) | dana | "),
        "{text}"
    );
    assert!(text.contains("[Time off](handbook/pto.md)"), "{text}");
    assert!(
        text.contains("[Checkout](specs/checkout.md) | in-review | 2026-12-01 | dana (pending)"),
        "{text}"
    );
    assert!(text.contains("**Check-ins**"), "{text}");
    assert!(text.starts_with("---\ntype: handbook\n") && text.ends_with("\nAfter.\n"));
}

#[test]
fn org_and_people_blocks_link_from_their_page() {
    let fx = kb()
        .file("people/dana.md", "---\ntype: person\nhandle: dana\nname: Dana Reyes\nteam: eng\n---\n# Dana\n")
        .file("people/sam.md", "---\ntype: person\nhandle: sam\nname: Sam Stone\nteam: eng\nmanager: dana\n---\n# Sam\n")
        .file(
            "handbook/team/index.md",
            &page(&format!("<!-- kb:org -->\n{EMPTY}\n\n<!-- kb:people team=eng -->\n{EMPTY}\n")),
        );
    fx.kb(&["render"]).assert().success();
    let text = fx.read("handbook/team/index.md");
    assert!(
        text.contains("  - [Sam Stone](../../people/sam.md) (`sam`)"),
        "{text}"
    );
    assert!(
        text.contains("| `dana` | [Dana Reyes](../../people/dana.md) |"),
        "{text}"
    );
    fx.kb(&["render", "--check"]).assert().success();
    let broken = fx.kb(&["check", "--format", "json"]).output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&broken.stdout).unwrap();
    let in_page = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["path"] == "handbook/team/index.md" && f["code"] == "broken-link")
        .count();
    assert_eq!(in_page, 0, "{report}");
}

#[test]
fn an_unknown_kind_is_named_with_its_line() {
    let fx = kb().file("log.md", &page(&format!("<!-- kb:nope -->\n{EMPTY}\n")));
    fx.kb(&["render", "--check"])
        .assert()
        .code(1)
        .stderr(contains("unknown block kind `nope`"))
        .stderr(contains("log.md:9"));
}

#[test]
fn a_second_run_writes_nothing() {
    let fx = kb().file(
        "log.md",
        &page(&format!("<!-- kb:ls type=decision -->\n{EMPTY}\n")),
    );
    fx.kb(&["render"]).assert().success();
    let before = std::fs::metadata(fx.path("log.md"))
        .unwrap()
        .modified()
        .unwrap();
    let bytes = fx.read("log.md");
    std::thread::sleep(std::time::Duration::from_millis(20));
    fx.kb(&["render"])
        .assert()
        .success()
        .stdout("1 block up to date\n");
    fx.kb(&["render", "--check"]).assert().success();
    let after = std::fs::metadata(fx.path("log.md"))
        .unwrap()
        .modified()
        .unwrap();
    assert_eq!(before, after);
    assert_eq!(bytes, fx.read("log.md"));
}

#[test]
fn an_out_of_date_block_fails_render_check_and_warns_in_check() {
    let fx = kb().file(
        "log.md",
        &page(&format!("<!-- kb:ls type=decision -->\n{EMPTY}\n")),
    );
    fx.kb(&["render"]).assert().success();
    // A new decision makes the block stale.
    std::fs::write(
        fx.path("decisions/adr-0003-new.md"),
        "---\ntype: decision\nid: ADR-0003\ntitle: New\nowner: lena\nstatus: accepted\n---\n# New\n",
    )
    .unwrap();
    let before = fx.read("log.md");
    fx.kb(&["render", "--check"])
        .assert()
        .code(1)
        .stdout(contains("log.md:9: block `ls` is out of date"));
    assert_eq!(before, fx.read("log.md"), "--check writes nothing");
    fx.kb(&["check"])
        .assert()
        .success()
        .stdout(contains(
            "log.md:9:1: warning block-out-of-date: block `ls` is out of date",
        ))
        .stdout(contains("run `kb render log.md`"));
    fx.kb(&["render"]).assert().success();
    let after = fx.stdout(&["check"]);
    assert!(!after.contains("block-out-of-date"), "{after}");
}

#[test]
fn invalid_markers_are_errors_with_their_line() {
    let fx = kb().file(
        "log.md",
        &page(&format!(
            "<!-- kb:lss type=decision -->\n{EMPTY}\n<!-- kb:ls colour=red -->\n{EMPTY}\n<!-- kb:goals level=team -->\n{EMPTY}\n<!-- kb:ls type=decision -->\nnever closed\n"
        )),
    );
    fx.kb(&["render", "--check"])
        .assert()
        .code(1)
        .stderr(contains("unknown block kind `lss`"))
        .stderr(contains("--> log.md:9"))
        .stderr(contains("block `ls` has no argument `colour`"))
        .stderr(contains("--> log.md:11"))
        .stderr(contains(
            "level=team is not one of company, division, manager, individual",
        ))
        .stderr(contains("--> log.md:13"))
        .stderr(contains("block `ls` is never closed"))
        .stderr(contains("--> log.md:15"));
    fx.kb(&["check"])
        .assert()
        .code(1)
        .stdout(contains("log.md:9:1: error block-invalid"))
        .stdout(contains("log.md:15:1: error block-invalid"));
}

#[test]
fn blocks_in_code_fences_are_left_alone() {
    let text = page(&format!(
        "```markdown\n<!-- kb:ls type=decision -->\n{EMPTY}\n```\n\n~~~~\n<!-- kb:nope -->\n~~~~\n"
    ));
    let fx = kb().file("log.md", &text);
    fx.kb(&["render"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("No live blocks"));
    assert_eq!(fx.read("log.md"), text);
}

#[test]
fn crlf_docs_keep_crlf_and_every_other_byte() {
    let text = "---\r\ntype: handbook\r\ntitle: Log\r\nowner: dana\r\nupdated: 2026-11-20\r\n---\r\n# Log  \r\n\r\n<!-- kb:ls type=decision columns=id -->\r\nold\r\n<!-- /kb -->\r\nTail without newline";
    let fx = kb().file("log.md", text);
    fx.kb(&["render"]).assert().success();
    let out = fx.read("log.md");
    assert_eq!(
        out,
        "---\r\ntype: handbook\r\ntitle: Log\r\nowner: dana\r\nupdated: 2026-11-20\r\n---\r\n# Log  \r\n\r\n<!-- kb:ls type=decision columns=id -->\r\n\r\n| Id |\r\n|---|\r\n| ADR-0001 |\r\n| ADR-0002 |\r\n\r\n<!-- /kb -->\r\nTail without newline"
    );
    fx.kb(&["render", "--check"]).assert().success();
}

#[test]
fn links_in_a_nested_doc_lead_from_it() {
    let fx = kb().file(
        "handbook/team/index.md",
        &page(&format!(
            "<!-- kb:ls type=decision,handbook -->\n{EMPTY}\n<!-- kb:goals -->\n{EMPTY}\n"
        )),
    );
    fx.kb(&["render", "handbook/"]).assert().success();
    let text = fx.read("handbook/team/index.md");
    assert!(
        text.contains("(../../decisions/adr-0001-queue.md)"),
        "{text}"
    );
    assert!(text.contains("(../pto.md)"), "{text}");
    assert!(text.contains("(index.md)"), "{text}");
    assert!(text.contains("(../../goals/2026/eng.md)"), "{text}");
    // Every link resolves, and the blocks are up to date.
    let check = fx.stdout(&["check"]);
    assert!(check.contains("0 errors, 1 warning"), "{check}");
    assert!(check.contains("review-overdue"), "{check}");
}

#[test]
fn paths_limit_what_is_rendered() {
    let block = format!("<!-- kb:ls type=decision -->\n{EMPTY}\n");
    let fx = kb()
        .file("a.md", &page(&block))
        .file("handbook/b.md", &page(&block));
    fx.kb(&["render", "a.md"]).assert().success();
    assert!(fx.read("handbook/b.md").contains(&format!("-->\n{EMPTY}")));
    assert!(!fx.read("a.md").contains(&format!("-->\n{EMPTY}")));
    let report = fx.json_any(&["render", "--check"]);
    assert_eq!(report["blocks"][0]["path"], "a.md");
    assert_eq!(report["blocks"][0]["state"], "up-to-date");
    assert_eq!(report["blocks"][1]["state"], "out-of-date");
}

#[test]
fn acme_is_up_to_date() {
    let dir = tempfile::tempdir().unwrap();
    let acme = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/acme");
    copy_dir(&acme, dir.path());
    git_as(dir.path(), None, &["init", "-q", "-b", "main"]);
    crate::kb_in(dir.path())
        .args(["render", "--check"])
        .assert()
        .success();
}
