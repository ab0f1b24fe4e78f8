//! The programme targets' form posts: create, change, record a custom figure. Plain posts
//! that answer "303 See Other" back to their page with the outcome in `?form=`.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use axum::routing::post;
use http::HeaderMap;

use crate::domain::TargetInput;
use crate::error::AppError;
use crate::server::db::targets;
use crate::server::web::{AppState, form_value, redirect_back, today, user_from_headers};

type Fields = Vec<(String, String)>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/ziele/neu", post(create))
        .route("/ziele/{id}/aendern", post(change))
        .route("/ziele/{id}/wert", post(record))
}

fn input(fields: &Fields) -> Result<TargetInput, AppError> {
    TargetInput::parse(
        &form_value(fields, "name"),
        &form_value(fields, "metric"),
        &form_value(fields, "metric_param"),
        &form_value(fields, "target_value"),
        &form_value(fields, "deadline"),
    )
    .map_err(AppError::Invalid)
}

async fn create(State(state): State<AppState>, Form(fields): Form<Fields>) -> Response {
    let result = match input(&fields) {
        Ok(target) => targets::save(&state.db, None, &target).await,
        Err(e) => Err(e),
    };
    match result {
        Ok(id) => redirect_back(&format!("/ziele/{id}"), "angelegt", Vec::new(), &result),
        Err(_) => redirect_back("/ziele", "neu", fields, &result),
    }
}

async fn change(State(state): State<AppState>, Path(id): Path<i64>, Form(fields): Form<Fields>) -> Response {
    let result = match input(&fields) {
        Ok(target) => targets::save(&state.db, Some(id), &target).await,
        Err(e) => Err(e),
    };
    redirect_back(&format!("/ziele/{id}"), "aendern", fields, &result)
}

async fn record(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let user = user_from_headers(&headers);
    let result = targets::record_value(
        &state.db,
        id,
        &form_value(&fields, "as_of"),
        &form_value(&fields, "value"),
        today(),
        &user,
    )
    .await;
    redirect_back(&format!("/ziele/{id}"), "wert", fields, &result)
}
