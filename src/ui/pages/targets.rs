//! Programme targets (`/ziele`, `/ziele/:id`): each target with its current value, trajectory,
//! forecast date and an on/off-track verdict in one sentence; forms to create and change
//! targets and to record the value of a custom figure. All forms are plain posts.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::form::FormEcho;
use crate::api::targets::{TargetView, load_target, load_targets, verdict_label, verdict_symbol};
use crate::domain::forecast::Forecast;
use crate::domain::{TargetMetric, fmt_date};
use crate::error::AppError;
use crate::ui::{
    EchoAlert, FieldMessages, LoadError, NotFound, TableRegion, echo_errors, echo_value, use_form_echo, use_id_param,
    use_lang,
};

/// The target's current value against its target, e.g. "62,5 % von 100,0 %".
fn progress(t: &TargetView, lang: crate::domain::Lang) -> String {
    let target = t.metric.show(t.target_value, lang);
    match t.current() {
        Some(v) => lang.pick(
            format!("{} von {target}", t.metric.show(v, lang)),
            format!("{} of {target}", t.metric.show(v, lang)),
        ),
        None => lang.pick(format!("– von {target}"), format!("– of {target}")),
    }
}

fn expected(t: &TargetView, lang: crate::domain::Lang) -> String {
    match t.forecast() {
        Forecast::Expected { date, .. } => fmt_date(date, lang),
        Forecast::Reached { on } => fmt_date(on, lang),
        Forecast::Stalled => lang.t("nicht absehbar", "not in sight").into(),
        Forecast::NoHistory => "–".into(),
    }
}

