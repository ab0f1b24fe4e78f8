//! Projektsteckbrief: the project's profile, its milestones with forecast history and linked
//! OZG services, the two forms a Lotse uses (status and milestone dates), and the form that
//! deletes a milestone created by mistake.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::Choice;
use crate::api::form::FormEcho;
use crate::api::projects::{
    DeleteMilestone, DeletedMilestone, ForecastEntry, MilestoneRow, ProjectDetail, SaveMilestone, SaveProjectStatus,
    load_project,
};
use crate::domain::{
    Ampel, Category, FieldError, Lang, fmt_cents, fmt_date, fmt_opt_date, fmt_signed, fmt_time, fmt_user,
};
use crate::error::AppError;
use crate::ui::{AmpelBadge, FieldMessages, LoadError, NotFound, TableRegion, phase_label, use_id_param, use_lang};

#[component]
pub fn ProjectPage() -> impl IntoView {
    let lang = use_lang();
    let query = use_query_map();
    let id = use_id_param("id");
    // After a plain form post the server redirects here with the outcome in `?form=`.
    let echo = Memo::new(move |_| query.with(|q| q.get("form").and_then(|raw| FormEcho::from_param(&raw))));
    // Bumped after every background save, so the page reloads the current state and versions.
    let reload = RwSignal::new(0u32);
    // Lives outside the reloaded view, so the confirmation survives the reload it triggers.
    let notice =
        RwSignal::new(echo.get_untracked().filter(|e| e.saved).zip(id.get_untracked()).map(|(e, project)| Saved {
            project,
            form: e.form,
            text: None,
        }));
    let project = Resource::new(
        move || (id.get(), reload.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_project(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        // Announces a background save; the visible confirmation is in the form that was sent.
        <div role="status" aria-live="polite" class="visually-hidden">
            {move || notice.get().and_then(|saved| saved.text)}
        </div>
        // A transition, not a suspense: the reload after a save keeps the page (and where the
        // user is on it) until the new state is there, instead of flashing »Lädt …«.
        <Transition fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || Suspend::new(async move {
                match project.await {
                    Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                    Err(e) => view! { <LoadError error=e/> }.into_any(),
                    Ok(detail) => view! { <ProjectView detail echo=echo.get_untracked() reload notice/> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn ProjectView(
    detail: ProjectDetail,
    echo: Option<FormEcho>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<Saved>>,
) -> impl IntoView {
    let lang = use_lang();
    let p = detail.project.clone();
    let category = Category::parse(&p.category).map(|c| c.label(lang).to_string()).unwrap_or(p.category.clone());
    // A refused plain post for a milestone that is gone (deleted in another window) has no
    // form left to show its message at: the top of the page shows it.
    let orphan = echo
        .as_ref()
        .filter(|e| !e.saved && e.form.starts_with("m-"))
        .filter(|e| !detail.milestones.iter().any(|m| e.form == format!("m-{}", m.id)))
        .map(|e| AppError::Invalid(e.errors.clone()).message(lang));
    let reached = detail.milestones.iter().filter(|m| m.actual_date.is_some()).count();
    view! {
        <Title text=format!("{} {}", p.key, p.title)/>
        <p class="breadcrumb"><a href="/projekte">{lang.t("Portfolio", "Portfolio")}</a>" › "{p.key.clone()}</p>
        <h1>{p.title.clone()}</h1>
        {orphan.map(|text| view! { <p class="alert alert-error" role="alert">{text}</p> })}
        <section aria-labelledby="steckbrief" class="profile">
            <h2 id="steckbrief">{lang.t("Projektsteckbrief", "Project profile")}</h2>
            <dl class="facts">
                <dt>{lang.t("Schlüssel", "Key")}</dt><dd>{p.key.clone()}</dd>
                <dt>{lang.t("Ampel", "Status")}</dt><dd><AmpelBadge code=p.ampel.clone()/>{(!p.ampel_reason.is_empty()).then(|| view! { " – "{p.ampel_reason.clone()} })}</dd>
                <dt>{lang.t("Fortschritt", "Progress")}</dt><dd>{p.percent_done}" %"</dd>
                <dt>{lang.t("Phase", "Phase")}</dt><dd>{phase_label(&p.phase, lang)}</dd>
                <dt>{lang.t("Kategorie", "Category")}</dt><dd>{category}</dd>
                <dt>{lang.t("Fachbereich", "Department")}</dt><dd><a href=format!("/fachbereiche/{}", p.department_id)>{p.department_code.clone()}" "{p.department_name.clone()}</a></dd>
                <dt>{lang.t("Lotse/Lotsin", "Pilot")}</dt>
                <dd>{p.lotse_title.clone().unwrap_or_else(|| lang.t("nicht besetzt", "vacant").into())}{p.lotse_person.clone().map(|n| view! { " ("{n}")" })}</dd>
                <dt>{lang.t("Auftraggeber/in", "Sponsor")}</dt><dd>{p.sponsor_title.clone().unwrap_or_else(|| "–".into())}</dd>
                <dt>{lang.t("Ziel / Handlungsfeld", "Goal / field of action")}</dt>
                <dd>{p.goal_title.clone().unwrap_or_else(|| "–".into())}" / "{p.handlungsfeld_title.clone().unwrap_or_else(|| "–".into())}</dd>
                <dt>{lang.t("Laufzeit", "Duration")}</dt><dd>{fmt_date(p.start_date, lang)}" – "{fmt_date(p.planned_end, lang)}</dd>
                <dt>{lang.t("Budget", "Budget")}</dt><dd>{p.budget_cents.map(|c| fmt_cents(c, lang)).unwrap_or_else(|| "–".into())}</dd>
                <dt>{lang.t("Meilensteine", "Milestones")}</dt><dd>{reached}" / "{detail.milestones.len()}" "{lang.t("erreicht", "reached")}" · "<a href=format!("/projekte/{}/mta", p.id)>{lang.t("Meilensteintrendanalyse", "Milestone trend analysis")}</a></dd>
            </dl>
            <p class="no-print"><a href=format!("/projekte/{}/steckbrief.pdf", p.id) rel="external" download>{lang.t("Projektsteckbrief als PDF herunterladen", "Download the project profile as PDF")}</a></p>
            <h3>{lang.t("Beschreibung", "Description")}</h3>
            <p>{p.description.clone()}</p>
            <h3>{lang.t("Ziel und Nutzen", "Goal and benefit")}</h3>
            <p>{p.benefit.clone()}</p>
        </section>
        <MilestoneTable milestones=detail.milestones.clone() history=detail.history.clone() today=detail.today/>
        <DeletedList deleted=detail.deleted.clone()/>
        <section aria-labelledby="leistungen">
            <h2 id="leistungen">{lang.t("Verknüpfte OZG-Leistungen", "Linked OZG services")}</h2>
            {if detail.services.is_empty() {
                view! { <p>{lang.t("Keine OZG-Leistungen verknüpft.", "No OZG services linked.")}</p> }.into_any()
            } else {
                let services = detail.services.clone();
                view! {
                    <TableRegion labelled_by="leistungen">
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{lang.t("OZG-ID", "OZG ID")}</th>
                                <th scope="col">{lang.t("LeiKa-Schlüssel", "LeiKa key")}</th>
                                <th scope="col">{lang.t("Leistung", "Service")}</th>
                                <th scope="col" class="num">{lang.t("Reifegrad", "Maturity")}</th>
                            </tr></thead>
                            <tbody>
                                {services.iter().map(|s| view! {
                                    <tr>
                                        <td>{s.ozg_id.clone()}</td>
                                        <td>{s.leika_key.clone().unwrap_or_else(|| "–".into())}</td>
                                        <td><a href=format!("/leistungen?q={}", crate::api::form::percent_encode(&s.name))>{s.name.clone()}</a></td>
                                        <td class="num">{s.reifegrad}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </TableRegion>
                }.into_any()
            }}
        </section>
        <StatusForm detail=detail.clone() echo=echo.clone().filter(|e| e.form == "status") reload notice/>
        <section aria-labelledby="termine">
            <h2 id="termine">{lang.t("Meilensteintermine aktualisieren", "Update milestone dates")}</h2>
            <p class="hint">{lang.t(
                "Jede geänderte Prognose wird mit heutigem Datum in den Prognoseverlauf (Meilensteintrendanalyse) übernommen. Ein Ist-Termin darf nicht in der Zukunft liegen.",
                "Every changed forecast is added to the forecast history (milestone trend analysis) with today's date. An actual date cannot lie in the future.",
            )}</p>
            {detail.milestones.iter().map(|m| {
                let form_echo = echo.clone().filter(|e| e.form == format!("m-{}", m.id));
                view! { <MilestoneForm project_id=p.id milestone=m.clone() echo=form_echo reload notice/> }
            }).collect_view()}
        </section>
        <DeleteMilestoneForm detail=detail.clone() echo=echo.clone().filter(|e| e.form == "loeschen") reload notice/>
    }
}

/// Milestones deleted as created by mistake: what, when and by whom, and the number that
/// stays taken.
#[component]
fn DeletedList(deleted: Vec<DeletedMilestone>) -> impl IntoView {
    let lang = use_lang();
    (!deleted.is_empty()).then(|| {
        view! {
            <section aria-labelledby="geloescht">
                <h2 id="geloescht">{lang.t("Gelöschte Meilensteine", "Deleted milestones")}</h2>
                <TableRegion labelled_by="geloescht">
                    <table class="data">
                        <thead><tr>
                            <th scope="col" class="num">{lang.t("Nr.", "No.")}</th>
                            <th scope="col">{lang.t("Meilenstein", "Milestone")}</th>
                            <th scope="col">{lang.t("Basistermin", "Baseline")}</th>
                            <th scope="col">{lang.t("Gelöscht am", "Deleted on")}</th>
                            <th scope="col">{lang.t("Gelöscht von", "Deleted by")}</th>
                        </tr></thead>
                        <tbody>
                            {deleted.into_iter().map(|d| view! {
                                <tr>
                                    <td class="num">{d.position + 1}</td>
                                    <th scope="row">{d.title}</th>
                                    <td>{fmt_date(d.baseline_date, lang)}</td>
                                    <td>{fmt_time(d.deleted_at, lang)}</td>
                                    <td>{fmt_user(&d.deleted_by, lang)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </TableRegion>
            </section>
        }
    })
}

/// Deletes a milestone created by mistake (a typo in an import, a duplicate). Only milestones
/// in no closed Stichtag are offered: the others are part of frozen reports. A ticked box
/// confirms, so the form works the same with and without JavaScript.
#[component]
fn DeleteMilestoneForm(
    detail: ProjectDetail,
    echo: Option<FormEcho>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<Saved>>,
) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<DeleteMilestone>::new();
    let project_id = detail.project.id;
    Effect::new(move |_| {
        if let Some(Ok(title)) = action.value().get() {
            notice.set(Some(Saved::by_action(
                project_id,
                "loeschen",
                lang.pick(
                    format!("Der Meilenstein „{title}“ wurde gelöscht."),
                    format!("Milestone \"{title}\" has been deleted."),
                ),
            )));
            reload.update(|n| *n += 1);
        }
    });
    let value: Signal<Option<Result<i64, AppError>>> =
        Signal::derive(move || action.value().get().map(|result| result.map(|_| 0)));
    let choices: Vec<MilestoneRow> =
        detail.milestones.iter().filter(|m| detail.deletable.contains(&m.id)).cloned().collect();
    let selected = echoed(&echo, "milestone", String::new());
    let state = FormState::new(value, echo);
    view! {
        <section aria-labelledby="loeschen-titel" id="loeschen">
            <h2 id="loeschen-titel">{lang.t("Meilenstein löschen", "Delete a milestone")}</h2>
            <p class="hint">{lang.t(
                "Hier löschen Sie einen Meilenstein, der versehentlich angelegt wurde, etwa durch einen Import mit falsch geschriebenem Namen. Er verschwindet mit seinem Prognoseverlauf; seine Nummer wird nicht wieder vergeben, und die Liste der gelöschten Meilensteine nennt, wer ihn wann gelöscht hat. Meilensteine, die im Stand eines abgeschlossenen Stichtags stehen, bleiben erhalten, weil dessen Berichte sie zeigen; ihren Namen ändert ein Import mit der Meilenstein-Nr.",
                "Here you delete a milestone that was created by mistake, for instance by an import with a misspelt name. It goes with its forecast history; its number is not given again, and the list of deleted milestones shows who deleted it and when. Milestones in the state of a closed reporting date are kept, because that date's reports show them; an import with the Meilenstein-Nr changes their name.",
            )}</p>
            // Outside the form: a refusal (deleted meanwhile) or the confirmation shows even when
            // nothing is left to offer.
            {state.alert()}
            <SavedNotice notice project_id form="loeschen" text=lang.t("Der Meilenstein wurde gelöscht.", "The milestone has been deleted.")/>
            {if choices.is_empty() {
                view! { <p>{lang.t(
                    "Keiner der Meilensteine dieses Projekts lässt sich löschen: Alle stehen im Stand eines abgeschlossenen Stichtags.",
                    "None of this project's milestones can be deleted: all are in the state of a closed reporting date.",
                )}</p> }.into_any()
            } else {
                view! {
                    <ActionForm action attr:class="form" attr:novalidate=true>
                        <input type="hidden" name="project_id" value=project_id/>
                        <div class="field">
                            <label for="delete-milestone">{lang.t("Meilenstein", "Milestone")}</label>
                            <select id="delete-milestone" name="milestone" aria-invalid=state.invalid("milestone") aria-describedby="delete-milestone-error">
                                {choices.into_iter().map(|m| {
                                    let value = format!("{}:{}", m.id, m.version);
                                    let is_selected = value == selected;
                                    view! { <option value=value selected=is_selected>{format!("{} – {}", m.position + 1, m.title)}</option> }
                                }).collect_view()}
                            </select>
                            {state.messages("milestone", "delete-milestone-error".into())}
                        </div>
                        <div class="field checkbox">
                            <input type="checkbox" id="delete-confirm" name="confirm" value="ja" aria-invalid=state.invalid("confirm") aria-describedby="delete-confirm-error"/>
                            <label for="delete-confirm">{lang.t(
                                "Ja, diesen Meilenstein mit seinem Prognoseverlauf endgültig löschen",
                                "Yes, delete this milestone with its forecast history for good",
                            )}</label>
                        </div>
                        {state.messages("confirm", "delete-confirm-error".into())}
                        <button type="submit" class="danger">{lang.t("Meilenstein löschen", "Delete milestone")}</button>
                    </ActionForm>
                }.into_any()
            }}
        </section>
    }
}

#[component]
fn MilestoneTable(
    milestones: Vec<MilestoneRow>,
    history: Vec<ForecastEntry>,
    today: chrono::NaiveDate,
) -> impl IntoView {
    let lang = use_lang();
    view! {
        <section aria-labelledby="meilensteine">
            <h2 id="meilensteine">{lang.t("Meilensteine", "Milestones")}</h2>
            <TableRegion labelled_by="meilensteine">
                <table class="data milestones">
                    <thead><tr>
                        // The running number the export writes as Meilenstein-Nr (DIG-0042/3).
                        <th scope="col" class="num">{lang.t("Nr.", "No.")}</th>
                        <th scope="col">{lang.t("Meilenstein", "Milestone")}</th>
                        <th scope="col">{lang.t("Basistermin", "Baseline")}</th>
                        <th scope="col">{lang.t("Prognose", "Forecast")}</th>
                        <th scope="col">{lang.t("Ist-Termin", "Actual")}</th>
                        <th scope="col" class="num">{lang.t("Abweichung (Tage)", "Deviation (days)")}</th>
                        <th scope="col">{lang.t("Status", "State")}</th>
                        <th scope="col">{lang.t("Prognoseverlauf", "Forecast history")}</th>
                    </tr></thead>
                    <tbody>
                        {milestones.into_iter().map(|m| {
                            let deviation = m.deviation_days();
                            let state = m.state_label(today, lang);
                            let entries: Vec<ForecastEntry> = history.iter().filter(|h| h.milestone_id == m.id).cloned().collect();
                            view! {
                                <tr id=format!("ms-{}", m.id)>
                                    <td class="num">{m.position + 1}</td>
                                    <th scope="row">{m.title.clone()}{m.is_key.then(|| view! { " " <span class="tag">{lang.t("Schlüsselmeilenstein", "key milestone")}</span> })}</th>
                                    <td>{fmt_date(m.baseline_date, lang)}</td>
                                    <td>{fmt_date(m.forecast_date, lang)}</td>
                                    <td>{fmt_opt_date(m.actual_date, lang)}</td>
                                    <td class="num">{fmt_signed(deviation, lang)}</td>
                                    <td>{state}</td>
                                    <td><HistoryList entries lang/></td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </TableRegion>
        </section>
    }
}

#[component]
fn HistoryList(entries: Vec<ForecastEntry>, lang: Lang) -> impl IntoView {
    if entries.is_empty() {
        return view! { <span>"–"</span> }.into_any();
    }
    let count = entries.len();
    view! {
        <details>
            <summary>{match (count, lang) {
                (1, Lang::De) => "1 Eintrag".to_string(),
                (1, Lang::En) => "1 entry".to_string(),
                (n, _) => lang.pick(format!("{n} Einträge"), format!("{n} entries")),
            }}</summary>
            <ol class="history">
                {entries.into_iter().map(|h| view! {
                    <li>
                        {fmt_date(h.reported_on, lang)}": "{fmt_date(h.forecast_date, lang)}
                        {h.reached.then(|| view! { " (" {lang.t("erreicht", "reached")} ")" })}
                        {(!h.reason.is_empty()).then(|| view! { " – "{h.reason.clone()} })}
                        " · "{fmt_user(&h.recorded_by, lang)}
                    </li>
                }).collect_view()}
            </ol>
        </details>
    }
    .into_any()
}

/// The errors to show for a form: from the background save (JavaScript) if there was one,
/// otherwise from the redirect after a plain post.
fn form_errors(
    action_value: Option<Result<i64, AppError>>,
    echo: &Option<FormEcho>,
) -> (Vec<FieldError>, Option<AppError>) {
    match action_value {
        Some(Err(e)) => (e.field_errors().to_vec(), Some(e)),
        Some(Ok(_)) => (Vec::new(), None),
        None => match echo {
            Some(echo) if !echo.saved && echo.errors.is_empty() => (Vec::new(), Some(AppError::Internal)),
            Some(echo) if !echo.saved => (echo.errors.clone(), Some(AppError::Invalid(echo.errors.clone()))),
            _ => (Vec::new(), None),
        },
    }
}

/// The value to show in a field: what the user sent in a refused plain post, else `current`.
fn echoed(echo: &Option<FormEcho>, field: &str, current: String) -> String {
    echo.as_ref().and_then(|e| e.value(field).map(str::to_string)).unwrap_or(current)
}

/// A form's current errors. Only messages and `aria-invalid` react to them; the inputs are
/// rendered once, so what the user typed stays in place after a refused save.
#[derive(Clone, Copy)]
struct FormState {
    errors: Memo<(Vec<FieldError>, Option<AppError>)>,
}

impl FormState {
    fn new(value: Signal<Option<Result<i64, AppError>>>, echo: Option<FormEcho>) -> FormState {
        FormState { errors: Memo::new(move |_| form_errors(value.get(), &echo)) }
    }

    fn invalid(self, field: &'static str) -> impl Fn() -> Option<&'static str> + Clone + Send + Sync + 'static {
        move || self.errors.with(|(e, _)| e.iter().any(|x| x.field == field)).then_some("true")
    }

    fn messages(self, field: &'static str, id: String) -> impl IntoView {
        move || {
            let errors: Vec<FieldError> =
                self.errors.with(|(e, _)| e.iter().filter(|x| x.field == field).cloned().collect());
            view! { <FieldMessages id=id.clone() errors/> }
        }
    }

    fn alert(self) -> impl IntoView {
        move || view! { <FormAlert error=self.errors.with(|(_, a)| a.clone())/> }
    }
}

/// The last save on this page that succeeded, confirmed in the form that was sent (its anchor
/// is where the browser scrolls after a plain post). A background save brings its own `text`,
/// which is also announced; after a plain post only the redirect's echo is known, and the form
/// says it in its own words.
#[derive(Clone, Debug, PartialEq)]
struct Saved {
    project: i64,
    form: String,
    text: Option<String>,
}

impl Saved {
    fn by_action(project: i64, form: &str, text: String) -> Saved {
        Saved { project, form: form.to_string(), text: Some(text) }
    }
}

/// The confirmation inside a form, when the last save was this form's.
#[component]
fn SavedNotice(
    notice: RwSignal<Option<Saved>>,
    project_id: i64,
    #[prop(into)] form: String,
    #[prop(into)] text: String,
) -> impl IntoView {
    let node = NodeRef::new();
    reveal(node);
    move || {
        notice.get().filter(|saved| saved.project == project_id && saved.form == form).map(|saved| {
            view! { <div class="alert alert-success" node_ref=node>{saved.text.unwrap_or_else(|| text.clone())}</div> }
        })
    }
}

/// Banner at the top of a form: which fields failed, or the conflict.
#[component]
fn FormAlert(error: Option<AppError>) -> impl IntoView {
    let lang = use_lang();
    let node = NodeRef::new();
    reveal(node);
    error.map(|e| view! { <div class="alert alert-error" role="alert" node_ref=node>{e.message(lang)}</div> })
}

/// Scrolls a form's message into view, as little as needed, when it appears. The messages stand
/// at the top of their form, where a plain post's redirect scrolls to; after a background save
/// the user is at the button, and the top of a long form (the status) can be off the screen.
fn reveal(node: NodeRef<leptos::html::Div>) {
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        if let Some(element) = node.get() {
            let options = web_sys::ScrollIntoViewOptions::new();
            options.set_block(web_sys::ScrollLogicalPosition::Nearest);
            element.scroll_into_view_with_scroll_into_view_options(&options);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = node;
    });
}

#[component]
fn StatusForm(
    detail: ProjectDetail,
    echo: Option<FormEcho>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<Saved>>,
) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveProjectStatus>::new();
    let p = detail.project.clone();
    let project_id = p.id;
    let saved_text = lang.t("Der Projektstatus wurde gespeichert.", "The project status has been saved.");
    Effect::new(move |_| {
        if let Some(Ok(_)) = action.value().get() {
            notice.set(Some(Saved::by_action(project_id, "status", saved_text.into())));
            reload.update(|n| *n += 1);
        }
    });
    let value = |field: &str, current: String| echoed(&echo, field, current);
    let department = value("department_id", p.department_id.to_string());
    let lotse = value("lotse_id", p.lotse_id.map(|v| v.to_string()).unwrap_or_default());
    let ampel = value("ampel", p.ampel.clone());
    let reason = value("ampel_reason", p.ampel_reason.clone());
    let percent = value("percent_done", p.percent_done.to_string());
    let state = FormState::new(action.value().into(), echo);
    view! {
        <section aria-labelledby="status-titel" id="status">
            <h2 id="status-titel">{lang.t("Status und Zuständigkeit ändern", "Change status and ownership")}</h2>
            <ActionForm action attr:class="form" attr:novalidate=true>
                {state.alert()}
                <SavedNotice notice project_id form="status" text=saved_text/>
                <input type="hidden" name="project_id" value=p.id/>
                <input type="hidden" name="version" value=p.version/>
                <div class="field">
                    <label for="department_id">{lang.t("Fachbereich", "Department")}</label>
                    <select id="department_id" name="department_id" aria-invalid=state.invalid("department_id") aria-describedby="department_id-error">
                        <ChoiceOptions choices=detail.departments.clone() selected=department empty=None/>
                    </select>
                    {state.messages("department_id", "department_id-error".into())}
                </div>
                <div class="field">
                    <label for="lotse_id">{lang.t("Lotse/Lotsin (Funktion)", "Pilot (role)")}</label>
                    <select id="lotse_id" name="lotse_id" aria-invalid=state.invalid("lotse_id") aria-describedby="lotse_id-error">
                        <ChoiceOptions choices=detail.lotsen.clone() selected=lotse empty=Some(lang.t("nicht besetzt", "vacant"))/>
                    </select>
                    {state.messages("lotse_id", "lotse_id-error".into())}
                </div>
                <fieldset class="field" aria-describedby="ampel-error">
                    <legend>{lang.t("Ampel", "Status")}</legend>
                    {Ampel::ALL.iter().map(|a| {
                        let id = format!("ampel-{}", a.code());
                        let label_for = id.clone();
                        view! {
                            <label class="radio" for=label_for>
                                <input type="radio" id=id name="ampel" value=a.code() checked=ampel == a.code()/>
                                <span class=format!("ampel ampel-{}", a.code())><span aria-hidden="true">{a.symbol()}</span>" "{a.label(lang)}</span>
                            </label>
                        }
                    }).collect_view()}
                    {state.messages("ampel", "ampel-error".into())}
                </fieldset>
                <div class="field">
                    <label for="ampel_reason">{lang.t("Begründung (Pflicht bei Gelb und Rot)", "Reason (required for yellow and red)")}</label>
                    <textarea id="ampel_reason" name="ampel_reason" rows="3" maxlength="2000" aria-invalid=state.invalid("ampel_reason") aria-describedby="ampel_reason-error">{reason}</textarea>
                    {state.messages("ampel_reason", "ampel_reason-error".into())}
                </div>
                <div class="field">
                    <label for="percent_done">{lang.t("Fertigstellungsgrad in %", "Percent done")}</label>
                    <input id="percent_done" name="percent_done" type="text" inputmode="numeric" size="4" value=percent aria-invalid=state.invalid("percent_done") aria-describedby="percent_done-error"/>
                    {state.messages("percent_done", "percent_done-error".into())}
                </div>
                <button type="submit">{lang.t("Status speichern", "Save status")}</button>
            </ActionForm>
        </section>
    }
}

#[component]
fn ChoiceOptions(choices: Vec<Choice>, selected: String, empty: Option<&'static str>) -> impl IntoView {
    view! {
        {empty.map(|text| view! { <option value="" selected=selected.is_empty()>{text}</option> })}
        {choices.into_iter().map(|c| {
            let is_selected = c.id.to_string() == selected;
            view! { <option value=c.id.to_string() selected=is_selected>{c.label}</option> }
        }).collect_view()}
    }
}

#[component]
fn MilestoneForm(
    project_id: i64,
    milestone: MilestoneRow,
    echo: Option<FormEcho>,
    reload: RwSignal<u32>,
    notice: RwSignal<Option<Saved>>,
) -> impl IntoView {
    let lang = use_lang();
    let action = ServerAction::<SaveMilestone>::new();
    let title = milestone.title.clone();
    let form_key = format!("m-{}", milestone.id);
    let saved_text = lang.pick(
        format!("Die Termine von „{title}“ wurden gespeichert."),
        format!("The dates of \"{title}\" have been saved."),
    );
    Effect::new({
        let (form_key, saved_text) = (form_key.clone(), saved_text.clone());
        move |_| {
            if let Some(Ok(_)) = action.value().get() {
                notice.set(Some(Saved::by_action(project_id, &form_key, saved_text.clone())));
                reload.update(|n| *n += 1);
            }
        }
    });
    let m = milestone.clone();
    let anchor = form_key.clone();
    let id = {
        let prefix = format!("m{}", m.id);
        move |f: &str| format!("{prefix}-{f}")
    };
    let value = |field: &str, current: String| echoed(&echo, field, current);
    let forecast = value("forecast_date", m.forecast_date.to_string());
    let actual = value("actual_date", m.actual_date.map(|d| d.to_string()).unwrap_or_default());
    let reason = value("reason", String::new());
    let state = FormState::new(action.value().into(), echo);
    view! {
        <div class="milestone-form" id=anchor data-state=if m.actual_date.is_some() { "erreicht" } else { "offen" }>
            <ActionForm action attr:class="form form-inline" attr:novalidate=true>
                <fieldset>
                    <legend>{title.clone()}<span class="legend-note">" · "{lang.t("Basistermin", "Baseline")}" "{fmt_date(m.baseline_date, lang)}</span></legend>
                    {state.alert()}
                    <SavedNotice notice project_id form=form_key text=saved_text/>
                    <input type="hidden" name="project_id" value=project_id/>
                    <input type="hidden" name="milestone_id" value=m.id/>
                    <input type="hidden" name="version" value=m.version/>
                    <div class="field">
                        <label for=id("forecast_date")>{lang.t("Prognose", "Forecast")}</label>
                        <input id=id("forecast_date") name="forecast_date" type="date" value=forecast aria-invalid=state.invalid("forecast_date") aria-describedby=id("forecast_date-error")/>
                        {state.messages("forecast_date", id("forecast_date-error"))}
                    </div>
                    <div class="field">
                        <label for=id("actual_date")>{lang.t("Ist-Termin (erreicht am)", "Actual date (reached on)")}</label>
                        <input id=id("actual_date") name="actual_date" type="date" value=actual aria-invalid=state.invalid("actual_date") aria-describedby=id("actual_date-error")/>
                        {state.messages("actual_date", id("actual_date-error"))}
                    </div>
                    <div class="field field-wide">
                        <label for=id("reason")>{lang.t("Begründung der Änderung (optional)", "Reason for the change (optional)")}</label>
                        <input id=id("reason") name="reason" type="text" maxlength="2000" value=reason aria-invalid=state.invalid("reason") aria-describedby=id("reason-error")/>
                        {state.messages("reason", id("reason-error"))}
                    </div>
                    <button type="submit">{lang.t("Termine speichern", "Save dates")}<span class="visually-hidden">": "{title.clone()}</span></button>
                </fieldset>
            </ActionForm>
        </div>
    }
}
