//! The data-quality worklist (`/datenqualitaet`): one section per check with its count and
//! the findings, each linked to the project where it can be fixed.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::quality::{WORKLIST_ITEMS, load_worklist};
use crate::domain::{fmt_date, fmt_int, fmt_opt_date};
use crate::ui::{LoadError, TableRegion, use_lang};

#[component]
pub fn QualityPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_worklist());
    view! {
        <Title text=lang.t("Datenqualität", "Data quality")/>
        <h1>{lang.t("Datenqualität – Arbeitsliste", "Data quality – worklist")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(list) => view! {
                        <p class="result-summary" role="status">
                            {lang.pick(format!("Stand {}.", fmt_date(list.today, lang)), format!("As of {}.", fmt_date(list.today, lang)))}" "
                            {match list.open_stichtag {
                                Some(d) => lang.pick(format!("Offener Stichtag: {}.", fmt_date(d, lang)), format!("Open reporting date: {}.", fmt_date(d, lang))),
                                None => lang.t("Kein Stichtag offen: Die Prüfung fehlender Sachstände entfällt.", "No reporting date is open: the missing-report check is skipped.").to_string(),
                            }}
                        </p>
                        <ul class="quality-summary">
                            {list.checks.iter().map(|c| view! {
                                <li><a href=format!("#{}", c.check.code())>{c.check.label(lang)}</a>": "<strong>{fmt_int(c.count, lang)}</strong></li>
                            }).collect_view()}
                        </ul>
                        {list.checks.into_iter().map(|c| {
                            let heading = format!("h-{}", c.check.code());
                            let labelled_by = heading.clone();
                            let table_label = heading.clone();
                            view! {
                                <section id=c.check.code() aria-labelledby=labelled_by>
                                    <h2 id=heading>{c.check.label(lang)}" ("{fmt_int(c.count, lang)}")"</h2>
                                    <p class="hint">{c.check.hint(lang)}</p>
                                    {if c.items.is_empty() {
                                        view! { <p>{lang.t("Keine Funde.", "Nothing found.")}</p> }.into_any()
                                    } else {
                                        view! {
                                            <TableRegion labelled_by=table_label>
                                                <table class="data">
                                                    <thead><tr>
                                                        <th scope="col">{lang.t("Schlüssel", "Key")}</th>
                                                        <th scope="col">{lang.t("Bezeichnung", "Name")}</th>
                                                        <th scope="col">{lang.t("Detail", "Detail")}</th>
                                                        <th scope="col">{lang.t("Datum", "Date")}</th>
                                                    </tr></thead>
                                                    <tbody>
                                                        {c.items.into_iter().map(|item| view! {
                                                            <tr>
                                                                <td>{match item.project_id {
                                                                    Some(id) => view! { <a href=format!("/projekte/{id}")>{item.key.clone()}</a> }.into_any(),
                                                                    None => view! { <span>{item.key.clone()}</span> }.into_any(),
                                                                }}</td>
                                                                <td>{item.title}</td>
                                                                <td>{item.detail}</td>
                                                                <td>{fmt_opt_date(item.date, lang)}</td>
                                                            </tr>
                                                        }).collect_view()}
                                                    </tbody>
                                                </table>
                                            </TableRegion>
                                            {(c.count > WORKLIST_ITEMS).then(|| view! { <p class="hint">{lang.pick(
                                                format!("Angezeigt sind die ersten {WORKLIST_ITEMS} von {}.", fmt_int(c.count, lang)),
                                                format!("Showing the first {WORKLIST_ITEMS} of {}.", fmt_int(c.count, lang)),
                                            )}</p> })}
                                        }.into_any()
                                    }}
                                </section>
                            }
                        }).collect_view()}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
