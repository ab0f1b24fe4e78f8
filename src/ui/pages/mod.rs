//! One module per page. A page reads its parameters from the URL, loads its data through
//! `crate::api` and composes components.

pub mod accessibility;
pub mod adherence;
pub mod coverage;
pub mod departments;
pub mod home;
pub mod imports;
pub mod leadership;
pub mod mta;
pub mod people;
pub mod portfolio;
pub mod project;
pub mod quality;
pub mod report;
pub mod reporting;
pub mod services;
pub mod targets;
pub mod usage;
