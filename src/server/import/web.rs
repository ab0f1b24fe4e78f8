//! The import's plain HTTP routes: multipart upload -> preview, then "Übernehmen" or
//! "Verwerfen". They answer with "303 See Other" to the preview page, so a browser without
//! JavaScript follows the whole cycle; `public/import.js` only adds progress bars: for the
//! upload, and through `progress_stream` for the check and the commit. An import's errors
//! and notes as a workbook (`/import/{id}/fehlerliste.xlsx`) are written with the other
//! spreadsheets, in `server::export`.

use std::sync::Arc;

use axum::Router;
use axum::extract::multipart::{Field, MultipartError};
use axum::extract::{DefaultBodyLimit, Form, Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use http::HeaderMap;
use serde::Deserialize;

use super::{Limits, Progress, ProgressSender, Source, import_bytes};
use crate::api::imports::ImportState;
use crate::error::AppError;
use crate::server::db::Db;
use crate::server::db::imports::{self as store, ImportMeta, Mode};
use crate::server::web::{AppState, today, user_from_headers};

/// A file over the size limit is still read to its end, and dropped, when the whole upload is
/// at most this many times the limit. A browser that is still sending when the server closes
/// the connection shows its own error page instead of the answer; without JavaScript nothing
/// else stops a file that is too large before it is sent. A larger upload is cut off.
const DRAIN_FACTOR: usize = 5;

/// The most of an uploaded file that is kept: the size limit. A larger file gets the form's
/// "zu groß" message, as the script gives it before sending.
fn kept_bytes(limits: &Limits) -> usize {
    usize::try_from(limits.max_file_bytes).unwrap_or(usize::MAX)
}

pub fn routes() -> Router<AppState> {
    // The body is a little larger than the file (multipart framing).
    let body_limit = kept_bytes(&Limits::configured()).saturating_add(64 * 1024).saturating_mul(DRAIN_FACTOR);
    Router::new()
        .route("/import/hochladen", post(upload).layer(DefaultBodyLimit::max(body_limit)))
        .route("/import/{id}/uebernehmen", post(commit))
        .route("/import/{id}/verwerfen", post(discard))
}

/// Where a broken upload is sent: the body limit says "too large", anything else is an upload
/// that broke off or arrived malformed.
fn upload_failure(error: &MultipartError) -> &'static str {
    if error.status() == http::StatusCode::PAYLOAD_TOO_LARGE {
        "/import?fehler=zu-gross"
    } else {
        "/import?fehler=abgebrochen"
    }
}

fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// Reads the file field `datei`, previews it against the database and stores file and
/// report; the browser is sent to the preview (see `answer`).
async fn upload(State(state): State<AppState>, headers: HeaderMap, mut multipart: Multipart) -> Response {
    let limits = Limits::configured();
    let user = user_from_headers(&headers);
    let mut file: Option<(String, Arc<[u8]>)> = None;
    let mut too_large = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(mut field)) if field.name() == Some("datei") => {
                let name = field.file_name().unwrap_or("").to_string();
                match file_bytes(&mut field, kept_bytes(&limits)).await {
                    Ok(Some(bytes)) => file = Some((name, Arc::from(bytes))),
                    Ok(None) => too_large = true,
                    Err(e) => return see_other(upload_failure(&e)),
                }
            }
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(e) => return see_other(upload_failure(&e)),
        }
    }
    if too_large {
        return see_other("/import?fehler=zu-gross");
    }
    let Some((name, bytes)) = file.filter(|(name, _)| !name.trim().is_empty()) else {
        return see_other("/import?fehler=keine-datei");
    };
    let name = upload_name(&name);
    let db = state.db.clone();
    answer(&headers, "/import?fehler=intern".to_string(), move |progress| {
        check(db, name, bytes, user, limits, progress)
    })
    .await
}

