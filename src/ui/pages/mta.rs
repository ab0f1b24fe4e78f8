//! The milestone trend analysis of one project (`/projekte/:id/mta`): the chart (SVG from
//! `server::charts`), its summary in one sentence, and the same data as a table.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::charts::{MtaData, load_mta, load_portfolio_mta};
use crate::domain::fmt_date;
use crate::error::AppError;
use crate::ui::{LoadError, NotFound, TableRegion, use_id_param, use_lang};

#[component]
pub fn MtaPage() -> impl IntoView {
    let lang = use_lang();
    let id = use_id_param("id");
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => load_mta(id).await,
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
                    Ok(data) => view! { <MtaView data/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn MtaView(data: MtaData) -> impl IntoView {
    let lang = use_lang();
    let title =
        lang.pick(format!("Meilensteintrendanalyse {}", data.key), format!("Milestone trend analysis {}", data.key));
    let src = format!("/diagramme/mta/{}.svg", data.project_id);
    view! {
        <Title text=title.clone()/>
        <p class="breadcrumb"><a href="/projekte">{lang.t("Portfolio", "Portfolio")}</a>" › "
            <a href=format!("/projekte/{}", data.project_id)>{data.key.clone()}</a>" › MTA"</p>
        <h1>{title.clone()}</h1>
        <p class="lead">{data.title.clone()}</p>
        <MtaFigure data src alt=title/>
    }
}

/// The MTA chart with its reading aid and its data table.
#[component]
fn MtaFigure(data: MtaData, src: String, alt: String) -> impl IntoView {
    let lang = use_lang();
    let summary = data.summary(lang);
    let stichtage = data.stichtage.clone();
    view! {
        <figure class="chart">
            <img src=src alt=alt width="900" height="560"/>
            <figcaption>{summary}</figcaption>
        </figure>
        <p class="hint">{lang.t(
            "Lesart: waagerechte Linie = Termin stabil, steigend = Verschiebung, fallend = früher als geplant, Zickzack = unsichere Planung. Eine Linie endet auf der Diagonale, wenn der Meilenstein erreicht ist; die Nummern am Linienende entsprechen der Tabelle.",
            "How to read: flat line = date stable, rising = slipping, falling = earlier, zig-zag = unreliable planning. A line ends on the diagonal when the milestone is reached; the numbers at the line ends match the table.",
        )}</p>
        <TableRegion labelled_by="mta-tabelle">
            <table class="data">
                <caption id="mta-tabelle">{lang.t("Prognosen je Stichtag (Datentabelle zum Diagramm)", "Forecasts per reporting date (data table of the chart)")}</caption>
                <thead><tr>
                    <th scope="col">{lang.t("Nr.", "No.")}</th>
                    <th scope="col">{lang.t("Meilenstein", "Milestone")}</th>
                    <th scope="col">{lang.t("Basistermin", "Baseline")}</th>
                    {stichtage.iter().map(|s| view! { <th scope="col">{fmt_date(*s, lang)}</th> }).collect_view()}
                    <th scope="col">{lang.t("Erreicht am", "Reached")}</th>
                    <th scope="col">{lang.t("Verlauf", "Trend")}</th>
                </tr></thead>
                <tbody>
                    {data.lines.into_iter().map(|line| {
                        let cells = stichtage.iter().map(|s| {
                            let value = line.points.iter().find(|p| p.0 == *s).map(|p| fmt_date(p.1, lang)).unwrap_or_default();
                            view! { <td>{value}</td> }
                        }).collect_view();
                        view! {
                            <tr>
                                <td>{line.number}</td>
                                <th scope="row">{line.title.clone()}{line.is_key.then(|| lang.t(" (Schlüsselmeilenstein)", " (key milestone)"))}</th>
                                <td>{fmt_date(line.baseline, lang)}</td>
                                {cells}
                                <td>{line.reached.map(|d| fmt_date(d, lang)).unwrap_or_default()}</td>
                                <td>{line.trend.label(lang)}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}

/// The MTA of key milestones across the portfolio (`/mta?m=…`): the most slipped open key
/// milestones unless the staff unit picks others (at most eight, for a readable chart).
#[component]
pub fn PortfolioMtaPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let ids = Memo::new(move |_| {
        query.with(|q| {
            q.get_all("m").unwrap_or_default().iter().filter_map(|v| v.parse::<i64>().ok()).collect::<Vec<_>>()
        })
    });
    let data = Resource::new(move || ids.get(), load_portfolio_mta);
    let title =
        lang.t("Meilensteintrendanalyse der Schlüsselmeilensteine", "Milestone trend analysis of key milestones");
    view! {
        <Title text=title/>
        <h1>{title}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(p) => {
                        let list = p.chosen.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
                        view! {
                            <MtaFigure data=p.mta.clone() src=format!("/diagramme/mta/portfolio.svg?m={list}") alt=title.to_string()/>
                            <form method="get" action="/mta" class="form">
                                <fieldset>
                                    <legend>{lang.t("Schlüsselmeilensteine wählen (höchstens acht; zuerst die am stärksten verschobenen)", "Choose key milestones (at most eight; the most slipped first)")}</legend>
                                    {p.choices.iter().map(|m| {
                                        let id = format!("m-{}", m.id);
                                        let label_for = id.clone();
                                        view! {
                                            <label class="checkbox-line" for=label_for>
                                                <input type="checkbox" id=id name="m" value=m.id.to_string() checked=p.chosen.contains(&m.id)/>
                                                {format!("{}: {} ({} → {}, {:+} Tage)", m.key, m.title, fmt_date(m.baseline_date, lang), fmt_date(m.forecast_date, lang), m.slip)}
                                            </label>
                                        }
                                    }).collect_view()}
                                </fieldset>
                                <button type="submit">{lang.t("Anzeigen", "Show")}</button>
                            </form>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
