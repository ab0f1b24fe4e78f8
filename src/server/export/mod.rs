//! Spreadsheets out: the filtered portfolio as .xlsx (one sheet per kind) or as CSV (one file
//! per kind), and an .xlsx template per kind. Headers are the importer's canonical headers
//! (`import::header`), so every export imports back with zero changes. Also the errors and
//! notes of one import as a workbook (`/import/{id}/fehlerliste.xlsx`, `problem_workbook`).
//!
//! Formula injection: text that a spreadsheet could run (`cell::is_formula_like`: starting
//! with = + - @, also after spaces or in full-width form, or with a tab or line break) is
//! neutralised: in .xlsx the cell is a string cell with Excel's "quote prefix" style (shown and
//! kept as text, the value itself unchanged); in CSV it gets a leading apostrophe, which the
//! importer removes again.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use http::{HeaderValue, StatusCode, header};
use rust_xlsxwriter::{DataValidation, ExcelDateTime, Format, Formula, Workbook, Worksheet, XlsxError};

use crate::api::imports::{ImportDetail, Kind, Problem};
use crate::api::portfolio::PortfolioFilter;
use crate::domain::{Ampel, Category, Lang, MilestoneNo, Month, Phase, ProjectKey, by_user, fmt_time};
use crate::error::AppError;
use crate::server::db::export::{self, ChoiceLists, PortfolioExport};
use crate::server::import::cell::{guard_csv_text, is_formula_like};
use crate::server::import::header::{ColumnSpec, Field, specs};
use crate::server::web::{AppState, lang_of, today};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/export/portfolio.xlsx", get(portfolio_xlsx))
        .route("/export/{file}", get(portfolio_csv))
        .route("/vorlagen/{file}", get(template))
        .route("/import/{id}/fehlerliste.xlsx", get(problem_list))
}

fn filter_from(pairs: &[(String, String)]) -> PortfolioFilter {
    PortfolioFilter::from_query(|key| pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone()))
}

