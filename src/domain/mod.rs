//! Pure domain types and rules: no IO, no sqlx, no leptos, so it compiles for the server and
//! for the browser alike. Every type here can only hold valid data: build it with `parse`.
//!
//! Glossary (German terms are kept where they are the precise word of the trade):
//! - **Fachbereich** (department), **Lotse/Lotsin** (digital pilot owning a department's projects,
//!   modelled as a *function* such as "Lotse FB 61" with an optional person).
//! - **Ziel → Handlungsfeld → Projekt/Maßnahme**: the strategy tree.
//! - **Ampel**: traffic-light status (grün/gelb/rot) with a mandatory reason unless green.
//! - **Meilenstein**: milestone with baseline (Basistermin), forecast (Prognose) and actual date
//!   (Ist-Termin); each forecast change is recorded per **Stichtag** (reporting date).
//! - **OZG-Leistung** with **LeiKa-Schlüssel**, **Themenfeld**, **Lebenslage**, **Reifegrad**.
//! - **Sachstand**: a Lotse's report on one project at one Stichtag (Ampel, percent done,
//!   forecasts, next steps, decisions needed, risks), approved or returned by the **Stabsstelle**.
//!   Closing a Stichtag freezes its approved state (snapshot tables, database triggers).
//! - **Nutzungsquote**: online applications ÷ all applications of a service in a month.

pub mod forecast;
pub mod format;
pub mod ids;
pub mod lang;
pub mod project;
pub mod report;
pub mod target;
pub mod validation;

pub use format::*;
pub use ids::*;
pub use lang::Lang;
pub use project::*;
pub use report::*;
pub use target::*;
pub use validation::*;
