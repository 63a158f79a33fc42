//! Templates for new docs: the built-ins of the crate's `templates/` folder, compiled in, and the
//! KB's own in `.kb/templates/`, where a file of the same name overrides a built-in; a type kb.yaml
//! adds without a template gets a generic one built from its fields. Rendered with minijinja
//! (Jinja syntax); a template error names the template file and line.

use crate::error::{Error, Result};
use crate::schema::{DocType, FieldKind};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Where a KB keeps its own templates, relative to its root.
pub const OVERRIDE_DIR: &str = ".kb/templates";

const BUILTINS: &[(&str, &str)] = &[
    ("checkin", include_str!("../templates/checkin.md")),
    ("decision", include_str!("../templates/decision.md")),
    ("deep-dive", include_str!("../templates/deep-dive.md")),
    ("goal", include_str!("../templates/goal.md")),
    ("handbook", include_str!("../templates/handbook.md")),
    ("meeting", include_str!("../templates/meeting.md")),
    ("memo", include_str!("../templates/memo.md")),
    ("metric", include_str!("../templates/metric.md")),
    ("onboarding", include_str!("../templates/onboarding.md")),
    ("person", include_str!("../templates/person.md")),
    ("playbook", include_str!("../templates/playbook.md")),
    ("rca", include_str!("../templates/rca.md")),
    ("role", include_str!("../templates/role.md")),
    ("reading", include_str!("../templates/reading.md")),
    ("spec", include_str!("../templates/spec.md")),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    /// A file in `.kb/templates/`, relative to the KB root.
    Override(PathBuf),
    /// Built by kb from the fields of a type that has no template ([`generic`]).
    Generic,
}

#[derive(Debug, Clone)]
pub struct Template {
    pub name: String,
    pub origin: Origin,
    pub text: String,
}

impl Template {
    /// How messages name the template: its file.
    pub fn file(&self) -> String {
        match &self.origin {
            Origin::BuiltIn => format!("templates/{}.md (built-in)", self.name),
            Origin::Override(path) => path.display().to_string(),
            Origin::Generic => format!("templates/{}.md (generic)", self.name),
        }
    }
}

/// Every template in force for the KB at `root`: built-ins, replaced or joined by overrides.
pub fn list(root: &Path) -> Result<Vec<Template>> {
    let mut all: BTreeMap<String, Template> = BUILTINS
        .iter()
        .map(|(name, text)| {
            let t = Template {
                name: name.to_string(),
                origin: Origin::BuiltIn,
                text: text.to_string(),
            };
            (t.name.clone(), t)
        })
        .collect();
    let dir = root.join(OVERRIDE_DIR);
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Ok(all.into_values().collect())
        }
        Err(e) => return Err(Error::io("read", dir, e)),
    };
    for entry in entries {
        let path = entry.map_err(|e| Error::io("read", &dir, e))?.path();
        let Some(name) = path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".md"))
            // The folder's own README (written by `kb init`) explains it; it is not a template.
            .filter(|n| !n.eq_ignore_ascii_case("readme"))
        else {
            continue;
        };
        // A template that is a FIFO, or a symlink out of the KB, is not one of the KB's.
        let Some(text) = crate::fsutil::read_inside(root, &path) else {
            continue;
        };
        let rel = Path::new(OVERRIDE_DIR).join(format!("{name}.md"));
        all.insert(
            name.to_string(),
            Template {
                name: name.to_string(),
                origin: Origin::Override(rel),
                text,
            },
        );
    }
    Ok(all.into_values().collect())
}

/// The templates in force for `schema`'s types: [`list`], plus the [`generic`] template of each
/// type (from kb.yaml) that has none of its own name, in name order.
pub fn in_force(root: &Path, schema: &crate::schema::Schema) -> Result<Vec<Template>> {
    let mut all = list(root)?;
    for t in schema.types() {
        if t.template == t.name && !all.iter().any(|found| found.name == t.name) {
            all.push(generic(t, &[]));
        }
    }
    all.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(all)
}

/// The template called `name` among those [`in_force`].
pub fn get_in_force(root: &Path, schema: &crate::schema::Schema, name: &str) -> Result<Template> {
    let all = in_force(root, schema)?;
    let names: Vec<String> = all.iter().map(|t| t.name.clone()).collect();
    all.into_iter()
        .find(|t| t.name == name)
        .ok_or_else(|| not_found(name, &names))
}

