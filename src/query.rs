//! Selecting and ordering docs by their front-matter: the `--where` expressions of `kb ls` (and of
//! later commands), the shorthand filters (`--type --status --owner --tag`), and `--sort`.
//! Values compare as dates when both sides are dates, as numbers when both are numbers, else as
//! text; a list field matches when any of its items does.

use crate::doc::{scalar_string, Document};
use crate::error::{Error, Result};
use crate::schema::{FieldKind, Schema};
use chrono::NaiveDate;
use serde_json::Value as Json;
use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Contains,
    Exists,
}

/// One `--where` condition, such as `updated<2026-01-01` or `reviewers~dana`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Condition {
    pub key: String,
    pub op: Op,
    pub value: String,
}

impl Condition {
    /// Parses `key=value`, `key!=value`, `key<value`, `key<=value`, `key>value`, `key>=value`,
    /// `key~substring` or `key?`.
    pub fn parse(expr: &str) -> Result<Condition> {
        let bad = |why: &str| {
            Error::usage_with_hint(
                format!("invalid --where expression {expr:?}: {why}"),
                "write key=value, key!=value, key<value, key>value, key<=value, key>=value, key~text or key?",
            )
        };
        if let Some(key) = expr.strip_suffix('?') {
            return match valid_key(key) {
                true => Ok(Condition {
                    key: key.trim().to_string(),
                    op: Op::Exists,
                    value: String::new(),
                }),
                false => Err(bad("the key before `?` is empty or not a field name")),
            };
        }
        let at = expr
            .find(['=', '!', '<', '>', '~'])
            .ok_or_else(|| bad("no operator"))?;
        let (key, rest) = expr.split_at(at);
        let (op, len) = match rest.as_bytes() {
            [b'!', b'=', ..] => (Op::Ne, 2),
            [b'<', b'=', ..] => (Op::Le, 2),
            [b'>', b'=', ..] => (Op::Ge, 2),
            [b'=', ..] => (Op::Eq, 1),
            [b'<', ..] => (Op::Lt, 1),
            [b'>', ..] => (Op::Gt, 1),
            [b'~', ..] => (Op::Contains, 1),
            _ => return Err(bad("`!` must be followed by `=`")),
        };
        if !valid_key(key) {
            return Err(bad(
                "the key before the operator is empty or not a field name",
            ));
        }
        Ok(Condition {
            key: key.trim().to_string(),
            op,
            value: rest[len..].trim().to_string(),
        })
    }

    /// The condition as it will be tested against a KB: a relative date (`today`, `yesterday`,
    /// `30d` for thirty days ago, `2w`) made absolute for a date field, and an error (rather than
    /// a silent text comparison that matches everything) for an operator typo such as `<<` or an
    /// order against a value that is not of the field's kind.
    pub fn resolve(mut self, schema: &Schema, today: NaiveDate) -> Result<Condition> {
        let expr = format!("{}{}{}", self.key, self.op.symbol(), self.value);
        if self.value.starts_with(['<', '>', '=', '!', '~']) {
            return Err(Error::usage_with_hint(
                format!(
                    "invalid --where expression {expr:?}: `{}{}` is not an operator",
                    self.op.symbol(),
                    &self.value[..1]
                ),
                "the operators are = != < <= > >= ~ and a trailing ?",
            ));
        }
        let ordered = matches!(self.op, Op::Lt | Op::Le | Op::Gt | Op::Ge);
        match schema.field_kind(&self.key) {
            Some(FieldKind::Date) if !matches!(self.op, Op::Contains | Op::Exists) => {
                if let Some(date) = relative_date(&self.value, today) {
                    self.value = date.format("%Y-%m-%d").to_string();
                } else if ordered && crate::date::parse(&self.value).is_none() {
                    return Err(Error::usage_with_hint(
                        format!("invalid --where expression {expr:?}: `{}` is a date field and {:?} is not a date", self.key, self.value),
                        "write a date like 2026-11-25, or today, yesterday, 30d (days ago) or 2w (weeks ago)",
                    ));
                }
            }
            Some(FieldKind::Number) if ordered && Value::of(&self.value).rank() != 1 => {
                return Err(Error::usage_with_hint(
                    format!("invalid --where expression {expr:?}: `{}` is a number field and {:?} is not a number", self.key, self.value),
                    "write a number, like 10 or 2.5",
                ));
            }
            _ => {}
        }
        Ok(self)
    }

    pub fn matches(&self, doc: &Document) -> bool {
        let value = doc.field(&self.key);
        match (self.op, value) {
            (Op::Exists, value) => value.is_some_and(|v| !v.is_null()),
            (Op::Ne, None) => true,
            (_, None) => false,
            (Op::Ne, Some(v)) => !scalars(&v)
                .iter()
                .any(|s| compare(s, &self.value) == Ordering::Equal),
            (op, Some(v)) => scalars(&v).iter().any(|s| self.test(op, s)),
        }
    }

