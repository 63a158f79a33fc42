//! Goal periods: years (`2026`), quarters (`2026-Q4`), months (`2026-11`), ISO weeks
//! (`2026-W48`, Monday to Sunday; W53 where the year has one), fiscal years and their quarters
//! (`FY2027`, `FY2027-Q2`, starting in a configurable month), and explicit start/end dates.

use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use serde::Serialize;
use std::fmt;

/// A span of whole days, both ends included.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Period {
    pub label: String,
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl Period {
    /// Parses a period label. `fiscal_start` is the month (1-12) in which fiscal years start;
    /// `FY2027` is the fiscal year that ends in 2027 (with a January start, the calendar year).
    pub fn parse(label: &str, fiscal_start: u32) -> Result<Period, String> {
        let label = label.trim();
        let bad = || {
            format!(
                "{label:?} is not a period: write 2026, 2026-Q4, 2026-11, 2026-W48, FY2027 or FY2027-Q2"
            )
        };
        let (start, end) = if let Some(fy) = label
            .strip_prefix("FY")
            .or_else(|| label.strip_prefix("fy"))
        {
            let (year, quarter) = match fy.split_once('-') {
                Some((y, q)) => (y, Some(q)),
                None => (fy, None),
            };
            let year: i32 = year.parse().map_err(|_| bad())?;
            let months_before = if fiscal_start == 1 {
                0
            } else {
                12 - (fiscal_start - 1)
            };
            let fy_start =
                date(year, 1, 1).and_then(|d| d.checked_sub_months(Months::new(months_before)));
            let fy_start = fy_start
                .and_then(|d| d.with_month(fiscal_start))
                .ok_or_else(bad)?;
            match quarter {
                None => (fy_start, months_after(fy_start, 12).ok_or_else(bad)?),
                Some(q) => {
                    let q = quarter_number(q).ok_or_else(bad)?;
                    let s = fy_start
                        .checked_add_months(Months::new(3 * (q - 1)))
                        .ok_or_else(bad)?;
                    (s, months_after(s, 3).ok_or_else(bad)?)
                }
            }
        } else if let Some((year, rest)) = label.split_once('-') {
            let year: i32 = year.parse().map_err(|_| bad())?;
            if let Some(q) = quarter_number(rest) {
                let s = date(year, 3 * (q - 1) + 1, 1).ok_or_else(bad)?;
                (s, months_after(s, 3).ok_or_else(bad)?)
            } else if let Some(week) = rest.strip_prefix('W').or_else(|| rest.strip_prefix('w')) {
                let week: u32 = week.parse().map_err(|_| bad())?;
                let s = NaiveDate::from_isoywd_opt(year, week, Weekday::Mon)
                    .ok_or_else(|| format!("{label:?}: {year} has no ISO week {week}"))?;
                (s, s.checked_add_days(Days::new(6)).ok_or_else(bad)?)
            } else {
                let month: u32 = rest.parse().map_err(|_| bad())?;
                let s = date(year, month, 1).ok_or_else(bad)?;
                (s, months_after(s, 1).ok_or_else(bad)?)
            }
        } else {
            let year: i32 = label.parse().map_err(|_| bad())?;
            (
                date(year, 1, 1).ok_or_else(bad)?,
                date(year, 12, 31).ok_or_else(bad)?,
            )
        };
        Ok(Period {
            label: label.to_string(),
            start,
            end,
        })
    }

    /// An explicit span, as goals with `start:` and `end:` give it.
    pub fn between(start: NaiveDate, end: NaiveDate) -> Result<Period, String> {
        if end < start {
            return Err(format!(
                "the period ends ({end}) before it starts ({start})"
            ));
        }
        Ok(Period {
            label: format!("{start}..{end}"),
            start,
            end,
        })
    }

    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// The share of the period elapsed by the end of `as_of` (the as-of day counts), 0 to 1.
    pub fn elapsed(&self, as_of: NaiveDate) -> f64 {
        let done = (as_of - self.start).num_days() + 1;
        (done as f64 / self.days() as f64).clamp(0.0, 1.0)
    }

    pub fn contains(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.end
    }

    pub fn overlaps(&self, other: &Period) -> bool {
        self.start <= other.end && other.start <= self.end
    }
}

