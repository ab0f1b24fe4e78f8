//! OZG services of the city: filter by Themenfeld, Reifegrad and text; maturity, e-payment and
//! the latest month's online-usage rate per service.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::services::{ServiceFilter, load_services};
use crate::domain::{Month, fmt_int, fmt_opt_date, fmt_share};
use crate::ui::{LoadError, Pager, TableRegion, use_lang};

#[component]
pub fn ServicesPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| ServiceFilter::from_query(|k| q.get(k))));
    let data = Resource::new(move || filter.get(), load_services);
    view! {
        <Title text=lang.t("OZG-Leistungen", "OZG services")/>
        <h1 id="leistungen-titel">{lang.t("OZG-Leistungen der Stadt", "The city's OZG services")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(page) => {
                        let pager_filter = f.clone();
                        view! {
                            <Form method="GET" action="/leistungen" attr:class="filters">
                                <div class="field">
                                    <label for="filter-tf">{lang.t("Themenfeld", "Subject area")}</label>
                                    <select id="filter-tf" name="tf">
                                        <option value="" selected=f.themenfeld.is_none()>{lang.t("alle", "all")}</option>
                                        {page.themenfelder.iter().map(|c| view! { <option value=c.id selected=f.themenfeld == Some(c.id)>{c.label.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="filter-rg">{lang.t("Reifegrad", "Maturity")}</label>
                                    <select id="filter-rg" name="rg">
                                        <option value="" selected=f.reifegrad.is_none()>{lang.t("alle", "all")}</option>
                                        {page.levels.iter().map(|c| view! { <option value=c.id selected=f.reifegrad == Some(c.id)>{c.label.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="field">
                                    <label for="filter-sq">{lang.t("Suche", "Search")}</label>
                                    <input id="filter-sq" type="search" name="q" value=f.text.clone() placeholder=lang.t("Name, OZG-ID oder LeiKa-Schlüssel", "Name, OZG ID or LeiKa key")/>
                                </div>
                                <div class="actions"><button type="submit">{lang.t("Filtern", "Apply filters")}</button></div>
                            </Form>
                            <p role="status" class="result-summary">{lang.pick(format!("{} Leistungen gefunden.", fmt_int(page.total, lang)), format!("{} services found.", fmt_int(page.total, lang)))}</p>
                            <TableRegion labelled_by="leistungen-titel">
                                <table class="data">
                                    <thead><tr>
                                        <th scope="col">{lang.t("Leistung", "Service")}</th>
                                        <th scope="col">{lang.t("OZG-ID", "OZG ID")}</th>
                                        <th scope="col">{lang.t("LeiKa-Schlüssel", "LeiKa key")}</th>
                                        <th scope="col">{lang.t("Themenfeld / Lebenslage", "Subject area / life event")}</th>
                                        <th scope="col" class="num">{lang.t("Reifegrad", "Maturity")}</th>
                                        <th scope="col">{lang.t("Online seit", "Online since")}</th>
                                        <th scope="col">{lang.t("E-Payment", "E-payment")}</th>
                                        <th scope="col" class="num">{lang.t("Nutzungsquote (letzter Monat)", "Usage rate (latest month)")}</th>
                                        <th scope="col" class="num">{lang.t("Projekte", "Projects")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {page.rows.into_iter().map(|s| {
                                            let usage = match (s.last_month.as_deref().and_then(Month::parse), s.last_online, s.last_total) {
                                                (Some(m), Some(on), Some(total)) => format!("{} ({})", fmt_share(on, total, lang), m.first_day().format("%m/%Y")),
                                                _ => "–".into(),
                                            };
                                            view! {
                                                <tr>
                                                    <td>{match s.url.clone() { Some(url) => view! { <a href=url rel="noopener">{s.name.clone()}</a> }.into_any(), None => view! { <span>{s.name.clone()}</span> }.into_any() }}</td>
                                                    <td>{s.ozg_id}</td>
                                                    <td>{s.leika_key.unwrap_or_else(|| lang.t("fehlt", "missing").into())}</td>
                                                    <td>{s.themenfeld}{s.lebenslage.map(|l| view! { " / "{l} })}</td>
                                                    <td class="num">{s.reifegrad}</td>
                                                    <td>{fmt_opt_date(s.online_since, lang)}</td>
                                                    <td>{if s.epayment { lang.t("ja", "yes") } else { lang.t("nein", "no") }}</td>
                                                    <td class="num">{usage}</td>
                                                    <td class="num">{s.projects}</td>
                                                </tr>
                                            }
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <Pager page=page.page pages=page.pages href=Callback::new(move |n| format!("/leistungen{}", pager_filter.to_query(n)))/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
