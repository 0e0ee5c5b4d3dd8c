//! A conference as an iCalendar event (RFC 5545), for the invitation e-mailed to each
//! partner (RFC 6047: METHOD REQUEST, or CANCEL when called off) and the file anyone at
//! the table downloads. It says when, where, and that it is a case conference in Harbour,
//! with a link: never who it is about, since invitations sit in shared mailboxes and on
//! phones' calendars.

use chrono::Duration;
use harbour_types::ConferenceStatus;
use icalendar::{Calendar, Component, EventLike, EventStatus, Property};

use super::repo::ConferenceRow;

/// What the calendar is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// A file to add to one's calendar.
    Publish,
    /// An invitation (or its update) to `attendee`, from `organizer`.
    Request,
    /// A cancellation of the invitation.
    Cancel,
}

impl Method {
    pub fn code(self) -> &'static str {
        match self {
            Method::Publish => "PUBLISH",
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
        }
    }

    /// The invitation a conference in this state sends.
    pub fn invitation(status: ConferenceStatus) -> Method {
        if status == ConferenceStatus::Cancelled {
            Method::Cancel
        } else {
            Method::Request
        }
    }
}

/// The conference as a calendar; `link` opens it in Harbour, `host` makes its UID
/// unique to this partnership; `mail` names the organizer and the attendee of an
/// invitation (a published file names neither).
pub fn calendar(row: &ConferenceRow, method: Method, link: &str, host: &str, mail: Option<(&str, &str)>) -> String {
    let starts = row.starts_at.and_utc();
    let mut event = icalendar::Event::new();
    event
        .uid(&format!("conference-{}@{host}", row.id))
        // Each change of the conference is a new version of the invitation, so calendars
        // replace the one they hold instead of adding a second.
        .sequence(u32::try_from(row.version).unwrap_or(0))
        .timestamp(row.updated_at.and_utc())
        .starts(starts)
        .ends(starts + Duration::minutes(i64::from(row.minutes)))
        .summary("Case conference / Conférence de cas (Harbour)")
        .description(&format!(
            "A case conference in Harbour. Open it there for the agenda:\n{link}\n\n\
             Une conférence de cas dans Harbour. Ouvrez-la pour l'ordre du jour :\n{link}\n\n\
             This invitation carries no information about the person. / Cette invitation ne contient aucun renseignement sur la personne."
        ))
        .url(link)
        .status(if row.status == ConferenceStatus::Cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed })
        .class(icalendar::Class::Private);
    if let Some(place) = row.place.as_deref().or(row.link.as_deref()) {
        event.location(place);
    }
    if let Some((organizer, attendee)) = mail {
        event.add_property("ORGANIZER", format!("mailto:{organizer}"));
        event.append_multi_property(Property::new("ATTENDEE", format!("mailto:{attendee}")).add_parameter("ROLE", "REQ-PARTICIPANT").add_parameter("RSVP", "FALSE").done());
    }
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//Harbour//Case conferences//EN"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", method.code()))
        .push(event.done());
    calendar.to_string()
}
