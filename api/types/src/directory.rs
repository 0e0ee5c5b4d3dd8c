//! The service directory, shaped as Open Referral HSDS 3.0 objects. Harbour's own
//! fields (capacity, 24/7, barrier and cultural attributes, location visibility) sit
//! beside the HSDS ones; HSDS allows additional properties, so output stays valid.

use serde::{Deserialize, Serialize};
#[cfg(feature = "server")]
use validator::Validate as _;

code_enum! {
    /// Whether a service is running (HSDS `status`).
    ServiceStatus {
        /// Running.
        Active = "active",
        /// Not running for now.
        Inactive = "inactive",
        /// Closed for good (retired).
        Defunct = "defunct",
        /// Closed for a while.
        TemporarilyClosed = "temporarily closed",
    }
}

code_enum! {
    /// Whether a service takes people now.
    CapacityStatus {
        /// Taking people.
        Accepting = "accepting",
        /// Taking names for a waitlist.
        Waitlist = "waitlist",
        /// Not taking anyone now.
        Full = "full",
    }
}

code_enum! {
    /// Who may see a location's address and coordinates.
    Visibility {
        /// Everyone, including the public directory.
        Public = "public",
        /// Signed-in partners only.
        Partners = "partners",
        /// Only the owning organization: a safe house. Others see the intake instructions.
        Confidential = "confidential",
    }
}

code_enum! {
    /// A day of the week, as iCal writes it (HSDS `byday`).
    Weekday {
        /// Monday.
        Monday = "MO",
        /// Tuesday.
        Tuesday = "TU",
        /// Wednesday.
        Wednesday = "WE",
        /// Thursday.
        Thursday = "TH",
        /// Friday.
        Friday = "FR",
        /// Saturday.
        Saturday = "SA",
        /// Sunday.
        Sunday = "SU",
    }
}

code_enum! {
    /// How a phone number is used (HSDS `type`, from RFC 6350).
    PhoneKind {
        /// Calls.
        Voice = "voice",
        /// SMS.
        Text = "text",
    }
}

code_enum! {
    /// Harbour's attributes of a service: barriers it removes, how it fits, cultural
    /// supports, stages of change and pillars it serves, genders it serves.
    ServiceAttribute {
        /// No photo ID or health card needed.
        NoIdRequired = "fit:no_id_required",
        /// No need to self-identify as a victim or survivor.
        NoSelfIdentification = "fit:no_self_identification",
        /// Walk in without an appointment.
        WalkIn = "fit:walk_in",
        /// For youth.
        YouthSpecific = "fit:youth_specific",
        /// 2SLGBTQ+ affirming.
        LgbtqAffirming = "fit:2slgbtq_affirming",
        /// Harm reduction approach.
        HarmReduction = "fit:harm_reduction",
        /// Peer support by people with lived experience.
        PeerSupport = "fit:peer_support",
        /// Staff go with participants to appointments.
        Accompaniment = "fit:accompaniment",
        /// Help with transport.
        TransportHelp = "fit:transport_help",
        /// Help with childcare.
        ChildcareHelp = "fit:childcare_help",
        /// Trauma-informed practice.
        TraumaInformed = "fit:trauma_informed",
        /// Staff trained on sexual exploitation.
        ExploitationTrained = "fit:exploitation_trained",
        /// Indigenous cultural supports.
        CultureIndigenous = "culture:indigenous",
        /// African Nova Scotian cultural supports.
        CultureAfricanNovaScotian = "culture:african_nova_scotian",
        /// 2SLGBTQ+ community supports.
        Culture2slgbtq = "culture:2slgbtq",
        /// Newcomer supports.
        CultureNewcomer = "culture:newcomer",
        /// Serves people not yet considering change.
        StagePrecontemplation = "stage:precontemplation",
        /// Serves people considering change.
        StageContemplation = "stage:contemplation",
        /// Serves people preparing to change.
        StagePreparation = "stage:preparation",
        /// Serves people making a change.
        StageAction = "stage:action",
        /// Serves people keeping a change.
        StageMaintenance = "stage:maintenance",
        /// Prevention pillar.
        PillarPrevention = "pillar:prevention",
        /// Intervention pillar.
        PillarIntervention = "pillar:intervention",
        /// Exit and housing pillar.
        PillarExitHousing = "pillar:exit_housing",
        /// Serves girls and women.
        GenderWomen = "gender:women",
        /// Serves boys and men.
        GenderMen = "gender:men",
        /// Serves trans and gender-diverse people.
        GenderDiverse = "gender:gender_diverse",
    }
}

