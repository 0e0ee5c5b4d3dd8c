//! Pieces of the directory screens.

pub mod badges;
pub mod result_card;
