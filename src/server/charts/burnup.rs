//! Burn-up: shares of completed projects and reached milestones over the closed Stichtage,
//! the trend forecast of the projects line to 100 % with its range, and the deadline. Lines
//! are labelled ("Projekte", "Meilensteine", "Prognose"), so colour never carries meaning alone.

use chrono::{Days, NaiveDate};
use plotters::prelude::*;

use crate::api::charts::BurnUp;
use crate::domain::Lang;
use crate::domain::fmt_date;
use crate::domain::forecast::Forecast;

const SIZE: (u32, u32) = (900, 500);

fn day(date: NaiveDate) -> i32 {
    (date - NaiveDate::default()).num_days() as i32
}
fn date(day: i32) -> NaiveDate {
    NaiveDate::default().checked_add_days(Days::new(day.max(0) as u64)).unwrap_or_default()
}

pub fn render(data: &BurnUp, lang: Lang) -> String {
    let title = lang.t(
        "Burn-up: abgeschlossene Projekte und erreichte Meilensteine",
        "Burn-up: projects completed and milestones reached",
    );
    let mut svg = String::new();
    let drawn = draw(data, lang, &mut svg);
    super::finish(drawn, svg, SIZE, "burnup", title, &data.summary(lang))
}

fn draw(data: &BurnUp, lang: Lang, out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let Some(first) = data.points.first() else {
        return super::no_data(&root, lang.t("Noch kein Stichtag geschlossen.", "No reporting date closed yet."));
    };
    let forecast = data.forecast();
    let (expected, earliest, latest) = match forecast {
        Forecast::Expected { date, earliest, latest, .. } => (Some(date), Some(earliest), latest),
        _ => (None, None, None),
    };
    // Show up to the deadline and the expected date, but never more than ten years ahead.
    let last = data.points.last().map_or(first.date, |p| p.date);
    let horizon = [Some(data.deadline), expected].into_iter().flatten().max().unwrap_or(last);
    let x1 = day(horizon.min(last + Days::new(3650))) + 60;
    let x0 = day(first.date) - 15;
    let mut chart = ChartBuilder::on(&root)
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(x0..x1, 0f64..105f64)?;
    let label = |d: &i32| fmt_date(date(*d), lang);
    let percent = |v: &f64| format!("{v:.0} %");
    let ink = super::INK;
    chart
        .configure_mesh()
        .x_labels(7)
        .x_label_formatter(&label)
        .y_label_formatter(&percent)
        .y_desc(lang.t("Anteil erledigt", "Share done"))
        .light_line_style(super::GRID)
        .bold_line_style(super::GRID_BOLD)
        .axis_style(super::AXIS)
        .label_style(("sans-serif", 16).into_font().color(&ink))
        .draw()?;
    let grey = RGBColor(0x59, 0x59, 0x59);
    let deadline = day(data.deadline);
    if deadline <= x1 {
        chart.draw_series(LineSeries::new([(deadline, 0.0), (deadline, 100.0)], grey.stroke_width(2)))?;
        chart.draw_series(std::iter::once(Text::new(
            lang.pick(
                format!("Frist {}", fmt_date(data.deadline, lang)),
                format!("Deadline {}", fmt_date(data.deadline, lang)),
            ),
            (deadline - 160, 102.0),
            ("sans-serif", 15).into_font().color(&grey),
        )))?;
    }
    let blue = RGBColor(0x0b, 0x4f, 0x8a);
    let green = RGBColor(0x1e, 0x6b, 0x34);
    for (observations, colour, name) in [
        (data.projects(), blue, lang.t("Projekte", "Projects")),
        (data.milestones(), green, lang.t("Meilensteine", "Milestones")),
    ] {
        let points: Vec<(i32, f64)> = observations.iter().map(|o| (day(o.date), o.value)).collect();
        chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(3)))?;
        chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, colour.filled())))?;
        if let Some(end) = points.last() {
            chart.draw_series(std::iter::once(Text::new(
                name,
                (end.0 + 6, end.1 + 3.0),
                ("sans-serif", 16).into_font().color(&colour),
            )))?;
        }
    }
    // The trend of the projects line to 100 %, with its range as thin lines.
    if let (Some(expected), Some(start)) = (expected, data.projects().last()) {
        let from = (day(start.date), start.value);
        chart.draw_series(LineSeries::new([from, (day(expected), 100.0)], blue.stroke_width(1)))?;
        for bound in [earliest, latest].into_iter().flatten() {
            chart.draw_series(LineSeries::new([from, (day(bound), 100.0)], grey.stroke_width(1)))?;
        }
        chart.draw_series(std::iter::once(Text::new(
            lang.pick(
                format!("Prognose {}", fmt_date(expected, lang)),
                format!("Forecast {}", fmt_date(expected, lang)),
            ),
            (day(expected).min(x1 - 200), 96.0),
            ("sans-serif", 15).into_font().color(&blue),
        )))?;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::charts::BurnPoint;

    #[test]
    fn lines_forecast_and_deadline_are_drawn_and_described() {
        let d = |m: u32| NaiveDate::from_ymd_opt(2026, m, 1).unwrap();
        let points = (1..=6)
            .map(|m| BurnPoint {
                date: d(m),
                projects_done: 10 * m as i64,
                projects_total: 200,
                milestones_done: 40 * m as i64,
                milestones_total: 800,
            })
            .collect();
        let data = BurnUp { points, deadline: NaiveDate::from_ymd_opt(2027, 12, 31).unwrap() };
        let svg = render(&data, Lang::De).replace('\n', "");
        assert!(svg.contains("<title id=\"chart-title\">Burn-up"));
        assert!(svg.contains(">Projekte<") && svg.contains(">Meilensteine<") && svg.contains(">Frist 31.12.2027<"));
        assert!(svg.contains(">Prognose "), "the trend to 100 % is labelled");
        let desc = svg.split("<desc id=\"chart-desc\">").nth(1).unwrap();
        assert!(desc.contains("30,0 % der Projekte abgeschlossen") && desc.contains("Frist 31.12.2027"), "{desc}");
    }
}
