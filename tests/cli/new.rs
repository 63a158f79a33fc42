//! `kb new` and `kb templates`: every type scaffolds into a valid doc; ids, paths, overrides,
//! never overwriting, --dry-run and --commit.

use crate::{kb_in, Fixture};
use predicates::str::contains;

const TYPES: &[&str] = &[
    "spec",
    "rca",
    "deep-dive",
    "decision",
    "meeting",
    "memo",
    "playbook",
    "handbook",
    "onboarding",
    "goal",
    "checkin",
    "person",
    "metric",
];

fn fx() -> Fixture {
    Fixture::new()
}

/// `kb new ... --format json` with KB_USER set, returning the created path.
fn new(fx: &Fixture, args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--format", "json", "new"];
    all.extend_from_slice(args);
    let out = fx
        .kb(&all)
        .env("KB_USER", "dana")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn every_built_in_type_scaffolds_a_valid_doc_of_that_type() {
    let fx = fx();
    for t in TYPES {
        let created = new(&fx, &[t, "Checkout redesign"]);
        let path = created["path"].as_str().unwrap();
        assert_eq!(created["type"], *t);
        let doc = fx.json(&["show", path]);
        assert_eq!(doc["type"], *t, "{path}");
        assert_eq!(doc["title"], "Checkout redesign", "{path}");
        assert_eq!(doc["fields"]["created"], "2026-11-25", "{path}");
        assert_eq!(doc["fields"]["author"], "dana", "{path}");
        let body = doc["body"].as_str().unwrap();
        assert!(
            body.lines().count() > 10,
            "{t} template is too thin:\n{body}"
        );
    }
    // Required fields per type, as the schema says.
    let listing = fx.json(&["ls"]);
    for d in listing["docs"].as_array().unwrap() {
        let f = &d["fields"];
        match d["type"].as_str().unwrap() {
            "goal" => {
                assert_eq!(f["id"], "checkout-redesign");
                assert_eq!(f["period"], "2026-Q4");
                assert!(f["key_results"].as_array().is_some_and(|k| !k.is_empty()));
            }
            "checkin" => assert_eq!(
                (f["author"].as_str(), f["date"].as_str()),
                (Some("dana"), Some("2026-11-25"))
            ),
            "person" => assert_eq!(f["handle"], "checkout-redesign"),
            "rca" | "spec" | "decision" | "deep-dive" | "meeting" | "memo" => {
                assert_eq!(f["owner"], "dana")
            }
            _ => {}
        }
    }
    assert_eq!(listing["docs"].as_array().unwrap().len(), TYPES.len());
}

#[test]
fn paths_follow_the_type() {
    let fx = fx();
    assert_eq!(
        new(&fx, &["spec", "Checkout redesign"])["path"],
        "specs/checkout-redesign.md"
    );
    assert_eq!(
        new(&fx, &["rca", "Checkout outage"])["path"],
        "rca/2026-11-25-checkout-outage.md"
    );
    assert_eq!(
        new(&fx, &["decision", "Use flags"])["path"],
        "decisions/adr-0001-use-flags.md"
    );
    assert_eq!(
        new(&fx, &["goal", "Ship it", "--period", "2027-Q1"])["path"],
        "goals/2027/ship-it.md"
    );
    assert_eq!(
        new(&fx, &["checkin", "Weekly"])["path"],
        "goals/checkins/2026/2026-11-25-dana.md"
    );
}

#[test]
fn ids_go_one_past_the_highest_even_with_gaps() {
    let fx = fx()
        .file("rca/a.md", "---\ntitle: A\nid: RCA-0001\nowner: x\n---\n")
        .file(
            "rca/old/b.md",
            "---\ntitle: B\nid: RCA-0007\nowner: x\n---\n",
        )
        .file(
            "rca/c.md",
            "---\ntitle: C\nid: \"RCA-0003\"\nowner: x\n---\n",
        );
    let created = new(&fx, &["rca", "Payout delay"]);
    assert_eq!(created["id"], "RCA-0008");
    assert_eq!(fx.json(&["show", "RCA-0008"])["title"], "Payout delay");
    assert_eq!(new(&fx, &["rca", "Another"])["id"], "RCA-0009");
    assert_eq!(new(&fx, &["spec", "First spec"])["id"], "SPEC-0001");
}

#[test]
fn a_second_new_with_the_same_title_fails_and_keeps_the_first_file() {
    let fx = fx();
    let path = new(&fx, &["spec", "Checkout redesign"])["path"]
        .as_str()
        .unwrap()
        .to_string();
    let before = std::fs::read(fx.path(&path)).unwrap();
    fx.kb(&["new", "spec", "Checkout redesign"])
        .env("KB_USER", "sam")
        .assert()
        .code(2)
        .stderr(contains("specs/checkout-redesign.md already exists"));
    assert_eq!(std::fs::read(fx.path(&path)).unwrap(), before);
}

#[test]
fn awkward_titles_make_safe_paths_and_valid_front_matter() {
    let fx = fx();
    let long = "A very long title ".repeat(17);
    for (title, path) in [
        ("Refunds / chargebacks", "specs/refunds-chargebacks.md"),
        ("../../etc/passwd", "specs/etc-passwd.md"),
        ("Launch 🚀 plan", "specs/launch-rocket-plan.md"),
        ("日本語の仕様", "specs/ri-ben-yu-noshi-yang.md"),
        ("He said: \"no\" # really", "specs/he-said-no-really.md"),
    ] {
        let created = new(&fx, &["spec", title]);
        assert_eq!(created["path"], path, "{title}");
        assert_eq!(fx.json(&["show", path])["title"], title);
    }
    let created = new(&fx, &["spec", &long]);
    let path = created["path"].as_str().unwrap();
    assert!(path.len() <= "specs/".len() + 60 + 3, "{path}");
    assert_eq!(fx.json(&["show", path])["title"], long.trim());
    assert_eq!(long.len(), 306);
}

#[test]
fn an_empty_title_is_refused() {
    fx().kb(&["new", "spec", "  "])
        .env("KB_USER", "dana")
        .assert()
        .code(2)
        .stderr(contains("the title is empty"));
}

#[test]
fn an_unknown_type_lists_the_known_ones() {
    fx().kb(&["new", "novel", "X"])
        .env("KB_USER", "dana")
        .assert()
        .code(2)
        .stderr(contains("unknown doc type \"novel\""))
        .stderr(contains("rca"))
        .stderr(contains("spec"));
}

#[test]
fn dry_run_writes_nothing() {
    let fx = fx();
    let out = fx
        .kb(&["new", "rca", "Outage", "--dry-run"])
        .env("KB_USER", "dana")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert!(String::from_utf8(out).unwrap().starts_with("---\n"));
    assert!(!fx.path("rca").exists());
    let json = new(&fx, &["rca", "Outage", "--dry-run"]);
    assert_eq!(json["written"], false);
    assert!(json["content"].as_str().unwrap().contains("RCA-0001"));
    assert!(!fx.path("rca").exists());
}

#[test]
fn print_path_prints_only_the_path() {
    let fx = fx();
    let out = fx
        .kb(&["new", "playbook", "On-call", "--print-path"])
        .env("KB_USER", "dana")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap(), "playbooks/on-call.md\n");
}

