//! sea-orm entities for stocktaking: plain database rows, no API concerns.
//!
//! Enumerations are stored as upper-case strings (the same spelling as the GraphQL enums), which
//! keeps the two backends identical and the rows readable.

pub mod enums;

pub mod action_line;
pub mod api_key;
pub mod change;
pub mod contact;
pub mod country;
pub mod country_commission;
pub mod entry;
pub mod entry_category;
pub mod entry_country;
pub mod entry_gdc_objective;
pub mod entry_region;
pub mod entry_sdg;
pub mod external_ref;
pub mod gdc_objective;
pub mod matrix_link;
pub mod organisation;
pub mod prize;
pub mod region;
pub mod repository;
pub mod repository_entry;
pub mod sdg;
pub mod sdg_target;
