//! Dates as docs write them: `2026-11-25`, or the date part of a timestamp. One reading for
//! front-matter values, `--where` operands and schema checks, so they all agree on what a date is.

use chrono::NaiveDate;

/// A date or the date part of a timestamp (`2026-11-25`, `2026-11-25T10:00:00Z`, `2026-11-25 10:00`).
pub fn parse(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let head = text.get(..10)?;
    let date = NaiveDate::parse_from_str(head, "%Y-%m-%d").ok()?;
    match text.as_bytes().get(10) {
        None | Some(b'T') | Some(b't') | Some(b' ') => Some(date),
        _ => None,
    }
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
    }
}
