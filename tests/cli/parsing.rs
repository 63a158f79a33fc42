//! Every way a doc can be written, and every way it can be broken, as `kb ls` sees it.

use crate::{paths, Fixture};
use predicates::prelude::*;
use predicates::str::contains;

fn only_doc(fx: &Fixture) -> serde_json::Value {
    let listing = fx.json(&["ls"]);
    assert_eq!(listing["docs"].as_array().unwrap().len(), 1, "{listing}");
    listing["docs"][0].clone()
}

#[test]
fn yaml_front_matter() {
    let fx = Fixture::new().file(
        "handbook/a.md",
        "---\ntitle: Refund policy\nowner: dana\ntags: [support, money]\n---\n# Other\n",
    );
    let d = only_doc(&fx);
    assert_eq!(d["title"], "Refund policy");
    assert_eq!(d["type"], "handbook");
    assert_eq!(d["tags"], serde_json::json!(["support", "money"]));
}

#[test]
fn toml_front_matter_is_read() {
    let fx = Fixture::new().file(
        "a.md",
        "+++\ntitle = \"From Hugo\"\ndate = 2024-05-01\ntags = [\"x\"]\n+++\nbody\n",
    );
    let d = only_doc(&fx);
    assert_eq!(d["title"], "From Hugo");
    assert_eq!(d["created"], "2024-05-01");
}

#[test]
fn bom_and_crlf() {
    let fx = Fixture::new().file(
        "a.md",
        "\u{feff}---\r\ntitle: Windows doc\r\nowner: sam\r\n---\r\n# H\r\n",
    );
    let d = only_doc(&fx);
    assert_eq!(d["title"], "Windows doc");
    assert_eq!(d["owner"], "sam");
}

#[test]
fn empty_front_matter_takes_the_heading() {
    let fx = Fixture::new().file("a.md", "---\n---\n# The heading\n");
    assert_eq!(only_doc(&fx)["title"], "The heading");
}

#[test]
fn a_file_that_is_only_front_matter() {
    let fx = Fixture::new().file(
        "specs/a.md",
        "---\ntitle: Just metadata\nstatus: draft\n---",
    );
    let d = only_doc(&fx);
    assert_eq!(
        (d["title"].as_str(), d["status"].as_str()),
        (Some("Just metadata"), Some("draft"))
    );
}

#[test]
fn no_front_matter_type_from_folder_title_from_heading_or_name() {
    let fx = Fixture::new()
        .file(
            "rca/db-outage.md",
            "Some text first.\n\n# Database outage\n",
        )
        .file("rca/plain-notes.md", "no heading at all\n");
    let listing = fx.json(&["ls"]);
    let docs = listing["docs"].as_array().unwrap();
    assert_eq!(docs[0]["title"], "Database outage");
    assert_eq!(docs[0]["type"], "rca");
    assert_eq!(docs[1]["title"], "plain-notes");
}

#[test]
fn an_empty_file_is_a_doc() {
    let fx = Fixture::new().file("handbook/empty.md", "");
    assert_eq!(only_doc(&fx)["title"], "empty");
}

#[test]
fn a_5_mb_file_is_a_doc() {
    let big = format!(
        "---\ntitle: Big\n---\n{}",
        "A line of handbook text that goes on.\n".repeat(140_000)
    );
    assert!(big.len() > 5_000_000);
    let fx = Fixture::new().file("big.md", &big);
    assert_eq!(only_doc(&fx)["title"], "Big");
}

#[test]
fn bad_yaml_names_file_and_line_and_the_rest_still_lists() {
    let fx = Fixture::new()
        .file("handbook/good.md", "---\ntitle: Good\n---\n")
        .file(
            "handbook/bad.md",
            "---\ntitle: Bad\nowner: dana\ntags: [a, b\nstatus: x\n---\n",
        );
    fx.kb(&["ls"])
        .assert()
        .code(1)
        .stdout(contains("handbook/good.md"))
        .stderr(contains("error: invalid YAML front-matter"))
        .stderr(contains("--> handbook/bad.md:5"))
        .stderr(contains("hint:"));
}

