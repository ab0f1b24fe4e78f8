//! The Statusbericht of one Stichtag (`/stichtage/:id/bericht`): the portfolio report for
//! leadership and council committees, laid out to print on clean A4 pages (see the print
//! rules in `style/main.css`); its charts are SVG, so they stay vector on paper.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::leadership::{LeadershipView, load_status_report};
use crate::domain::{Ampel, fmt_date, fmt_int};
use crate::error::AppError;
use crate::ui::pages::reporting::{AmpelChanges, MoveTable};
use crate::ui::{AmpelBadge, LoadError, NotFound, TableRegion, use_id_param, use_lang};

#[component]
pub fn StatusReportPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param("id");
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => load_status_report(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(report) => view! { <StatusReport report/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn StatusReport(report: LeadershipView) -> impl IntoView {
    let lang = use_lang();
    let Some(s) = report.latest.clone() else { return view! { <NotFound/> }.into_any() };
    let date = fmt_date(s.report_date, lang);
    let date_column = date.clone();
    let title = lang.pick(format!("Statusbericht zum Stichtag {date}"), format!("Status report for {date}"));
    let state = s.report_state(lang);
    let total: i64 = report.ampel.iter().map(|a| a.now).sum();
    let before = report.previous.as_ref().map(|p| fmt_date(p.report_date, lang));
    view! {
        <Title text=title.clone()/>
        <article class="status-report">
            <p class="breadcrumb no-print"><a href="/stichtage">{lang.t("Stichtage", "Reporting dates")}</a>" › "
                <a href=format!("/stichtage/{}", s.id)>{date.clone()}</a>" › "{lang.t("Statusbericht", "Status report")}</p>
            <header class="report-head">
                <p class="report-kicker">{lang.t("Digitalisierungsprogramm der Stadt – Stabsstelle Digitalisierung", "City digitisation programme – digitisation staff unit")}</p>
                <h1>{title}</h1>
                <p id="bericht-stand">{state}</p>
                <p class="no-print report-actions">
                    <a class="button" href=format!("/stichtage/{}/bericht.pdf", s.id) rel="external" download>{lang.t("PDF herunterladen", "Download PDF")}</a>" "
                    <button type="button" class="secondary" onclick="window.print()">{lang.t("Drucken", "Print")}</button>
                </p>
            </header>
            <section aria-labelledby="b-ampel">
                <h2 id="b-ampel">{lang.t("1. Portfolio-Ampel", "1. Portfolio status")}</h2>
                <p>{lang.pick(
                    format!("{} laufende Projekte; {} von {} Sachständen freigegeben.", fmt_int(total, lang), fmt_int(s.approved, lang), fmt_int(s.due, lang)),
                    format!("{} running projects; {} of {} reports approved.", fmt_int(total, lang), fmt_int(s.approved, lang), fmt_int(s.due, lang)),
                )}</p>
                <TableRegion labelled_by="b-ampel">
                    <table class="data" id="bericht-ampel">
                        <thead><tr>
                            <th scope="col">{lang.t("Ampel", "Status")}</th>
                            {before.clone().map(|b| view! { <th scope="col" class="num">{b}</th> })}
                            <th scope="col" class="num">{date_column}</th>
                        </tr></thead>
                        <tbody>
                            {report.ampel.iter().map(|a| view! {
                                <tr>
                                    <th scope="row"><AmpelBadge code=a.ampel.clone()/></th>
                                    {a.before.map(|b| view! { <td class="num">{fmt_int(b, lang)}</td> })}
                                    <td class="num">{fmt_int(a.now, lang)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableRegion>
                {(!s.is_open()).then(|| view! {
                    <figure class="chart">
                        <img src=format!("/diagramme/ampel-fachbereiche.svg?stichtag={}", s.id) alt=lang.t("Ampel je Fachbereich", "Status per department") width="900" height="460"/>
                    </figure>
                })}
                <TableRegion labelled_by="bericht-fachbereiche-tabelle">
                    <table class="data" id="bericht-fachbereiche">
                        <caption id="bericht-fachbereiche-tabelle">{lang.t("Laufende Projekte je Fachbereich und Ampel", "Running projects per department and status")}</caption>
                        <thead><tr>
                            <th scope="col">{lang.t("Fachbereich", "Department")}</th>
                            {Ampel::ALL.iter().map(|a| view! { <th scope="col" class="num"><AmpelBadge code=a.code()/></th> }).collect_view()}
                        </tr></thead>
                        <tbody>
                            {report.by_department.iter().map(|r| view! {
                                <tr>
                                    <th scope="row">{r.label.clone()}</th>
                                    <td class="num">{fmt_int(r.gruen, lang)}</td>
                                    <td class="num">{fmt_int(r.gelb, lang)}</td>
                                    <td class="num">{fmt_int(r.rot, lang)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableRegion>
            </section>
            <section aria-labelledby="b-aufmerksamkeit">
                <h2 id="b-aufmerksamkeit">{lang.t("2. Projekte mit Ampel Rot oder Entscheidungsbedarf", "2. Projects in red or asking for a decision")}</h2>
                {if report.attention.is_empty() {
                    view! { <p>{lang.t("Keine.", "None.")}</p> }.into_any()
                } else {
                    view! {
                        <TableRegion labelled_by="b-aufmerksamkeit">
                            <table class="data" id="bericht-aufmerksamkeit">
                                <thead><tr>
                                    <th scope="col">{lang.t("Projekt", "Project")}</th>
                                    <th scope="col">{lang.t("Ampel", "Status")}</th>
                                    <th scope="col">{lang.t("Entscheidungsbedarf", "Decision needed")}</th>
                                    <th scope="col">{lang.t("Risiken und Begründung", "Risks and reason")}</th>
                                </tr></thead>
                                <tbody>
                                    {report.attention.iter().map(|a| view! {
                                        <tr>
                                            <td>{a.key.clone()}" "{a.title.clone()}" ("{a.department_code.clone()}")"</td>
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
            <AmpelChanges changes=report.changes.clone() heading=lang.t("3. Ampeländerungen seit dem vorigen Stichtag", "3. Status changes since the previous reporting date") anchor="bericht-aenderungen"/>
            <MoveTable moves=report.slipped_key.clone() heading=lang.t("4. Verschobene Schlüsselmeilensteine", "4. Slipped key milestones") anchor="bericht-meilensteine"/>
            <footer class="report-foot">
                <p>{lang.pick(
                    format!("Erstellt mit Leitstand. Quelle: Sachstände der Lotsinnen und Lotsen zum Stichtag {date}, freigegeben durch die Stabsstelle."),
                    format!("Made with Leitstand. Source: the pilots' reports for {date}, approved by the staff unit."),
                )}</p>
            </footer>
        </article>
    }
    .into_any()
}
