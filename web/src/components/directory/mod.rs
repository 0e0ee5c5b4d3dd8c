//! Pieces of the directory screens.

pub mod badges;
pub mod labels;
pub mod result_card;
