//! A short-lived response cache for the read-mostly pages leadership opens all day
//! (`/leitung`). Rendering that page runs a dozen aggregates; serving the same bytes again is
//! a hash lookup. An entry is dropped when anything may have changed it:
//! - every non-GET request through this router (all writes from the browser are posts: forms,
//!   server functions, uploads) starts a new generation, and one whose answer streams while
//!   its work goes on (the import's progress) another when that answer ends;
//! - after a time to live ([`TTL`]), for writes that bypass the router (the `leitstand import` command line,
//!   direct SQL); one request renders the page anew while the others still get the old one,
//!   so that an expiry never makes every reader wait at once;
//! - at midnight, since "today" enters forecasts and overdue checks.
//!   The key holds the language cookie, the only per-user input the page has.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use http::{HeaderMap, Method, StatusCode, header};

/// Pages served from the cache. Only pages without per-user content belong here.
const CACHED: &[&str] = &["/leitung"];
/// How long an entry may serve writes made outside this server, unless
/// `LEITSTAND_PAGE_CACHE_SECONDS` says otherwise (0 turns the cache off).
pub const TTL: Duration = Duration::from_secs(30);
/// Larger pages are not kept.
const MAX_BODY: usize = 4 * 1024 * 1024;

pub struct PageCache {
    ttl: Duration,
    generation: AtomicU64,
    entries: Mutex<HashMap<(String, String), Entry>>,
}

impl PageCache {
    pub fn from_env() -> PageCache {
        let ttl = std::env::var("LEITSTAND_PAGE_CACHE_SECONDS")
            .ok()
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map_or(TTL, Duration::from_secs);
        PageCache { ttl, generation: AtomicU64::new(0), entries: Mutex::new(HashMap::new()) }
    }
}

struct Entry {
    generation: u64,
    stored: Instant,
    day: NaiveDate,
    headers: HeaderMap,
    body: Bytes,
    /// A request is rendering the successor of this expired entry.
    refreshing: bool,
}

fn lang_key(headers: &HeaderMap) -> String {
    let cookie = headers.get(header::COOKIE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if cookie.split(';').any(|c| c.trim() == "lang=en") { "en".into() } else { "de".into() }
}

fn response(headers: &HeaderMap, body: Bytes) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    for (name, value) in headers {
        response.headers_mut().insert(name, value.clone());
    }
    response
}

/// Moves the cache on to a new generation when the body of `response` has been sent, or
/// dropped because the client went away.
fn new_generation_at_end(response: Response, cache: std::sync::Arc<PageCache>) -> Response {
    struct AtEnd(std::sync::Arc<PageCache>);
    impl Drop for AtEnd {
        fn drop(&mut self) {
            self.0.generation.fetch_add(1, Ordering::SeqCst);
        }
    }
    let at_end = AtEnd(cache);
    let (parts, body) = response.into_parts();
    let body = futures_util::StreamExt::map(body.into_data_stream(), move |chunk| {
        let _held_until_the_body_ends = &at_end;
        chunk
    });
    Response::from_parts(parts, Body::from_stream(body))
}

/// The middleware: see the module comment.
pub async fn layer(State(cache): State<std::sync::Arc<PageCache>>, request: Request, next: Next) -> Response {
    let method = request.method().clone();
    if method != Method::GET && method != Method::HEAD {
        let response = next.run(request).await;
        // After the write, so that a render racing it cannot be stored under the new generation.
        cache.generation.fetch_add(1, Ordering::SeqCst);
        // An answer of unknown length may still be writing (the import streams its progress
        // and commits at the end): a render racing that write must not outlive it either.
        if axum::body::HttpBody::size_hint(response.body()).exact().is_none() {
            return new_generation_at_end(response, cache);
        }
        return response;
    }
    if method != Method::GET || cache.ttl.is_zero() || !CACHED.contains(&request.uri().path()) {
        return next.run(request).await;
    }
    let key = (request.uri().to_string(), lang_key(request.headers()));
    let today = super::web::today();
    let generation = cache.generation.load(Ordering::SeqCst);
    if let Ok(mut entries) = cache.entries.lock()
        && let Some(entry) = entries.get_mut(&key)
        && entry.generation == generation
        && entry.day == today
    {
        if entry.stored.elapsed() < cache.ttl || entry.refreshing {
            return response(&entry.headers, entry.body.clone());
        }
        entry.refreshing = true; // this request renders the successor
    }
    let rendered = next.run(request).await;
    if rendered.status() != StatusCode::OK {
        if let Ok(mut entries) = cache.entries.lock()
            && let Some(entry) = entries.get_mut(&key)
        {
            entry.refreshing = false;
        }
        return rendered;
    }
    let (parts, body) = rendered.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "Die Seite ist zu groß.\n").into_response();
    };
    // Cookies are per user: a response that sets one is never shared.
    if !parts.headers.contains_key(header::SET_COOKIE)
        && let Ok(mut entries) = cache.entries.lock()
    {
        let entry = Entry {
            generation,
            stored: Instant::now(),
            day: today,
            headers: parts.headers.clone(),
            body: bytes.clone(),
            refreshing: false,
        };
        entries.insert(key, entry);
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;
    use tower::ServiceExt;

    /// A post whose answer streams while it writes: a render of a cached page during that
    /// write shows the old data, and must not be served once the write is done.
    #[tokio::test]
    async fn a_streamed_post_ends_the_pages_rendered_while_it_wrote() {
        let data = Arc::new(AtomicUsize::new(0));
        let (finish, finished) = tokio::sync::oneshot::channel::<()>();
        let finished = Arc::new(Mutex::new(Some(finished)));
        let shown = data.clone();
        let written = data.clone();
        let app = axum::Router::new()
            .route(
                "/leitung",
                axum::routing::get(move || async move { format!("Stand {}", shown.load(Ordering::SeqCst)) }),
            )
            .route(
                "/schreiben",
                axum::routing::post(move || async move {
                    let finished = finished.lock().unwrap().take().unwrap();
                    let body = futures_util::stream::once(async move {
                        let _ = finished.await;
                        written.store(1, Ordering::SeqCst); // the write, at the end of the answer
                        Ok::<_, std::convert::Infallible>("fertig")
                    });
                    Body::from_stream(body)
                }),
            )
            .layer(axum::middleware::from_fn_with_state(
                Arc::new(PageCache { ttl: TTL, ..PageCache::from_env() }),
                layer,
            ));
        let get = |app: axum::Router| async move {
            let response = app.oneshot(Request::get("/leitung").body(Body::empty()).unwrap()).await.unwrap();
            String::from_utf8(axum::body::to_bytes(response.into_body(), 1024).await.unwrap().to_vec()).unwrap()
        };
        assert_eq!(get(app.clone()).await, "Stand 0");
        let answer = app.clone().oneshot(Request::post("/schreiben").body(Body::empty()).unwrap()).await.unwrap();
        // Rendered (and stored) while the post is still writing.
        assert_eq!(get(app.clone()).await, "Stand 0");
        finish.send(()).unwrap();
        assert_eq!(axum::body::to_bytes(answer.into_body(), 1024).await.unwrap(), "fertig");
        assert_eq!(get(app.clone()).await, "Stand 1", "the page rendered during the write is not served after it");
    }
}