/// A phone number of a service (HSDS `phone`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Phone {
    /// The phone's id.
    pub id: String,
    /// The number, as dialled.
    pub number: String,
    /// `voice` or `text` (HSDS `type`).
    #[serde(rename = "type")]
    pub kind: PhoneKind,
    /// Harbour: the line answers after hours.
    pub after_hours: bool,
    /// What the number is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Weekly opening hours for one day (HSDS `schedule`, `freq` WEEKLY). Times are local
/// to the partnership's time zone; `closes_at` before `opens_at` runs past midnight.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Schedule {
    /// The schedule's id.
    pub id: String,
    /// The service it belongs to.
    pub service_id: String,
    /// Always `WEEKLY`.
    pub freq: String,
    /// The day (iCal `byday`).
    pub byday: Weekday,
    /// Opening time, `HH:MM`.
    pub opens_at: String,
    /// Closing time, `HH:MM`.
    pub closes_at: String,
    /// Harbour: the partnership's time zone (IANA name). HSDS's own `timezone` is a fixed
    /// UTC offset, which cannot follow daylight saving, so it is left out.
    pub time_zone: String,
    /// A note about these hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// Harbour: a dated exception to the weekly hours (a holiday): on `date` the service is
/// closed (no times), or open only from `opens_at` to `closes_at`. HSDS 3.0 schedules
/// cannot say "not on this date", so exceptions travel as this extension; the weekly
/// `schedules` stay as HSDS has them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ScheduleException {
    /// The local date (in the partnership's time zone), `YYYY-MM-DD`.
    pub date: chrono::NaiveDate,
    /// Opening time that day, `HH:MM`; none: closed all day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_at: Option<String>,
    /// Closing time that day, `HH:MM`; before `opens_at` means past midnight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub closes_at: Option<String>,
    /// What the day is ("Christmas Day").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A postal address (HSDS `address`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Address {
    /// The address's id (the location's).
    pub id: String,
    /// The location it belongs to.
    pub location_id: String,
    /// Street address.
    pub address_1: String,
    /// City or community.
    pub city: String,
    /// Province.
    pub state_province: String,
    /// Postal code.
    pub postal_code: String,
    /// ISO 3166-1 alpha-2 country.
    pub country: String,
    /// Always `physical`.
    pub address_type: String,
}

/// A place where services are delivered (HSDS `location`). For a confidential location
/// seen from outside its organization, address and coordinates are absent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Location {
    /// The location's id.
    pub id: String,
    /// Always `physical`.
    pub location_type: String,
    /// The organization it belongs to.
    pub organization_id: String,
    /// Its name.
    pub name: String,
    /// What it is.
    pub description: String,
    /// Harbour: who may see the address.
    pub visibility: Visibility,
    /// Latitude (absent when hidden).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    /// Longitude (absent when hidden).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    /// The address (empty when hidden).
    pub addresses: Vec<Address>,
    /// Harbour: how to reach the service when the address is hidden (phone, intake).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub intake_instructions: Option<String>,
    /// How the place can be reached by people with disabilities (empty when hidden).
    #[serde(default)]
    pub accessibility: Vec<Accessibility>,
    /// Harbour: the version, also the ETag; 0 when the place is hidden, since its version
    /// would tell when the place changed.
    pub version: i32,
}

/// A service at one of its locations (HSDS `service_at_location`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ServiceAtLocation {
    /// The link's id.
    pub id: String,
    /// The service.
    pub service_id: String,
    /// The location.
    pub location_id: String,
    /// The location itself.
    pub location: Location,
}

/// A language a service is offered in (HSDS `language`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Language {
    /// A stable id derived from the service's id and the code.
    pub id: String,
    /// The service.
    pub service_id: String,
    /// ISO 639 code (`en`, `fr`, `mic` …).
    pub code: String,
}

/// How many people a service can take now (shaped like HSDS 3.1 `service_capacity`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Capacity {
    /// Accepting, waitlist or full.
    pub status: CapacityStatus,
    /// Beds or spots free now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<i32>,
    /// Beds or spots in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum: Option<i32>,
    /// What is counted (`beds`, `spots` …).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// When capacity was last updated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub updated: Option<chrono::DateTime<chrono::Utc>>,
}

