//! The online-usage rate (`/nutzung`): the chart (SVG from `server::charts`), its summary in
//! one sentence, the services shown with their rate, and the monthly figures as a table.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::charts::load_usage;
use crate::domain::{fmt_decimal, fmt_int};
use crate::ui::{LoadError, TableRegion, use_lang};

#[component]
pub fn UsagePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_usage());
    let pct = move |v: Option<f64>| v.map(|v| format!("{} %", fmt_decimal(v, 1, lang))).unwrap_or_else(|| "–".into());
    view! {
        <Title text=lang.t("Nutzungsquote", "Usage rate")/>
        <h1>{lang.t("Nutzungsquote der Online-Leistungen", "Usage rate of the online services")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(data) => {
                        let months = data.months.clone();
                        let numbered = data.services.clone();
                        view! {
                            <figure class="chart">
                                <img src="/diagramme/nutzung.svg" alt=lang.t("Nutzungsquote je Monat", "Usage rate per month") width="900" height="520"/>
                                <figcaption>{data.summary(lang)}</figcaption>
                            </figure>
                            <TableRegion labelled_by="nutzung-leistungen-tabelle">
                                <table class="data" id="nutzung-leistungen">
                                    <caption id="nutzung-leistungen-tabelle">{lang.t("Im Diagramm nummerierte Leistungen (letzte zwölf Monate)", "Services numbered in the chart (last twelve months)")}</caption>
                                    <thead><tr>
                                        <th scope="col">{lang.t("Nr.", "No.")}</th>
                                        <th scope="col">{lang.t("Leistung", "Service")}</th>
                                        <th scope="col" class="num">{lang.t("Online-Anträge", "Online")}</th>
                                        <th scope="col" class="num">{lang.t("Anträge gesamt", "All applications")}</th>
                                        <th scope="col" class="num">{lang.t("Nutzungsquote", "Usage rate")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {numbered.iter().map(|s| view! {
                                            <tr>
                                                <td>{s.number}</td>
                                                <th scope="row">{s.name.clone()}" ("{s.ozg_id.clone()}")"</th>
                                                <td class="num">{fmt_int(s.online, lang)}</td>
                                                <td class="num">{fmt_int(s.total, lang)}</td>
                                                <td class="num">{pct(s.period_rate())}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <TableRegion labelled_by="nutzung-monate">
                                <table class="data">
                                    <caption id="nutzung-monate">{lang.t("Datentabelle zum Diagramm: Nutzungsquote je Monat", "Data table of the chart: usage rate per month")}</caption>
                                    <thead><tr>
                                        <th scope="col">{lang.t("Monat", "Month")}</th>
                                        <th scope="col" class="num">{lang.t("Gesamt", "Overall")}</th>
                                        {data.services.iter().map(|s| view! { <th scope="col" class="num">{s.number}</th> }).collect_view()}
                                    </tr></thead>
                                    <tbody>
                                        {months.iter().enumerate().map(|(i, m)| view! {
                                            <tr>
                                                <th scope="row">{m.clone()}</th>
                                                <td class="num">{pct(data.overall[i])}</td>
                                                {data.services.iter().map(|s| view! { <td class="num">{pct(s.rates[i])}</td> }).collect_view()}
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