#[test]
fn owner_tags_parent_and_set_reach_the_doc() {
    let fx = fx();
    new(
        &fx,
        &[
            "rca",
            "Outage",
            "--owner",
            "sam",
            "--tag",
            "payments",
            "--tag",
            "sev",
            "--set",
            "severity=sev1",
        ],
    );
    let d = fx.json(&["show", "RCA-0001"]);
    assert_eq!(d["owner"], "sam");
    assert_eq!(d["fields"]["author"], "dana");
    assert_eq!(d["tags"], serde_json::json!(["payments", "sev"]));
    assert_eq!(d["fields"]["severity"], "sev1");
    new(&fx, &["goal", "Faster API", "--parent", "eng-q4"]);
    assert_eq!(
        fx.json(&["show", "faster-api"])["fields"]["parent"],
        "eng-q4"
    );
}

#[test]
fn author_from_git_identity_mapped_through_people_emails() {
    let fx = fx().file(
        "people/dana.md",
        "---\ntitle: Dana W\nhandle: dana\nemail: Dana@Acme.example\n---\n",
    );
    let repo = git2::Repository::init(fx.root()).unwrap();
    let mut config = repo.config().unwrap();
    config.set_str("user.name", "Dana Whitfield").unwrap();
    config.set_str("user.email", "dana@acme.example").unwrap();
    fx.kb(&["new", "spec", "From git"]).assert().success();
    assert_eq!(fx.json(&["show", "From git"])["fields"]["author"], "dana");
}