fn attachment(body: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

/// A download that failed on the server: logged with what failed, told in the reader's language.
fn failure(what: &str, lang: Lang) -> Response {
    tracing::error!(what, "export failed");
    let message = lang.t(
        "Der Download ist fehlgeschlagen; bitte versuchen Sie es erneut.\n",
        "The download failed; please try again.\n",
    );
    (StatusCode::INTERNAL_SERVER_ERROR, message).into_response()
}

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async fn portfolio_xlsx(
    State(state): State<AppState>,
    Query(query): Query<Vec<(String, String)>>,
    headers: http::HeaderMap,
) -> Response {
    let lang = lang_of(&headers);
    let filter = filter_from(&query);
    let data = match export::portfolio(&state.db, &filter).await {
        Ok(data) => data,
        Err(_) => return failure("portfolio query", lang),
    };
    match tokio::task::spawn_blocking(move || portfolio_workbook(&data)).await {
        Ok(Ok(bytes)) => attachment(bytes, XLSX, &format!("leitstand-portfolio-{}.xlsx", today())),
        _ => failure("portfolio workbook", lang),
    }
}

async fn portfolio_csv(
    State(state): State<AppState>,
    Path(file): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
    headers: http::HeaderMap,
) -> Response {
    let lang = lang_of(&headers);
    // Departments and Lotsen have templates but no export: the export is mailed to the
    // departments and carries no personal data (README, "Gespeicherte Personendaten").
    let exported = |kind: &Kind| !matches!(kind, Kind::Fachbereiche | Kind::Lotsen);
    let Some(kind) = file.strip_suffix(".csv").and_then(kind_of_file).filter(exported) else {
        let message = lang.t(
            "Unbekannter Export. Verfügbar: projekte.csv, meilensteine.csv, leistungen.csv, nutzung.csv, portfolio.xlsx\n",
            "Unknown export. Available: projekte.csv, meilensteine.csv, leistungen.csv, nutzung.csv, portfolio.xlsx\n",
        );
        return (StatusCode::NOT_FOUND, message).into_response();
    };
    let filter = filter_from(&query);
    let data = match export::portfolio(&state.db, &filter).await {
        Ok(data) => data,
        Err(_) => return failure("portfolio query", lang),
    };
    let body = csv(kind, &data).into_bytes();
    attachment(body, "text/csv; charset=utf-8", &format!("leitstand-{}-{}.csv", kind.code(), today()))
}

async fn template(State(state): State<AppState>, Path(file): Path<String>, headers: http::HeaderMap) -> Response {
    let lang = lang_of(&headers);
    let Some(kind) = file.strip_suffix(".xlsx").and_then(kind_of_file) else {
        let message = lang.t(
            "Unbekannte Vorlage. Verfügbar: fachbereiche.xlsx, lotsen.xlsx, projekte.xlsx, meilensteine.xlsx, leistungen.xlsx, nutzung.xlsx\n",
            "Unknown template. Available: fachbereiche.xlsx, lotsen.xlsx, projekte.xlsx, meilensteine.xlsx, leistungen.xlsx, nutzung.xlsx\n",
        );
        return (StatusCode::NOT_FOUND, message).into_response();
    };
    let lists = match export::choice_lists(&state.db).await {
        Ok(lists) => lists,
        Err(_) => return failure("template lists", lang),
    };
    match template_workbook(kind, &lists) {
        Ok(bytes) => attachment(bytes, XLSX, &format!("vorlage-{}.xlsx", kind.code())),
        Err(_) => failure("template workbook", lang),
    }
}

/// The errors and notes of one import as a workbook in the reader's language: the staff unit
/// hands it back to the department that sent the file, instead of copying rows off the page.
async fn problem_list(State(state): State<AppState>, Path(id): Path<String>, headers: http::HeaderMap) -> Response {
    let lang = lang_of(&headers);
    let not_found = || (StatusCode::NOT_FOUND, lang.t("Unbekannter Import.\n", "Unknown import.\n")).into_response();
    let Ok(id) = id.parse::<i64>() else { return not_found() };
    let detail = match crate::server::db::imports::detail(&state.db, id).await {
        Ok(detail) => detail,
        Err(AppError::NotFound) => return not_found(),
        Err(_) => return failure("import detail", lang),
    };
    match problem_workbook(&detail, lang) {
        Ok(bytes) => attachment(bytes, XLSX, &format!("import-{id}-{}.xlsx", lang.t("fehlerliste", "problems"))),
        Err(_) => failure("problem list workbook", lang),
    }
}

/// Sheets »Übersicht« (the file, its state and the counts per kind), »Fehler« and »Hinweise«
/// (sheet, row, column, value, message, as the preview lists them). The values come from the
/// uploaded file, so they are guarded against formula injection like every exported text.
pub fn problem_workbook(detail: &ImportDetail, lang: Lang) -> Result<Vec<u8>, XlsxError> {
    let ImportDetail { entry, report } = detail;
    let f = Formats::new();
    let mut book = Workbook::new();

    let summary = book.add_worksheet().set_name(lang.t("Übersicht", "Summary"))?;
    for_print(summary);
    // The facts' values run on over the columns of the counts below them (SHA-256: 64 signs).
    summary.set_column_width(0, 26)?;
    for c in 1..6 {
        summary.set_column_width(c, 14)?;
    }
    let uploaded = format!("{} {}", fmt_time(entry.uploaded_at, lang), by_user(&entry.uploaded_by, lang));
    let facts = [
        (lang.t("Datei", "File"), entry.file_name.clone()),
        (lang.t("Hochgeladen", "Uploaded"), uploaded),
        (lang.t("Stand", "State"), entry.state.label(lang).to_string()),
        ("SHA-256", entry.sha256.clone()),
    ];
    for (r, (label, value)) in facts.iter().enumerate() {
        summary.write_string_with_format(r as u32, 0, *label, &f.header)?;
        write_text(summary, r as u32, 1, value, &f)?;
    }
    let mut r = facts.len() as u32;
    for (label, count) in
        [(lang.t("Fehler", "Errors"), report.errors.len()), (lang.t("Hinweise", "Notes"), report.warnings.len())]
    {
        summary.write_string_with_format(r, 0, label, &f.header)?;
        summary.write_number(r, 1, count as f64)?;
        r += 1;
    }
    if report.problems_omitted > 0 {
        let omitted = crate::domain::fmt_int(report.problems_omitted as i64, lang);
        summary.write_string(r, 0, lang.pick(
            format!("Aufgeführt sind je die ersten 1.000 Fehler und Hinweise; {omitted} weitere sind in den Zahlen unten enthalten."),
            format!("The first 1,000 errors and notes each are listed; {omitted} more are included in the counts below."),
        ))?;
        r += 1;
    }
    if !report.unreadable() {
        r += 1;
        let headers = [
            lang.t("Art", "Kind"),
            lang.t("Neu", "New"),
            lang.t("Geändert", "Changed"),
            lang.t("Unverändert", "Unchanged"),
            lang.t("Zeilen mit Fehlern", "Rows with errors"),
            lang.t("Hinweise", "Notes"),
        ];
        for (c, header) in headers.iter().enumerate() {
            summary.write_string_with_format(r, c as u16, *header, &f.header)?;
        }
        let total = report.total();
        let per_kind = report.kinds.iter().map(|k| (k.label(lang), k));
        for (label, k) in per_kind.chain([(lang.t("Summe", "Total"), &total)]) {
            r += 1;
            summary.write_string(r, 0, label)?;
            for (c, n) in [k.new, k.changed, k.unchanged, k.errors, k.warnings].into_iter().enumerate() {
                summary.write_number(r, c as u16 + 1, n as f64)?;
            }
        }
    }

    for (name, problems) in
        [(lang.t("Fehler", "Errors"), &report.errors), (lang.t("Hinweise", "Notes"), &report.warnings)]
    {
        let sheet = book.add_worksheet().set_name(name)?;
        write_problems(sheet, problems, lang, &f)?;
    }
    book.save_to_buffer()
}

/// Width of the message column of the error list, in Excel's units (about one sign each).
const MESSAGE_WIDTH: usize = 90;

/// Lists are printed, too: on A4 across, as wide as the page.
fn for_print(sheet: &mut Worksheet) {
    sheet.set_paper_size(9).set_landscape().set_print_fit_to_pages(1, 0);
}

fn write_problems(sheet: &mut Worksheet, problems: &[Problem], lang: Lang, f: &Formats) -> Result<(), XlsxError> {
    let heads = [
        (lang.t("Blatt", "Sheet"), 18),
        (lang.t("Zeile", "Row"), 8),
        (lang.t("Spalte", "Column"), 22),
        (lang.t("Wert", "Value"), 24),
        (lang.t("Meldung", "Message"), MESSAGE_WIDTH as u16),
    ];
    for (c, (header, width)) in heads.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *header, &f.header)?;
        sheet.set_column_width(c as u16, *width)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for_print(sheet);
    sheet.set_repeat_rows(0, 0)?;
    let wrapped = Format::new().set_text_wrap();
    for (r, p) in problems.iter().enumerate() {
        let r = r as u32 + 1;
        // A problem of the whole file has no sheet, row or column; its cells stay empty.
        for (c, text) in [(0, p.sheet.as_str()), (2, p.column.as_deref().unwrap_or("")), (3, p.value.as_str())] {
            if !text.is_empty() {
                write_text(sheet, r, c, text, f)?;
            }
        }
        if let Some(row) = p.row {
            sheet.write_number(r, 1, f64::from(row))?;
        }
        // Messages quote the file's values (»…«), so they never begin like a formula; guarded
        // all the same, with line breaks kept readable.
        let message = p.text(lang);
        if is_formula_like(message) {
            sheet.write_string_with_format(r, 4, message, &f.guarded)?;
        } else {
            sheet.write_string_with_format(r, 4, message, &wrapped)?;
        }
        // Neither Excel nor LibreOffice fits a row to wrapped text written by a program: give
        // it the lines the message needs in its column (about one sign per width unit).
        let lines = message.chars().count().div_ceil(MESSAGE_WIDTH).max(1);
        if lines > 1 {
            sheet.set_row_height(r, 15.0 * lines as f64)?;
        }
    }
    if !problems.is_empty() {
        sheet.autofilter(0, 0, problems.len() as u32, heads.len() as u16 - 1)?;
    }
    Ok(())
}

