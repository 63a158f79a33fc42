//! Pretty JSON written as text, byte for byte as serde_json's pretty printer writes it, for the
//! one listing large enough for serde's machinery to show: `kb ls --format json` writes every
//! field of every doc (at 100k docs, 70 MB), and went through a serializer call per token.
//! Everything else prints through serde ([`crate::render::write_json`]); the tests of
//! `render::docs` hold the two to the same bytes.

use serde_json::Value;

/// A new line indented for `depth` levels of nesting (two spaces each).
pub fn line(out: &mut Vec<u8>, depth: usize) {
    out.push(b'\n');
    out.resize(out.len() + 2 * depth, b' ');
}

/// `text` as a JSON string: quoted, with `"`, `\` and control characters escaped as serde_json
/// escapes them.
pub fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    if plain(text.as_bytes()) {
        out.extend_from_slice(text.as_bytes());
    } else {
        escaped(out, text.as_bytes());
    }
    out.push(b'"');
}

/// [`string`] for bytes that should be UTF-8 text (the doc cache's, read without checking);
/// `None`, with nothing written, when they are not.
pub fn string_of_bytes(out: &mut Vec<u8>, bytes: &[u8]) -> Option<()> {
    match plain(bytes) {
        // Plain ASCII is UTF-8: nearly every text is, and is neither checked again nor
        // scanned byte by byte (both were a tenth of `kb ls --format json`).
        true => {
            out.push(b'"');
            out.extend_from_slice(bytes);
            out.push(b'"');
        }
        false => string(out, std::str::from_utf8(bytes).ok()?),
    }
    Some(())
}

/// Whether `bytes` are printable ASCII with nothing to escape; looked at 32 bytes at a time,
/// which the compiler does as vector compares.
fn plain(bytes: &[u8]) -> bool {
    // Below 0x20 or from 0x80 up, in one unsigned compare.
    let special = |b: u8| (b.wrapping_sub(0x20) >= 0x60) | (b == b'"') | (b == b'\\');
    bytes
        .chunks(32)
        .all(|c| !c.iter().fold(false, |any, &b| any | special(b)))
}

/// The escapes of UTF-8 text with something to escape, or bytes beyond ASCII.
fn escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&bytes[start..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0c => out.extend_from_slice(b"\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.extend_from_slice(b"\\u00");
                out.push(HEX[usize::from(b >> 4)]);
                out.push(HEX[usize::from(b & 0xf)]);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// `text` as a JSON string, or `null`.
pub fn optional(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => string(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

/// A key of an object and the `: ` after it.
pub fn key(out: &mut Vec<u8>, key: &str) {
    string(out, key);
    out.extend_from_slice(b": ");
}

/// [`key`] for bytes that should be UTF-8 text ([`string_of_bytes`]).
pub fn key_of_bytes(out: &mut Vec<u8>, key: &[u8]) -> Option<()> {
    string_of_bytes(out, key)?;
    out.extend_from_slice(b": ");
    Some(())
}

/// A number (or other scalar but a string) as serde_json writes it.
pub fn scalar<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) {
    // Writing to a Vec cannot fail; a value JSON cannot hold (a NaN) is `null`, as serde_json
    // writes it.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// `value` as pretty JSON whose first line sits at `depth`.
pub fn value(out: &mut Vec<u8>, value: &Value, depth: usize) {
    match value {
        Value::String(s) => string(out, s),
        Value::Array(items) => list(out, depth, items, |out, item, depth| {
            self::value(out, item, depth)
        }),
        Value::Object(map) => {
            object(out, depth, map, |out, (k, v), depth| {
                key(out, k);
                self::value(out, v, depth);
            });
        }
        other => scalar(out, other),
    }
}

/// `[` the items, each on its own line at `depth + 1`, `]`; `[]` when there are none.
pub fn list<I: IntoIterator>(
    out: &mut Vec<u8>,
    depth: usize,
    items: I,
    item: impl FnMut(&mut Vec<u8>, I::Item, usize),
) {
    nested(out, *b"[]", depth, items, item);
}

/// `{` the pairs, each on its own line at `depth + 1` (`pair` writes its [`key`] and value),
/// `}`; `{}` when there are none.
pub fn object<I: IntoIterator>(
    out: &mut Vec<u8>,
    depth: usize,
    pairs: I,
    pair: impl FnMut(&mut Vec<u8>, I::Item, usize),
) {
    nested(out, *b"{}", depth, pairs, pair);
}

fn nested<I: IntoIterator>(
    out: &mut Vec<u8>,
    [open, close]: [u8; 2],
    depth: usize,
    items: I,
    mut item: impl FnMut(&mut Vec<u8>, I::Item, usize),
) {
    out.push(open);
    let mut any = false;
    for it in items {
        if any {
            out.push(b',');
        }
        line(out, depth + 1);
        item(out, it, depth + 1);
        any = true;
    }
    if any {
        line(out, depth);
    }
    out.push(close);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pretty(v: &Value) -> String {
        let mut out = Vec::new();
        value(&mut out, v, 0);
        String::from_utf8(out).unwrap()
    }

    /// serde_json's pretty printer is the reference, on every shape and escape.
    #[test]
    fn writes_what_serde_json_writes() {
        let values = [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"a": [], "b": {}, "c": [1, -2, 3.5, 1e300, true, null]}),
            serde_json::json!({"q\"uote": "back\\slash \n\r\t\u{8}\u{c}\u{1}\u{1f} \u{7f} é ✓ 𝄞"}),
            serde_json::json!([[["deep"]], {"x": {"y": {"z": 18446744073709551615u64}}}]),
            serde_json::json!("plain"),
        ];
        for v in values {
            assert_eq!(pretty(&v), serde_json::to_string_pretty(&v).unwrap(), "{v}");
        }
    }

    #[test]
    fn bytes_are_written_only_when_they_are_text() {
        let mut out = Vec::new();
        assert_eq!(
            string_of_bytes(&mut out, b"a plain text, longer than sixteen"),
            Some(())
        );
        assert_eq!(string_of_bytes(&mut out, "\"é\"".as_bytes()), Some(()));
        let expected = r#""a plain text, longer than sixteen""\"é\"""#;
        assert_eq!(String::from_utf8(out.clone()).unwrap(), expected);
        assert_eq!(string_of_bytes(&mut out, b"bad \xff byte"), None);
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
