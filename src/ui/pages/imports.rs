//! Import of department workbooks: the upload form and the import history (`/import`), and
//! the preview of one upload with its changes and problems (`/import/:id`), where the staff
//! unit applies or discards it. Upload, commit and discard are plain form posts.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::imports::{
    IMPORT_PAGE_SIZE, ImportDetail, ImportHistory, ImportReport, ImportState, LISTED_CHANGES, Problem, load_import,
    load_imports, load_upload_limit,
};
use crate::api::page_number;
use crate::domain::{Lang, by_user, fmt_decimal, fmt_int, fmt_names, fmt_time, fmt_user};
use crate::ui::{LoadError, NotFound, Pager, TableRegion, use_lang};

/// A file size as the form states its limit: "20 MB", "1,5 MB".
fn file_size(bytes: u64, lang: Lang) -> String {
    const MB: u64 = 1024 * 1024;
    if bytes.is_multiple_of(MB) {
        format!("{} MB", bytes / MB)
    } else if bytes >= MB / 10 {
        // Rounded down: the form must not promise more than the server takes.
        format!("{} MB", fmt_decimal((bytes * 10 / MB) as f64 / 10.0, 1, lang))
    } else {
        format!("{} Byte", fmt_int(bytes as i64, lang))
    }
}

/// What "Zeilen mit Fehlern auslassen" leaves out: the faulty rows and the sheets that lack a
/// required column (each counted as one error), e.g. "2 Zeilen mit Fehlern und das Blatt »X«".
fn left_out(errors: u64, sheets: &[String], lang: Lang) -> String {
    let quoted = fmt_names(sheets);
    let sheets_part = match (sheets.len(), lang) {
        (0, _) => None,
        (1, Lang::De) => Some(format!("das Blatt {quoted}")),
        (_, Lang::De) => Some(format!("die Blätter {quoted}")),
        (1, Lang::En) => Some(format!("the sheet {quoted}")),
        (_, Lang::En) => Some(format!("the sheets {quoted}")),
    };
    let faulty = errors.saturating_sub(sheets.len() as u64);
    let rows_part = (faulty > 0).then(|| format!("{} {}", rows(faulty, lang), lang.t("mit Fehlern", "with errors")));
    [rows_part, sheets_part].into_iter().flatten().collect::<Vec<_>>().join(lang.t(" und ", " and "))
}

/// "1 Zeile", "1.200 Zeilen" / "1 row", "1,200 rows".
fn rows(n: u64, lang: Lang) -> String {
    let count = fmt_int(n as i64, lang);
    match (n, lang) {
        (1, _) => lang.t("1 Zeile", "1 row").to_string(),
        (_, Lang::De) => format!("{count} Zeilen"),
        (_, Lang::En) => format!("{count} rows"),
    }
}

/// What went wrong with an upload (`?fehler=` after the redirect); `limit` is the configured
/// largest file, as text.
fn upload_error(code: &str, limit: &str, lang: Lang) -> String {
    match code {
        "keine-datei" => lang
            .t("Bitte wählen Sie eine Datei aus (.xlsx, .xlsm, .ods oder .csv).", "Please choose a file (.xlsx, .xlsm, .ods or .csv).")
            .to_string(),
        "zu-gross" if limit.is_empty() => lang
            .t(
                "Die Datei ist zu groß (Grenze LEITSTAND_IMPORT_MAX_BYTES); es wurde nichts geändert.",
                "The file is too large (limit LEITSTAND_IMPORT_MAX_BYTES); nothing was changed.",
            )
            .to_string(),
        "zu-gross" => lang.pick(
            format!("Die Datei ist zu groß. Erlaubt sind Dateien bis {limit} (Grenze LEITSTAND_IMPORT_MAX_BYTES); es wurde nichts geändert."),
            format!("The file is too large. Files up to {limit} are allowed (limit LEITSTAND_IMPORT_MAX_BYTES); nothing was changed."),
        ),
        "abgebrochen" => lang
            .t(
                "Die Übertragung ist abgebrochen oder unvollständig angekommen; es wurde nichts geändert. Bitte laden Sie die Datei erneut hoch.",
                "The upload broke off or arrived incomplete; nothing was changed. Please upload the file again.",
            )
            .to_string(),
        _ => lang
            .t(
                "Beim Verarbeiten ist ein interner Fehler aufgetreten; es wurde nichts geändert. Bitte versuchen Sie es erneut.",
                "An internal error occurred; nothing was changed. Please try again.",
            )
            .to_string(),
    }
}

