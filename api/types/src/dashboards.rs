//! Coordinator dashboards: counts about referrals, consents and the directory, never a
//! participant. Counts of people from 1 to 4 are suppressed, and so is whatever would
//! let them be worked out.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// A count, or why it is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum Figure {
    /// The count (0, or 5 and more, or any count that is not about people).
    Count(u64),
    /// Not shown.
    Suppressed(Suppression),
}

/// Why a count is not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub enum Suppression {
    /// From 1 to 4: too few people to show.
    #[serde(rename = "<5")]
    Small,
    /// 5 or more, hidden so that a "<5" in the same row or column cannot be worked out
    /// from the total (complementary suppression).
    #[serde(rename = "x")]
    Complementary,
}

impl Figure {
    /// The count, when shown.
    pub fn count(self) -> Option<u64> {
        match self {
            Figure::Count(n) => Some(n),
            Figure::Suppressed(_) => None,
        }
    }

    /// As a table or a CSV file shows it.
    pub fn text(self) -> String {
        match self {
            Figure::Count(n) => n.to_string(),
            Figure::Suppressed(Suppression::Small) => "<5".into(),
            Figure::Suppressed(Suppression::Complementary) => "x".into(),
        }
    }
}

/// What a figure is about: a code (a status, a reason, an urgency) or a record of the
/// directory (a region, a category, an organization), with its name in the language asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Heading {
    /// The code or id; `none` for referrals with no region or category.
    pub key: String,
    /// The name to show.
    pub label: String,
}

/// The period and region the figures cover.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct DashboardScope {
    /// First day, in the partnership's time zone.
    pub from: NaiveDate,
    /// Last day, included.
    pub to: NaiveDate,
    /// Only referrals counted in this region.
    pub region_id: Option<String>,
}

/// A table of counts: each column's rows add up to its total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CountTable {
    /// Which table (`funnel`, `declines`, `outcomes`, `overdue`, `trends`, `consents_expiring`).
    pub table: String,
    /// What it covers.
    pub scope: DashboardScope,
    /// The columns.
    pub columns: Vec<Heading>,
    /// The rows, each with one figure per column.
    pub rows: Vec<CountRow>,
    /// Each column's total.
    pub totals: Vec<Figure>,
}

/// A row of a [`CountTable`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CountRow {
    /// What the row counts.
    pub heading: Heading,
    /// One figure per column.
    pub figures: Vec<Figure>,
}

code_enum! {
    /// What response times are broken down by.
    Breakdown {
        /// Routine, soon, same day, emergency.
        Urgency = "urgency",
        /// The referral's region.
        Region = "region",
        /// The top-level category of its main need.
        Category = "category",
        /// The receiving organization.
        Organization = "organization",
    }
}

code_enum! {
    /// A span of a referral's life that is timed.
    Span {
        /// From sent to first opened by the receiving side.
        FirstOpen = "first_open",
        /// From sent to accepted.
        Accept = "accept",
        /// From sent to completed.
        Complete = "complete",
    }
}

/// How long one span took, over the referrals that went through it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Timing {
    /// How many referrals went through it (suppressed like any count of people).
    pub count: Figure,
    /// The median, in hours (absent for fewer than 5 referrals).
    pub median_hours: Option<f64>,
    /// The 90th percentile, in hours (absent for fewer than 5 referrals).
    pub p90_hours: Option<f64>,
}

/// Response times of one group.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct TimingRow {
    /// The group.
    pub heading: Heading,
    /// One timing per span, in the order of `spans`.
    pub timings: Vec<Timing>,
}

/// Response times (median and 90th percentile) by urgency, region, category or receiving organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ResponseTimes {
    /// What it covers.
    pub scope: DashboardScope,
    /// The breakdown.
    pub by: Breakdown,
    /// The spans timed.
    pub spans: Vec<Span>,
    /// One row per group.
    pub rows: Vec<TimingRow>,
    /// All groups together.
    pub overall: Vec<Timing>,
}

/// Services of a category in a region: the directory's coverage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CoverageCell {
    /// Active services (directory data: not suppressed).
    pub services: u64,
    /// Of those, the ones accepting referrals.
    pub accepting: u64,
    /// No service at all: a gap.
    pub gap: bool,
}

/// A row of the coverage map: one category across the regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CoverageRow {
    /// The category (top-level, or a child of `parent_id`).
    pub category: Heading,
    /// One cell per region, in the order of `regions`.
    pub cells: Vec<CoverageCell>,
}

/// The coverage gap map: categories × regions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct CoverageMap {
    /// The categories shown are the children of this one (top-level when absent).
    pub parent_id: Option<String>,
    /// The columns.
    pub regions: Vec<Heading>,
    /// The rows.
    pub rows: Vec<CoverageRow>,
}

/// An organization's listings and how many have gone stale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaleByOrganization {
    /// The organization.
    pub organization: Heading,
    /// Its active services.
    pub listings: u64,
    /// Of those, not verified within the period.
    pub stale: u64,
    /// Its oldest verification, if any listing was ever verified.
    pub oldest_verified_on: Option<NaiveDate>,
}

/// Stale listings per organization, the stalest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct StaleListings {
    /// A listing is stale when not verified in this many days.
    pub after_days: u32,
    /// Organizations with at least one stale listing.
    pub rows: Vec<StaleByOrganization>,
}
