//! Components (props only, no data loading) and pages (each loads its own data through
//! `crate::api`). Every text is German first with its English counterpart beside it.

pub mod pages;

use leptos::prelude::*;

use crate::domain::{Ampel, FieldError, Lang, Phase};
use crate::error::AppError;

/// The language of this request: from the `lang` cookie on the server; in the browser from the
/// `<html lang>` the server rendered, so that hydration sees the same texts.
pub fn current_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts.headers.get(http::header::COOKIE).and_then(|v| v.to_str().ok()).map(Lang::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .map(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
}

pub fn use_lang() -> Lang {
    use_context::<Lang>().unwrap_or_default()
}

/// Ampel as symbol plus word: colour never carries the meaning alone.
#[component]
pub fn AmpelBadge(#[prop(into)] code: String) -> impl IntoView {
    let lang = use_lang();
    match Ampel::parse(&code) {
        Some(ampel) => view! {
            <span class=format!("ampel ampel-{}", ampel.code())>
                <span aria-hidden="true">{ampel.symbol()}</span>" "{ampel.label(lang)}
            </span>
        }
        .into_any(),
        None => view! { <span>{code}</span> }.into_any(),
    }
}

pub fn phase_label(code: &str, lang: Lang) -> String {
    Phase::parse(code).map(|p| p.label(lang).to_string()).unwrap_or_else(|| code.to_string())
}

/// The messages for one form field, linked to the input by `id` for `aria-describedby`.
#[component]
pub fn FieldMessages(#[prop(into)] id: String, errors: Vec<FieldError>) -> impl IntoView {
    let lang = use_lang();
    (!errors.is_empty()).then(|| {
        view! {
            <p class="field-error" id=id>
                {errors.iter().map(|e| view! { <span>{e.message(lang)}" "</span> }).collect_view()}
            </p>
        }
    })
}

/// Pagination as plain links; `href` builds the link for a page number.
#[component]
pub fn Pager(page: i64, pages: i64, href: Callback<i64, String>) -> impl IntoView {
    let lang = use_lang();
    (pages > 1).then(|| {
        let shown: Vec<i64> = (1..=pages).filter(|p| *p == 1 || *p == pages || (p - page).abs() <= 2).collect();
        let mut last = 0;
        let items = shown
            .into_iter()
            .map(|p| {
                let gap = p - last > 1;
                last = p;
                let link = if p == page {
                    view! { <span aria-current="page" class="current">{p}</span> }.into_any()
                } else {
                    view! { <a href=href.run(p) aria-label=format!("{} {p}", lang.t("Seite", "Page"))>{p}</a> }.into_any()
                };
                view! { <li>{gap.then_some("… ")}{link}</li> }
            })
            .collect_view();
        view! {
            <nav class="pager" aria-label=lang.t("Seitenwechsel", "Pagination")>
                <ul>
                    {(page > 1).then(|| view! { <li><a href=href.run(page - 1) rel="prev">{lang.t("« Zurück", "« Previous")}</a></li> })}
                    {items}
                    {(page < pages).then(|| view! { <li><a href=href.run(page + 1) rel="next">{lang.t("Weiter »", "Next »")}</a></li> })}
                </ul>
            </nav>
        }
    })
}

/// The frame of every data table: on a narrow screen the table scrolls inside it instead of
/// widening the page (WCAG 1.4.10, reflow at 320 px), and the keyboard reaches it (`tabindex`)
/// under the name of the table's caption or heading, whose element id `labelled_by` gives.
#[component]
pub fn TableRegion(#[prop(into)] labelled_by: String, children: Children) -> impl IntoView {
    view! {
        <div class="table-scroll" role="region" aria-labelledby=labelled_by tabindex="0">
            {children()}
        </div>
    }
}

/// Shown when a page's data cannot be loaded: 404 for unknown records, a German sentence
/// otherwise.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let lang = use_lang();
    match error {
        AppError::NotFound => view! { <NotFound/> }.into_any(),
        other => view! { <div class="alert alert-error" role="alert">{other.message(lang)}</div> }.into_any(),
    }
}

/// The 404 page. On the server it also sets the status code, so that links checkers and
/// monitoring see a real 404.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    {
        // Only the SSR build has a response to set the status on.
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    let lang = use_lang();
    view! {
        <leptos_meta::Title text=lang.t("Seite nicht gefunden", "Page not found")/>
        <h1>{lang.t("Seite nicht gefunden", "Page not found")}</h1>
        <p>
            {lang.t(
                "Die aufgerufene Seite oder der gesuchte Eintrag existiert nicht (Fehler 404). Bitte prüfen Sie die Adresse oder beginnen Sie auf der ",
                "The page or entry you asked for does not exist (error 404). Please check the address or start again from the ",
            )}
            <a href="/">{lang.t("Startseite", "home page")}</a>"."
        </p>
    }
}

/// The outcome of the last plain form post, handed back in `?form=` (see `api::form`).
pub fn use_form_echo() -> Option<crate::api::form::FormEcho> {
    leptos_router::hooks::use_query_map()
        .with_untracked(|q| q.get("form").and_then(|raw| crate::api::form::FormEcho::from_param(&raw)))
}

/// Success or failure of the plain form post `form`, if the last post was that form: the
/// confirmation `saved`, or the refusal's summary (the field messages stand at the fields).
#[component]
pub fn EchoAlert(echo: Option<crate::api::form::FormEcho>, form: &'static str, saved: &'static str) -> impl IntoView {
    let lang = use_lang();
    echo.filter(|e| e.form == form).map(|e| {
        if e.saved {
            view! { <p class="alert alert-success" role="status">{saved}</p> }.into_any()
        } else {
            let general: Vec<String> =
                e.errors.iter().filter(|x| x.field.is_empty()).map(|x| x.message(lang)).collect();
            let text =
                if general.is_empty() { AppError::Invalid(e.errors.clone()).message(lang) } else { general.join(" ") };
            view! { <div class="alert alert-error" role="alert">{text}</div> }.into_any()
        }
    })
}

/// The errors the last post of form `form` had at `field`.
pub fn echo_errors(echo: &Option<crate::api::form::FormEcho>, form: &str, field: &str) -> Vec<FieldError> {
    echo.as_ref().filter(|e| e.form == form).map(|e| e.errors_for(field).cloned().collect()).unwrap_or_default()
}

/// What to show in a field: the value typed into a refused post of form `form`, else `current`.
pub fn echo_value(echo: &Option<crate::api::form::FormEcho>, form: &str, field: &str, current: String) -> String {
    echo.as_ref()
        .filter(|e| e.form == form && !e.saved)
        .and_then(|e| e.value(field).map(str::to_string))
        .unwrap_or(current)
}

/// A positive integer id from the route (`/projekte/:id`); anything else is `None`, which the
/// pages answer with their 404.
pub fn use_id_param(name: &'static str) -> Memo<Option<i64>> {
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| params.with(|p| p.get(name).and_then(|v| v.parse::<i64>().ok()).filter(|v| *v > 0)))
}
