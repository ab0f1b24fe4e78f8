//! Termintreue (schedule adherence) per closed Stichtag: the portfolio as a bold labelled
//! line, each department as a thin grey line for context; the page's table has every figure.

use chrono::{Days, NaiveDate};
use plotters::prelude::*;

use crate::api::charts::Adherence;
use crate::domain::{Lang, fmt_date};

const SIZE: (u32, u32) = (900, 480);

fn day(date: NaiveDate) -> i32 {
    (date - NaiveDate::default()).num_days() as i32
}

pub fn render(data: &Adherence, lang: Lang) -> String {
    let title = lang.t("Termintreue je Stichtag", "Schedule adherence per reporting date");
    let mut svg = String::new();
    let drawn = draw(data, lang, &mut svg);
    super::finish(drawn, svg, SIZE, "adherence", title, &data.summary(lang))
}

fn draw(data: &Adherence, lang: Lang, out: &mut String) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let (Some(first), Some(last)) = (data.stichtage.first(), data.stichtage.last()) else {
        return super::no_data(&root, lang.t("Noch kein Stichtag geschlossen.", "No reporting date closed yet."));
    };
    let mut chart = ChartBuilder::on(&root)
        .margin(16)
        .x_label_area_size(48)
        .y_label_area_size(64)
        .build_cartesian_2d((day(*first) - 10)..(day(*last) + 60), 0f64..105f64)?;
    let label = |d: &i32| fmt_date(NaiveDate::default() + Days::new((*d).max(0) as u64), lang);
    let percent = |v: &f64| format!("{v:.0} %");
    let ink = super::INK;
    chart
        .configure_mesh()
        .x_labels(7)
        .x_label_formatter(&label)
        .y_label_formatter(&percent)
        .y_desc(lang.t("Meilensteine bis Basistermin erreicht", "Milestones reached by baseline"))
        .light_line_style(super::GRID)
        .bold_line_style(super::GRID_BOLD)
        .axis_style(super::AXIS)
        .label_style(("sans-serif", 16).into_font().color(&ink))
        .draw()?;
    let series = |cells: &[crate::api::charts::AdherenceCell]| -> Vec<(i32, f64)> {
        data.stichtage.iter().zip(cells).filter_map(|(d, c)| Some((day(*d), c.share()?))).collect()
    };
    let grey = RGBColor(0x76, 0x76, 0x76);
    for (_, cells) in &data.departments {
        chart.draw_series(LineSeries::new(series(cells), grey.stroke_width(1)))?;
    }
    let overall = series(&data.overall);
    let blue = RGBColor(0x0b, 0x4f, 0x8a);
    chart.draw_series(LineSeries::new(overall.clone(), blue.stroke_width(4)))?;
    chart.draw_series(overall.iter().map(|p| Circle::new(*p, 4, blue.filled())))?;
    if let Some(end) = overall.last() {
        chart.draw_series(std::iter::once(Text::new(
            lang.t("Portfolio", "Portfolio"),
            (end.0 + 6, end.1 + 3.0),
            ("sans-serif", 17).into_font().color(&blue),
        )))?;
    }
    root.draw(&Text::new(
        lang.t("Dünne graue Linien: einzelne Fachbereiche", "Thin grey lines: single departments"),
        (90, SIZE.1 as i32 - 22),
        ("sans-serif", 15).into_font().color(&ink),
    ))?;
    root.present()?;
    Ok(())
}
