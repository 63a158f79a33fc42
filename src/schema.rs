//! Doc types: the built-in ones of an async company's knowledge base (handbook, playbook, goal,
//! check-in, deep dive, RCA, spec, decision, meeting, onboarding, person, metric) and what kb.yaml
//! adds to or changes in them: folder, template, id pattern, required fields, field kinds and
//! allowed statuses. A doc without `type:` takes the type whose folder holds it.

use serde::{Deserialize, Serialize};
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
    pub required: Option<Vec<String>>,
    pub fields: BTreeMap<String, FieldKind>,
    pub statuses: Option<Vec<String>>,
    pub status_field: Option<String>,
}

/// Fields whose kind is the same in every type.
const COMMON_FIELDS: &[(&str, FieldKind)] = &[
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
    required: &'static [&'static str],
    statuses: &'static [&'static str],
}

const BUILTINS: &[Builtin] = &[
    Builtin {
        name: "handbook",
        folder: "handbook",
        id_pattern: None,
        required: &["title"],
        statuses: &[],
    },
    Builtin {
        name: "playbook",
        folder: "playbooks",
        id_pattern: None,
        required: &["title"],
        statuses: &[],
    },
    Builtin {
        name: "goal",
        folder: "goals",
        id_pattern: None,
        required: &["title", "owner", "id", "period"],
        statuses: &["draft", "active", "done", "cancelled"],
    },
    Builtin {
        name: "checkin",
        folder: "goals/checkins",
        id_pattern: None,
        required: &["author", "date"],
        statuses: &[],
    },
    Builtin {
        name: "deep-dive",
        folder: "deep-dives",
        id_pattern: Some("DD-{n:04}"),
        required: &["title", "owner"],
        statuses: &[],
    },
    Builtin {
        name: "rca",
        folder: "rca",
        id_pattern: Some("RCA-{n:04}"),
        required: &["title", "owner"],
        statuses: &["draft", "in-review", "published"],
    },
    Builtin {
        name: "spec",
        folder: "specs",
        id_pattern: Some("SPEC-{n:04}"),
        required: &["title", "owner"],
        statuses: &["draft", "in-review", "approved", "implemented", "abandoned"],
    },
    Builtin {
        name: "decision",
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
        folder: "meetings",
        id_pattern: None,
        required: &["title", "owner"],
        statuses: &[],
    },
    Builtin {
        name: "onboarding",
        folder: "onboarding",
        id_pattern: None,
        required: &["title"],
        statuses: &[],
    },
    Builtin {
        name: "person",
        folder: "people",
        id_pattern: None,
        required: &["title", "handle"],
        statuses: &[],
    },
    Builtin {
        name: "metric",
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
        Schema { types, by_folder }
    }

    pub fn get(&self, name: &str) -> Option<&DocType> {
        self.types.get(name)
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
    }
}

fn builtin_type(b: &Builtin) -> DocType {
    DocType {
        name: b.name.to_string(),
        folder: b.folder.to_string(),
        template: b.name.to_string(),
        id_pattern: b.id_pattern.map(str::to_string),
        required: b.required.iter().map(|s| s.to_string()).collect(),
        fields: COMMON_FIELDS
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
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
        required: vec!["title".to_string()],
        fields: COMMON_FIELDS
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect(),
        statuses: Vec::new(),
        status_field: "status".to_string(),
    }
}

fn apply_override(t: &mut DocType, o: &TypeOverride) {
    if let Some(folder) = &o.folder {
        t.folder = folder.trim_matches('/').to_string();
    }
    if let Some(template) = &o.template {
        t.template = template.clone();
    }
    if let Some(pattern) = &o.id_pattern {
        t.id_pattern = Some(pattern.clone());
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

    #[test]
    fn goals_keep_status_in_state() {
        let s = Schema::default();
        assert_eq!(s.get("goal").unwrap().status_field, "state");
        assert_eq!(s.get("spec").unwrap().status_field, "status");
    }
}
