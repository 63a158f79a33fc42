//! A doc's front-matter fields, in the order the file writes them.
//!
//! A list of pairs, not a hash map: a front-matter holds a handful of keys, where a scan is as
//! fast as hashing the key, and every doc of a 100k-doc KB is in memory at once, where a hash
//! table beside each doc's fields cost 30 MB and a tenth of a warm `kb ls` (BENCHMARKS.md,
//! issue 17). Values are JSON values, nested maps `serde_json` maps.
//!
//! Fields read from the doc cache stay in the cache's bytes ([`Packed`]) until something needs
//! them all: a lookup by key ([`Fields::value`], [`Fields::contains_key`]) reads just that key,
//! so a command that asks three keys of each of 100k docs builds no 100k maps.

use crate::cache::fields::{self, Packed};
use serde::de::{Deserializer, MapAccess, Visitor};
use serde::ser::{SerializeMap, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::sync::OnceLock;

/// A doc's front-matter: each key once, in the order the file first writes it.
#[derive(Clone, Default)]
pub struct Fields {
    /// The pairs, when parsed from a file or changed since (else empty).
    pairs: Vec<(String, Value)>,
    /// The doc cache's bytes of the pairs, when read from it and not changed since.
    packed: Option<Packed>,
    /// `packed`, decoded the first time all of it was needed.
    decoded: OnceLock<Vec<(String, Value)>>,
}

/// Above this many keys, repeats are found through a hash table rather than by scanning (a
/// hostile front-matter of 27,000 keys took 0.74 s by scanning).
const SCAN_MOST: usize = 32;

impl Fields {
    pub fn new() -> Fields {
        Fields::default()
    }

    pub fn with_capacity(n: usize) -> Fields {
        Fields::owned(Vec::with_capacity(n))
    }

    fn owned(pairs: Vec<(String, Value)>) -> Fields {
        Fields {
            pairs,
            ..Fields::default()
        }
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
        Fields::owned(out)
    }

    /// Pairs whose keys are distinct already: read back from kb's own cache, which wrote them
    /// from fields (and checks each chunk's hash before reading it).
    pub(crate) fn from_distinct(pairs: Vec<(String, Value)>) -> Fields {
        Fields::owned(pairs)
    }

    /// Fields kept in the doc cache's bytes until they are needed.
    pub(crate) fn from_packed(packed: Packed) -> Fields {
        Fields {
            packed: Some(packed),
            ..Fields::default()
        }
    }

    /// The cache's bytes of these fields, when they are still those.
    pub(crate) fn packed(&self) -> Option<&Packed> {
        self.packed.as_ref()
    }

    /// Every pair, decoded from the cache's bytes the first time.
    fn pairs(&self) -> &[(String, Value)] {
        match &self.packed {
            Some(packed) => self.decoded.get_or_init(|| packed.decode()),
            None => &self.pairs,
        }
    }

    /// The pairs to change: the cache's bytes no longer describe them.
    fn pairs_mut(&mut self) -> &mut Vec<(String, Value)> {
        if let Some(packed) = self.packed.take() {
            self.pairs = self.decoded.take().unwrap_or_else(|| packed.decode());
        }
        &mut self.pairs
    }

    /// Keeps the pairs as the doc cache's bytes from now on, as a doc read from the cache keeps
    /// them: for a command that holds every doc of the KB at once (`kb check` on a first run
    /// at 100k docs held 50 MB more in values than in bytes).
    pub(crate) fn pack(&mut self) {
        if self.packed.is_some() {
            return;
        }
        if let Some(packed) = Packed::of(self) {
            self.packed = Some(packed);
            self.pairs = Vec::new();
        }
    }

    /// Decodes all the pairs now and lets go of the cache's bytes (a no-op for fields parsed
    /// from a file): for a command about to read every field of every doc, from the threads
    /// that share that work.
    pub fn unpack(&mut self) {
        self.pairs_mut();
    }

    pub fn get(&self, key: &str) -> Option<&Value> {
        // A key the cache's bytes do not hold is missing without decoding any.
        if let (Some(packed), None) = (&self.packed, self.decoded.get()) {
            if !packed.contains_key(key) {
                return None;
            }
        }
        self.pairs().iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// The value of `key`; from the cache's bytes, only that value is decoded.
    pub fn value(&self, key: &str) -> Option<Cow<'_, Value>> {
        match (&self.packed, self.decoded.get()) {
            (Some(packed), None) => packed.get(key).map(Cow::Owned),
            _ => self.get(key).map(Cow::Borrowed),
        }
    }

    /// The value of `key` as it is held: decoded, or the cache's bytes of it.
    pub fn view(&self, key: &str) -> Option<View<'_>> {
        match (&self.packed, self.decoded.get()) {
            (Some(packed), None) => packed.find(key).map(View::Packed),
            _ => self.get(key).map(View::Value),
        }
    }

    /// [`Fields::view`] of each of `keys`, found in one pass over the cache's bytes.
    pub fn views<const N: usize>(&self, keys: [&str; N]) -> [Option<View<'_>>; N] {
        match (&self.packed, self.decoded.get()) {
            (Some(packed), None) => packed.find_many(keys).map(|v| v.map(View::Packed)),
            _ => keys.map(|key| self.get(key).map(View::Value)),
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.pairs_mut()
            .iter_mut()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        match (&self.packed, self.decoded.get()) {
            (Some(packed), None) => packed.contains_key(key),
            _ => self.pairs().iter().any(|(k, _)| k == key),
        }
    }

    /// Sets `key`, in its place if it is there (as a map keeps it), else last; returns the value
    /// it replaced.
    pub fn insert(&mut self, key: String, value: Value) -> Option<Value> {
        match self.get_mut(&key) {
            Some(old) => Some(std::mem::replace(old, value)),
            None => {
                self.pairs_mut().push((key, value));
                None
            }
        }
    }

    /// The value of `key`, set by `make` first if there is none.
    pub fn get_or_insert_with(&mut self, key: &str, make: impl FnOnce() -> Value) -> &mut Value {
        let pairs = self.pairs_mut();
        let at = match pairs.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                pairs.push((key.to_string(), make()));
                pairs.len() - 1
            }
        };
        &mut pairs[at].1
    }

    /// Removes `key`, keeping the others in order.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let pairs = self.pairs_mut();
        let at = pairs.iter().position(|(k, _)| k == key)?;
        Some(pairs.remove(at).1)
    }

    pub fn keys(&self) -> impl Iterator<Item = &String> {
        self.pairs().iter().map(|(k, _)| k)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Value)> {
        self.pairs().iter().map(|(k, v)| (k, v))
    }

    pub fn len(&self) -> usize {
        match (&self.packed, self.decoded.get()) {
            (Some(packed), None) => packed.len(),
            _ => self.pairs().len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The fields as a JSON map, for a value that nests them.
    pub fn into_map(mut self) -> Map<String, Value> {
        std::mem::take(self.pairs_mut()).into_iter().collect()
    }
}

impl PartialEq for Fields {
    fn eq(&self, other: &Fields) -> bool {
        self.pairs() == other.pairs()
    }
}

impl std::fmt::Debug for Fields {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
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
        Fields::owned(map.into_iter().collect())
    }
}

