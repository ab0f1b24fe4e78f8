//! Turning form input into domain changes. Each rule reports a [`FieldError`] naming the field,
//! what is wrong and the offending value, so the UI can say in German where and what is expected.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Ampel, Lang, Percent, fmt_date};

/// What went wrong with one field. Codes, not texts, travel between server and page, so that
/// the page renders the message in the reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorCode {
    Required,
    InvalidDate,
    InvalidPercent,
    InvalidAmpel,
    ReasonRequired,
    UnknownDepartment,
    UnknownLotse,
    ForecastBeforeStart,
    ActualBeforeStart,
    ActualInFuture,
    TooLong,
    /// A forecast moved later than the current one needs a reason (`detail`: current forecast).
    SlipReasonRequired,
    /// The Stichtag is closed; its reports are frozen.
    StichtagClosed,
    /// The Sachstand is not in a state that allows this step (`detail`: the state's code).
    ReportState,
    /// Another Stichtag is still open (`detail`: its date).
    StichtagStillOpen,
    /// A new Stichtag must lie after the latest one (`detail`: the latest date).
    StichtagNotAfterLast,
    /// Returning a Sachstand needs a comment for the Lotse.
    CommentRequired,
    /// Not a number in the expected range (`detail`: the range).
    InvalidNumber,
    /// Another record already has this name.
    NameTaken,
    /// Values can only be recorded for a custom target figure.
    NotCustom,
    /// Someone else saved in between; `detail` carries nothing, the page offers a reload.
    Conflict,
    /// The milestone is part of a closed Stichtag and cannot be deleted (`detail`: its date).
    MilestoneFrozen,
    /// A deletion needs its confirmation ticked.
    ConfirmationRequired,
    /// The milestone was deleted in the meantime (`value`: its title, `detail`: the day).
    MilestoneDeleted,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The form field's name, e.g. `forecast_date`; `""` for the form as a whole.
    pub field: String,
    pub code: ErrorCode,
    /// The value the user entered, echoed back in the message.
    pub value: String,
    /// Context for the message, e.g. the project start date as ISO date.
    pub detail: String,
}

