//! Goal rules: goals and check-ins that cannot be read, numbers the rollup cannot use (negative
//! or non-finite weights, NaN values), parents that do not exist, parent links that form a
//! cycle, and check-ins about goals or key results that do not exist.

use super::docs::BAD_FIELD_KIND;
use super::{Code, Context, Finding, Rule, Severity};
use std::collections::HashMap;

/// Numbers the rollup cannot use are `bad-field-kind`, a code of the docs rules.
pub const RULE: Rule = Rule {
    codes: &[
        BAD_GOAL,
        GOAL_PARENT_MISSING,
        GOAL_CYCLE,
        CHECKIN_UNKNOWN_GOAL,
        CHECKIN_UNKNOWN_KR,
    ],
    run: goals,
};

pub const BAD_GOAL: Code = Code {
    code: "bad-goal",
    severity: Severity::Error,
    summary: "a goal or check-in that cannot be read (period, key results)",
    hint: "fix the goal's front-matter",
};
pub const GOAL_PARENT_MISSING: Code = Code {
    code: "goal-parent-missing",
    severity: Severity::Warning,
    summary: "a goal whose parent goal does not exist",
    hint: "use an existing goal's id, or remove `parent:` to make this a top-level goal",
};
pub const GOAL_CYCLE: Code = Code {
    code: "goal-cycle",
    severity: Severity::Error,
    summary: "goals whose parents form a cycle",
    hint: "a goal's `parent` must lead up to a root; change one `parent:` on the cycle",
};
pub const CHECKIN_UNKNOWN_GOAL: Code = Code {
    code: "checkin-unknown-goal",
    severity: Severity::Error,
    summary: "a check-in about a goal that does not exist",
    hint: "use the goal's `id:`; `kb goals tree` lists them",
};
pub const CHECKIN_UNKNOWN_KR: Code = Code {
    code: "checkin-unknown-kr",
    severity: Severity::Error,
    summary: "a check-in about a key result the goal does not have",
    hint: "use one of the goal's key results",
};

fn goals(ctx: &Context, out: &mut Vec<Finding>) {
    bad_numbers(ctx, out);
    use rayon::prelude::*;
    let data = crate::goals::from_documents(ctx.kb, ctx.docs.par_iter().map(|d| &d.doc));
    let line_of = |path: &str, key: &str| {
        ctx.by_path
            .get(path)
            .map_or(1, |&i| ctx.docs[i].field_line(key))
    };
    for p in &data.problems {
        out.push(BAD_GOAL.at(
            &p.path,
            line_of(&p.path, "period"),
            1,
            p.message.clone(),
            p.message.clone(),
        ));
    }
    let by_id: HashMap<&str, &crate::goals::Goal> =
        data.goals.iter().map(|g| (g.id.as_str(), g)).collect();
    for g in &data.goals {
        if let Some(parent) = g.parent.as_deref().filter(|p| !by_id.contains_key(p)) {
            out.push(GOAL_PARENT_MISSING.at(
                &g.path,
                line_of(&g.path, "parent"),
                1,
                format!("goal {} names parent {parent}, which does not exist", g.id),
                parent,
            ));
        }
    }
    for cycle in cycles(&data.goals, &by_id) {
        for id in &cycle {
            let g = by_id[id.as_str()];
            out.push(GOAL_CYCLE.at(
                &g.path,
                line_of(&g.path, "parent"),
                1,
                format!("goal parents form a cycle: {}", cycle.join(" -> ")),
                cycle.join(","),
            ));
        }
    }
    for c in &data.checkins {
        for (gid, report) in &c.goals {
            let Some(g) = by_id.get(gid.as_str()) else {
                out.push(CHECKIN_UNKNOWN_GOAL.at(
                    &c.path,
                    line_of(&c.path, "goals"),
                    1,
                    format!("check-in names goal {gid}, which does not exist"),
                    gid.clone(),
                ));
                continue;
            };
            for kr in report
                .key_results
                .keys()
                .filter(|kr| !g.key_results.iter().any(|k| &k.id == *kr))
            {
                let valid: Vec<&str> = g.key_results.iter().map(|k| k.id.as_str()).collect();
                out.push(
                    CHECKIN_UNKNOWN_KR
                        .at(
                            &c.path,
                            line_of(&c.path, "goals"),
                            1,
                            format!("check-in names key result {kr} of goal {gid}, which has no such key result"),
                            format!("{gid}.{kr}"),
                        )
                        .with_hint(format!("its key results are: {}", valid.join(", "))),
                );
            }
        }
    }
}

/// Numbers the rollup ignores (a bad weight counts as 1, a bad value as none), at their line.
fn bad_numbers(ctx: &Context, out: &mut Vec<Finding>) {
    for d in &ctx.docs {
        let bad = crate::goals::bad_numbers(&d.doc);
        if bad.is_empty() {
            continue;
        }
        // Rules keep no file text; the few docs with a bad number are read again for its line.
        let text = ctx.kb.read_walked(d.doc.path.clone()).map(|s| s.text).ok();
        for b in bad {
            let top = d.field_line(&b.keys[0]);
            let line = text
                .as_deref()
                .and_then(|t| nested_line(t, top, &b.keys[1..]))
                .unwrap_or(top);
            out.push(
                BAD_FIELD_KIND
                    .at(&d.doc.path, line, 1, b.message, b.keys.join("."))
                    .with_hint(
                        "write a finite number (a weight 0 or more); the rollup ignores this one",
                    ),
            );
        }
    }
}