/// A category or region a service is filed under.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TermRef {
    /// Its id.
    pub id: String,
    /// Its code or slug.
    pub code: String,
    /// Its English name.
    pub name: String,
    /// Its French name.
    pub name_fr: String,
}

/// A service (HSDS `service`, with Harbour's fields).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Service {
    /// The service's id.
    pub id: String,
    /// The organization that runs it.
    pub organization_id: String,
    /// Its name.
    pub name: String,
    /// Another name it is known by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternate_name: Option<String>,
    /// What it offers.
    pub description: String,
    /// Its web page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Its e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Whether it runs.
    pub status: ServiceStatus,
    /// Interpretation available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpretation_services: Option<String>,
    /// How to get the service.
    pub application_process: String,
    /// What it costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fees_description: Option<String>,
    /// Who it is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eligibility_description: Option<String>,
    /// Youngest age served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_age: Option<i32>,
    /// Oldest age served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub maximum_age: Option<i32>,
    /// When it or anything about it last changed.
    pub last_modified: chrono::DateTime<chrono::Utc>,
    /// Its phone numbers.
    pub phones: Vec<Phone>,
    /// Its weekly hours.
    pub schedules: Vec<Schedule>,
    /// Harbour: dates whose hours differ from the weekly ones (holidays), by date.
    #[serde(default)]
    pub schedule_exceptions: Vec<ScheduleException>,
    /// Where it is delivered.
    pub service_at_locations: Vec<ServiceAtLocation>,
    /// The languages it is offered in.
    pub languages: Vec<Language>,
    /// Harbour: free of charge.
    pub free: bool,
    /// What to bring (HSDS `required_document`s).
    #[serde(default)]
    pub required_documents: Vec<RequiredDocument>,
    /// Harbour: open around the clock.
    pub open_24_7: bool,
    /// Harbour: open when this was read, in the partnership's time zone.
    pub open_now: bool,
    /// Harbour: when closed, when it next opens (within a week), at the partnership's
    /// UTC offset on that day: its local day and hour are the ones written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_next_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Harbour: takes referrals through Harbour.
    pub accepts_referrals: bool,
    /// Harbour: capacity now.
    pub capacity: Capacity,
    /// Harbour: barrier, fit, cultural, stage, pillar and gender attributes.
    pub harbour_attributes: Vec<ServiceAttribute>,
    /// Harbour: its categories.
    pub categories: Vec<TermRef>,
    /// Harbour: the regions it serves.
    pub regions: Vec<TermRef>,
    /// Harbour: when a coordinator last confirmed the listing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Harbour: the version, also the ETag.
    pub version: i32,
}

/// A document needed to use a service (HSDS `required_document`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct RequiredDocument {
    /// Its id: kept from an import, else made from the service and the text, so it
    /// stays the same while the text does.
    pub id: String,
    /// The service.
    pub service_id: String,
    /// What the document is (`photo ID`, `none`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// A web link to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

/// A document needed to use a service, to store.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct RequiredDocumentInput {
    /// What the document is.
    #[cfg_attr(feature = "server", validate(length(min = 1, max = 500)))]
    pub document: String,
    /// A web link to it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(url, length(max = 500)))]
    pub uri: Option<String>,
}

/// How a place can be reached by people with disabilities (HSDS `accessibility`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Accessibility {
    /// Its id: kept from an import, else made from the location and the text.
    pub id: String,
    /// The location.
    pub location_id: String,
    /// The provision (`step-free entrance`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// More about it (`ramp at the side door`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    /// A web link to more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// How a place can be reached by people with disabilities, to store: at least a
/// description or details.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct AccessibilityInput {
    /// The provision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 500)))]
    pub description: Option<String>,
    /// More about it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 1000)))]
    pub details: Option<String>,
    /// A web link to more.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(url, length(max = 500)))]
    pub url: Option<String>,
}

/// A phone number to store.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct PhoneInput {
    /// The number.
    #[cfg_attr(feature = "server", validate(length(min = 3, max = 40)))]
    pub number: String,
    /// `voice` or `text`.
    #[serde(rename = "type", default = "default_phone_kind")]
    pub kind: PhoneKind,
    /// The line answers after hours.
    #[serde(default)]
    pub after_hours: bool,
    /// What the number is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 200)))]
    pub description: Option<String>,
}

