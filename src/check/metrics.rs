//! Metric readings (DESIGN §16): a reading of a metric no doc defines, and a value that is not
//! a number, so the scoreboard never silently drops one.

use super::{Code, Context, Finding, Rule, Severity};

pub const RULE: Rule = Rule {
    codes: &[
        READING_UNKNOWN_METRIC,
        READING_NOT_A_NUMBER,
        KR_UNKNOWN_METRIC,
    ],
    run: readings,
};

pub const READING_UNKNOWN_METRIC: Code = Code {
    code: "reading-unknown-metric",
    severity: Severity::Error,
    summary: "a reading of a metric that no `type: metric` doc defines",
    hint: "use the id of a metric doc (its `id:`, else its file name), or define the metric",
};

pub const READING_NOT_A_NUMBER: Code = Code {
    code: "reading-not-a-number",
    severity: Severity::Error,
    summary: "a reading whose value is not a number (or a reading file without author or date)",
    hint: "write the value as a number, e.g. `mrr: 958000` or `p99: {value: 412, note: ...}`",
};

pub const KR_UNKNOWN_METRIC: Code = Code {
    code: "kr-unknown-metric",
    severity: Severity::Error,
    summary: "a goal's key result takes its values from a metric no doc defines (`metric: ID`)",
    hint: "use the id of a metric doc (its `id:`, else its file name)",
};

/// The `metric:` of each key result of a goal doc.
fn kr_metrics(doc: &crate::doc::Document) -> Vec<String> {
    let krs = doc.fields.value("key_results");
    let Some(krs) = krs.as_deref().and_then(|v| v.as_array()) else {
        return Vec::new();
    };
    krs.iter()
        .filter_map(|kr| kr.get("metric").and_then(crate::doc::scalar_string))
        .collect()
}

fn readings(ctx: &Context, out: &mut Vec<Finding>) {
    let fed: Vec<(&str, String)> = ctx
        .docs
        .iter()
        .filter(|d| d.doc.doc_type.as_deref() == Some("goal"))
        .flat_map(|d| {
            kr_metrics(&d.doc)
                .into_iter()
                .map(move |m| (d.doc.path.as_str(), m))
        })
        .collect();
    let has = |t: &str| {
        ctx.docs
            .iter()
            .any(|d| d.doc.doc_type.as_deref() == Some(t))
    };
    if !has("reading") && fed.is_empty() {
        return;
    }
    let data = crate::metrics::load(ctx.kb);
    for (path, metric) in &fed {
        if data.metrics.iter().any(|m| &m.id == metric) {
            continue;
        }
        let line = ctx
            .by_path
            .get(*path)
            .map_or(1, |&i| ctx.docs[i].field_line("key_results"));
        out.push(KR_UNKNOWN_METRIC.at(
            path,
            line,
            1,
            format!("key result takes its values from `{metric}`, which no metric doc defines"),
            metric.clone(),
        ));
    }
    let line = |path: &str, metric: Option<&str>| {
        let Some(&i) = ctx.by_path.get(path) else {
            return 1;
        };
        let info = &ctx.docs[i];
        metric
            .and_then(|m| metric_line(ctx.kb, path, m))
            .unwrap_or_else(|| info.field_line("metrics"))
    };
    for r in data.unknown() {
        out.push(READING_UNKNOWN_METRIC.at(
            &r.path,
            line(&r.path, Some(&r.metric)),
            1,
            format!("reading of `{}`, which no metric doc defines", r.metric),
            r.metric.clone(),
        ));
    }
    for p in &data.problems {
        out.push(READING_NOT_A_NUMBER.at(
            &p.path,
            line(&p.path, p.metric.as_deref()),
            1,
            p.message.clone(),
            p.metric.clone().unwrap_or_default(),
        ));
    }
}

/// The line of `metric:` under `metrics:` in a reading file.
fn metric_line(kb: &crate::kb::Kb, path: &str, metric: &str) -> Option<usize> {
    let text = kb.read_doc_text(path)?;
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("metrics:") {
            inside = true;
            continue;
        }
        if inside {
            if !line.starts_with([' ', '\t']) {
                return None;
            }
            let key = line.trim_start().split(':').next().unwrap_or("");
            if key.trim_matches(['"', '\'']) == metric {
                return Some(i + 1);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::RULE;
    use crate::check::testing::{found, run};

    #[test]
    fn unknown_metrics_and_non_numbers() {
        let files = [
            ("metrics/mrr.md", "---\ntype: metric\ntitle: MRR\n---\n# MRR\n"),
            (
                "metrics/readings/2026/2026-11-20-dana.md",
                "---\ntype: reading\nauthor: dana\ndate: 2026-11-20\nmetrics:\n  mrr: 100\n  nrr: 104\n  mrr2: lots\n---\n",
            ),
        ];
        assert_eq!(
            run(&RULE, &files),
            found(&[
                (
                    "reading-unknown-metric",
                    "metrics/readings/2026/2026-11-20-dana.md:7"
                ),
                (
                    "reading-not-a-number",
                    "metrics/readings/2026/2026-11-20-dana.md:8"
                ),
            ])
        );
    }

    #[test]
    fn key_results_naming_unknown_metrics() {
        let metric = (
            "metrics/mrr.md",
            "---\ntype: metric\ntitle: MRR\n---\n# MRR\n",
        );
        let goal = "---\ntype: goal\nid: g\ntitle: G\nowner: dana\nperiod: 2026-Q4\nkey_results:\n  - {id: a, target: 1, metric: mrr}\n  - {id: b, target: 1, metric: arr}\n---\n";
        assert_eq!(
            run(&RULE, &[metric, ("goals/g.md", goal)]),
            found(&[("kr-unknown-metric", "goals/g.md:7")])
        );
    }
}
