//! Server-only code: configuration, the database layer, plain HTTP routes, the demo city and
//! the application router. Nothing here is compiled into the browser bundle.

pub mod config;
pub mod db;
pub mod demo;
pub mod export;
pub mod import;
pub mod routes;
pub mod web;

use crate::error::AppError;

/// The error policy's server half: a database failure is logged with its cause and becomes the
/// opaque [`AppError::Internal`].
impl From<sqlx::Error> for AppError {
    fn from(err: sqlx::Error) -> Self {
        tracing::error!(error = %err, "database error");
        AppError::Internal
    }
}
