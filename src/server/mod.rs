//! Server-only code: configuration, the database layer, plain HTTP routes, the demo city and
//! the application router. Nothing here is compiled into the browser bundle.

pub mod cache;
pub mod charts;
pub mod config;
pub mod db;
pub mod demo;
pub mod export;
pub mod import;
pub mod pdf;
pub mod reporting;
pub mod routes;
pub mod targets;
pub mod web;

use crate::error::AppError;

/// The error policy's server half: a database failure is logged with its cause and becomes the
/// opaque [`AppError::Internal`]. The one exception is the freeze of a closed Stichtag, which
/// the database's triggers enforce: a write that races a closing gets the same field error as
/// one that came after it.
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &err
            && (db.message().contains("Stichtag ist geschlossen") || db.message().contains("eingefroren"))
        {
            use crate::domain::{ErrorCode, FieldError};
            return AppError::Invalid(vec![FieldError::new("", ErrorCode::StichtagClosed, "")]);
        }
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}
