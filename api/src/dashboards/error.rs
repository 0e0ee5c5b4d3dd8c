//! What can go wrong asking for a dashboard, and how each is answered over HTTP.

use crate::error::ApiError;

/// Why a dashboard was refused.
#[derive(Debug, thiserror::Error)]
pub enum DashboardError {
    #[error("the period starts after it ends")]
    PeriodReversed,
    #[error("a period is at most three years")]
    PeriodTooLong,
    #[error("lang is en or fr")]
    UnknownLanguage,
    /// Filters that leave between 1 and 4 people: any figure would be about someone who
    /// could be recognized.
    #[error("too few referrals match these filters")]
    PopulationTooSmall,
    /// No month of the period has been released yet.
    #[error("the figures of a month are released once its referrals have had their answers; the first month of this period, {from}, is released on {ready}")]
    NotReleased { from: chrono::NaiveDate, ready: chrono::NaiveDate },
    /// Another instance released the same period at the same moment (handled where it
    /// happens: the release is then read, never refused).
    #[error("released by another instance meanwhile")]
    ReleasedElsewhere,
    #[error("no such category")]
    UnknownCategory,
    #[error("between 1 and 3650 days")]
    StaleDaysOutOfRange,
    /// Anything else: authorization, the database.
    #[error(transparent)]
    Api(#[from] ApiError),
}

crate::error::via_api_error!(DashboardError);

impl From<DashboardError> for ApiError {
    fn from(e: DashboardError) -> Self {
        let detail = e.to_string();
        match e {
            DashboardError::PeriodReversed => ApiError::invalid("/from", "after_to", &detail),
            DashboardError::PeriodTooLong => ApiError::invalid("/to", "too_long", &detail),
            DashboardError::UnknownLanguage => ApiError::BadRequest(detail),
            DashboardError::PopulationTooSmall => ApiError::PopulationTooSmall,
            DashboardError::NotReleased { .. } => ApiError::invalid("/from", "not_released", &detail),
            DashboardError::ReleasedElsewhere => ApiError::Unavailable(detail),
            DashboardError::UnknownCategory => ApiError::NotFound(detail),
            DashboardError::StaleDaysOutOfRange => ApiError::invalid("/days", "range", &detail),
            DashboardError::Api(api) => api,
        }
    }
}