fn default_phone_kind() -> PhoneKind {
    PhoneKind::Voice
}

/// Hours for one day to store.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct ScheduleInput {
    /// The day.
    pub byday: Weekday,
    /// Opening time, `HH:MM` (24-hour).
    #[cfg_attr(feature = "server", validate(custom(function = "validate_time")))]
    pub opens_at: String,
    /// Closing time, `HH:MM`; before `opens_at` means past midnight.
    #[cfg_attr(feature = "server", validate(custom(function = "validate_time")))]
    pub closes_at: String,
    /// A note about these hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 200)))]
    pub description: Option<String>,
}

/// A dated exception to the weekly hours to store: closed that day (no times), or open
/// from `opens_at` to `closes_at`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
#[cfg_attr(feature = "server", validate(schema(function = "validate_exception_hours")))]
pub struct ScheduleExceptionInput {
    /// The local date, `YYYY-MM-DD`.
    pub date: chrono::NaiveDate,
    /// Opening time that day, `HH:MM`; leave out with `closes_at` for closed all day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(custom(function = "validate_time")))]
    pub opens_at: Option<String>,
    /// Closing time that day, `HH:MM`; before `opens_at` means past midnight.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(custom(function = "validate_time")))]
    pub closes_at: Option<String>,
    /// What the day is ("Christmas Day").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 200)))]
    pub description: Option<String>,
}

/// Both times or neither: one alone says neither "closed" nor when.
#[cfg(feature = "server")]
fn validate_exception_hours(exception: &ScheduleExceptionInput) -> Result<(), validator::ValidationError> {
    if exception.opens_at.is_some() == exception.closes_at.is_some() {
        Ok(())
    } else {
        Err(validator::ValidationError::new("hours").with_message("give both opens_at and closes_at, or neither for closed all day".into()))
    }
}

/// A time of day is `HH:MM`, 00:00 to 23:59 (24:00 allowed as a closing time).
#[cfg(feature = "server")]
fn validate_time(time: &str) -> Result<(), validator::ValidationError> {
    let ok = match time.split_once(':') {
        Some((h, m)) if h.len() == 2 && m.len() == 2 => match (h.parse::<u8>(), m.parse::<u8>()) {
            (Ok(h), Ok(m)) => (h < 24 && m < 60) || (h == 24 && m == 0),
            _ => false,
        },
        _ => false,
    };
    if ok {
        Ok(())
    } else {
        Err(validator::ValidationError::new("time").with_message("must be HH:MM, 24-hour".into()))
    }
}

/// A service to create, or the full replacement of one (with `If-Match`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
#[cfg_attr(feature = "server", schema(example = json!({
    "name": "Emergency youth shelter", "description": "Beds for youth 16 to 24, any time.",
    "application_process": "Call or walk in, day or night.", "open_24_7": true,
    "minimum_age": 16, "maximum_age": 24, "phones": [{"number": "902-555-0100", "type": "voice"}],
    "languages": ["en", "fr"], "harbour_attributes": ["fit:no_id_required", "fit:youth_specific"]
})))]
pub struct ServiceInput {
    /// Its name.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 200)))]
    pub name: String,
    /// Another name it is known by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 200)))]
    pub alternate_name: Option<String>,
    /// What it offers.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 8000)))]
    pub description: String,
    /// Its web page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(url, length(max = 500)))]
    pub url: Option<String>,
    /// Its e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(email, length(max = 254)))]
    pub email: Option<String>,
    /// Whether it runs (default active).
    #[serde(default = "default_status")]
    pub status: ServiceStatus,
    /// Interpretation available.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 500)))]
    pub interpretation_services: Option<String>,
    /// How to get the service.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 2000)))]
    pub application_process: String,
    /// What it costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 1000)))]
    pub fees_description: Option<String>,
    /// Free of charge (default true).
    #[serde(default = "default_true")]
    pub free: bool,
    /// Who it is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 2000)))]
    pub eligibility_description: Option<String>,
    /// Youngest age served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(range(min = 0, max = 120)))]
    pub minimum_age: Option<i32>,
    /// Oldest age served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(range(min = 0, max = 120)))]
    pub maximum_age: Option<i32>,
    /// What to bring, in order.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20), nested))]
    pub required_documents: Vec<RequiredDocumentInput>,
    /// Open around the clock.
    #[serde(default)]
    pub open_24_7: bool,
    /// Takes referrals through Harbour (default true).
    #[serde(default = "default_true")]
    pub accepts_referrals: bool,
    /// Phone numbers, in order.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 10), nested))]
    pub phones: Vec<PhoneInput>,
    /// Weekly hours.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 42), nested))]
    pub schedules: Vec<ScheduleInput>,
    /// Dates whose hours differ from the weekly ones (holidays), each date once.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 100), nested))]
    pub schedule_exceptions: Vec<ScheduleExceptionInput>,
    /// Ids of the organization's own locations where it is delivered.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 50)))]
    pub location_ids: Vec<String>,
    /// ISO 639 language codes.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 30)))]
    pub languages: Vec<String>,
    /// Harbour attributes.
    #[serde(default)]
    pub harbour_attributes: Vec<ServiceAttribute>,
    /// Category (taxonomy term) ids.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20)))]
    pub category_ids: Vec<String>,
    /// Region ids.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20)))]
    pub region_ids: Vec<String>,
}

