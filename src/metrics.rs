//! Metrics (DESIGN §16, the seed's "visible scoreboard"): `type: metric` docs with a direction,
//! a target and a cadence; readings kept like check-ins, one file per author per day
//! (`metrics/readings/<year>/<date>-<author>.md`, `metrics: {<id>: value or {value, note}}`);
//! recording one under the write lock; and the scoreboard: per metric the latest value, its
//! change, target status by direction, staleness by cadence and the series for a sparkline.

use crate::doc::{frontmatter, scalar_string, Document, Fields};
use crate::error::{Error, Result};
use crate::kb::Kb;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use serde_json::{Map, Value};

/// Which way is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Up,
    Down,
}

/// A metric's definition, from its doc.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metric {
    /// `id:`, else the file name without `.md`.
    pub id: String,
    pub title: String,
    pub path: String,
    pub owner: Option<String>,
    pub unit: Option<String>,
    pub direction: Direction,
    pub target: Option<f64>,
    /// `weekly`, `monthly`, or an interval such as `14d`.
    pub cadence: Option<String>,
}

/// One value of one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reading {
    pub path: String,
    pub author: String,
    pub date: NaiveDate,
    pub metric: String,
    pub value: f64,
    pub note: Option<String>,
}

/// A reading kb cannot use: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    /// The metric it is about, to find its line.
    pub metric: Option<String>,
    pub message: String,
}

/// The metrics and readings of a KB.
#[derive(Debug, Default)]
pub struct MetricData {
    pub metrics: Vec<Metric>,
    pub readings: Vec<Reading>,
    /// Readings whose value is not a number, and reading files without author or date.
    pub problems: Vec<Problem>,
    pub doc_errors: Vec<crate::error::DocError>,
}

impl MetricData {
    /// Readings naming a metric no doc defines.
    pub fn unknown(&self) -> Vec<&Reading> {
        self.readings
            .iter()
            .filter(|r| !self.metrics.iter().any(|m| m.id == r.metric))
            .collect()
    }
}

/// The folder readings live in (the `reading` type's).
pub fn readings_folder(kb: &Kb) -> String {
    kb.config
        .schema
        .get("reading")
        .map_or("metrics/readings".into(), |t| t.folder.clone())
}

fn metrics_folder(kb: &Kb) -> String {
    kb.config
        .schema
        .get("metric")
        .map_or("metrics".into(), |t| t.folder.clone())
}

enum Read {
    Metric(Metric),
    Readings(Vec<Reading>, Vec<Problem>),
}

/// Reads the metric docs and the readings (only their types' folders are walked).
pub fn load(kb: &Kb) -> MetricData {
    let mut data = MetricData::default();
    let (metrics, readings) = (metrics_folder(kb), readings_folder(kb));
    let mut folders = vec![metrics.clone()];
    let nested = |inner: &str, outer: &str| {
        outer.is_empty() || inner == outer || inner.starts_with(&format!("{outer}/"))
    };
    if !nested(&readings, &metrics) {
        folders.push(readings.clone());
    }
    for folder in folders {
        let (found, errors) = kb.walk_folder_with(&folder, |rel| {
            kb.read_metadata(rel)
                .map(|doc| match doc.doc_type.as_deref() {
                    Some("metric") => Some(Read::Metric(metric_from_doc(&doc))),
                    Some("reading") => Some(readings_from_doc(&doc)),
                    _ => None,
                })
        });
        data.doc_errors.extend(errors);
        for (_, result) in found {
            match result {
                Err(e) => data.doc_errors.push(e),
                Ok(None) => {}
                Ok(Some(Read::Metric(m))) => data.metrics.push(m),
                Ok(Some(Read::Readings(r, p))) => {
                    data.readings.extend(r);
                    data.problems.extend(p);
                }
            }
        }
    }
    data.metrics.sort_by(|a, b| a.id.cmp(&b.id));
    // By date, then file: the later file of a day wins.
    data.readings
        .sort_by(|a, b| a.date.cmp(&b.date).then(a.path.cmp(&b.path)));
    data
}

fn text(doc: &Document, key: &str) -> Option<String> {
    doc.fields
        .get(key)
        .and_then(scalar_string)
        .filter(|s| !s.trim().is_empty())
}

