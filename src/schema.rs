//! Doc types: the built-in ones of an async company's knowledge base (handbook, playbook, goal,
//! check-in, deep dive, RCA, spec, decision, meeting, onboarding, person, role, metric) and what kb.yaml
//! adds to or changes in them: folder, template, id pattern, required fields, field kinds and
//! allowed statuses. A doc without `type:` takes the type whose folder holds it.

use crate::doc::Document;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// The kind of value a front-matter field holds. In kb.yaml: a name (`date`, `person`, ...) or
/// `{enum: [a, b]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", try_from = "RawKind")]
pub enum FieldKind {
    String,
    Date,
    /// A person's handle (a doc in people/).
    Person,
    /// A list of handles.
    People,
    /// A reference to another doc: an id or a path.
    Doc,
    Docs,
    Number,
    Bool,
    Url,
    /// One of the listed values.
    Enum(Vec<String>),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocType {
    pub name: String,
    /// Folder relative to the KB root, with `/`, no trailing slash.
    pub folder: String,
    /// Template name used by `kb new` (the type name unless kb.yaml says otherwise).
    pub template: String,
    /// Pattern for new ids, such as `RCA-{n:04}`.
    pub id_pattern: Option<String>,
    /// Where `kb new` puts a doc inside the folder, without `.md`: `{slug}`, `{date}-{slug}`,
    /// `{year}/{slug}`, `{id}-{slug}` (the id lowercased) or `{year}/{date}-{author}`.
    pub filename: String,
    pub required: Vec<String>,
    pub fields: BTreeMap<String, FieldKind>,
    pub statuses: Vec<String>,
    /// The field that holds the status: `status`, or `state` for goals.
    pub status_field: String,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawKind {
    Name(String),
    Enum {
        #[serde(rename = "enum")]
        values: Vec<String>,
    },
}

impl TryFrom<RawKind> for FieldKind {
    type Error = String;

    fn try_from(raw: RawKind) -> Result<Self, String> {
        Ok(match raw {
            RawKind::Enum { values } => FieldKind::Enum(values),
            RawKind::Name(name) => match name.as_str() {
                "string" => FieldKind::String,
                "date" => FieldKind::Date,
                "person" => FieldKind::Person,
                "people" => FieldKind::People,
                "doc" => FieldKind::Doc,
                "docs" => FieldKind::Docs,
                "number" => FieldKind::Number,
                "bool" => FieldKind::Bool,
                "url" => FieldKind::Url,
                other => {
                    return Err(format!(
                        "unknown field kind {other:?}: use string, date, person, people, doc, docs, number, bool, url or {{enum: [...]}}"
                    ))
                }
            },
        })
    }
}

/// What kb.yaml may say about a type; every key optional, merged over the built-in type.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TypeOverride {
    pub folder: Option<String>,
    pub template: Option<String>,
    pub id_pattern: Option<String>,
    pub filename: Option<String>,
    pub required: Option<Vec<String>>,
    pub fields: BTreeMap<String, FieldKind>,
    pub statuses: Option<Vec<String>>,
    pub status_field: Option<String>,
}

/// Fields whose kind is the same in every type.
pub const COMMON_FIELDS: &[(&str, FieldKind)] = &[
    ("created", FieldKind::Date),
    ("updated", FieldKind::Date),
    ("date", FieldKind::Date),
    ("due", FieldKind::Date),
    ("owner", FieldKind::Person),
    ("author", FieldKind::Person),
    ("reviewers", FieldKind::People),
    ("supersedes", FieldKind::Doc),
    ("superseded_by", FieldKind::Doc),
    ("parent", FieldKind::Doc),
    ("video", FieldKind::Url),
];

struct Builtin {
    name: &'static str,
    folder: &'static str,
    id_pattern: Option<&'static str>,
    filename: &'static str,
    required: &'static [&'static str],
    statuses: &'static [&'static str],
}

