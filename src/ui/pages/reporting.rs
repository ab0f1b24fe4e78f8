//! The Stichtag reporting cycle in the browser: the list of Stichtage (`/stichtage`), one
//! Stichtag with its reports and what is missing (`/stichtage/:id`), the Sachstand of one
//! project with the staff unit's review (`/stichtage/:id/projekte/:project`), a Lotse's own
//! list (`/meine-berichte`) and the comparison of two Stichtage (`/vergleich`).
//! All forms are plain posts to `server::reporting` or GET forms.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::form::FormEcho;
use crate::api::reporting::{
    AmpelChange, Comparison, MilestoneMove, ReportLine, ReportMilestone, SachstandDetail, StichtagInfo,
    load_comparison, load_my_reports, load_sachstand, load_stichtag, load_stichtage,
};
use crate::domain::{
    Ampel, Lang, ReportState, fmt_date, fmt_int, fmt_signed, fmt_time, fmt_user, forecast_field, reason_field,
};
use crate::error::AppError;
use crate::ui::{
    AmpelBadge, EchoAlert, FieldMessages, LoadError, NotFound, TableRegion, echo_errors, echo_value, use_form_echo,
    use_id_param, use_lang,
};

fn query_id(name: &'static str) -> Memo<Option<i64>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get(name).and_then(|v| v.parse::<i64>().ok())))
}

fn state_label(state: Option<&str>, lang: Lang) -> &'static str {
    match state.and_then(ReportState::parse) {
        Some(state) => state.label(lang),
        None => lang.t("Nicht begonnen", "Not started"),
    }
}

fn stichtag_title(s: &StichtagInfo, lang: Lang) -> String {
    lang.pick(
        format!("Stichtag {}", fmt_date(s.report_date, lang)),
        format!("Reporting date {}", fmt_date(s.report_date, lang)),
    )
}

fn stichtag_state(s: &StichtagInfo, lang: Lang) -> &'static str {
    if s.is_open() { lang.t("offen", "open") } else { lang.t("geschlossen", "closed") }
}

fn sachstand_saved(lang: Lang) -> &'static str {
    lang.t("Der Sachstand wurde gespeichert.", "The status report has been saved.")
}

fn review_saved(lang: Lang) -> &'static str {
    lang.t("Die Prüfung wurde gespeichert.", "The review has been saved.")
}

