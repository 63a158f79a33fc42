//! The org chart's rules: `manager-unknown` (a manager or hiring manager who is not in people/),
//! `manager-cycle` (managers that lead back to the person) and `person-duplicate-handle`. The
//! chart is read by `people::People`, the same reading `kb org` draws, so the two agree.

use super::{Code, Context, Finding, Rule, Severity};
use crate::people::{People, Problem};

pub const RULE: Rule = Rule {
    codes: &[MANAGER_UNKNOWN, MANAGER_CYCLE, PERSON_DUPLICATE_HANDLE],
    run: org,
};

pub const MANAGER_UNKNOWN: Code = Code {
    code: "manager-unknown",
    severity: Severity::Error,
    summary: "a person's manager, or a role's hiring manager, who is not in people/",
    hint: "use the handle of a person in people/ (`kb people` lists them), or add their page",
};

pub const MANAGER_CYCLE: Code = Code {
    code: "manager-cycle",
    severity: Severity::Error,
    summary: "people whose managers lead back to themselves",
    hint: "one person on the cycle reports to someone outside it, or to no one (the top)",
};

pub const PERSON_DUPLICATE_HANDLE: Code = Code {
    code: "person-duplicate-handle",
    severity: Severity::Error,
    summary: "two person docs with the same handle",
    hint: "give each person their own handle, or merge the two pages",
};

fn org(ctx: &Context, out: &mut Vec<Finding>) {
    let chart = People::from_docs(ctx.docs.iter().map(|d| &d.doc));
    let line = |path: &str, field: &str| {
        ctx.by_path
            .get(path)
            .map_or(1, |&i| ctx.docs[i].field_line(field))
    };
    for problem in &chart.problems {
        match problem {
            Problem::DuplicateHandle {
                path,
                handle,
                first,
            } => out.push(
                PERSON_DUPLICATE_HANDLE
                    .at(
                        path,
                        line(path, "handle"),
                        1,
                        format!("handle {handle:?} is already {first}'s"),
                        handle.clone(),
                    )
                    .with_hint(format!(
                        "give this person another handle, or merge the page into {first}"
                    )),
            ),
            Problem::UnknownManager {
                path,
                field,
                manager,
            } => out.push(MANAGER_UNKNOWN.at(
                path,
                line(path, field),
                1,
                format!("`{field}` names {manager:?}, who has no page in people/"),
                format!("{field}={manager}"),
            )),
            Problem::Cycle { handles } => {
                let mut chain = handles.clone();
                chain.extend(handles.first().cloned());
                let shown = chain.join(" -> ");
                for h in handles {
                    let Some(p) = chart.get(h) else { continue };
                    out.push(MANAGER_CYCLE.at(
                        &p.path,
                        line(&p.path, "manager"),
                        1,
                        format!("managers go round in a cycle: {shown}"),
                        shown.clone(),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::check::testing::{found, run};

    #[test]
    fn unknown_managers_cycles_and_duplicate_handles() {
        let person = |h: &str, m: &str| {
            format!("---\ntitle: {h}\ntype: person\nhandle: {h}\nmanager: {m}\n---\n")
        };
        let (a, b, c, d) = (
            person("a", "b"),
            person("b", "a"),
            person("c", "ghost"),
            person("c", "a"),
        );
        let got = run(
            &RULE,
            &[
                ("people/a.md", &a),
                ("people/b.md", &b),
                ("people/c.md", &c),
                ("people/c2.md", &d),
                ("people/top.md", "---\ntitle: Top\ntype: person\n---\n"),
                (
                    "roles/sre.md",
                    "---\ntitle: SRE\ntype: role\nhiring_manager: nobody\n---\n",
                ),
                (
                    "roles/ok.md",
                    "---\ntitle: OK\ntype: role\nhiring_manager: top\n---\n",
                ),
            ],
        );
        assert_eq!(
            got,
            found(&[
                ("manager-cycle", "people/a.md:5"),
                ("manager-cycle", "people/b.md:5"),
                ("manager-unknown", "people/c.md:5"),
                ("person-duplicate-handle", "people/c2.md:4"),
                ("manager-unknown", "roles/sre.md:4"),
            ])
        );
    }
}
