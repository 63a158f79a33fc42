//! Search ranking on questions people type: each test encodes one cause of a wrong answer seen
//! on a real handbook (DESIGN §6).

use crate::Fixture;

fn top(fx: &Fixture, query: &str) -> Vec<String> {
    let out = fx
        .kb(&["--format", "json", "search", "--", query])
        .output()
        .unwrap();
    assert!(
        out.status.code() == Some(0) || out.status.code() == Some(1),
        "{query}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    found["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["path"].as_str().unwrap().to_string())
        .collect()
}

fn handbook() -> Fixture {
    Fixture::new()
        .file(
            "benefits/leave.md",
            "# Leave\n\n## Vacation\n\nEvery employee gets 25 vacation days a year. Vacation days \
             roll over for one year.\n\n## Sick days\n\nTake the sick days you need.\n\n## Holidays\n\n\
             Public holidays are days off on top of your vacation days.\n",
        )
        .file(
            "handbook/how-to-write.md",
            "# How to write a handbook page\n\n## How many days\n\nA page takes a few days to write.\n",
        )
        .file(
            "archive/old-leave.md",
            "# Old leave policy\n\nEvery employee gets 20 vacation days a year.\n",
        )
        .file(
            "policies/travel.md",
            "# Travel policy\n\nThe travel budget is 2000 EUR a year per person. Book trains first.\n",
        )
}

#[test]
fn question_words_count_for_nothing() {
    let fx = handbook();
    assert_eq!(
        top(&fx, "how many vacation days do I get")[0],
        "benefits/leave.md"
    );
}

#[test]
fn an_apostrophe_or_a_question_mark_is_text() {
    let fx = handbook();
    assert_eq!(
        top(&fx, "what's our travel budget?")[0],
        "policies/travel.md"
    );
    assert_eq!(top(&fx, "travel (budget")[0], "policies/travel.md");
}

#[test]
fn an_archived_page_ranks_below_the_live_one() {
    let fx = handbook();
    let found = top(&fx, "vacation days a year");
    let live = found.iter().position(|p| p == "benefits/leave.md").unwrap();
    let old = found
        .iter()
        .position(|p| p == "archive/old-leave.md")
        .unwrap();
    assert!(live < old, "{found:?}");
}

#[test]
fn a_stray_heading_does_not_beat_the_page_that_answers() {
    let fx = handbook();
    assert_eq!(top(&fx, "days")[0], "benefits/leave.md");
}

#[test]
fn synonyms_find_the_page_in_other_words() {
    let fx = handbook();
    assert_eq!(top(&fx, "pto")[0], "benefits/leave.md");
    let fx = handbook().file("kb.yaml", "search: {builtin_synonyms: false}\n");
    assert!(top(&fx, "pto").is_empty());
}

#[test]
fn a_typo_is_searched_as_the_closest_indexed_word_and_said() {
    let fx = handbook();
    let out = fx
        .kb(&["--format", "json", "search", "vacaton budjet"])
        .output()
        .unwrap();
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(found["corrected"]["vacaton"], "vacation", "{found}");
    assert_eq!(found["results"][0]["path"], "benefits/leave.md");
    let text = fx.stdout(&["search", "travl"]);
    assert!(
        text.starts_with("showing results for: travel (for travl)"),
        "{text}"
    );
    // Short words are not guessed at: four letters is too few to tell a typo from a word.
    assert!(top(&fx, "trvl").is_empty());
}

#[test]
fn the_line_is_where_the_match_is_not_the_heading() {
    let fx = handbook();
    let out = fx
        .kb(&["--format", "json", "search", "roll over"])
        .output()
        .unwrap();
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let hit = &found["results"][0];
    assert_eq!(hit["path"], "benefits/leave.md");
    assert_eq!(hit["section"], "Vacation");
    assert_eq!(hit["line"], 5, "{found}");
}

#[test]
fn the_word_as_typed_beats_a_word_of_the_same_stem() {
    // "response", "responsibility" and "responsive" all stem to "respons"; the three pages are
    // otherwise alike (same lengths), so only the form typed can tell them apart.
    let fx = Fixture::new()
        .file(
            "handbook/charter.md",
            "# Team duty\n\nEach team writes down its responsibility for a service.\n",
        )
        .file(
            "oncall/paging.md",
            "# Paging duty\n\nThe engineer on call sends a response within minutes.\n",
        )
        .file(
            "design/web.md",
            "# Web pages\n\nEvery page is responsive on a phone screen too.\n",
        );
    assert_eq!(top(&fx, "response")[0], "oncall/paging.md");
    assert_eq!(top(&fx, "responsibility")[0], "handbook/charter.md");
    assert_eq!(top(&fx, "responsive")[0], "design/web.md");
    // Stem-only matches are still found, below.
    assert_eq!(top(&fx, "response").len(), 3);
}

#[test]
fn a_page_is_scored_as_a_whole_so_words_in_different_sections_add_up() {
    let fx = Fixture::new()
        .file(
            "finance/cards.md",
            "# Company cards\n\n## Refunds\n\nA refund goes back to the card.\n\n\
             ## Limits\n\nThe policy sets a monthly limit.\n",
        )
        .file(
            "support/desk.md",
            "# Support desk\n\n## Refunds\n\nCustomers ask for a refund by mail.\n\n\
             ## Hours\n\nOpen from nine to five.\n",
        )
        .file(
            "handbook/writing.md",
            "# Writing\n\n## Policy pages\n\nA policy page says who decides.\n",
        );
    assert_eq!(top(&fx, "refund policy")[0], "finance/cards.md");
}

#[test]
fn a_synonym_with_a_stop_word_in_it_is_searched_whole() {
    // "off" is a stop word: "time off" must not shrink to "time".
    let fx = handbook().file(
        "engineering/timeouts.md",
        "# Timeouts\n\nEvery request has a time limit.\n",
    );
    assert_eq!(
        top(&fx, "how much time off do I get?")[0],
        "benefits/leave.md"
    );
}

#[test]
fn a_plural_calls_up_the_synonyms_of_its_singular() {
    let fx = handbook().file(
        "benefits/assistance.md",
        "# Employee assistance\n\nFree and confidential counseling sessions for you and your family.\n",
    );
    assert_eq!(top(&fx, "therapists"), vec!["benefits/assistance.md"]);
}

#[test]
fn a_hyphenated_word_is_searched_as_its_words() {
    let fx = handbook().file(
        "engineering/licenses.md",
        "# Open source licenses\n\nAvoid copyleft code such as GPL (ok for internal use).\n",
    );
    assert_eq!(
        top(&fx, "can I use a GPL-licensed library?")[0],
        "engineering/licenses.md"
    );
}
