//! "Open now", from weekly hours in the partnership's time zone. Local time comes from
//! the IANA time-zone database, so daylight-saving changes need no special case; a span
//! that closes before it opens runs past midnight into the next day.

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use harbour_types::Weekday;

/// One span of opening hours, in minutes after local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// The day it opens.
    pub day: Weekday,
    /// Opening minute, 0..1440.
    pub opens: u16,
    /// Closing minute, 1..=1440; at or before `opens` means the next day.
    pub closes: u16,
}

/// Minutes after midnight of an `HH:MM` time (24:00 is 1440).
pub fn minutes(time: &str) -> Option<u16> {
    let (h, m) = time.split_once(':')?;
    let value = h.parse::<u16>().ok()? * 60 + m.parse::<u16>().ok()?;
    (value <= 1440).then_some(value)
}

fn weekday(day: chrono::Weekday) -> Weekday {
    match day {
        chrono::Weekday::Mon => Weekday::Monday,
        chrono::Weekday::Tue => Weekday::Tuesday,
        chrono::Weekday::Wed => Weekday::Wednesday,
        chrono::Weekday::Thu => Weekday::Thursday,
        chrono::Weekday::Fri => Weekday::Friday,
        chrono::Weekday::Sat => Weekday::Saturday,
        chrono::Weekday::Sun => Weekday::Sunday,
    }
}

/// A moment read once in the partnership's time zone, to test many schedules against.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    today: Weekday,
    yesterday: Weekday,
    minute: u16,
}

impl Clock {
    /// The local day and minute of `at` in `zone`.
    pub fn at(zone: Tz, at: DateTime<Utc>) -> Clock {
        let local = at.with_timezone(&zone);
        Clock {
            today: weekday(local.weekday()),
            yesterday: weekday(local.weekday().pred()),
            minute: u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(0),
        }
    }

    /// Whether any span is open at this moment.
    pub fn open(&self, spans: &[Span]) -> bool {
        spans.iter().any(|span| {
            if span.closes > span.opens {
                span.day == self.today && (span.opens..span.closes).contains(&self.minute)
            } else {
                // Past midnight: the evening part today, or the early-morning part after yesterday's opening.
                (span.day == self.today && self.minute >= span.opens) || (span.day == self.yesterday && self.minute < span.closes)
            }
        })
    }
}

/// Whether any span is open at `at`, read in `zone`.
pub fn open_at(spans: &[Span], zone: Tz, at: DateTime<Utc>) -> bool {
    Clock::at(zone, at).open(spans)
}

/// When a span next opens after `at` (within the coming week), read in `zone`: for "opens
/// Tuesday 09:00" on a closed service. An opening in a daylight-saving gap counts at the
/// first moment that exists after it.
pub fn next_opening(spans: &[Span], zone: Tz, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let today = at.with_timezone(&zone).date_naive();
    (0..=7)
        .filter_map(|offset| today.checked_add_days(chrono::Days::new(offset)))
        .flat_map(|date| {
            spans.iter().filter(move |span| span.day == weekday(date.weekday())).filter_map(move |span| {
                let local = date.and_hms_opt(u32::from(span.opens / 60), u32::from(span.opens % 60), 0)?;
                let local = zone.from_local_datetime(&local);
                local.earliest().or_else(|| zone.from_local_datetime(&(date.and_hms_opt(u32::from(span.opens / 60), 0, 0)? + chrono::Duration::hours(1))).earliest())
            })
        })
        .map(|opening| opening.with_timezone(&Utc))
        .filter(|opening| *opening > at)
        .min()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn halifax(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        chrono_tz::America::Halifax.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("unambiguous").with_timezone(&Utc)
    }

    const NIGHT_OUTREACH: &[Span] = &[Span { day: Weekday::Friday, opens: 20 * 60, closes: 4 * 60 }];
    const OFFICE: &[Span] = &[Span { day: Weekday::Monday, opens: 9 * 60, closes: 17 * 60 }];

    #[test]
    fn office_hours() {
        // 2026-11-23 is a Monday.
        assert!(open_at(OFFICE, chrono_tz::America::Halifax, halifax(2026, 11, 23, 9, 0)));
        assert!(!open_at(OFFICE, chrono_tz::America::Halifax, halifax(2026, 11, 23, 17, 0)));
        assert!(!open_at(OFFICE, chrono_tz::America::Halifax, halifax(2026, 11, 24, 10, 0)));
    }

    #[test]
    fn past_midnight() {
        // Friday 2026-11-27 20:00 to Saturday 04:00.
        assert!(open_at(NIGHT_OUTREACH, chrono_tz::America::Halifax, halifax(2026, 11, 27, 23, 30)));
        assert!(open_at(NIGHT_OUTREACH, chrono_tz::America::Halifax, halifax(2026, 11, 28, 3, 59)));
        assert!(!open_at(NIGHT_OUTREACH, chrono_tz::America::Halifax, halifax(2026, 11, 28, 4, 0)));
        assert!(!open_at(NIGHT_OUTREACH, chrono_tz::America::Halifax, halifax(2026, 11, 27, 19, 59)));
    }

    #[test]
    fn the_next_opening_is_found_later_today_or_in_the_coming_week() {
        let zone = chrono_tz::America::Halifax;
        // Monday 08:00: today at 09:00. Monday 18:00: next Monday at 09:00.
        assert_eq!(next_opening(OFFICE, zone, halifax(2026, 11, 23, 8, 0)), Some(halifax(2026, 11, 23, 9, 0)));
        assert_eq!(next_opening(OFFICE, zone, halifax(2026, 11, 23, 18, 0)), Some(halifax(2026, 11, 30, 9, 0)));
        // Friday night outreach, asked on Wednesday: Friday 20:00.
        assert_eq!(next_opening(NIGHT_OUTREACH, zone, halifax(2026, 11, 25, 12, 0)), Some(halifax(2026, 11, 27, 20, 0)));
        assert_eq!(next_opening(&[], zone, halifax(2026, 11, 25, 12, 0)), None);
    }

    #[test]
    fn daylight_saving_changes() {
        // Clocks go back on 2026-11-01 (Sunday): 09:00 local is 13:00 UTC after, 12:00 UTC before.
        let sunday = [Span { day: Weekday::Sunday, opens: 9 * 60, closes: 10 * 60 }];
        let zone = chrono_tz::America::Halifax;
        assert!(open_at(&sunday, zone, Utc.with_ymd_and_hms(2026, 11, 1, 13, 30, 0).unwrap()));
        assert!(!open_at(&sunday, zone, Utc.with_ymd_and_hms(2026, 11, 1, 12, 30, 0).unwrap()));
        // And forward on 2026-03-08: 09:00 local is 12:00 UTC.
        assert!(open_at(&sunday, zone, Utc.with_ymd_and_hms(2026, 3, 8, 12, 30, 0).unwrap()));
    }
}