fn metric_from_doc(doc: &Document) -> Metric {
    let stem = doc.path.rsplit('/').next().unwrap_or(&doc.path);
    let stem = stem.strip_suffix(".md").unwrap_or(stem);
    Metric {
        id: text(doc, "id").unwrap_or_else(|| stem.to_string()),
        title: doc.title.clone(),
        path: doc.path.clone(),
        owner: text(doc, "owner"),
        unit: text(doc, "unit"),
        direction: match text(doc, "direction").as_deref() {
            Some("down" | "lower" | "decrease") => Direction::Down,
            _ => Direction::Up,
        },
        target: crate::goals::number(doc.fields.get("target")),
        cadence: text(doc, "cadence"),
    }
}

fn readings_from_doc(doc: &Document) -> Read {
    let problem = |metric: Option<&str>, message: String| Problem {
        path: doc.path.clone(),
        metric: metric.map(String::from),
        message,
    };
    let (author, date) = (
        text(doc, "author"),
        text(doc, "date").and_then(|d| crate::date::parse(&d)),
    );
    let (Some(author), Some(date)) = (author, date) else {
        return Read::Readings(
            Vec::new(),
            vec![problem(
                None,
                "a reading needs an `author` and a `date` like 2026-11-24".into(),
            )],
        );
    };
    let mut readings = Vec::new();
    let mut problems = Vec::new();
    let Some(map) = doc.fields.get("metrics").and_then(Value::as_object) else {
        return Read::Readings(
            readings,
            vec![problem(
                None,
                "`metrics` must map metric ids to values".into(),
            )],
        );
    };
    for (id, v) in map {
        let (value, note) = match v {
            Value::Object(o) => (o.get("value"), o.get("note").and_then(scalar_string)),
            v => (Some(v), None),
        };
        match crate::goals::number(value) {
            Some(value) => readings.push(Reading {
                path: doc.path.clone(),
                author: author.clone(),
                date,
                metric: id.clone(),
                value,
                note,
            }),
            None => problems.push(problem(
                Some(id),
                format!(
                    "reading of {id} is not a number: {}",
                    value.map_or("nothing".into(), |v| v.to_string())
                ),
            )),
        }
    }
    Read::Readings(readings, problems)
}

/// Days without a reading after which a metric of this cadence is stale.
pub fn cadence_days(cadence: &str) -> Option<i64> {
    match cadence.trim().to_ascii_lowercase().as_str() {
        "daily" => Some(1),
        "weekly" => Some(7),
        "biweekly" | "fortnightly" => Some(14),
        "monthly" => Some(31),
        "quarterly" => Some(92),
        other => crate::stale::interval_days(other).flatten().map(i64::from),
    }
}

/// A point of a metric's series.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Point {
    pub date: NaiveDate,
    pub value: f64,
}

/// `on-target` or `off-target`, by direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    OnTarget,
    OffTarget,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::OnTarget => "on-target",
            Status::OffTarget => "off-target",
        }
    }
}

/// One metric on the scoreboard (the JSON contract of DESIGN §16).
#[derive(Debug, Clone, Serialize)]
pub struct MetricStatus {
    pub id: String,
    pub title: String,
    pub path: String,
    pub owner: Option<String>,
    pub unit: Option<String>,
    pub direction: Direction,
    pub cadence: Option<String>,
    pub value: Option<f64>,
    pub date: Option<NaiveDate>,
    pub previous: Option<f64>,
    /// Against the previous reading.
    pub change: Option<f64>,
    /// Against the latest reading at least 4 weeks before the latest.
    pub change_4w: Option<f64>,
    pub target: Option<f64>,
    pub status: Option<Status>,
    pub stale: bool,
    pub note: Option<String>,
    pub series: Vec<Point>,
}

/// `kb metrics --format json`.
#[derive(Debug, Clone, Serialize)]
pub struct Scoreboard {
    pub schema_version: u32,
    pub as_of: NaiveDate,
    pub metrics: Vec<MetricStatus>,
}

