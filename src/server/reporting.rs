//! The reporting cycle's form posts, as plain routes: open and close a Stichtag, save or hand
//! in a Sachstand, approve or return it. A Sachstand carries one forecast and one reason field
//! per open milestone, which a fixed server-function signature cannot take. Every route
//! answers "303 See Other" back to its page with the outcome in `?form=` (see `api::form`),
//! so the cycle works the same with and without JavaScript.

use axum::Router;
use axum::extract::{Form, Path, State};
use axum::response::Response;
use axum::routing::post;
use http::HeaderMap;

use crate::domain::Review;
use crate::error::AppError;
use crate::server::db::reporting;
use crate::server::web::{AppState, form_value, redirect_back, user_from_headers};

type Fields = Vec<(String, String)>;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/stichtage/eroeffnen", post(open))
        .route("/stichtage/{id}/schliessen", post(close))
        .route("/stichtage/{id}/projekte/{project}/sachstand", post(save))
        .route("/stichtage/{id}/projekte/{project}/pruefung", post(review))
}

async fn open(State(state): State<AppState>, Form(fields): Form<Fields>) -> Response {
    let result = reporting::open(&state.db, &form_value(&fields, "report_date")).await;
    match result {
        Ok(id) => redirect_back(&format!("/stichtage/{id}"), "eroeffnet", Vec::new(), &result),
        Err(_) => redirect_back("/stichtage", "neu", fields, &result),
    }
}

async fn close(State(state): State<AppState>, Path(id): Path<i64>) -> Response {
    let result = reporting::close(&state.db, id).await;
    redirect_back(&format!("/stichtage/{id}"), "abschluss", Vec::new(), &result)
}

async fn save(
    State(state): State<AppState>,
    Path((id, project)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let submit = form_value(&fields, "aktion") == "einreichen";
    let user = user_from_headers(&headers);
    let result =
        reporting::save_sachstand(&state.db, id, project, |name| form_value(&fields, name), submit, &user).await;
    redirect_back(&format!("/stichtage/{id}/projekte/{project}"), "sachstand", fields, &result)
}

async fn review(
    State(state): State<AppState>,
    Path((id, project)): Path<(i64, i64)>,
    headers: HeaderMap,
    Form(fields): Form<Fields>,
) -> Response {
    let user = user_from_headers(&headers);
    let result = match Review::parse(&form_value(&fields, "entscheidung"), &form_value(&fields, "kommentar")) {
        Ok(decision) => reporting::review(&state.db, id, project, &decision, &user).await,
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    redirect_back(&format!("/stichtage/{id}/projekte/{project}"), "pruefung", fields, &result)
}