impl FieldError {
    pub fn new(field: &str, code: ErrorCode, value: &str) -> FieldError {
        FieldError { field: field.into(), code, value: value.into(), detail: String::new() }
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> FieldError {
        self.detail = detail.into();
        self
    }

    /// The message shown at the field: specific, formal, saying what is expected.
    pub fn message(&self, lang: Lang) -> String {
        let value = &self.value;
        // `detail` holds a stored date (project start, today), not a typed one: parsed as ISO,
        // without the range of typed dates.
        let detail_date =
            NaiveDate::parse_from_str(&self.detail, "%Y-%m-%d").map(|d| fmt_date(d, lang)).unwrap_or_default();
        match self.code {
            ErrorCode::Required => lang.t("Bitte füllen Sie dieses Feld aus.", "Please fill in this field.").into(),
            ErrorCode::InvalidDate => lang.pick(
                format!(
                    "„{value}“ ist kein gültiges Datum. Erwartet wird ein Datum im Format TT.MM.JJJJ aus den Jahren 2000 bis 2100, z. B. 31.12.2025."
                ),
                format!(
                    "\"{value}\" is not a valid date. Expected a date as DD.MM.YYYY or YYYY-MM-DD in the years 2000 to 2100, e.g. 2025-12-31."
                ),
            ),
            ErrorCode::InvalidPercent => lang.pick(
                format!("„{value}“ ist kein gültiger Fertigstellungsgrad. Erwartet wird eine ganze Zahl von 0 bis 100."),
                format!("\"{value}\" is not a valid percentage. Expected a whole number from 0 to 100."),
            ),
            ErrorCode::InvalidAmpel => lang.pick(
                format!("„{value}“ ist keine gültige Ampel. Erwartet wird Grün, Gelb oder Rot."),
                format!("\"{value}\" is not a valid status. Expected green, yellow or red."),
            ),
            ErrorCode::ReasonRequired => lang.t(
                "Bei Ampel Gelb oder Rot ist eine Begründung erforderlich. Bitte beschreiben Sie kurz Ursache und Gegenmaßnahme.",
                "A yellow or red status needs a reason. Please describe the cause and the countermeasure.",
            ).into(),
            ErrorCode::UnknownDepartment => lang.pick(
                format!("Der Fachbereich „{value}“ ist nicht bekannt. Bitte wählen Sie einen Fachbereich aus der Liste."),
                format!("Department \"{value}\" is unknown. Please choose a department from the list."),
            ),
            ErrorCode::UnknownLotse => lang.pick(
                format!("Die Lotsenfunktion „{value}“ ist nicht bekannt. Bitte wählen Sie einen Eintrag aus der Liste."),
                format!("Pilot function \"{value}\" is unknown. Please choose an entry from the list."),
            ),
            ErrorCode::ForecastBeforeStart => lang.pick(
                format!("Die Prognose {} liegt vor dem Projektstart am {detail_date}. Bitte geben Sie ein Datum ab dem {detail_date} an.", show_date(value, lang)),
                format!("The forecast {} is before the project start on {detail_date}. Please enter a date on or after {detail_date}.", show_date(value, lang)),
            ),
            ErrorCode::ActualBeforeStart => lang.pick(
                format!("Der Ist-Termin {} liegt vor dem Projektstart am {detail_date}.", show_date(value, lang)),
                format!("The actual date {} is before the project start on {detail_date}.", show_date(value, lang)),
            ),
            ErrorCode::ActualInFuture => lang.pick(
                format!("Der Ist-Termin {} liegt in der Zukunft. Ein Meilenstein kann nur bis heute ({detail_date}) erreicht sein; für spätere Termine nutzen Sie bitte die Prognose.", show_date(value, lang)),
                format!("The actual date {} is in the future. A milestone can only be reached by today ({detail_date}); use the forecast for later dates.", show_date(value, lang)),
            ),
            ErrorCode::TooLong => lang.pick(
                format!("Der Text ist zu lang. Erlaubt sind höchstens {} Zeichen.", self.detail),
                format!("The text is too long. At most {} characters are allowed.", self.detail),
            ),
            ErrorCode::SlipReasonRequired => lang.pick(
                format!("Die Prognose {} liegt später als die bisherige ({detail_date}). Bitte geben Sie einen Grund für die Verschiebung an.", show_date(value, lang)),
                format!("The forecast {} is later than the previous one ({detail_date}). Please give a reason for the delay.", show_date(value, lang)),
            ),
            ErrorCode::StichtagClosed => lang.t(
                "Dieser Stichtag ist geschlossen. Sein freigegebener Stand ist eingefroren und kann nicht mehr geändert werden.",
                "This reporting date is closed. Its approved state is frozen and can no longer be changed.",
            ).into(),
            ErrorCode::ReportState => {
                let state = super::ReportState::parse(&self.detail).map(|s| s.label(lang)).unwrap_or("–");
                lang.pick(
                    format!("Dieser Schritt ist im Status „{state}“ nicht möglich. Bitte laden Sie die Seite neu, um den aktuellen Stand zu sehen."),
                    format!("This step is not possible in state \"{state}\". Please reload the page to see the current state."),
                )
            }
            ErrorCode::StichtagStillOpen => lang.pick(
                format!("Der Stichtag {detail_date} ist noch offen. Bitte schließen Sie ihn, bevor Sie einen neuen eröffnen."),
                format!("The reporting date {detail_date} is still open. Please close it before opening a new one."),
            ),
            ErrorCode::StichtagNotAfterLast => lang.pick(
                format!("Der neue Stichtag {} muss nach dem letzten Stichtag ({detail_date}) liegen.", show_date(value, lang)),
                format!("The new reporting date {} must be after the latest one ({detail_date}).", show_date(value, lang)),
            ),
            ErrorCode::CommentRequired => lang.t(
                "Bitte schreiben Sie der Lotsin oder dem Lotsen, was am Sachstand zu ändern ist.",
                "Please tell the pilot what to change in the status report.",
            ).into(),
            ErrorCode::InvalidNumber => lang.pick(
                format!("„{value}“ ist keine gültige Zahl. Erwartet wird eine Zahl ({}), z. B. 60 oder 62,5.", self.detail),
                format!("\"{value}\" is not a valid number. Expected a number ({}), e.g. 60 or 62.5.", self.detail),
            ),
            ErrorCode::NameTaken => lang.pick(
                format!("Die Bezeichnung „{value}“ ist bereits vergeben. Bitte wählen Sie eine andere."),
                format!("The name \"{value}\" is already taken. Please choose another one."),
            ),
            ErrorCode::NotCustom => lang.t(
                "Werte lassen sich nur für eigene Kennzahlen erfassen; die übrigen berechnet Leitstand aus den Daten.",
                "Values can only be recorded for custom figures; Leitstand computes the others from the data.",
            ).into(),
            ErrorCode::Conflict => lang.t(
                "Dieser Datensatz wurde inzwischen von jemand anderem geändert. Ihre Eingaben wurden nicht gespeichert; sie stehen unten noch im Formular. Bitte prüfen Sie den aktuellen Stand und speichern Sie erneut.",
                "Someone else changed this record in the meantime. Your input was not saved; it is still in the form below. Please check the current state and save again.",
            ).into(),
            ErrorCode::MilestoneFrozen => lang.pick(
                format!("Der Meilenstein „{value}“ steht im Stand des abgeschlossenen Stichtags {detail_date} und bleibt deshalb erhalten: Die Berichte dieses Stichtags zeigen ihn. Einen falschen Namen können Sie mit der Meilenstein-Nr per Import ändern."),
                format!("Milestone \"{value}\" is part of the closed reporting date {detail_date} and is therefore kept: that date's reports show it. A wrong name can be changed by an import with the Meilenstein-Nr."),
            ),
            ErrorCode::MilestoneDeleted => lang.pick(
                format!("Der Meilenstein „{value}“ wurde am {detail_date} gelöscht. Ihre Eingaben wurden nicht gespeichert; bitte laden Sie die Seite neu, um den aktuellen Stand zu sehen."),
                format!("Milestone \"{value}\" was deleted on {detail_date}. Your input was not saved; please reload the page to see the current state."),
            ),
            ErrorCode::ConfirmationRequired => lang.t(
                "Bitte bestätigen Sie das Löschen mit dem Häkchen: Der Meilenstein und sein Prognoseverlauf lassen sich danach nicht wiederherstellen.",
                "Please confirm the deletion with the tick box: the milestone and its forecast history cannot be restored afterwards.",
            ).into(),
        }
    }
}

fn show_date(raw: &str, lang: Lang) -> String {
    parse_date(raw).map(|d| fmt_date(d, lang)).unwrap_or_else(|| raw.to_string())
}

/// The years a typed or imported date may fall in, in forms and imports alike. The
/// programme's dates lie well inside; a year outside is a typo (2150 for 2015). Forms and
/// import must agree, or a date saved in a form would make the exported workbook fail to
/// import back. Dates read from the database are parsed as ISO, without this range.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// Reads a date as the browser's date input sends it (2025-12-31) or as people type it
/// (31.12.2025, 1.2.2025), in [`YEARS`].
pub fn parse_date(raw: &str) -> Option<NaiveDate> {
    use chrono::Datelike;
    let s = raw.trim();
    if s.is_empty() {
        return None;
    }
    let date = match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => d,
        Err(_) => {
            let mut parts = s.split('.');
            let (d, m, y) = (parts.next()?, parts.next()?, parts.next()?);
            if parts.next().is_some() || y.len() != 4 || d.is_empty() || d.len() > 2 || m.is_empty() || m.len() > 2 {
                return None;
            }
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)?
        }
    };
    YEARS.contains(&date.year()).then_some(date)
}

