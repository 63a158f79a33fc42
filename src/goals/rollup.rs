//! Rolling goals up: each key result's latest value at the as-of date, scores weighted up the
//! tree, pacing against the share of the period elapsed, a fresh self-reported status beside the
//! computed one, and staleness. The rules are DESIGN §8's, numbered there; the comments below
//! cite them. The result is the report's view model, whose JSON is a contract.

use super::{Checkin, Goal, KrKind, KrValue, State};
use crate::goals::period::Period;
use chrono::NaiveDate;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};

/// The knobs of kb.yaml's `goals:` and the date to compute at.
#[derive(Debug, Clone)]
pub struct Settings {
    pub as_of: NaiveDate,
    pub stale_after_days: i64,
    pub at_risk: f64,
    pub off_track: f64,
}

impl Settings {
    /// kb.yaml's `goals:` knobs, computing at `as_of`.
    pub fn new(config: &crate::config::GoalsConfig, as_of: NaiveDate) -> Settings {
        Settings {
            as_of,
            stale_after_days: i64::from(config.stale_after_days),
            at_risk: config.thresholds.at_risk,
            off_track: config.thresholds.off_track,
        }
    }
}

/// Where a goal stands: computed from pacing, or as its owner last reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    NotStarted,
    OnTrack,
    AtRisk,
    OffTrack,
    Achieved,
    Missed,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::NotStarted => "not-started",
            Status::OnTrack => "on-track",
            Status::AtRisk => "at-risk",
            Status::OffTrack => "off-track",
            Status::Achieved => "achieved",
            Status::Missed => "missed",
        }
    }

    /// A status a check-in may report (the three of a running goal).
    pub fn reported(text: &str) -> Option<Status> {
        [Status::OnTrack, Status::AtRisk, Status::OffTrack]
            .into_iter()
            .find(|s| s.name() == text)
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.pad(self.name())
    }
}

/// A state `kb goals report --fail-on` can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alarm {
    OffTrack,
    AtRisk,
    Stale,
    Missed,
}

impl Alarm {
    pub fn name(self) -> &'static str {
        match self {
            Alarm::OffTrack => "off-track",
            Alarm::AtRisk => "at-risk",
            Alarm::Stale => "stale",
            Alarm::Missed => "missed",
        }
    }

    fn rings(self, g: &GoalStatus) -> bool {
        match self {
            Alarm::Stale => g.stale,
            Alarm::OffTrack => g.status == Status::OffTrack,
            Alarm::AtRisk => g.status == Status::AtRisk,
            Alarm::Missed => g.status == Status::Missed,
        }
    }
}

impl Report {
    /// The ids of the listed goals in one of the `alarms` states.
    pub fn failing(&self, alarms: &[Alarm]) -> Vec<&str> {
        self.goals
            .iter()
            .filter(|g| alarms.iter().any(|a| a.rings(g)))
            .map(|g| g.id.as_str())
            .collect()
    }
}

/// Which goals a report lists; never changes a score (rule 4).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub period: Option<Period>,
    pub owners: Vec<String>,
    pub levels: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub schema_version: u32,
    pub as_of: String,
    pub period: Option<String>,
    pub counts: BTreeMap<String, usize>,
    pub goals: Vec<GoalStatus>,
    pub warnings: Vec<String>,
    /// Cycles of parent links through a goal this report lists (rule 10): those goals are left
    /// out, the rest is reported, and the command exits 1. Each is also in `warnings`.
    #[serde(skip)]
    pub cycles: Vec<Cycle>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalStatus {
    pub id: String,
    pub title: String,
    pub path: String,
    pub level: Option<String>,
    pub owner: Option<String>,
    pub parent: Option<String>,
    pub period: String,
    pub state: State,
    pub weight: f64,
    pub score: f64,
    pub expected: f64,
    pub status: Status,
    pub computed_status: Status,
    pub reported_status: Option<Status>,
    pub confidence: Option<f64>,
    pub stale: bool,
    pub last_checkin: Option<String>,
    /// What the latest check-in with words about this goal says: the why behind the numbers.
    pub last_note: Option<LastNote>,
    pub key_results: Vec<KrStatus>,
    pub children: Vec<String>,
    /// Depth in the goal tree (roots 0), for indenting.
    pub depth: usize,
    /// Score at the `--compare` revision, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub previous_score: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KrStatus {
    pub id: String,
    pub title: String,
    pub kind: &'static str,
    /// `at_least` or `at_most` for a threshold, so a report can say which way it is met.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub threshold: Option<&'static str>,
    pub start: Option<f64>,
    pub target: Option<f64>,
    pub unit: Option<String>,
    pub value: Option<KrValue>,
    pub score: f64,
    /// The unclamped score of a metric (above 1 when the target is beaten).
    pub raw: Option<f64>,
}

