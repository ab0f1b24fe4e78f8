//! Charts as SVG, drawn on the server with plotters on plain routes (`<img src="….svg">`), so
//! they need no JavaScript and can be cached: each answer carries an ETag of its bytes and a
//! matching `If-None-Match` gets "304 Not Modified". Every chart has `<title>` and `<desc>`;
//! the pages show the same data as a table and a one-sentence summary.

mod adherence;
mod burnup;
mod mta;
mod stacked;
mod usage;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{HeaderMap, StatusCode};

use crate::domain::Lang;
use crate::error::AppError;
use crate::server::db::charts;
use crate::server::web::{AppState, lang_of};

pub use mta::render as render_mta;
pub use usage::render as render_usage;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/diagramme/mta/{file}", get(mta_chart))
        .route("/diagramme/ampel-stichtage.svg", get(ampel_over_time))
        .route("/diagramme/ampel-fachbereiche.svg", get(ampel_by_department))
        .route("/diagramme/nutzung.svg", get(usage_chart))
        .route("/diagramme/abdeckung.svg", get(coverage_chart))
        .route("/diagramme/burn-up.svg", get(burn_up_chart))
        .route("/diagramme/termintreue.svg", get(adherence_chart))
}

/// Colours of the data lines: each has at least 3:1 contrast to the white background
/// (WCAG 1.4.11); lines are also numbered, so colour never carries meaning alone.
pub const PALETTE: [(u8, u8, u8); 8] = [
    (0x0b, 0x4f, 0x8a),
    (0xa4, 0x16, 0x1a),
    (0x1e, 0x6b, 0x34),
    (0x6b, 0x4e, 0x00),
    (0x5b, 0x2a, 0x86),
    (0x00, 0x59, 0x5c),
    (0x8a, 0x3b, 0x00),
    (0x33, 0x33, 0x33),
];

#[derive(serde::Deserialize)]
struct ChosenMilestones {
    /// Milestone ids, comma-separated.
    m: Option<String>,
}

