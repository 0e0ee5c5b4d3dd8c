//! The service directory: services, their locations, phones, hours, capacity and
//! categories, in Open Referral HSDS 3.0 shapes. Agency admins keep their own
//! organization's listings current; every partner reads them; a confidential
//! location's address never leaves its organization (see [`visibility`]).

pub mod curation;
pub mod exchange;
pub mod handlers;
pub mod nearby;
pub mod reader;
pub mod repo;
pub mod search;
pub mod service;
pub mod visibility;