    fn test(&self, op: Op, actual: &str) -> bool {
        match op {
            Op::Contains => actual.to_lowercase().contains(&self.value.to_lowercase()),
            Op::Eq => compare(actual, &self.value) == Ordering::Equal,
            Op::Lt => compare(actual, &self.value) == Ordering::Less,
            Op::Le => compare(actual, &self.value) != Ordering::Greater,
            Op::Gt => compare(actual, &self.value) == Ordering::Greater,
            Op::Ge => compare(actual, &self.value) != Ordering::Less,
            Op::Ne | Op::Exists => unreachable!("handled in matches"),
        }
    }
}

impl Op {
    fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Contains => "~",
            Op::Exists => "?",
        }
    }
}

/// `today`, `yesterday`, `30d` (days ago) or `2w` (weeks ago), counted back from `today`.
fn relative_date(text: &str, today: NaiveDate) -> Option<NaiveDate> {
    let text = text.trim().to_ascii_lowercase();
    let days = match text.as_str() {
        "today" => 0,
        "yesterday" => 1,
        _ => crate::date::span_days(&text)?,
    };
    today.checked_sub_days(chrono::Days::new(days))
}

/// Whether any doc has `key`, and if none does, the known field closest to it: an unknown
/// `--sort` field would otherwise sort nothing without a word.
pub fn closest_field(docs: &[Document], key: &str) -> Option<Option<String>> {
    if docs.iter().any(|d| d.field(key).is_some()) {
        return None;
    }
    let mut known: Vec<&str> = vec!["path", "title", "type"];
    for d in docs {
        known.extend(d.fields.keys().map(String::as_str));
    }
    Some(closest(known, key).map(str::to_string))
}

/// The name of `known` closest to what was `typed` (a misspelt field, rule code or level), if
/// one is close enough to suggest.
pub fn closest<'a>(known: impl IntoIterator<Item = &'a str>, typed: &str) -> Option<&'a str> {
    known
        .into_iter()
        .map(|k| (strsim::jaro_winkler(k, typed), k))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, k)| k)
}

fn valid_key(key: &str) -> bool {
    let key = key.trim();
    !key.is_empty() && !key.contains(char::is_whitespace)
}

/// The texts a value offers to a comparison: itself, or each item of a list.
fn scalars(value: &Json) -> Vec<String> {
    match value {
        Json::Array(items) => items.iter().filter_map(scalar_string).collect(),
        other => scalar_string(other).into_iter().collect(),
    }
}

/// Orders two field texts: as dates, else as numbers, else case-insensitively as text.
pub fn compare(a: &str, b: &str) -> Ordering {
    // One total order (sorting needs one): dates, then numbers, then text, each among its kind.
    match (Value::of(a), Value::of(b)) {
        (Value::Date(x), Value::Date(y)) => x.cmp(&y),
        (Value::Number(x), Value::Number(y)) => x.total_cmp(&y),
        (x, y) if x.rank() != y.rank() => x.rank().cmp(&y.rank()),
        _ => a.to_lowercase().cmp(&b.to_lowercase()),
    }
}

/// A field text as what it compares as.
enum Value {
    Date(NaiveDate),
    Number(f64),
    Text,
}

impl Value {
    fn of(text: &str) -> Value {
        if let Some(d) = crate::date::parse(text) {
            return Value::Date(d);
        }
        match text.trim().parse::<f64>() {
            Ok(n) if n.is_finite() => Value::Number(n),
            _ => Value::Text,
        }
    }

    fn rank(&self) -> u8 {
        match self {
            Value::Date(_) => 0,
            Value::Number(_) => 1,
            Value::Text => 2,
        }
    }
}

/// Whether `actual` is one of `wanted`, ignoring case; an empty `wanted` asks for nothing.
pub fn one_of(wanted: &[String], actual: Option<&str>) -> bool {
    wanted.is_empty() || actual.is_some_and(|a| wanted.iter().any(|w| w.eq_ignore_ascii_case(a)))
}

/// Everything a listing can be narrowed by; all given conditions must hold.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub types: Vec<String>,
    pub statuses: Vec<String>,
    pub owners: Vec<String>,
    pub tags: Vec<String>,
    pub conditions: Vec<Condition>,
}

impl Filter {
    pub fn matches(&self, doc: &Document) -> bool {
        // A field is read only when the filter asks for it.
        let any = |wanted: &[String], actual: &dyn Fn() -> Option<String>| {
            wanted.is_empty() || one_of(wanted, actual().as_deref())
        };
        one_of(&self.types, doc.doc_type.as_deref())
            && any(&self.statuses, &|| doc.status())
            && any(&self.owners, &|| doc.owner())
            && (self.tags.is_empty() || {
                let tags = doc.tags();
                self.tags
                    .iter()
                    .all(|w| tags.iter().any(|t| t.eq_ignore_ascii_case(w)))
            })
            && self.conditions.iter().all(|c| c.matches(doc))
    }
}

