//! Goal rules: goals and check-ins that cannot be read, parents that do not exist, parent links
//! that form a cycle, and check-ins about goals or key results that do not exist.

use super::{finding, Context, Finding, Rule, Severity};
use std::collections::HashMap;

pub const GOALS: Rule = Rule {
    code: "goal-parent-missing",
    severity: Severity::Warning,
    summary: "goal parents missing or cyclic; check-ins naming unknown goals or key results",
    run: goals,
};

fn goals(ctx: &Context, out: &mut Vec<Finding>) {
    let data = crate::goals::load(ctx.kb);
    let line_of = |path: &str, key: &str| {
        ctx.by_path
            .get(path)
            .map_or(1, |&i| ctx.docs[i].field_line(key))
    };
    for p in &data.problems {
        out.push(finding(
            "bad-goal",
            &p.path,
            line_of(&p.path, "period"),
            1,
            p.message.clone(),
            "fix the goal's front-matter",
            p.message.clone(),
        ));
    }
    let by_id: HashMap<&str, &crate::goals::Goal> =
        data.goals.iter().map(|g| (g.id.as_str(), g)).collect();
    for g in &data.goals {
        if let Some(parent) = g.parent.as_deref().filter(|p| !by_id.contains_key(p)) {
            out.push(finding(
                "goal-parent-missing",
                &g.path,
                line_of(&g.path, "parent"),
                1,
                format!("goal {} names parent {parent}, which does not exist", g.id),
                "use an existing goal's id, or remove `parent:` to make this a top-level goal",
                parent.to_string(),
            ));
        }
    }
    for cycle in cycles(&data.goals, &by_id) {
        for id in &cycle {
            let g = by_id[id.as_str()];
            out.push(finding(
                "goal-cycle",
                &g.path,
                line_of(&g.path, "parent"),
                1,
                format!("goal parents form a cycle: {}", cycle.join(" -> ")),
                "a goal's `parent` must lead up to a root; change one `parent:` on the cycle",
                cycle.join(","),
            ));
        }
    }
    for c in &data.checkins {
        for (gid, report) in &c.goals {
            let Some(g) = by_id.get(gid.as_str()) else {
                out.push(finding(
                    "checkin-unknown-goal",
                    &c.path,
                    line_of(&c.path, "goals"),
                    1,
                    format!("check-in names goal {gid}, which does not exist"),
                    "use the goal's `id:`; `kb goals tree` lists them",
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
                out.push(finding(
                    "checkin-unknown-kr",
                    &c.path,
                    line_of(&c.path, "goals"),
                    1,
                    format!("check-in names key result {kr} of goal {gid}, which has no such key result"),
                    &format!("its key results are: {}", valid.join(", ")),
                    format!("{gid}.{kr}"),
                ));
            }
        }
    }
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