/// The line of a nested field: from the line of its top-level key (1-based), each of `keys`
/// in turn as a whole word (a key, or a key result's id), the last one followed by `:`. Block
/// and flow YAML both work; `None` when the last key is not found.
fn nested_line(text: &str, top: usize, keys: &[String]) -> Option<usize> {
    let mut at: usize = text
        .split_inclusive('\n')
        .take(top.saturating_sub(1))
        .map(str::len)
        .sum();
    for (i, key) in keys.iter().enumerate() {
        let last = i + 1 == keys.len();
        match find_word(&text[at..], key, last) {
            Some(offset) => at += offset,
            None if last => return None,
            // A key result without an `id:` is named kr1, kr2... in kb only.
            None => {}
        }
    }
    Some(text[..at].matches('\n').count() + 1)
}

/// The offset of `word` in `text` standing alone (not inside a longer name), followed by `:` if
/// `key` (after an optional closing quote and spaces).
fn find_word(text: &str, word: &str, key: bool) -> Option<usize> {
    let name_char = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut from = 0;
    while let Some(i) = text[from..].find(word).map(|i| i + from) {
        let before = text[..i].chars().next_back();
        let rest = &text[i + word.len()..];
        let alone = !before.is_some_and(name_char) && !rest.chars().next().is_some_and(name_char);
        let colon = rest
            .trim_start_matches(['"', '\''])
            .trim_start_matches([' ', '\t']);
        if alone && (!key || colon.starts_with(':')) {
            return Some(i);
        }
        from = i + word.len();
    }
    None
}

/// Each cycle of parent links once, its ids sorted.
fn cycles(
    goals: &[crate::goals::Goal],
    by_id: &HashMap<&str, &crate::goals::Goal>,
) -> Vec<Vec<String>> {
    let mut found: Vec<Vec<String>> = Vec::new();
    for g in goals {
        let mut path: Vec<&str> = vec![&g.id];
        let mut at = g;
        while let Some(parent) = at.parent.as_deref().and_then(|p| by_id.get(p)) {
            if let Some(pos) = path.iter().position(|id| *id == parent.id) {
                let mut cycle: Vec<String> = path[pos..].iter().map(|s| s.to_string()).collect();
                cycle.sort();
                if !found.contains(&cycle) {
                    found.push(cycle);
                }
                break;
            }
            if path.len() > goals.len() {
                break;
            }
            path.push(&parent.id);
            at = parent;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::nested_line;

    fn keys(k: &[&str]) -> Vec<String> {
        k.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn nested_lines_in_block_and_flow_yaml() {
        let text = "---\ntitle: weight loss\nkey_results:\n  - id: a\n    weight: 1\n  - {id: b, target: 5, weight: -1}\n  - id: c\n    weight: .nan\n---\n";
        assert_eq!(nested_line(text, 3, &keys(&["a", "weight"])), Some(5));
        assert_eq!(nested_line(text, 3, &keys(&["b", "weight"])), Some(6));
        assert_eq!(nested_line(text, 3, &keys(&["c", "weight"])), Some(8));
        assert_eq!(nested_line(text, 3, &keys(&["kr9", "start"])), None);
        let checkin =
            "---\ngoals:\n  eng:\n    confidence: x\n    key_results: {p99: .nan, p9: 1}\n---\n";
        let path = keys(&["eng", "key_results", "p99"]);
        assert_eq!(nested_line(checkin, 2, &path), Some(5));
        assert_eq!(
            nested_line(checkin, 2, &keys(&["eng", "confidence"])),
            Some(4)
        );
    }
}

#[cfg(test)]
mod rule_tests {
    use super::RULE;
    use crate::check::testing::{found, run};

    fn goal(id: &str, extra: &str) -> String {
        format!(
            "---\ntype: goal\nid: {id}\ntitle: {id}\nowner: dana\nperiod: 2026-Q4\n{extra}---\n"
        )
    }

    #[test]
    fn parents_cycles_periods_and_checkins() {
        let a = goal(
            "a",
            "parent: b\nkey_results: [{id: x, kind: metric, start: 0, target: 10}]\n",
        );
        let b = goal("b", "parent: a\n");
        let orphan = goal("orphan", "parent: ghost\n");
        let bad = "---\ntype: goal\nid: bad\ntitle: Bad\nowner: dana\nperiod: someday\n---\n";
        let checkin = "---\ntype: checkin\nauthor: dana\ndate: 2026-11-24\ngoals:\n  a: {key_results: {x: 3, y: 4}}\n  nope: {status: on-track}\n---\n";
        let got = run(
            &RULE,
            &[
                ("goals/a.md", &a),
                ("goals/b.md", &b),
                ("goals/orphan.md", &orphan),
                ("goals/bad.md", bad),
                ("goals/checkins/2026-11-24-dana.md", checkin),
            ],
        );
        assert_eq!(
            got,
            found(&[
                ("goal-cycle", "goals/a.md:7"),
                ("goal-cycle", "goals/b.md:7"),
                ("goal-parent-missing", "goals/orphan.md:7"),
                ("bad-goal", "goals/bad.md:6"),
                (
                    "checkin-unknown-goal",
                    "goals/checkins/2026-11-24-dana.md:5"
                ),
                ("checkin-unknown-kr", "goals/checkins/2026-11-24-dana.md:5"),
            ])
        );
    }

    #[test]
    fn numbers_the_rollup_cannot_use() {
        let g = goal(
            "g",
            "key_results:\n  - id: k\n    target: 10\n    weight: -1\n",
        );
        assert_eq!(
            run(&RULE, &[("goals/g.md", &g)]),
            found(&[("bad-field-kind", "goals/g.md:10")])
        );
    }
}