#[test]
fn errors_are_in_the_json_too() {
    let fx = Fixture::new()
        .file("a.md", "---\ntitle: [\n---\n")
        .file("b.md", "# B\n");
    let out = fx
        .kb(&["--format", "json", "ls"])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let listing: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(paths(&listing), vec!["b.md"]);
    assert_eq!(listing["errors"][0]["path"], "a.md");
    assert_eq!(listing["errors"][0]["kind"], "bad-yaml");
}

#[test]
fn unclosed_front_matter() {
    let fx = Fixture::new().file("a.md", "---\ntitle: Never closed\n\n# Body\n");
    fx.kb(&["ls"])
        .assert()
        .code(1)
        .stderr(contains("never closed"))
        .stderr(contains("--> a.md:1"));
}

#[test]
fn front_matter_that_is_not_a_mapping() {
    let fx = Fixture::new().file("a.md", "---\n- just\n- a list\n---\n");
    fx.kb(&["ls"])
        .assert()
        .code(1)
        .stderr(contains("must be a mapping"));
}

#[test]
fn non_utf8_names_the_line() {
    let fx = Fixture::new().bytes("a.md", b"---\ntitle: Latin-1\n---\ncaf\xe9\n");
    fx.kb(&["ls"])
        .assert()
        .code(1)
        .stderr(contains("not valid UTF-8"))
        .stderr(contains("--> a.md:4:4"))
        .stderr(contains("save the file as UTF-8"));
}

#[test]
fn bad_toml_names_the_line() {
    let fx = Fixture::new().file("a.md", "+++\ntitle = \"ok\"\ndate = \n+++\n");
    fx.kb(&["ls"])
        .assert()
        .code(1)
        .stderr(contains("invalid TOML"))
        .stderr(contains("--> a.md:3"));
}

#[test]
fn a_folder_named_like_a_doc_is_walked_not_read() {
    let fx = Fixture::new().file("x.md/inside.md", "# Inside\n");
    assert_eq!(paths(&fx.json(&["ls"])), vec!["x.md/inside.md"]);
}

#[cfg(unix)]
#[test]
fn a_symlink_loop_is_an_error_naming_it_and_the_rest_lists() {
    let fx = Fixture::new().file("docs/a.md", "# A\n");
    std::os::unix::fs::symlink("..", fx.path("docs/loop")).unwrap();
    fx.kb(&["ls"])
        .assert()
        .code(1)
        .stdout(contains("docs/a.md"))
        .stderr(contains("docs/loop"))
        .stderr(contains("loop"));
}

#[cfg(unix)]
#[test]
fn an_unreadable_file_is_an_error() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fixture::new()
        .file("secret.md", "# S\n")
        .file("open.md", "# O\n");
    std::fs::set_permissions(fx.path("secret.md"), std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(fx.path("secret.md")).is_ok() {
        return; // running as root: permissions do not stop reads, nothing to test here
    }
    fx.kb(&["ls"])
        .assert()
        .code(1)
        .stdout(contains("open.md"))
        .stderr(contains("secret.md"));
}

#[test]
fn walk_skips_git_kb_gitignored_and_excluded() {
    let fx = Fixture::bare()
        .file("kb.yaml", "exclude: [\"drafts/**\", \"*.tmp.md\"]\n")
        .file(".gitignore", "ignored/\n")
        .file(".git/HEAD.md", "# no\n")
        .file(".kb/reviews/x/y.md", "# no\n")
        .file("ignored/a.md", "# no\n")
        .file("drafts/wip.md", "# no\n")
        .file("notes.tmp.md", "# no\n")
        .file("handbook/yes.md", "# yes\n")
        .file("README.markdown", "# yes too\n");
    assert_eq!(
        paths(&fx.json(&["ls"])),
        vec!["README.markdown", "handbook/yes.md"]
    );
}

fn goal(id: &str) -> String {
    format!("---\ntype: goal\nid: {id}\ntitle: Goal {id}\nowner: dana\nperiod: 2026-Q4\nlevel: company\n---\n")
}