#[test]
fn commit_makes_exactly_one_commit_of_the_new_file() {
    let fx = fx().file("other.md", "# staged but not ours\n");
    let repo = git2::Repository::init(fx.root()).unwrap();
    let mut config = repo.config().unwrap();
    config.set_str("user.name", "Sam Lee").unwrap();
    config.set_str("user.email", "sam@acme.example").unwrap();
    let mut index = repo.index().unwrap();
    index.add_path(std::path::Path::new("other.md")).unwrap();
    index.write().unwrap();

    fx.kb(&["new", "spec", "Committed spec", "--commit"])
        .assert()
        .success()
        .stdout(contains("committed as"));
    let head = repo.head().unwrap().peel_to_commit().unwrap();
    assert_eq!(head.parent_count(), 0, "exactly one commit");
    assert_eq!(head.author().name().ok(), Some("Sam Lee"));
    assert_eq!(head.author().email().ok(), Some("sam@acme.example"));
    let tree = head.tree().unwrap();
    let names: Vec<String> = tree.iter().map(|e| e.name().unwrap().to_string()).collect();
    assert_eq!(names, vec!["specs"]);
    assert!(tree
        .get_path(std::path::Path::new("specs/committed-spec.md"))
        .is_ok());
    // The other staged file stays staged, uncommitted.
    let statuses = repo.statuses(None).unwrap();
    let other = statuses
        .iter()
        .find(|s| s.path().ok() == Some("other.md"))
        .unwrap();
    assert!(other.status().contains(git2::Status::INDEX_NEW));
}

#[test]
fn commit_outside_git_is_a_clear_error() {
    fx().kb(&["new", "spec", "X", "--commit"])
        .env("KB_USER", "d")
        .assert()
        .code(2)
        .stderr(contains("git init"));
}

