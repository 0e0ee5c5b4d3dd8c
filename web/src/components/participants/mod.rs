//! Pieces of the participant and consent screens.

pub mod labels;
pub mod signature_pad;
