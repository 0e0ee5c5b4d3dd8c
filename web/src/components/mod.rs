//! Pieces shared by every screen.

pub mod frame;
pub mod quick_exit;
