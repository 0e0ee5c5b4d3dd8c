//! "Open now", from weekly hours in the partnership's time zone and the dated exceptions
//! to them (holidays: closed, or other hours that day). Local time comes from the IANA
//! time-zone database, so daylight-saving changes need no special case; a span that
//! closes before it opens runs past midnight into the next day.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, TimeZone, Timelike, Utc};
use chrono_tz::Tz;
use harbour_types::{Schedule, ScheduleException, Weekday};

/// One span of opening hours, in minutes after local midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Span {
    /// The day it opens.
    pub day: Weekday,
    /// Opening minute, 0..1440.
    pub opens: u16,
    /// Closing minute, 1..=1440; at or before `opens` means the next day.
    pub closes: u16,
}

/// A day whose hours are not the weekly ones: closed (`hours` none) or open
/// `(opens, closes)` only, which may run past midnight like a weekly span.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Exception {
    pub date: NaiveDate,
    pub hours: Option<(u16, u16)>,
}

/// A service's opening hours: weekly spans, and dated exceptions that replace them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Hours {
    pub weekly: Box<[Span]>,
    pub exceptions: Box<[Exception]>,
}

impl Hours {
    /// From a service's schedules as the API shows them; times that do not read are left out.
    /// A service open around the clock is open every whole day, apart from its
    /// exceptions: a 24/7 shelter closed on one date is closed that date.
    pub fn of(schedules: &[Schedule], exceptions: &[ScheduleException], around_the_clock: bool) -> Hours {
        let weekly = if around_the_clock {
            Weekday::ALL.iter().map(|&day| Span { day, opens: 0, closes: 24 * 60 }).collect()
        } else {
            schedules.iter().filter_map(|s| Some(Span { day: s.byday, opens: minutes(&s.opens_at)?, closes: minutes(&s.closes_at)? })).collect()
        };
        Hours {
            weekly,
            exceptions: exceptions
                .iter()
                .map(|e| Exception { date: e.date, hours: e.opens_at.as_deref().and_then(minutes).zip(e.closes_at.as_deref().and_then(minutes)) })
                .collect(),
        }
    }

    /// The spans (opening, closing minute) that open on `date`: its exception's, or the
    /// weekly ones of its weekday. An iterator, not a list: search asks this of every
    /// matching service.
    fn opening_on(&self, date: NaiveDate) -> impl Iterator<Item = (u16, u16)> + '_ {
        let exception = self.exceptions.iter().find(|e| e.date == date);
        let day = weekday(date.weekday());
        let weekly = self.weekly.iter().filter(move |span| exception.is_none() && span.day == day).map(|span| (span.opens, span.closes));
        exception.and_then(|e| e.hours).into_iter().chain(weekly)
    }
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

/// A moment read once in the partnership's time zone, to test many services' hours against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    today: NaiveDate,
    yesterday: NaiveDate,
    minute: u16,
}

impl Clock {
    /// The local date and minute of `at` in `zone`.
    pub fn at(zone: Tz, at: DateTime<Utc>) -> Clock {
        let local = at.with_timezone(&zone);
        let today = local.date_naive();
        Clock { today, yesterday: today.pred_opt().unwrap_or(today), minute: u16::try_from(local.hour() * 60 + local.minute()).unwrap_or(0) }
    }

    /// Whether the hours are open at this moment: a span opened today, or the part past
    /// midnight of one opened yesterday (each day by its own exception, if it has one).
    pub fn open(&self, hours: &Hours) -> bool {
        let minute = self.minute;
        let today = hours.opening_on(self.today).any(|(opens, closes)| minute >= opens && (closes <= opens || minute < closes));
        today || hours.opening_on(self.yesterday).any(|(opens, closes)| closes <= opens && minute < closes)
    }
}

/// Whether the hours are open at `at`, read in `zone`.
pub fn open_at(hours: &Hours, zone: Tz, at: DateTime<Utc>) -> bool {
    Clock::at(zone, at).open(hours)
}

/// How many days ahead the next opening is looked for: a week, and a second one for a
/// week of holiday closures.
const LOOKAHEAD_DAYS: u64 = 14;

