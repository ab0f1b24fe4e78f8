//! Forecast and trend maths of the controlling cockpit, pure so that charts, target pages and
//! reports compute them alike: when a cumulative figure (completed projects, services at
//! Reifegrad ≥ 3) reaches its target at the current pace, with a range; whether that is on
//! track for the deadline; and how a milestone's forecasts moved over the Stichtage (the
//! reading of a milestone trend analysis).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{Lang, fmt_date};

/// A cumulative figure observed at a date (e.g. 41 projects completed on 30.09.2026).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    pub date: NaiveDate,
    pub value: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Forecast {
    /// Fewer than two observations on different dates: no pace can be measured.
    NoHistory,
    /// The latest observation already meets the target.
    Reached { on: NaiveDate },
    /// No progress over the observed period: at this pace the target is never reached.
    Stalled,
    /// The date the trend line meets the target, with a range from the pace's uncertainty;
    /// `latest` is `None` when the slow end of the range makes no progress at all.
    Expected { date: NaiveDate, earliest: NaiveDate, latest: Option<NaiveDate>, per_month: f64 },
}

/// Days in an average month, to state the pace per month.
const DAYS_PER_MONTH: f64 = 30.4375;

/// Least-squares trend through the observations, extrapolated to `target`. The range uses
/// the slope's standard error (±1σ), so a steady series gets a narrow range and a jumpy one a
/// wide range; with two points the slope is exact and the range collapses to the date.
pub fn forecast(history: &[Observation], target: f64) -> Forecast {
    let mut points: Vec<&Observation> = history.iter().filter(|o| o.value.is_finite()).collect();
    points.sort_by_key(|o| o.date);
    let Some(last) = points.last() else { return Forecast::NoHistory };
    if last.value >= target {
        let on = points.iter().find(|o| o.value >= target).map(|o| o.date).unwrap_or(last.date);
        return Forecast::Reached { on };
    }
    let first = points[0].date;
    let xs: Vec<f64> = points.iter().map(|o| (o.date - first).num_days() as f64).collect();
    let ys: Vec<f64> = points.iter().map(|o| o.value).collect();
    let n = xs.len() as f64;
    let mean_x = xs.iter().sum::<f64>() / n;
    let mean_y = ys.iter().sum::<f64>() / n;
    let sxx: f64 = xs.iter().map(|x| (x - mean_x).powi(2)).sum();
    if xs.len() < 2 || sxx == 0.0 {
        return Forecast::NoHistory;
    }
    let sxy: f64 = xs.iter().zip(&ys).map(|(x, y)| (x - mean_x) * (y - mean_y)).sum();
    let slope = sxy / sxx;
    if slope <= 0.0 {
        return Forecast::Stalled;
    }
    let error = if xs.len() > 2 {
        let intercept = mean_y - slope * mean_x;
        let residuals: f64 = xs.iter().zip(&ys).map(|(x, y)| (y - (intercept + slope * x)).powi(2)).sum();
        (residuals / (n - 2.0) / sxx).sqrt()
    } else {
        0.0
    };
    // From the latest value at the latest date: the line's level there is what the user sees.
    let missing = target - last.value;
    let days_at = |pace: f64| -> Option<NaiveDate> {
        if pace <= 0.0 {
            return None;
        }
        let days = (missing / pace).ceil();
        if !days.is_finite() || days > 365.0 * 200.0 {
            return None;
        }
        last.date.checked_add_days(Days::new(days as u64))
    };
    let Some(date) = days_at(slope) else { return Forecast::Stalled };
    Forecast::Expected {
        date,
        earliest: days_at(slope + error).unwrap_or(date),
        latest: days_at(slope - error),
        per_month: slope * DAYS_PER_MONTH,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    Reached,
    /// Even the slow end of the range is in time.
    OnTrack,
    /// The expected date is in time, the slow end of the range is not.
    AtRisk,
    /// The expected date is after the deadline, or there is no progress.
    OffTrack,
    /// No history to judge.
    Unknown,
}

pub fn verdict(forecast: &Forecast, deadline: NaiveDate) -> Verdict {
    match *forecast {
        Forecast::NoHistory => Verdict::Unknown,
        Forecast::Reached { .. } => Verdict::Reached,
        Forecast::Stalled => Verdict::OffTrack,
        Forecast::Expected { date, latest, .. } => {
            if date > deadline {
                Verdict::OffTrack
            } else if latest.is_some_and(|l| l <= deadline) {
                Verdict::OnTrack
            } else {
                Verdict::AtRisk
            }
        }
    }
}

/// The verdict in one sentence, as leadership reads it on the target's card.
pub fn explain(forecast: &Forecast, deadline: NaiveDate, lang: Lang) -> String {
    let d = |date: NaiveDate| fmt_date(date, lang);
    match (*forecast, verdict(forecast, deadline)) {
        (Forecast::Reached { on }, _) => {
            lang.pick(format!("Ziel erreicht am {}.", d(on)), format!("Target reached on {}.", d(on)))
        }
        (Forecast::NoHistory, _) => lang.pick(
            "Noch zu wenige Messpunkte für eine Prognose.".into(),
            "Too few data points for a forecast yet.".into(),
        ),
        (Forecast::Stalled, _) => lang.pick(
            format!(
                "Kein Fortschritt im betrachteten Zeitraum: Bei diesem Tempo wird das Ziel bis {} nicht erreicht.",
                d(deadline)
            ),
            format!("No progress in the period observed: at this pace the target is not reached by {}.", d(deadline)),
        ),
        (Forecast::Expected { date, earliest, latest, .. }, verdict) => {
            let range_de = match latest {
                Some(l) if l != earliest => format!(" (Spanne {} bis {})", d(earliest), d(l)),
                None => format!(" (frühestens {}, spätestens offen)", d(earliest)),
                _ => String::new(),
            };
            let range_en = match latest {
                Some(l) if l != earliest => format!(" (range {} to {})", d(earliest), d(l)),
                None => format!(" (earliest {}, latest open)", d(earliest)),
                _ => String::new(),
            };
            let (de, en) = match verdict {
                Verdict::OnTrack => ("im Plan", "on track"),
                Verdict::AtRisk => ("gefährdet", "at risk"),
                _ => ("nicht im Plan", "off track"),
            };
            lang.pick(
                format!(
                    "Beim bisherigen Tempo wird das Ziel am {}{range_de} erreicht – {de} für die Frist {}.",
                    d(date),
                    d(deadline)
                ),
                format!(
                    "At the current pace the target is reached on {}{range_en} – {en} for the deadline {}.",
                    d(date),
                    d(deadline)
                ),
            )
        }
    }
}

/// How a milestone's forecast dates moved from Stichtag to Stichtag: the shape of its line in
/// the milestone trend analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Trend {
    /// Fewer than two forecasts.
    NoHistory,
    Reached,
    /// No change: on plan.
    Flat,
    /// Only later (or net later with at most one change of direction).
    Slipping,
    /// Only earlier (or net earlier with at most one change of direction).
    Earlier,
    /// At least two changes of direction: unreliable planning.
    ZigZag,
}