impl<'a> IntoIterator for &'a Fields {
    type Item = (&'a String, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a String, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.pairs().iter().map(|(k, v)| (k, v))
    }
}

impl Serialize for Fields {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if let (Some(packed), None) = (&self.packed, self.decoded.get()) {
            return packed.write(s);
        }
        let pairs = self.pairs();
        let mut map = s.serialize_map(Some(pairs.len()))?;
        for (k, v) in pairs {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// One field's value as [`Fields::view`] finds it, read as text without decoding what it need
/// not: a listing's texts are borrowed from the cache's bytes, not copied.
#[derive(Debug, Clone, Copy)]
pub enum View<'a> {
    Value(&'a Value),
    /// The value's encoding in the doc cache ([`crate::cache::fields`]).
    Packed(&'a [u8]),
}

impl<'a> View<'a> {
    /// A scalar as text, as [`crate::doc::scalar_string`] gives it; lists and maps have none.
    pub fn text(self) -> Option<Cow<'a, str>> {
        if let Some(s) = self.string() {
            return Some(Cow::Borrowed(s));
        }
        match self {
            View::Value(value) => crate::doc::scalar_string(value),
            View::Packed(bytes) => fields::decoded(bytes)
                .as_ref()
                .and_then(crate::doc::scalar_string),
        }
        .map(Cow::Owned)
    }

    /// The value when it is a string.
    pub fn string(self) -> Option<&'a str> {
        match self {
            View::Value(Value::String(s)) => Some(s),
            View::Value(_) => None,
            View::Packed(bytes) => fields::text(bytes),
        }
    }

    /// The items of a list, each a [`View`]; `None` when the value is not a list.
    pub fn items(self) -> Option<Vec<View<'a>>> {
        match self {
            View::Value(Value::Array(items)) => Some(items.iter().map(View::Value).collect()),
            View::Value(_) => None,
            View::Packed(bytes) => Some(
                fields::items(bytes)?
                    .into_iter()
                    .map(View::Packed)
                    .collect(),
            ),
        }
    }
}

impl Fields {
    /// The fields as the pretty JSON object their [`Serialize`] gives, at `depth`; from the
    /// cache's bytes without decoding them.
    pub fn write_json(&self, out: &mut Vec<u8>, depth: usize) -> std::io::Result<()> {
        if let (Some(packed), None) = (&self.packed, self.decoded.get()) {
            return packed
                .write_json(out, depth)
                .ok_or_else(|| std::io::Error::other("damaged fields in the doc cache"));
        }
        crate::json_text::object(out, depth, self.pairs(), |out, (k, v), depth| {
            crate::json_text::key(out, k);
            crate::json_text::value(out, v, depth);
        });
        Ok(())
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