fn kind_of_file(stem: &str) -> Option<Kind> {
    match stem {
        "fachbereiche" => Some(Kind::Fachbereiche),
        "lotsen" => Some(Kind::Lotsen),
        "projekte" => Some(Kind::Projekte),
        "meilensteine" => Some(Kind::Meilensteine),
        "leistungen" => Some(Kind::Leistungen),
        "nutzung" => Some(Kind::Nutzung),
        _ => None,
    }
}

/// One exported value.
enum Value {
    Text(String),
    Date(NaiveDate),
    Number(f64),
    /// A share 0..=1 shown as percent: Excel's own way, which the importer reads back.
    Share(f64),
    /// A month of usage figures: in a workbook a date cell (its first day) shown as 01/2026,
    /// so Excel sorts, filters and charts by it; as text 01/2026, as the template asks for.
    Month(Month),
    Empty,
}

fn text(s: &str) -> Value {
    if s.is_empty() { Value::Empty } else { Value::Text(s.to_string()) }
}

fn opt_date(d: Option<NaiveDate>) -> Value {
    d.map(Value::Date).unwrap_or(Value::Empty)
}

fn yes_no(b: bool) -> Value {
    Value::Text(if b { "ja" } else { "nein" }.into())
}

fn label<T: Copy>(code: &str, parse: impl Fn(&str) -> Option<T>, label: impl Fn(T) -> &'static str) -> Value {
    parse(code).map(|v| Value::Text(label(v).to_string())).unwrap_or_else(|| text(code))
}

/// The columns written per kind: the importer's specs, minus those an export has no data for.
fn columns(kind: Kind) -> Vec<&'static ColumnSpec> {
    let skip = [Field::Reason];
    specs(kind).iter().filter(|c| !skip.contains(&c.field)).collect()
}

fn rows(kind: Kind, data: &PortfolioExport) -> Vec<Vec<Value>> {
    match kind {
        Kind::Projekte => data
            .projects
            .iter()
            .map(|p| {
                vec![
                    text(&p.key),
                    text(&p.title),
                    text(&p.department),
                    text(p.lotse.as_deref().unwrap_or("")),
                    label(&p.category, Category::parse, |c| c.label(Lang::De)),
                    label(&p.phase, Phase::parse, |c| c.label(Lang::De)),
                    Value::Date(p.start_date),
                    Value::Date(p.planned_end),
                    Value::Share(p.percent_done as f64 / 100.0),
                    label(&p.ampel, Ampel::parse, |c| c.label(Lang::De)),
                    text(&p.ampel_reason),
                    p.budget_cents.map(|c| Value::Number(c as f64 / 100.0)).unwrap_or(Value::Empty),
                ]
            })
            .collect(),
        Kind::Meilensteine => data
            .milestones
            .iter()
            .map(|m| {
                // Keys come from `ProjectKey::parse`; a stored key it refused would stay blank.
                let number = ProjectKey::parse(&m.project_key).and_then(|k| MilestoneNo::at(k, m.position));
                vec![
                    text(&m.project_key),
                    number.map(|n| Value::Text(n.to_string())).unwrap_or(Value::Empty),
                    text(&m.title),
                    yes_no(m.is_key),
                    Value::Date(m.baseline_date),
                    Value::Date(m.forecast_date),
                    opt_date(m.actual_date),
                ]
            })
            .collect(),
        Kind::Leistungen => data
            .services
            .iter()
            .map(|s| {
                vec![
                    text(&s.ozg_id),
                    text(s.leika_key.as_deref().unwrap_or("")),
                    text(&s.name),
                    text(&s.themenfeld),
                    Value::Number(s.reifegrad as f64),
                    opt_date(s.online_since),
                    yes_no(s.epayment),
                    text(s.url.as_deref().unwrap_or("")),
                ]
            })
            .collect(),
        Kind::Nutzung => data
            .usage
            .iter()
            .map(|u| {
                vec![
                    text(&u.leika_key),
                    // Stored as "2026-01" by the table's CHECK; anything else stays as it is.
                    Month::parse(&u.month).map(Value::Month).unwrap_or_else(|| text(&u.month)),
                    Value::Number(u.online_count as f64),
                    Value::Number(u.total_count as f64),
                ]
            })
            .collect(),
        _ => Vec::new(),
    }
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)
}