fn default_status() -> ServiceStatus {
    ServiceStatus::Active
}

fn default_true() -> bool {
    true
}

/// A one-tap capacity update.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
#[cfg_attr(feature = "server", schema(example = json!({"status": "waitlist", "available": 0, "maximum": 12, "unit": "beds"})))]
pub struct CapacityInput {
    /// Accepting, waitlist or full.
    pub status: CapacityStatus,
    /// Beds or spots free now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(range(min = 0, max = 100000)))]
    pub available: Option<i32>,
    /// Beds or spots in all.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(range(min = 0, max = 100000)))]
    pub maximum: Option<i32>,
    /// What is counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 40)))]
    pub unit: Option<String>,
}

/// A location to create, or the full replacement of one (with `If-Match`).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
#[cfg_attr(feature = "server", schema(example = json!({
    "name": "Safe house", "visibility": "confidential", "city": "Halifax",
    "intake_instructions": "Call the intake line; staff will meet the youth."
})))]
pub struct LocationInput {
    /// Its name.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 200)))]
    pub name: String,
    /// What it is.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 2000)))]
    pub description: String,
    /// Who may see the address (default public).
    #[serde(default = "default_visibility")]
    pub visibility: Visibility,
    /// Street address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 200)))]
    pub address_1: Option<String>,
    /// City or community.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 100)))]
    pub city: Option<String>,
    /// Province (default NS).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 60)))]
    pub state_province: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 12)))]
    pub postal_code: Option<String>,
    /// Latitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(range(min = -90.0, max = 90.0)))]
    pub latitude: Option<f64>,
    /// Longitude.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(range(min = -180.0, max = 180.0)))]
    pub longitude: Option<f64>,
    /// How the place can be reached by people with disabilities, in order.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 20), nested))]
    pub accessibility: Vec<AccessibilityInput>,
    /// How to reach the service when the address is hidden.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "server", validate(length(max = 1000)))]
    pub intake_instructions: Option<String>,
}

fn default_visibility() -> Visibility {
    Visibility::Public
}

/// A category (HSDS `taxonomy_term`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TaxonomyTerm {
    /// Its id.
    pub id: String,
    /// Its code.
    pub code: String,
    /// Its English name.
    pub name: String,
    /// Harbour: its French name.
    pub name_fr: String,
    /// What it covers.
    pub description: String,
    /// Its parent, for the tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// The taxonomy it belongs to, by name.
    pub taxonomy: String,
    /// The taxonomy it belongs to (see `/taxonomies`).
    pub taxonomy_id: String,
    /// Harbour: the version, also the ETag.
    #[serde(default = "first_version")]
    pub version: i32,
}

/// A taxonomy (HSDS `taxonomy`): Harbour files services under one, the partnership's
/// category tree.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Taxonomy {
    /// Its id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// What it is.
    pub description: String,
}

/// One of the partnership's regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Region {
    /// Its id.
    pub id: String,
    /// Its slug.
    pub slug: String,
    /// Its English name.
    pub name: String,
    /// Its French name.
    pub name_fr: String,
    /// The version, also the ETag.
    #[serde(default = "first_version")]
    pub version: i32,
}

fn first_version() -> i32 {
    1
}

