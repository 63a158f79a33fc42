//! Review anchors: `anchor::capture` a quote taken from a body, edit the body, then
//! `anchor::resolve` the anchor in the edited body. A second mode resolves an arbitrary anchor,
//! as an event file may hold one. Resolution must find the capture's own text in the unedited
//! body, and any range it returns must be a slice of the body it was given.
#![no_main]

use arbitrary::Arbitrary;
use kb::review::anchor::{self, Anchor, Resolution};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Edit {
    at: u16,
    delete: u8,
    insert: String,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Captured {
        body: String,
        quote_at: u16,
        quote_len: u16,
        body_line: u8,
        edits: Vec<Edit>,
    },
    Stored {
        anchor: StoredAnchor,
        body: String,
    },
}

#[derive(Arbitrary, Debug)]
struct StoredAnchor {
    exact: String,
    prefix: String,
    suffix: String,
    start: usize,
    end: usize,
    section: String,
    line: usize,
}

/// The largest char boundary of `s` at or below `i`.
fn floor(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn check_range(body: &str, located: &anchor::Located) {
    if let Some((s, e)) = located.range {
        assert!(
            s <= e && body.get(s..e).is_some(),
            "{located:?} in {} bytes",
            body.len()
        );
    }
}

fuzz_target!(|input: Input| {
    match input {
        Input::Captured {
            body,
            quote_at,
            quote_len,
            body_line,
            edits,
        } => {
            let body_line = usize::from(body_line) + 1;
            let start = floor(&body, usize::from(quote_at));
            let end = floor(&body, start + usize::from(quote_len));
            let quote = &body[start..end];
            let Ok(captured) = anchor::capture(&body, body_line, quote, "blob") else {
                return;
            };
            let same = anchor::resolve(&captured, &body, body_line);
            assert_eq!(same.resolution, Resolution::Exact, "{captured:?}");
            assert_eq!(same.range, Some((captured.start, captured.end)));

            let mut edited = body.clone();
            for edit in edits.iter().take(8) {
                let at = floor(&edited, usize::from(edit.at));
                let to = floor(&edited, at + usize::from(edit.delete));
                edited.replace_range(at..to, &edit.insert);
            }
            let located = anchor::resolve(&captured, &edited, body_line);
            check_range(&edited, &located);
        }
        Input::Stored { anchor: a, body } => {
            let stored = Anchor {
                exact: a.exact,
                prefix: a.prefix,
                suffix: a.suffix,
                start: a.start,
                end: a.end,
                section: a.section,
                line: a.line,
                blob: String::new(),
            };
            let located = anchor::resolve(&stored, &body, 1);
            check_range(&body, &located);
        }
    }
});