impl Trend {
    /// The MTA reading in words, for tables and summaries.
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            Trend::NoHistory => lang.t("zu wenige Stichtage", "too few reporting dates"),
            Trend::Reached => lang.t("erreicht", "reached"),
            Trend::Flat => lang.t("stabil (im Plan)", "flat (on plan)"),
            Trend::Slipping => lang.t("verschiebt sich", "slipping"),
            Trend::Earlier => lang.t("früher als geplant", "moving earlier"),
            Trend::ZigZag => lang.t("schwankend (unsichere Planung)", "zig-zag (unreliable planning)"),
        }
    }
}

/// `forecasts` in the order of the Stichtage; `reached` when the milestone has an actual date.
pub fn milestone_trend(forecasts: &[NaiveDate], reached: bool) -> Trend {
    if reached {
        return Trend::Reached;
    }
    if forecasts.len() < 2 {
        return Trend::NoHistory;
    }
    let moves: Vec<i64> = forecasts.windows(2).map(|w| (w[1] - w[0]).num_days()).filter(|days| *days != 0).collect();
    if moves.is_empty() {
        return Trend::Flat;
    }
    let turns = moves.windows(2).filter(|w| (w[0] > 0) != (w[1] > 0)).count();
    if turns >= 2 {
        return Trend::ZigZag;
    }
    let net: i64 = moves.iter().sum();
    match net {
        n if n > 0 => Trend::Slipping,
        n if n < 0 => Trend::Earlier,
        _ => Trend::ZigZag, // back where it started after going both ways
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn obs(points: &[(NaiveDate, f64)]) -> Vec<Observation> {
        points.iter().map(|(date, value)| Observation { date: *date, value: *value }).collect()
    }

    #[test]
    fn no_history() {
        assert_eq!(forecast(&[], 100.0), Forecast::NoHistory);
        assert_eq!(forecast(&obs(&[(day(2026, 1, 1), 10.0)]), 100.0), Forecast::NoHistory);
        // Two observations on the same day give no pace either.
        assert_eq!(forecast(&obs(&[(day(2026, 1, 1), 10.0), (day(2026, 1, 1), 12.0)]), 100.0), Forecast::NoHistory);
        assert_eq!(verdict(&Forecast::NoHistory, day(2026, 12, 31)), Verdict::Unknown);
        assert!(explain(&Forecast::NoHistory, day(2026, 12, 31), Lang::De).contains("zu wenige"));
    }

    #[test]
    fn all_reached() {
        let history = obs(&[(day(2026, 1, 1), 80.0), (day(2026, 4, 1), 100.0), (day(2026, 7, 1), 100.0)]);
        assert_eq!(forecast(&history, 100.0), Forecast::Reached { on: day(2026, 4, 1) });
        assert_eq!(verdict(&forecast(&history, 100.0), day(2025, 12, 31)), Verdict::Reached);
        assert_eq!(milestone_trend(&[day(2026, 5, 1), day(2026, 6, 1)], true), Trend::Reached);
    }

    #[test]
    fn flat_means_no_progress_and_an_mta_line_on_plan() {
        let history = obs(&[(day(2026, 1, 1), 40.0), (day(2026, 2, 1), 40.0), (day(2026, 3, 1), 40.0)]);
        assert_eq!(forecast(&history, 100.0), Forecast::Stalled);
        assert_eq!(verdict(&Forecast::Stalled, day(2026, 12, 31)), Verdict::OffTrack);
        assert!(explain(&Forecast::Stalled, day(2026, 12, 31), Lang::De).contains("31.12.2026"));
        let planned = day(2026, 9, 30);
        assert_eq!(milestone_trend(&[planned, planned, planned], false), Trend::Flat);
        assert_eq!(milestone_trend(&[planned], false), Trend::NoHistory);
    }

    #[test]
    fn steady_progress_is_extrapolated_exactly() {
        // 10 per 30 days from 40 at 01.01.: 100 is reached 180 days after the last point.
        let history = obs(&[(day(2026, 1, 1), 40.0), (day(2026, 1, 31), 50.0), (day(2026, 3, 2), 60.0)]);
        let Forecast::Expected { date, earliest, latest, per_month } = forecast(&history, 100.0) else {
            panic!("expected a date")
        };
        assert_eq!(date, day(2026, 3, 2) + chrono::Days::new(120));
        assert_eq!((earliest, latest), (date, Some(date)), "a perfect line has no range");
        assert!((per_month - 10.0 * DAYS_PER_MONTH / 30.0).abs() < 1e-9);
        assert_eq!(verdict(&forecast(&history, 100.0), day(2026, 12, 31)), Verdict::OnTrack);
        assert_eq!(verdict(&forecast(&history, 100.0), day(2026, 6, 1)), Verdict::OffTrack);
    }

    #[test]
    fn jumpy_progress_gets_a_range_and_can_be_at_risk() {
        let history = obs(&[
            (day(2026, 1, 1), 10.0),
            (day(2026, 2, 1), 30.0),
            (day(2026, 3, 1), 28.0),
            (day(2026, 4, 1), 50.0),
            (day(2026, 5, 1), 52.0),
        ]);
        let f = forecast(&history, 100.0);
        let Forecast::Expected { date, earliest, latest, .. } = f else { panic!("expected a date") };
        let latest = latest.expect("the slow end still progresses");
        assert!(earliest < date && date < latest, "{earliest} < {date} < {latest}");
        assert_eq!(verdict(&f, date), Verdict::AtRisk, "in time only at the expected date");
        assert_eq!(verdict(&f, latest), Verdict::OnTrack);
        let sentence = explain(&f, date, Lang::De);
        assert!(sentence.contains("gefährdet") && sentence.contains("Spanne"), "{sentence}");
    }

    #[test]
    fn slipping_earlier_and_zig_zag_milestones() {
        let d = |m: u32| day(2026, m, 15);
        assert_eq!(milestone_trend(&[d(6), d(7), d(9)], false), Trend::Slipping);
        assert_eq!(milestone_trend(&[d(9), d(9), d(7)], false), Trend::Earlier);
        // One correction back does not make a zig-zag yet; two changes of direction do.
        assert_eq!(milestone_trend(&[d(6), d(8), d(7)], false), Trend::Slipping);
        assert_eq!(milestone_trend(&[d(6), d(8), d(6), d(9)], false), Trend::ZigZag);
        assert_eq!(milestone_trend(&[d(6), d(8), d(6)], false), Trend::ZigZag, "back and forth ends where it began");
    }
}
