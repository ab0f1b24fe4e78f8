//! Online-usage rate over the months: overall (weighted by volume), the best and the worst
//! services, against the target line. Numbered lines, so colour never carries meaning alone.

use plotters::prelude::*;

use super::PALETTE;
use crate::api::charts::UsageData;
use crate::domain::Lang;

const SIZE: (u32, u32) = (900, 520);

fn month_label(month: &str, lang: Lang) -> String {
    match (lang, month.split_once('-')) {
        (Lang::De, Some((year, m))) => format!("{m}.{year}"),
        _ => month.to_string(),
    }
}

pub fn render(data: &UsageData, lang: Lang) -> String {
    let title = lang.t("Nutzungsquote der Online-Leistungen je Monat", "Online usage rate per month");
    let mut svg = String::new();
    let drawn = draw(data, lang, &mut svg);
    super::finish(drawn, svg, SIZE, "usage", title, &data.summary(lang))
}

fn draw(data: &UsageData, lang: Lang, out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    if data.months.is_empty() {
        return super::no_data(&root, lang.t("Noch keine Nutzungszahlen.", "No usage figures yet."));
    }
    let n = data.months.len() as i32;
    let mut chart = ChartBuilder::on(&root)
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d(0..(n + 1), 0f64..100f64)?;
    let months = &data.months;
    let label = |i: &i32| months.get(*i as usize).map(|m| month_label(m, lang)).unwrap_or_default();
    let percent = |v: &f64| format!("{v:.0} %");
    chart
        .configure_mesh()
        .x_labels(8)
        .x_label_formatter(&label)
        .y_label_formatter(&percent)
        .y_desc(lang.t("Online-Anteil der Anträge", "Share of applications online"))
        .light_line_style(super::GRID)
        .bold_line_style(super::GRID_BOLD)
        .axis_style(super::AXIS)
        .label_style(("sans-serif", 16).into_font().color(&super::INK))
        .draw()?;
    let grey = RGBColor(0x59, 0x59, 0x59);
    chart.draw_series(LineSeries::new([(0, data.target), (n - 1, data.target)], grey.stroke_width(2)))?;
    chart.draw_series(std::iter::once(Text::new(
        lang.pick(format!("Ziel {} %", data.target), format!("Target {} %", data.target)),
        (0, data.target + 4.0),
        ("sans-serif", 16).into_font().color(&grey),
    )))?;
    let series = |rates: &[Option<f64>]| -> Vec<(i32, f64)> {
        rates.iter().enumerate().filter_map(|(i, r)| r.map(|r| (i as i32, r))).collect()
    };
    for (k, s) in data.services.iter().enumerate() {
        let (r, g, b) = PALETTE[(k + 1) % PALETTE.len()];
        let colour = RGBColor(r, g, b);
        let points = series(&s.rates);
        chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?;
        if let Some(end) = points.last() {
            chart.draw_series(std::iter::once(Text::new(
                s.number.to_string(),
                (end.0, end.1),
                ("sans-serif", 18).into_font().color(&colour),
            )))?;
        }
    }
    let overall = series(&data.overall);
    let ink = super::INK;
    chart.draw_series(LineSeries::new(overall.clone(), ink.stroke_width(4)))?;
    if let Some(end) = overall.last() {
        chart.draw_series(std::iter::once(Text::new(
            lang.t("gesamt", "overall"),
            (end.0, end.1 + 4.0),
            ("sans-serif", 18).into_font().color(&ink),
        )))?;
    }
    root.present()?;
    Ok(())
}