#[test]
fn an_override_template_wins_and_is_listed() {
    let fx = fx().file(
        ".kb/templates/spec.md",
        "---\ntitle: {{ title | yaml }}\ntype: spec\nowner: {{ owner | yaml }}\nteam: {{ team }}\n---\n# {{ title }}\n\nOur own spec format.\n",
    );
    new(&fx, &["spec", "Ours", "--set", "team=payments"]);
    let d = fx.json(&["show", "Ours"]);
    assert_eq!(d["fields"]["team"], "payments");
    assert!(d["body"].as_str().unwrap().contains("Our own spec format."));
    let listing = fx.json(&["templates", "list"]);
    let spec = listing["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "spec")
        .unwrap()
        .clone();
    assert_eq!(spec["source"], ".kb/templates/spec.md");
    assert_eq!(spec["type"], "spec");
    let rca = listing["templates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "rca")
        .unwrap()
        .clone();
    assert_eq!(rca["source"], "built-in");
    assert!(fx
        .stdout(&["templates", "show", "spec"])
        .contains("Our own spec format."));
}

#[test]
fn a_broken_override_names_the_template_file_and_line() {
    let fx = fx().file(
        ".kb/templates/rca.md",
        "---\ntitle: {{ title | yaml }}\n{% if %}\n---\n",
    );
    fx.kb(&["new", "rca", "X"])
        .env("KB_USER", "dana")
        .assert()
        .code(2)
        .stderr(contains("template error"))
        .stderr(contains(".kb/templates/rca.md:3"));
    assert!(!fx.path("rca").exists());
}

#[test]
fn an_override_that_breaks_the_schema_is_refused() {
    let fx = fx().file(
        ".kb/templates/rca.md",
        "---\ntitle: {{ title | yaml }}\ntype: rca\n---\n# x\n",
    );
    fx.kb(&["new", "rca", "X"])
        .env("KB_USER", "dana")
        .assert()
        .code(2)
        .stderr(contains("breaks the rca schema"))
        .stderr(contains("owner"));
}

#[test]
fn templates_show_every_built_in() {
    let fx = fx();
    for t in TYPES {
        let text = fx.stdout(&["templates", "show", t]);
        assert!(text.starts_with("---\n"), "{t}");
    }
    fx.kb(&["templates", "show", "nope"])
        .assert()
        .code(2)
        .stderr(contains("the templates are"));
}

#[test]
fn without_any_identity_new_says_how_to_set_one() {
    let fx = fx();
    kb_in(fx.root())
        .args(["new", "spec", "X"])
        .assert()
        .code(2)
        .stderr(contains("KB_USER"));
}

#[test]
fn a_multi_line_title_is_refused_and_edit_without_an_editor_writes_nothing() {
    let fx = fx();
    fx.kb(&["new", "spec", "one\ntwo"])
        .env("KB_USER", "d")
        .assert()
        .code(2)
        .stderr(contains("one line"));
    fx.kb(&["new", "spec", "Edited", "--edit"])
        .env("KB_USER", "d")
        .assert()
        .code(2)
        .stderr(contains("VISUAL or EDITOR"));
    assert!(!fx.path("specs/edited.md").exists());
}

#[test]
fn files_are_readable_by_others() {
    use std::os::unix::fs::PermissionsExt;
    let fx = fx();
    new(&fx, &["spec", "Shared"]);
    let mode = std::fs::metadata(fx.path("specs/shared.md"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o044, 0o044, "{mode:o}");
}

#[test]
fn a_type_from_kb_yaml_without_a_template_gets_a_generic_one_that_checks_clean() {
    let fx = Fixture::new().file(
        "kb.yaml",
        "name: Test\ntypes:\n  vendor:\n    folder: vendors\n    required: [title, owner, renewal, tier]\n    fields: {renewal: date, tier: {enum: [gold, silver]}, seats: number}\n  contract:\n    folder: contracts\n    required: [title, vendor]\n    fields: {vendor: doc}\n",
    );
    fx.kb(&["new", "vendor", "Acme", "--set", "seats=12"])
        .env("KB_USER", "dana")
        .assert()
        .success()
        .stdout(contains("Created vendors/acme.md"))
        .stderr(contains("note: vendor has no template"))
        .stderr(contains(".kb/templates/vendor.md"));
    let doc = fx.json(&["show", "vendors/acme.md"]);
    assert_eq!(doc["type"], "vendor");
    assert_eq!(doc["title"], "Acme");
    let f = &doc["fields"];
    assert_eq!(f["owner"], "dana");
    assert_eq!(f["renewal"], "2026-11-25");
    assert_eq!(f["tier"], "gold");
    assert_eq!(f["seats"], 12);

    // A doc reference cannot be guessed: without --set, kb says which field to give.
    fx.kb(&["new", "contract", "Acme 2027"])
        .env("KB_USER", "dana")
        .assert()
        .code(2)
        .stderr(contains("needs `vendor`"))
        .stderr(contains("--set"));
    assert!(!fx.path("contracts").exists());
    let created = new(
        &fx,
        &["contract", "Acme 2027", "--set", "vendor=vendors/acme.md"],
    );
    assert_eq!(created["path"], "contracts/acme-2027.md");
    fx.kb(&["check"]).assert().success();
}

#[test]
fn a_kb_yaml_type_without_a_template_lists_and_shows_its_generic_one() {
    let fx = Fixture::bare().file(
        "kb.yaml",
        "name: T\ntypes:\n  vendor:\n    folder: vendors\n    required: [title, owner, renewal]\n    fields: {renewal: date}\n",
    );
    let list = fx.stdout(&["templates", "list"]);
    assert!(
        list.contains("vendor      vendor      generic (from kb.yaml's fields)"),
        "{list}"
    );
    let shown = fx.stdout(&["templates", "show", "vendor"]);
    assert!(shown.contains("renewal:"), "{shown}");
}
