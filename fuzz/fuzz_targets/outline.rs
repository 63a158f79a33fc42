//! The Markdown outline: headings and links (`markdown::outline`), search sections
//! (`markdown::sections`) and the title heading (`markdown::title_heading`).
#![no_main]

use kb::doc::markdown;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(body) = std::str::from_utf8(data) else {
        return;
    };
    let first_line = 3;
    let last_line = first_line + body.matches('\n').count();
    let outline = markdown::outline(body, first_line);
    for h in &outline.headings {
        assert!((1..=6).contains(&h.level));
        assert!((first_line..=last_line).contains(&h.line), "{h:?}");
    }
    for l in &outline.links {
        assert!((first_line..=last_line).contains(&l.line), "{l:?}");
        assert!(l.column >= 1);
    }
    for s in markdown::sections(body, first_line) {
        assert!((first_line..=last_line).contains(&s.line), "{s:?}");
    }
    let _ = markdown::title_heading(body);
});
