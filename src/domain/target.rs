//! Programme targets ("all OZG services at Reifegrad ≥ 3 by 31.12.2025"): the form input of a
//! target, validated, and the unit its metric is measured in.

use chrono::NaiveDate;

use super::{ErrorCode, FieldError, Lang, TargetMetric, fmt_decimal, parse_date};

impl TargetMetric {
    /// Shares and rates are percentages; the others count projects, departments or units.
    pub fn is_percentage(self) -> bool {
        matches!(self, TargetMetric::ReifegradShare | TargetMetric::UsageRate)
    }

    /// A value with its unit: "62,5 %" or "14".
    pub fn show(self, value: f64, lang: Lang) -> String {
        if self.is_percentage() {
            format!("{} %", fmt_decimal(value, 1, lang))
        } else if value.fract() == 0.0 {
            fmt_decimal(value, 0, lang)
        } else {
            fmt_decimal(value, 1, lang)
        }
    }
}

/// A validated target as the create and edit forms send it.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetInput {
    pub name: String,
    pub metric: TargetMetric,
    /// The N of "share at Reifegrad ≥ N"; `None` for the other metrics.
    pub metric_param: Option<i64>,
    pub target_value: f64,
    pub deadline: NaiveDate,
}

/// Reads "60", "60,5", "1.234,5", "1.500" or "60.5" as a number. German first: dots that
/// group digits in threes are thousands separators, a comma is the decimal sign.
pub fn parse_number(raw: &str) -> Option<f64> {
    let s = raw.trim().trim_end_matches('%').trim();
    let mut groups = s.split('.');
    let grouped = groups.next().is_some_and(|g| (1..=3).contains(&g.len()) && g.chars().all(|c| c.is_ascii_digit()))
        && s.contains('.')
        && groups.all(|g| g.len() == 3 && g.chars().all(|c| c.is_ascii_digit()));
    let normalised = if s.contains(',') || grouped { s.replace('.', "").replace(',', ".") } else { s.to_string() };
    normalised.parse::<f64>().ok().filter(|v| v.is_finite())
}

impl TargetInput {
    pub fn parse(
        name: &str,
        metric: &str,
        param: &str,
        value: &str,
        deadline: &str,
    ) -> Result<TargetInput, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = name.trim().to_string();
        if name.is_empty() {
            errors.push(FieldError::new("name", ErrorCode::Required, ""));
        } else if name.chars().count() > 300 {
            errors.push(FieldError::new("name", ErrorCode::TooLong, "").with_detail("300"));
        }
        let metric_parsed = TargetMetric::parse(metric);
        if metric_parsed.is_none() {
            errors.push(FieldError::new("metric", ErrorCode::Required, metric));
        }
        let metric_param = match metric_parsed {
            Some(TargetMetric::ReifegradShare) => match param.trim().parse::<i64>() {
                Ok(n) if (0..=9).contains(&n) => Some(n),
                _ => {
                    errors.push(FieldError::new("metric_param", ErrorCode::InvalidNumber, param).with_detail("0–9"));
                    None
                }
            },
            _ => None,
        };
        let limit = if metric_parsed.is_some_and(TargetMetric::is_percentage) { 100.0 } else { 1_000_000.0 };
        let target_value = match parse_number(value) {
            Some(v) if (0.0..=limit).contains(&v) && v > 0.0 => Some(v),
            _ => {
                let range = if limit == 100.0 { "0–100" } else { "größer als 0" };
                errors.push(FieldError::new("target_value", ErrorCode::InvalidNumber, value).with_detail(range));
                None
            }
        };
        let deadline_parsed = match deadline.trim() {
            "" => {
                errors.push(FieldError::new("deadline", ErrorCode::Required, ""));
                None
            }
            raw => {
                let d = parse_date(raw);
                if d.is_none() {
                    errors.push(FieldError::new("deadline", ErrorCode::InvalidDate, raw));
                }
                d
            }
        };
        match (metric_parsed, target_value, deadline_parsed) {
            (Some(metric), Some(target_value), Some(deadline)) if errors.is_empty() => {
                Ok(TargetInput { name, metric, metric_param, target_value, deadline })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_in_german_and_english() {
        assert_eq!(parse_number("60"), Some(60.0));
        assert_eq!(parse_number("62,5 %"), Some(62.5));
        assert_eq!(parse_number("1.234,5"), Some(1234.5));
        assert_eq!(parse_number("60.5"), Some(60.5));
        assert_eq!(parse_number("1.500"), Some(1500.0));
        assert_eq!(parse_number("12.345.678"), Some(12_345_678.0));
        assert_eq!(parse_number("sechzig"), None);
    }

    #[test]
    fn a_target_needs_its_parts() {
        let ok = TargetInput::parse("Reifegrad 3", "reifegrad_share", "3", "100", "31.12.2025").unwrap();
        assert_eq!((ok.metric_param, ok.target_value), (Some(3), 100.0));
        let errors = TargetInput::parse(" ", "reifegrad_share", "x", "120", "31.02.2025").unwrap_err();
        let fields: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.code)).collect();
        assert_eq!(
            fields,
            [
                ("name", ErrorCode::Required),
                ("metric_param", ErrorCode::InvalidNumber),
                ("target_value", ErrorCode::InvalidNumber),
                ("deadline", ErrorCode::InvalidDate),
            ]
        );
        assert!(errors[2].message(Lang::De).contains("0–100"));
        let count = TargetInput::parse("eAkte", "eakte_departments", "", "14", "2025-12-31").unwrap();
        assert_eq!(count.metric_param, None);
        assert_eq!(TargetMetric::EAkteDepartments.show(14.0, Lang::De), "14");
        assert_eq!(TargetMetric::UsageRate.show(62.46, Lang::De), "62,5 %");
    }
}