#[component]
pub fn ImportsPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let error = move || query.with(|q| q.get("fehler"));
    let page = move || query.with(|q| page_number(q.get("seite").as_deref()));
    let history = Resource::new(page, load_imports);
    // The size limit as text; should it fail to load, the form still works, only without it.
    let limit = Resource::new(|| (), |_| load_upload_limit());
    // "Projekte" is both a template and a CSV export: a screen reader's list of links says which
    // (WCAG 2.4.9), where sighted users see the line's label.
    let template = move || view! { <span class="visually-hidden">{lang.t(" (Vorlage)", " (template)")}</span> };
    let csv_export = move || view! { <span class="visually-hidden">{lang.t(" (CSV-Export)", " (CSV export)")}</span> };
    view! {
        <Title text=lang.t("Import", "Import")/>
        <h1>{lang.t("Tabellen importieren", "Import spreadsheets")}</h1>
        <Suspense>
            {move || Suspend::new(async move {
                let size = limit.await.map(|bytes| file_size(bytes, lang)).unwrap_or_default();
                error().map(|code| view! { <p class="error" role="alert" id="upload-error">{upload_error(&code, &size, lang)}</p> })
            })}
        </Suspense>
        <section aria-labelledby="upload-heading">
            <h2 id="upload-heading">{lang.t("Datei hochladen", "Upload a file")}</h2>
            <p>{lang.t(
                "Leitstand liest Fachbereiche, Lotsen, Projekte, Meilensteine, OZG-Leistungen, den OZG-Katalog und Nutzungszahlen aus .xlsx, .xlsm, .ods und .csv. Die Blätter werden an ihrer Kopfzeile erkannt. Nach dem Hochladen sehen Sie zuerst eine Vorschau aller Änderungen; übernommen wird erst, wenn Sie bestätigen.",
                "Leitstand reads departments, pilots, projects, milestones, OZG services, the OZG catalogue and usage figures from .xlsx, .xlsm, .ods and .csv. Sheets are recognised by their header row. After the upload you first see a preview of all changes; nothing is applied until you confirm.",
            )}</p>
            <form id="upload-form" method="post" action="/import/hochladen" enctype="multipart/form-data" class="upload">
                <div class="field">
                    <label for="upload-file"><Suspense fallback=move || lang.t("Datei (.xlsx, .xlsm, .ods, .csv)", "File (.xlsx, .xlsm, .ods, .csv)")>
                        {move || Suspend::new(async move {
                            match limit.await {
                                Ok(bytes) => {
                                    let size = file_size(bytes, lang);
                                    view! {
                                        {lang.pick(
                                            format!("Datei (.xlsx, .xlsm, .ods, .csv; bis {size})"),
                                            format!("File (.xlsx, .xlsm, .ods, .csv; up to {size})"),
                                        )}
                                        // For import.js, which refuses a larger file before sending
                                        // it: the server can stop a far larger upload only by
                                        // cutting the connection, and the browser then shows its
                                        // own error page.
                                        <span id="upload-limit" data-bytes=bytes.to_string() hidden></span>
                                    }.into_any()
                                }
                                Err(_) => lang.t("Datei (.xlsx, .xlsm, .ods, .csv)", "File (.xlsx, .xlsm, .ods, .csv)").into_any(),
                            }
                        })}
                    </Suspense></label>
                    // The message above names what was wrong with the file sent: tied to the
                    // field, so that a screen reader reads it there too.
                    <input id="upload-file" type="file" name="datei" required
                        aria-invalid=move || error().is_some().then_some("true")
                        aria-describedby=move || error().is_some().then_some("upload-error")
                        accept=".xlsx,.xlsm,.ods,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,application/vnd.oasis.opendocument.spreadsheet,text/csv"/>
                </div>
                <div class="actions"><button type="submit">{lang.t("Hochladen und prüfen", "Upload and check")}</button></div>
                <div id="upload-progress" class="import-progress" hidden>
                    <label for="upload-bar">{lang.t("Fortschritt", "Progress")}</label>
                    <progress id="upload-bar" max="100" value="0"></progress>
                </div>
                // Outside the hidden box: a live region must be there before its first message.
                <p id="upload-status" role="status" aria-live="polite"></p>
            </form>
        </section>
        <section aria-labelledby="templates-heading">
            <h2 id="templates-heading">{lang.t("Vorlagen und Export", "Templates and export")}</h2>
            <p>{lang.t(
                "Vorlagen enthalten die Kopfzeile, Auswahllisten (Ampel, Fachbereiche, Lotsen, Themenfelder) und ein Blatt »Anleitung« mit Beispielzeile. Exporte lassen sich bearbeiten und unverändert wieder importieren; über die Meilenstein-Nr (z. B. DIG-0042/3) erkennt Leitstand einen Meilenstein auch unter einem geänderten Namen. Zum Bearbeiten in Excel nehmen Sie bitte die .xlsx-Datei, denn Excel kürzt beim Speichern als CSV lange Ziffernfolgen wie LeiKa-Schlüssel. Wer ohne Daten beginnt, trägt zuerst die Fachbereiche und Lotsen ein; ihre Blätter dürfen in derselben Datei stehen wie die Projekte.",
                "Templates contain the header row, drop-down lists (Ampel, departments, pilots, subject areas) and an instructions sheet with an example row. Exports can be edited and imported back as they are; by its Meilenstein-Nr (e.g. DIG-0042/3) Leitstand recognises a milestone under a changed name, too. To edit them in Excel, please take the .xlsx file, as Excel shortens long numbers such as LeiKa keys when it saves a CSV file. Starting without data, enter the departments and pilots first; their sheets may be in the same file as the projects.",
            )}</p>
            <ul class="downloads">
                <li>{lang.t("Vorlagen:", "Templates:")}" "
                    <a href="/vorlagen/fachbereiche.xlsx" rel="external" download>{lang.t("Fachbereiche", "Departments")}{template}</a>" · "
                    <a href="/vorlagen/lotsen.xlsx" rel="external" download>{lang.t("Lotsen", "Pilots")}{template}</a>" · "
                    <a href="/vorlagen/projekte.xlsx" rel="external" download>{lang.t("Projekte", "Projects")}{template}</a>" · "
                    <a href="/vorlagen/meilensteine.xlsx" rel="external" download>{lang.t("Meilensteine", "Milestones")}{template}</a>" · "
                    <a href="/vorlagen/leistungen.xlsx" rel="external" download>{lang.t("OZG-Leistungen", "OZG services")}{template}</a>" · "
                    <a href="/vorlagen/nutzung.xlsx" rel="external" download>{lang.t("Nutzungszahlen", "Usage figures")}{template}</a>
                </li>
                <li>{lang.t("Gesamtes Portfolio:", "Whole portfolio:")}" "
                    <a href="/export/portfolio.xlsx" rel="external" download>{lang.t("Excel (.xlsx)", "Excel (.xlsx)")}</a>" · CSV: "
                    <a href="/export/projekte.csv" rel="external" download>{lang.t("Projekte", "Projects")}{csv_export}</a>", "
                    <a href="/export/meilensteine.csv" rel="external" download>{lang.t("Meilensteine", "Milestones")}{csv_export}</a>", "
                    <a href="/export/leistungen.csv" rel="external" download>{lang.t("Leistungen", "Services")}{csv_export}</a>", "
                    <a href="/export/nutzung.csv" rel="external" download>{lang.t("Nutzung", "Usage")}{csv_export}</a>
                </li>
            </ul>
        </section>
        <section aria-labelledby="history-heading">
            <h2 id="history-heading">{lang.t("Import-Historie", "Import history")}</h2>
            <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
                {move || Suspend::new(async move {
                    match history.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(history) if history.entries.is_empty() => view! { <p>{lang.t("Noch keine Importe.", "No imports yet.")}</p> }.into_any(),
                        Ok(ImportHistory { entries, total, page, pages }) => view! {
                            <TableRegion labelled_by="import-history-titel">
                            <table class="data" id="import-history">
                                <caption id="import-history-titel">{history_caption(total, page, pages, lang)}</caption>
                                <thead><tr>
                                    <th scope="col">{lang.t("Zeitpunkt", "Time")}</th>
                                    <th scope="col">{lang.t("Datei", "File")}</th>
                                    <th scope="col">{lang.t("Von", "By")}</th>
                                    <th scope="col">{lang.t("Stand", "State")}</th>
                                    <th scope="col" class="num">{lang.t("Neu", "New")}</th>
                                    <th scope="col" class="num">{lang.t("Geändert", "Changed")}</th>
                                    <th scope="col" class="num">{lang.t("Unverändert", "Unchanged")}</th>
                                    <th scope="col" class="num">{lang.t("Fehler", "Errors")}</th>
                                    <th scope="col">{lang.t("SHA-256", "SHA-256")}</th>
                                </tr></thead>
                                <tbody>
                                    {entries.into_iter().map(|e| view! {
                                        <tr>
                                            <td>{fmt_time(e.uploaded_at, lang)}</td>
                                            <td><a href=format!("/import/{}", e.id)>{e.file_name.clone()}</a>{(e.source == "cli").then(|| view! { " "<span class="hint">{lang.t("(Kommandozeile)", "(command line)")}</span> })}</td>
                                            <td>{fmt_user(&e.uploaded_by, lang)}</td>
                                            <td>{e.state.label(lang)}</td>
                                            <td class="num">{fmt_int(e.new_count, lang)}</td>
                                            <td class="num">{fmt_int(e.changed_count, lang)}</td>
                                            <td class="num">{fmt_int(e.unchanged_count, lang)}</td>
                                            <td class="num">{fmt_int(e.error_count, lang)}</td>
                                            <td><code title=e.sha256.clone()>{e.sha256.chars().take(12).collect::<String>()}"…"</code></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </TableRegion>
                            <Pager page=page pages=pages href=Callback::new(|n: i64| if n > 1 { format!("/import?seite={n}#history-heading") } else { "/import#history-heading".to_string() })/>
                        }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// "Alle 12 Importe, neueste zuerst" on one page; "Importe 51–100 von 240, neueste zuerst"
/// on a later one.
fn history_caption(total: i64, page: i64, pages: i64, lang: Lang) -> String {
    if pages <= 1 {
        return match (total, lang) {
            (1, _) => lang.t("Ein Import", "One import").to_string(),
            (_, Lang::De) => format!("Alle {} Importe, neueste zuerst", fmt_int(total, lang)),
            (_, Lang::En) => format!("All {} imports, newest first", fmt_int(total, lang)),
        };
    }
    let first = (page - 1) * IMPORT_PAGE_SIZE + 1;
    let last = (page * IMPORT_PAGE_SIZE).min(total);
    let (first, last, total) = (fmt_int(first, lang), fmt_int(last, lang), fmt_int(total, lang));
    match lang {
        Lang::De => format!("Importe {first}–{last} von {total}, neueste zuerst"),
        Lang::En => format!("Imports {first}–{last} of {total}, newest first"),
    }
}

#[component]
fn ProblemTable(problems: Vec<Problem>, id: &'static str, #[prop(into)] caption: String) -> impl IntoView {
    let lang = use_lang();
    view! {
        <TableRegion labelled_by=format!("{id}-titel")>
        <table class="data problems" id=id>
            <caption id=format!("{id}-titel")>{caption}</caption>
            <thead><tr>
                <th scope="col">{lang.t("Blatt", "Sheet")}</th>
                <th scope="col" class="num">{lang.t("Zeile", "Row")}</th>
                <th scope="col">{lang.t("Spalte", "Column")}</th>
                <th scope="col">{lang.t("Wert", "Value")}</th>
                <th scope="col">{lang.t("Meldung", "Message")}</th>
            </tr></thead>
            <tbody>
                {problems.into_iter().map(|p| {
                    let message = p.text(lang).to_string();
                    view! {
                    <tr>
                        <td>{p.sheet}</td>
                        <td class="num">{p.row.map(|r| r.to_string()).unwrap_or_default()}</td>
                        <td>{p.column.unwrap_or_default()}</td>
                        <td><code>{p.value}</code></td>
                        <td>{message}</td>
                    </tr>
                }}).collect_view()}
            </tbody>
        </table>
        </TableRegion>
    }
}

/// Counts per kind: what the import adds, changes, leaves as it is, and cannot read.
#[component]
fn CountTable(report: ImportReport) -> impl IntoView {
    let lang = use_lang();
    let total = report.total();
    view! {
        <TableRegion labelled_by="import-counts-titel">
        <table class="data" id="import-counts">
            <caption id="import-counts-titel">{lang.t("Übersicht je Art", "Summary per kind")}</caption>
            <thead><tr>
                <th scope="col">{lang.t("Art", "Kind")}</th>
                <th scope="col" class="num">{lang.t("Neu", "New")}</th>
                <th scope="col" class="num">{lang.t("Geändert", "Changed")}</th>
                <th scope="col" class="num">{lang.t("Unverändert", "Unchanged")}</th>
                <th scope="col" class="num">{lang.t("Zeilen mit Fehlern", "Rows with errors")}</th>
                <th scope="col" class="num">{lang.t("Hinweise", "Notes")}</th>
            </tr></thead>
            <tbody>
                {report.kinds.into_iter().map(|k| view! {
                    <tr>
                        <th scope="row">{k.label(lang)}</th>
                        <td class="num">{fmt_int(k.new as i64, lang)}</td>
                        <td class="num">{fmt_int(k.changed as i64, lang)}</td>
                        <td class="num">{fmt_int(k.unchanged as i64, lang)}</td>
                        <td class="num">{fmt_int(k.errors as i64, lang)}</td>
                        <td class="num">{fmt_int(k.warnings as i64, lang)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot><tr>
                <th scope="row">{lang.t("Summe", "Total")}</th>
                <td class="num">{fmt_int(total.new as i64, lang)}</td>
                <td class="num">{fmt_int(total.changed as i64, lang)}</td>
                <td class="num">{fmt_int(total.unchanged as i64, lang)}</td>
                <td class="num">{fmt_int(total.errors as i64, lang)}</td>
                <td class="num">{fmt_int(total.warnings as i64, lang)}</td>
            </tr></tfoot>
        </table>
        </TableRegion>
    }
}

#[component]
pub fn ImportPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok()));
    let data = Resource::new(id, |id| async move {
        match id {
            Some(id) => load_import(id).await.map(Some),
            None => Ok(None),
        }
    });
    let not_applied = move || query.with(|q| q.get("nicht_uebernommen").is_some());
    let changed = move || query.with(|q| q.get("geaendert").is_some());
    let internal = move || query.with(|q| q.get("fehler").is_some());
    let not_discarded = move || query.with(|q| q.get("nicht_verworfen").is_some());
    let already_decided = move || query.with(|q| q.get("bereits_entschieden").is_some());
    let nothing_to_apply = move || query.with(|q| q.get("nichts_uebernehmbar").is_some());
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(crate::error::AppError::NotFound) | Ok(None) => view! { <NotFound/> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(Some(ImportDetail { entry, report })) => {
                        let pending = entry.state == ImportState::Vorschau;
                        let has_errors = !report.errors.is_empty();
                        let has_problems = has_errors || !report.warnings.is_empty();
                        let problem_list = format!("/import/{}/fehlerliste.xlsx", entry.id);
                        // Only rows can be skipped; a problem of the whole file cannot.
                        let skippable = report.errors_skippable();
                        let total = report.total();
                        let nothing_to_do = total.new + total.changed == 0;
                        let changes = report.changes.clone();
                        let omitted = report.changes_omitted as usize + changes.len().saturating_sub(LISTED_CHANGES);
                        let errors = report.errors.clone();
                        let warnings = report.warnings.clone();
                        let problems_omitted = report.problems_omitted;
                        let sheets = report.sheets.clone();
                        // Sheets not read (a required column missing or doubled): skipping errors
                        // leaves them out whole.
                        let unread: Vec<String> = sheets.iter().filter(|s| !s.is_read()).map(|s| s.name.clone()).collect();
                        let headline = match entry.state {
                            ImportState::Vorschau => lang.t("Vorschau", "Preview"),
                            ImportState::Uebernommen => lang.t("Übernommen", "Applied"),
                            ImportState::Verworfen => lang.t("Verworfen", "Discarded"),
                            ImportState::Abgelehnt => lang.t("Abgelehnt", "Rejected"),
                        };
                        view! {
                            <Title text=format!("{headline}: {}", entry.file_name)/>
                            <h1>{headline}": "{entry.file_name.clone()}</h1>
                            {not_applied().then(|| view! { <p class="error" role="alert">{lang.t(
                                "Nichts übernommen: Die Datei enthält Zeilen mit Fehlern. Korrigieren Sie die Datei und laden Sie sie neu hoch, oder wählen Sie ausdrücklich, die fehlerhaften Zeilen auszulassen.",
                                "Nothing was applied: the file has rows with errors. Correct the file and upload it again, or explicitly choose to skip the faulty rows.",
                            )}</p> })}
                            {nothing_to_apply().then(|| view! { <p class="error" role="alert">{lang.t(
                                "Nichts übernommen: Die Fehler unten betreffen die ganze Datei, nicht einzelne Zeilen, und es gibt nichts, das sich übernehmen ließe. Bitte korrigieren Sie die Datei und laden Sie sie erneut hoch.",
                                "Nothing was applied: the errors below concern the whole file, not single rows, and there is nothing that could be applied. Please correct the file and upload it again.",
                            )}</p> })}
                            {internal().then(|| view! { <p class="error" role="alert">{upload_error("intern", "", lang)}</p> })}
                            {(not_discarded() && !pending).then(|| view! { <p class="error" role="alert">{lang.t(
                                "Nicht verworfen: Über diesen Import war bereits entschieden. Unten sehen Sie, wie.",
                                "Not discarded: this import had already been decided. Below you see how.",
                            )}</p> })}
                            {(already_decided() && !pending).then(|| view! { <p class="error" role="alert">{lang.t(
                                "Nichts geändert: Über diesen Import war bereits entschieden, z. B. in einem anderen Fenster. Unten sehen Sie, wie.",
                                "Nothing changed: this import had already been decided, e.g. in another window. Below you see how.",
                            )}</p> })}
                            {changed().then(|| view! { <p class="error" role="alert">{lang.t(
                                "Nichts übernommen: Seit der Vorschau hat sich etwas geändert (z. B. der Bestand oder Leitstand selbst). Unten sehen Sie die aktualisierte Vorschau; bitte prüfen Sie sie und bestätigen Sie erneut.",
                                "Nothing was applied: something changed since the preview (e.g. the data or Leitstand itself). Below is the updated preview; please check it and confirm again.",
                            )}</p> })}
                            <p class="result-summary" role="status" id="import-state">
                                {entry.state.label(lang)}". "
                                {lang.pick(
                                    format!("Hochgeladen am {} {}.", fmt_time(entry.uploaded_at, lang), by_user(&entry.uploaded_by, lang)),
                                    format!("Uploaded {} {}.", fmt_time(entry.uploaded_at, lang), by_user(&entry.uploaded_by, lang)),
                                )}
                                {entry.decided_at.map(|t| lang.pick(
                                    format!(" Entschieden am {} {}.", fmt_time(t, lang), by_user(entry.decided_by.as_deref().unwrap_or_default(), lang)),
                                    format!(" Decided {} {}.", fmt_time(t, lang), by_user(entry.decided_by.as_deref().unwrap_or_default(), lang)),
                                ))}
                            </p>
                            {(entry.state == ImportState::Uebernommen && report.skipped_errors && total.errors > 0).then(|| view! {
                                <p class="alert" id="import-skipped">{lang.pick(
                                    format!("Auf Wunsch ausgelassen und nicht übernommen: {} (unten aufgeführt).", left_out(total.errors, &unread, lang)),
                                    format!("Skipped on request and not applied: {} (listed below).", left_out(total.errors, &unread, lang)),
                                )}</p>
                            })}
                            <p class="hint">"SHA-256: "<code>{entry.sha256.clone()}</code>" · "{fmt_int(entry.size_bytes, lang)}" "{lang.t("Byte", "bytes")}</p>
                            {(!report.unreadable()).then(|| view! { <CountTable report=report.clone()/> })}
                            {pending.then(|| view! {
                                <section aria-labelledby="decide-heading" class="decide">
                                    <h2 id="decide-heading">{lang.t("Entscheidung", "Decision")}</h2>
                                    {if nothing_to_do && !has_errors {
                                        view! { <p>{lang.t("Die Datei ändert nichts: alle Zeilen stimmen mit dem Bestand überein.", "The file changes nothing: every row matches the data.")}</p> }.into_any()
                                    } else { ().into_any() }}
                                    <form method="post" action=format!("/import/{}/uebernehmen", entry.id) id="commit-form">
                                        {skippable.then(|| view! {
                                            <div class="field checkbox">
                                                <input type="checkbox" id="skip-errors" name="fehler_auslassen" value="ja"/>
                                                <label for="skip-errors">
                                                    {lang.t("Zeilen mit Fehlern auslassen und nur die fehlerfreien Zeilen übernehmen", "Skip rows with errors and apply only the valid rows")}
                                                    // Said here, so that nobody skips a whole sheet thinking it is one row.
                                                    {(!unread.is_empty()).then(|| lang.pick(
                                                        format!(" (ausgelassen wird dann: {})", left_out(total.errors, &unread, lang)),
                                                        format!(" (left out then: {})", left_out(total.errors, &unread, lang)),
                                                    ))}
                                                </label>
                                            </div>
                                        })}
                                        // "Verwerfen" stands next to "Übernehmen" but belongs to the
                                        // discard form (the `form` attribute): it never sends the
                                        // choice above, and import.js disables it with the form's
                                        // own buttons while a commit runs.
                                        <div class="actions">
                                            <button type="submit">{lang.t("Übernehmen", "Apply")}</button>
                                            <button type="submit" form="discard-form" class="secondary">{lang.t("Verwerfen", "Discard")}</button>
                                        </div>
                                        <div id="commit-progress" class="import-progress" hidden>
                                            <label for="commit-bar">{lang.t("Fortschritt", "Progress")}</label>
                                            <progress id="commit-bar" max="100" value="0"></progress>
                                        </div>
                                        <p id="commit-status" role="status" aria-live="polite"></p>
                                    </form>
                                    <form method="post" action=format!("/import/{}/verwerfen", entry.id) id="discard-form"></form>
                                </section>
                            })}
                            // For the reply to the department that sent the file.
                            {has_problems.then(|| view! {
                                <p id="problem-list"><a href=problem_list rel="external" download>{lang.t(
                                    "Fehler und Hinweise als Excel-Datei herunterladen",
                                    "Download the errors and notes as an Excel file",
                                )}</a>" "{lang.t("(zum Weitergeben an den Fachbereich)", "(to pass on to the department)")}</p>
                            })}
                            {(!errors.is_empty()).then(|| view! {
                                <section aria-labelledby="errors-heading">
                                    <h2 id="errors-heading">{lang.pick(format!("Fehler ({})", fmt_int(errors.len() as i64, lang)), format!("Errors ({})", fmt_int(errors.len() as i64, lang)))}</h2>
                                    <ProblemTable problems=errors id="import-errors" caption=lang.t("Fehler je Blatt, Zeile und Spalte", "Errors by sheet, row and column")/>
                                </section>
                            })}
                            {(!changes.is_empty()).then(|| view! {
                                <section aria-labelledby="changes-heading">
                                    <h2 id="changes-heading">{lang.t("Änderungen", "Changes")}</h2>
                                    <TableRegion labelled_by="import-changes-titel">
                                    <table class="data" id="import-changes">
                                        <caption id="import-changes-titel">{lang.t("Neue Zeilen mit ihren Werten, geänderte mit altem und neuem Wert", "New rows with their values, changed rows with old and new value")}</caption>
                                        <thead><tr>
                                            <th scope="col">{lang.t("Art", "Kind")}</th>
                                            <th scope="col">{lang.t("Schlüssel", "Key")}</th>
                                            <th scope="col">{lang.t("Blatt, Zeile", "Sheet, row")}</th>
                                            <th scope="col">{lang.t("Änderung", "Change")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {changes.into_iter().take(LISTED_CHANGES).map(|c| view! {
                                                <tr>
                                                    <td>{c.kind.label(lang)}</td>
                                                    <td>{c.key}</td>
                                                    <td>{c.sheet}", "{c.row}</td>
                                                    <td>{if c.is_new {
                                                        // A new row lists its values, so the staff see what comes in.
                                                        view! {
                                                            <strong>{lang.t("neu", "new")}</strong>
                                                            {(!c.fields.is_empty()).then(|| view! {
                                                                <ul class="diff">{c.fields.iter().map(|f| view! { <li>{format!("{}: {}", f.field, f.values(lang).1)}</li> }).collect_view()}</ul>
                                                            })}
                                                        }.into_any()
                                                    } else {
                                                        let shown = |value: &str| if value.is_empty() { "–".to_string() } else { value.to_string() };
                                                        view! { <ul class="diff">{c.fields.iter().map(|f| {
                                                            let (old, new) = f.values(lang);
                                                            view! { <li>{f.field.clone()}": "<del>{shown(old)}</del>" → "<ins>{shown(new)}</ins></li> }
                                                        }).collect_view()}</ul> }.into_any()
                                                    }}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    </TableRegion>
                                    {(omitted > 0).then(|| view! { <p class="hint">{match omitted {
                                        1 => lang.t("… und 1 weitere Zeile (in den Zahlen oben enthalten).", "… and 1 more row (included in the counts above).").to_string(),
                                        _ => lang.pick(format!("… und {} weitere Zeilen (in den Zahlen oben enthalten).", fmt_int(omitted as i64, lang)), format!("… and {} more rows (included in the counts above).", fmt_int(omitted as i64, lang))),
                                    }}</p> })}
                                </section>
                            })}
                            <section aria-labelledby="sheets-heading">
                                <h2 id="sheets-heading">{lang.t("Blätter", "Sheets")}</h2>
                                <TableRegion labelled_by="import-sheets-titel">
                                <table class="data" id="import-sheets">
                                    <caption id="import-sheets-titel">{lang.t("Blätter der Datei, wie sie gelesen wurden", "The file's sheets as they were read")}</caption>
                                    <thead><tr>
                                        <th scope="col">{lang.t("Blatt", "Sheet")}</th>
                                        <th scope="col">{lang.t("Erkannt als", "Recognised as")}</th>
                                        <th scope="col" class="num">{lang.t("Kopfzeile", "Header row")}</th>
                                        <th scope="col" class="num">{lang.t("Datenzeilen", "Data rows")}</th>
                                        <th scope="col">{lang.t("Nicht gelesene Spalten", "Columns not read")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {sheets.into_iter().map(|s| view! {
                                            <tr>
                                                <td>{s.name.clone()}</td>
                                                <td>{
                                                    let kind = s.kind.map(|k| k.label(lang)).unwrap_or(lang.t("nicht erkannt", "not recognised"));
                                                    match s.unread_reason(lang) {
                                                        None => kind.to_string(),
                                                        Some(reason) => lang.pick(format!("{kind}, nicht gelesen: {reason}"), format!("{kind}, not read: {reason}")),
                                                    }
                                                }</td>
                                                <td class="num">{s.header_row.map(|r| r.to_string()).unwrap_or_default()}</td>
                                                <td class="num">{fmt_int(i64::from(s.data_rows), lang)}</td>
                                                <td>{s.ignored_columns.join(", ")}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                                </TableRegion>
                            </section>
                            {(!warnings.is_empty()).then(|| view! {
                                <section aria-labelledby="warnings-heading">
                                    <h2 id="warnings-heading">{lang.pick(format!("Hinweise ({})", fmt_int(warnings.len() as i64, lang)), format!("Notes ({})", fmt_int(warnings.len() as i64, lang)))}</h2>
                                    <details>
                                        <summary>{lang.t("Hinweise anzeigen (blockieren die Übernahme nicht)", "Show notes (they do not block the import)")}</summary>
                                        <ProblemTable problems=warnings id="import-warnings" caption=lang.t("Hinweise je Blatt, Zeile und Spalte", "Notes by sheet, row and column")/>
                                    </details>
                                </section>
                            })}
                            {(problems_omitted > 0).then(|| view! { <p class="hint">{lang.pick(
                                format!("Angezeigt sind je die ersten 1.000 Fehler und Hinweise; {} weitere sind in den Zahlen oben enthalten.", fmt_int(problems_omitted as i64, lang)),
                                format!("The first 1,000 errors and notes each are shown; {} more are included in the counts above.", fmt_int(problems_omitted as i64, lang)),
                            )}</p> })}
                            <p><a href="/import">{lang.t("Zurück zu Import und Historie", "Back to import and history")}</a></p>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
