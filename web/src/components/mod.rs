//! Pieces shared by every screen.

pub mod charts;
pub mod conferences;
pub mod directory;
pub mod form;
pub mod frame;
pub mod groups;
pub mod nav;
pub mod participants;
pub mod plans;
pub mod position;
pub mod quick_exit;
