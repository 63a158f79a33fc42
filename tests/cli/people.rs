//! `kb people` and `kb org`: person docs, the reporting tree with open roles as seats, its
//! problems reported by `kb check` while the rest is still drawn, and diagrams their own tools
//! accept.

use crate::Fixture;
use predicates::str::contains;

fn person(handle: &str, name: &str, manager: Option<&str>, team: &str) -> String {
    format!(
        "---\ntype: person\ntitle: {name}\nhandle: {handle}\nname: {name}\nrole: Engineer\nteam: {team}\n{}timezone: Europe/Berlin\nemail: {handle}@x.example\n---\n# {name}\n",
        manager.map_or(String::new(), |m| format!("manager: {m}\n"))
    )
}

/// Maya runs the company; Dana reports to her, Lena and Sam to Dana; one open role under Dana,
/// one filled role.
fn company() -> Fixture {
    Fixture::new()
        .file("people/maya.md", &person("maya", "Maya Lind", None, "leadership"))
        .file("people/dana.md", &person("dana", "Dana Reyes", Some("maya"), "eng"))
        .file("people/lena.md", &person("lena", "Lena Vogel", Some("dana"), "eng"))
        .file("people/sam.md", &person("sam", "Sam \"Ade\" O'Neil", Some("dana"), "sre"))
        .file(
            "roles/sre.md",
            "---\ntype: role\ntitle: Senior SRE\nteam: sre\nhiring_manager: dana\nstatus: interviewing\nopened: 2026-11-01\n---\n# Senior SRE\n",
        )
        .file(
            "roles/old.md",
            "---\ntype: role\ntitle: Old role\nhiring_manager: dana\nstatus: filled\n---\n",
        )
}

