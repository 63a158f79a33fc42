//! Writing check-ins for `kb goals checkin`: one file per author per day, created or extended,
//! so two people checking in never touch the same file and git never sees a conflict.

use super::{Goal, KrKind, State};
use crate::doc::{frontmatter, Fields};
use crate::error::{Error, Result};
use crate::kb::Kb;
use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value};

pub const STATUSES: &[&str] = &["on-track", "at-risk", "off-track"];

/// What one `kb goals checkin` says.
#[derive(Debug, Clone, Default)]
pub struct Update {
    pub goal: String,
    /// `--kr ID=VALUE`, values as typed.
    pub key_results: Vec<(String, String)>,
    pub status: Option<String>,
    pub confidence: Option<f64>,
    pub message: Option<String>,
}

/// The check-in file to write: its path, full new text, and whether it is new.
#[derive(Debug, Clone)]
pub struct Planned {
    pub path: String,
    pub content: String,
    pub created: bool,
}

/// Plans and writes today's check-in under the KB's write lock: the file is re-read under the
/// lock, so ten check-ins at once by one person all land in it.
pub fn record(
    kb: &Kb,
    goals: &[Goal],
    author: &str,
    date: NaiveDate,
    update: &Update,
) -> Result<Planned> {
    let _lock = crate::fsutil::lock(&kb.root)?;
    let planned = plan(kb, goals, author, date, update)?;
    crate::fsutil::replace(&kb.root, &planned.path, planned.content.as_bytes())?;
    Ok(planned)
}

/// Validates `update` against the goals and plans today's check-in file for `author`.
pub fn plan(
    kb: &Kb,
    goals: &[Goal],
    author: &str,
    date: NaiveDate,
    update: &Update,
) -> Result<Planned> {
    let goal = goals.iter().find(|g| g.id == update.goal).ok_or_else(|| {
        let mut ids: Vec<&str> = goals
            .iter()
            .filter(|g| g.state == State::Active)
            .map(|g| g.id.as_str())
            .collect();
        ids.sort_unstable();
        Error::usage_with_hint(
            format!("no goal with id {:?}", update.goal),
            format!("the active goals are: {}", ids.join(", ")),
        )
    })?;
    if matches!(goal.state, State::Cancelled | State::Draft | State::Done) {
        return Err(Error::usage_with_hint(
            format!("goal {} is {:?}, not active", goal.id, goal.state).to_lowercase(),
            format!(
                "check in on active goals; set `state: active` in {} first if it is running",
                goal.path
            ),
        ));
    }
    let mut report = Map::new();
    if let Some(status) = &update.status {
        if !STATUSES.contains(&status.as_str()) {
            return Err(Error::usage_with_hint(
                format!("status {status:?} is not one of {}", STATUSES.join(", ")),
                "e.g. --status at-risk",
            ));
        }
        report.insert("status".into(), Value::from(status.clone()));
    }
    if let Some(c) = update.confidence {
        // NaN is in no range, so this also refuses `--confidence NaN`.
        if !(0.0..=1.0).contains(&c) {
            return Err(Error::usage_with_hint(
                format!("--confidence {c} is not a number from 0 to 1"),
                "e.g. --confidence 0.7",
            ));
        }
        report.insert("confidence".into(), Value::from(c));
    }
    let mut values = Map::new();
    for (id, raw) in &update.key_results {
        let kr = goal
            .key_results
            .iter()
            .find(|k| &k.id == id)
            .ok_or_else(|| {
                let ids: Vec<&str> = goal.key_results.iter().map(|k| k.id.as_str()).collect();
                Error::usage_with_hint(
                    format!("goal {} has no key result {id:?}", goal.id),
                    match ids.is_empty() {
                        true => {
                            "this goal has no key results: report --status, --confidence and -m"
                                .to_string()
                        }
                        false => format!("its key results are: {}", ids.join(", ")),
                    },
                )
            })?;
        values.insert(id.clone(), kr_value(&kr.kind, id, raw)?);
    }
    if !values.is_empty() {
        report.insert("key_results".into(), Value::Object(values));
    }

    let folder = kb
        .config
        .schema
        .get("checkin")
        .map_or("goals/checkins", |t| t.folder.as_str());
    let path = format!(
        "{folder}/{}/{date}-{}.md",
        date.year(),
        crate::slug::slugify(author)
    );
    // Read through the KB's fence: today's file may be a symlink someone committed.
    let exists = std::fs::symlink_metadata(kb.root.join(&path)).is_ok();
    let (mut fields, mut body, created) = match exists {
        true => {
            let source = kb.read(path.clone()).map_err(Error::Doc)?;
            let body = source.body().to_string();
            (source.doc.fields, body, false)
        }
        false => new_checkin(author, date),
    };
    merge(&mut fields, &goal.id, report);
    if let Some(message) = update.message.as_deref().filter(|m| !m.trim().is_empty()) {
        if !body.ends_with('\n') && !body.is_empty() {
            body.push('\n');
        }
        body.push_str(&format!("\n## {}\n\n{}\n", goal.title, message.trim()));
    }
    Ok(Planned {
        path,
        content: format!("{}{body}", frontmatter::to_yaml_block(&fields)),
        created,
    })
}