/// The bytes of the file field, or `None` when it holds more than `keep`: the rest is then read
/// and dropped (see `DRAIN_FACTOR`), and nothing of it is kept.
async fn file_bytes(field: &mut Field<'_>, keep: usize) -> Result<Option<Vec<u8>>, MultipartError> {
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.chunk().await? {
        if over {
            continue;
        }
        if bytes.len() + chunk.len() > keep {
            over = true;
            bytes = Vec::new();
            continue;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((!over).then_some(bytes))
}

/// The file name as the history shows it. Browsers send the bare name (older ones a full
/// Windows path) with three characters escaped as the HTML standard says: `"` as `%22`, line
/// breaks as `%0D` and `%0A`. A long name keeps its extension (".xlsx"), which says what the
/// file was.
fn upload_name(sent: &str) -> String {
    const MAX_CHARS: usize = 200;
    let bare = sent.rsplit(['/', '\\']).next().unwrap_or(sent);
    let name = bare.replace("%22", "\"").replace("%0D", " ").replace("%0A", " ");
    let name = name.trim();
    if name.is_empty() {
        return "unbenannt".to_string();
    }
    if name.chars().count() <= MAX_CHARS {
        return name.to_string();
    }
    let extension = name.rfind('.').map(|dot| &name[dot..]).filter(|ext| ext.chars().count() <= 6).unwrap_or("");
    let stem = &name[..name.len() - extension.len()];
    let kept = MAX_CHARS - 1 - extension.chars().count();
    format!("{}…{extension}", stem.chars().take(kept).collect::<String>().trim_end())
}

/// Where the browser goes when `job` is done: a plain "303 See Other" there, or, for a script
/// that asked for `PROGRESS_TYPE`, the job's progress while it runs and the address at the end
/// (`failed` if the job panicked).
async fn answer<J>(headers: &HeaderMap, failed: String, job: impl FnOnce(Option<ProgressSender>) -> J) -> Response
where
    J: std::future::Future<Output = String> + Send + 'static,
{
    let wants_progress = headers
        .get(http::header::ACCEPT)
        .and_then(|accept| accept.to_str().ok())
        .is_some_and(|accept| accept.contains(PROGRESS_TYPE));
    if !wants_progress {
        return see_other(&job(None).await);
    }
    let (sender, receiver) = tokio::sync::watch::channel(Progress::default());
    let task = tokio::spawn(job(Some(sender)));
    progress_stream(receiver, task, failed)
}

/// Previews an uploaded file and stores it with its report; the address to go on to.
async fn check(
    db: Db,
    name: String,
    bytes: Arc<[u8]>,
    user: String,
    limits: Limits,
    progress: Option<ProgressSender>,
) -> String {
    let source = Source { file_name: &name, channel: "web", user: &user };
    let preview = import_bytes(&db, &source, bytes.clone(), Mode::Preview, &limits, today(), progress).await;
    let Ok((report, _)) = preview else { return "/import?fehler=intern".to_string() };
    let meta = ImportMeta {
        file_name: &name,
        sha256: &report.sha256,
        size_bytes: bytes.len() as i64,
        source: "web",
        user: &user,
    };
    match store::store_upload(&db, &meta, &bytes, &report).await {
        Ok(id) => format!("/import/{id}"),
        Err(_) => "/import?fehler=intern".to_string(),
    }
}

/// What `public/import.js` asks for to follow the check or the commit of a file.
pub const PROGRESS_TYPE: &str = "application/x-ndjson";
/// How often the progress is sent: often enough for a moving bar, rarely enough to cost
/// nothing. Each line also keeps a proxy from taking a long check for a dead connection.
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(100);

/// One JSON object per line: `{"rows_checked":…,"rows_expected":…}` every `PROGRESS_EVERY`
/// while the job (a check or a commit) runs, then the last progress and
/// `{"location":"/import/…"}`, where the browser goes next (the preview, or a page with an
/// error; `failed` if the job panicked, so the script never waits for nothing).
///
/// A browser that goes away drops the answer, and that stops the job: a check then stores no
/// preview, a commit rolls back unless its COMMIT was already under way. Nobody waits for the
/// outcome any more, and the page cache moves on when the answer ends (`cache::layer`), which
/// must not be before the job's last write.
fn progress_stream(
    progress: tokio::sync::watch::Receiver<Progress>,
    task: tokio::task::JoinHandle<String>,
    failed: String,
) -> Response {
    /// The job, stopped when the answer is dropped before the job is done.
    struct Job(tokio::task::JoinHandle<String>);
    impl Drop for Job {
        fn drop(&mut self) {
            self.0.abort(); // nothing happens to a finished task
        }
    }
    fn line(value: &impl serde::Serialize) -> String {
        serde_json::to_string(value).unwrap_or_default() + "\n"
    }
    let lines = futures_util::stream::unfold(Some((progress, Job(task), failed)), |running| async move {
        let (progress, mut job, failed) = running?;
        tokio::select! {
            finished = &mut job.0 => {
                let location = finished.unwrap_or_else(|e| {
                    tracing::error!(error = %e, "import job failed");
                    failed
                });
                let last = line(&*progress.borrow()) + &line(&serde_json::json!({ "location": location }));
                Some((Ok::<_, std::convert::Infallible>(last), None))
            }
            () = tokio::time::sleep(PROGRESS_EVERY) => {
                let now = line(&*progress.borrow());
                Some((Ok(now), Some((progress, job, failed))))
            }
        }
    });
    (
        [
            (http::header::CONTENT_TYPE, "application/x-ndjson; charset=utf-8"),
            (http::header::CACHE_CONTROL, "no-store"),
            // nginx would otherwise hold the lines back until the end.
            (http::HeaderName::from_static("x-accel-buffering"), "no"),
        ],
        axum::body::Body::from_stream(lines),
    )
        .into_response()
}

#[derive(Deserialize)]
struct CommitForm {
    /// The checkbox "Zeilen mit Fehlern auslassen".
    fehler_auslassen: Option<String>,
}

/// Applies the stored file in one transaction. With errors and without the explicit choice
/// to skip them nothing is written and the preview shows why.
async fn commit(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<CommitForm>,
) -> Response {
    let skip_errors = form.fehler_auslassen.is_some_and(|v| !v.is_empty());
    let (db, user) = (state.db.clone(), user_from_headers(&headers));
    // A panic is logged and rolled back; the preview says so and shows the state.
    answer(&headers, format!("/import/{id}?fehler=intern"), move |progress| apply(db, id, user, skip_errors, progress))
        .await
}

/// Applies a stored preview's file if the preview still holds; the address to go on to.
async fn apply(db: Db, id: i64, user: String, skip_errors: bool, progress: Option<ProgressSender>) -> String {
    // Decided in the meantime (a second click, another tab, another user): the page shows the
    // outcome and says that this confirmation changed nothing.
    let decided = format!("/import/{id}?bereits_entschieden=1");
    let (name, bytes) = match store::pending_file(&db, id).await {
        Ok(file) => file,
        Err(AppError::NotFound) => return "/import".to_string(),
        Err(AppError::Invalid(_)) => return decided,
        Err(_) => return format!("/import/{id}?fehler=intern"),
    };
    let source = Source { file_name: &name, channel: "web", user: &user };
    let mode = Mode::Commit { skip_errors, preview: Some(id) };
    match import_bytes(&db, &source, Arc::from(bytes), mode, &Limits::configured(), today(), progress).await {
        Ok((_, Some(_))) => format!("/import/{id}"),
        Ok((report, None)) => {
            // Not applied: the preview now shows the current state and errors, so that the
            // next "Übernehmen" confirms exactly what is on the screen.
            if let Err(e) = store::set_report(&db, id, &report).await {
                tracing::error!(error = ?e, id, "import: refreshed preview not stored");
                return format!("/import/{id}?fehler=intern");
            }
            let reason = if report.stale {
                "geaendert"
            } else if !report.errors.is_empty() && !report.errors_skippable() {
                "nichts_uebernehmbar" // no row to skip, or nothing left: the file is at fault
            } else {
                "nicht_uebernommen"
            };
            format!("/import/{id}?{reason}=1")
        }
        Err(AppError::Invalid(_)) => decided,
        Err(_) => format!("/import/{id}?fehler=intern"),
    }
}

async fn discard(State(state): State<AppState>, headers: HeaderMap, Path(id): Path<i64>) -> Response {
    let user = user_from_headers(&headers);
    // To the import's own page either way: it shows "Verworfen", or what was decided before
    // (a commit from another tab), so nobody believes an applied import was undone.
    match store::close_preview(&state.db, id, ImportState::Verworfen, &user).await {
        Ok(true) => see_other(&format!("/import/{id}")),
        Ok(false) => see_other(&format!("/import/{id}?nicht_verworfen=1")),
        Err(_) => see_other(&format!("/import/{id}?fehler=intern")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_util::StreamExt;

    fn lines(text: &[u8]) -> Vec<serde_json::Value> {
        std::str::from_utf8(text).unwrap().lines().map(|line| serde_json::from_str(line).unwrap()).collect()
    }

    #[test]
    fn the_file_name_is_shown_as_the_user_named_it() {
        assert_eq!(upload_name("Sachstand %22final%22.xlsx"), "Sachstand \"final\".xlsx");
        assert_eq!(upload_name("C:\\Users\\amt61\\Projekte.xlsx"), "Projekte.xlsx");
        assert_eq!(upload_name("zwei%0D%0AZeilen.csv"), "zwei  Zeilen.csv");
        assert_eq!(upload_name("  "), "unbenannt");
        let long = format!("{}.xlsx", "Sachstand_".repeat(30));
        let shown = upload_name(&long);
        assert_eq!(shown.chars().count(), 200);
        assert!(shown.ends_with("….xlsx") && shown.starts_with("Sachstand_"), "{shown}");
        let umlauts = format!("{}.ods", "Ä".repeat(250));
        assert!(upload_name(&umlauts).ends_with("ÄÄ….ods"));
    }

    #[tokio::test]
    async fn progress_comes_while_the_job_runs_and_the_address_last() {
        let (sender, receiver) = tokio::sync::watch::channel(Progress::default());
        let (finish, finished) = tokio::sync::oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            sender.send_replace(Progress { rows_checked: 512, rows_expected: Some(2_000) });
            let _ = finished.await;
            sender.send_replace(Progress { rows_checked: 2_000, rows_expected: Some(2_000) });
            "/import/7".to_string()
        });
        let mut body = progress_stream(receiver, task, "/import?fehler=intern".into()).into_body().into_data_stream();
        let first = body.next().await.unwrap().unwrap();
        assert_eq!(lines(&first), vec![serde_json::json!({ "rows_checked": 512, "rows_expected": 2_000 })]);
        finish.send(()).unwrap();
        let mut rest = Vec::new();
        while let Some(chunk) = body.next().await {
            rest.extend_from_slice(&chunk.unwrap());
        }
        let rest = lines(&rest);
        assert_eq!(rest[rest.len() - 2], serde_json::json!({ "rows_checked": 2_000, "rows_expected": 2_000 }));
        assert_eq!(rest[rest.len() - 1], serde_json::json!({ "location": "/import/7" }));
    }

    #[tokio::test]
    async fn a_job_that_panics_ends_at_its_error_page() {
        let (_sender, receiver) = tokio::sync::watch::channel(Progress::default());
        let task = tokio::spawn(async { panic!("Testfehler") });
        let body = progress_stream(receiver, task, "/import/7?fehler=intern".into()).into_body();
        let text = axum::body::to_bytes(body, 4096).await.unwrap();
        assert_eq!(lines(&text).last(), Some(&serde_json::json!({ "location": "/import/7?fehler=intern" })));
    }

    #[tokio::test]
    async fn a_browser_that_goes_away_stops_the_job() {
        struct Stopped(Option<tokio::sync::oneshot::Sender<()>>);
        impl Drop for Stopped {
            fn drop(&mut self) {
                let _ = self.0.take().map(|stopped| stopped.send(()));
            }
        }
        let (_sender, receiver) = tokio::sync::watch::channel(Progress::default());
        let (stopped, was_stopped) = tokio::sync::oneshot::channel();
        let task = tokio::spawn(async move {
            let _held = Stopped(Some(stopped));
            std::future::pending::<()>().await;
            "/import/7".to_string()
        });
        let mut body = progress_stream(receiver, task, String::new()).into_body().into_data_stream();
        body.next().await.unwrap().unwrap(); // the first progress line: the job runs
        drop(body);
        tokio::time::timeout(std::time::Duration::from_secs(5), was_stopped)
            .await
            .expect("the job was stopped")
            .unwrap();
    }
}
