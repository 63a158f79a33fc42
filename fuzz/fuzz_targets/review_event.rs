//! Review event files: `review::parse_event`, what `kb` reads from `.kb/reviews/**.md`. An event
//! that parses and holds an anchor is also resolved against a small doc.
#![no_main]

use kb::review::{self, anchor};
use libfuzzer_sys::fuzz_target;

const DOC: &str = "# Checkout redesign\n\n## Rollout\n\nWe will switch every merchant over in a single weekend, after the freeze lifts.\n";

fuzz_target!(|data: &[u8]| {
    let rel = ".kb/reviews/specs/checkout/01J0000000000000000000000A/01J0000000000000000000000A.md";
    if let Ok(event) = review::parse_event(data.to_vec(), rel) {
        assert!(!event.id.is_empty() && !event.thread.is_empty());
        if let Some(a) = &event.anchor {
            let located = anchor::resolve(a, DOC, 1);
            if let Some((s, e)) = located.range {
                assert!(DOC.get(s..e).is_some(), "{located:?}");
            }
        }
    }
});