const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "handbook",
        filename: "{slug}",
        folder: "handbook",
        id_pattern: None,
        required: &["title"],
        statuses: &[],
    },
    Builtin {
        name: "playbook",
        filename: "{slug}",
        folder: "playbooks",
        id_pattern: None,
        required: &["title"],
        statuses: &[],
    },
    Builtin {
        name: "goal",
        filename: "{year}/{slug}",
        folder: "goals",
        id_pattern: None,
        required: &["title", "owner", "id", "period"],
        statuses: &["draft", "active", "done", "cancelled"],
    },
    Builtin {
        name: "checkin",
        filename: "{year}/{date}-{author}",
        folder: "goals/checkins",
        id_pattern: None,
        required: &["author", "date"],
        statuses: &[],
    },
    Builtin {
        name: "deep-dive",
        filename: "{slug}",
        folder: "deep-dives",
        id_pattern: Some("DD-{n:04}"),
        required: &["title", "owner"],
        statuses: &[],
    },
    Builtin {
        name: "rca",
        filename: "{date}-{slug}",
        folder: "rca",
        id_pattern: Some("RCA-{n:04}"),
        required: &["title", "owner"],
        statuses: &["draft", "in-review", "published"],
    },
    Builtin {
        name: "spec",
        filename: "{slug}",
        folder: "specs",
        id_pattern: Some("SPEC-{n:04}"),
        required: &["title", "owner"],
        statuses: &["draft", "in-review", "approved", "implemented", "abandoned"],
    },
    Builtin {
        name: "decision",
        filename: "{id}-{slug}",
        folder: "decisions",
        id_pattern: Some("ADR-{n:04}"),
        required: &["title", "owner"],
        statuses: &[
            "proposed",
            "accepted",
            "rejected",
            "deprecated",
            "superseded",
        ],
    },
    Builtin {
        name: "meeting",
        filename: "{date}-{slug}",
        folder: "meetings",
        id_pattern: None,
        required: &["title", "owner"],
        statuses: &[],
    },
    Builtin {
        name: "memo",
        filename: "{date}-{slug}",
        folder: "memos",
        id_pattern: None,
        required: &["title", "owner"],
        statuses: &["draft", "in-review", "final"],
    },
    Builtin {
        name: "onboarding",
        filename: "{slug}",
        folder: "onboarding",
        id_pattern: None,
        required: &["title"],
        statuses: &[],
    },
    Builtin {
        name: "person",
        filename: "{slug}",
        folder: "people",
        id_pattern: None,
        required: &["title", "handle"],
        statuses: &[],
    },
    Builtin {
        name: "role",
        filename: "{slug}",
        folder: "roles",
        id_pattern: None,
        required: &["title"],
        statuses: &["open", "interviewing", "offer", "filled", "closed"],
    },
    Builtin {
        name: "reading",
        filename: "{year}/{date}-{author}",
        folder: "metrics/readings",
        id_pattern: None,
        required: &["author", "date"],
        statuses: &[],
    },
    Builtin {
        name: "metric",
        filename: "{slug}",
        folder: "metrics",
        id_pattern: None,
        required: &["title"],
        statuses: &[],
    },
];

/// The doc types in force for one KB.
#[derive(Debug, Clone)]
pub struct Schema {
    types: BTreeMap<String, DocType>,
    /// (folder + "/", type name), longest folder first, so `goals/checkins/` wins over `goals/`.
    by_folder: Vec<(String, String)>,
    /// The type kb.yaml gives the KB root (`folder: .`), for docs in no other type's folder.
    root_type: Option<String>,
}

impl Default for Schema {
    fn default() -> Self {
        Schema::new(&BTreeMap::new())
    }
}

impl Schema {
    /// The built-in types with kb.yaml's `types:` merged over them.
    pub fn new(overrides: &BTreeMap<String, TypeOverride>) -> Schema {
        let mut types: BTreeMap<String, DocType> = BUILTINS
            .iter()
            .map(builtin_type)
            .map(|t| (t.name.clone(), t))
            .collect();
        for (name, o) in overrides {
            let t = types.entry(name.clone()).or_insert_with(|| new_type(name));
            apply_override(t, o);
        }
        let mut by_folder: Vec<(String, String)> = types
            .values()
            .filter(|t| !t.folder.is_empty())
            .map(|t| (format!("{}/", t.folder), t.name.clone()))
            .collect();
        by_folder.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| a.0.cmp(&b.0)));
        // A type whose folder kb.yaml sets to the root (`folder: .`) is the type of every doc no
        // other type's folder claims: `types: {handbook: {folder: .}}` adopts a whole handbook.
        let root_type = overrides
            .iter()
            .find(|(_, o)| {
                o.folder
                    .as_deref()
                    .is_some_and(|f| normalize_folder(f).is_empty())
            })
            .map(|(name, _)| name.clone());
        Schema {
            types,
            by_folder,
            root_type,
        }
    }

    pub fn get(&self, name: &str) -> Option<&DocType> {
        self.types.get(name)
    }

    /// The kind of a field wherever a type declares it; a dotted key (`review.due`) falls back
    /// to its last part, so nested dates compare as dates too.
    pub fn field_kind(&self, key: &str) -> Option<&FieldKind> {
        // The facts git gives a doc (history.rs), which no type declares.
        static DATE: FieldKind = FieldKind::Date;
        static NUMBER: FieldKind = FieldKind::Number;
        match key {
            "git.created" | "git.updated" | "git.last_commit.date" => return Some(&DATE),
            "git.commits" => return Some(&NUMBER),
            _ => {}
        }
        let last = key.rsplit('.').next().unwrap_or(key);
        [key, last]
            .into_iter()
            .find_map(|k| self.types.values().find_map(|t| t.fields.get(k)))
    }

    pub fn types(&self) -> impl Iterator<Item = &DocType> {
        self.types.values()
    }

    /// The type whose folder holds `path` (relative, with `/`), the deepest folder winning.
    pub fn type_for_path(&self, path: &str) -> Option<&str> {
        self.by_folder
            .iter()
            .find(|(folder, _)| path.starts_with(folder.as_str()))
            .map(|(_, name)| name.as_str())
            .or(self.root_type.as_deref())
    }
}