struct Formats {
    header: Format,
    date: Format,
    month: Format,
    share: Format,
    money: Format,
    guarded: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            header: Format::new().set_bold().set_text_wrap(),
            date: Format::new().set_num_format("dd.mm.yyyy"),
            // The slash escaped: unescaped, Excel shows the locale's date separator (01.2026).
            month: Format::new().set_num_format("mm\\/yyyy"),
            share: Format::new().set_num_format("0 %"),
            money: Format::new().set_num_format("#,##0.00 \"€\""),
            guarded: Format::new().set_quote_prefix(),
        }
    }
}

/// Writes text as a string cell, with the quote prefix where it could run as a formula. Every
/// text from the database goes through here: data rows, the template's lists and example.
fn write_text(sheet: &mut Worksheet, r: u32, c: u16, text: &str, f: &Formats) -> Result<(), XlsxError> {
    if is_formula_like(text) {
        sheet.write_string_with_format(r, c, text, &f.guarded)?;
    } else {
        sheet.write_string(r, c, text)?;
    }
    Ok(())
}

fn write_sheet(sheet: &mut Worksheet, kind: Kind, values: &[Vec<Value>], f: &Formats) -> Result<(), XlsxError> {
    let cols = columns(kind);
    for (c, col) in cols.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, col.header, &f.header)?;
        sheet.set_column_width(
            c as u16,
            if col.field == Field::Title || col.field == Field::ServiceName { 48 } else { 16 },
        )?;
    }
    sheet.set_freeze_panes(1, 0)?;
    for (r, row) in values.iter().enumerate() {
        let r = r as u32 + 1;
        for (c, value) in row.iter().enumerate() {
            let c = c as u16;
            match value {
                Value::Text(s) => write_text(sheet, r, c, s, f)?,
                Value::Date(d) => {
                    sheet.write_datetime_with_format(r, c, excel_date(*d)?, &f.date)?;
                }
                Value::Month(m) => {
                    sheet.write_datetime_with_format(r, c, excel_date(m.first_day())?, &f.month)?;
                }
                Value::Number(n) if cols.get(usize::from(c)).is_some_and(|col| col.field == Field::Budget) => {
                    sheet.write_number_with_format(r, c, *n, &f.money)?;
                }
                Value::Number(n) => {
                    sheet.write_number(r, c, *n)?;
                }
                Value::Share(n) => {
                    sheet.write_number_with_format(r, c, *n, &f.share)?;
                }
                Value::Empty => {}
            }
        }
    }
    if !values.is_empty() {
        sheet.autofilter(0, 0, values.len() as u32, cols.len() as u16 - 1)?;
    }
    Ok(())
}

/// The sheet a kind is exported to (LibreOffice names its CSV files after it, see tests/office.rs).
pub fn sheet_name(kind: Kind) -> &'static str {
    match kind {
        Kind::Fachbereiche => "Fachbereiche",
        Kind::Lotsen => "Lotsen",
        Kind::Projekte => "Projekte",
        Kind::Meilensteine => "Meilensteine",
        Kind::Leistungen => "Leistungen",
        Kind::Nutzung => "Nutzung",
        _ => "Daten",
    }
}

pub fn portfolio_workbook(data: &PortfolioExport) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    for kind in [Kind::Projekte, Kind::Meilensteine, Kind::Leistungen, Kind::Nutzung] {
        let sheet = book.add_worksheet().set_name(sheet_name(kind))?;
        write_sheet(sheet, kind, &rows(kind, data), &formats)?;
    }
    book.save_to_buffer()
}

