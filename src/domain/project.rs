//! Enumerations of the portfolio: Ampel, phase, category. Stored as short German codes
//! (`gruen`, `umsetzung`, ...) that the database checks as well.

use serde::{Deserialize, Serialize};

use super::Lang;

/// Defines a closed set of values with its database code and German/English labels, so the
/// code list, the CHECK constraint in the migrations and the UI labels stay one list.
macro_rules! code_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $code:literal, $de:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            pub fn parse(code: &str) -> Option<$name> {
                match code.trim() { $($code => Some($name::$variant),)+ _ => None }
            }

            pub fn label(self, lang: Lang) -> &'static str {
                match self { $($name::$variant => lang.t($de, $en)),+ }
            }
        }
    };
}

code_enum!(
    /// Traffic light: green = on plan; yellow = at risk, the project can correct it itself;
    /// red = not reachable without escalation or a decision.
    Ampel {
        Gruen = "gruen", "Grün", "Green";
        Gelb = "gelb", "Gelb", "Yellow";
        Rot = "rot", "Rot", "Red";
    }
);

impl Ampel {
    /// A shape that carries the meaning without colour (WCAG 1.4.1).
    pub fn symbol(self) -> &'static str {
        match self {
            Ampel::Gruen => "●",
            Ampel::Gelb => "▲",
            Ampel::Rot => "■",
        }
    }

    pub fn needs_reason(self) -> bool {
        self != Ampel::Gruen
    }
}

code_enum!(
    Phase {
        Idee = "idee", "Idee", "Idea";
        Planung = "planung", "Planung", "Planning";
        Umsetzung = "umsetzung", "Umsetzung", "Implementation";
        Einfuehrung = "einfuehrung", "Einführung", "Rollout";
        Betrieb = "betrieb", "Betrieb", "Operation";
        Abgeschlossen = "abgeschlossen", "Abgeschlossen", "Completed";
        Gestoppt = "gestoppt", "Gestoppt", "Stopped";
    }
);

code_enum!(
    Category {
        Ozg = "ozg", "OZG-Leistung", "OZG service";
        EAkte = "eakte", "eAkte", "e-file";
        Prozess = "prozess", "Prozess", "Process";
        Infrastruktur = "infrastruktur", "Infrastruktur", "Infrastructure";
        Qualifizierung = "qualifizierung", "Qualifizierung", "Training";
    }
);

code_enum!(
    FunctionKind {
        Lotse = "lotse", "Lotse/Lotsin", "Digital pilot";
        Sponsor = "sponsor", "Auftraggeber/in", "Sponsor";
        Stabsstelle = "stabsstelle", "Stabsstelle", "Staff unit";
        Sonstige = "sonstige", "Sonstige", "Other";
    }
);

code_enum!(
    TargetMetric {
        ReifegradShare = "reifegrad_share", "Anteil Leistungen ab Reifegrad N", "Share of services at maturity ≥ N";
        UsageRate = "usage_rate", "Nutzungsquote gesamt", "Overall usage rate";
        ProjectsCompleted = "projects_completed", "Abgeschlossene Projekte", "Projects completed";
        EAkteDepartments = "eakte_departments", "Fachbereiche mit eAkte", "Departments on the e-file";
        Custom = "custom", "Eigene Kennzahl", "Custom figure";
    }
);

code_enum!(
    /// Life of a Sachstand within one Stichtag: the Lotse drafts and submits it; the staff unit
    /// approves it or returns it with a comment, after which the Lotse edits and submits again.
    ReportState {
        Entwurf = "entwurf", "Entwurf", "Draft";
        Eingereicht = "eingereicht", "Eingereicht", "Submitted";
        Freigegeben = "freigegeben", "Freigegeben", "Approved";
        Zurueckgegeben = "zurueckgegeben", "Zurückgegeben", "Returned";
    }
);

impl ReportState {
    /// Only a draft or a returned report is the Lotse's to change.
    pub fn lotse_may_edit(self) -> bool {
        matches!(self, ReportState::Entwurf | ReportState::Zurueckgegeben)
    }
}

/// The Reifegrad from which a service counts as online (the OZG obligation is met from 3).
pub const ONLINE_REIFEGRAD: i64 = 3;

code_enum!(
    StichtagState {
        Offen = "offen", "Offen", "Open";
        Geschlossen = "geschlossen", "Geschlossen", "Closed";
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for a in Ampel::ALL {
            assert_eq!(Ampel::parse(a.code()), Some(*a));
        }
        for p in Phase::ALL {
            assert_eq!(Phase::parse(p.code()), Some(*p));
        }
        assert_eq!(Ampel::parse("lila"), None);
        assert_eq!(Category::parse(" eakte "), Some(Category::EAkte));
    }
}
