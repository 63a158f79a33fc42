//! The search query parser on what a person types, through the whole `search::search`
//! (query parsing, prefix queries, ranking, snippets) over a small index in memory.
#![no_main]

use kb::index::fuzzing::memory_index;
use kb::index::search::{self, Request};
use kb::index::SearchIndex;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const DOCS: &[(&str, &str)] = &[
    (
        "handbook/expenses.md",
        "---\ntitle: Expense policy\ntags: [finance, travel]\nowner: ana\nstatus: active\n---\n# Expense policy\n\nSubmit receipts within 30 days.\n\n## Refunds\n\nRefunds for travel are paid monthly.\n",
    ),
    (
        "rca/RCA-0007.md",
        "---\nid: RCA-0007\ntype: rca\ntitle: Checkout outage\nstatus: draft\n---\n# Checkout outage\n\n## Root cause\n\nA config push disabled the payment provider. 支付 失败。\n",
    ),
    (
        "specs/onboarding.md",
        "# Onboarding\n\nNew hires get a laptop, an account and a buddy.\n",
    ),
];

fn index() -> &'static SearchIndex {
    static INDEX: OnceLock<SearchIndex> = OnceLock::new();
    INDEX.get_or_init(|| memory_index(DOCS).expect("the in-memory index builds"))
}

fuzz_target!(|data: &[u8]| {
    let Ok(query) = std::str::from_utf8(data) else {
        return;
    };
    let index = index();
    let request = Request {
        query: query.to_string(),
        limit: 5,
        ..Request::default()
    };
    // A query kb refuses is an answer too; only a panic or a bad highlight is a finding.
    if let Ok(found) = search::search(index, &request) {
        for hit in &found.hits {
            for &(s, e) in &hit.highlights {
                assert!(hit.snippet.get(s..e).is_some(), "{hit:?}");
            }
        }
    }
});