#[test]
fn a_nested_gitignore_re_includes_and_binds_a_walk_of_one_folder() {
    let fx = Fixture::bare()
        .file("kb.yaml", "name: A\n")
        .file(".gitignore", "*.draft.md\nscratch/\n")
        .file("handbook/.gitignore", "!keep.draft.md\n/local.md\n")
        .file("handbook/keep.draft.md", "# kept: re-included below\n")
        .file("handbook/other.draft.md", "# no\n")
        .file("handbook/local.md", "# no: anchored to handbook/\n")
        .file(
            "handbook/deeper/local.md",
            "# yes: the anchor holds one level only\n",
        )
        .file("handbook/scratch/a.md", "# no: a folder pattern\n")
        .file("goals/2026/q1.draft.md", &goal("hidden"))
        .file("goals/2026/scratch/b.md", &goal("scratched"))
        .file("goals/2026/q1.md", &goal("shown"));
    assert_eq!(
        paths(&fx.json(&["ls"])),
        vec![
            "goals/2026/q1.md",
            "handbook/deeper/local.md",
            "handbook/keep.draft.md"
        ]
    );
    // `kb goals` walks goals/ alone: the root's .gitignore still binds it.
    fx.kb(&["goals", "report", "--format", "json"])
        .assert()
        .stdout(contains("\"shown\""))
        .stdout(contains("hidden").not())
        .stdout(contains("scratched").not());
}

#[cfg(unix)]
#[test]
fn two_links_that_lead_to_each_other_are_one_loop_each_and_the_rest_lists() {
    let fx = Fixture::new()
        .file("a/one.md", "# One\n")
        .file("b/two.md", "# Two\n");
    std::os::unix::fs::symlink("../b", fx.path("a/to-b")).unwrap();
    std::os::unix::fs::symlink("../a", fx.path("b/to-a")).unwrap();
    let out = fx.kb(&["ls", "--format", "json"]).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).to_string();
    assert!(stderr.contains("loop"), "{stderr}");
    let listing: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    // Each doc once by its own path and once through the other folder's link, never more.
    assert_eq!(
        paths(&listing),
        vec!["a/one.md", "a/to-b/two.md", "b/to-a/one.md", "b/two.md"]
    );
}

#[test]
fn a_nested_repository_s_info_exclude_and_a_worktree_s_shared_one_hold() {
    let fx = Fixture::bare()
        .file("kb.yaml", "name: A\n")
        .file("y.md", "# yes\n")
        .file("n/x.md", "# no: the nested repository excludes it\n")
        .file("n/z.md", "# yes\n")
        .file("n/.git/info/exclude", "x.md\n")
        .file("w/x.md", "# no: the worktree's shared exclude names it\n")
        .file("w/.git", "gitdir: ../main.git/worktrees/w\n")
        .file("main.git/worktrees/w/commondir", "../..\n")
        .file("main.git/info/exclude", "x.md\n");
    assert_eq!(paths(&fx.json(&["ls"])), vec!["n/z.md", "y.md"]);
}

#[cfg(unix)]
#[test]
fn a_link_from_a_goal_folder_back_to_the_root_is_one_loop() {
    let fx = Fixture::new().file("goals/g.md", &goal("g"));
    std::os::unix::fs::symlink("..", fx.path("goals/up")).unwrap();
    fx.kb(&["goals", "report", "--format", "json"])
        .assert()
        .code(1)
        .stderr(contains("goals/up"))
        .stderr(contains("loop"))
        .stderr(contains("goals/up/goals").not());
}

#[test]
fn a_folder_of_thousands_of_files_lists_each_once_in_order() {
    let mut fx = Fixture::bare().file("kb.yaml", "name: A\n");
    for i in 0..3000 {
        fx = fx.file(&format!("flat/{i:05}.md"), "# x\n");
    }
    let listed = paths(&fx.json(&["ls"]));
    let expected: Vec<String> = (0..3000).map(|i| format!("flat/{i:05}.md")).collect();
    assert_eq!(listed, expected);
}

#[test]
fn kb_yaml_errors_name_the_line() {
    let fx = Fixture::bare().file("kb.yaml", "name: A\ntypo_key: 1\n");
    fx.kb(&["ls"])
        .assert()
        .code(2)
        .stderr(contains("typo_key"))
        .stderr(contains("--> "))
        .stderr(contains("kb.yaml:2"));
}

#[test]
fn kb_yaml_adds_a_type() {
    let fx = Fixture::bare()
        .file(
            "kb.yaml",
            "types:\n  vendor:\n    folder: vendors\n    fields: {renewal: date}\n",
        )
        .file(
            "vendors/stripe.md",
            "---\ntitle: Stripe\nrenewal: 2027-01-01\n---\n",
        );
    assert_eq!(only_doc(&fx)["type"], "vendor");
}