/// Every metric as of `today`: readings after it are left out; one value a day (the last).
pub fn scoreboard(data: &MetricData, today: NaiveDate) -> Scoreboard {
    let metrics = data
        .metrics
        .iter()
        .map(|m| {
            let mut series: Vec<Point> = Vec::new();
            let mut note = None;
            for r in data
                .readings
                .iter()
                .filter(|r| r.metric == m.id && r.date <= today)
            {
                let point = Point {
                    date: r.date,
                    value: r.value,
                };
                match series.last_mut() {
                    Some(last) if last.date == r.date => *last = point,
                    _ => series.push(point),
                }
                note = r.note.clone();
            }
            let latest = series.last().copied();
            let previous = series.len().checked_sub(2).map(|i| series[i].value);
            let four_weeks = latest.and_then(|l| {
                let cutoff = l.date - chrono::Duration::days(28);
                series
                    .iter()
                    .rev()
                    .find(|p| p.date <= cutoff)
                    .map(|p| p.value)
            });
            let value = latest.map(|l| l.value);
            let status = match (value, m.target) {
                (Some(v), Some(t)) => Some(match (m.direction, v >= t, v <= t) {
                    (Direction::Up, true, _) | (Direction::Down, _, true) => Status::OnTarget,
                    _ => Status::OffTarget,
                }),
                _ => None,
            };
            let stale = match (latest, m.cadence.as_deref().and_then(cadence_days)) {
                (None, _) => true,
                (Some(l), Some(days)) => (today - l.date).num_days() > days,
                (Some(_), None) => false,
            };
            MetricStatus {
                id: m.id.clone(),
                title: m.title.clone(),
                path: m.path.clone(),
                owner: m.owner.clone(),
                unit: m.unit.clone(),
                direction: m.direction,
                cadence: m.cadence.clone(),
                value,
                date: latest.map(|l| l.date),
                previous,
                change: value.zip(previous).map(|(v, p)| round(v - p)),
                change_4w: value.zip(four_weeks).map(|(v, p)| round(v - p)),
                target: m.target,
                status,
                stale,
                note: latest.and(note),
                series,
            }
        })
        .collect();
    Scoreboard {
        schema_version: 1,
        as_of: today,
        metrics,
    }
}

