//! Portfolio list: filters (department, Lotse, Handlungsfeld, Ampel, phase, free text) in a GET
//! form, so the URL always reflects them; sortable columns and pagination as plain links.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

use crate::api::Choice;
use crate::api::portfolio::{PortfolioFilter, SortKey, load_portfolio};
use crate::domain::{Ampel, Lang, Phase, fmt_date, fmt_int, fmt_opt_date};
use crate::ui::{AmpelBadge, LoadError, Pager, TableRegion, phase_label, use_lang};

#[component]
pub fn PortfolioPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let filter = Memo::new(move |_| query.with(|q| PortfolioFilter::from_query(|k| q.get(k))));
    let data = Resource::new(move || filter.get(), load_portfolio);
    view! {
        <Title text=lang.t("Portfolio", "Portfolio")/>
        <h1>{lang.t("Projektportfolio", "Project portfolio")}</h1>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                let f = filter.get_untracked();
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(page) => {
                        let from = (page.page - 1) * crate::api::portfolio::PAGE_SIZE + 1;
                        let to = from + page.rows.len() as i64 - 1;
                        let summary = if page.total == 0 {
                            lang.t("Keine Projekte entsprechen den Filtern.", "No projects match the filters.").to_string()
                        } else {
                            lang.pick(
                                format!("{} Projekte gefunden, angezeigt {} bis {}.", fmt_int(page.total, lang), fmt_int(from, lang), fmt_int(to, lang)),
                                format!("{} projects found, showing {} to {}.", fmt_int(page.total, lang), fmt_int(from, lang), fmt_int(to, lang)),
                            )
                        };
                        let pager_filter = f.clone();
                        let export_query = f.with_page(1).to_query();
                        view! {
                            <FilterForm filter=f.clone() choices=page.choices.clone()/>
                            <p role="status" class="result-summary">{summary}</p>
                            <p class="export-links">
                                {lang.t("Gefilterte Liste exportieren:", "Export the filtered list:")}" "
                                <a href=format!("/export/portfolio.xlsx{export_query}") rel="external" download>{lang.t("Excel (.xlsx, alle Blätter)", "Excel (.xlsx, all sheets)")}</a>" · "
                                <a href=format!("/export/projekte.csv{export_query}") rel="external" download>{lang.t("Projekte als CSV", "Projects as CSV")}</a>" · "
                                <a href=format!("/export/meilensteine.csv{export_query}") rel="external" download>{lang.t("Meilensteine als CSV", "Milestones as CSV")}</a>
                            </p>
                            <TableRegion labelled_by="projekte-tabelle">
                                <table class="data portfolio">
                                    <caption id="projekte-tabelle" class="visually-hidden">{lang.t("Projekte; Spaltenköpfe sortieren die Liste", "Projects; column headers sort the list")}</caption>
                                    <thead><tr>
                                        <SortHeader filter=f.clone() key=SortKey::Key label=lang.t("Schlüssel", "Key")/>
                                        <SortHeader filter=f.clone() key=SortKey::Title label=lang.t("Titel", "Title")/>
                                        <SortHeader filter=f.clone() key=SortKey::Department label=lang.t("Fachbereich", "Department")/>
                                        <th scope="col">{lang.t("Lotse/Lotsin", "Pilot")}</th>
                                        <SortHeader filter=f.clone() key=SortKey::Ampel label=lang.t("Ampel", "Status")/>
                                        <SortHeader filter=f.clone() key=SortKey::Phase label=lang.t("Phase", "Phase")/>
                                        <SortHeader filter=f.clone() key=SortKey::Percent label=lang.t("Fortschritt", "Progress")/>
                                        <th scope="col">{lang.t("Nächster Meilenstein", "Next milestone")}</th>
                                        <SortHeader filter=f.clone() key=SortKey::PlannedEnd label=lang.t("Geplantes Ende", "Planned end")/>
                                    </tr></thead>
                                    <tbody>
                                        {page.rows.into_iter().map(|p| view! {
                                            <tr>
                                                <td class="nowrap">{p.key.clone()}</td>
                                                <td><a href=format!("/projekte/{}", p.id)>{p.title}</a></td>
                                                <td><a href=format!("/fachbereiche/{}", p.department_id)>{p.department_code}</a></td>
                                                <td>{p.lotse_title.unwrap_or_else(|| lang.t("nicht besetzt", "vacant").into())}</td>
                                                <td><AmpelBadge code=p.ampel/></td>
                                                <td>{phase_label(&p.phase, lang)}</td>
                                                <td class="num">{p.percent_done}" %"</td>
                                                <td>{fmt_opt_date(p.next_milestone, lang)}</td>
                                                <td>{fmt_date(p.planned_end, lang)}</td>
                                            </tr>
                                        }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <Pager page=page.page pages=page.pages href=Callback::new(move |n| format!("/projekte{}", pager_filter.with_page(n).to_query()))/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// A column header that sorts by its column; a second click reverses the order.
#[component]
fn SortHeader(filter: PortfolioFilter, key: SortKey, label: &'static str) -> impl IntoView {
    let lang = use_lang();
    let active = filter.sort == key;
    let aria_sort = match (active, filter.descending) {
        (false, _) => "none",
        (true, false) => "ascending",
        (true, true) => "descending",
    };
    let arrow = match aria_sort {
        "ascending" => " ▲",
        "descending" => " ▼",
        _ => "",
    };
    let href = format!("/projekte{}", filter.with_sort(key).to_query());
    view! {
        <th scope="col" aria-sort=aria_sort>
            <a href=href title=lang.t("Nach dieser Spalte sortieren", "Sort by this column")>{label}<span aria-hidden="true">{arrow}</span></a>
        </th>
    }
}

/// The filter form posts with GET, so it works without JavaScript and the URL can be
/// bookmarked or sent to a colleague.
#[component]
fn FilterForm(filter: PortfolioFilter, choices: crate::api::portfolio::FilterChoices) -> impl IntoView {
    let lang = use_lang();
    let ampel_options: Vec<(String, String)> =
        Ampel::ALL.iter().map(|a| (a.code().to_string(), a.label(lang).to_string())).collect();
    let phase_options: Vec<(String, String)> =
        Phase::ALL.iter().map(|p| (p.code().to_string(), p.label(lang).to_string())).collect();
    let ids = |choices: Vec<Choice>| choices.into_iter().map(|c| (c.id.to_string(), c.label)).collect::<Vec<_>>();
    view! {
        <Form method="GET" action="/projekte" attr:class="filters" attr:aria-label=lang.t("Filter", "Filters")>
            <Select name="fb" label=lang.t("Fachbereich", "Department") options=ids(choices.departments) selected=filter.department.map(|v| v.to_string()) lang/>
            <Select name="lotse" label=lang.t("Lotse/Lotsin", "Pilot") options=ids(choices.lotsen) selected=filter.lotse.map(|v| v.to_string()) lang/>
            <Select name="hf" label=lang.t("Handlungsfeld", "Field of action") options=ids(choices.handlungsfelder) selected=filter.handlungsfeld.map(|v| v.to_string()) lang/>
            <Select name="ampel" label=lang.t("Ampel", "Status") options=ampel_options selected=filter.ampel.map(|a| a.code().to_string()) lang/>
            <Select name="phase" label=lang.t("Phase", "Phase") options=phase_options selected=filter.phase.map(|p| p.code().to_string()) lang/>
            <div class="field">
                <label for="filter-q">{lang.t("Suche", "Search")}</label>
                <input id="filter-q" type="search" name="q" value=filter.text.clone() placeholder=lang.t("Titel, Schlüssel oder Beschreibung", "Title, key or description")/>
            </div>
            {(filter.sort != SortKey::Key).then(|| view! { <input type="hidden" name="sort" value=filter.sort.code()/> })}
            {filter.descending.then(|| view! { <input type="hidden" name="dir" value="ab"/> })}
            <div class="actions">
                <button type="submit">{lang.t("Filtern", "Apply filters")}</button>
                {filter.is_filtered().then(|| view! { <a href="/projekte">{lang.t("Filter zurücksetzen", "Reset filters")}</a> })}
            </div>
        </Form>
    }
}

#[component]
fn Select(
    name: &'static str,
    label: &'static str,
    options: Vec<(String, String)>,
    selected: Option<String>,
    lang: Lang,
) -> impl IntoView {
    let id = format!("filter-{name}");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select id=id name=name>
                <option value="" selected=selected.is_none()>{lang.t("alle", "all")}</option>
                {options.into_iter().map(|(value, text)| {
                    let is_selected = selected.as_deref() == Some(value.as_str());
                    view! { <option value=value selected=is_selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