/// CSV as German Excel opens it by double-click: UTF-8 with BOM, `;`, CRLF, TT.MM.JJJJ,
/// decimal comma.
pub fn csv(kind: Kind, data: &PortfolioExport) -> String {
    fn field(value: &Value) -> String {
        let raw = match value {
            Value::Text(s) => guard_csv_text(s).into_owned(),
            Value::Date(d) => format!("{:02}.{:02}.{:04}", d.day(), d.month(), d.year()),
            Value::Month(m) => {
                let first = m.first_day();
                format!("{:02}/{:04}", first.month(), first.year())
            }
            Value::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
            Value::Number(n) => format!("{n:.2}").replace('.', ","),
            Value::Share(n) => format!("{:.0} %", n * 100.0),
            Value::Empty => String::new(),
        };
        if raw.contains([';', '"', '\n', '\r']) { format!("\"{}\"", raw.replace('"', "\"\"")) } else { raw }
    }
    let mut out = String::from("\u{feff}");
    let headers: Vec<&str> = columns(kind).iter().map(|c| c.header).collect();
    out.push_str(&headers.join(";"));
    out.push_str("\r\n");
    for row in rows(kind, data) {
        out.push_str(&row.iter().map(field).collect::<Vec<_>>().join(";"));
        out.push_str("\r\n");
    }
    out
}

/// A template: the kind's sheet with its headers and drop-down lists, a hidden sheet with the
/// lists, and an instructions sheet with an example row (which the importer never reads: it
/// skips sheets named "Anleitung" and "Listen").
pub fn template_workbook(kind: Kind, lists: &ChoiceLists) -> Result<Vec<u8>, XlsxError> {
    let ChoiceLists { departments, lotsen, themenfelder } = lists;
    let mut book = Workbook::new();
    let formats = Formats::new();
    let cols = columns(kind);
    {
        let sheet = book.add_worksheet().set_name(sheet_name(kind))?;
        write_sheet(sheet, kind, &[], &formats)?;
        let last_row = 5_000;
        for (c, col) in cols.iter().enumerate() {
            let c = c as u16;
            let validation = match (template_validation(col.field, lists)?, input_hint(col.field)) {
                (Some(validation), None) => validation,
                (validation, Some(hint)) => validation
                    .unwrap_or_else(|| DataValidation::new().allow_any_value())
                    .set_input_title(col.header)?
                    .set_input_message(hint)?,
                (None, None) => continue,
            };
            sheet.add_data_validation(1, c, last_row, c, &validation)?;
        }
    }
    {
        let sheet = book.add_worksheet().set_name("Anleitung")?;
        let bold = Format::new().set_bold();
        let lines = instructions(kind);
        sheet.set_column_width(0, 110)?;
        sheet.write_string_with_format(0, 0, format!("Vorlage {} – Anleitung", kind.label(Lang::De)), &bold)?;
        for (i, line) in lines.iter().enumerate() {
            sheet.write_string(i as u32 + 2, 0, *line)?;
        }
        let start = lines.len() as u32 + 4;
        sheet.write_string_with_format(start - 1, 0, "Beispielzeile (wird nicht importiert):", &bold)?;
        for (c, col) in cols.iter().enumerate() {
            sheet.write_string_with_format(start, c as u16, col.header, &formats.header)?;
        }
        for (c, value) in example(kind, lists).iter().enumerate() {
            write_text(sheet, start + 1, c as u16, value, &formats)?;
        }
    }
    {
        let sheet = book.add_worksheet().set_name("Listen")?;
        for (c, (title, values)) in
            [("Fachbereiche", departments), ("Lotsen", lotsen), ("Themenfelder", themenfelder)].iter().enumerate()
        {
            sheet.write_string(0, c as u16, *title)?;
            for (r, v) in values.iter().enumerate() {
                write_text(sheet, r as u32 + 1, c as u16, v, &formats)?;
            }
        }
        sheet.set_hidden(true);
    }
    book.save_to_buffer()
}