/// Differences of decimals without float noise (`0.1 - 0.3`).
fn round(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

/// The reading file to write: its path, full new text, and whether it is new.
#[derive(Debug, Clone, Serialize)]
pub struct Recorded {
    pub schema_version: u32,
    pub path: String,
    pub metric: String,
    pub value: f64,
    pub date: NaiveDate,
    pub created: bool,
}

/// Records `value` of metric `id` in `author`'s reading file of `date`, created or extended
/// under the KB's write lock (re-read under the lock, so readings at once all land).
pub fn record(
    kb: &Kb,
    id: &str,
    raw: &str,
    author: &str,
    date: NaiveDate,
    note: Option<&str>,
) -> Result<Recorded> {
    let data = load(kb);
    if !data.metrics.iter().any(|m| m.id == id) {
        let ids: Vec<&str> = data.metrics.iter().map(|m| m.id.as_str()).collect();
        return Err(Error::usage_with_hint(
            format!("no metric with id {id:?}"),
            match ids.is_empty() {
                true => "define one first: `kb new metric \"TITLE\"`".to_string(),
                false => format!("the metrics are: {}", ids.join(", ")),
            },
        ));
    }
    let value = crate::goals::number(Some(&Value::from(raw))).ok_or_else(|| {
        Error::usage_with_hint(
            format!("{raw:?} is not a number"),
            "give the value as a number, e.g. 412 or 98.5",
        )
    })?;
    let path = format!(
        "{}/{}/{date}-{}.md",
        readings_folder(kb),
        date.year(),
        crate::slug::slugify(author)
    );
    let _lock = crate::fsutil::lock(&kb.root)?;
    let exists = std::fs::symlink_metadata(kb.root.join(&path)).is_ok();
    let (mut fields, body) = match exists {
        true => {
            let source = kb.read(path.clone()).map_err(Error::Doc)?;
            let body = source.body().to_string();
            (source.doc.fields, body)
        }
        false => new_reading(author, date),
    };
    let entry = match note.map(str::trim).filter(|n| !n.is_empty()) {
        Some(note) => {
            let mut m = Map::new();
            m.insert("value".into(), number_value(value));
            m.insert("note".into(), Value::from(note));
            Value::Object(m)
        }
        None => number_value(value),
    };
    let metrics = fields.get_or_insert_with("metrics", || Value::Object(Map::new()));
    if !metrics.is_object() {
        *metrics = Value::Object(Map::new());
    }
    if let Some(m) = metrics.as_object_mut() {
        m.insert(id.to_string(), entry);
    }
    let content = format!("{}{body}", frontmatter::to_yaml_block(&fields));
    crate::fsutil::replace(&kb.root, &path, content.as_bytes())?;
    Ok(Recorded {
        schema_version: 1,
        path,
        metric: id.to_string(),
        value,
        date,
        created: !exists,
    })
}

/// `412` rather than `412.0` in the file when the value is whole.
fn number_value(v: f64) -> Value {
    match v.fract() == 0.0 && v.abs() < 1e15 {
        true => Value::from(v as i64),
        false => Value::from(v),
    }
}

fn new_reading(author: &str, date: NaiveDate) -> (Fields, String) {
    let title = format!("Readings: {author}, {date}");
    let mut fields = Fields::new();
    fields.insert("type".into(), Value::from("reading"));
    fields.insert("title".into(), Value::from(title.clone()));
    fields.insert("author".into(), Value::from(author));
    fields.insert("date".into(), Value::from(date.to_string()));
    fields.insert("metrics".into(), Value::Object(Map::new()));
    (fields, format!("# {title}\n"))
}

/// Unicode block sparkline of the last `n` values, lowest to highest.
pub fn sparkline(series: &[Point], n: usize) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let points = &series[series.len().saturating_sub(n)..];
    let (lo, hi) = points.iter().fold((f64::MAX, f64::MIN), |(lo, hi), p| {
        (lo.min(p.value), hi.max(p.value))
    });
    points
        .iter()
        .map(|p| {
            let i = match hi > lo {
                true => ((p.value - lo) / (hi - lo) * 7.0).round() as usize,
                false => 3,
            };
            BARS[i.min(7)]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(direction: Direction, target: f64, values: &[(&str, f64)]) -> MetricData {
        MetricData {
            metrics: vec![Metric {
                id: "m".into(),
                title: "M".into(),
                path: "metrics/m.md".into(),
                owner: None,
                unit: None,
                direction,
                target: Some(target),
                cadence: Some("weekly".into()),
            }],
            readings: values
                .iter()
                .map(|(d, v)| Reading {
                    path: format!("metrics/readings/2026/{d}-a.md"),
                    author: "a".into(),
                    date: crate::date::parse(d).unwrap_or_default(),
                    metric: "m".into(),
                    value: *v,
                    note: None,
                })
                .collect(),
            ..MetricData::default()
        }
    }

    #[test]
    fn latest_changes_status_and_staleness() {
        let today = crate::date::parse("2026-11-25").unwrap_or_default();
        let values = [
            ("2026-10-20", 500.0),
            ("2026-10-27", 480.0),
            ("2026-11-10", 450.0),
            ("2026-11-17", 420.0),
        ];
        let board = scoreboard(&data(Direction::Down, 430.0, &values), today);
        let m = &board.metrics[0];
        assert_eq!(m.value, Some(420.0));
        assert_eq!(m.change, Some(-30.0));
        assert_eq!(m.change_4w, Some(-80.0));
        assert_eq!(m.status, Some(Status::OnTarget));
        assert!(m.stale, "8 days since a weekly reading");
        let board = scoreboard(&data(Direction::Up, 430.0, &values), today);
        assert_eq!(board.metrics[0].status, Some(Status::OffTarget));
    }

    #[test]
    fn sparklines_span_lowest_to_highest() {
        let p = |v| Point {
            date: NaiveDate::default(),
            value: v,
        };
        assert_eq!(sparkline(&[p(1.0), p(8.0), p(4.5)], 12), "▁█▅");
        assert_eq!(sparkline(&[p(2.0), p(2.0)], 12), "▄▄");
        assert_eq!(sparkline(&[], 12), "");
    }
}
