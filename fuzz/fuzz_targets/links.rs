//! `kb check`'s links: the links and anchors it reads from a doc (outline links outside Liquid
//! comments, heading and HTML anchors), then how it reads each link's target (external or not,
//! percent-decoding, `..` resolution, wiki names). The raw input is also read as one target.
#![no_main]

use kb::check::fuzzing::{links_and_anchors, read_link_target};
use kb::schema::Schema;
use libfuzzer_sys::fuzz_target;

const FROM: &str = "handbook/policies/expenses.md";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = read_link_target(FROM, text);
    let Ok(source) = kb::doc::parse(FROM.to_string(), data.to_vec(), &Schema::default()) else {
        return;
    };
    let (outline, anchors) = links_and_anchors(&source);
    for link in &outline.links {
        let _ = read_link_target(FROM, &link.target);
    }
    let _ = anchors.len();
});