#[component]
pub fn StichtagePage() -> impl IntoView {
    let lang = use_lang();
    let echo = use_form_echo();
    let data = Resource::new(|| (), |_| load_stichtage());
    view! {
        <Title text=lang.t("Stichtage", "Reporting dates")/>
        <h1>{lang.t("Stichtage und Sachstände", "Reporting dates and status reports")}</h1>
        <p class="lead">{lang.t(
            "Zu jedem Stichtag melden die Lotsinnen und Lotsen je Projekt einen Sachstand; die Stabsstelle gibt ihn frei oder gibt ihn zurück. Mit dem Abschluss wird der freigegebene Stand eingefroren.",
            "At each reporting date the pilots report a status per project; the staff unit approves or returns it. Closing the reporting date freezes its approved state.",
        )}</p>
        <p><a href="/meine-berichte">{lang.t("Meine Projekte mit fälligem Sachstand", "My projects needing a report")}</a>" · "
           <a href="/vergleich">{lang.t("Zwei Stichtage vergleichen", "Compare two reporting dates")}</a></p>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || {
                let echo = echo.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(list) => {
                            let any_open = list.stichtage.iter().any(StichtagInfo::is_open);
                            view! {
                                {(!any_open).then(|| view! { <OpenForm echo=echo.clone() today=list.today/> })}
                                <TableRegion labelled_by="stichtage-tabelle">
                                    <table class="data">
                                        <caption id="stichtage-tabelle">{lang.t("Alle Stichtage, neueste zuerst", "All reporting dates, latest first")}</caption>
                                        <thead><tr>
                                            <th scope="col">{lang.t("Stichtag", "Date")}</th>
                                            <th scope="col">{lang.t("Status", "State")}</th>
                                            <th scope="col" class="num">{lang.t("Berichtspflichtig", "Due")}</th>
                                            <th scope="col" class="num">{lang.t("Eingereicht", "Submitted")}</th>
                                            <th scope="col" class="num">{lang.t("Freigegeben", "Approved")}</th>
                                            <th scope="col" class="num">{lang.t("Zurückgegeben", "Returned")}</th>
                                            <th scope="col" class="num">{lang.t("Fehlend", "Missing")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {list.stichtage.into_iter().map(|s| view! {
                                                <tr>
                                                    <td><a href=format!("/stichtage/{}", s.id)>{fmt_date(s.report_date, lang)}</a></td>
                                                    <td>{stichtag_state(&s, lang)}</td>
                                                    <td class="num">{fmt_int(s.due, lang)}</td>
                                                    <td class="num">{fmt_int(s.submitted, lang)}</td>
                                                    <td class="num">{fmt_int(s.approved, lang)}</td>
                                                    <td class="num">{fmt_int(s.returned, lang)}</td>
                                                    <td class="num">{fmt_int(s.missing(), lang)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </TableRegion>
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn OpenForm(echo: Option<FormEcho>, today: chrono::NaiveDate) -> impl IntoView {
    let lang = use_lang();
    let errors = echo_errors(&echo, "neu", "report_date");
    let invalid = (!errors.is_empty()).then_some("true");
    let value = echo_value(&echo, "neu", "report_date", today.to_string());
    view! {
        <section id="neu" aria-labelledby="neu-titel">
            <h2 id="neu-titel">{lang.t("Neuen Stichtag eröffnen", "Open a new reporting date")}</h2>
            <form method="post" action="/stichtage/eroeffnen" class="form form-inline" novalidate>
                <EchoAlert echo=echo.clone() form="neu" saved=""/>
                <div class="field">
                    <label for="report_date">{lang.t("Datum des neuen Stichtags", "Date of the new reporting date")}</label>
                    <input id="report_date" name="report_date" type="date" value=value required aria-invalid=invalid aria-describedby="report_date-error"/>
                    <FieldMessages id="report_date-error" errors/>
                </div>
                <button type="submit">{lang.t("Stichtag eröffnen", "Open reporting date")}</button>
            </form>
        </section>
    }
}

#[component]
pub fn StichtagPage() -> impl IntoView {
    let lang = use_lang();
    let echo = use_form_echo();
    let id = use_id_param("id");
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => load_stichtag(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || {
                let echo = echo.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(detail) => {
                            let s = detail.stichtag.clone();
                            let title = stichtag_title(&s, lang);
                            let (missing, rest): (Vec<ReportLine>, Vec<ReportLine>) = detail.lines.into_iter().partition(ReportLine::is_missing);
                            let pending = s.submitted;
                            view! {
                                <Title text=title.clone()/>
                                <p class="breadcrumb"><a href="/stichtage">{lang.t("Stichtage", "Reporting dates")}</a>" › "{fmt_date(s.report_date, lang)}</p>
                                <h1>{title}</h1>
                                <EchoAlert echo=echo.clone() form="eroeffnet" saved=lang.t("Der Stichtag wurde eröffnet. Die Lotsinnen und Lotsen können ihre Sachstände melden.", "The reporting date has been opened. The pilots can file their status reports.")/>
                                // Closed, the form and its anchor are gone: the confirmation stands here.
                                {(!s.is_open()).then(|| view! { <EchoAlert echo=echo.clone() form="abschluss" saved=lang.t("Der Stichtag wurde geschlossen. Sein Stand ist eingefroren.", "The reporting date has been closed. Its state is frozen.")/> })}
                                <p class="result-summary" role="status">
                                    {if s.is_open() {
                                        lang.pick(
                                            format!("Offen. {} von {} Sachständen freigegeben, {} eingereicht, {} fehlen noch.", fmt_int(s.approved, lang), fmt_int(s.due, lang), fmt_int(s.submitted, lang), fmt_int(s.missing(), lang)),
                                            format!("Open. {} of {} reports approved, {} submitted, {} still missing.", fmt_int(s.approved, lang), fmt_int(s.due, lang), fmt_int(s.submitted, lang), fmt_int(s.missing(), lang)),
                                        )
                                    } else {
                                        let closed = s.closed_at.map(|t| fmt_time(t, lang)).unwrap_or_default();
                                        lang.pick(
                                            format!("Geschlossen am {closed}; der Stand ist eingefroren. {} von {} Sachständen waren freigegeben.", fmt_int(s.approved, lang), fmt_int(s.due, lang)),
                                            format!("Closed on {closed}; the state is frozen. {} of {} reports were approved.", fmt_int(s.approved, lang), fmt_int(s.due, lang)),
                                        )
                                    }}
                                </p>
                                <p><a href=format!("/stichtage/{}/bericht", s.id)>{lang.t("Statusbericht (druckbar)", "Status report (printable)")}</a>" · "
                                   <a href=format!("/vergleich?bis={}", s.id)>{lang.t("Mit dem vorigen Stichtag vergleichen", "Compare with the previous reporting date")}</a></p>
                                {s.is_open().then(|| view! {
                                    <section id="abschluss" aria-labelledby="abschluss-titel">
                                        <h2 id="abschluss-titel">{lang.t("Stichtag schließen", "Close the reporting date")}</h2>
                                        // Only a refusal shows here: a successful close removes this form.
                                        <EchoAlert echo=echo.clone() form="abschluss" saved=""/>
                                        <p>{lang.pick(
                                            format!("Mit dem Abschluss wird der Stand eingefroren: freigegebene Sachstände, Meilensteintermine und Reifegrade. Danach ist keine Änderung mehr möglich. Noch fehlen {} Sachstände, {} warten auf Freigabe; für diese Projekte wird der Stand aus dem Projekt übernommen.", fmt_int(s.missing(), lang), fmt_int(pending, lang)),
                                            format!("Closing freezes the state: approved reports, milestone dates and maturity levels. No change is possible afterwards. {} reports are still missing and {} await approval; for those projects the project's own record is frozen.", fmt_int(s.missing(), lang), fmt_int(pending, lang)),
                                        )}</p>
                                        <form method="post" action=format!("/stichtage/{}/schliessen", s.id)>
                                            <button type="submit" class="danger">{lang.t("Stichtag schließen und Stand einfrieren", "Close and freeze")}</button>
                                        </form>
                                    </section>
                                })}
                                <ReportTable stichtag=s.id lines=missing heading=if s.is_open() { lang.t("Fehlende Sachstände", "Missing reports") } else { lang.t("Ohne eingereichten Sachstand", "Without a submitted report") } anchor="fehlend"/>
                                <ReportTable stichtag=s.id lines=rest heading=lang.t("Eingereichte und freigegebene Sachstände", "Submitted and approved reports") anchor="eingereicht"/>
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ReportTable(stichtag: i64, lines: Vec<ReportLine>, heading: &'static str, anchor: &'static str) -> impl IntoView {
    let lang = use_lang();
    let (heading_id, labelled_by) = (format!("{anchor}-titel"), format!("{anchor}-titel"));
    let table_label = format!("{anchor}-titel");
    view! {
        <section id=anchor aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}" ("{fmt_int(lines.len() as i64, lang)}")"</h2>
            {if lines.is_empty() {
                view! { <p>{lang.t("Keine.", "None.")}</p> }.into_any()
            } else {
                view! {
                    <TableRegion labelled_by=table_label>
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{lang.t("Projekt", "Project")}</th>
                                <th scope="col">{lang.t("Fachbereich", "Department")}</th>
                                <th scope="col">{lang.t("Lotse/Lotsin", "Pilot")}</th>
                                <th scope="col">{lang.t("Sachstand", "Report")}</th>
                                <th scope="col">{lang.t("Ampel", "Status")}</th>
                                <th scope="col">{lang.t("Eingereicht am", "Submitted")}</th>
                            </tr></thead>
                            <tbody>
                                {lines.into_iter().map(|l| view! {
                                    <tr>
                                        <td><a href=format!("/stichtage/{stichtag}/projekte/{}", l.project_id)>{l.key.clone()}" "{l.title.clone()}</a></td>
                                        <td>{l.department_code.clone()}</td>
                                        <td>{l.lotse_title.clone().unwrap_or_else(|| lang.t("nicht besetzt", "vacant").into())}</td>
                                        <td>{state_label(l.state.as_deref(), lang)}</td>
                                        <td><AmpelBadge code=l.ampel.clone()/></td>
                                        <td>{l.submitted_at.map(|t| fmt_time(t, lang)).unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn SachstandPage() -> impl IntoView {
    let lang = use_lang();
    let echo = use_form_echo();
    let stichtag = use_id_param("id");
    let project = use_id_param("project");
    let data = Resource::new(
        move || (stichtag.get(), project.get()),
        |ids| async move {
            match ids {
                (Some(s), Some(p)) => load_sachstand(s, p).await,
                _ => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || {
                let echo = echo.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(detail) => view! { <SachstandView detail echo/> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn SachstandView(detail: SachstandDetail, echo: Option<FormEcho>) -> impl IntoView {
    let lang = use_lang();
    let s = detail.stichtag.clone();
    let p = detail.project.clone();
    let state = detail.report.as_ref().and_then(|r| ReportState::parse(&r.state));
    let editable = s.is_open() && state.is_none_or(ReportState::lotse_may_edit);
    let reviewable = s.is_open() && state == Some(ReportState::Eingereicht);
    let title = lang.pick(
        format!("Sachstand {} zum {}", p.key, fmt_date(s.report_date, lang)),
        format!("Status report {} for {}", p.key, fmt_date(s.report_date, lang)),
    );
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb">
            <a href="/stichtage">{lang.t("Stichtage", "Reporting dates")}</a>" › "
            <a href=format!("/stichtage/{}", s.id)>{fmt_date(s.report_date, lang)}</a>" › "{p.key.clone()}
        </p>
        <h1>{title}</h1>
        <p><a href=format!("/projekte/{}", p.id)>{p.title.clone()}</a>" · "{p.department_code.clone()}" · "
           {p.lotse_title.clone().unwrap_or_else(|| lang.t("Lotse/Lotsin nicht besetzt", "No pilot").into())}</p>
        // A form's message stands at the top of the form, where the redirect's anchor leads; when
        // the save took the form away (handed in, reviewed), here under the heading.
        {(!editable).then(|| view! { <EchoAlert echo=echo.clone() form="sachstand" saved=sachstand_saved(lang)/> })}
        {(!reviewable).then(|| view! { <EchoAlert echo=echo.clone() form="pruefung" saved=review_saved(lang)/> })}
        <p class="result-summary" id="status-sachstand">
            {lang.t("Status des Sachstands: ", "Report state: ")}<strong>{state_label(state.map(ReportState::code), lang)}</strong>
            {(!s.is_open()).then(|| lang.t(" – der Stichtag ist geschlossen, der Stand ist eingefroren.", " – the reporting date is closed, its state is frozen."))}
        </p>
        {detail.report.as_ref().filter(|r| !r.review_comment.is_empty()).map(|r| view! {
            <div class="alert alert-info" role="note">
                <strong>{lang.t("Hinweis der Stabsstelle: ", "Note from the staff unit: ")}</strong>{r.review_comment.clone()}
            </div>
        })}
        {if editable {
            view! { <SachstandForm detail=detail.clone() echo=echo.clone()/> }.into_any()
        } else {
            view! { <SachstandReadOnly detail=detail.clone()/> }.into_any()
        }}
        {reviewable.then(|| view! { <ReviewForm stichtag=s.id project=p.id echo=echo.clone()/> })}
    }
}

#[component]
fn SachstandForm(detail: SachstandDetail, echo: Option<FormEcho>) -> impl IntoView {
    let lang = use_lang();
    let p = detail.project.clone();
    let report = detail.report.clone();
    let value = |field: &str, current: String| echo_value(&echo, "sachstand", field, current);
    let errors = |field: &str| echo_errors(&echo, "sachstand", field);
    let invalid = |field: &str| (!errors(field).is_empty()).then_some("true");
    let ampel = value("ampel", report.as_ref().map(|r| r.ampel.clone()).unwrap_or(p.ampel.clone()));
    let text = |field: &str, from_report: fn(&crate::api::reporting::ReportRow) -> String, fallback: String| {
        value(field, report.as_ref().map(from_report).unwrap_or(fallback))
    };
    let reason = text("ampel_reason", |r| r.ampel_reason.clone(), p.ampel_reason.clone());
    let percent = text("percent_done", |r| r.percent_done.to_string(), p.percent_done.to_string());
    let areas: [(&'static str, &'static str, String); 4] = [
        (
            "summary",
            lang.t("Sachstand (Pflicht beim Einreichen)", "Status (required to submit)"),
            text("summary", |r| r.summary.clone(), String::new()),
        ),
        (
            "next_steps",
            lang.t("Nächste Schritte", "Next steps"),
            text("next_steps", |r| r.next_steps.clone(), String::new()),
        ),
        (
            "decisions_needed",
            lang.t("Entscheidungsbedarf", "Decisions needed"),
            text("decisions_needed", |r| r.decisions_needed.clone(), String::new()),
        ),
        ("risks", lang.t("Top-Risiken", "Top risks"), text("risks", |r| r.risks.clone(), String::new())),
    ];
    view! {
        <section id="sachstand" aria-labelledby="sachstand-titel">
            <h2 id="sachstand-titel">{lang.t("Sachstand melden", "Report the status")}</h2>
            <EchoAlert echo=echo.clone() form="sachstand" saved=sachstand_saved(lang)/>
            <form method="post" action=format!("/stichtage/{}/projekte/{}/sachstand", detail.stichtag.id, p.id) class="form" novalidate>
                <fieldset class="field" aria-describedby="ampel-error">
                    <legend>{lang.t("Ampel", "Status")}</legend>
                    {Ampel::ALL.iter().map(|a| {
                        let (id, label_for) = (format!("ampel-{}", a.code()), format!("ampel-{}", a.code()));
                        view! {
                            <label class="radio" for=label_for>
                                <input type="radio" id=id name="ampel" value=a.code() checked=ampel == a.code()/>
                                <span class=format!("ampel ampel-{}", a.code())><span aria-hidden="true">{a.symbol()}</span>" "{a.label(lang)}</span>
                            </label>
                        }
                    }).collect_view()}
                    <FieldMessages id="ampel-error" errors=errors("ampel")/>
                </fieldset>
                <div class="field">
                    <label for="ampel_reason">{lang.t("Begründung der Ampel (Pflicht bei Gelb und Rot)", "Reason (required for yellow and red)")}</label>
                    <textarea id="ampel_reason" name="ampel_reason" rows="2" maxlength="2000" aria-invalid=invalid("ampel_reason") aria-describedby="ampel_reason-error">{reason}</textarea>
                    <FieldMessages id="ampel_reason-error" errors=errors("ampel_reason")/>
                </div>
                <div class="field">
                    <label for="percent_done">{lang.t("Fertigstellungsgrad in %", "Percent done")}</label>
                    <input id="percent_done" name="percent_done" type="text" inputmode="numeric" size="4" value=percent aria-invalid=invalid("percent_done") aria-describedby="percent_done-error"/>
                    <FieldMessages id="percent_done-error" errors=errors("percent_done")/>
                </div>
                {areas.into_iter().map(|(name, label, current)| {
                    let error_id = format!("{name}-error");
                    view! {
                        <div class="field">
                            <label for=name>{label}</label>
                            <textarea id=name name=name rows="3" maxlength="2000" aria-invalid=invalid(name) aria-describedby=error_id.clone()>{current}</textarea>
                            <FieldMessages id=error_id errors=errors(name)/>
                        </div>
                    }
                }).collect_view()}
                {(!detail.milestones.is_empty()).then(|| view! {
                    <fieldset>
                        <legend>{lang.t("Prognosen der offenen Meilensteine", "Forecasts of open milestones")}</legend>
                        <p class="hint">{lang.t("Eine spätere Prognose als bisher braucht einen Grund.", "A forecast later than before needs a reason.")}</p>
                        {detail.milestones.iter().map(|m| view! { <MilestoneFields m=m.clone() echo=echo.clone()/> }).collect_view()}
                    </fieldset>
                })}
                <div class="buttons">
                    <button type="submit" name="aktion" value="entwurf" class="secondary">{lang.t("Als Entwurf speichern", "Save draft")}</button>
                    <button type="submit" name="aktion" value="einreichen">{lang.t("Sachstand einreichen", "Submit report")}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
fn MilestoneFields(m: ReportMilestone, echo: Option<FormEcho>) -> impl IntoView {
    let lang = use_lang();
    let (date_name, reason_name) = (forecast_field(m.id), reason_field(m.id));
    let date = echo_value(&echo, "sachstand", &date_name, m.proposed_date.unwrap_or(m.forecast_date).to_string());
    let reason = echo_value(&echo, "sachstand", &reason_name, m.proposed_reason.clone().unwrap_or_default());
    let date_errors = echo_errors(&echo, "sachstand", &date_name);
    let reason_errors = echo_errors(&echo, "sachstand", &reason_name);
    let (date_error_id, reason_error_id) = (format!("{date_name}-error"), format!("{reason_name}-error"));
    view! {
        <div class="form-inline milestone-fields">
            <p class="milestone-name">{m.title.clone()}{m.is_key.then(|| lang.t(" (Schlüsselmeilenstein)", " (key milestone)"))}
                <span class="legend-note">" · "{lang.t("Basistermin", "Baseline")}" "{fmt_date(m.baseline_date, lang)}" · "{lang.t("bisherige Prognose", "previous forecast")}" "{fmt_date(m.forecast_date, lang)}</span></p>
            <div class="field">
                <label for=date_name.clone()>{lang.t("Prognose", "Forecast")}<span class="visually-hidden">": "{m.title.clone()}</span></label>
                <input id=date_name.clone() name=date_name type="date" value=date aria-invalid=(!date_errors.is_empty()).then_some("true") aria-describedby=date_error_id.clone()/>
                <FieldMessages id=date_error_id errors=date_errors/>
            </div>
            <div class="field field-wide">
                <label for=reason_name.clone()>{lang.t("Grund bei Verschiebung", "Reason for a delay")}<span class="visually-hidden">": "{m.title.clone()}</span></label>
                <input id=reason_name.clone() name=reason_name type="text" maxlength="2000" value=reason aria-invalid=(!reason_errors.is_empty()).then_some("true") aria-describedby=reason_error_id.clone()/>
                <FieldMessages id=reason_error_id errors=reason_errors/>
            </div>
        </div>
    }
}

#[component]
fn SachstandReadOnly(detail: SachstandDetail) -> impl IntoView {
    let lang = use_lang();
    match detail.report {
        None => view! { <p>{lang.t("Zu diesem Stichtag wurde kein Sachstand gemeldet.", "No status report was filed for this reporting date.")}</p> }.into_any(),
        Some(r) => view! {
            <section aria-labelledby="bericht-titel" class="report">
                <h2 id="bericht-titel">{lang.t("Gemeldeter Sachstand", "Reported status")}</h2>
                <dl class="facts">
                    <dt>{lang.t("Ampel", "Status")}</dt><dd><AmpelBadge code=r.ampel.clone()/>{(!r.ampel_reason.is_empty()).then(|| view! { " – "{r.ampel_reason.clone()} })}</dd>
                    <dt>{lang.t("Fertigstellungsgrad", "Percent done")}</dt><dd>{r.percent_done}" %"</dd>
                    <dt>{lang.t("Sachstand", "Status")}</dt><dd>{r.summary.clone()}</dd>
                    <dt>{lang.t("Nächste Schritte", "Next steps")}</dt><dd>{r.next_steps.clone()}</dd>
                    <dt>{lang.t("Entscheidungsbedarf", "Decisions needed")}</dt><dd>{r.decisions_needed.clone()}</dd>
                    <dt>{lang.t("Top-Risiken", "Top risks")}</dt><dd>{r.risks.clone()}</dd>
                    <dt>{lang.t("Eingereicht", "Submitted")}</dt><dd>{r.submitted_at.map(|t| fmt_time(t, lang)).unwrap_or_default()}" "{fmt_user(r.submitted_by.as_deref().unwrap_or_default(), lang)}</dd>
                    <dt>{lang.t("Geprüft", "Reviewed")}</dt><dd>{r.reviewed_at.map(|t| fmt_time(t, lang)).unwrap_or_default()}" "{fmt_user(r.reviewed_by.as_deref().unwrap_or_default(), lang)}</dd>
                </dl>
                {(!detail.milestones.is_empty()).then(|| view! {
                    <TableRegion labelled_by="prognosen-tabelle">
                        <table class="data">
                            <caption id="prognosen-tabelle">{lang.t("Gemeldete Prognosen", "Reported forecasts")}</caption>
                            <thead><tr>
                                <th scope="col">{lang.t("Meilenstein", "Milestone")}</th>
                                <th scope="col">{lang.t("Basistermin", "Baseline")}</th>
                                <th scope="col">{lang.t("Prognose", "Forecast")}</th>
                                <th scope="col">{lang.t("Grund", "Reason")}</th>
                            </tr></thead>
                            <tbody>
                                {detail.milestones.into_iter().map(|m| view! {
                                    <tr>
                                        <td>{m.title}</td>
                                        <td>{fmt_date(m.baseline_date, lang)}</td>
                                        <td>{fmt_date(m.proposed_date.unwrap_or(m.forecast_date), lang)}</td>
                                        <td>{m.proposed_reason.unwrap_or_default()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                })}
            </section>
        }.into_any(),
    }
}

#[component]
fn ReviewForm(stichtag: i64, project: i64, echo: Option<FormEcho>) -> impl IntoView {
    let lang = use_lang();
    let errors = echo_errors(&echo, "pruefung", "kommentar");
    let invalid = (!errors.is_empty()).then_some("true");
    let comment = echo_value(&echo, "pruefung", "kommentar", String::new());
    view! {
        <section id="pruefung" aria-labelledby="pruefung-titel">
            <h2 id="pruefung-titel">{lang.t("Prüfung durch die Stabsstelle", "Review by the staff unit")}</h2>
            <EchoAlert echo=echo.clone() form="pruefung" saved=review_saved(lang)/>
            <form method="post" action=format!("/stichtage/{stichtag}/projekte/{project}/pruefung") class="form" novalidate>
                <div class="field">
                    <label for="kommentar">{lang.t("Kommentar (Pflicht beim Zurückgeben)", "Comment (required to return)")}</label>
                    <textarea id="kommentar" name="kommentar" rows="3" maxlength="2000" aria-invalid=invalid aria-describedby="kommentar-error">{comment}</textarea>
                    <FieldMessages id="kommentar-error" errors/>
                </div>
                <div class="buttons">
                    <button type="submit" name="entscheidung" value="freigeben">{lang.t("Freigeben", "Approve")}</button>
                    <button type="submit" name="entscheidung" value="zurueckgeben" class="secondary">{lang.t("Zurückgeben", "Return")}</button>
                </div>
            </form>
        </section>
    }
}

#[component]
pub fn MyReportsPage() -> impl IntoView {
    let lang = use_lang();
    let lotse = query_id("lotse");
    let data = Resource::new(move || lotse.get(), load_my_reports);
    view! {
        <Title text=lang.t("Meine Sachstände", "My status reports")/>
        <h1>{lang.t("Meine Projekte mit fälligem Sachstand", "My projects needing a report")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(mine) => {
                        let selected = mine.lotse.map(|id| id.to_string()).unwrap_or_default();
                        view! {
                            <form method="get" action="/meine-berichte" class="form form-inline">
                                <div class="field">
                                    <label for="lotse">{lang.t("Lotsenfunktion", "Pilot role")}</label>
                                    <select id="lotse" name="lotse">
                                        <option value="" selected=selected.is_empty()>{lang.t("Bitte wählen", "Please choose")}</option>
                                        {mine.lotsen.into_iter().map(|c| {
                                            let is_selected = c.id.to_string() == selected;
                                            view! { <option value=c.id.to_string() selected=is_selected>{c.label}</option> }
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit">{lang.t("Anzeigen", "Show")}</button>
                            </form>
                            {match (mine.stichtag, mine.lotse) {
                                (None, _) => view! { <p role="status">{lang.t("Zurzeit ist kein Stichtag offen; es ist kein Sachstand fällig.", "No reporting date is open; no report is due.")}</p> }.into_any(),
                                (Some(_), None) => view! { <p role="status">{lang.t("Bitte wählen Sie Ihre Lotsenfunktion.", "Please choose your pilot role.")}</p> }.into_any(),
                                (Some(s), Some(_)) => {
                                    let open = mine.lines.iter().filter(|l| l.is_missing()).count() as i64;
                                    view! {
                                        <p role="status" class="result-summary">{lang.pick(
                                            format!("Stichtag {}: {} von {} Sachständen sind noch einzureichen.", fmt_date(s.report_date, lang), fmt_int(open, lang), fmt_int(mine.lines.len() as i64, lang)),
                                            format!("Reporting date {}: {} of {} reports still to submit.", fmt_date(s.report_date, lang), fmt_int(open, lang), fmt_int(mine.lines.len() as i64, lang)),
                                        )}</p>
                                        <ReportTable stichtag=s.id lines=mine.lines heading=lang.t("Ihre Projekte", "Your projects") anchor="projekte"/>
                                    }.into_any()
                                }
                            }}
                            // Lotsen also keep their dates in a spreadsheet: their projects go
                            // out filtered by their role and come back through the import.
                            {mine.lotse.map(|id| view! {
                                <p>
                                    {lang.t("Lieber in der Tabelle? ", "Prefer a spreadsheet? ")}
                                    <a href=format!("/export/portfolio.xlsx?lotse={id}") rel="external" download>{lang.t("Ihre Projekte als Excel-Datei herunterladen", "Download your projects as an Excel file")}</a>
                                    {lang.t(", Termine eintragen und die Datei unter ", ", enter the dates and upload the file again under ")}
                                    <a href="/import">{lang.t("Import & Export", "Import & export")}</a>
                                    {lang.t(" wieder hochladen; Sie sehen vor dem Übernehmen jede Änderung.", "; you see every change before it is applied.")}
                                </p>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn ComparePage() -> impl IntoView {
    let lang = use_lang();
    let from = query_id("von");
    let to = query_id("bis");
    let data = Resource::new(move || (from.get(), to.get()), |(from, to)| load_comparison(from, to));
    view! {
        <Title text=lang.t("Stichtage vergleichen", "Compare reporting dates")/>
        <h1>{lang.t("Was hat sich seit dem letzten Stichtag geändert?", "What changed since the last reporting date?")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(page) => {
                        let chosen = page.comparison.as_ref().map(|c| (c.from.id, c.to.id));
                        let options = move |selected: Option<i64>| page.stichtage.iter().map(|s| {
                            let label = format!("{} ({})", fmt_date(s.report_date, lang), stichtag_state(s, lang));
                            view! { <option value=s.id.to_string() selected=selected == Some(s.id)>{label}</option> }
                        }).collect_view();
                        view! {
                            <form method="get" action="/vergleich" class="form form-inline">
                                <div class="field">
                                    <label for="von">{lang.t("Von Stichtag", "From")}</label>
                                    <select id="von" name="von">{options(chosen.map(|c| c.0))}</select>
                                </div>
                                <div class="field">
                                    <label for="bis">{lang.t("Bis Stichtag", "To")}</label>
                                    <select id="bis" name="bis">{options(chosen.map(|c| c.1))}</select>
                                </div>
                                <button type="submit">{lang.t("Vergleichen", "Compare")}</button>
                            </form>
                            {match page.comparison {
                                None => view! { <p role="status">{lang.t("Bitte wählen Sie zwei verschiedene Stichtage.", "Please choose two different reporting dates.")}</p> }.into_any(),
                                Some(c) => view! { <ComparisonView c/> }.into_any(),
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ComparisonView(c: Comparison) -> impl IntoView {
    let lang = use_lang();
    let provisional = c.to.is_open() || c.from.is_open();
    let summary = lang.pick(
        format!(
            "Vom {} zum {}: {}, {} Meilensteine verschoben, {} vorgezogen, {} erreicht, {} Leistungen neu online (ab Reifegrad 3).",
            fmt_date(c.from.report_date, lang), fmt_date(c.to.report_date, lang), ampel_changes_phrase(&c.ampel_changes, lang),
            fmt_int(c.slipped.len() as i64, lang), fmt_int(c.earlier.len() as i64, lang), fmt_int(c.reached.len() as i64, lang),
            fmt_int(c.newly_online.len() as i64, lang),
        ),
        format!(
            "From {} to {}: {}, {} milestones slipped, {} moved earlier, {} reached, {} services newly online (maturity ≥ 3).",
            fmt_date(c.from.report_date, lang), fmt_date(c.to.report_date, lang), ampel_changes_phrase(&c.ampel_changes, lang),
            fmt_int(c.slipped.len() as i64, lang), fmt_int(c.earlier.len() as i64, lang), fmt_int(c.reached.len() as i64, lang),
            fmt_int(c.newly_online.len() as i64, lang),
        ),
    );
    view! {
        <p class="result-summary" role="status">{summary}</p>
        {provisional.then(|| view! { <p class="hint">{lang.t(
            "Ein offener Stichtag wird mit dem aktuellen Stand verglichen; das Ergebnis ist vorläufig, bis er geschlossen ist.",
            "An open reporting date is compared by its current state; the result is provisional until it is closed.",
        )}</p> })}
        <AmpelChanges changes=c.ampel_changes heading=lang.t("Ampeländerungen", "Status changes") anchor="ampel"/>
        <MoveTable moves=c.slipped heading=lang.t("Verschobene Meilensteine", "Slipped milestones") anchor="verschoben"/>
        <MoveTable moves=c.reached heading=lang.t("Erreichte Meilensteine", "Milestones reached") anchor="erreicht"/>
        <MoveTable moves=c.earlier heading=lang.t("Vorgezogene Meilensteine", "Milestones moved earlier") anchor="vorgezogen"/>
        <section aria-labelledby="online-titel">
            <h2 id="online-titel">{lang.t("Neu online (ab Reifegrad 3)", "Newly online (maturity ≥ 3)")}</h2>
            {if c.newly_online.is_empty() {
                view! { <p>{lang.t("Keine.", "None.")}</p> }.into_any()
            } else {
                view! {
                    <TableRegion labelled_by="online-titel">
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{lang.t("OZG-ID", "OZG ID")}</th>
                                <th scope="col">{lang.t("Leistung", "Service")}</th>
                                <th scope="col" class="num">{lang.t("Reifegrad vorher", "Maturity before")}</th>
                                <th scope="col" class="num">{lang.t("Reifegrad nachher", "Maturity after")}</th>
                            </tr></thead>
                            <tbody>
                                {c.newly_online.into_iter().map(|s| view! {
                                    <tr><td>{s.ozg_id}</td><td>{s.name}</td><td class="num">{s.before}</td><td class="num">{s.after}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
    }
}

/// How many Ampel changes a list holds, as the summaries say it: "12 Ampeländerungen (davon 2
/// neu im Portfolio)". Projects new since the earlier Stichtag are listed with the changes
/// (they had no Ampel then), but a reader must not count them as projects whose status moved.
pub fn ampel_changes_phrase(changes: &[AmpelChange], lang: Lang) -> String {
    let all = changes.len() as i64;
    let new = changes.iter().filter(|c| c.before.is_none()).count() as i64;
    let counted = match (lang, all) {
        (Lang::De, 1) => "1 Ampeländerung".to_string(),
        (Lang::De, n) => format!("{} Ampeländerungen", fmt_int(n, lang)),
        (Lang::En, 1) => "1 status change".to_string(),
        (Lang::En, n) => format!("{} status changes", fmt_int(n, lang)),
    };
    match (lang, new) {
        (_, 0) => counted,
        (Lang::De, n) => format!("{counted} (davon {} neu im Portfolio)", fmt_int(n, lang)),
        (Lang::En, n) => format!("{counted} ({} of them new in the portfolio)", fmt_int(n, lang)),
    }
}

/// Ampel changes between two Stichtage; a project new in the portfolio says so.
#[component]
pub fn AmpelChanges(changes: Vec<AmpelChange>, heading: &'static str, anchor: &'static str) -> impl IntoView {
    let lang = use_lang();
    let (heading_id, labelled_by) = (format!("{anchor}-titel"), format!("{anchor}-titel"));
    let table_id = format!("{anchor}-tabelle");
    let table_label = format!("{anchor}-titel");
    view! {
        <section id=anchor aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}</h2>
            {if changes.is_empty() {
                view! { <p>{lang.t("Keine.", "None.")}</p> }.into_any()
            } else {
                view! {
                    <TableRegion labelled_by=table_label>
                        <table class="data" id=table_id>
                            <thead><tr>
                                <th scope="col">{lang.t("Projekt", "Project")}</th>
                                <th scope="col">{lang.t("Vorher", "Before")}</th>
                                <th scope="col">{lang.t("Nachher", "After")}</th>
                                <th scope="col">{lang.t("Begründung", "Reason")}</th>
                            </tr></thead>
                            <tbody>
                                {changes.into_iter().map(|a| view! {
                                    <tr>
                                        <td><a href=format!("/projekte/{}", a.project_id)>{a.key}" "{a.title}</a></td>
                                        <td>{match a.before {
                                            Some(code) => view! { <AmpelBadge code/> }.into_any(),
                                            None => view! { <span>{lang.t("neu im Portfolio", "new in the portfolio")}</span> }.into_any(),
                                        }}</td>
                                        <td><AmpelBadge code=a.after/></td>
                                        <td>{a.reason}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
    }
}

#[component]
pub fn MoveTable(moves: Vec<MilestoneMove>, heading: &'static str, anchor: &'static str) -> impl IntoView {
    let lang = use_lang();
    let (heading_id, labelled_by) = (format!("{anchor}-titel"), format!("{anchor}-titel"));
    let table_label = format!("{anchor}-titel");
    view! {
        <section id=anchor aria-labelledby=labelled_by>
            <h2 id=heading_id>{heading}" ("{fmt_int(moves.len() as i64, lang)}")"</h2>
            {if moves.is_empty() {
                view! { <p>{lang.t("Keine.", "None.")}</p> }.into_any()
            } else {
                view! {
                    <TableRegion labelled_by=table_label>
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{lang.t("Projekt", "Project")}</th>
                                <th scope="col">{lang.t("Meilenstein", "Milestone")}</th>
                                <th scope="col">{lang.t("Vorher", "Before")}</th>
                                <th scope="col">{lang.t("Nachher", "After")}</th>
                                <th scope="col" class="num">{lang.t("Tage", "Days")}</th>
                            </tr></thead>
                            <tbody>
                                {moves.into_iter().map(|m| view! {
                                    <tr>
                                        <td><a href=format!("/projekte/{}", m.project_id)>{m.key}</a></td>
                                        <td>{m.title}{m.is_key.then(|| lang.t(" (Schlüsselmeilenstein)", " (key milestone)"))}</td>
                                        <td>{fmt_date(m.before, lang)}</td>
                                        <td>{fmt_date(m.after, lang)}</td>
                                        <td class="num">{fmt_signed(m.days, lang)}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(before: Option<&str>) -> AmpelChange {
        AmpelChange {
            project_id: 1,
            key: "DIG-0001".into(),
            title: "Test".into(),
            before: before.map(str::to_string),
            after: "rot".into(),
            reason: String::new(),
        }
    }

    #[test]
    fn ampel_change_counts_keep_new_projects_apart() {
        assert_eq!(ampel_changes_phrase(&[], Lang::De), "0 Ampeländerungen");
        assert_eq!(ampel_changes_phrase(&[change(Some("gelb"))], Lang::De), "1 Ampeländerung");
        let mixed: Vec<AmpelChange> = [Some("gruen"), None, Some("gelb")]
            .into_iter()
            .chain(std::iter::repeat_n(Some("gruen"), 1_000))
            .map(change)
            .collect();
        assert_eq!(ampel_changes_phrase(&mixed, Lang::De), "1.003 Ampeländerungen (davon 1 neu im Portfolio)");
        assert_eq!(ampel_changes_phrase(&mixed, Lang::En), "1,003 status changes (1 of them new in the portfolio)");
        assert_eq!(ampel_changes_phrase(&[change(None)], Lang::En), "1 status change (1 of them new in the portfolio)");
    }
}