#[component]
pub fn TargetsPage() -> impl IntoView {
    let lang = use_lang();
    let echo = use_form_echo();
    let data = Resource::new(|| (), |_| load_targets());
    view! {
        <Title text=lang.t("Programmziele", "Programme targets")/>
        <h1>{lang.t("Programmziele und Prognosen", "Programme targets and forecasts")}</h1>
        <p class="lead">{lang.t(
            "Für jedes Ziel: aktueller Stand, Verlauf über die Stichtage, wann es beim bisherigen Tempo erreicht wird, und ob das für die Frist reicht.",
            "For each target: the current value, its course over the reporting dates, when it is reached at the current pace, and whether that meets the deadline.",
        )}</p>
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || {
                let echo = echo.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(list) => view! {
                            <TableRegion labelled_by="ziele-tabelle">
                                <table class="data" id="ziele">
                                    <caption id="ziele-tabelle">{lang.t("Programmziele mit Prognose", "Programme targets with forecast")}</caption>
                                    <thead><tr>
                                        <th scope="col">{lang.t("Ziel", "Target")}</th>
                                        <th scope="col">{lang.t("Kennzahl", "Metric")}</th>
                                        <th scope="col">{lang.t("Stand", "Current")}</th>
                                        <th scope="col">{lang.t("Frist", "Deadline")}</th>
                                        <th scope="col">{lang.t("Erwartet", "Expected")}</th>
                                        <th scope="col">{lang.t("Bewertung", "Verdict")}</th>
                                    </tr></thead>
                                    <tbody>
                                        {list.targets.iter().map(|t| view! { <TargetRow t=t.clone()/> }).collect_view()}
                                    </tbody>
                                </table>
                            </TableRegion>
                            <TargetForm echo=echo.clone() target=None/>
                        }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// One target as a table row; the leadership page shows the same rows.
#[component]
pub fn TargetRow(t: TargetView) -> impl IntoView {
    let lang = use_lang();
    let v = t.verdict();
    view! {
        <tr>
            <th scope="row"><a href=format!("/ziele/{}", t.id)>{t.name.clone()}</a></th>
            <td>{t.metric_label(lang)}</td>
            <td>{progress(&t, lang)}</td>
            <td>{fmt_date(t.deadline, lang)}</td>
            <td>{expected(&t, lang)}</td>
            <td><span class=format!("verdict verdict-{v:?}").to_lowercase()><span aria-hidden="true">{verdict_symbol(v)}</span>" "{verdict_label(v, lang)}</span>
                <br/><span class="hint">{t.explain(lang)}</span></td>
        </tr>
    }
}

#[component]
pub fn TargetPage() -> impl IntoView {
    let lang = use_lang();
    let echo = use_form_echo();
    let id = use_id_param("id");
    let data = Resource::new(
        move || id.get(),
        |id| async move {
            match id {
                Some(id) => load_target(id).await,
                None => Err(AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=move || view! { <p>{lang.t("Lädt …", "Loading …")}</p> }>
            {move || {
                let echo = echo.clone();
                Suspend::new(async move {
                    match data.await {
                        Err(AppError::NotFound) => view! { <NotFound/> }.into_any(),
                        Err(e) => view! { <LoadError error=e/> }.into_any(),
                        Ok(t) => {
                            let v = t.verdict();
                            let (history, metric) = (t.history.clone(), t.metric);
                            // A new target's page opens with the confirmation (the redirect's anchor);
                            // a change or a value is confirmed in its own form.
                            let created = echo.as_ref().is_some_and(|e| e.saved && e.form == "angelegt");
                            view! {
                                <Title text=t.name.clone()/>
                                <p class="breadcrumb"><a href="/ziele">{lang.t("Programmziele", "Programme targets")}</a>" › "{t.name.clone()}</p>
                                <h1>{t.name.clone()}</h1>
                                {created.then(|| view! { <p class="alert alert-success" role="status" id="angelegt">{lang.t("Das Ziel wurde angelegt.", "The target has been created.")}</p> })}
                                <dl class="facts">
                                    <dt>{lang.t("Kennzahl", "Metric")}</dt><dd>{t.metric_label(lang)}</dd>
                                    <dt>{lang.t("Stand", "Current")}</dt><dd>{progress(&t, lang)}</dd>
                                    <dt>{lang.t("Frist", "Deadline")}</dt><dd>{fmt_date(t.deadline, lang)}</dd>
                                    <dt>{lang.t("Erwartet", "Expected")}</dt><dd>{expected(&t, lang)}</dd>
                                    <dt>{lang.t("Bewertung", "Verdict")}</dt>
                                    <dd id="ziel-bewertung"><span aria-hidden="true">{verdict_symbol(v)}</span>" "<strong>{verdict_label(v, lang)}</strong>" – "{t.explain(lang)}</dd>
                                </dl>
                                <TableRegion labelled_by="ziel-verlauf-tabelle">
                                    <table class="data" id="ziel-verlauf">
                                        <caption id="ziel-verlauf-tabelle">{lang.t("Verlauf der Kennzahl", "Course of the metric")}</caption>
                                        <thead><tr><th scope="col">{lang.t("Datum", "Date")}</th><th scope="col" class="num">{lang.t("Wert", "Value")}</th></tr></thead>
                                        <tbody>
                                            {history.iter().map(|o| view! {
                                                <tr><td>{fmt_date(o.date, lang)}</td><td class="num">{metric.show(o.value, lang)}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                </TableRegion>
                                {(t.metric == TargetMetric::Custom).then(|| view! { <ValueForm id=t.id echo=echo.clone()/> })}
                                <TargetForm echo=echo.clone() target=Some(t.clone())/>
                            }.into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn ValueForm(id: i64, echo: Option<FormEcho>) -> impl IntoView {
    let lang = use_lang();
    let (date_errors, value_errors) = (echo_errors(&echo, "wert", "as_of"), echo_errors(&echo, "wert", "value"));
    view! {
        <section id="wert" aria-labelledby="wert-titel">
            <h2 id="wert-titel">{lang.t("Stand der Kennzahl erfassen", "Record the figure")}</h2>
            <EchoAlert echo=echo.clone() form="wert" saved=lang.t("Der Wert wurde gespeichert.", "The value has been saved.")/>
            <form method="post" action=format!("/ziele/{id}/wert") class="form form-inline" novalidate>
                <div class="field">
                    <label for="as_of">{lang.t("Stichtag der Zählung", "Counted on")}</label>
                    <input id="as_of" name="as_of" type="date" value=echo_value(&echo, "wert", "as_of", String::new()) aria-invalid=(!date_errors.is_empty()).then_some("true") aria-describedby="as_of-error"/>
                    <FieldMessages id="as_of-error" errors=date_errors/>
                </div>
                <div class="field">
                    <label for="value">{lang.t("Wert", "Value")}</label>
                    <input id="value" name="value" type="text" inputmode="decimal" value=echo_value(&echo, "wert", "value", String::new()) aria-invalid=(!value_errors.is_empty()).then_some("true") aria-describedby="value-error"/>
                    <FieldMessages id="value-error" errors=value_errors/>
                </div>
                <button type="submit">{lang.t("Wert speichern", "Save value")}</button>
            </form>
        </section>
    }
}

#[component]
fn TargetForm(echo: Option<FormEcho>, target: Option<TargetView>) -> impl IntoView {
    let lang = use_lang();
    let form = if target.is_some() { "aendern" } else { "neu" };
    let action = target.as_ref().map_or("/ziele/neu".to_string(), |t| format!("/ziele/{}/aendern", t.id));
    let value = |field: &str, current: String| echo_value(&echo, form, field, current);
    let name = value("name", target.as_ref().map(|t| t.name.clone()).unwrap_or_default());
    let metric = value("metric", target.as_ref().map(|t| t.metric.code().to_string()).unwrap_or_default());
    let param = value(
        "metric_param",
        target.as_ref().and_then(|t| t.metric_param).map(|n| n.to_string()).unwrap_or_else(|| "3".into()),
    );
    let goal = value(
        "target_value",
        target.as_ref().map(|t| t.target_value.to_string().replace('.', ",")).unwrap_or_default(),
    );
    let deadline = value("deadline", target.as_ref().map(|t| t.deadline.to_string()).unwrap_or_default());
    let errors = |field: &str| echo_errors(&echo, form, field);
    let invalid = |field: &str| (!errors(field).is_empty()).then_some("true");
    view! {
        <section id=form aria-labelledby=format!("{form}-titel")>
            <h2 id=format!("{form}-titel")>{if target.is_some() { lang.t("Ziel ändern", "Change the target") } else { lang.t("Neues Ziel anlegen", "Create a target") }}</h2>
            <form method="post" action=action class="form" novalidate>
                <EchoAlert echo=echo.clone() form=form saved=lang.t("Das Ziel wurde gespeichert.", "The target has been saved.")/>
                <div class="field">
                    <label for=format!("{form}-name")>{lang.t("Bezeichnung", "Name")}</label>
                    <input id=format!("{form}-name") name="name" type="text" maxlength="300" value=name aria-invalid=invalid("name") aria-describedby=format!("{form}-name-error")/>
                    <FieldMessages id=format!("{form}-name-error") errors=errors("name")/>
                </div>
                <div class="field">
                    <label for=format!("{form}-metric")>{lang.t("Kennzahl", "Metric")}</label>
                    <select id=format!("{form}-metric") name="metric" aria-invalid=invalid("metric") aria-describedby=format!("{form}-metric-error")>
                        {TargetMetric::ALL.iter().map(|m| view! { <option value=m.code() selected=metric == m.code()>{m.label(lang)}</option> }).collect_view()}
                    </select>
                    <FieldMessages id=format!("{form}-metric-error") errors=errors("metric")/>
                </div>
                <div class="field">
                    <label for=format!("{form}-param")>{lang.t("Reifegrad N (nur für „Anteil ab Reifegrad N“)", "Maturity N (only for \"share at maturity ≥ N\")")}</label>
                    <input id=format!("{form}-param") name="metric_param" type="text" inputmode="numeric" size="3" value=param aria-invalid=invalid("metric_param") aria-describedby=format!("{form}-param-error")/>
                    <FieldMessages id=format!("{form}-param-error") errors=errors("metric_param")/>
                </div>
                <div class="field">
                    <label for=format!("{form}-value")>{lang.t("Zielwert (Prozent bei Anteilen und Quoten, sonst Anzahl)", "Target value (percent for shares and rates, else a count)")}</label>
                    <input id=format!("{form}-value") name="target_value" type="text" inputmode="decimal" value=goal aria-invalid=invalid("target_value") aria-describedby=format!("{form}-value-error")/>
                    <FieldMessages id=format!("{form}-value-error") errors=errors("target_value")/>
                </div>
                <div class="field">
                    <label for=format!("{form}-deadline")>{lang.t("Frist", "Deadline")}</label>
                    <input id=format!("{form}-deadline") name="deadline" type="date" value=deadline aria-invalid=invalid("deadline") aria-describedby=format!("{form}-deadline-error")/>
                    <FieldMessages id=format!("{form}-deadline-error") errors=errors("deadline")/>
                </div>
                <button type="submit">{if target.is_some() { lang.t("Ziel speichern", "Save target") } else { lang.t("Ziel anlegen", "Create target") }}</button>
            </form>
        </section>
    }
}