#[test]
fn people_lists_and_filters() {
    let fx = company();
    let json = fx.json(&["people"]);
    assert_eq!(json["schema_version"], 1);
    let handles: Vec<&str> = json["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["handle"].as_str().unwrap())
        .collect();
    assert_eq!(handles, ["dana", "lena", "maya", "sam"]);
    let dana = &json["people"][0];
    for key in [
        "name", "role", "team", "manager", "timezone", "email", "path",
    ] {
        assert!(dana.get(key).is_some(), "{key}");
    }
    assert_eq!(dana["path"], "people/dana.md");
    let sre = fx.json(&["people", "--team", "SRE"]);
    assert_eq!(sre["people"].as_array().unwrap().len(), 1);
    let reports = fx.stdout(&["people", "--manager", "dana"]);
    assert!(reports.contains("lena") && reports.contains("sam") && !reports.contains("maya"));
    let md = fx.stdout(&["people", "--format", "md"]);
    assert!(
        md.contains("| `lena` | [Lena Vogel](people/lena.md) |"),
        "{md}"
    );
}

#[test]
fn org_draws_the_tree_with_open_seats() {
    let fx = company();
    let text = fx.stdout(&["org"]);
    assert_eq!(
        text,
        concat!(
            "4 people, 1 open role\n\n",
            "Maya Lind (maya)  Engineer · leadership · Europe/Berlin\n",
            "└─ Dana Reyes (dana)  Engineer · eng · Europe/Berlin\n",
            "   ├─ Lena Vogel (lena)  Engineer · eng · Europe/Berlin\n",
            "   ├─ Sam \"Ade\" O'Neil (sam)  Engineer · sre · Europe/Berlin\n",
            "   └─ open: Senior SRE  sre · interviewing  roles/sre.md\n",
        )
    );
    let json = fx.json(&["org"]);
    assert_eq!(json["roots"], serde_json::json!(["maya"]));
    assert_eq!(json["people"][1]["handle"], "dana");
    assert_eq!(
        json["people"][1]["reports"],
        serde_json::json!(["lena", "sam"])
    );
    assert_eq!(
        json["roles"].as_array().unwrap().len(),
        1,
        "a filled role is no seat"
    );
    assert_eq!(json["roles"][0]["hiring_manager"], "dana");
    assert_eq!(json["roles"][0]["status"], "interviewing");
    let sub = fx.json(&["org", "dana"]);
    assert_eq!(sub["roots"], serde_json::json!(["dana"]));
    assert_eq!(sub["people"].as_array().unwrap().len(), 3);
    let md = fx.stdout(&["org", "--format", "md"]);
    assert!(
        md.contains("- [Maya Lind](people/maya.md) (`maya`)"),
        "{md}"
    );
    assert!(md.contains("\n    - [Lena Vogel](people/lena.md)"), "{md}");
    assert!(
        md.contains("_Open role:_ [Senior SRE](roles/sre.md)"),
        "{md}"
    );
}

#[test]
fn org_of_an_unknown_handle_or_a_kb_without_people_says_so() {
    company()
        .kb(&["org", "ghost"])
        .assert()
        .code(2)
        .stderr(contains("no person with the handle \"ghost\""))
        .stderr(contains("kb people"));
    let empty = Fixture::new().file("handbook/a.md", "# A\n");
    empty
        .kb(&["org"])
        .assert()
        .code(2)
        .stderr(contains("no person docs"))
        .stderr(contains("kb new person"));
    empty
        .kb(&["people"])
        .assert()
        .success()
        .stderr(contains("no person docs"));
}

#[test]
fn cycles_and_unknown_managers_are_check_errors_and_the_rest_is_drawn() {
    let fx = Fixture::new()
        .file("people/a.md", &person("a", "Ann", Some("b"), "x"))
        .file("people/b.md", &person("b", "Bo", Some("a"), "x"))
        .file("people/c.md", &person("c", "Cy", Some("a"), "x"))
        .file("people/d.md", &person("d", "Di", Some("ghost"), "x"))
        .file("people/d2.md", &person("d", "Dee", None, "x"));
    let check = fx.json_any(&["check"]);
    let mut codes: Vec<(String, String)> = check["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                format!("{}:{}", d["path"].as_str().unwrap(), d["line"]),
            )
        })
        .collect();
    codes.sort();
    assert_eq!(
        codes,
        [
            ("manager-cycle".to_string(), "people/a.md:8".to_string()),
            ("manager-cycle".to_string(), "people/b.md:8".to_string()),
            ("manager-unknown".to_string(), "people/d.md:8".to_string()),
            (
                "person-duplicate-handle".to_string(),
                "people/d2.md:4".to_string()
            ),
        ]
    );
    fx.kb(&["check"]).assert().code(1);
    let out = fx.kb(&["org"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(text.contains("Ann (a)") && text.contains("Bo (b)") && text.contains("Cy (c)"));
    assert!(
        text.contains("Di (d)"),
        "an unknown manager puts Di at the top: {text}"
    );
    assert!(err.contains("a -> b -> a"), "{err}");
    assert!(err.contains("ghost"), "{err}");
}

#[test]
fn mermaid_and_dot_escape_names_and_dot_accepts_the_graph() {
    let fx = company();
    let mermaid = fx.stdout(&["org", "--format", "mermaid"]);
    assert!(mermaid.starts_with("flowchart TD\n"), "{mermaid}");
    assert!(mermaid.contains("Sam #quot;Ade#quot; O'Neil"), "{mermaid}");
    assert!(mermaid.contains(":::open") && mermaid.contains("classDef open"));
    // Every edge joins nodes that were declared.
    let declared: Vec<&str> = mermaid
        .lines()
        .filter_map(|l| {
            l.trim()
                .split(['[', '('])
                .next()
                .filter(|_| l.contains('"'))
        })
        .collect();
    for edge in mermaid
        .lines()
        .filter(|l| l.contains("-->") || l.contains("-.->"))
    {
        for end in edge.split(['-', '>', '.']).map(str::trim) {
            if !end.is_empty() {
                assert!(declared.contains(&end), "{end} in {edge}");
            }
        }
    }
    let dot = fx.stdout(&["org", "--format", "dot"]);
    assert!(dot.starts_with("digraph org {") && dot.contains("Sam \\\"Ade\\\" O'Neil"));
    if std::process::Command::new("dot").arg("-V").output().is_ok() {
        use std::io::Write;
        let mut child = std::process::Command::new("dot")
            .arg("-Tsvg")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(dot.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("<svg"));
    }
}

#[test]
fn html_is_one_escaped_page() {
    let html = company().stdout(&["org", "--format", "html"]);
    assert!(html.starts_with("<!doctype html>"));
    assert!(
        html.contains("Sam &quot;Ade&quot; O&#x27;Neil"),
        "autoescaped"
    );
    assert!(html.contains("Open: Senior SRE"));
    assert!(
        !html.contains("<script") && !html.contains("http"),
        "self-contained"
    );
}

#[test]
fn new_role_scaffolds_a_job_description_and_interview_plan() {
    let fx = company();
    let out = fx
        .kb(&[
            "new",
            "role",
            "Staff Engineer",
            "--set",
            "hiring_manager=dana",
            "--set",
            "team=eng",
            "--print-path",
        ])
        .env("KB_USER", "dana")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let path = String::from_utf8(out).unwrap();
    let text = fx.read(path.trim());
    assert!(path.trim().starts_with("roles/"), "{path}");
    for part in [
        "hiring_manager: \"dana\"",
        "status: open",
        "## Interview plan",
        "## Scorecard",
        "## Must-haves",
    ] {
        assert!(text.contains(part), "{part}: {text}");
    }
    let json = fx.json(&["org"]);
    assert_eq!(json["roles"].as_array().unwrap().len(), 2);
    fx.kb(&["check"]).assert().success();
}

#[test]
fn a_filter_that_matches_nobody_says_so_and_exits_1() {
    let fx = crate::Fixture::new().file(
        "people/dana.md",
        "---\ntype: person\nhandle: dana\nname: Dana\nteam: eng\n---\n# Dana\n",
    );
    fx.kb(&["people", "--team", "sales"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("no person matches"));
    fx.kb(&["people", "--team", "eng"]).assert().success();
}