/// When the hours next open after `at`, read in `zone`: for "opens Tuesday 09:00" on a
/// closed service. An opening in a daylight-saving gap counts at the first moment that
/// exists after it. At the zone's offset then, so that a client shows the local day and
/// hour with no time zone data of its own (a phone's first `Intl.DateTimeFormat` for a
/// named zone loads ICU's, ~30 ms before the first results can show).
pub fn next_opening(hours: &Hours, zone: Tz, at: DateTime<Utc>) -> Option<DateTime<FixedOffset>> {
    let today = at.with_timezone(&zone).date_naive();
    (0..=LOOKAHEAD_DAYS)
        .filter_map(|offset| today.checked_add_days(chrono::Days::new(offset)))
        .flat_map(|date| {
            hours.opening_on(date).filter_map(move |(opens, _)| {
                let local = date.and_hms_opt(u32::from(opens / 60), u32::from(opens % 60), 0)?;
                let local = zone.from_local_datetime(&local);
                local.earliest().or_else(|| zone.from_local_datetime(&(date.and_hms_opt(u32::from(opens / 60), 0, 0)? + chrono::Duration::hours(1))).earliest())
            })
        })
        .filter(|opening| *opening > at)
        .min()
        .map(|opening| opening.fixed_offset())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn halifax(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        chrono_tz::America::Halifax.with_ymd_and_hms(y, mo, d, h, mi, 0).single().expect("unambiguous").with_timezone(&Utc)
    }

    fn weekly(spans: &[Span]) -> Hours {
        Hours { weekly: spans.into(), exceptions: Box::new([]) }
    }

    fn date(y: i32, mo: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, mo, d).expect("a date")
    }

    const NIGHT_OUTREACH: &[Span] = &[Span { day: Weekday::Friday, opens: 20 * 60, closes: 4 * 60 }];
    const OFFICE: &[Span] = &[Span { day: Weekday::Monday, opens: 9 * 60, closes: 17 * 60 }];

    #[test]
    fn office_hours() {
        // 2026-11-23 is a Monday.
        assert!(open_at(&weekly(OFFICE), chrono_tz::America::Halifax, halifax(2026, 11, 23, 9, 0)));
        assert!(!open_at(&weekly(OFFICE), chrono_tz::America::Halifax, halifax(2026, 11, 23, 17, 0)));
        assert!(!open_at(&weekly(OFFICE), chrono_tz::America::Halifax, halifax(2026, 11, 24, 10, 0)));
    }

    #[test]
    fn past_midnight() {
        // Friday 2026-11-27 20:00 to Saturday 04:00.
        assert!(open_at(&weekly(NIGHT_OUTREACH), chrono_tz::America::Halifax, halifax(2026, 11, 27, 23, 30)));
        assert!(open_at(&weekly(NIGHT_OUTREACH), chrono_tz::America::Halifax, halifax(2026, 11, 28, 3, 59)));
        assert!(!open_at(&weekly(NIGHT_OUTREACH), chrono_tz::America::Halifax, halifax(2026, 11, 28, 4, 0)));
        assert!(!open_at(&weekly(NIGHT_OUTREACH), chrono_tz::America::Halifax, halifax(2026, 11, 27, 19, 59)));
    }

    #[test]
    fn the_next_opening_is_found_later_today_or_in_the_coming_week() {
        let zone = chrono_tz::America::Halifax;
        // Monday 08:00: today at 09:00. Monday 18:00: next Monday at 09:00.
        assert_eq!(next_opening(&weekly(OFFICE), zone, halifax(2026, 11, 23, 8, 0)).map(|t| t.to_utc()), Some(halifax(2026, 11, 23, 9, 0)));
        assert_eq!(next_opening(&weekly(OFFICE), zone, halifax(2026, 11, 23, 18, 0)).map(|t| t.to_utc()), Some(halifax(2026, 11, 30, 9, 0)));
        // Friday night outreach, asked on Wednesday: Friday 20:00.
        assert_eq!(next_opening(&weekly(NIGHT_OUTREACH), zone, halifax(2026, 11, 25, 12, 0)).map(|t| t.to_utc()), Some(halifax(2026, 11, 27, 20, 0)));
        assert_eq!(next_opening(&weekly(&[]), zone, halifax(2026, 11, 25, 12, 0)).map(|t| t.to_utc()), None);
    }

    #[test]
    fn daylight_saving_changes() {
        // Clocks go back on 2026-11-01 (Sunday): 09:00 local is 13:00 UTC after, 12:00 UTC before.
        let sunday = [Span { day: Weekday::Sunday, opens: 9 * 60, closes: 10 * 60 }];
        let zone = chrono_tz::America::Halifax;
        assert!(open_at(&weekly(&sunday), zone, Utc.with_ymd_and_hms(2026, 11, 1, 13, 30, 0).unwrap()));
        assert!(!open_at(&weekly(&sunday), zone, Utc.with_ymd_and_hms(2026, 11, 1, 12, 30, 0).unwrap()));
        // And forward on 2026-03-08: 09:00 local is 12:00 UTC.
        assert!(open_at(&weekly(&sunday), zone, Utc.with_ymd_and_hms(2026, 3, 8, 12, 30, 0).unwrap()));
        // The next opening carries the offset of its own day, not of the day asked on:
        // asked the Saturday before clocks go forward, Sunday 09:00 is at −03:00; the
        // Saturday before they go back, at −04:00.
        let next = next_opening(&weekly(&sunday), zone, Utc.with_ymd_and_hms(2026, 3, 7, 12, 0, 0).unwrap()).expect("Sunday");
        assert_eq!(next.to_rfc3339(), "2026-03-08T09:00:00-03:00");
        let next = next_opening(&weekly(&sunday), zone, Utc.with_ymd_and_hms(2026, 10, 31, 12, 0, 0).unwrap()).expect("Sunday");
        assert_eq!(next.to_rfc3339(), "2026-11-01T09:00:00-04:00");
    }

    #[test]
    fn a_service_open_around_the_clock_keeps_its_exceptions() {
        let zone = chrono_tz::America::Halifax;
        let closed = [ScheduleException { date: date(2026, 12, 25), opens_at: None, closes_at: None, description: None }];
        let hours = Hours::of(&[], &closed, true);
        assert!(open_at(&hours, zone, halifax(2026, 12, 24, 23, 59)));
        assert!(!open_at(&hours, zone, halifax(2026, 12, 25, 12, 0)));
        assert_eq!(next_opening(&hours, zone, halifax(2026, 12, 25, 12, 0)).map(|t| t.to_utc()), Some(halifax(2026, 12, 26, 0, 0)));
        assert!(open_at(&Hours::of(&[], &[], true), zone, halifax(2026, 12, 25, 3, 0)));
    }

    #[test]
    fn a_holiday_closes_the_day_and_the_next_opening_skips_it() {
        let zone = chrono_tz::America::Halifax;
        // Office hours every weekday; closed on Christmas Day (Friday 2026-12-25).
        let days = [Weekday::Monday, Weekday::Tuesday, Weekday::Wednesday, Weekday::Thursday, Weekday::Friday];
        let office: Vec<Span> = days.iter().map(|&day| Span { day, opens: 9 * 60, closes: 17 * 60 }).collect();
        let hours = Hours { weekly: office.into(), exceptions: Box::new([Exception { date: date(2026, 12, 25), hours: None }]) };
        assert!(open_at(&hours, zone, halifax(2026, 12, 24, 10, 0)));
        assert!(!open_at(&hours, zone, halifax(2026, 12, 25, 10, 0)));
        // Asked on Christmas morning: the next opening is Monday the 28th, not that day.
        assert_eq!(next_opening(&hours, zone, halifax(2026, 12, 25, 8, 0)).map(|t| t.to_utc()), Some(halifax(2026, 12, 28, 9, 0)));
    }

    #[test]
    fn holiday_hours_replace_the_weekly_ones_including_past_midnight() {
        let zone = chrono_tz::America::Halifax;
        // Friday night outreach; on New Year's Eve (Thursday 2026-12-31) it runs 18:00 to
        // 02:00, and on Friday 2027-01-01 it is closed.
        let hours = Hours {
            weekly: NIGHT_OUTREACH.into(),
            exceptions: Box::new([Exception { date: date(2026, 12, 31), hours: Some((18 * 60, 2 * 60)) }, Exception { date: date(2027, 1, 1), hours: None }]),
        };
        assert!(open_at(&hours, zone, halifax(2026, 12, 31, 18, 0)));
        assert!(open_at(&hours, zone, halifax(2027, 1, 1, 1, 59)));
        assert!(!open_at(&hours, zone, halifax(2027, 1, 1, 2, 0)));
        // The Friday's own night does not happen: closed that day.
        assert!(!open_at(&hours, zone, halifax(2027, 1, 1, 21, 0)));
        assert!(!open_at(&hours, zone, halifax(2027, 1, 2, 1, 0)));
        // A closed day after a weekly overnight span still gets that span's small hours.
        let after_friday = Hours { weekly: NIGHT_OUTREACH.into(), exceptions: Box::new([Exception { date: date(2026, 11, 28), hours: None }]) };
        assert!(open_at(&after_friday, zone, halifax(2026, 11, 28, 3, 0)));
        assert_eq!(next_opening(&hours, zone, halifax(2027, 1, 1, 12, 0)).map(|t| t.to_utc()), Some(halifax(2027, 1, 8, 20, 0)));
    }
}