/// Longest free text (reasons, comments) we accept from a form.
pub const MAX_TEXT: usize = 2000;

pub(crate) fn check_length(field: &str, text: &str, errors: &mut Vec<FieldError>) {
    if text.chars().count() > MAX_TEXT {
        errors.push(FieldError::new(field, ErrorCode::TooLong, "").with_detail(MAX_TEXT.to_string()));
    }
}

/// A validated change of a project's master data and status. Whether the department and Lotse
/// exist is checked against the database by the server, in the same transaction as the write.
#[derive(Clone, Debug, PartialEq)]
pub struct ProjectStatusChange {
    pub department_id: i64,
    pub lotse_id: Option<i64>,
    pub ampel: Ampel,
    pub ampel_reason: String,
    pub percent_done: Percent,
}

impl ProjectStatusChange {
    pub fn parse(
        department: &str,
        lotse: &str,
        ampel: &str,
        ampel_reason: &str,
        percent_done: &str,
    ) -> Result<ProjectStatusChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        let department_id = match department.trim().parse::<i64>() {
            Ok(id) => id,
            Err(_) => {
                errors.push(FieldError::new("department_id", ErrorCode::UnknownDepartment, department));
                0
            }
        };
        let lotse_id = match lotse.trim() {
            "" => None,
            raw => match raw.parse::<i64>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new("lotse_id", ErrorCode::UnknownLotse, lotse));
                    None
                }
            },
        };
        let parsed_ampel = Ampel::parse(ampel);
        if parsed_ampel.is_none() {
            errors.push(FieldError::new("ampel", ErrorCode::InvalidAmpel, ampel));
        }
        let reason = ampel_reason.trim().to_string();
        if parsed_ampel.is_some_and(Ampel::needs_reason) && reason.is_empty() {
            errors.push(FieldError::new("ampel_reason", ErrorCode::ReasonRequired, ""));
        }
        check_length("ampel_reason", &reason, &mut errors);
        let percent = Percent::parse(percent_done);
        if percent.is_none() {
            errors.push(FieldError::new("percent_done", ErrorCode::InvalidPercent, percent_done));
        }
        match (parsed_ampel, percent) {
            (Some(ampel), Some(percent_done)) if errors.is_empty() => {
                Ok(ProjectStatusChange { department_id, lotse_id, ampel, ampel_reason: reason, percent_done })
            }
            _ => Err(errors),
        }
    }
}

