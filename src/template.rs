//! Templates for new docs: the built-ins of the crate's `templates/` folder, compiled in, and the
//! KB's own in `.kb/templates/`, where a file of the same name overrides a built-in. Rendered with
//! minijinja (Jinja syntax); a template error names the template file and line.

use crate::error::{Error, Result};
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
    ("spec", include_str!("../templates/spec.md")),
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    BuiltIn,
    /// A file in `.kb/templates/`, relative to the KB root.
    Override(PathBuf),
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

/// The template called `name`, an override if the KB has one.
pub fn get(root: &Path, name: &str) -> Result<Template> {
    let all = list(root)?;
    let names: Vec<String> = all.iter().map(|t| t.name.clone()).collect();
    all.into_iter().find(|t| t.name == name).ok_or_else(|| {
        Error::usage_with_hint(
            format!("no template named {name:?}"),
            format!("the templates are: {}", names.join(", ")),
        )
    })
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