/// A template column's check in Excel, with a German message that says what is expected.
/// A fixed choice (Ampel, Phase, Kategorie, ja/nein) stops a wrong entry. Everything else only
/// warns, where the importer reads more than Excel can tell: a department or Lotse that the
/// same file adds on its own sheet, a Lotse named by the person, a date typed as text
/// (»31.12.2025«). The preview checks every cell anyway. The ranges are the importer's.
fn template_validation(field: Field, lists: &ChoiceLists) -> Result<Option<DataValidation>, XlsxError> {
    use rust_xlsxwriter::{DataValidationErrorStyle, DataValidationRule};
    let ChoiceLists { departments, lotsen, themenfelder } = lists;
    let choice = |validation: DataValidation, message: &str| {
        validation.set_error_title("Wert nicht in der Liste")?.set_error_message(message)
    };
    let warn = |validation: DataValidation, message: &str| {
        validation
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("Wert prüfen")?
            .set_error_message(format!("{message} Mit »Ja« behalten Sie den Wert; die Vorschau beim Import prüft ihn."))
    };
    let list = |strings: &[&str]| DataValidation::new().allow_list_strings(strings);
    let from_sheet = |column: char, len: usize| {
        DataValidation::new().allow_list_formula(Formula::new(format!("=Listen!${column}$2:${column}${}", len + 1)))
    };
    let validation = match field {
        Field::Ampel => choice(list(&["Grün", "Gelb", "Rot"])?, "Bitte wählen Sie Grün, Gelb oder Rot.")?,
        Field::Phase => {
            let labels: Vec<&str> = Phase::ALL.iter().map(|p| p.label(Lang::De)).collect();
            choice(list(&labels)?, "Bitte wählen Sie eine Phase aus der Liste.")?
        }
        Field::Category => {
            let labels: Vec<&str> = Category::ALL.iter().map(|p| p.label(Lang::De)).collect();
            choice(list(&labels)?, "Bitte wählen Sie eine Kategorie aus der Liste.")?
        }
        Field::Department if !departments.is_empty() => warn(
            from_sheet('A', departments.len()),
            "Erwartet wird ein Fachbereich aus der Liste (oder einer, den ein Blatt »Fachbereiche« derselben Datei anlegt).",
        )?,
        Field::Lotse if !lotsen.is_empty() => warn(
            from_sheet('B', lotsen.len()).ignore_blank(true),
            "Erwartet wird eine Lotsenfunktion aus der Liste, der Name der Person, die sie innehat, oder eine leere Zelle.",
        )?,
        Field::Themenfeld if !themenfelder.is_empty() => {
            warn(from_sheet('C', themenfelder.len()), "Erwartet wird ein Themenfeld aus der Liste.")?
        }
        Field::IsKey | Field::Epayment => choice(list(&["ja", "nein"])?, "Bitte wählen Sie ja oder nein.")?,
        Field::Start | Field::PlannedEnd | Field::Baseline | Field::Forecast | Field::Actual | Field::OnlineSince => {
            warn(
                DataValidation::new().allow_date(DataValidationRule::Between(
                    ExcelDateTime::from_ymd(2000, 1, 1)?,
                    ExcelDateTime::from_ymd(2100, 12, 31)?,
                )),
                "Erwartet wird ein Datum zwischen 01.01.2000 und 31.12.2100, z. B. 31.12.2025.",
            )?
        }
        Field::Percent => warn(
            DataValidation::new().allow_decimal_number(DataValidationRule::Between(0.0, 100.0)),
            "Erwartet wird eine Fertigstellung von 0 bis 100 %, z. B. 60 % oder 0,6.",
        )?,
        Field::Budget => warn(
            DataValidation::new().allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0)),
            "Erwartet wird ein Betrag in Euro ab 0, z. B. 25000 oder 25.000,00.",
        )?,
        Field::Reifegrad => warn(
            DataValidation::new().allow_whole_number(DataValidationRule::Between(0, 4)),
            "Erwartet wird ein Reifegrad von 0 bis 4.",
        )?,
        Field::Online | Field::Total => warn(
            DataValidation::new().allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0)),
            "Erwartet wird eine ganze Zahl ab 0 (Anzahl der Anträge im Monat).",
        )?,
        _ => return Ok(None),
    };
    Ok(Some(validation))
}

/// What a template column expects, shown by Excel and LibreOffice as a note beside the cell
/// being filled in, so that nobody has to switch to the instructions sheet. At most 255
/// characters (Excel's limit); the importer's rules, in the words of its messages.
fn input_hint(field: Field) -> Option<&'static str> {
    let hint = match field {
        Field::DepartmentCode => {
            "Kurzes Kürzel des Fachbereichs, höchstens 20 Zeichen, z. B. FB 61. Über das Kürzel wird ein vorhandener Fachbereich erkannt."
        }
        Field::DepartmentName => "Ausgeschriebener Name, z. B. Amt für Digitalisierung und Organisation.",
        Field::Function => "Die Funktion, z. B. Lotse FB 61. Über sie wird ein vorhandener Eintrag erkannt.",
        Field::Person => "Vor- und Nachname der Person, die die Funktion innehat, oder »unbesetzt«.",
        Field::Email => "Dienstliche E-Mail-Adresse, z. B. vorname.nachname@stadt.example.",
        Field::Phone => "Dienstliche Rufnummer, z. B. 0221 221-12345.",
        Field::ProjectKey => {
            "Projektnummer, z. B. DIG-0042: 3 bis 20 Buchstaben, Ziffern oder Bindestriche. Über sie wird ein vorhandenes Projekt erkannt und aktualisiert."
        }
        Field::Title => "Titel des Projekts, höchstens 300 Zeichen.",
        Field::Department => "Kürzel oder Name eines Fachbereichs aus der Liste, z. B. FB 61.",
        Field::Lotse => {
            "Lotsenfunktion aus der Liste oder Name der Person. Eine leere Zelle löscht den gespeicherten Lotsen."
        }
        Field::Category => "Bitte aus der Liste wählen.",
        Field::Phase => "Bitte aus der Liste wählen.",
        Field::Ampel => "Grün, Gelb oder Rot. Bei Gelb oder Rot ist eine Ampel-Begründung Pflicht.",
        Field::AmpelReason => {
            "Pflicht bei Gelb oder Rot: was sich verzögert und was dagegen getan wird. Eine leere Zelle löscht die gespeicherte Begründung."
        }
        Field::Start | Field::PlannedEnd | Field::Baseline => "Datum im Format TT.MM.JJJJ, z. B. 31.12.2025.",
        Field::Actual => {
            "Tag, an dem der Meilenstein erreicht wurde, im Format TT.MM.JJJJ. Eine leere Zelle löscht einen gespeicherten Ist-Termin."
        }
        Field::OnlineSince => {
            "Datum im Format TT.MM.JJJJ, seit dem die Leistung online ist. Eine leere Zelle löscht das gespeicherte Datum."
        }
        Field::Forecast => {
            "Datum im Format TT.MM.JJJJ, z. B. 31.12.2025. Eine geänderte Prognose wird als neuer Punkt der Meilensteintrendanalyse zum aktuellen Stichtag gespeichert."
        }
        Field::Percent => "Fertigstellung von 0 bis 100 %, z. B. 60 % oder 0,6.",
        Field::Budget => "Betrag in Euro, z. B. 25.000,00. Eine leere Zelle löscht das gespeicherte Budget.",
        Field::Milestone => {
            "Name des Meilensteins, höchstens 300 Zeichen. Mit der Projekt-Nr erkennt er einen vorhandenen Meilenstein, wenn die Meilenstein-Nr leer ist."
        }
        Field::MilestoneNo => {
            "Nummer des Meilensteins in Leitstand, z. B. DIG-0042/3; der Export füllt sie. Leer für einen neuen Meilenstein. Mit Nummer lässt sich der Name des Meilensteins ändern."
        }
        Field::IsKey => "ja für einen Schlüsselmeilenstein, sonst nein.",
        Field::OzgId => "OZG-ID aus dem OZG-Katalog, bis zu 6 Ziffern, z. B. 10000 (Elterngeld).",
        Field::LeikaKey => {
            "LeiKa-Schlüssel: 14 Ziffern, beginnend mit 99, z. B. 99012001000000. Bitte als Text eingeben, damit Excel keine Ziffern rundet."
        }
        Field::ServiceName => "Name der Leistung, höchstens 500 Zeichen.",
        Field::Themenfeld => "Ein Themenfeld des OZG aus der Liste.",
        Field::Reifegrad => {
            "OZG-Reifegrad 0 bis 4: 0 offline, 1 Information online, 2 Formular online, 3 Antrag mit Nachweisen online, 4 vollständig digital."
        }
        Field::Epayment => "ja, wenn online bezahlt werden kann, sonst nein.",
        Field::Url => {
            "Adresse des Online-Dienstes, z. B. https://service.example.de/elterngeld. Eine leere Zelle löscht die gespeicherte Adresse."
        }
        Field::Month => "Monat im Format MM/JJJJ, z. B. 01/2026.",
        Field::Online => "Anzahl der online gestellten Anträge im Monat, eine ganze Zahl ab 0.",
        Field::Total => "Anzahl aller Anträge im Monat (online und auf anderen Wegen); mindestens so viele wie online.",
        _ => return None,
    };
    Some(hint)
}