/// How a doc breaks its type's schema; `kb check` reports each under its own code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Breach {
    MissingField,
    BadField,
    BadDate,
    BadStatus,
}

/// A way a doc breaks its type's schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    pub code: Breach,
    pub field: String,
    pub message: String,
}

impl Schema {
    /// Checks `doc` against its type: required fields present, field kinds, allowed statuses.
    /// A doc without a known type has nothing to break.
    pub fn validate(&self, doc: &Document) -> Vec<Violation> {
        let Some(t) = doc.doc_type.as_deref().and_then(|name| self.get(name)) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for field in &t.required {
            // `title` may come from the first heading instead.
            let present = match field.as_str() {
                "title" => !doc.title.is_empty(),
                _ => doc.fields.get(field).is_some_and(|v| !is_empty(v)),
            };
            if !present {
                out.push(Violation {
                    code: Breach::MissingField,
                    field: field.clone(),
                    message: format!("a {} needs `{field}`", t.name),
                });
            }
        }
        for (field, kind) in &t.fields {
            if let Some(value) = doc.fields.get(field).filter(|v| !v.is_null()) {
                if let Some(v) = check_kind(field, kind, value) {
                    out.push(v);
                }
            }
        }
        if !t.statuses.is_empty() {
            if let Some(status) = doc
                .fields
                .get(&t.status_field)
                .and_then(crate::doc::scalar_string)
            {
                if !t.statuses.iter().any(|s| s == &status) {
                    out.push(Violation {
                        code: Breach::BadStatus,
                        field: t.status_field.clone(),
                        message: format!(
                            "{} {status:?} is not one of {}",
                            t.status_field,
                            t.statuses.join(", ")
                        ),
                    });
                }
            }
        }
        out
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

fn check_kind(field: &str, kind: &FieldKind, value: &Value) -> Option<Violation> {
    let text = crate::doc::scalar_string(value);
    let list_of_text = |v: &Value| match v {
        Value::Array(items) => items.iter().all(|i| i.is_string()),
        Value::String(_) => true,
        _ => false,
    };
    let (ok, expected) = match kind {
        FieldKind::String => (text.is_some(), "text".to_string()),
        FieldKind::Date => {
            let ok = text.as_deref().and_then(crate::date::parse).is_some();
            if !ok {
                return Some(Violation {
                    code: Breach::BadDate,
                    field: field.to_string(),
                    message: format!("`{field}` must be a date like 2026-11-25, found {value}"),
                });
            }
            (true, String::new())
        }
        FieldKind::Person | FieldKind::Doc => (value.is_string(), "a single name".to_string()),
        FieldKind::People | FieldKind::Docs => (list_of_text(value), "a list of names".to_string()),
        FieldKind::Number => (value.is_number(), "a number".to_string()),
        FieldKind::Bool => (value.is_boolean(), "true or false".to_string()),
        FieldKind::Url => (value.is_string(), "a URL".to_string()),
        FieldKind::Enum(values) => (
            text.as_ref().is_some_and(|t| values.contains(t)),
            format!("one of {}", values.join(", ")),
        ),
    };
    (!ok).then(|| Violation {
        code: Breach::BadField,
        field: field.to_string(),
        message: format!("`{field}` must be {expected}, found {value}"),
    })
}

fn builtin_type(b: &Builtin) -> DocType {
    let mut fields: BTreeMap<String, FieldKind> = COMMON_FIELDS
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    // `manager` and `hiring_manager` name people too; `manager-unknown` checks them (people.rs).
    if b.name == "role" {
        fields.insert("opened".into(), FieldKind::Date);
    }
    DocType {
        name: b.name.to_string(),
        folder: b.folder.to_string(),
        template: b.name.to_string(),
        id_pattern: b.id_pattern.map(str::to_string),
        filename: b.filename.to_string(),
        required: b.required.iter().map(|s| s.to_string()).collect(),
        fields,
        statuses: b.statuses.iter().map(|s| s.to_string()).collect(),
        status_field: if b.name == "goal" { "state" } else { "status" }.to_string(),
    }
}

fn new_type(name: &str) -> DocType {
    DocType {
        name: name.to_string(),
        folder: String::new(),
        template: name.to_string(),
        id_pattern: None,
        filename: "{slug}".to_string(),
        required: vec!["title".to_string()],
        fields: COMMON_FIELDS
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        statuses: Vec::new(),
        status_field: "status".to_string(),
    }
}

/// `./handbook/` is `handbook`; `.`, `./` and `/` are the KB root, written as "".
fn normalize_folder(folder: &str) -> &str {
    let folder = folder.trim_start_matches("./").trim_matches('/');
    if folder == "." {
        ""
    } else {
        folder
    }
}

fn apply_override(t: &mut DocType, o: &TypeOverride) {
    if let Some(folder) = &o.folder {
        t.folder = normalize_folder(folder).to_string();
    }
    if let Some(template) = &o.template {
        t.template = template.clone();
    }
    if let Some(pattern) = &o.id_pattern {
        t.id_pattern = Some(pattern.clone());
    }
    if let Some(filename) = &o.filename {
        t.filename = filename.clone();
    }
    if let Some(required) = &o.required {
        t.required = required.clone();
    }
    t.fields
        .extend(o.fields.iter().map(|(k, v)| (k.clone(), v.clone())));
    if let Some(statuses) = &o.statuses {
        t.statuses = statuses.clone();
    }
    if let Some(field) = &o.status_field {
        t.status_field = field.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deepest_folder_wins() {
        let s = Schema::default();
        assert_eq!(
            s.type_for_path("goals/checkins/2026/2026-11-24-dana.md"),
            Some("checkin")
        );
        assert_eq!(s.type_for_path("goals/2026/acme.md"), Some("goal"));
        assert_eq!(s.type_for_path("rca/x.md"), Some("rca"));
        assert_eq!(s.type_for_path("rcafoo/x.md"), None);
        assert_eq!(s.type_for_path("README.md"), None);
    }

    #[test]
    fn kb_yaml_adds_and_changes_types() {
        let mut o = BTreeMap::new();
        o.insert(
            "vendor".to_string(),
            TypeOverride {
                folder: Some("vendors/".into()),
                required: Some(vec!["title".into(), "renewal".into()]),
                fields: [("renewal".to_string(), FieldKind::Date)].into(),
                ..Default::default()
            },
        );
        o.insert(
            "rca".to_string(),
            TypeOverride {
                id_pattern: Some("INC-{n}".into()),
                ..Default::default()
            },
        );
        let s = Schema::new(&o);
        assert_eq!(s.type_for_path("vendors/stripe.md"), Some("vendor"));
        assert_eq!(s.get("vendor").unwrap().fields["renewal"], FieldKind::Date);
        assert_eq!(s.get("vendor").unwrap().fields["owner"], FieldKind::Person);
        assert_eq!(s.get("rca").unwrap().id_pattern.as_deref(), Some("INC-{n}"));
        assert_eq!(s.get("rca").unwrap().folder, "rca");
    }

    fn validate(path: &str, text: &str) -> Vec<Breach> {
        let doc = crate::doc::parse(path.into(), text.as_bytes().to_vec(), &Schema::default())
            .unwrap()
            .doc;
        Schema::default()
            .validate(&doc)
            .into_iter()
            .map(|v| v.code)
            .collect()
    }

    #[test]
    fn validation() {
        assert!(validate(
            "rca/a.md",
            "---\ntitle: A\nowner: dana\nstatus: draft\n---\n"
        )
        .is_empty());
        assert_eq!(validate("rca/a.md", "# A\n"), vec![Breach::MissingField]);
        assert_eq!(
            validate("rca/a.md", "---\nowner: dana\nstatus: done\n---\n# A\n"),
            vec![Breach::BadStatus]
        );
        assert_eq!(
            validate(
                "specs/a.md",
                "---\nowner: [a, b]\ncreated: soon\n---\n# A\n"
            ),
            vec![Breach::BadDate, Breach::BadField]
        );
        assert_eq!(
            validate(
                "goals/2026/g.md",
                "---\ntitle: G\nowner: x\nid: g\nperiod: 2026\nstate: active\n---\n"
            ),
            Vec::<Breach>::new()
        );
        assert!(validate("misc/a.md", "anything").is_empty());
    }

    #[test]
    fn goals_keep_status_in_state() {
        let s = Schema::default();
        assert_eq!(s.get("goal").unwrap().status_field, "state");
        assert_eq!(s.get("spec").unwrap().status_field, "status");
    }
}