/// A check-in's words on one goal: its `note:` and its narrative, in full.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastNote {
    pub date: String,
    pub author: String,
    /// The check-in file, relative to the KB root.
    pub path: String,
    pub text: String,
}

/// Goals whose parent links go round in a circle, their ids sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cycle(pub Vec<String>);

impl Cycle {
    /// What the report's `warnings` say about it.
    pub fn message(&self) -> String {
        format!(
            "goal parents form a cycle: {}; these goals are left out of the report",
            self.0.join(" -> ")
        )
    }
}

/// What the check-ins up to the as-of date say about one goal.
#[derive(Debug, Default, Clone)]
struct Tracked {
    values: HashMap<String, KrValue>,
    last_checkin: Option<NaiveDate>,
    reported: Option<(Status, NaiveDate)>,
    confidence: Option<f64>,
    progress: Option<f64>,
    note: Option<LastNote>,
}

/// Rolls the goals up at `settings.as_of` and lists those `selection` picks. Goals on a cycle of
/// parent links cannot be scored: they are left out, and named in `cycles` when the report would
/// list one of them; a cycle elsewhere (another period, only drafts) does not concern it.
pub fn rollup(
    goals: &[Goal],
    checkins: &[Checkin],
    settings: &Settings,
    selection: &Selection,
) -> Report {
    let goals = existing(goals, settings.as_of);
    let goals = goals.as_ref();
    let mut warnings = Vec::new();
    let mut by_id: HashMap<&str, usize> = HashMap::new();
    for (i, g) in goals.iter().enumerate() {
        if let Some(&first) = by_id.get(g.id.as_str()) {
            warnings.push(format!(
                "{}: goal id {} is also used by {}; this one is ignored",
                g.path, g.id, goals[first].path
            ));
        } else {
            by_id.insert(&g.id, i);
        }
    }
    let tracked = track(goals, &by_id, checkins, settings.as_of, &mut warnings);

    // Rule 10: a missing parent warns and the goal becomes a root.
    let mut parent: Vec<Option<usize>> = vec![None; goals.len()];
    for (i, g) in goals.iter().enumerate() {
        if by_id.get(g.id.as_str()) != Some(&i) {
            continue;
        }
        if let Some(p) = &g.parent {
            match by_id.get(p.as_str()) {
                Some(&pi) => parent[i] = Some(pi),
                None => warnings.push(format!(
                    "{}: goal {} names parent {p}, which does not exist; it is shown as a root",
                    g.path, g.id
                )),
            }
        }
    }
    let on_cycle = cycles(&parent);
    let mut cycles = Vec::new();
    for members in &on_cycle {
        if members.iter().any(|&i| listed(&goals[i], selection)) {
            let mut ids: Vec<String> = members.iter().map(|&i| goals[i].id.clone()).collect();
            ids.sort();
            cycles.push(Cycle(ids));
        }
    }
    cycles.sort_by(|a, b| a.0.cmp(&b.0));
    warnings.extend(cycles.iter().map(Cycle::message));
    let cut: Vec<bool> = {
        let mut cut = vec![false; goals.len()];
        on_cycle.iter().flatten().for_each(|&i| cut[i] = true);
        cut
    };
    // Goals on a cycle are nobody's children and have none: every score below is then computed
    // over a tree, and a goal under a cycle is shown as a root.
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); goals.len()];
    for (i, p) in parent.iter().enumerate() {
        match p {
            Some(p) if !cut[i] && !cut[*p] => children[*p].push(i),
            _ => {}
        }
    }
    for list in &mut children {
        list.sort_by(|&a, &b| goals[a].id.cmp(&goals[b].id));
    }

    let mut scores: Vec<Option<f64>> = vec![None; goals.len()];
    let mut order = Vec::new();
    let mut roots: Vec<usize> = (0..goals.len())
        .filter(|&i| {
            let top = parent[i].is_none_or(|p| cut[p]);
            top && !cut[i] && by_id.get(goals[i].id.as_str()) == Some(&i)
        })
        .collect();
    roots.sort_by(|&a, &b| goals[a].id.cmp(&goals[b].id));
    for &r in &roots {
        walk(r, 0, &children, &mut order);
    }

    let mut report = Report {
        schema_version: 1,
        as_of: settings.as_of.to_string(),
        period: selection.period.as_ref().map(|p| p.label.clone()),
        counts: BTreeMap::new(),
        goals: Vec::new(),
        warnings,
        cycles,
    };
    // Stale is not a status but a manager counts it beside them; 0 is a count too.
    report.counts.insert("stale".into(), 0);
    for (i, depth) in order {
        let g = &goals[i];
        if !listed(g, selection) {
            continue;
        }
        let score = score(i, goals, &children, &tracked, &mut scores);
        let status = status(g, score, &tracked[i], settings);
        *report
            .counts
            .entry(status.status.name().into())
            .or_default() += 1;
        if status.stale {
            *report.counts.entry("stale".into()).or_default() += 1;
        }
        report.goals.push(GoalStatus {
            id: g.id.clone(),
            title: g.title.clone(),
            path: g.path.clone(),
            level: g.level.clone(),
            owner: g.owner.clone(),
            parent: parent[i].map(|p| goals[p].id.clone()),
            period: g.period.label.clone(),
            state: g.state,
            weight: g.weight,
            score: round(score),
            expected: round(status.expected),
            status: status.status,
            computed_status: status.computed,
            reported_status: tracked[i].reported.map(|(s, _)| s),
            confidence: tracked[i].confidence,
            stale: status.stale,
            last_checkin: tracked[i].last_checkin.map(|d| d.to_string()),
            last_note: tracked[i].note.clone(),
            key_results: kr_statuses(g, &tracked[i]),
            children: children[i]
                .iter()
                .filter(|&&c| included(&goals[c]))
                .map(|&c| goals[c].id.clone())
                .collect(),
            depth,
            previous_score: None,
        });
    }
    report
}

