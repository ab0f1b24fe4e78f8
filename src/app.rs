//! The HTML shell, the route table and the layout every page shares (skip link, navigation,
//! language switch, footer with the accessibility statement).

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::{SsrMode, path};

use crate::domain::Lang;
use crate::ui::pages::{
    accessibility::AccessibilityPage, adherence::AdherencePage, coverage::CoveragePage, departments::DepartmentPage,
    departments::DepartmentsPage, home::HomePage, imports::ImportPage, imports::ImportsPage,
    leadership::LeadershipPage, mta::MtaPage, mta::PortfolioMtaPage, people::PeoplePage, portfolio::PortfolioPage,
    project::ProjectPage, quality::QualityPage, report::StatusReportPage, reporting::ComparePage,
    reporting::MyReportsPage, reporting::SachstandPage, reporting::StichtagPage, reporting::StichtagePage,
    services::ServicesPage, targets::TargetPage, targets::TargetsPage, usage::UsagePage,
};
use crate::ui::{NotFound, current_lang};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    let lang = current_lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
                // In the shell, not on the import pages: a page reached through the app's own
                // links is rendered in the browser, and a script in it would not run.
                <script src="/import.js" defer></script>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let lang = current_lang();
    provide_context(lang);
    // Every page loads its data before the first byte is sent (SsrMode::Async): the page is
    // complete without JavaScript and a missing record can still answer with status 404.
    view! {
        <Stylesheet id="leptos" href="/pkg/leitstand.css"/>
        <Title formatter=|title: String| format!("{title} – Leitstand")/>
        <Router>
            <Layout>
                <Routes fallback=|| view! { <NotFound/> }>
                    <Route path=path!("/") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("/projekte") view=PortfolioPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekte/:id") view=ProjectPage ssr=SsrMode::Async/>
                    <Route path=path!("/projekte/:id/mta") view=MtaPage ssr=SsrMode::Async/>
                    <Route path=path!("/leistungen") view=ServicesPage ssr=SsrMode::Async/>
                    <Route path=path!("/fachbereiche") view=DepartmentsPage ssr=SsrMode::Async/>
                    <Route path=path!("/fachbereiche/:id") view=DepartmentPage ssr=SsrMode::Async/>
                    <Route path=path!("/personen") view=PeoplePage ssr=SsrMode::Async/>
                    <Route path=path!("/datenqualitaet") view=QualityPage ssr=SsrMode::Async/>
                    <Route path=path!("/leitung") view=LeadershipPage ssr=SsrMode::Async/>
                    <Route path=path!("/nutzung") view=UsagePage ssr=SsrMode::Async/>
                    <Route path=path!("/abdeckung") view=CoveragePage ssr=SsrMode::Async/>
                    <Route path=path!("/termintreue") view=AdherencePage ssr=SsrMode::Async/>
                    <Route path=path!("/mta") view=PortfolioMtaPage ssr=SsrMode::Async/>
                    <Route path=path!("/ziele") view=TargetsPage ssr=SsrMode::Async/>
                    <Route path=path!("/ziele/:id") view=TargetPage ssr=SsrMode::Async/>
                    <Route path=path!("/stichtage") view=StichtagePage ssr=SsrMode::Async/>
                    <Route path=path!("/stichtage/:id") view=StichtagPage ssr=SsrMode::Async/>
                    <Route path=path!("/stichtage/:id/projekte/:project") view=SachstandPage ssr=SsrMode::Async/>
                    <Route path=path!("/stichtage/:id/bericht") view=StatusReportPage ssr=SsrMode::Async/>
                    <Route path=path!("/meine-berichte") view=MyReportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/vergleich") view=ComparePage ssr=SsrMode::Async/>
                    <Route path=path!("/import") view=ImportsPage ssr=SsrMode::Async/>
                    <Route path=path!("/import/:id") view=ImportPage ssr=SsrMode::Async/>
                    <Route path=path!("/barrierefreiheit") view=AccessibilityPage/>
                </Routes>
            </Layout>
        </Router>
    }
}

#[component]
fn Layout(children: Children) -> impl IntoView {
    let lang = expect_context::<Lang>();
    let location = use_location();
    let other = match lang {
        Lang::De => Lang::En,
        Lang::En => Lang::De,
    };
    let switch_href = move || {
        let back = format!(
            "{}{}",
            location.pathname.get(),
            location
                .search
                .get()
                .trim_start_matches('?')
                .split('&')
                .filter(|p| !p.starts_with("form=") && !p.is_empty())
                .fold(String::new(), |acc, p| if acc.is_empty() { format!("?{p}") } else { format!("{acc}&{p}") })
        );
        format!("/sprache/{}?zurueck={}", other.code(), crate::api::form::percent_encode(&back))
    };
    view! {
        <a class="skip-link" href="#inhalt">{lang.t("Zum Inhalt springen", "Skip to content")}</a>
        <header class="site-header">
            <div class="brand">
                <a href="/" class="brand-name">"Leitstand"</a>
                <span class="brand-sub">{lang.t("Digitalisierungsprogramm der Stadt", "City digitisation programme")}</span>
            </div>
            <nav aria-label=lang.t("Hauptnavigation", "Main navigation")>
                <ul>
                    <li><A href="/" exact=true>{lang.t("Start", "Home")}</A></li>
                    <li><A href="/projekte">{lang.t("Portfolio", "Portfolio")}</A></li>
                    <li><A href="/leistungen">{lang.t("OZG-Leistungen", "OZG services")}</A></li>
                    <li><A href="/fachbereiche">{lang.t("Fachbereiche", "Departments")}</A></li>
                    <li><A href="/personen">{lang.t("Lotsen & Funktionen", "Pilots & roles")}</A></li>
                    <li><A href="/leitung">{lang.t("Lagebild", "Overview")}</A></li>
                    <li><A href="/ziele">{lang.t("Ziele", "Targets")}</A></li>
                    <li><A href="/stichtage">{lang.t("Stichtage", "Reporting")}</A></li>
                    <li><A href="/datenqualitaet">{lang.t("Datenqualität", "Data quality")}</A></li>
                    <li><A href="/import">{lang.t("Import & Export", "Import & export")}</A></li>
                </ul>
            </nav>
            // A plain link, so the switch works without JavaScript; rel=external makes the
            // router leave it to the browser, since the server must set the cookie.
            <a class="lang-switch" rel="external" href=switch_href hreflang=other.code() lang=other.code()>
                {lang.t("English", "Deutsch")}
            </a>
        </header>
        <main id="inhalt" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <a href="/barrierefreiheit">{lang.t("Erklärung zur Barrierefreiheit", "Accessibility statement")}</a>
            <span>" · "</span>
            <span>{lang.t("Leitstand – Stabsstelle Digitalisierung", "Leitstand – Digitisation staff unit")}</span>
        </footer>
    }
}
