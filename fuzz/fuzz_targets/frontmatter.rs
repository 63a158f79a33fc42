//! Front-matter: `frontmatter::split` and `parse`, then the whole doc through `doc::parse` and
//! `doc::parse_metadata` with the default schema. Both readings of a doc must agree.
#![no_main]

use kb::doc::{self, frontmatter};
use kb::schema::Schema;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let Ok(split) = frontmatter::split(text) {
            assert_eq!(&text[split.body_offset..], split.body);
            assert!(split.body_line >= 1);
            if let Ok(fields) = frontmatter::parse(&split) {
                let _ = frontmatter::to_yaml_block(&fields);
            }
        }
        let _ = frontmatter::quick_field(text, "id");
    }

    let schema = Schema::default();
    let path = "specs/fuzz.md".to_string();
    let full = doc::parse(path.clone(), data.to_vec(), &schema);
    let meta = doc::parse_metadata(path, data, &schema);
    match (full, meta) {
        (Ok(source), Ok(meta)) => {
            assert_eq!(source.doc, meta);
            let _ = source.body();
            let d = &source.doc;
            let _ = (
                d.id(),
                d.status(),
                d.owner(),
                d.tags(),
                d.date_field("created"),
            );
            let _ = d.field("review.due");
        }
        (Err(a), Err(b)) => assert_eq!((a.line, a.column, a.kind), (b.line, b.column, b.kind)),
        (a, b) => panic!("doc::parse and doc::parse_metadata disagree: {a:?} vs {b:?}"),
    }
});