/// The goals that existed at `as_of`: a goal `created` later is not replayed into the past.
fn existing(goals: &[Goal], as_of: NaiveDate) -> Cow<'_, [Goal]> {
    let exists = |g: &Goal| g.created.is_none_or(|c| c <= as_of);
    match goals.iter().all(exists) {
        true => Cow::Borrowed(goals),
        false => Cow::Owned(goals.iter().filter(|g| exists(g)).cloned().collect()),
    }
}

/// Whether a check-in's narrative is about all the goals it names: it names one, or has a
/// `## <goal>` section for none of them (a manager's check-in on the quarter as a whole).
fn shared_narrative(c: &Checkin, goals: &[Goal], by_id: &HashMap<&str, usize>) -> bool {
    let sectioned = |gid: &String| {
        by_id.get(gid.as_str()).is_some_and(|&i| {
            let g = &goals[i];
            super::checkin::narrative_for(&c.narrative, &g.title, &g.id, false).is_some()
        })
    };
    c.goals.len() == 1 || !c.goals.keys().any(sectioned)
}

/// A check-in's `note:` on the goal and its narrative about it, together.
fn note_on(goal: &Goal, c: &Checkin, note: Option<&str>, shared: bool) -> Option<LastNote> {
    let narrative = super::checkin::narrative_for(&c.narrative, &goal.title, &goal.id, shared);
    let parts: Vec<&str> = [note.map(str::trim), narrative]
        .into_iter()
        .flatten()
        .collect();
    (!parts.is_empty()).then(|| LastNote {
        date: c.date.to_string(),
        author: c.author.clone(),
        path: c.path.clone(),
        text: parts.join("\n\n"),
    })
}

/// Rule 2: KR values per KR, latest first-come in (date, path) order; only check-ins up to as-of.
fn track(
    goals: &[Goal],
    by_id: &HashMap<&str, usize>,
    checkins: &[Checkin],
    as_of: NaiveDate,
    warnings: &mut Vec<String>,
) -> Vec<Tracked> {
    let mut tracked = vec![Tracked::default(); goals.len()];
    let mut ordered: Vec<&Checkin> = checkins.iter().filter(|c| c.date <= as_of).collect();
    ordered.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.path.cmp(&b.path)));
    for c in ordered {
        let shared = !c.narrative.is_empty() && shared_narrative(c, goals, by_id);
        for (gid, report) in &c.goals {
            let Some(&i) = by_id.get(gid.as_str()) else {
                warnings.push(format!(
                    "{}: check-in names goal {gid}, which does not exist",
                    c.path
                ));
                continue;
            };
            let t = &mut tracked[i];
            if !c.from_readings {
                t.last_checkin = Some(c.date);
            }
            match report.status.as_deref() {
                Some(s) if Status::reported(s).is_some() => t.reported = Status::reported(s).map(|s| (s, c.date)),
                Some(s) => warnings.push(format!(
                    "{}: status {s:?} of goal {gid} is not on-track, at-risk or off-track; it is ignored",
                    c.path
                )),
                None => {}
            }
            if report.confidence.is_some() {
                t.confidence = report.confidence;
            }
            if report.progress.is_some() {
                t.progress = report.progress;
            }
            // A check-in with only numbers leaves the last words standing.
            if let Some(note) = note_on(&goals[i], c, report.note.as_deref(), shared) {
                t.note = Some(note);
            }
            for (kr, value) in &report.key_results {
                if goals[i].key_results.iter().any(|k| &k.id == kr) {
                    t.values.insert(kr.clone(), *value);
                } else {
                    warnings.push(format!("{}: check-in names key result {kr} of goal {gid}, which has no such key result", c.path));
                }
            }
        }
    }
    tracked
}

