//! The leadership start page (`/leitung`), read-only: the portfolio Ampel at the latest
//! closed Stichtag against the one before, what changed, slipped key milestones, and the
//! projects that need leadership's attention; one click to the Stichtag's reports.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::charts::{AmpelRow, BurnUp, load_ampel_charts, load_burn_up};
use crate::api::leadership::{LeadershipView, load_leadership};
use crate::api::targets::load_targets;
use crate::domain::{Ampel, fmt_date, fmt_int, fmt_signed};
use crate::ui::pages::reporting::{AmpelChanges, MoveTable, ampel_changes_phrase};
use crate::ui::pages::targets::TargetRow;
use crate::ui::{AmpelBadge, LoadError, TableRegion, use_lang};

#[component]
pub fn LeadershipPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_leadership());
    let charts = Resource::new(move || lang, load_ampel_charts);
    let targets = Resource::new(|| (), |_| load_targets());
    let burn_up = Resource::new(|| (), |_| load_burn_up());
    view! {
        <Title text=lang.t("Lagebild", "Overview for leadership")/>
        <h1>{lang.t("Lagebild für die Verwaltungsführung", "Overview for leadership")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match targets.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(list) => view! {
                        <section aria-labelledby="ziele-titel">
                            <h2 id="ziele-titel">{lang.t("Programmziele", "Programme targets")}</h2>
                            <TableRegion labelled_by="ziele-titel">
                                <table class="data" id="leitung-ziele">
                                    <thead><tr>
                                        <th scope="col">{lang.t("Ziel", "Target")}</th>
                                        <th scope="col">{lang.t("Kennzahl", "Metric")}</th>
                                        <th scope="col">{lang.t("Stand", "Current")}</th>
                                        <th scope="col">{lang.t("Frist", "Deadline")}</th>
                                        <th scope="col">{lang.t("Erwartet", "Expected")}</th>
                                        <th scope="col">{lang.t("Bewertung", "Verdict")}</th>
                                    </tr></thead>
                                    <tbody>{list.targets.into_iter().map(|t| view! { <TargetRow t/> }).collect_view()}</tbody>
                                </table>
                            </TableRegion>
                        </section>
                    }.into_any(),
                }
            })}
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(view) => view! { <LeadershipBody view/> }.into_any(),
                }
            })}
            {move || Suspend::new(async move {
                match burn_up.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(b) => view! { <BurnUpFigure b/> }.into_any(),
                }
            })}
            {move || Suspend::new(async move {
                match charts.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(c) => view! {
                        <AmpelFigure src="/diagramme/ampel-stichtage.svg" heading=lang.t("Ampel über die Stichtage", "Status over the reporting dates")
                            summary=c.summary_over_time(lang) rows=c.over_time.clone() first=lang.t("Stichtag", "Reporting date") anchor="ampel-verlauf"/>
                        <AmpelFigure src="/diagramme/ampel-fachbereiche.svg" heading=lang.t("Ampel je Fachbereich", "Status per department")
                            summary=c.summary_by_department(lang) rows=c.by_department.clone() first=lang.t("Fachbereich", "Department") anchor="ampel-fachbereiche"/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn LeadershipBody(view: LeadershipView) -> impl IntoView {
    let lang = use_lang();
    let Some(latest) = view.latest.clone() else {
        return view! { <p role="status">{lang.t("Es ist noch kein Stichtag geschlossen; das Lagebild entsteht mit dem ersten Abschluss.", "No reporting date has been closed yet; the overview starts with the first one.")}</p> }.into_any();
    };
    let date = fmt_date(latest.report_date, lang);
    // The risks link to the Sachstand, the other tables to the project: a screen reader's list
    // of links tells the two apart (WCAG 2.4.9).
    let sachstand = lang.pick(format!(" – Sachstand zum {date}"), format!(" – status as of {date}"));
    let before = view.previous.as_ref().map(|p| fmt_date(p.report_date, lang));
    let total: i64 = view.ampel.iter().map(|a| a.now).sum();
    let red = view.ampel.iter().find(|a| a.ampel == Ampel::Rot.code()).map_or(0, |a| a.now);
    let sentence = lang.pick(
        format!("Freigegebener Stand zum Stichtag {date}: {} laufende Projekte, davon {} mit Ampel Rot; {} seit dem vorigen Stichtag.", fmt_int(total, lang), fmt_int(red, lang), ampel_changes_phrase(&view.changes, lang)),
        format!("Approved state at {date}: {} running projects, {} of them red; {} since the previous reporting date.", fmt_int(total, lang), fmt_int(red, lang), ampel_changes_phrase(&view.changes, lang)),
    );
    view! {
        <p class="result-summary" role="status">{sentence}</p>
        <p><a class="button" href=format!("/stichtage/{}/bericht", latest.id)>{lang.pick(format!("Statusbericht zum {date}"), format!("Status report for {date}"))}</a>
           " · "<a href=format!("/vergleich?von={}&bis={}", view.previous.as_ref().map_or(latest.id, |p| p.id), latest.id)>{lang.t("Alle Änderungen im Vergleich", "All changes compared")}</a>
           " · "<a href="/mta">{lang.t("MTA der Schlüsselmeilensteine", "MTA of key milestones")}</a>
           " · "<a href="/termintreue">{lang.t("Termintreue je Fachbereich", "Schedule adherence per department")}</a>
           " · "<a href="/abdeckung">{lang.t("OZG-Abdeckung nach Reifegrad", "OZG coverage by maturity")}</a>
           " · "<a href="/nutzung">{lang.t("Nutzungsquote der Online-Leistungen", "Usage rate of the online services")}</a>
           " · "<a href="/ziele">{lang.t("Programmziele im Detail", "Programme targets in detail")}</a></p>
        <section aria-labelledby="ampel-titel">
            <h2 id="ampel-titel">{lang.t("Portfolio-Ampel", "Portfolio status")}</h2>
            <TableRegion labelled_by="leitung-ampel-tabelle">
                <table class="data" id="leitung-ampel">
                    <caption id="leitung-ampel-tabelle">{lang.t("Laufende Projekte je Ampel", "Running projects per status")}</caption>
                    <thead><tr>
                        <th scope="col">{lang.t("Ampel", "Status")}</th>
                        {before.clone().map(|b| view! { <th scope="col" class="num">{b}</th> })}
                        <th scope="col" class="num">{date.clone()}</th>
                        {before.is_some().then(|| view! { <th scope="col" class="num">{lang.t("Veränderung", "Change")}</th> })}
                    </tr></thead>
                    <tbody>
                        {view.ampel.iter().map(|a| {
                            let change = a.before.map(|b| a.now - b);
                            view! {
                                <tr>
                                    <th scope="row"><AmpelBadge code=a.ampel.clone()/></th>
                                    {a.before.map(|b| view! { <td class="num">{fmt_int(b, lang)}</td> })}
                                    <td class="num">{fmt_int(a.now, lang)}</td>
                                    {change.map(|c| view! { <td class="num">{fmt_signed(c, lang)}</td> })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        </section>
        <AmpelChanges changes=view.changes.clone() heading=lang.t("Ampeländerungen seit dem vorigen Stichtag", "Status changes since the previous reporting date") anchor="leitung-aenderungen"/>
        <section aria-labelledby="aufmerksamkeit-titel">
            <h2 id="aufmerksamkeit-titel">{lang.t("Top-Risiken und Entscheidungsbedarf", "Top risks and decisions needed")}</h2>
            {if view.attention.is_empty() {
                view! { <p>{lang.t("Keine.", "None.")}</p> }.into_any()
            } else {
                view! {
                    <TableRegion labelled_by="aufmerksamkeit-titel">
                        <table class="data" id="leitung-risiken">
                            <thead><tr>
                                <th scope="col">{lang.t("Projekt", "Project")}</th>
                                <th scope="col">{lang.t("Ampel", "Status")}</th>
                                <th scope="col">{lang.t("Entscheidungsbedarf", "Decision needed")}</th>
                                <th scope="col">{lang.t("Risiken", "Risks")}</th>
                            </tr></thead>
                            <tbody>
                                {view.attention.iter().map(|a| view! {
                                    <tr>
                                        <td><a href=format!("/stichtage/{}/projekte/{}", latest.id, a.project_id)>{a.key.clone()}" "{a.title.clone()}<span class="visually-hidden">{sachstand.clone()}</span></a>" ("{a.department_code.clone()}")"</td>
                                        <td><AmpelBadge code=a.ampel.clone()/></td>
                                        <td>{a.decisions_needed.clone()}</td>
                                        <td>{a.risks.clone()}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
        <MoveTable moves=view.slipped_key.clone() heading=lang.t("Verschobene Schlüsselmeilensteine", "Slipped key milestones") anchor="leitung-meilensteine"/>
    }.into_any()
}

/// A chart with its text equivalents: the summary as caption and the data as a table.
#[component]
fn AmpelFigure(
    src: &'static str,
    heading: &'static str,
    summary: String,
    rows: Vec<AmpelRow>,
    first: &'static str,
    anchor: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let (heading_id, labelled_by) = (format!("{anchor}-titel"), format!("{anchor}-titel"));
    let (table_id, table_label) = (format!("{anchor}-tabelle"), format!("{anchor}-tabelle"));
    view! {
        <section aria-labelledby=labelled_by id=anchor>
            <h2 id=heading_id>{heading}</h2>
            <figure class="chart">
                <img src=src alt=heading width="900" height="460"/>
                <figcaption>{summary}</figcaption>
            </figure>
            <TableRegion labelled_by=table_label>
                <table class="data">
                    <caption id=table_id>{lang.t("Datentabelle zum Diagramm: laufende Projekte je Ampel", "Data table of the chart: running projects per status")}</caption>
                    <thead><tr>
                        <th scope="col">{first}</th>
                        {Ampel::ALL.iter().map(|a| view! { <th scope="col" class="num"><AmpelBadge code=a.code()/></th> }).collect_view()}
                        <th scope="col" class="num">{lang.t("Gesamt", "Total")}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|r| view! {
                            <tr>
                                <th scope="row">{r.label.clone()}</th>
                                <td class="num">{fmt_int(r.gruen, lang)}</td>
                                <td class="num">{fmt_int(r.gelb, lang)}</td>
                                <td class="num">{fmt_int(r.rot, lang)}</td>
                                <td class="num">{fmt_int(r.total(), lang)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        </section>
    }
}

/// The burn-up chart with its summary and data table.
#[component]
fn BurnUpFigure(b: BurnUp) -> impl IntoView {
    let lang = use_lang();
    let pct = move |done: i64, total: i64| {
        if total > 0 {
            format!("{} %", crate::domain::fmt_decimal(done as f64 * 100.0 / total as f64, 1, lang))
        } else {
            "–".into()
        }
    };
    view! {
        <section aria-labelledby="burnup-titel" id="burnup">
            <h2 id="burnup-titel">{lang.t("Fortschritt des Programms (Burn-up)", "Programme progress (burn-up)")}</h2>
            <figure class="chart">
                <img src="/diagramme/burn-up.svg" alt=lang.t("Burn-up: abgeschlossene Projekte und erreichte Meilensteine", "Burn-up: projects completed and milestones reached") width="900" height="500"/>
                <figcaption>{b.summary(lang)}</figcaption>
            </figure>
            <TableRegion labelled_by="burnup-tabelle">
                <table class="data">
                    <caption id="burnup-tabelle">{lang.t("Datentabelle zum Diagramm", "Data table of the chart")}</caption>
                    <thead><tr>
                        <th scope="col">{lang.t("Stichtag", "Reporting date")}</th>
                        <th scope="col" class="num">{lang.t("Projekte abgeschlossen", "Projects completed")}</th>
                        <th scope="col" class="num">{lang.t("Anteil", "Share")}</th>
                        <th scope="col" class="num">{lang.t("Meilensteine erreicht", "Milestones reached")}</th>
                        <th scope="col" class="num">{lang.t("Anteil", "Share")}</th>
                    </tr></thead>
                    <tbody>
                        {b.points.iter().map(|p| view! {
                            <tr>
                                <th scope="row">{fmt_date(p.date, lang)}</th>
                                <td class="num">{fmt_int(p.projects_done, lang)}" / "{fmt_int(p.projects_total, lang)}</td>
                                <td class="num">{pct(p.projects_done, p.projects_total)}</td>
                                <td class="num">{fmt_int(p.milestones_done, lang)}" / "{fmt_int(p.milestones_total, lang)}</td>
                                <td class="num">{pct(p.milestones_done, p.milestones_total)}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        </section>
    }
}
