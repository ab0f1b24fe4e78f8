//! The HTTP application: the axum router with Leptos pages, server functions and plain routes,
//! plus the request-scoped helpers server functions use (database handle, user, today).

use axum::Router;
use chrono::NaiveDate;
use http::{HeaderValue, StatusCode, header};
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, ResponseOptions, generate_route_list};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::TraceLayer;

use super::db::Db;
use super::routes;
use crate::api::form::FormEcho;
use crate::app::{App, shell};
use crate::error::AppError;

/// Shared state of the axum router; Leptos reads its options from it.
#[derive(Clone, axum::extract::FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
}

/// Builds the whole application. Tests drive the returned router in-process.
pub fn router(db: Db, leptos_options: LeptosOptions) -> Router {
    let routes = generate_route_list(App);
    let state = AppState { leptos_options, db: db.clone() };
    let context_db = db.clone();
    let fallback_db = db;
    let app = Router::new()
        .merge(routes::plain_routes())
        .leptos_routes_with_context(&state, routes, move || provide_context(context_db.clone()), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(
            move || provide_context(fallback_db.clone()),
            shell,
        ));
    // Inside the page cache, so that the cache sees a panic's answer like any other: a write
    // still starts a new generation (it may have committed), and a failed render ends the
    // entry's refresh.
    guarded(app)
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(super::cache::PageCache::from_env()),
            super::cache::layer,
        ))
        // Outermost but for the trace: a forged post is refused before anything else sees it.
        .layer(axum::middleware::from_fn(same_origin))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

/// A panic in a handler (a bug, say in drawing a chart) gets an opaque German answer like any
/// internal error, instead of a connection cut off mid-request, which the browser shows as its
/// own error page. The panic itself is logged by the standard hook, with its place. Panics
/// while a body streams out (after the handler has answered) are not caught.
pub fn guarded<S: Clone + Send + Sync + 'static>(app: Router<S>) -> Router<S> {
    app.layer(CatchPanicLayer::custom(answer_panic))
}

fn answer_panic(_: Box<dyn std::any::Any + Send + 'static>) -> http::Response<axum::body::Body> {
    use axum::response::IntoResponse;
    // Unlike `AppError::Internal`, it cannot promise that nothing was saved: the panic may
    // come after a commit. Nor may it say "reload": that would post a form again.
    let message = "Ein interner Fehler ist aufgetreten. Bitte rufen Sie die Seite erneut auf und prüfen Sie, ob Ihre Änderung gespeichert wurde, bevor Sie sie wiederholen.\n\
                   An internal error occurred. Please open the page again and check whether your change was saved before you repeat it.\n";
    (StatusCode::INTERNAL_SERVER_ERROR, [(header::CACHE_CONTROL, "no-store")], message).into_response()
}

/// The reader's language on plain routes (charts, PDFs): the `lang` cookie, German otherwise.
pub fn lang_of(headers: &http::HeaderMap) -> crate::domain::Lang {
    crate::domain::Lang::from_cookie_header(headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or(""))
}

/// Answers with `body`, or with "304 Not Modified" when the client already holds these exact
/// bytes (`If-None-Match`). Charts revalidate every time, because the data may change with any
/// save; the ETag keeps that cheap. They vary by the language cookie.
pub fn with_etag(body: Vec<u8>, content_type: &'static str, headers: &http::HeaderMap) -> axum::response::Response {
    let etag = etag_of(&body);
    let body = (!client_has(headers, &etag)).then_some(body);
    tagged(body, &etag, content_type)
}

/// A strong ETag (quoted) for `content`: the bytes sent, or whatever determines them.
pub fn etag_of(content: &[u8]) -> String {
    format!("\"{}\"", &super::import::sha256_hex(content)[..32])
}

/// Whether the request's `If-None-Match` names `etag`, so the client's copy is current.
pub fn client_has(headers: &http::HeaderMap, etag: &str) -> bool {
    headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|tag| tag.trim() == etag))
}

/// `body` with its ETag and the revalidation headers; `None` answers "304 Not Modified".
pub fn tagged(body: Option<Vec<u8>>, etag: &str, content_type: &'static str) -> axum::response::Response {
    use axum::response::IntoResponse;
    let mut response = match body {
        Some(body) => body.into_response(),
        None => StatusCode::NOT_MODIFIED.into_response(),
    };
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(header::VARY, HeaderValue::from_static("Cookie"));
    if let Ok(value) = HeaderValue::from_str(etag) {
        h.insert(header::ETAG, value);
    }
    response
}

/// The database handle that `router` put into the request's context.
pub fn db() -> Result<Db, AppError> {
    use_context::<Db>().ok_or_else(|| {
        tracing::error!("database handle missing from context");
        AppError::Internal
    })
}

