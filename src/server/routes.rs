//! Plain HTTP routes beside the Leptos pages: health check and the language switch. They work
//! without JavaScript and are easy to call from monitoring and scripts.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use http::{HeaderValue, StatusCode, header};
use serde::Deserialize;

use super::web::AppState;
use crate::domain::Lang;

pub fn plain_routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/sprache/{code}", get(switch_language))
        .merge(super::import::web::routes())
        .merge(super::export::routes())
        .merge(super::reporting::routes())
        .merge(super::charts::routes())
        .merge(super::pdf::routes())
        .merge(super::targets::routes())
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> Response {
    if state.db.is_reachable().await {
        (StatusCode::OK, format!("ok {}\n", state.db.backend())).into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "Datenbank nicht erreichbar\n").into_response()
    }
}

#[derive(Deserialize)]
struct Back {
    zurueck: Option<String>,
}

/// Stores the chosen language in a cookie and returns to the page the user came from. Only
/// local paths are accepted as target, so the link cannot be abused as an open redirect.
async fn switch_language(Path(code): Path<String>, Query(back): Query<Back>) -> Response {
    let lang = Lang::from_code(&code);
    let target = back
        .zurueck
        .filter(|p| p.starts_with('/') && !p.starts_with("//") && !p.contains('\\'))
        .unwrap_or_else(|| "/".into());
    let mut response = Redirect::to(&target).into_response();
    let cookie = format!("lang={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