/// One result of a directory search: what a result card shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SearchHit {
    /// The service's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// The organization that runs it.
    pub organization_id: String,
    /// That organization's name.
    pub organization_name: String,
    /// Its categories.
    pub categories: Vec<TermRef>,
    /// Its first phone number, to call or text from the card.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<Phone>,
    /// Open around the clock.
    pub open_24_7: bool,
    /// Open at the time of the search.
    pub open_now: bool,
    /// When closed: when it next opens (within a week), from its weekly hours, at the
    /// partnership's UTC offset on that day: its local day and hour are the ones written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub opens_next_at: Option<chrono::DateTime<chrono::FixedOffset>>,
    /// Capacity now.
    pub capacity: Capacity,
    /// Takes referrals through Harbour.
    pub accepts_referrals: bool,
    /// Barrier, fit, cultural, stage, pillar and gender attributes.
    pub harbour_attributes: Vec<ServiceAttribute>,
    /// Languages offered.
    pub languages: Vec<String>,
    /// Kilometres to the nearest location, when a point was given. To a location whose
    /// place the viewer may not see, it is measured to the location's coarse point (the
    /// centre of its cell in a grid of about 11 km, fixed when the location is saved) and
    /// rounded up to a whole km.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub distance_km: Option<f64>,
    /// Whether `distance_km` is measured to a hidden location's coarse point.
    pub distance_approximate: bool,
    /// How well it matches the words searched for (0 without words).
    pub score: f32,
}

/// How many results have one value of a filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FacetCount {
    /// The value: an id or a code.
    pub value: String,
    /// How many results have it.
    pub count: u64,
}

/// Counts of the results by filter value, for the filter sheet.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Facets {
    /// By category id (a service counts under each of its categories and their ancestors).
    pub categories: Vec<FacetCount>,
    /// By region id.
    pub regions: Vec<FacetCount>,
    /// By attribute code.
    pub attributes: Vec<FacetCount>,
    /// By language code.
    pub languages: Vec<FacetCount>,
    /// By capacity status.
    pub capacity: Vec<FacetCount>,
    /// How many are open now.
    pub open_now: u64,
    /// How many are open around the clock.
    pub open_24_7: u64,
}

/// A page of search results with facet counts (the HSDS paging fields, plus `facets`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct SearchResults {
    /// The results, best first (or nearest first), in the HSDS paging shape.
    #[serde(flatten)]
    pub page: crate::Page<SearchHit>,
    /// Counts by filter value over all results.
    pub facets: Facets,
}

/// A category to create, or the replacement of one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
#[cfg_attr(feature = "server", schema(example = json!({"code": "housing.youth", "name": "Youth housing", "name_fr": "Logement pour les jeunes"})))]
pub struct TaxonomyTermInput {
    /// A stable code: lowercase letters, digits, dots and hyphens.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 80)))]
    pub code: String,
    /// The parent category, for the tree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_id: Option<String>,
    /// English name.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 120)))]
    pub name: String,
    /// French name.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 120)))]
    pub name_fr: String,
    /// What it covers.
    #[serde(default)]
    #[cfg_attr(feature = "server", validate(length(max = 2000)))]
    pub description: String,
}

/// A region to create, or the replacement of one.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema, validator::Validate))]
pub struct RegionInput {
    /// Lowercase letters, digits and hyphens.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 60)))]
    pub slug: String,
    /// English name.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 120)))]
    pub name: String,
    /// French name.
    #[cfg_attr(feature = "server", validate(length(min = 2, max = 120)))]
    pub name_fr: String,
}

/// A listing not confirmed by a coordinator for too long.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaleListing {
    /// The service's id.
    pub service_id: String,
    /// Its name.
    pub name: String,
    /// The organization that runs it.
    pub organization_id: String,
    /// That organization's name.
    pub organization_name: String,
    /// When it was last verified, if ever.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verified_at: Option<chrono::DateTime<chrono::Utc>>,
    /// When it last changed.
    pub last_modified: chrono::DateTime<chrono::Utc>,
}

/// A service's id and last change: HSDS's `minimal` listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ServiceStamp {
    /// The service's id.
    pub id: String,
    /// When it last changed.
    pub last_modified: chrono::DateTime<chrono::Utc>,
}

/// What `GET /services` answers: a page of full services, or (`minimal=true`) every
/// matching service's id and last change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum ServiceListing {
    /// A page of fully nested services.
    Page(crate::Page<Service>),
    /// Ids and last changes, all at once.
    Minimal(Vec<ServiceStamp>),
}
