//! Goals and check-ins: reading them from docs (this file), periods ([`period`]), and rolling
//! progress up the goal tree with pacing and staleness ([`rollup`]). Everything takes "today" as
//! an argument, so a report can be replayed at any date.

pub mod checkin;
pub mod compare;
pub mod period;
pub mod rollup;

use crate::doc::{scalar_string, Document};
use chrono::NaiveDate;
use period::Period;
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// Why a goal or check-in could not be used, with the doc to fix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct GoalProblem {
    pub path: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum State {
    Draft,
    Active,
    Done,
    Cancelled,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum KrKind {
    /// Progress from `start` to `target`; lower is better when target < start.
    Metric { start: f64, target: f64 },
    /// Done or not: `true`/`false`.
    Binary,
    /// Met when the value is at least (or at most) the target.
    Threshold { target: f64, at_most: bool },
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct KeyResult {
    pub id: String,
    pub title: String,
    pub kind: KrKind,
    pub unit: Option<String>,
    pub weight: f64,
    /// `metric: ID`: the key result takes its values from that metric's readings.
    pub metric: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Goal {
    pub id: String,
    pub title: String,
    pub path: String,
    pub level: Option<String>,
    pub owner: Option<String>,
    pub parent: Option<String>,
    pub period: Period,
    pub weight: f64,
    pub state: State,
    /// The score that counts as success: 1.0 committed, 0.7 aspirational.
    pub success: f64,
    pub key_results: Vec<KeyResult>,
    /// `created:`, when given: a report as of an earlier date leaves the goal out.
    pub created: Option<NaiveDate>,
}

/// A value reported for a key result.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[serde(untagged)]
pub enum KrValue {
    Number(f64),
    Bool(bool),
}

/// What one check-in says about one goal.
#[derive(Debug, Clone, Default, PartialEq, Serialize, serde::Deserialize)]
pub struct GoalReport {
    pub status: Option<String>,
    pub confidence: Option<f64>,
    pub progress: Option<f64>,
    pub key_results: BTreeMap<String, KrValue>,
    /// A `note:` on this goal in the front-matter.
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Checkin {
    pub path: String,
    pub author: String,
    pub date: NaiveDate,
    pub goals: BTreeMap<String, GoalReport>,
    /// The body without its `# Check-in: ...` title: what the author wrote about the goals it
    /// names (under a `## <goal title>` heading each when it names several).
    pub narrative: String,
    /// Made from metric readings for key results with `metric:`, not written by a person: it
    /// moves values, never the goal's last check-in.
    #[serde(skip)]
    pub from_readings: bool,
}

/// The goals and check-ins of a KB, and what could not be read of them.
#[derive(Debug, Default)]
pub struct GoalData {
    pub goals: Vec<Goal>,
    pub checkins: Vec<Checkin>,
    pub problems: Vec<GoalProblem>,
    pub doc_errors: Vec<crate::error::DocError>,
}

/// Reads the goal and check-in docs. Only their types' folders are walked (`goals/` holds both
/// by default): a report over 100k docs must not read the whole handbook.
pub fn load(kb: &crate::kb::Kb) -> GoalData {
    let folders = folders(kb);
    let mut data = GoalData::default();
    let fiscal = kb.config.goals.fiscal_year_start;
    for f in folders {
        // Each doc becomes a goal or check-in in the walker's thread; the parsed front-matter
        // is dropped at once, which keeps a 100k check-in report within memory.
        let cache = crate::cache::DocCache::<ReadDoc>::open(kb);
        let (found, walk_errors) = kb.walk_folder_with(&f, |rel| {
            let read = || {
                kb.read_metadata_with_body(rel, |doc, body| match goal_doc_type(&doc) {
                    Some("goal") => Some(goal_from_doc(&doc, fiscal).map(Read::Goal)),
                    Some("checkin") => Some(checkin_from_doc(&doc).map(|mut c| {
                        c.narrative = checkin::narrative(body).to_string();
                        Read::Checkin(c)
                    })),
                    _ => None,
                })
            };
            match &cache {
                Some(cache) => cache.get_or(kb, rel, read),
                None => read(),
            }
        });
        if let Some(cache) = cache {
            cache.save(kb, f.trim_end_matches('/'), &found);
        }
        data.doc_errors.extend(walk_errors);
        for (_, result) in found {
            match result {
                Err(e) => data.doc_errors.push(e),
                Ok(None) => {}
                Ok(Some(Ok(Read::Goal(g)))) => data.goals.push(g),
                Ok(Some(Ok(Read::Checkin(c)))) => data.checkins.push(c),
                Ok(Some(Err(p))) => data.problems.push(p),
            }
        }
    }
    let fed = metric_checkins(kb, &data.goals);
    data.checkins.extend(fed);
    data
}

/// The folders goals and check-ins live in, none inside another.
fn folders(kb: &crate::kb::Kb) -> Vec<String> {
    let schema = &kb.config.schema;
    let folder = |t: &str| schema.get(t).map_or(String::new(), |t| t.folder.clone());
    let (goal_folder, checkin_folder) = (folder("goal"), folder("checkin"));
    let nested = |inner: &str, outer: &str| {
        outer.is_empty() || inner == outer || inner.starts_with(&format!("{outer}/"))
    };
    if nested(&checkin_folder, &goal_folder) {
        vec![goal_folder]
    } else if nested(&goal_folder, &checkin_folder) {
        vec![checkin_folder]
    } else {
        vec![goal_folder, checkin_folder]
    }
}

/// [`load`] from docs already read (`kb check`'s, `kb inbox`'s), without reading them again:
/// the goals and check-ins among `docs` that lie in the goal and check-in folders, read on
/// every core. Check-ins' narratives (which need the body) are left empty.
pub fn from_documents<'a>(
    kb: &crate::kb::Kb,
    docs: impl rayon::iter::ParallelIterator<Item = &'a Document>,
) -> GoalData {
    use rayon::iter::ParallelIterator;
    let folders: Vec<String> = folders(kb)
        .into_iter()
        .map(|f| match f.is_empty() {
            true => f,
            false => format!("{f}/"),
        })
        .collect();
    let inside = |path: &str| folders.iter().any(|f| path.starts_with(f.as_str()));
    let fiscal = kb.config.goals.fiscal_year_start;
    // Kept in the docs' order.
    let read: Vec<Result<Read, GoalProblem>> = docs
        .filter(|d| inside(&d.path))
        .filter_map(|doc| match goal_doc_type(doc)? {
            "goal" => Some(goal_from_doc(doc, fiscal).map(Read::Goal)),
            _ => Some(checkin_from_doc(doc).map(Read::Checkin)),
        })
        .collect();
    let mut data = GoalData::default();
    for r in read {
        match r {
            Ok(Read::Goal(g)) => data.goals.push(g),
            Ok(Read::Checkin(c)) => data.checkins.push(c),
            Err(p) => data.problems.push(p),
        }
    }
    data
}

/// Check-ins made from metric readings, one per reading of a metric a key result names, so
/// the rollup replays them with the written check-ins (a later check-in value still wins).
fn metric_checkins(kb: &crate::kb::Kb, goals: &[Goal]) -> Vec<Checkin> {
    let fed: Vec<(&Goal, &KeyResult, &str)> = goals
        .iter()
        .flat_map(|g| {
            g.key_results
                .iter()
                .filter_map(move |k| k.metric.as_deref().map(|m| (g, k, m)))
        })
        .collect();
    if fed.is_empty() {
        return Vec::new();
    }
    let data = crate::metrics::load(kb);
    let mut out = Vec::new();
    for r in &data.readings {
        for (g, k, _) in fed.iter().filter(|(_, _, m)| *m == r.metric) {
            let mut report = GoalReport::default();
            report
                .key_results
                .insert(k.id.clone(), KrValue::Number(r.value));
            out.push(Checkin {
                path: r.path.clone(),
                author: r.author.clone(),
                date: r.date,
                goals: BTreeMap::from([(g.id.clone(), report)]),
                narrative: String::new(),
                from_readings: true,
            });
        }
    }
    out
}

/// A goal-folder doc as `load` reads it: a goal, a check-in, or neither; cached per doc.
#[derive(Debug, Clone, Serialize, serde::Deserialize)]
pub enum Read {
    Goal(Goal),
    Checkin(Checkin),
}

/// What [`load`] keeps of each doc in the doc cache.
pub type ReadDoc = Result<Option<Result<Read, GoalProblem>>, crate::error::DocError>;

impl crate::cache::Cached for ReadDoc {
    const FILE: &'static str = ".kb/cache/goals.bin";
    // `KrValue` is untagged: only a self-describing format reads it back.
    const ENCODING: crate::cache::Encoding = crate::cache::Encoding::Json;

    fn remembered(&self) -> bool {
        !crate::cache::unreadable(self)
    }
}

/// `goal` or `checkin` when the doc says so itself: a page typed only by its folder
/// (goals/README.md) is about goals, not one.
pub fn goal_doc_type(doc: &Document) -> Option<&str> {
    // The type first: asked of every doc of the KB, it rules out most without a field lookup.
    let t = doc
        .doc_type
        .as_deref()
        .filter(|t| matches!(*t, "goal" | "checkin"))?;
    let explicit = doc.fields.contains_key("type") || doc.fields.contains_key("id");
    explicit.then_some(t)
}

/// A goal doc's owner: its `owner:` text, when not blank.
pub fn goal_owner(doc: &Document) -> Option<String> {
    let owner = doc.fields.value("owner")?;
    scalar_string(&owner).filter(|s| !s.trim().is_empty())
}

/// Reads a goal doc. `fiscal_start` is the month fiscal years start in.
pub fn goal_from_doc(doc: &Document, fiscal_start: u32) -> Result<Goal, GoalProblem> {
    let problem = |message: String| GoalProblem {
        path: doc.path.clone(),
        message,
    };
    // One value at a time: a doc from the cache keeps its fields as bytes, and decoding them
    // all (into a map kept beside the doc) cost more than the dozen lookups.
    let text = |key: &str| {
        doc.fields
            .value(key)
            .and_then(|v| scalar_string(&v))
            .filter(|s| !s.trim().is_empty())
    };
    let id = text("id").ok_or_else(|| problem("a goal needs an `id`".into()))?;
    let period = match (
        text("period"),
        date_field(doc, "start"),
        date_field(doc, "end"),
    ) {
        (Some(label), _, _) => Period::parse(&label, fiscal_start).map_err(problem)?,
        (None, Some(start), Some(end)) => Period::between(start, end).map_err(problem)?,
        _ => {
            return Err(problem(format!(
                "goal {id} needs a `period` (2026-Q4) or `start` and `end` dates"
            )))
        }
    };
    let state = match text("state").as_deref().unwrap_or("active") {
        "draft" => State::Draft,
        "active" => State::Active,
        "done" => State::Done,
        "cancelled" | "canceled" => State::Cancelled,
        other => {
            return Err(problem(format!(
                "goal {id}: state {other:?} is not draft, active, done or cancelled"
            )))
        }
    };
    let success = match text("ambition").as_deref() {
        None | Some("committed") => 1.0,
        Some("aspirational") => 0.7,
        Some(other) => {
            return Err(problem(format!(
                "goal {id}: ambition {other:?} is not committed or aspirational"
            )))
        }
    };
    let weight = weight(doc.fields.value("weight").as_deref()).unwrap_or(1.0);
    let key_results = match doc.fields.value("key_results").as_deref() {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, kr)| {
                key_result(kr, i)
                    .map_err(|m| problem(format!("goal {id}, key result {}: {m}", i + 1)))
            })
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(problem(format!("goal {id}: `key_results` must be a list"))),
    };
    Ok(Goal {
        id,
        title: doc.title.clone(),
        path: doc.path.clone(),
        level: text("level"),
        owner: goal_owner(doc),
        parent: text("parent"),
        period,
        weight,
        state,
        success,
        key_results,
        created: date_field(doc, "created"),
    })
}

fn key_result(value: &Value, index: usize) -> Result<KeyResult, String> {
    let map = value
        .as_object()
        .ok_or("must be a map with id, kind, start, target")?;
    let text = |key: &str| map.get(key).and_then(scalar_string);
    let id = text("id").unwrap_or_else(|| format!("kr{}", index + 1));
    let target = number(map.get("target"));
    let kind = match text("kind").as_deref().unwrap_or("metric") {
        "metric" => KrKind::Metric {
            start: number(map.get("start")).unwrap_or(0.0),
            target: target.ok_or(format!("{id}: a metric needs a numeric `target`"))?,
        },
        "binary" => KrKind::Binary,
        "threshold" => KrKind::Threshold {
            target: target.ok_or(format!("{id}: a threshold needs a numeric `target`"))?,
            at_most: match text("threshold").as_deref().unwrap_or("at_least") {
                "at_least" => false,
                "at_most" => true,
                other => {
                    return Err(format!(
                        "{id}: threshold {other:?} is not at_least or at_most"
                    ))
                }
            },
        },
        other => {
            return Err(format!(
                "{id}: kind {other:?} is not metric, binary or threshold"
            ))
        }
    };
    Ok(KeyResult {
        title: text("title").unwrap_or_else(|| id.clone()),
        id,
        kind,
        unit: text("unit"),
        weight: weight(map.get("weight")).unwrap_or(1.0),
        metric: text("metric"),
    })
}

/// Reads a check-in doc.
pub fn checkin_from_doc(doc: &Document) -> Result<Checkin, GoalProblem> {
    let problem = |message: &str| GoalProblem {
        path: doc.path.clone(),
        message: message.to_string(),
    };
    let author = doc
        .fields
        .value("author")
        .and_then(|v| scalar_string(&v))
        .ok_or_else(|| problem("a check-in needs an `author`"))?;
    let date = date_field(doc, "date")
        .ok_or_else(|| problem("a check-in needs a `date` like 2026-11-24"))?;
    let mut goals = BTreeMap::new();
    match doc.fields.value("goals").as_deref() {
        None | Some(Value::Null) => {}
        Some(Value::Object(map)) => {
            for (id, report) in map {
                goals.insert(
                    id.clone(),
                    goal_report(report).map_err(|m| problem(&format!("goal {id}: {m}")))?,
                );
            }
        }
        Some(_) => {
            return Err(problem(
                "`goals` must map goal ids to what you report on them",
            ))
        }
    }
    Ok(Checkin {
        path: doc.path.clone(),
        author,
        date,
        goals,
        narrative: String::new(),
        from_readings: false,
    })
}

fn goal_report(value: &Value) -> Result<GoalReport, String> {
    let Some(map) = value.as_object() else {
        return match value {
            Value::Null => Ok(GoalReport::default()),
            _ => Err("must be a map of status, confidence, progress, key_results".into()),
        };
    };
    let mut report = GoalReport {
        status: map.get("status").and_then(scalar_string),
        confidence: share(map.get("confidence")),
        progress: share(map.get("progress")),
        key_results: BTreeMap::new(),
        note: map
            .get("note")
            .and_then(scalar_string)
            .filter(|n| !n.trim().is_empty()),
    };
    if let Some(krs) = map.get("key_results").and_then(Value::as_object) {
        for (id, v) in krs {
            // `{value, status, note}` or the bare value. An entry without a value (only a note,
            // or left empty) reports nothing: the earlier value stands (rule 2).
            let v = match v.as_object() {
                Some(m) => m.get("value").unwrap_or(&Value::Null),
                None => v,
            };
            let value = match v {
                Value::Null => continue,
                Value::Bool(b) => KrValue::Bool(*b),
                other => KrValue::Number(number(Some(other)).ok_or(format!(
                    "key result {id}: {other} is not a number or true/false"
                ))?),
            };
            report.key_results.insert(id.clone(), value);
        }
    }
    Ok(report)
}

/// A number as written: `42`, `99.95`, `"42"`, or `"42%"` (the unit is the key result's).
/// `1,5` is ambiguous and so not a number.
pub fn number(value: Option<&Value>) -> Option<f64> {
    let n = match value? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().trim_end_matches('%').trim().parse().ok()?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

/// A weight, if usable: a finite number, 0 or more. Anything else counts as no weight (1) rather
/// than failing the goal, and `kb check` reports it ([`bad_numbers`]).
fn weight(value: Option<&Value>) -> Option<f64> {
    number(value).filter(|w| *w >= 0.0)
}

/// A share from 0 to 1: `0.7`, or `70%`.
fn share(value: Option<&Value>) -> Option<f64> {
    let percent = matches!(value, Some(Value::String(s)) if s.trim().ends_with('%'));
    number(value).map(|n| if percent { n / 100.0 } else { n })
}

fn date_field(doc: &Document, key: &str) -> Option<NaiveDate> {
    doc.fields
        .value(key)
        .and_then(|v| scalar_string(&v))
        .and_then(|s| crate::date::parse(&s))
}

/// A number in a goal or check-in that the rollup cannot use, for `kb check` to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadNumber {
    /// Where it is, from the top-level field down: `["key_results", "p99", "weight"]` (a key
    /// result by its id) or `["goals", "eng", "key_results", "p99"]`.
    pub keys: Vec<String>,
    pub message: String,
}

#[derive(Clone, Copy)]
enum Wanted {
    Finite,
    Weight,
    FiniteOrBool,
}

/// Weights that are not finite numbers of 0 or more, and KR bounds, check-in values, confidence
/// and progress that are not finite numbers, in a goal or check-in doc.
pub fn bad_numbers(doc: &Document) -> Vec<BadNumber> {
    let mut out = Vec::new();
    match goal_doc_type(doc) {
        Some("goal") => goal_numbers(&doc.fields, &mut out),
        Some("checkin") => checkin_numbers(&doc.fields, &mut out),
        _ => {}
    }
    out
}

fn goal_numbers(fields: &crate::doc::Fields, out: &mut Vec<BadNumber>) {
    // One value at a time: `kb check` keeps its docs' fields as the cache's bytes.
    let weight = fields.value("weight");
    check_number(&["weight"], weight.as_deref(), Wanted::Weight, out);
    let krs = fields.value("key_results");
    let Some(Value::Array(krs)) = krs.as_deref() else {
        return;
    };
    for (i, kr) in krs.iter().enumerate() {
        let Some(kr) = kr.as_object() else { continue };
        let id = kr
            .get("id")
            .and_then(scalar_string)
            .unwrap_or_else(|| format!("kr{}", i + 1));
        for (key, wanted) in [
            ("start", Wanted::Finite),
            ("target", Wanted::Finite),
            ("weight", Wanted::Weight),
        ] {
            check_number(&["key_results", &id, key], kr.get(key), wanted, out);
        }
    }
}

fn checkin_numbers(fields: &crate::doc::Fields, out: &mut Vec<BadNumber>) {
    let goals = fields.value("goals");
    let Some(Value::Object(goals)) = goals.as_deref() else {
        return;
    };
    for (gid, report) in goals {
        let Some(report) = report.as_object() else {
            continue;
        };
        for key in ["confidence", "progress"] {
            check_number(&["goals", gid, key], report.get(key), Wanted::Finite, out);
        }
        let Some(Value::Object(krs)) = report.get("key_results") else {
            continue;
        };
        for (kr, v) in krs {
            match v.as_object() {
                Some(m) => check_number(
                    &["goals", gid, "key_results", kr, "value"],
                    m.get("value"),
                    Wanted::FiniteOrBool,
                    out,
                ),
                None => check_number(
                    &["goals", gid, "key_results", kr],
                    Some(v),
                    Wanted::FiniteOrBool,
                    out,
                ),
            }
        }
    }
}

fn check_number(keys: &[&str], value: Option<&Value>, wanted: Wanted, out: &mut Vec<BadNumber>) {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return;
    };
    let (ok, expected) = match wanted {
        Wanted::Finite => (number(Some(value)).is_some(), "a finite number"),
        Wanted::Weight => (weight(Some(value)).is_some(), "a finite number, 0 or more"),
        Wanted::FiniteOrBool => (
            value.is_boolean() || number(Some(value)).is_some(),
            "a finite number, or true/false",
        ),
    };
    if !ok {
        let name = keys.join(".");
        out.push(BadNumber {
            keys: keys.iter().map(|k| k.to_string()).collect(),
            message: format!("`{name}` must be {expected}, found {value}"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    fn doc(path: &str, front: &str) -> Document {
        crate::doc::parse(
            path.into(),
            format!("---\n{front}\n---\n").into_bytes(),
            &Schema::default(),
        )
        .unwrap()
        .doc
    }

    #[test]
    fn reads_a_goal_with_every_kr_kind() {
        let g = goal_from_doc(
            &doc(
                "goals/2026/g.md",
                "title: G\nid: g\nperiod: 2026\nambition: aspirational\nweight: 3\nkey_results:\n  - {id: p99, kind: metric, start: 1200, target: 400, unit: ms, weight: 2}\n  - {id: rca, kind: binary}\n  - {id: up, kind: threshold, target: 99.95, threshold: at_least}",
            ),
            1,
        )
        .unwrap();
        assert_eq!((g.success, g.weight, g.state), (0.7, 3.0, State::Active));
        assert_eq!(g.period.label, "2026");
        assert_eq!(
            g.key_results[0].kind,
            KrKind::Metric {
                start: 1200.0,
                target: 400.0
            }
        );
        assert_eq!(g.key_results[0].weight, 2.0);
        assert_eq!(g.key_results[1].kind, KrKind::Binary);
        assert_eq!(
            g.key_results[2].kind,
            KrKind::Threshold {
                target: 99.95,
                at_most: false
            }
        );
    }

    #[test]
    fn goal_problems_name_the_doc() {
        let e =
            goal_from_doc(&doc("goals/x.md", "title: X\nid: x\nperiod: banana"), 1).unwrap_err();
        assert_eq!(e.path, "goals/x.md");
        assert!(e.message.contains("not a period"));
        assert!(goal_from_doc(&doc("goals/x.md", "title: X\nperiod: 2026"), 1).is_err());
        assert!(goal_from_doc(
            &doc(
                "goals/x.md",
                "title: X\nid: x\nperiod: 2026\nkey_results: [{id: a, kind: metric}]"
            ),
            1
        )
        .is_err());
    }

    #[test]
    fn note_only_krs_percentages_and_bad_numbers() {
        let c = checkin_from_doc(&doc(
            "c.md",
            "author: d\ndate: 2026-11-24\ngoals:\n  g: {progress: 50%, confidence: '70%', key_results: {a: {note: later}, b: , c: 42%}}",
        ))
        .unwrap();
        let g = &c.goals["g"];
        assert_eq!((g.progress, g.confidence), (Some(0.5), Some(0.7)));
        assert_eq!(g.key_results.len(), 1);
        assert_eq!(g.key_results["c"], KrValue::Number(42.0));
        assert!(checkin_from_doc(&doc(
            "c.md",
            "author: d\ndate: 2026-11-24\ngoals:\n  g: {key_results: {a: '1,5'}}"
        ))
        .is_err());
    }

    #[test]
    fn bad_numbers_are_named_and_ignored() {
        let g = doc(
            "goals/g.md",
            "type: goal\ntitle: G\nid: g\nperiod: 2026\nweight: -0.9\nkey_results:\n  - {id: a, start: .nan, target: 10, weight: heavy}\n  - {target: 5, weight: 2}",
        );
        let keys: Vec<String> = bad_numbers(&g).iter().map(|b| b.keys.join(".")).collect();
        assert_eq!(
            keys,
            ["weight", "key_results.a.start", "key_results.a.weight"]
        );
        assert!(bad_numbers(&g)[0].message.contains("0 or more, found -0.9"));
        let read = goal_from_doc(&g, 1).unwrap();
        assert_eq!(
            (
                read.weight,
                read.key_results[0].weight,
                read.key_results[1].weight
            ),
            (1.0, 1.0, 2.0),
            "a bad weight counts as none"
        );
        let c = doc(
            "goals/checkins/c.md",
            "type: checkin\nauthor: d\ndate: 2026-11-24\ngoals:\n  g: {confidence: .inf, progress: 0.5, key_results: {a: .nan, b: true, c: {value: NaN}, d: 3}}",
        );
        let keys: Vec<String> = bad_numbers(&c).iter().map(|b| b.keys.join(".")).collect();
        assert_eq!(
            keys,
            [
                "goals.g.confidence",
                "goals.g.key_results.a",
                "goals.g.key_results.c.value"
            ]
        );
        let about = doc("goals/README.md", "title: About goals\nweight: -1");
        assert!(bad_numbers(&about).is_empty(), "not a goal itself");
    }

    #[test]
    fn reads_a_checkin() {
        let c = checkin_from_doc(&doc(
            "goals/checkins/2026/2026-11-24-dana.md",
            "author: dana\ndate: 2026-11-24\ngoals:\n  g: {status: at-risk, confidence: 0.6, key_results: {p99: 910, rca: true, up: {value: 99.9, note: x}}}",
        ))
        .unwrap();
        let g = &c.goals["g"];
        assert_eq!(g.status.as_deref(), Some("at-risk"));
        assert_eq!(g.key_results["p99"], KrValue::Number(910.0));
        assert_eq!(g.key_results["rca"], KrValue::Bool(true));
        assert_eq!(g.key_results["up"], KrValue::Number(99.9));
    }
}