/// A `--sort` key: a field name, `-field` for descending.
#[derive(Debug, Clone)]
pub struct Sort {
    pub key: String,
    pub descending: bool,
}

impl Sort {
    pub fn parse(spec: &str) -> Result<Sort> {
        let (key, descending) = match spec.strip_prefix('-') {
            Some(key) => (key, true),
            None => (spec, false),
        };
        if !valid_key(key) {
            return Err(Error::usage(format!("invalid --sort field {spec:?}")));
        }
        Ok(Sort {
            key: key.trim().to_string(),
            descending,
        })
    }

    /// Sorts by the field (docs without it last, either direction), then by path.
    pub fn apply(&self, docs: &mut Vec<&Document>) {
        let mut keyed: Vec<(Option<String>, &Document)> =
            docs.iter().map(|d| (sort_text(d, &self.key), *d)).collect();
        keyed.sort_by(|(x, a), (y, b)| {
            let ord = match (x, y) {
                (Some(x), Some(y)) if self.descending => compare(y, x),
                (Some(x), Some(y)) => compare(x, y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            };
            ord.then_with(|| a.path.cmp(&b.path))
        });
        *docs = keyed.into_iter().map(|(_, d)| d).collect();
    }
}

fn sort_text(doc: &Document, key: &str) -> Option<String> {
    doc.field(key).and_then(|v| scalars(&v).into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::Schema;

    fn doc(front: &str) -> Document {
        crate::doc::parse(
            "specs/a.md".into(),
            format!("---\n{front}\n---\n").into_bytes(),
            &Schema::default(),
        )
        .unwrap()
        .doc
    }

    fn holds(expr: &str, front: &str) -> bool {
        Condition::parse(expr).unwrap().matches(&doc(front))
    }

    #[test]
    fn operators() {
        assert!(holds("owner=dana", "owner: Dana"));
        assert!(holds("owner!=dana", "owner: sam"));
        assert!(holds("owner!=dana", "title: x"));
        assert!(!holds("owner=dana", "title: x"));
        assert!(holds("title~CHECK", "title: New checkout"));
        assert!(holds("review?", "review: {due: 2026-01-01}"));
        assert!(!holds("review?", "title: x"));
        assert!(holds("review.due<2026-02-01", "review: {due: 2026-01-01}"));
    }

    #[test]
    fn dates_and_numbers_compare_as_such() {
        assert!(holds("updated<2026-01-10", "updated: 2026-01-09"));
        assert!(!holds("updated>2026-1-10", "updated: 2026-01-09"));
        assert!(holds("priority<10", "priority: 9"));
        assert!(holds("priority>=9", "priority: 9"));
        assert!(holds(
            "created<=2026-01-09",
            "created: 2026-01-09T23:00:00Z"
        ));
    }

    #[test]
    fn lists_match_any_item() {
        assert!(holds("tags=ops", "tags: [eng, ops]"));
        assert!(!holds("tags!=ops", "tags: [eng, ops]"));
        assert!(holds("reviewers~sam", "reviewers: [dana, samir]"));
    }

    #[test]
    fn compare_is_a_total_order_over_mixed_values() {
        let mut values = vec!["2", "10", "1a", "nan", "2026-01-01", "b", "A"];
        values.sort_by(|a, b| compare(a, b));
        assert_eq!(values, vec!["2026-01-01", "2", "10", "1a", "A", "b", "nan"]);
    }

    #[test]
    fn bad_expressions_are_usage_errors() {
        for expr in ["", "=x", "owner", "a!b", " ?"] {
            assert!(Condition::parse(expr).is_err(), "{expr}");
        }
    }

    #[test]
    fn conditions_resolve_against_the_fields_kind() {
        let schema = Schema::default();
        let today = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        let resolve = |e: &str| Condition::parse(e).unwrap().resolve(&schema, today);
        assert_eq!(resolve("created<yesterday").unwrap().value, "2026-11-24");
        assert_eq!(resolve("review.due>=2w").unwrap().value, "2026-11-11");
        assert!(resolve("created<<2026").is_err());
        assert!(resolve("created<soon").is_err());
        assert!(resolve("created<2026-01-01").is_ok());
        assert!(resolve("title<b").is_ok(), "text fields compare as text");
    }

    #[test]
    fn sort_puts_missing_last_in_both_directions() {
        let a = doc("priority: 2");
        let b = doc("priority: 10");
        let c = doc("title: none");
        let mut docs = vec![&c, &b, &a];
        Sort::parse("priority").unwrap().apply(&mut docs);
        assert_eq!(
            docs.iter().map(|d| d.field("priority")).collect::<Vec<_>>(),
            vec![Some(2.into()), Some(10.into()), None]
        );
        Sort::parse("-priority").unwrap().apply(&mut docs);
        assert_eq!(
            docs.iter().map(|d| d.field("priority")).collect::<Vec<_>>(),
            vec![Some(10.into()), Some(2.into()), None]
        );
    }
}