/// The last day of the `months` months starting at `start`; `None` past chrono's calendar.
fn months_after(start: NaiveDate, months: u32) -> Option<NaiveDate> {
    start
        .checked_add_months(Months::new(months))?
        .checked_sub_days(Days::new(1))
}

fn date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn quarter_number(text: &str) -> Option<u32> {
    let q: u32 = text
        .strip_prefix('Q')
        .or_else(|| text.strip_prefix('q'))?
        .parse()
        .ok()?;
    (1..=4).contains(&q).then_some(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn span(label: &str) -> (NaiveDate, NaiveDate) {
        let p = Period::parse(label, 1).unwrap();
        (p.start, p.end)
    }

    #[test]
    fn years_quarters_months() {
        assert_eq!(span("2026"), (d(2026, 1, 1), d(2026, 12, 31)));
        assert_eq!(span("2026-Q4"), (d(2026, 10, 1), d(2026, 12, 31)));
        assert_eq!(span("2026-Q1"), (d(2026, 1, 1), d(2026, 3, 31)));
        assert_eq!(span("2026-11"), (d(2026, 11, 1), d(2026, 11, 30)));
        assert_eq!(
            span("2028-02"),
            (d(2028, 2, 1), d(2028, 2, 29)),
            "leap year"
        );
        assert_eq!(span("2026-02"), (d(2026, 2, 1), d(2026, 2, 28)));
    }

    #[test]
    fn iso_weeks_and_w53() {
        assert_eq!(span("2026-W48"), (d(2026, 11, 23), d(2026, 11, 29)));
        // 2026-W01 starts in 2025: ISO weeks belong to the year of their Thursday.
        assert_eq!(span("2026-W01"), (d(2025, 12, 29), d(2026, 1, 4)));
        assert_eq!(span("2020-W53"), (d(2020, 12, 28), d(2021, 1, 3)));
        assert!(Period::parse("2025-W53", 1)
            .unwrap_err()
            .contains("no ISO week 53"));
        assert_eq!(
            span("2026-W53"),
            (d(2026, 12, 28), d(2027, 1, 3)),
            "2026 starts on a Thursday"
        );
        assert_eq!(span("2026-W52").0, d(2026, 12, 21));
    }

    #[test]
    fn fiscal_years() {
        assert_eq!(span("FY2026"), (d(2026, 1, 1), d(2026, 12, 31)));
        let p = Period::parse("FY2027", 2).unwrap();
        assert_eq!((p.start, p.end), (d(2026, 2, 1), d(2027, 1, 31)));
        let q = Period::parse("FY2027-Q2", 2).unwrap();
        assert_eq!((q.start, q.end), (d(2026, 5, 1), d(2026, 7, 31)));
        let q = Period::parse("FY2027-Q4", 10).unwrap();
        assert_eq!((q.start, q.end), (d(2027, 7, 1), d(2027, 9, 30)));
    }

    #[test]
    fn bad_periods() {
        for label in [
            "banana",
            "2026-Q9",
            "2026-13",
            "FY",
            "2026-Wx",
            "",
            "262143-Q4",
            "FY262143",
            "262143-12",
        ] {
            assert!(Period::parse(label, 1).is_err(), "{label}");
        }
        assert!(Period::between(d(2026, 2, 1), d(2026, 1, 1)).is_err());
    }

    #[test]
    fn elapsed_counts_the_as_of_day() {
        let q4 = Period::parse("2026-Q4", 1).unwrap();
        assert_eq!(q4.days(), 92);
        assert_eq!(q4.elapsed(d(2026, 9, 30)), 0.0);
        assert!((q4.elapsed(d(2026, 10, 1)) - 1.0 / 92.0).abs() < 1e-9);
        assert!((q4.elapsed(d(2026, 11, 25)) - 56.0 / 92.0).abs() < 1e-9);
        assert_eq!(q4.elapsed(d(2026, 12, 31)), 1.0);
        assert_eq!(q4.elapsed(d(2027, 3, 1)), 1.0);
        let leap = Period::parse("2028", 1).unwrap();
        assert_eq!(leap.days(), 366);
    }
}