/// The calendar date at the server, which decides what "overdue" and "in the future" mean.
pub fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Who made a change. Leitstand has no sign-in of its own yet; behind the city's reverse proxy
/// with single sign-on, the proxy passes the user in `Remote-User`.
pub fn current_user() -> String {
    match use_context::<http::request::Parts>() {
        Some(parts) => user_from_headers(&parts.headers),
        None => user_from_headers(&http::HeaderMap::new()),
    }
}

/// The user a request comes from, for plain axum routes (see [`current_user`]).
pub fn user_from_headers(headers: &http::HeaderMap) -> String {
    headers
        .get("remote-user")
        .map(|value| user_name(value.as_bytes()))
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| crate::domain::UNSIGNED_USER.to_string())
}

/// A proxy's user name: UTF-8 as sent, so that "Jürgen Müller" stays himself; bytes that are
/// no UTF-8 are read as Latin-1, the old default of HTTP headers.
fn user_name(bytes: &[u8]) -> String {
    let name = match std::str::from_utf8(bytes) {
        Ok(text) => text.to_string(),
        Err(_) => bytes.iter().map(|&b| char::from(b)).collect(),
    };
    name.trim().to_string()
}

/// A browser posting a plain HTML form (no JavaScript) asks for HTML; the server-function
/// client asks for JSON.
fn is_plain_form_post() -> bool {
    use_context::<http::request::Parts>()
        .and_then(|parts| {
            parts.headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html"))
        })
        .unwrap_or(false)
}

/// Finishes a form's server function. For a plain form post it answers "303 See Other" back to
/// `page`, with the outcome (saved, or field errors plus the values entered) in the query
/// string and the form's anchor as fragment. With JavaScript the result goes back as it is.
pub fn answer_plain_form<T>(
    page: &str,
    form: &str,
    values: Vec<(String, String)>,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    let Some(response) = use_context::<ResponseOptions>() else { return result };
    if is_plain_form_post() {
        let echo = FormEcho::from_result(form, values, &result);
        let location = format!("{page}?{}#{form}", echo.to_query());
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.set_status(StatusCode::SEE_OTHER);
            response.insert_header(header::LOCATION, value);
        }
    } else if let Err(error) = &result {
        // Scripts and the JavaScript client get a status that says what kind of failure it was.
        response.set_status(match error {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid(errors) if errors.iter().any(|e| e.code == crate::domain::ErrorCode::Conflict) => {
                StatusCode::CONFLICT
            }
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::Internal | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        });
    }
    result
}

/// Every write (plain form routes and server functions alike) happens on behalf of the user
/// the proxy signed in, so a form on another site must not be able to post (cross-site
/// request forgery). Browsers say where a request comes from in `Sec-Fetch-Site`; older ones send
/// `Origin`, compared with `Host`. Requests without either (scripts, curl) are not from a
/// browser page and pass.
fn is_same_origin(headers: &http::HeaderMap) -> bool {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match header("sec-fetch-site") {
        Some(site) => site == "same-origin" || site == "none",
        None => match (header("origin"), header("host")) {
            (Some(origin), Some(host)) => origin.split_once("://").map(|(_, rest)| rest) == Some(host),
            _ => true,
        },
    }
}

/// Middleware for the whole router: a cross-site request that is not a plain read (GET,
/// HEAD) ends with 403 and a German explanation. Links from other sites still open pages.
pub async fn same_origin(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    let reads = matches!(*request.method(), http::Method::GET | http::Method::HEAD);
    if reads || is_same_origin(request.headers()) {
        next.run(request).await
    } else {
        (
            StatusCode::FORBIDDEN,
            "Abgelehnt: Das Formular wurde von einer fremden Seite abgeschickt. Bitte nutzen Sie das Formular in Leitstand selbst.\n",
        )
            .into_response()
    }
}

/// A field of a plain form post read as name/value pairs; missing fields read as empty.
pub fn form_value(fields: &[(String, String)], name: &str) -> String {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// "303 See Other" back to `page` after a plain form post, carrying which form was sent, its
/// errors and what was typed (see [`FormEcho`]); the form's anchor is the fragment.
pub fn redirect_back<T>(
    page: &str,
    form: &str,
    fields: Vec<(String, String)>,
    result: &Result<T, AppError>,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let echo = FormEcho::from_result(form, fields, result);
    axum::response::Redirect::to(&format!("{page}?{}#{form}", echo.to_query())).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_user_name_keeps_its_umlauts() {
        let user = |bytes: &[u8]| {
            let mut headers = http::HeaderMap::new();
            headers.insert("remote-user", http::HeaderValue::from_bytes(bytes).unwrap());
            user_from_headers(&headers)
        };
        assert_eq!(user("Jürgen Müller".as_bytes()), "Jürgen Müller");
        assert_eq!(user(b"J\xfcrgen M\xfcller "), "Jürgen Müller", "Latin-1");
        assert_eq!(user(b"jmueller"), "jmueller");
        assert_eq!(user(b"  "), "Web-Oberfläche");
        assert_eq!(user_from_headers(&http::HeaderMap::new()), "Web-Oberfläche");
    }
}
