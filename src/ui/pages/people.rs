//! Lotsen and other functions with the person holding each. Sorted by department and title,
//! never by any per-person figure: the tool must not become a performance monitor.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::people::{FunctionRow, load_functions};
use crate::domain::FunctionKind;
use crate::ui::{LoadError, TableRegion, use_lang};

#[component]
pub fn PeoplePage() -> impl IntoView {
    let lang = use_lang();
    let data = Resource::new(|| (), |_| load_functions());
    view! {
        <Title text=lang.t("Lotsen & Funktionen", "Pilots & roles")/>
        <h1 id="personen-titel">{lang.t("Lotsen und Funktionen", "Pilots and roles")}</h1>
        <p class="hint">{lang.t(
            "Projekte gehören einer Funktion (z. B. „Lotse FB 61“), nicht einer Person. Ist eine Funktion nicht besetzt, bleiben ihre Projekte erhalten.",
            "Projects belong to a role (e.g. \"Lotse FB 61\"), not to a person. A vacant role keeps its projects.",
        )}" "
            {lang.t("Lotsenfunktionen und ihre Besetzung pflegen Sie unter ", "Pilot roles and who holds them are kept up to date under ")}
            <a href="/import">{lang.t("Import & Export", "Import & export")}</a>
            {lang.t(" (Vorlage »Lotsen«).", " (template »Lotsen«).")}
        </p>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(rows) => view! { <FunctionTable rows labelled_by="personen-titel"/> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn FunctionTable(rows: Vec<FunctionRow>, labelled_by: &'static str) -> impl IntoView {
    let lang = use_lang();
    view! {
        <TableRegion labelled_by=labelled_by>
            <table class="data">
                <thead><tr>
                    <th scope="col">{lang.t("Funktion", "Role")}</th>
                    <th scope="col">{lang.t("Art", "Kind")}</th>
                    <th scope="col">{lang.t("Fachbereich", "Department")}</th>
                    <th scope="col">{lang.t("Person", "Person")}</th>
                    <th scope="col">{lang.t("Kontakt", "Contact")}</th>
                    <th scope="col" class="num">{lang.t("Projekte", "Projects")}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|f| {
                        let kind = FunctionKind::parse(&f.kind).map(|k| k.label(lang).to_string()).unwrap_or(f.kind.clone());
                        let projects_link = (f.kind == "lotse").then(|| format!("/projekte?lotse={}", f.id));
                        view! {
                            <tr>
                                <th scope="row">{f.title}</th>
                                <td>{kind}</td>
                                <td>{match (f.department_id, f.department_code) {
                                    (Some(id), Some(code)) => view! { <a href=format!("/fachbereiche/{id}")>{code}</a> }.into_any(),
                                    _ => view! { <span>"–"</span> }.into_any(),
                                }}</td>
                                <td>{f.person_name.unwrap_or_else(|| lang.t("nicht besetzt", "vacant").into())}</td>
                                <td>{f.person_email.map(|mail| view! { <a href=format!("mailto:{mail}")>{mail.clone()}</a> })}{f.person_phone.map(|p| view! { <br/>{p} })}</td>
                                <td class="num">{match projects_link {
                                    Some(href) => view! { <a href=href>{f.projects}</a> }.into_any(),
                                    None => view! { <span>{f.projects}</span> }.into_any(),
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </TableRegion>
    }
}
