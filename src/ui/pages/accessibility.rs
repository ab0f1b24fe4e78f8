//! Erklärung zur Barrierefreiheit (BITV 2.0): required on every public-sector web application,
//! reachable from every page's footer, with a feedback contact.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::ui::use_lang;

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let lang = use_lang();
    view! {
        <Title text=lang.t("Erklärung zur Barrierefreiheit", "Accessibility statement")/>
        <h1>{lang.t("Erklärung zur Barrierefreiheit", "Accessibility statement")}</h1>
        <p>{lang.t(
            "Die Stadt ist bemüht, Leitstand im Einklang mit der Barrierefreie-Informationstechnik-Verordnung (BITV 2.0) und der Norm EN 301 549 (WCAG 2.1, Stufe AA) barrierefrei zugänglich zu machen.",
            "The city strives to make Leitstand accessible in line with BITV 2.0 and EN 301 549 (WCAG 2.1 level AA).",
        )}</p>
        <h2>{lang.t("Stand der Vereinbarkeit", "Compliance status")}</h2>
        <p>{lang.t(
            "Alle Seiten funktionieren ohne JavaScript und mit Tastatur. Status wird nie nur durch Farbe vermittelt; Ampeln tragen Symbol und Text. Bekannte Einschränkungen werden hier aufgeführt, sobald sie festgestellt sind.",
            "All pages work without JavaScript and by keyboard. Status is never conveyed by colour alone; traffic lights carry a symbol and text. Known limitations will be listed here once found.",
        )}</p>
        <h2>{lang.t("Feedback und Kontakt", "Feedback and contact")}</h2>
        <p>{lang.t(
            "Sind Ihnen Mängel beim barrierefreien Zugang aufgefallen? Bitte wenden Sie sich an die Stabsstelle Digitalisierung: ",
            "Have you found barriers? Please contact the digitisation staff unit: ",
        )}<a href="mailto:barrierefreiheit@stadt.example">"barrierefreiheit@stadt.example"</a>"."</p>
        <h2>{lang.t("Durchsetzungsverfahren", "Enforcement procedure")}</h2>
        <p>{lang.t(
            "Wenn Sie auf Ihre Rückmeldung keine zufriedenstellende Antwort erhalten, können Sie sich an die Durchsetzungsstelle Ihres Landes wenden.",
            "If you do not receive a satisfactory answer, you can contact your state's enforcement body.",
        )}</p>
    }
}
