//! The data-quality worklist: what the staff unit should chase before a reporting date
//! (missing Sachstand, overdue milestones, projects without Lotse, services without LeiKa
//! key, forecasts later than the baseline without a reason).

use chrono::NaiveDate;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::Lang;
use crate::error::AppError;

/// The checks, in the order the page shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Check {
    OhneSachstand,
    MeilensteinUeberfaellig,
    PrognoseOhneGrund,
    OhneLotse,
    OhneLeika,
}

impl Check {
    pub const ALL: [Check; 5] = [
        Check::OhneSachstand,
        Check::MeilensteinUeberfaellig,
        Check::PrognoseOhneGrund,
        Check::OhneLotse,
        Check::OhneLeika,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Check::OhneSachstand => "ohne-sachstand",
            Check::MeilensteinUeberfaellig => "meilenstein-ueberfaellig",
            Check::PrognoseOhneGrund => "prognose-ohne-grund",
            Check::OhneLotse => "ohne-lotse",
            Check::OhneLeika => "ohne-leika",
        }
    }

    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Check::OhneSachstand => {
                lang.t("Sachstand zum Stichtag fehlt", "Status report missing for the reporting date")
            }
            Check::MeilensteinUeberfaellig => lang.t(
                "Meilensteine in der Vergangenheit, nicht als erreicht gemeldet",
                "Past milestones not marked reached",
            ),
            Check::PrognoseOhneGrund => lang
                .t("Prognose später als Plantermin, ohne Begründung", "Forecast later than baseline, no reason given"),
            Check::OhneLotse => lang.t("Laufende Projekte ohne Lotsin oder Lotsen", "Running projects without a pilot"),
            Check::OhneLeika => lang.t("OZG-Leistungen ohne LeiKa-Schlüssel", "OZG services without LeiKa key"),
        }
    }

    /// What to do about it, in one sentence.
    pub fn hint(self, lang: Lang) -> &'static str {
        match self {
            Check::OhneSachstand => lang.t(
                "Laufende Projekte ohne eingereichten oder freigegebenen Sachstand zum offenen Stichtag.",
                "Running projects without a submitted or approved status report for the open reporting date.",
            ),
            Check::MeilensteinUeberfaellig => lang.t(
                "Die Prognose liegt vor heute, ein Ist-Termin fehlt: erreicht melden oder neu prognostizieren.",
                "The forecast lies before today and no actual date is set: report it reached or forecast anew.",
            ),
            Check::PrognoseOhneGrund => lang.t(
                "Offene Meilensteine, deren aktuelle Prognose nach dem Plantermin liegt, ohne Begründung im Prognoseverlauf.",
                "Open milestones whose current forecast lies after the baseline, with no reason in the forecast history.",
            ),
            Check::OhneLotse => lang.t(
                "Jedes laufende Projekt braucht eine verantwortliche Funktion.",
                "Every running project needs a responsible role.",
            ),
            Check::OhneLeika => lang.t(
                "Ohne LeiKa-Schlüssel lassen sich keine Nutzungszahlen zuordnen.",
                "Without a LeiKa key no usage figures can be matched.",
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))] // read straight from SQL on the server
pub struct QualityItem {
    /// The project to open; `None` for services.
    pub project_id: Option<i64>,
    pub key: String,
    pub title: String,
    pub detail: String,
    pub date: Option<NaiveDate>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct QualityCheck {
    pub check: Check,
    pub count: i64,
    /// The first `WORKLIST_ITEMS` findings; `count` is exact.
    pub items: Vec<QualityItem>,
}

pub const WORKLIST_ITEMS: i64 = 200;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Worklist {
    pub today: NaiveDate,
    /// Without an open Stichtag the Sachstand check has nothing to compare with.
    pub open_stichtag: Option<NaiveDate>,
    pub checks: Vec<QualityCheck>,
}

#[server(endpoint = "datenqualitaet")]
pub async fn load_worklist() -> Result<Worklist, AppError> {
    let db = crate::server::web::db()?;
    crate::server::db::quality::worklist(&db, crate::server::web::today()).await
}
