//! Start page: portfolio figures (projects per Ampel, overdue milestones, projects per
//! department) for the staff unit's daily look.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::overview::load_overview;
use crate::domain::{Ampel, fmt_date, fmt_int, fmt_share};
use crate::ui::{AmpelBadge, LoadError, TableRegion, use_lang};

#[component]
pub fn HomePage() -> impl IntoView {
    let lang = use_lang();
    let overview = Resource::new(|| (), |_| load_overview());
    view! {
        <Title text=lang.t("Übersicht", "Overview")/>
        <h1>{lang.t("Portfolio-Übersicht", "Portfolio overview")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(o) => {
                        let active = o.active_gruen + o.active_gelb + o.active_rot;
                        let n = move |v: i64| fmt_int(v, lang);
                        let stichtag = o.open_stichtag.map(|d| fmt_date(d, lang));
                        view! {
                            <p class="lead">
                                {lang.t("Stand: ", "As of: ")}{fmt_date(o.today, lang)}
                                {stichtag.map(|s| view! { " · "{lang.t("Offener Stichtag: ", "Open reporting date: ")}{s} })}
                            </p>
                            <section aria-labelledby="kennzahlen" class="figures">
                                <h2 id="kennzahlen" class="visually-hidden">{lang.t("Kennzahlen", "Key figures")}</h2>
                                <div class="figure">
                                    <span class="figure-value">{n(o.projects_total)}</span>
                                    <span class="figure-label">{lang.t("Projekte insgesamt", "Projects in total")}</span>
                                    <span class="figure-note">{n(o.completed)}" "{lang.t("abgeschlossen", "completed")}</span>
                                </div>
                                <div class="figure">
                                    <span class="figure-value">{n(o.milestones_overdue)}</span>
                                    <span class="figure-label">{lang.t("Überfällige Meilensteine", "Overdue milestones")}</span>
                                    <span class="figure-note">{lang.t("Prognose vor heute, nicht erreicht", "forecast before today, not reached")}</span>
                                </div>
                                <div class="figure">
                                    <span class="figure-value">{fmt_share(o.milestones_reached, o.milestones_total, lang)}</span>
                                    <span class="figure-label">{lang.t("Meilensteine erreicht", "Milestones reached")}</span>
                                    <span class="figure-note">{n(o.milestones_reached)}" / "{n(o.milestones_total)}</span>
                                </div>
                                <div class="figure">
                                    <span class="figure-value">{fmt_share(o.services_online, o.services_total, lang)}</span>
                                    <span class="figure-label">{lang.t("OZG-Leistungen ab Reifegrad 3", "OZG services at maturity ≥ 3")}</span>
                                    <span class="figure-note">{n(o.services_online)}" / "{n(o.services_total)}</span>
                                </div>
                            </section>
                            <section aria-labelledby="ampel">
                                <h2 id="ampel">{lang.t("Aktive Projekte nach Ampel", "Active projects by status")}</h2>
                                <TableRegion labelled_by="aktive-projekte-tabelle">
                                    <table class="data">
                                        <caption id="aktive-projekte-tabelle">{lang.t("Laufende Projekte (ohne abgeschlossene und gestoppte) nach Ampelstatus", "Running projects (excluding completed and stopped) by status")}</caption>
                                        <thead><tr><th scope="col">{lang.t("Ampel", "Status")}</th><th scope="col" class="num">{lang.t("Projekte", "Projects")}</th><th scope="col" class="num">{lang.t("Anteil", "Share")}</th></tr></thead>
                                        <tbody>
                                            {[(Ampel::Rot, o.active_rot), (Ampel::Gelb, o.active_gelb), (Ampel::Gruen, o.active_gruen)].into_iter().map(|(a, count)| view! {
                                                <tr>
                                                    <td><a href=format!("/projekte?ampel={}", a.code())><AmpelBadge code=a.code()/></a></td>
                                                    <td class="num">{n(count)}</td>
                                                    <td class="num">{fmt_share(count, active, lang)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </TableRegion>
                            </section>
                            <section aria-labelledby="ueberfaellig">
                                <h2 id="ueberfaellig">{lang.t("Älteste überfällige Meilensteine", "Oldest overdue milestones")}</h2>
                                {if o.overdue.is_empty() {
                                    view! { <p>{lang.t("Keine überfälligen Meilensteine.", "No overdue milestones.")}</p> }.into_any()
                                } else {
                                    view! {
                                        <TableRegion labelled_by="ueberfaellig">
                                            <table class="data">
                                                <thead><tr>
                                                    <th scope="col">{lang.t("Projekt", "Project")}</th>
                                                    <th scope="col">{lang.t("Meilenstein", "Milestone")}</th>
                                                    <th scope="col">{lang.t("Prognose", "Forecast")}</th>
                                                </tr></thead>
                                                <tbody>
                                                    {o.overdue.into_iter().map(|m| view! {
                                                        <tr>
                                                            <td><a href=format!("/projekte/{}", m.project_id)>{m.project_key}" – "{m.project_title}</a></td>
                                                            <td>{m.title}</td>
                                                            <td>{fmt_date(m.forecast_date, lang)}</td>
                                                        </tr>
                                                    }).collect_view()}
                                                </tbody>
                                            </table>
                                        </TableRegion>
                                    }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="fachbereiche">
                                <h2 id="fachbereiche">{lang.t("Projekte je Fachbereich", "Projects per department")}</h2>
                                <TableRegion labelled_by="fachbereiche">
                                    <table class="data">
                                        <thead><tr>
                                            <th scope="col">{lang.t("Fachbereich", "Department")}</th>
                                            <th scope="col" class="num">{lang.t("Projekte", "Projects")}</th>
                                            <th scope="col" class="num">{Ampel::Gruen.label(lang)}</th>
                                            <th scope="col" class="num">{Ampel::Gelb.label(lang)}</th>
                                            <th scope="col" class="num">{Ampel::Rot.label(lang)}</th>
                                        </tr></thead>
                                        <tbody>
                                            {o.departments.into_iter().map(|d| view! {
                                                <tr>
                                                    <th scope="row"><a href=format!("/projekte?fb={}", d.id)>{d.code}" "{d.name}</a></th>
                                                    <td class="num">{n(d.projects)}</td>
                                                    <td class="num">{n(d.gruen)}</td>
                                                    <td class="num">{n(d.gelb)}</td>
                                                    <td class="num">{n(d.rot)}</td>
                                                </tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </TableRegion>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