/// The template `kb new` renders for a doc of type `t`: the one kb.yaml names (the type's own
/// name unless it says otherwise), else, for a type with no template of its own name, the
/// [`generic`] one. `sets` are the `--set` values the generic template writes.
pub fn for_type(root: &Path, t: &DocType, sets: &[(String, String)]) -> Result<Template> {
    let all = list(root)?;
    let names: Vec<String> = all.iter().map(|t| t.name.clone()).collect();
    match all.into_iter().find(|found| found.name == t.template) {
        Some(found) => Ok(found),
        // A template kb.yaml names explicitly must exist: a typo there is the user's to fix.
        None if t.template == t.name => Ok(generic(t, sets)),
        None => Err(not_found(&t.template, &names)),
    }
}

fn not_found(name: &str, names: &[String]) -> Error {
    Error::usage_with_hint(
        format!("no template named {name:?}"),
        format!("the templates are: {}", names.join(", ")),
    )
}

/// Front-matter keys the generic template writes from kb's own variables, never from `--set`
/// (as in the built-in templates, `--set owner=x` does not override `--owner`).
const GENERIC_OWN_KEYS: &[&str] = &[
    "type", "id", "title", "author", "owner", "tags", "created", "period", "parent", "date",
    "slug", "now",
];

/// A template for type `t`, which has none: front-matter with the type, id, title, author,
/// owner, tags and creation date (as the built-ins write them), the status (the first allowed
/// one), then each required field, with its `--set` value or else a placeholder of its kind,
/// and any other `--set` value; then the title as a heading and a note on where a real template
/// goes.
pub fn generic(t: &DocType, sets: &[(String, String)]) -> Template {
    let set = |key: &str| {
        sets.iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let required = |key: &str| t.required.iter().any(|r| r == key);
    let mut text = String::from("---\ntype: {{ type | yaml }}\n");
    text.push_str("{% if id %}id: {{ id | yaml }}\n{% endif -%}\n");
    text.push_str("title: {{ title | yaml }}\nauthor: {{ author | yaml }}\n");
    text.push_str("owner: {{ owner | yaml }}\n");
    for key in ["period", "parent"] {
        // Required ones are written below, with a placeholder when not given.
        if !required(key) {
            text.push_str(&format!(
                "{{% if {key} %}}{key}: {{{{ {key} | yaml }}}}\n{{% endif -%}}\n"
            ));
        }
    }
    text.push_str("tags: {{ tags | yaml }}\ncreated: {{ date }}\n");
    let mut written: Vec<&str> = vec!["type", "id", "title", "author", "owner", "tags", "created"];
    if let Some(first) = t.statuses.first() {
        text.push_str(&format!(
            "{}: {}  # {}\n",
            yaml_key(&t.status_field),
            literal(first, true),
            verbatim(&t.statuses.join(" | "))
        ));
        written.push(&t.status_field);
    }
    for key in t.required.iter().map(String::as_str) {
        if written.contains(&key) {
            continue;
        }
        written.push(key);
        let kind = t.fields.get(key).unwrap_or(&FieldKind::String);
        let (value, what) = match (key, set(key)) {
            ("period" | "parent", _) => (format!("{{{{ {key} | yaml }}}}"), describe(kind)),
            (_, Some(given)) if !GENERIC_OWN_KEYS.contains(&key) => {
                (literal(given, quoted(kind)), describe(kind))
            }
            _ => placeholder(kind),
        };
        let what = verbatim(&what);
        text.push_str(&format!("{}: {value}  # {what}\n", yaml_key(key)));
    }
    for (key, given) in sets {
        let key = key.as_str();
        if written.contains(&key) || GENERIC_OWN_KEYS.contains(&key) {
            continue;
        }
        written.push(key);
        let quote = t.fields.get(key).is_none_or(quoted);
        let given = set(key).unwrap_or(given);
        text.push_str(&format!("{}: {}\n", yaml_key(key), literal(given, quote)));
    }
    text.push_str("---\n# {{ title }}\n\n<!--\n");
    text.push_str(
        "kb wrote this doc from the fields of the {{ type }} type, which has no template yet.\n",
    );
    text.push_str(&format!(
        "Put one in {OVERRIDE_DIR}/{{{{ type }}}}.md to give every new {{{{ type }}}} its sections and guidance.\n"
    ));
    text.push_str("-->\n");
    Template {
        name: t.name.clone(),
        origin: Origin::Generic,
        text,
    }
}

/// A value of a field with no `--set` value, and what to write there.
fn placeholder(kind: &FieldKind) -> (String, String) {
    let value = match kind {
        FieldKind::Date => "{{ date }}".to_string(),
        FieldKind::Person => "{{ owner | yaml }}".to_string(),
        FieldKind::People => "{{ [owner] | yaml }}".to_string(),
        // A reference cannot be guessed: left empty, the schema check asks for a --set value.
        FieldKind::Doc => "\"\"".to_string(),
        FieldKind::Docs => "[]".to_string(),
        FieldKind::Number => "0".to_string(),
        FieldKind::Bool => "false".to_string(),
        FieldKind::Url => "\"https://\"".to_string(),
        FieldKind::Enum(values) => match values.first() {
            Some(first) => literal(first, true),
            None => "\"\"".to_string(),
        },
        FieldKind::String => "\"TODO\"".to_string(),
    };
    (value, format!("fill in: {}", describe(kind)))
}

/// What a field of `kind` holds, for the comment beside it.
fn describe(kind: &FieldKind) -> String {
    match kind {
        FieldKind::String => "text".into(),
        FieldKind::Date => "a date, YYYY-MM-DD".into(),
        FieldKind::Person => "a person's handle".into(),
        FieldKind::People => "a list of handles".into(),
        FieldKind::Doc => "a doc's id or path".into(),
        FieldKind::Docs => "a list of doc ids or paths".into(),
        FieldKind::Number => "a number".into(),
        FieldKind::Bool => "true or false".into(),
        FieldKind::Url => "a URL".into(),
        FieldKind::Enum(values) => format!("one of {}", values.join(" | ")),
    }
}

/// Whether a `--set` value of `kind` is written as quoted text (numbers, booleans and dates
/// are written as they are, so they keep their YAML type).
fn quoted(kind: &FieldKind) -> bool {
    !matches!(kind, FieldKind::Number | FieldKind::Bool | FieldKind::Date)
}

/// `value` as template text that renders to itself: a Jinja string literal (JSON escapes are
/// Jinja's too), as YAML-safe JSON text when `quote`, else as it is.
fn literal(value: &str, quote: bool) -> String {
    let jinja = serde_json::to_string(value).unwrap_or_else(|_| "\"\"".into());
    match quote {
        true => format!("{{{{ {jinja} | yaml }}}}"),
        false => format!("{{{{ {jinja} }}}}"),
    }
}

/// `text` as template text that renders to itself: as it is unless it holds a `{`, which could
/// open a Jinja tag.
fn verbatim(text: &str) -> String {
    match text.contains('{') {
        true => literal(text, false),
        false => text.to_string(),
    }
}

/// A front-matter key as template text: as it is when plain, else a quoted literal.
fn yaml_key(key: &str) -> String {
    let plain = key
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        && key.starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_');
    match plain {
        true => key.to_string(),
        false => literal(key, true),
    }
}

/// Renders `template` with `vars`. Undefined variables are errors, so a typo in a template
/// shows up at once instead of as an empty field.
pub fn render(template: &Template, vars: &BTreeMap<String, serde_json::Value>) -> Result<String> {
    let mut env = minijinja::Environment::new();
    env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .keep_trailing_newline(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.add_filter("yaml", yaml_filter);
    let error = |e: minijinja::Error| Error::Template {
        file: template.file(),
        line: e.line(),
        message: e
            .detail()
            .map_or_else(|| e.kind().to_string(), |d| format!("{}: {d}", e.kind())),
    };
    env.add_template(&template.name, &template.text)
        .map_err(error)?;
    let compiled = env.get_template(&template.name).map_err(error)?;
    compiled
        .render(minijinja::value::Serde(vars))
        .map_err(error)
}

/// A value as YAML that survives any title: JSON strings and lists are valid YAML flow scalars.
fn yaml_filter(value: minijinja::Value) -> std::result::Result<String, minijinja::Error> {
    serde_json::to_string(&value)
        .map_err(|e| minijinja::Error::new(minijinja::ErrorKind::InvalidOperation, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars(pairs: &[(&str, serde_json::Value)]) -> BTreeMap<String, serde_json::Value> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn yaml_filter_quotes_anything() {
        let t = Template {
            name: "t".into(),
            origin: Origin::BuiltIn,
            text: "title: {{ title | yaml }}\ntags: {{ tags | yaml }}\n".into(),
        };
        let out = render(
            &t,
            &vars(&[
                ("title", "a: \"b\" # c".into()),
                ("tags", serde_json::json!(["x"])),
            ]),
        )
        .unwrap();
        assert_eq!(out, "title: \"a: \\\"b\\\" # c\"\ntags: [\"x\"]\n");
    }

    #[test]
    fn a_type_without_a_template_gets_a_generic_one_that_meets_its_schema() {
        use crate::schema::{Schema, TypeOverride};
        let vendor = TypeOverride {
            folder: Some("vendors".into()),
            required: Some(
                [
                    "title",
                    "owner",
                    "renewal",
                    "tier",
                    "seats",
                    "contact-email",
                    "site",
                    "team",
                ]
                .map(String::from)
                .to_vec(),
            ),
            fields: [
                ("renewal".to_string(), FieldKind::Date),
                (
                    "tier".to_string(),
                    FieldKind::Enum(vec!["gold".into(), "silver".into()]),
                ),
                ("seats".to_string(), FieldKind::Number),
                ("site".to_string(), FieldKind::Url),
                ("team".to_string(), FieldKind::People),
            ]
            .into(),
            statuses: Some(vec!["active".into(), "ended".into()]),
            ..Default::default()
        };
        let schema = Schema::new(&[("vendor".to_string(), vendor)].into());
        let t = schema.get("vendor").unwrap();
        let awkward = "a \"b\" {{ c }} {% d %} \\ \u{e9}\u{1}\n";
        let template = generic(
            t,
            &[
                ("seats".into(), "12".into()),
                ("note".into(), awkward.into()),
                ("owner".into(), "ignored".into()),
            ],
        );
        assert_eq!(template.origin, Origin::Generic);
        assert_eq!(template.file(), "templates/vendor.md (generic)");
        let out = render(
            &template,
            &vars(&[
                ("type", "vendor".into()),
                ("id", "".into()),
                ("title", "Acme: \"the\" {{ vendor }}".into()),
                ("author", "dana".into()),
                ("owner", "sam".into()),
                ("tags", serde_json::json!([])),
                ("date", "2026-11-25".into()),
                ("period", "".into()),
                ("parent", "".into()),
            ]),
        )
        .unwrap();
        let source =
            crate::doc::parse("vendors/acme.md".into(), out.clone().into_bytes(), &schema).unwrap();
        let doc = &source.doc;
        assert_eq!(schema.validate(doc), Vec::new(), "{out}");
        assert_eq!(doc.doc_type.as_deref(), Some("vendor"));
        assert_eq!(doc.title, "Acme: \"the\" {{ vendor }}");
        let f = &doc.fields;
        assert_eq!(f["owner"], "sam");
        assert_eq!(f["author"], "dana");
        assert_eq!(f["created"], "2026-11-25");
        assert_eq!(f["status"], "active");
        assert_eq!(f["renewal"], "2026-11-25");
        assert_eq!(f["tier"], "gold");
        assert_eq!(f["seats"], 12);
        assert_eq!(f["site"], "https://");
        assert_eq!(f["team"], serde_json::json!(["sam"]));
        assert_eq!(f["contact-email"], "TODO");
        assert_eq!(f["note"], awkward);
        assert!(!f.contains_key("period") && !f.contains_key("parent"));
        assert!(source.body().starts_with("# Acme"), "{out}");
        assert!(source.body().contains(".kb/templates/vendor.md"), "{out}");
    }

    #[test]
    fn errors_name_file_and_line() {
        let t = Template {
            name: "spec".into(),
            origin: Origin::Override(".kb/templates/spec.md".into()),
            text: "ok\n{{ missing }}\n".into(),
        };
        match render(&t, &vars(&[])).unwrap_err() {
            Error::Template { file, line, .. } => {
                assert_eq!(file, ".kb/templates/spec.md");
                assert_eq!(line, Some(2));
            }
            other => panic!("{other:?}"),
        }
    }
}
