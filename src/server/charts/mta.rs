//! The milestone trend analysis (MTA): report dates on x, milestone dates on y, both on the
//! same scale; the diagonal y = x closes the triangle. One numbered polyline per milestone
//! joins its forecasts and ends on the diagonal when the milestone is reached.

use chrono::{Days, NaiveDate};
use plotters::prelude::*;

use super::PALETTE;
use crate::api::charts::MtaData;
use crate::domain::{Lang, fmt_date};

const SIZE: (u32, u32) = (900, 560);
/// Days since 1970-01-01: plotters draws plain numbers, the labels turn them into dates.
fn day(date: NaiveDate) -> i32 {
    (date - NaiveDate::default()).num_days() as i32
}
fn date(day: i32) -> NaiveDate {
    NaiveDate::default().checked_add_days(Days::new(day.max(0) as u64)).unwrap_or_default()
}

pub fn render(data: &MtaData, lang: Lang) -> String {
    let title = if data.title.is_empty() {
        lang.pick(format!("Meilensteintrendanalyse {}", data.key), format!("Milestone trend analysis {}", data.key))
    } else {
        lang.pick(
            format!("Meilensteintrendanalyse {} – {}", data.key, data.title),
            format!("Milestone trend analysis {} – {}", data.key, data.title),
        )
    };
    let mut svg = String::new();
    let drawn = draw(data, lang, &mut svg);
    super::finish(drawn, svg, SIZE, "mta", &title, &data.summary(lang))
}

fn draw(data: &MtaData, lang: Lang, out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (Some(first), Some(last)) = (data.stichtage.first(), data.stichtage.last()) else {
        return super::no_data(
            &root,
            lang.t("Noch keine Prognosen zu Stichtagen.", "No forecasts at reporting dates yet."),
        );
    };
    let x0 = day(*first) - 15;
    let x1 = day(*last) + 30;
    let forecasts = data.lines.iter().flat_map(|l| l.points.iter().map(|p| day(p.1)).chain(l.reached.map(day)));
    let (lo, hi) = forecasts.fold((x0, x1), |(lo, hi), d| (lo.min(d), hi.max(d)));
    let (y0, y1) = (lo - 15, hi + 30);
    let mut chart = ChartBuilder::on(&root)
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(96)
        .build_cartesian_2d(x0..x1, y0..y1)?;
    let label = |d: &i32| fmt_date(date(*d), lang);
    chart
        .configure_mesh()
        .x_desc(lang.t("Stichtag (Berichtsdatum)", "Reporting date"))
        .y_desc(lang.t("Prognostizierter Termin", "Forecast date"))
        .x_label_formatter(&label)
        .y_label_formatter(&label)
        .x_labels(8)
        .y_labels(10)
        .light_line_style(super::GRID)
        .bold_line_style(super::GRID_BOLD)
        .axis_style(super::AXIS)
        .label_style(("sans-serif", 16).into_font().color(&super::INK))
        .draw()?;
    // The diagonal: where report date and milestone date meet.
    let (d0, d1) = (x0.max(y0), x1.min(y1));
    chart.draw_series(LineSeries::new([(d0, d0), (d1, d1)], RGBColor(0x59, 0x59, 0x59).stroke_width(2)))?;
    for line in &data.lines {
        let (r, g, b) = PALETTE[(line.number - 1) % PALETTE.len()];
        let colour = RGBColor(r, g, b);
        let mut points: Vec<(i32, i32)> = line.points.iter().map(|(x, y)| (day(*x), day(*y))).collect();
        if let Some(reached) = line.reached {
            points.push((day(reached), day(reached)));
        }
        let width = if line.is_key { 3 } else { 2 };
        chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(width)))?;
        // Markers: filled at each Stichtag; a reached milestone ends in a larger ring.
        chart.draw_series(points.iter().map(|p| Circle::new(*p, 3, colour.filled())))?;
        if let (true, Some(end)) = (line.reached.is_some(), points.last()) {
            chart.draw_series(std::iter::once(Circle::new(*end, 7, colour.stroke_width(2))))?;
        }
        if let Some(end) = points.last() {
            chart.draw_series(std::iter::once(Text::new(
                line.number.to_string(),
                (end.0 + 4, end.1 + 4),
                ("sans-serif", 18).into_font().color(&colour),
            )))?;
        }
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::charts::MtaLine;
    use crate::domain::forecast::Trend;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn sample() -> MtaData {
        MtaData {
            project_id: 1,
            key: "DIG-0001".into(),
            title: "E-Akte <Bauamt> & Co".into(),
            stichtage: vec![d(2026, 1, 1), d(2026, 2, 1), d(2026, 3, 1)],
            lines: vec![
                MtaLine {
                    number: 1,
                    title: "Pilot".into(),
                    is_key: true,
                    baseline: d(2026, 6, 1),
                    points: vec![
                        (d(2026, 1, 1), d(2026, 6, 1)),
                        (d(2026, 2, 1), d(2026, 7, 1)),
                        (d(2026, 3, 1), d(2026, 8, 1)),
                    ],
                    reached: None,
                    trend: Trend::Slipping,
                },
                MtaLine {
                    number: 2,
                    title: "Konzept".into(),
                    is_key: false,
                    baseline: d(2026, 2, 15),
                    points: vec![(d(2026, 1, 1), d(2026, 2, 15)), (d(2026, 2, 1), d(2026, 2, 15))],
                    reached: Some(d(2026, 2, 20)),
                    trend: Trend::Reached,
                },
            ],
        }
    }

    #[test]
    fn the_svg_names_itself_and_draws_one_line_per_milestone_plus_the_diagonal() {
        let svg = render(&sample(), Lang::De);
        assert!(svg.contains("role=\"img\""), "{svg}");
        assert!(svg.contains(
            "<title id=\"chart-title\">Meilensteintrendanalyse DIG-0001 – E-Akte &lt;Bauamt&gt; &amp; Co</title>"
        ));
        let desc = svg.split("<desc id=\"chart-desc\">").nth(1).unwrap().split("</desc>").next().unwrap();
        assert!(desc.contains("2 Meilensteine, davon 1 erreicht") && desc.contains("verschieben sich"), "{desc}");
        // Axes and ticks are dark grey polylines; data lines and the diagonal are the others.
        let data_lines = svg.split("<polyline").skip(1).filter(|p| !p.contains("stroke=\"#333333\"")).count();
        assert_eq!(data_lines, 3, "two milestones and the diagonal");
        assert!(svg.contains("stroke=\"#0B4F8A\" stroke-width=\"3\""), "the key milestone is drawn bolder");
        let flat = svg.replace('\n', "");
        assert!(flat.contains(".2026<") && !flat.contains("2026-"), "dates are labelled in German");
        assert!(flat.contains(">1<") && flat.contains(">2<"), "lines are numbered");
        assert_eq!(svg.matches("<title").count(), 1);
    }

    #[test]
    fn without_history_the_chart_says_so() {
        let mut data = sample();
        data.stichtage.clear();
        data.lines.clear();
        let svg = render(&data, Lang::En);
        assert!(svg.contains("No forecasts at reporting dates yet."));
        assert!(svg.contains("<desc id=\"chart-desc\">No forecasts"));
    }
}