fn instructions(kind: Kind) -> Vec<&'static str> {
    let mut lines = vec![
        "1. Tragen Sie ab Zeile 2 eine Zeile je Eintrag ein; die Kopfzeile bitte nicht ändern (zusätzliche Spalten werden ignoriert und angezeigt).",
        "2. Datumsangaben als Datum oder im Format TT.MM.JJJJ, Zahlen mit Dezimalkomma, Prozent als 60 % oder 0,6.",
        "3. Laden Sie die Datei in Leitstand unter »Import & Export« hoch. Sie sehen zuerst eine Vorschau aller Änderungen mit Fehlern je Zeile und Spalte; übernommen wird erst nach Ihrer Bestätigung.",
        "4. Vorhandene Einträge werden über ihren Schlüssel erkannt und aktualisiert. Eine Spalte, die Sie löschen, ändert nichts; eine leere Zelle in einer Pflichtspalte lässt den bisherigen Wert ebenfalls unverändert.",
    ];
    // Blank cells in the columns that may be empty clear the stored value (README, "Leere
    // Zellen"): whoever fills in only a few columns must know it before the preview shows it.
    lines.extend(match kind {
        Kind::Projekte => Some("5. Achtung: Eine leere Zelle in den Spalten Lotse, Budget oder Ampel-Begründung löscht den gespeicherten Wert. Wollen Sie nur einzelne Angaben ändern, löschen Sie die übrigen Spalten (außer Projekt-Nr) oder beginnen Sie mit dem Export, der die aktuellen Werte enthält. Die Vorschau zeigt jede Löschung als »alt → –«."),
        Kind::Meilensteine => Some("5. Achtung: Eine leere Zelle in der Spalte Ist-Termin löscht einen gespeicherten Ist-Termin. Wollen Sie nur Prognosen ändern, löschen Sie die Spalte Ist-Termin oder beginnen Sie mit dem Export, der die aktuellen Werte enthält. Die Vorschau zeigt jede Löschung als »alt → –«."),
        Kind::Leistungen => Some("5. Achtung: Eine leere Zelle in den Spalten Online seit oder URL löscht den gespeicherten Wert. Wollen Sie nur einzelne Angaben ändern, löschen Sie die übrigen Spalten (außer den Schlüsselspalten) oder beginnen Sie mit dem Export, der die aktuellen Werte enthält. Die Vorschau zeigt jede Löschung als »alt → –«."),
        _ => None,
    });
    lines.push(match kind {
        Kind::Fachbereiche => "Pflicht: Kürzel (z. B. FB 61, höchstens 20 Zeichen) und Name. Die anderen Blätter nennen einen Fachbereich über Kürzel oder Namen; beide müssen eindeutig sein. Ein Blatt »Fachbereiche« darf in derselben Datei stehen wie die Projekte, die sich darauf beziehen.",
        Kind::Lotsen => "Pflicht: Funktion (z. B. Lotse FB 61); die Person wird über ihren Namen erkannt und kann mehrere Funktionen innehaben. »unbesetzt« in der Spalte Person vermerkt eine freie Stelle. E-Mail und Telefon sind dienstliche Kontaktdaten der Person; gespeichert wird nur, was der Steuerung dient.",
        Kind::Projekte => "Pflicht: Projekt-Nr und Titel; für neue Projekte außerdem Fachbereich, Kategorie, Start und Planende. Bei Ampel Gelb oder Rot ist eine Begründung Pflicht.",
        Kind::Meilensteine => "Pflicht: Projekt-Nr und Meilenstein (Name); für neue Meilensteine der Plantermin. Die Meilenstein-Nr (z. B. DIG-0042/3) schreibt der Export: Mit ihr lässt sich der Name eines Meilensteins ändern; für einen neuen Meilenstein bleibt sie leer. Eine geänderte Prognose wird als neuer Punkt der Meilensteintrendanalyse zum aktuellen Stichtag gespeichert.",
        Kind::Leistungen => "Pflicht: OZG-ID und Leistung; der LeiKa-Schlüssel (14 Ziffern, beginnend mit 99) ist der Schlüssel für Nutzungszahlen.",
        Kind::Nutzung => "Pflicht: LeiKa-Schlüssel, Monat (z. B. 01/2026), Online (Online-Anträge) und Gesamt (alle Anträge). Online darf Gesamt nicht übersteigen.",
        _ => "",
    });
    lines
}

