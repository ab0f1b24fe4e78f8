//! OZG coverage (`/abdeckung`): services per Reifegrad over the Stichtage (chart from
//! `server::charts` with its data table), the share at Reifegrad ≥ 3 against its target, and
//! the same per Themenfeld today.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::charts::{Coverage, CoverageRow, load_coverage};
use crate::domain::{fmt_decimal, fmt_int};
use crate::ui::{LoadError, TableRegion, use_lang};

#[component]
pub fn CoveragePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(move || lang, load_coverage);
    view! {
        <Title text=lang.t("OZG-Abdeckung", "OZG coverage")/>
        <h1>{lang.t("OZG-Abdeckung nach Reifegrad", "OZG coverage by maturity level")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(c) => view! {
                        <figure class="chart">
                            <img src="/diagramme/abdeckung.svg" alt=lang.t("OZG-Leistungen je Reifegrad über die Stichtage", "OZG services per maturity level over time") width="900" height="460"/>
                            <figcaption>{c.summary(lang)}</figcaption>
                        </figure>
                        <CoverageTable c=c.clone() rows=c.over_time.clone() first=lang.t("Stichtag", "Reporting date") anchor="abdeckung-verlauf"
                            caption=lang.t("Datentabelle zum Diagramm: Leistungen je Reifegrad (die letzte Zeile ist der heutige Stand)", "Data table of the chart: services per maturity level (the last row is today)")/>
                        <h2>{lang.t("Je Themenfeld (heute)", "Per Themenfeld (today)")}</h2>
                        <CoverageTable c=c.clone() rows=c.by_themenfeld.clone() first=lang.t("Themenfeld", "Themenfeld") anchor="abdeckung-themenfelder"
                            caption=lang.t("Leistungen je Themenfeld und Reifegrad", "Services per Themenfeld and maturity level")/>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn CoverageTable(
    c: Coverage,
    rows: Vec<CoverageRow>,
    first: &'static str,
    anchor: &'static str,
    caption: &'static str,
) -> impl IntoView {
    let lang = use_lang();
    let caption_id = format!("{anchor}-titel");
    let labelled_by = caption_id.clone();
    view! {
        <TableRegion labelled_by=labelled_by>
            <table class="data" id=anchor>
                <caption id=caption_id>{caption}</caption>
                <thead><tr>
                    <th scope="col">{first}</th>
                    {c.levels.iter().map(|(_, label)| view! { <th scope="col" class="num">{label.clone()}</th> }).collect_view()}
                    <th scope="col" class="num">{lang.t("Anteil ab Reifegrad 3", "Share at maturity ≥ 3")}</th>
                </tr></thead>
                <tbody>
                    {rows.iter().map(|r| view! {
                        <tr>
                            <th scope="row">{r.label.clone()}</th>
                            {r.counts.iter().map(|n| view! { <td class="num">{fmt_int(*n, lang)}</td> }).collect_view()}
                            <td class="num">{c.online_share(r).map(|v| format!("{} %", fmt_decimal(v, 1, lang))).unwrap_or_else(|| "–".into())}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}
