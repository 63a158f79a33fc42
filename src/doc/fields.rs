//! A doc's front-matter fields, in the order the file writes them.
//!
//! A list of pairs, not a hash map: a front-matter holds a handful of keys, where a scan is as
//! fast as hashing the key, and every doc of a 100k-doc KB is in memory at once, where a hash
//! table beside each doc's fields cost 30 MB and a tenth of a warm `kb ls` (BENCHMARKS.md,
//! issue 17). Values are JSON values, nested maps `serde_json` maps.

use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A doc's front-matter: each key once, in the order the file first writes it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields(Vec<(String, Value)>);

/// Above this many keys, repeats are found through a hash table rather than by scanning (a
/// hostile front-matter of 27,000 keys took 0.74 s by scanning).
const SCAN_MOST: usize = 32;

impl Fields {
    pub fn new() -> Fields {
        Fields(Vec::new())
    }

    pub fn with_capacity(n: usize) -> Fields {
        Fields(Vec::with_capacity(n))
    }

    /// Pairs as a file gives them: a repeated key keeps its first place and takes its last
    /// value, as YAML readers do.
    pub fn from_pairs(pairs: Vec<(String, Value)>) -> Fields {
        if pairs.len() <= SCAN_MOST {
            let mut fields = Fields::with_capacity(pairs.len());
            for (k, v) in pairs {
                fields.insert(k, v);
            }
            return fields;
        }
        let mut at: std::collections::HashMap<String, usize> = Default::default();
        let mut out: Vec<(String, Value)> = Vec::with_capacity(pairs.len());
        for (k, v) in pairs {
            match at.get(&k) {
                Some(&i) => out[i].1 = v,
                None => {
                    at.insert(k.clone(), out.len());
                    out.push((k, v));
                }
            }
        }
        Fields(out)
    }

    /// Pairs whose keys are distinct already: read back from kb's own cache, which wrote them
    /// from fields (and checks each chunk's hash before reading it).
    pub(crate) fn from_distinct(pairs: Vec<(String, Value)>) -> Fields {
        Fields(pairs)
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// Sets `key`, in its place if it is there (as a map keeps it), else last; returns the value
    /// it replaced.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.get_mut(&key) {
            Some(old) => Some(std::mem::replace(old, value)),
            None => {
                self.0.push((key, value));
                None
            }
        }
    }

    /// The value of `key`, set by `make` first if there is none.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> Value) -> &mut Value {
        let at = match self.0.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                self.0.push((key.to_string(), make()));
                self.0.len() - 1
            }
        };
        &mut self.0[at].1
    }

    /// Removes `key`, keeping the others in order.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let at = self.0.iter().position(|(k, _)| k == key)?;
        Some(self.0.remove(at).1)
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(k, _)| k)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.0.iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The fields as a JSON map, for a value that nests them.
    pub fn into_map(self) -> Map<String, Value> {
        self.0.into_iter().collect()
    }
}

/// `fields["key"]`, null when the key is missing (as for a JSON value, where a JSON map would
/// panic).
impl std::ops::Index<&str> for Fields {
    type Output = Value;

    fn index(&self, key: &str) -> &Value {
        static NULL: Value = Value::Null;
        self.get(key).unwrap_or(&NULL)
    }
}

impl FromIterator<(String, Value)> for Fields {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Fields {
        Fields::from_pairs(iter.into_iter().collect())
    }
}

impl From<Map<String, Value>> for Fields {
    fn from(map: Map<String, Value>) -> Fields {
        Fields(map.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Fields {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Fields, D::Error> {
        d.deserialize_map(FieldsVisitor)
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Fields;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a mapping of fields")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        // A hint from the input is capped: it costs memory before any entry is read.
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0).min(256));
        while let Some(pair) = map.next_entry::<String, Value>()? {
            pairs.push(pair);
        }
        Ok(Fields::from_pairs(pairs))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn order_is_kept_a_repeated_key_keeps_its_place_and_takes_the_last_value() {
        let fields: Fields = serde_json::from_str(r#"{"b": 1, "a": 2, "b": 3}"#).unwrap();
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(fields.get("b"), Some(&json!(3)));
        assert_eq!(serde_json::to_string(&fields).unwrap(), r#"{"b":3,"a":2}"#);
    }

    #[test]
    fn many_keys_with_repeats_keep_first_places_and_last_values() {
        let pairs: Vec<(String, Value)> = (0..100)
            .chain(0..10)
            .enumerate()
            .map(|(n, k)| (format!("k{k}"), json!(n)))
            .collect();
        let fields = Fields::from_pairs(pairs);
        assert_eq!(fields.len(), 100);
        assert_eq!(fields.keys().next().map(String::as_str), Some("k0"));
        assert_eq!(fields.get("k0"), Some(&json!(100)));
        assert_eq!(fields.get("k50"), Some(&json!(50)));
    }

    #[test]
    fn remove_keeps_the_others_in_order() {
        let mut fields: Fields = [("x", 1), ("y", 2), ("z", 3)]
            .into_iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        assert_eq!(fields.remove("y"), Some(json!(2)));
        assert_eq!(fields.remove("y"), None);
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["x", "z"]);
    }
}
