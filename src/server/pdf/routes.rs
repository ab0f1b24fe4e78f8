//! `GET /stichtage/{id}/bericht.pdf` and `GET /projekte/{id}/steckbrief.pdf`: the reports as
//! downloads, in the language of the `lang` cookie, with an ETag of their bytes.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderMap, HeaderValue, StatusCode, header};

use super::Document;
use crate::error::AppError;
use crate::server::web::{self, AppState, lang_of, today};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/stichtage/{id}/bericht.pdf", get(statusbericht))
        .route("/projekte/{id}/steckbrief.pdf", get(steckbrief))
}

async fn statusbericht(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let Ok(id) = id.parse::<i64>() else { return not_found("Stichtag") };
    match super::statusbericht(&state.db, id, lang_of(&headers)).await {
        Ok(report) => answer(report, &headers).await,
        Err(AppError::NotFound) => not_found("Stichtag"),
        Err(_) => failed(),
    }
}

async fn steckbrief(State(state): State<AppState>, Path(id): Path<String>, headers: HeaderMap) -> Response {
    let Ok(id) = id.parse::<i64>() else { return not_found("Projekt") };
    match super::steckbrief(&state.db, id, lang_of(&headers), today()).await {
        Ok(report) => answer(report, &headers).await,
        Err(AppError::NotFound) => not_found("Projekt"),
        Err(_) => failed(),
    }
}

fn not_found(what: &str) -> Response {
    (StatusCode::NOT_FOUND, format!("{what} nicht gefunden\n")).into_response()
}

fn failed() -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, "Das PDF konnte nicht erstellt werden. Bitte versuchen Sie es später erneut.\n")
        .into_response()
}

/// The PDF as a download, revalidated by an ETag of what it shows (see [`super::fingerprint`]):
/// a client that holds the current version gets "304 Not Modified" without any typesetting.
async fn answer((document, file): (Document, String), headers: &HeaderMap) -> Response {
    let etag = web::etag_of(&super::fingerprint(&document));
    let pdf = if web::client_has(headers, &etag) {
        None
    } else {
        match super::render(document).await {
            Ok(pdf) => Some(pdf),
            Err(_) => return failed(),
        }
    };
    let mut response = web::tagged(pdf, &etag, "application/pdf");
    // Keys and dates only; anything else becomes "_", so the header is always valid ASCII.
    let file: String =
        file.chars().map(|c| if c.is_ascii_alphanumeric() || "-_.".contains(c) { c } else { '_' }).collect();
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file}\"")) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}