fn new_checkin(author: &str, date: NaiveDate) -> (Fields, String, bool) {
    let title = format!("Check-in: {author}, {date}");
    let mut fields = Fields::new();
    fields.insert("type".into(), Value::from("checkin"));
    fields.insert("title".into(), Value::from(title.clone()));
    fields.insert("author".into(), Value::from(author));
    fields.insert("date".into(), Value::from(date.to_string()));
    fields.insert("goals".into(), Value::Object(Map::new()));
    (fields, format!("# {title}\n"), true)
}

/// Adds this check-in's report on one goal, over what the file already said about it.
fn merge(fields: &mut Fields, goal: &str, report: Map<String, Value>) {
    let goals = fields.get_or_insert_with("goals", || Value::Object(Map::new()));
    if !goals.is_object() {
        *goals = Value::Object(Map::new());
    }
    let Some(goals) = goals.as_object_mut() else {
        return;
    };
    let entry = goals
        .entry(goal.to_string())
        .or_insert_with(|| Value::Object(Map::new()));
    if !entry.is_object() {
        *entry = Value::Object(Map::new());
    }
    let Some(entry) = entry.as_object_mut() else {
        return;
    };
    for (k, v) in report {
        match (k.as_str(), entry.get_mut("key_results"), v) {
            ("key_results", Some(Value::Object(old)), Value::Object(new)) => old.extend(new),
            (_, _, v) => {
                entry.insert(k, v);
            }
        }
    }
}

/// A check-in body without its `# Check-in: ...` title line: the narrative, possibly empty.
pub fn narrative(body: &str) -> &str {
    let body = body.trim_start();
    let rest = match body.split_once('\n') {
        Some((first, rest)) if heading_level(first) == Some(1) => rest,
        None if heading_level(body) == Some(1) => "",
        _ => body,
    };
    rest.trim()
}

/// What a check-in's narrative says about one goal: the section under a `## <goal title>` (or
/// `## <goal id>`) heading, as `kb goals checkin -m` writes it; failing that, the whole narrative
/// when it is `shared` by the goals the check-in names (one goal, or no section for any).
pub fn narrative_for<'a>(
    narrative: &'a str,
    title: &str,
    id: &str,
    shared: bool,
) -> Option<&'a str> {
    let names_goal = |heading: &str| {
        let heading = heading.trim().trim_end_matches('#').trim();
        heading.eq_ignore_ascii_case(title.trim()) || heading.eq_ignore_ascii_case(id)
    };
    let mut start = None;
    let mut offset = 0;
    let mut fence: Option<&str> = None;
    for line in narrative.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        // Level 1 and 2 headings cut the narrative into goals; deeper ones belong to a goal.
        if heading_level(line).is_some_and(|level| level <= 2) {
            if let Some(s) = start {
                return non_empty(&narrative[s..here]);
            }
            if names_goal(line.trim_start().trim_start_matches('#')) {
                start = Some(offset);
            }
        }
    }
    match start {
        Some(s) => non_empty(&narrative[s..]),
        None if shared => non_empty(narrative),
        None => None,
    }
}