/// `/diagramme/mta/{project}.svg`, or `/diagramme/mta/portfolio.svg?m=1,2,3` for chosen key
/// milestones across the portfolio.
async fn mta_chart(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(chosen): Query<ChosenMilestones>,
    headers: HeaderMap,
) -> Response {
    if file == "portfolio.svg" {
        let ids: Vec<i64> = chosen.m.unwrap_or_default().split(',').filter_map(|id| id.trim().parse().ok()).collect();
        return match charts::mta_portfolio(&state.db, &ids).await {
            Ok(data) => svg_response(render_mta(&data, lang_of(&headers)), &headers),
            Err(_) => {
                (StatusCode::INTERNAL_SERVER_ERROR, "Das Diagramm konnte nicht erstellt werden.\n").into_response()
            }
        };
    }
    let Some(id) = file.strip_suffix(".svg").and_then(|id| id.parse::<i64>().ok()) else {
        return (StatusCode::NOT_FOUND, "Diagramm nicht gefunden\n").into_response();
    };
    match charts::mta(&state.db, id).await {
        Ok(data) => svg_response(render_mta(&data, lang_of(&headers)), &headers),
        Err(AppError::NotFound) => (StatusCode::NOT_FOUND, "Projekt nicht gefunden\n").into_response(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Das Diagramm konnte nicht erstellt werden.\n").into_response(),
    }
}

async fn ampel_over_time(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    match charts::ampel(&state.db, lang, None).await {
        Ok(data) => {
            let title =
                lang.t("Ampel der laufenden Projekte je Stichtag", "Status of running projects per reporting date");
            svg_response(stacked::render_ampel(&data.over_time, title, &data.summary_over_time(lang), lang), &headers)
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Das Diagramm konnte nicht erstellt werden.\n").into_response(),
    }
}

#[derive(serde::Deserialize)]
struct ChosenStichtag {
    stichtag: Option<i64>,
}

/// `?stichtag=ID` draws a given closed Stichtag (the Statusbericht), else the latest.
async fn ampel_by_department(
    State(state): State<AppState>,
    Query(chosen): Query<ChosenStichtag>,
    headers: HeaderMap,
) -> Response {
    match ampel_by_department_svg(&state.db, lang_of(&headers), chosen.stichtag).await {
        Ok((svg, _)) => svg_response(svg, &headers),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Das Diagramm konnte nicht erstellt werden.\n").into_response(),
    }
}

/// The Ampel of running projects per department at a closed Stichtag (the latest when `None`),
/// as SVG with its one-sentence summary; the route and the PDF Statusbericht draw it.
pub async fn ampel_by_department_svg(
    db: &crate::server::db::Db,
    lang: Lang,
    stichtag: Option<i64>,
) -> Result<(String, String), AppError> {
    let data = charts::ampel(db, lang, stichtag).await?;
    // The summary names the Stichtag; the title fits any of them.
    let title = lang.t("Ampel der laufenden Projekte je Fachbereich", "Status of running projects per department");
    let summary = data.summary_by_department(lang);
    Ok((stacked::render_ampel(&data.by_department, title, &summary, lang), summary))
}

async fn usage_chart(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match charts::usage(&state.db).await {
        Ok(data) => svg_response(render_usage(&data, lang_of(&headers)), &headers),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Das Diagramm konnte nicht erstellt werden.\n").into_response(),
    }
}

async fn coverage_chart(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    match charts::coverage(&state.db, lang, crate::server::web::today()).await {
        Ok(data) => {
            let bars: Vec<stacked::Bar> = data
                .over_time
                .iter()
                .map(|r| stacked::Bar { label: r.label.clone(), counts: r.counts.clone() })
                .collect();
            let title =
                lang.t("OZG-Leistungen je Reifegrad über die Stichtage", "OZG services per maturity level over time");
            let y = lang.t("OZG-Leistungen", "OZG services");
            svg_response(
                stacked::render(&bars, &stacked::level_series(&data.levels), y, title, &data.summary(lang), lang),
                &headers,
            )
        }
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Das Diagramm konnte nicht erstellt werden.\n").into_response(),
    }
}

async fn burn_up_chart(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match charts::burn_up(&state.db).await {
        Ok(data) => svg_response(burnup::render(&data, lang_of(&headers)), &headers),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Das Diagramm konnte nicht erstellt werden.\n").into_response(),
    }
}

async fn adherence_chart(State(state): State<AppState>, headers: HeaderMap) -> Response {
    match charts::adherence(&state.db).await {
        Ok(data) => svg_response(adherence::render(&data, lang_of(&headers)), &headers),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Das Diagramm konnte nicht erstellt werden.\n").into_response(),
    }
}

/// Answers with the SVG, or with 304 when the client already holds these exact bytes.
fn svg_response(svg: String, headers: &HeaderMap) -> Response {
    crate::server::web::with_etag(svg.into_bytes(), "image/svg+xml; charset=utf-8", headers)
}

/// Colours of every chart's frame: light and bold grid lines, axes, text.
pub const GRID: plotters::style::RGBColor = plotters::style::RGBColor(0xe4, 0xe7, 0xeb);
pub const GRID_BOLD: plotters::style::RGBColor = plotters::style::RGBColor(0xc4, 0xc9, 0xd0);
pub const AXIS: plotters::style::RGBColor = plotters::style::RGBColor(0x33, 0x33, 0x33);
pub const INK: plotters::style::RGBColor = plotters::style::RGBColor(0x1b, 0x1f, 0x24);

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// What a chart shows instead of data.
fn no_data(
    root: &plotters::drawing::DrawingArea<plotters::prelude::SVGBackend<'_>, plotters::coord::Shift>,
    text: &str,
) -> DrawResult {
    use plotters::prelude::*;
    root.draw(&Text::new(text, (40, 60), ("sans-serif", 20).into_font().color(&INK)))?;
    root.present()?;
    Ok(())
}

/// The end of every renderer: plotters' SVG named by title and description, or, should
/// drawing fail, an empty SVG of the same size (the failure is logged; the page still shows
/// the chart's table).
fn finish(drawn: DrawResult, svg: String, size: (u32, u32), chart: &str, title: &str, desc: &str) -> String {
    let svg = match drawn {
        Ok(()) => svg,
        Err(error) => {
            tracing::error!(%error, chart, "chart failed");
            format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{}\"></svg>", size.0, size.1)
        }
    };
    with_title(&svg, title, desc)
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Gives plotters' SVG its accessible name and description: `role="img"`, `<title>` and
/// `<desc>` right after the opening tag, referenced by `aria-labelledby`.
pub fn with_title(svg: &str, title: &str, desc: &str) -> String {
    let Some(start) = svg.find("<svg") else { return svg.to_string() };
    let Some(end) = svg[start..].find('>').map(|i| start + i) else { return svg.to_string() };
    let open = svg[start..end].trim_end_matches('/');
    format!(
        "{}{open} role=\"img\" aria-labelledby=\"chart-title chart-desc\"><title id=\"chart-title\">{}</title><desc id=\"chart-desc\">{}</desc>{}",
        &svg[..start],
        escape(title),
        escape(desc),
        &svg[end + 1..]
    )
}
