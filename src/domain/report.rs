//! The Sachstand a Lotse reports per project and Stichtag, and the staff unit's review of it,
//! turned from form input into validated values.

use chrono::NaiveDate;

use super::{Ampel, ErrorCode, FieldError, Percent, parse_date, validation::check_length};

/// One open milestone as the form shows it: the server supplies its current forecast, so a
/// later date can be recognised as a slip that needs a reason.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OpenMilestone {
    pub id: i64,
    pub forecast_date: NaiveDate,
}

/// The forecast a Sachstand gives for one open milestone.
#[derive(Clone, Debug, PartialEq)]
pub struct ForecastProposal {
    pub milestone_id: i64,
    pub forecast_date: NaiveDate,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Sachstand {
    pub ampel: Ampel,
    pub ampel_reason: String,
    pub percent_done: Percent,
    pub summary: String,
    pub next_steps: String,
    pub decisions_needed: String,
    pub risks: String,
    pub forecasts: Vec<ForecastProposal>,
}

/// Form field names of a milestone's forecast and reason in the Sachstand form.
pub fn forecast_field(milestone_id: i64) -> String {
    format!("prognose_{milestone_id}")
}
pub fn reason_field(milestone_id: i64) -> String {
    format!("grund_{milestone_id}")
}

impl Sachstand {
    /// Reads the posted fields. `submit` is true when the Lotse hands the report in: then the
    /// status text is required; a draft may still lack it. A forecast left blank keeps the
    /// milestone's current one; a forecast before `project_start` is refused.
    pub fn parse(
        field: impl Fn(&str) -> String,
        milestones: &[OpenMilestone],
        project_start: NaiveDate,
        submit: bool,
    ) -> Result<Sachstand, Vec<FieldError>> {
        let mut errors = Vec::new();
        let ampel_raw = field("ampel");
        let ampel = Ampel::parse(&ampel_raw);
        if ampel.is_none() {
            errors.push(FieldError::new("ampel", ErrorCode::InvalidAmpel, &ampel_raw));
        }
        let ampel_reason = field("ampel_reason").trim().to_string();
        if ampel.is_some_and(Ampel::needs_reason) && ampel_reason.is_empty() {
            errors.push(FieldError::new("ampel_reason", ErrorCode::ReasonRequired, ""));
        }
        let percent_raw = field("percent_done");
        let percent_done = Percent::parse(&percent_raw);
        if percent_done.is_none() {
            errors.push(FieldError::new("percent_done", ErrorCode::InvalidPercent, &percent_raw));
        }
        let [summary, next_steps, decisions_needed, risks] = ["summary", "next_steps", "decisions_needed", "risks"]
            .map(|name| {
                let text = field(name).trim().to_string();
                check_length(name, &text, &mut errors);
                text
            });
        check_length("ampel_reason", &ampel_reason, &mut errors);
        if submit && summary.is_empty() {
            errors.push(FieldError::new("summary", ErrorCode::Required, ""));
        }
        let mut forecasts = Vec::new();
        for m in milestones {
            let (name, reason_name) = (forecast_field(m.id), reason_field(m.id));
            let raw = field(&name);
            let reason = field(&reason_name).trim().to_string();
            check_length(&reason_name, &reason, &mut errors);
            let date = if raw.trim().is_empty() {
                m.forecast_date
            } else {
                match parse_date(&raw) {
                    Some(d) if d < project_start => {
                        errors.push(
                            FieldError::new(&name, ErrorCode::ForecastBeforeStart, &raw)
                                .with_detail(project_start.to_string()),
                        );
                        continue;
                    }
                    Some(d) => d,
                    None => {
                        errors.push(FieldError::new(&name, ErrorCode::InvalidDate, &raw));
                        continue;
                    }
                }
            };
            if date > m.forecast_date && reason.is_empty() {
                errors.push(
                    FieldError::new(&reason_name, ErrorCode::SlipReasonRequired, &date.to_string())
                        .with_detail(m.forecast_date.to_string()),
                );
            }
            forecasts.push(ForecastProposal { milestone_id: m.id, forecast_date: date, reason });
        }
        match (ampel, percent_done) {
            (Some(ampel), Some(percent_done)) if errors.is_empty() => Ok(Sachstand {
                ampel,
                ampel_reason,
                percent_done,
                summary,
                next_steps,
                decisions_needed,
                risks,
                forecasts,
            }),
            _ => Err(errors),
        }
    }
}

/// The staff unit's decision on a submitted Sachstand.
#[derive(Clone, Debug, PartialEq)]
pub enum Review {
    Approve { comment: String },
    Return { comment: String },
}

impl Review {
    /// `decision` is the pressed button's value: `freigeben` or `zurueckgeben`. Returning needs
    /// a comment, so the Lotse knows what to change.
    pub fn parse(decision: &str, comment: &str) -> Result<Review, Vec<FieldError>> {
        let comment = comment.trim().to_string();
        let mut errors = Vec::new();
        check_length("kommentar", &comment, &mut errors);
        let review = match decision.trim() {
            "freigeben" => Review::Approve { comment },
            "zurueckgeben" if comment.is_empty() => {
                errors.push(FieldError::new("kommentar", ErrorCode::CommentRequired, ""));
                Review::Return { comment }
            }
            "zurueckgeben" => Review::Return { comment },
            other => {
                errors.push(FieldError::new("entscheidung", ErrorCode::Required, other));
                Review::Return { comment }
            }
        };
        if errors.is_empty() { Ok(review) } else { Err(errors) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Lang;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn form(pairs: &[(&str, &str)]) -> impl Fn(&str) -> String {
        let pairs: Vec<(String, String)> = pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        move |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    const MILESTONES: [OpenMilestone; 2] = [
        OpenMilestone { id: 7, forecast_date: NaiveDate::from_ymd_opt(2026, 6, 30).unwrap() },
        OpenMilestone { id: 8, forecast_date: NaiveDate::from_ymd_opt(2026, 9, 30).unwrap() },
    ];

    #[test]
    fn a_complete_sachstand_parses() {
        let fields = form(&[
            ("ampel", "gelb"),
            ("ampel_reason", "Lieferverzug"),
            ("percent_done", "45 %"),
            ("summary", "Pilot läuft"),
            ("prognose_7", "31.07.2026"),
            ("grund_7", "Lieferant verspätet"),
        ]);
        let s = Sachstand::parse(fields, &MILESTONES, d(2025, 1, 1), true).unwrap();
        assert_eq!(s.ampel, Ampel::Gelb);
        assert_eq!(s.percent_done.value(), 45);
        assert_eq!(s.forecasts[0].forecast_date, d(2026, 7, 31));
        // A blank forecast keeps the current one.
        assert_eq!(s.forecasts[1].forecast_date, d(2026, 9, 30));
    }

    #[test]
    fn a_slip_without_reason_and_a_missing_summary_are_named() {
        let fields = form(&[("ampel", "gruen"), ("percent_done", "10"), ("prognose_8", "2026-12-01")]);
        let errors = Sachstand::parse(&fields, &MILESTONES, d(2025, 1, 1), true).unwrap_err();
        let named: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(named, [("summary", ErrorCode::Required), ("grund_8", ErrorCode::SlipReasonRequired)]);
        let message = errors[1].message(Lang::De);
        assert!(message.contains("01.12.2026") && message.contains("30.09.2026"), "{message}");
        // A draft may lack the summary; an earlier forecast needs no reason.
        let draft = form(&[("ampel", "gruen"), ("percent_done", "10"), ("prognose_8", "2026-08-01")]);
        assert!(Sachstand::parse(draft, &MILESTONES, d(2025, 1, 1), false).is_ok());
    }

    #[test]
    fn bad_dates_and_values_are_refused() {
        let fields = form(&[
            ("ampel", "lila"),
            ("percent_done", "101"),
            ("prognose_7", "31.02.2026"),
            ("prognose_8", "2024-01-01"),
        ]);
        let errors = Sachstand::parse(fields, &MILESTONES, d(2025, 1, 1), false).unwrap_err();
        let codes: Vec<_> = errors.iter().map(|e| e.code).collect();
        assert_eq!(
            codes,
            [
                ErrorCode::InvalidAmpel,
                ErrorCode::InvalidPercent,
                ErrorCode::InvalidDate,
                ErrorCode::ForecastBeforeStart
            ]
        );
    }

    #[test]
    fn returning_needs_a_comment() {
        assert_eq!(Review::parse("zurueckgeben", " ").unwrap_err()[0].code, ErrorCode::CommentRequired);
        assert_eq!(
            Review::parse("zurueckgeben", "Bitte Risiken ergänzen").unwrap(),
            Review::Return { comment: "Bitte Risiken ergänzen".into() }
        );
        assert_eq!(Review::parse("freigeben", "").unwrap(), Review::Approve { comment: String::new() });
        assert!(Review::parse("loeschen", "").is_err());
    }
}
