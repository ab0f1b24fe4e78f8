//! Termintreue (`/termintreue`): schedule adherence of the portfolio over the closed
//! Stichtage (chart), and per department and Stichtag as a table.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::charts::{AdherenceCell, load_adherence};
use crate::domain::{fmt_date, fmt_decimal};
use crate::ui::{LoadError, TableRegion, use_lang};

#[component]
pub fn AdherencePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_adherence());
    let cell = move |c: &AdherenceCell| match c.share() {
        Some(v) => format!("{} % ({}/{})", fmt_decimal(v, 0, lang), c.on_time, c.due),
        None => "–".into(),
    };
    view! {
        <Title text=lang.t("Termintreue", "Schedule adherence")/>
        <h1>{lang.t("Termintreue je Fachbereich und Stichtag", "Schedule adherence per department and reporting date")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(a) => view! {
                        <figure class="chart">
                            <img src="/diagramme/termintreue.svg" alt=lang.t("Termintreue je Stichtag", "Schedule adherence per reporting date") width="900" height="480"/>
                            <figcaption>{a.summary(lang)}</figcaption>
                        </figure>
                        <p class="hint">{lang.pick(
                            format!("Gezählt werden Meilensteine, deren Basistermin zum Stichtag vergangen war; pünktlich heißt erreicht bis {} Tage nach dem Basistermin. Werte aus dem eingefrorenen Stand jedes Stichtags.", a.tolerance_days),
                            format!("Counted are milestones whose baseline had passed at the reporting date; on time means reached at most {} days after the baseline. Figures from each reporting date's frozen state.", a.tolerance_days),
                        )}</p>
                        <TableRegion labelled_by="termintreue-tabelle">
                            <table class="data" id="termintreue">
                                <caption id="termintreue-tabelle">{lang.t("Datentabelle: pünktlich erreicht / fällig", "Data table: reached on time / due")}</caption>
                                <thead><tr>
                                    <th scope="col">{lang.t("Fachbereich", "Department")}</th>
                                    {a.stichtage.iter().map(|d| view! { <th scope="col" class="num">{fmt_date(*d, lang)}</th> }).collect_view()}
                                </tr></thead>
                                <tbody>
                                    {a.departments.iter().map(|(code, cells)| view! {
                                        <tr>
                                            <th scope="row">{code.clone()}</th>
                                            {cells.iter().map(|c| view! { <td class="num">{cell(c)}</td> }).collect_view()}
                                        </tr>
                                    }).collect_view()}
                                    <tr class="total">
                                        <th scope="row">{lang.t("Portfolio", "Portfolio")}</th>
                                        {a.overall.iter().map(|c| view! { <td class="num"><strong>{cell(c)}</strong></td> }).collect_view()}
                                    </tr>
                                </tbody>
                            </table>
                        </TableRegion>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
