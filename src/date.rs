//! Dates as docs write them: `2026-11-25`, or the date part of a timestamp. One reading for
//! front-matter values, `--where` operands and schema checks, so they all agree on what a date is.

use chrono::NaiveDate;
use std::borrow::Cow;

/// The time now as an RFC 3339 timestamp in UTC, on `today` (the KB's, which `KB_NOW` may fix):
/// the time of day is kept only when `today` is really today, else midnight.
pub fn now_rfc3339(today: NaiveDate) -> String {
    let now = chrono::Utc::now();
    if now.date_naive() == today {
        now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
    } else {
        format!("{}T00:00:00Z", today.format("%Y-%m-%d"))
    }
}

/// A date or the date part of a timestamp (`2026-11-25`, `2026-11-25T10:00:00Z`, `2026-11-25 10:00`).
pub fn parse(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let head = text.get(..10)?;
    let date = match plain(head) {
        Some(date) => date,
        None => NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?,
    };
    match text.as_bytes().get(10) {
        None | Some(b'T') | Some(b't') | Some(b' ') => Some(date),
        _ => None,
    }
}

/// `YYYY-MM-DD` in ASCII digits, as nearly every date is written, read without chrono's
/// format parser: `kb ls` reads two dates per doc, and that parser was a tenth of a warm
/// listing at 100k docs. Any other form is left to chrono.
fn plain(head: &str) -> Option<NaiveDate> {
    let b = head.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// `date` as `YYYY-MM-DD`; `text` itself when it already is that (neither formatted nor
/// copied).
pub fn ymd(date: NaiveDate, text: Cow<'_, str>) -> Cow<'_, str> {
    match plain(text.trim()) {
        Some(same) if same == date && text.len() == 10 => text,
        Some(same) if same == date => Cow::Owned(text.trim().to_string()),
        _ => Cow::Owned(date.format("%Y-%m-%d").to_string()),
    }
}

/// A span of days as people write one: `90d`, `2w`, `6m`, `1y`, `6 months`, `1 year` (a month
/// is 30 days, a year 365). `None` when it is not one. The one reading for `--where updated>30d`,
/// `--since 2w` and `review_every: 6m`.
pub fn span_days(text: &str) -> Option<u64> {
    let text = text.trim().to_ascii_lowercase();
    let split = text.find(|c: char| !c.is_ascii_digit())?;
    let (count, unit) = text.split_at(split);
    let count: u64 = count.parse().ok()?;
    let per = match unit.trim().trim_end_matches('s') {
        "d" | "day" => 1,
        "w" | "week" => 7,
        "m" | "month" => 30,
        "y" | "year" => 365,
        _ => return None,
    };
    count.checked_mul(per)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_the_date_part_of_timestamps() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25);
        assert_eq!(parse("2026-11-25"), day);
        assert_eq!(parse(" 2026-11-25T10:00:00Z "), day);
        assert_eq!(parse("2026-11-25 10:00"), day);
        assert_eq!(parse("2026-11-25x"), None);
        assert_eq!(parse("2026-13-01"), None);
        assert_eq!(parse("soon"), None);
        assert_eq!(parse("2026-11-2\u{e9}"), None);
        assert_eq!(parse("2026-02-29"), None);
        assert_eq!(parse("2024-02-29"), NaiveDate::from_ymd_opt(2024, 2, 29));
    }

    #[test]
    fn the_plain_reading_agrees_with_chrono() {
        for text in [
            "2026-11-25",
            "0000-01-01",
            "9999-12-31",
            "2026-00-10",
            "2026-12-32",
            "2026+11-25",
            "2026-1a-25",
            "20261125xx",
            "-202-11-25",
            "2026-11-5 ",
        ] {
            let chrono = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            assert_eq!(plain(text).or(chrono), chrono, "{text}");
        }
    }

    #[test]
    fn ymd_keeps_a_plain_date_as_written() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 25).unwrap();
        assert_eq!(ymd(day, "2026-11-25".into()), "2026-11-25");
        assert_eq!(ymd(day, "2026-11-25T10:00:00Z".into()), "2026-11-25");
        assert_eq!(ymd(day, " 2026-11-25 ".into()), "2026-11-25");
    }

    #[test]
    fn spans_as_people_write_them() {
        assert_eq!(span_days("90d"), Some(90));
        assert_eq!(span_days("2w"), Some(14));
        assert_eq!(span_days("6m"), Some(180));
        assert_eq!(span_days(" 1 Year "), Some(365));
        assert_eq!(span_days("6 months"), Some(180));
        assert_eq!(span_days("0d"), Some(0));
        assert_eq!(span_days("d"), None);
        assert_eq!(span_days("7"), None);
        assert_eq!(span_days("7x"), None);
        assert_eq!(span_days("99999999999999999999d"), None);
    }
}