fn non_empty(text: &str) -> Option<&str> {
    Some(text.trim()).filter(|t| !t.is_empty())
}

/// The level of an ATX heading line (`## What moved` is 2), if the line is one.
fn heading_level(line: &str) -> Option<usize> {
    let text = line.trim_end_matches(['\n', '\r']);
    let stripped = text.trim_start_matches(' ');
    if text.len() - stripped.len() > 3 {
        return None;
    }
    let level = stripped.len() - stripped.trim_start_matches('#').len();
    let after = &stripped[level..];
    ((1..=6).contains(&level) && (after.is_empty() || after.starts_with([' ', '\t'])))
        .then_some(level)
}

/// `1,250` is a thousand two hundred and fifty; `1,5` is a decimal comma kb must not read as
/// 15, so commas are accepted only between groups of three digits.
fn without_thousands_commas(raw: &str) -> Option<String> {
    let (whole, fraction) = raw.split_once('.').unwrap_or((raw, ""));
    let digits = whole.trim_start_matches(['-', '+']);
    let mut groups = digits.split(',');
    let first = groups.next().unwrap_or("");
    let grouped = digits.contains(',');
    let well_grouped = !grouped || ((1..=3).contains(&first.len()) && groups.all(|g| g.len() == 3));
    match well_grouped && !fraction.contains(',') {
        true => Some(raw.replace(',', "")),
        false => None,
    }
}

fn kr_value(kind: &KrKind, id: &str, raw: &str) -> Result<Value> {
    let raw = raw.trim();
    let bad = |what: &str| Error::usage(format!("key result {id}: {raw:?} is not {what}"));
    match kind {
        KrKind::Binary => match raw {
            "true" | "yes" | "done" | "1" => Ok(Value::Bool(true)),
            "false" | "no" | "0" => Ok(Value::Bool(false)),
            _ => Err(bad("true or false")),
        },
        _ => {
            let n: f64 = without_thousands_commas(raw.trim_end_matches('%'))
                .ok_or_else(|| bad("a number (use `.` for decimals: 1.5, 1,250.5)"))?
                .parse()
                .map_err(|_| bad("a number"))?;
            // Rust parses `NaN` and `inf`, which no rollup can use and YAML would get as null.
            serde_json::Number::from_f64(n)
                .map(Value::Number)
                .ok_or_else(|| bad("a finite number, e.g. 910 or 99.5"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_narrative_drops_the_title() {
        assert_eq!(
            narrative("\n# Check-in: dana\n\n## What moved\n\nA.\n"),
            "## What moved\n\nA."
        );
        assert_eq!(narrative("# Check-in: dana\n"), "");
        assert_eq!(narrative("Just text."), "Just text.");
    }

    #[test]
    fn a_goal_s_narrative_is_its_section_or_the_whole_body_when_alone() {
        let body = "## Goal A\n\nPool fix shipped.\n\n### Detail\n\nmore\n\n## goal-b\n\n```\n## not a heading\n```\nB text.\n";
        assert_eq!(
            narrative_for(body, "Goal A", "goal-a", false),
            Some("Pool fix shipped.\n\n### Detail\n\nmore")
        );
        assert_eq!(
            narrative_for(body, "Goal B", "goal-b", false),
            Some("```\n## not a heading\n```\nB text.")
        );
        assert_eq!(narrative_for(body, "Goal C", "c", false), None);
        let free = "## What moved\n\np99 is down.";
        assert_eq!(narrative_for(free, "Goal A", "a", true), Some(free));
        assert_eq!(narrative_for(free, "Goal A", "a", false), None);
        assert_eq!(narrative_for("", "Goal A", "a", true), None);
    }

    #[test]
    fn commas_only_as_thousands_separators() {
        assert_eq!(without_thousands_commas("1,250").as_deref(), Some("1250"));
        assert_eq!(
            without_thousands_commas("-12,500.5").as_deref(),
            Some("-12500.5")
        );
        assert_eq!(without_thousands_commas("99.5").as_deref(), Some("99.5"));
        assert_eq!(without_thousands_commas("1,5"), None);
        assert_eq!(without_thousands_commas("1,25,000"), None);
    }
}