/// Every cycle of parent links, once each, as the goals on it. Each goal has at most one
/// parent, so walking up from each unvisited goal finds each cycle in linear time.
fn cycles(parent: &[Option<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let mut walk_of = vec![UNSEEN; parent.len()];
    let mut found = Vec::new();
    for start in 0..parent.len() {
        let mut at = start;
        while walk_of[at] == UNSEEN {
            walk_of[at] = start;
            match parent[at] {
                Some(p) => at = p,
                None => break,
            }
        }
        // Back at a goal of this very walk: `at` is on a new cycle.
        // Cycles met by an earlier walk carry that walk's mark, so each is found once.
        if walk_of[at] == start && parent[at].is_some() {
            found.push(cycle_from(at, parent));
        }
    }
    found
}

fn cycle_from(first: usize, parent: &[Option<usize>]) -> Vec<usize> {
    let mut members = vec![first];
    let mut at = parent[first];
    while let Some(p) = at.filter(|&p| p != first) {
        members.push(p);
        at = parent[p];
    }
    members
}

fn walk(i: usize, depth: usize, children: &[Vec<usize>], out: &mut Vec<(usize, usize)>) {
    out.push((i, depth));
    for &c in &children[i] {
        walk(c, depth + 1, children, out);
    }
}

fn included(g: &Goal) -> bool {
    !matches!(g.state, State::Draft | State::Cancelled)
}

/// Whether the report shows `g` (rule 8: never drafts or cancelled goals).
fn listed(g: &Goal, s: &Selection) -> bool {
    included(g) && selected(g, s)
}

fn selected(g: &Goal, s: &Selection) -> bool {
    let matches = |wanted: &[String], actual: &Option<String>| {
        wanted.is_empty()
            || actual
                .as_ref()
                .is_some_and(|a| wanted.iter().any(|w| w.eq_ignore_ascii_case(a)))
    };
    s.period.as_ref().is_none_or(|p| p.overlaps(&g.period))
        && matches(&s.owners, &g.owner)
        && matches(&s.levels, &g.level)
}

/// Rule 1: one weighted average over the goal's KRs and included children; with neither, the
/// latest reported progress, else 0.
fn score(
    i: usize,
    goals: &[Goal],
    children: &[Vec<usize>],
    tracked: &[Tracked],
    memo: &mut Vec<Option<f64>>,
) -> f64 {
    if let Some(s) = memo[i] {
        return s;
    }
    let g = &goals[i];
    let mut parts: Vec<(f64, f64)> = g
        .key_results
        .iter()
        .map(|kr| {
            (
                kr_score(&kr.kind, tracked[i].values.get(&kr.id)).0,
                usable_weight(kr.weight),
            )
        })
        .collect();
    for &c in &children[i] {
        if included(&goals[c]) {
            let child = score(c, goals, children, tracked, memo);
            parts.push((child, usable_weight(goals[c].weight)));
        }
    }
    let total_weight: f64 = parts.iter().map(|(_, w)| w).sum();
    let s = match parts.is_empty() {
        true => tracked[i].progress.unwrap_or(0.0).clamp(0.0, 1.0),
        false if total_weight <= 0.0 => 0.0,
        false => parts.iter().map(|(s, w)| s * w).sum::<f64>() / total_weight,
    };
    memo[i] = Some(s);
    s
}

/// A weight as the average may use it. The reader already refuses negative and non-finite
/// weights; this keeps a goal built any other way within 0..1 too, since a negative weight
/// would push the weighted average past 100%.
fn usable_weight(w: f64) -> f64 {
    if w.is_finite() {
        w.max(0.0)
    } else {
        0.0
    }
}

/// A key result's score (0 to 1) and, for a metric, the unclamped ratio. Rule 9: a threshold
/// exactly at its target is met; a missing value scores 0.
pub fn kr_score(kind: &KrKind, value: Option<&KrValue>) -> (f64, Option<f64>) {
    let number = match value {
        None => return (0.0, None),
        Some(KrValue::Bool(b)) => {
            return match kind {
                KrKind::Binary => (f64::from(u8::from(*b)), None),
                _ => (0.0, None),
            }
        }
        Some(KrValue::Number(n)) => *n,
    };
    match kind {
        KrKind::Metric { start, target } if (target - start).abs() < f64::EPSILON => {
            (f64::from(u8::from(number >= *target)), None)
        }
        KrKind::Metric { start, target } => {
            let raw = (number - start) / (target - start);
            (raw.clamp(0.0, 1.0), Some(raw))
        }
        KrKind::Binary => (f64::from(u8::from(number >= 1.0)), None),
        KrKind::Threshold { target, at_most } => {
            let met = if *at_most {
                number <= *target
            } else {
                number >= *target
            };
            (f64::from(u8::from(met)), None)
        }
    }
}

struct Computed {
    expected: f64,
    computed: Status,
    status: Status,
    stale: bool,
}

/// Rules 3, 5, 6, 7: pacing against elapsed time, the period's edges, a fresh self-report, and
/// staleness.
fn status(g: &Goal, score: f64, t: &Tracked, s: &Settings) -> Computed {
    let as_of = s.as_of;
    let running = g.period.contains(as_of);
    let (expected, computed) = if as_of < g.period.start {
        (0.0, Status::NotStarted)
    } else if as_of > g.period.end {
        let status = if score + 1e-9 >= g.success {
            Status::Achieved
        } else {
            Status::Missed
        };
        (g.success, status)
    } else {
        let expected = g.success * g.period.elapsed(as_of);
        let gap = expected - score;
        let status = if gap <= s.at_risk + 1e-9 {
            Status::OnTrack
        } else if gap <= s.off_track + 1e-9 {
            Status::AtRisk
        } else {
            Status::OffTrack
        };
        (expected, status)
    };
    let fresh_report = t
        .reported
        .as_ref()
        .filter(|(_, date)| running && (as_of - *date).num_days() <= s.stale_after_days)
        .map(|(status, _)| *status);
    let since = t.last_checkin.unwrap_or(g.period.start);
    let stale =
        g.state == State::Active && running && (as_of - since).num_days() > s.stale_after_days;
    Computed {
        expected,
        status: fresh_report.unwrap_or(computed),
        computed,
        stale,
    }
}

fn kr_statuses(g: &Goal, t: &Tracked) -> Vec<KrStatus> {
    g.key_results
        .iter()
        .map(|kr| {
            let value = t.values.get(&kr.id).copied();
            let (score, raw) = kr_score(&kr.kind, value.as_ref());
            let (kind, start, target) = match kr.kind {
                KrKind::Metric { start, target } => ("metric", Some(start), Some(target)),
                KrKind::Binary => ("binary", None, None),
                KrKind::Threshold { target, .. } => ("threshold", None, Some(target)),
            };
            let threshold = match kr.kind {
                KrKind::Threshold { at_most: true, .. } => Some("at_most"),
                KrKind::Threshold { at_most: false, .. } => Some("at_least"),
                _ => None,
            };
            KrStatus {
                id: kr.id.clone(),
                title: kr.title.clone(),
                kind,
                threshold,
                start,
                target,
                unit: kr.unit.clone(),
                value,
                score: round(score),
                raw: raw.map(round),
            }
        })
        .collect()
}

/// Scores to 4 decimals: stable JSON, no float noise in diffs.
fn round(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goals::{GoalReport, KeyResult};

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn goal(id: &str, parent: Option<&str>, krs: Vec<KeyResult>) -> Goal {
        Goal {
            id: id.into(),
            title: id.into(),
            path: format!("goals/{id}.md"),
            level: None,
            owner: Some("dana".into()),
            parent: parent.map(str::to_string),
            period: Period::parse("2026-Q4", 1).unwrap(),
            weight: 1.0,
            state: State::Active,
            success: 1.0,
            key_results: krs,
            created: None,
        }
    }

    fn metric(id: &str, start: f64, target: f64) -> KeyResult {
        KeyResult {
            id: id.into(),
            title: id.into(),
            kind: KrKind::Metric { start, target },
            unit: None,
            weight: 1.0,
            metric: None,
        }
    }

    fn checkin(date: NaiveDate, gid: &str, krs: &[(&str, f64)], status: Option<&str>) -> Checkin {
        Checkin {
            path: format!("goals/checkins/{date}.md"),
            author: "dana".into(),
            date,
            goals: [(
                gid.to_string(),
                GoalReport {
                    status: status.map(str::to_string),
                    key_results: krs
                        .iter()
                        .map(|(k, v)| (k.to_string(), KrValue::Number(*v)))
                        .collect(),
                    ..Default::default()
                },
            )]
            .into(),
            narrative: String::new(),
            from_readings: false,
        }
    }

    fn settings(as_of: NaiveDate) -> Settings {
        Settings {
            as_of,
            stale_after_days: 4,
            at_risk: 0.15,
            off_track: 0.30,
        }
    }

    fn run(goals: &[Goal], checkins: &[Checkin], as_of: NaiveDate) -> Report {
        rollup(goals, checkins, &settings(as_of), &Selection::default())
    }

    #[test]
    fn kr_scores() {
        let m = KrKind::Metric {
            start: 1200.0,
            target: 400.0,
        };
        assert_eq!(
            kr_score(&m, Some(&KrValue::Number(800.0))).0,
            0.5,
            "lower is better"
        );
        assert_eq!(
            kr_score(&m, Some(&KrValue::Number(300.0))),
            (1.0, Some(1.125)),
            "clamped, raw kept"
        );
        assert_eq!(kr_score(&m, Some(&KrValue::Number(1300.0))).0, 0.0);
        assert_eq!(kr_score(&m, None), (0.0, None));
        assert_eq!(kr_score(&KrKind::Binary, Some(&KrValue::Bool(true))).0, 1.0);
        assert_eq!(
            kr_score(&KrKind::Binary, Some(&KrValue::Bool(false))).0,
            0.0
        );
        let at_least = KrKind::Threshold {
            target: 99.95,
            at_most: false,
        };
        assert_eq!(
            kr_score(&at_least, Some(&KrValue::Number(99.95))).0,
            1.0,
            "exactly at target is met"
        );
        assert_eq!(kr_score(&at_least, Some(&KrValue::Number(99.9))).0, 0.0);
        let at_most = KrKind::Threshold {
            target: 1.0,
            at_most: true,
        };
        assert_eq!(kr_score(&at_most, Some(&KrValue::Number(1.0))).0, 1.0);
        assert_eq!(kr_score(&at_most, Some(&KrValue::Number(2.0))).0, 0.0);
    }

    #[test]
    fn weights_over_krs_and_children_and_latest_values_per_kr() {
        let mut parent = goal("p", None, vec![metric("a", 0.0, 100.0)]);
        parent.key_results[0].weight = 2.0;
        let mut child = goal("c", Some("p"), vec![metric("b", 0.0, 10.0)]);
        child.weight = 2.0;
        let draft = Goal {
            state: State::Draft,
            ..goal("d", Some("p"), vec![])
        };
        let checkins = vec![
            checkin(d(11, 1), "p", &[("a", 10.0)], None),
            checkin(d(11, 2), "c", &[("b", 5.0)], None),
            checkin(d(11, 3), "p", &[("a", 50.0)], None),
            checkin(d(11, 4), "c", &[], None),
        ];
        let r = run(&[parent, child, draft], &checkins, d(11, 25));
        let ids: Vec<&str> = r.goals.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, vec!["p", "c"], "parents first, drafts never listed");
        assert_eq!(
            r.goals[1].score, 0.5,
            "a later check-in without the KR keeps its value"
        );
        // (0.5 * 2 + 0.5 * 2) / 4
        assert_eq!(r.goals[0].score, 0.5);
        assert_eq!(r.goals[0].children, vec!["c"]);
        assert_eq!(r.goals[1].depth, 1);
    }

    #[test]
    fn pacing_at_start_middle_and_end() {
        let g = goal("g", None, vec![metric("a", 0.0, 100.0)]);
        let c = |v| vec![checkin(d(10, 1), "g", &[("a", v)], None)];
        // Start of Q4: 1/92 elapsed, nothing done yet is on track.
        let r = run(std::slice::from_ref(&g), &c(0.0), d(10, 1));
        assert_eq!(r.goals[0].status, Status::OnTrack);
        // 2026-11-25: expected 56/92 = 0.6087.
        let r = run(std::slice::from_ref(&g), &c(50.0), d(11, 25));
        assert_eq!(
            (r.goals[0].expected, r.goals[0].status.name()),
            (0.6087, "on-track")
        );
        let r = run(std::slice::from_ref(&g), &c(40.0), d(11, 25));
        assert_eq!(r.goals[0].status, Status::AtRisk);
        let r = run(std::slice::from_ref(&g), &c(20.0), d(11, 25));
        assert_eq!(r.goals[0].status, Status::OffTrack);
        // After the period: achieved or missed.
        assert_eq!(
            run(
                std::slice::from_ref(&g),
                &c(100.0),
                d(2, 1).with_year(2027).unwrap()
            )
            .goals[0]
                .status,
            Status::Achieved
        );
        assert_eq!(
            run(
                std::slice::from_ref(&g),
                &c(99.0),
                d(2, 1).with_year(2027).unwrap()
            )
            .goals[0]
                .status,
            Status::Missed
        );
        // Before it: not started, never stale.
        let r = run(std::slice::from_ref(&g), &[], d(9, 1));
        assert_eq!(
            (r.goals[0].status.name(), r.goals[0].stale),
            ("not-started", false)
        );
    }

    #[test]
    fn aspirational_goals_succeed_at_0_7() {
        let g = Goal {
            success: 0.7,
            ..goal("g", None, vec![metric("a", 0.0, 100.0)])
        };
        let r = run(
            &[g],
            &[checkin(d(12, 30), "g", &[("a", 70.0)], None)],
            d(1, 5).with_year(2027).unwrap(),
        );
        assert_eq!(r.goals[0].status, Status::Achieved);
    }

    #[test]
    fn fresh_self_reports_override_old_ones_do_not() {
        let g = goal("g", None, vec![metric("a", 0.0, 100.0)]);
        let checkins = vec![checkin(d(11, 21), "g", &[("a", 60.0)], Some("at-risk"))];
        let r = run(std::slice::from_ref(&g), &checkins, d(11, 25));
        assert_eq!(
            (r.goals[0].status.name(), r.goals[0].computed_status.name()),
            ("at-risk", "on-track")
        );
        let r = run(std::slice::from_ref(&g), &checkins, d(11, 26));
        assert_eq!(r.goals[0].status, Status::OnTrack);
        assert_eq!(
            r.goals[0].reported_status,
            Some(Status::AtRisk),
            "shown even when old"
        );
    }

    #[test]
    fn stale_after_four_days_and_from_the_period_start() {
        let g = goal("g", None, vec![]);
        let checkins = vec![checkin(d(11, 20), "g", &[], None)];
        assert!(!run(std::slice::from_ref(&g), &checkins, d(11, 24)).goals[0].stale);
        assert!(run(std::slice::from_ref(&g), &checkins, d(11, 25)).goals[0].stale);
        assert!(!run(std::slice::from_ref(&g), &[], d(10, 5)).goals[0].stale);
        assert!(run(std::slice::from_ref(&g), &[], d(10, 6)).goals[0].stale);
    }

    #[test]
    fn as_of_replays_the_past() {
        let g = goal("g", None, vec![metric("a", 0.0, 100.0)]);
        let checkins = vec![
            checkin(d(10, 10), "g", &[("a", 10.0)], None),
            checkin(d(11, 10), "g", &[("a", 60.0)], None),
        ];
        assert_eq!(
            run(std::slice::from_ref(&g), &checkins, d(11, 1)).goals[0].score,
            0.1
        );
        assert_eq!(
            run(std::slice::from_ref(&g), &checkins, d(11, 10)).goals[0].score,
            0.6
        );
    }

    #[test]
    fn cycles_and_missing_parents() {
        let goals = vec![
            goal("a", Some("c"), vec![]),
            goal("b", Some("a"), vec![]),
            goal("c", Some("b"), vec![]),
            goal("x", None, vec![]),
        ];
        let r = run(&goals, &[], d(11, 25));
        assert_eq!(
            r.cycles,
            vec![Cycle(vec!["a".into(), "b".into(), "c".into()])]
        );
        let ids: Vec<&str> = r.goals.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, vec!["x"], "the rest is still reported");
        assert!(r.warnings[0].contains("cycle: a -> b -> c"));
        let r = run(&[goal("orphan", Some("nope"), vec![])], &[], d(11, 25));
        assert_eq!(r.goals[0].parent, None);
        assert!(r.warnings[0].contains("parent nope"));
    }

    #[test]
    fn cycles_elsewhere_do_not_concern_a_report() {
        let other = |id: &str, parent: &str| Goal {
            period: Period::parse("2027-Q1", 1).unwrap(),
            state: State::Draft,
            ..goal(id, Some(parent), vec![])
        };
        let goals = vec![
            other("a", "b"),
            other("b", "a"),
            goal("ok", None, vec![]),
            goal("under", Some("a"), vec![]),
        ];
        let q4 = Selection {
            period: Some(Period::parse("2026-Q4", 1).unwrap()),
            ..Default::default()
        };
        let r = rollup(&goals, &[], &settings(d(11, 25)), &q4);
        assert!(r.cycles.is_empty() && r.warnings.is_empty(), "{r:?}");
        let ids: Vec<(&str, usize)> = r.goals.iter().map(|g| (g.id.as_str(), g.depth)).collect();
        assert_eq!(
            ids,
            [("ok", 0), ("under", 0)],
            "a goal under a cycle is a root"
        );
        // A self-loop through a listed goal is a cycle of one.
        let r = run(&[goal("me", Some("me"), vec![])], &[], d(11, 25));
        assert_eq!(r.cycles, vec![Cycle(vec!["me".into()])]);
        assert!(r.goals.is_empty());
    }

    #[test]
    fn bad_weights_never_push_a_score_past_100_percent() {
        let mut parent = goal("p", None, vec![]);
        parent.key_results = vec![metric("a", 0.0, 10.0)];
        parent.key_results[0].weight = 1.0;
        let child = Goal {
            weight: -0.9,
            ..goal("c", Some("p"), vec![metric("b", 0.0, 10.0)])
        };
        let nan = Goal {
            weight: f64::NAN,
            ..goal("n", Some("p"), vec![])
        };
        let checkins = vec![checkin(d(11, 1), "p", &[("a", 10.0)], None)];
        let r = run(&[parent, child, nan], &checkins, d(11, 25));
        assert_eq!(
            r.goals[0].score, 1.0,
            "children with no usable weight count nothing"
        );
    }

    #[test]
    fn selection_lists_without_changing_scores() {
        let annual = Goal {
            period: Period::parse("2026", 1).unwrap(),
            ..goal("year", None, vec![])
        };
        let q3 = Goal {
            period: Period::parse("2026-Q3", 1).unwrap(),
            ..goal("q3", Some("year"), vec![metric("a", 0.0, 10.0)])
        };
        let checkins = vec![checkin(d(9, 1), "q3", &[("a", 10.0)], None)];
        let selection = Selection {
            period: Some(Period::parse("2026-Q4", 1).unwrap()),
            ..Default::default()
        };
        let r = rollup(&[annual, q3], &checkins, &settings(d(11, 25)), &selection);
        assert_eq!(r.goals.len(), 1);
        assert_eq!((r.goals[0].id.as_str(), r.goals[0].score), ("year", 1.0));
    }

    #[test]
    fn goals_created_after_as_of_did_not_exist_then() {
        let root = goal("root", None, vec![metric("a", 0.0, 10.0)]);
        let late = Goal {
            created: Some(d(12, 1)),
            ..goal("late", Some("root"), vec![])
        };
        let checkins = vec![checkin(d(11, 1), "root", &[("a", 10.0)], None)];
        let r = run(&[root.clone(), late.clone()], &checkins, d(11, 20));
        let ids: Vec<&str> = r.goals.iter().map(|g| g.id.as_str()).collect();
        assert_eq!(ids, ["root"]);
        assert_eq!(r.goals[0].score, 1.0, "nor does it pull its parent down");
        assert_eq!(run(&[root, late], &checkins, d(12, 1)).goals.len(), 2);
    }

    #[test]
    fn the_last_words_stand_until_new_ones_and_stale_is_counted() {
        let g = goal("g", None, vec![metric("a", 0.0, 10.0)]);
        let mut said = checkin(d(11, 10), "g", &[("a", 1.0)], None);
        said.narrative = "## What moved\n\nPool fix shipped.".into();
        let mut noted = checkin(d(11, 12), "g", &[], None);
        noted.author = "lee".into();
        noted.goals.get_mut("g").unwrap().note = Some("Blocked on vendor.".into());
        let numbers = checkin(d(11, 14), "g", &[("a", 2.0)], None);
        let r = run(std::slice::from_ref(&g), &[said.clone()], d(11, 20));
        let note = r.goals[0].last_note.clone().unwrap();
        assert_eq!(
            (note.date.as_str(), note.author.as_str()),
            ("2026-11-10", "dana")
        );
        assert_eq!(note.text, "## What moved\n\nPool fix shipped.");
        assert_eq!(r.counts["stale"], 1);
        let r = run(std::slice::from_ref(&g), &[said, noted, numbers], d(11, 16));
        let note = r.goals[0].last_note.clone().unwrap();
        assert_eq!(
            (note.author.as_str(), note.text.as_str()),
            ("lee", "Blocked on vendor.")
        );
        assert_eq!(r.counts["stale"], 0, "0 is counted too");
        assert_eq!(run(&[g], &[], d(11, 20)).goals[0].last_note, None);
    }

    #[test]
    fn a_check_in_on_several_goals_shares_its_narrative_unless_it_has_sections() {
        let goals = [goal("a", None, vec![]), goal("b", None, vec![])];
        let mut both = checkin(d(11, 10), "a", &[], None);
        both.goals.insert("b".into(), GoalReport::default());
        both.narrative = "## What moved\n\nThe quarter.".into();
        let r = run(&goals, std::slice::from_ref(&both), d(11, 12));
        let text = |r: &Report, i: usize| r.goals[i].last_note.as_ref().map(|n| n.text.clone());
        assert_eq!(
            text(&r, 0).as_deref(),
            Some("## What moved\n\nThe quarter.")
        );
        assert_eq!(text(&r, 1), text(&r, 0));
        both.narrative = "## a\n\nOnly a.".into();
        let r = run(&goals, &[both], d(11, 12));
        assert_eq!(
            (text(&r, 0).as_deref(), text(&r, 1)),
            (Some("Only a."), None)
        );
    }

    use chrono::Datelike;
}
