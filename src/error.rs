//! The one error type shared by pages and server functions, with one policy: database and
//! unexpected failures are logged on the server and reach the user only as an opaque
//! "internal error"; invalid input becomes field errors; unknown ids become 404.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::{FieldError, Lang};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0:?}")]
    Invalid(Vec<FieldError>),
    /// Details were logged on the server; the browser never sees them.
    #[error("internal error")]
    Internal,
    /// The request did not reach the server function (network, decoding).
    #[error("transport: {0}")]
    Transport(String),
}

impl AppError {
    pub fn field_errors(&self) -> &[FieldError] {
        match self {
            AppError::Invalid(errors) => errors,
            _ => &[],
        }
    }

    /// A sentence for the top of a form or page.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            AppError::NotFound => lang
                .t("Der angeforderte Eintrag existiert nicht.", "The requested entry does not exist.")
                .into(),
            // An error of the whole form (a conflict, a closed Stichtag, a deleted record) says
            // itself what happened; no field is marked.
            AppError::Invalid(errors) if errors.iter().any(|e| e.field.is_empty()) => {
                errors.iter().find(|e| e.field.is_empty()).map(|e| e.message(lang)).unwrap_or_default()
            }
            AppError::Invalid(_) => lang
                .t(
                    "Die Eingaben wurden nicht gespeichert. Bitte korrigieren Sie die markierten Felder.",
                    "Nothing was saved. Please correct the marked fields.",
                )
                .into(),
            AppError::Internal => lang
                .t(
                    "Ein interner Fehler ist aufgetreten. Es wurde nichts gespeichert. Bitte versuchen Sie es später erneut.",
                    "An internal error occurred. Nothing was saved. Please try again later.",
                )
                .into(),
            AppError::Transport(_) => lang
                .t(
                    "Der Server ist nicht erreichbar. Es wurde nichts gespeichert. Bitte prüfen Sie Ihre Verbindung.",
                    "The server cannot be reached. Nothing was saved. Please check your connection.",
                )
                .into(),
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Transport(value.to_string())
    }
}

pub type AppResult<T> = Result<T, AppError>;