fn example(kind: Kind, lists: &ChoiceLists) -> Vec<&str> {
    let department = lists.departments.first().map(String::as_str).unwrap_or("FB 61");
    let lotse = lists.lotsen.first().map(String::as_str).unwrap_or("");
    let themenfeld = lists.themenfelder.first().map(String::as_str).unwrap_or("Familie & Kind");
    match kind {
        Kind::Fachbereiche => vec!["FB 99", "Amt für Digitalisierung und Organisation"],
        Kind::Lotsen => {
            vec!["Lotse FB 99", department, "Erika Mustermann", "erika.mustermann@stadt.example", "0221 221-12345"]
        }
        Kind::Projekte => vec![
            "DIG-0999",
            "Online-Antrag Anwohnerparken",
            department,
            lotse,
            "OZG-Leistung",
            "Umsetzung",
            "01.02.2026",
            "31.12.2026",
            "40 %",
            "Gelb",
            "Schnittstelle zum Fachverfahren verzögert sich",
            "25.000,00",
        ],
        Kind::Meilensteine => vec!["DIG-0999", "", "Pilotbetrieb gestartet", "ja", "30.06.2026", "31.07.2026", ""],
        Kind::Leistungen => vec![
            "10000",
            "99012001000000",
            "Elterngeld",
            themenfeld,
            "3",
            "01.03.2025",
            "ja",
            "https://service.example.de/elterngeld",
        ],
        Kind::Nutzung => vec!["99012001000000", "01/2026", "412", "530"],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use super::*;

    /// The example row on the instructions sheet takes its department, Lotse and Themenfeld
    /// from the database; formula-like names there get the quote prefix like everywhere else.
    #[test]
    fn template_example_rows_guard_formula_like_names() {
        let lists = ChoiceLists {
            departments: vec!["=A1".into()],
            lotsen: vec!["+B2".into()],
            themenfelder: vec!["@C3".into()],
        };
        for kind in [Kind::Lotsen, Kind::Projekte, Kind::Leistungen] {
            let bytes = template_workbook(kind, &lists).unwrap();
            let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
            let mut sheet = String::new();
            archive.by_name("xl/worksheets/sheet2.xml").unwrap().read_to_string(&mut sheet).unwrap();
            // 1-based: title, blank row, the instructions, blank row, label, header, example.
            let row = instructions(kind).len() + 6;
            let example = sheet
                .split(&format!("<row r=\"{row}\""))
                .nth(1)
                .and_then(|rest| rest.split("</row>").next())
                .unwrap_or_else(|| panic!("no row {row}: {sheet}"));
            assert!(example.contains(" s=\""), "{kind:?}: {example}");
        }
    }

    /// Excel refuses a file whose input note is longer than 255 characters, and LibreOffice
    /// cuts it; the title beside it holds at most 32.
    #[test]
    fn every_template_column_says_what_it_expects_within_excels_limits() {
        let kinds =
            [Kind::Fachbereiche, Kind::Lotsen, Kind::Projekte, Kind::Meilensteine, Kind::Leistungen, Kind::Nutzung];
        for kind in kinds {
            for col in columns(kind) {
                let hint = input_hint(col.field).unwrap_or_else(|| panic!("{kind:?}: no hint for {}", col.header));
                assert!(hint.chars().count() <= 255, "{}: {} characters", col.header, hint.chars().count());
                assert!(col.header.chars().count() <= 32, "{}", col.header);
            }
        }
    }
}
