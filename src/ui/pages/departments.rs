//! Departments (Fachbereiche): the list with project counts per Ampel, and one department with
//! its Lotsen and sponsors.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::people::{load_department, load_departments};
use crate::domain::{Ampel, fmt_int};
use crate::error::AppError;
use crate::ui::pages::people::FunctionTable;
use crate::ui::{LoadError, TableRegion, use_lang};

#[component]
pub fn DepartmentsPage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_departments());
    view! {
        <Title text=lang.t("Fachbereiche", "Departments")/>
        <h1 id="fachbereiche-titel">{lang.t("Fachbereiche", "Departments")}</h1>
        <p class="hint">
            {lang.t("Fachbereiche legen Sie an oder benennen sie um unter ", "Departments are added or renamed under ")}
            <a href="/import">{lang.t("Import & Export", "Import & export")}</a>
            {lang.t(" (Vorlage »Fachbereiche«).", " (template »Fachbereiche«).")}
        </p>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(rows) => view! {
                        <TableRegion labelled_by="fachbereiche-titel">
                            <table class="data">
                                <thead><tr>
                                    <th scope="col">{lang.t("Fachbereich", "Department")}</th>
                                    <th scope="col" class="num">{lang.t("Projekte", "Projects")}</th>
                                    <th scope="col" class="num">{Ampel::Gruen.label(lang)}</th>
                                    <th scope="col" class="num">{Ampel::Gelb.label(lang)}</th>
                                    <th scope="col" class="num">{Ampel::Rot.label(lang)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|d| view! {
                                        <tr>
                                            <th scope="row"><a href=format!("/fachbereiche/{}", d.id)>{d.code}" "{d.name}</a></th>
                                            <td class="num">{fmt_int(d.projects, lang)}</td>
                                            <td class="num">{d.gruen}</td>
                                            <td class="num">{d.gelb}</td>
                                            <td class="num">{d.rot}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </TableRegion>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn DepartmentPage() -> impl IntoView {
    let lang = use_lang();
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").and_then(|v| v.parse::<i64>().ok())));
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => load_department(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(detail) => {
                        let d = detail.department;
                        view! {
                            <Title text=format!("{} {}", d.code, d.name)/>
                            <p class="breadcrumb"><a href="/fachbereiche">{lang.t("Fachbereiche", "Departments")}</a>" › "{d.code.clone()}</p>
                            <h1>{d.code.clone()}" "{d.name.clone()}</h1>
                            <p>
                                {lang.pick(format!("{} Projekte: ", d.projects), format!("{} projects: ", d.projects))}
                                {format!("{} {}, {} {}, {} {}. ", d.gruen, Ampel::Gruen.label(lang), d.gelb, Ampel::Gelb.label(lang), d.rot, Ampel::Rot.label(lang))}
                                <a href=format!("/projekte?fb={}", d.id)>{lang.t("Projekte dieses Fachbereichs anzeigen", "Show this department's projects")}</a>
                            </p>
                            <h2 id="funktionen-titel">{lang.t("Lotsen und weitere Funktionen", "Pilots and other roles")}</h2>
                            <FunctionTable rows=detail.functions labelled_by="funktionen-titel"/>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