/// A validated change of a milestone's forecast and actual date.
#[derive(Clone, Debug, PartialEq)]
pub struct MilestoneChange {
    pub forecast_date: NaiveDate,
    pub actual_date: Option<NaiveDate>,
    pub reason: String,
}

impl MilestoneChange {
    /// `project_start` and `today` come from the server; rules: the forecast is a valid date not
    /// before the project start; an actual date, if given, lies between project start and today.
    pub fn parse(
        forecast: &str,
        actual: &str,
        reason: &str,
        project_start: NaiveDate,
        today: NaiveDate,
    ) -> Result<MilestoneChange, Vec<FieldError>> {
        let mut errors = Vec::new();
        let start_iso = project_start.to_string();
        let forecast_date = if forecast.trim().is_empty() {
            errors.push(FieldError::new("forecast_date", ErrorCode::Required, ""));
            None
        } else {
            match parse_date(forecast) {
                None => {
                    errors.push(FieldError::new("forecast_date", ErrorCode::InvalidDate, forecast));
                    None
                }
                Some(d) if d < project_start => {
                    errors.push(
                        FieldError::new("forecast_date", ErrorCode::ForecastBeforeStart, forecast)
                            .with_detail(&start_iso),
                    );
                    None
                }
                Some(d) => Some(d),
            }
        };
        let actual_date = if actual.trim().is_empty() {
            None
        } else {
            match parse_date(actual) {
                None => {
                    errors.push(FieldError::new("actual_date", ErrorCode::InvalidDate, actual));
                    None
                }
                Some(d) if d > today => {
                    errors.push(
                        FieldError::new("actual_date", ErrorCode::ActualInFuture, actual)
                            .with_detail(today.to_string()),
                    );
                    None
                }
                Some(d) if d < project_start => {
                    errors.push(
                        FieldError::new("actual_date", ErrorCode::ActualBeforeStart, actual).with_detail(&start_iso),
                    );
                    None
                }
                Some(d) => Some(d),
            }
        };
        let reason = reason.trim().to_string();
        check_length("reason", &reason, &mut errors);
        match forecast_date {
            Some(forecast_date) if errors.is_empty() => Ok(MilestoneChange { forecast_date, actual_date, reason }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn dates_in_both_spellings() {
        assert_eq!(parse_date("2025-12-31"), Some(d(2025, 12, 31)));
        assert_eq!(parse_date(" 31.12.2025 "), Some(d(2025, 12, 31)));
        // Outside `YEARS`: typos the import would refuse too.
        assert_eq!(parse_date("15.03.2150"), None);
        assert_eq!(parse_date("1999-12-31"), None);
        assert_eq!(parse_date("31.12.2100"), Some(d(2100, 12, 31)));
        assert_eq!(parse_date("1.2.2025"), Some(d(2025, 2, 1)));
        assert_eq!(parse_date("31.02.2025"), None);
        assert_eq!(parse_date("31.12.25"), None);
        assert_eq!(parse_date("morgen"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn yellow_without_reason_is_refused() {
        let errors = ProjectStatusChange::parse("3", "", "gelb", "  ", "40").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field, "ampel_reason");
        assert_eq!(errors[0].code, ErrorCode::ReasonRequired);
        assert!(errors[0].message(Lang::De).contains("Begründung"));
        let ok = ProjectStatusChange::parse("3", "7", "gruen", "", "40 %").unwrap();
        assert_eq!(ok.lotse_id, Some(7));
        assert_eq!(ok.percent_done.value(), 40);
    }

    #[test]
    fn bad_percent_and_department_are_named() {
        let errors = ProjectStatusChange::parse("abc", "", "rot", "Lieferverzug", "120").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["department_id", "percent_done"]);
        assert!(errors[1].message(Lang::De).contains("„120“"));
    }

    #[test]
    fn milestone_rules() {
        let start = d(2024, 3, 1);
        let today = d(2026, 11, 22);
        let e = MilestoneChange::parse("2024-02-01", "", "", start, today).unwrap_err();
        assert_eq!(e[0].code, ErrorCode::ForecastBeforeStart);
        let msg = e[0].message(Lang::De);
        assert!(msg.contains("01.02.2024") && msg.contains("01.03.2024"), "{msg}");
        let e = MilestoneChange::parse("2026-12-01", "2026-11-23", "", start, today).unwrap_err();
        assert_eq!(e[0].code, ErrorCode::ActualInFuture);
        assert!(e[0].message(Lang::De).contains("22.11.2026"));
        let e = MilestoneChange::parse("", "", "", start, today).unwrap_err();
        assert_eq!(e[0].code, ErrorCode::Required);
        let ok = MilestoneChange::parse("31.12.2026", "22.11.2026", " verschoben ", start, today).unwrap();
        assert_eq!(ok.actual_date, Some(today));
        assert_eq!(ok.reason, "verschoben");
    }
}
