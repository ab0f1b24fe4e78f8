//! Stacked bars: one bar per category (a Stichtag, a department), one segment per series
//! (an Ampel, a Reifegrad). Each segment is labelled with its series' symbol and its count, so
//! colour never carries the meaning alone; the legend names the symbols.

use plotters::prelude::*;

use crate::api::charts::AmpelRow;
use crate::domain::{Ampel, Lang};

const SIZE: (u32, u32) = (900, 460);

/// One series of the stack: its symbol (shown in the segments), legend text and colour. The
/// colours have at least 3:1 contrast to white and to the white segment labels.
pub struct Series {
    pub symbol: String,
    pub label: String,
    pub colour: RGBColor,
}

/// A bar: its label on the x axis and one count per series.
pub struct Bar {
    pub label: String,
    pub counts: Vec<i64>,
}

pub fn ampel_series(lang: Lang) -> Vec<Series> {
    Ampel::ALL
        .iter()
        .map(|a| Series {
            symbol: a.symbol().to_string(),
            label: format!("{} {}", a.symbol(), a.label(lang)),
            colour: match a {
                Ampel::Gruen => RGBColor(0x1e, 0x6b, 0x34),
                Ampel::Gelb => RGBColor(0x8a, 0x5a, 0x00),
                Ampel::Rot => RGBColor(0xa4, 0x16, 0x1a),
            },
        })
        .collect()
}

pub fn ampel_bars(rows: &[AmpelRow]) -> Vec<Bar> {
    rows.iter().map(|r| Bar { label: r.label.clone(), counts: vec![r.gruen, r.gelb, r.rot] }).collect()
}

/// The Reifegrad levels as series: the level's digit is its symbol.
pub fn level_series(levels: &[(i64, String)]) -> Vec<Series> {
    const COLOURS: [(u8, u8, u8); 5] =
        [(0x59, 0x59, 0x59), (0x6b, 0x4e, 0x00), (0x8a, 0x3b, 0x00), (0x0b, 0x4f, 0x8a), (0x1e, 0x6b, 0x34)];
    levels
        .iter()
        .enumerate()
        .map(|(i, (level, label))| {
            let (r, g, b) = COLOURS.get(i).copied().unwrap_or(super::PALETTE[i % super::PALETTE.len()]);
            Series { symbol: level.to_string(), label: label.clone(), colour: RGBColor(r, g, b) }
        })
        .collect()
}

/// The Ampel chart of `rows`.
pub fn render_ampel(rows: &[AmpelRow], title: &str, desc: &str, lang: Lang) -> String {
    render(&ampel_bars(rows), &ampel_series(lang), lang.t("Laufende Projekte", "Running projects"), title, desc, lang)
}

pub fn render(bars: &[Bar], series: &[Series], y_desc: &str, title: &str, desc: &str, lang: Lang) -> String {
    let mut svg = String::new();
    let drawn = draw(bars, series, y_desc, lang, &mut svg);
    super::finish(drawn, svg, SIZE, "stacked", title, desc)
}

fn draw(
    bars: &[Bar],
    series: &[Series],
    y_desc: &str,
    lang: Lang,
    out: &mut String,
) -> Result<(), Box<dyn std::error::Error>> {
    let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    if bars.is_empty() {
        return super::no_data(&root, lang.t("Noch kein Stichtag geschlossen.", "No reporting date closed yet."));
    }
    let (chart_area, legend_area) = root.split_vertically(SIZE.1 - 40);
    let max = bars.iter().map(|b| b.counts.iter().sum::<i64>()).max().unwrap_or(1).max(1);
    let n = bars.len() as i32;
    let mut chart = ChartBuilder::on(&chart_area)
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(56)
        .build_cartesian_2d(0..n, 0..(max + max / 10 + 1))?;
    let labels: Vec<String> = bars.iter().map(|b| b.label.clone()).collect();
    let label_of = |i: &i32| labels.get(*i as usize).cloned().unwrap_or_default();
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(bars.len())
        .x_label_formatter(&label_of)
        .y_desc(y_desc)
        .light_line_style(super::GRID)
        .bold_line_style(super::GRID_BOLD)
        .axis_style(super::AXIS)
        .label_style(("sans-serif", 15).into_font().color(&super::INK))
        .draw()?;
    for (i, bar) in bars.iter().enumerate() {
        let x = i as i32;
        let mut base = 0;
        for (s, count) in series.iter().zip(&bar.counts) {
            let count = *count;
            if count == 0 {
                continue;
            }
            chart
                .draw_series(std::iter::once(Rectangle::new([(x, base), (x + 1, base + count)], s.colour.filled())))?;
            // A white gap between bars and segments keeps neighbours apart.
            chart.draw_series(std::iter::once(Rectangle::new(
                [(x, base), (x + 1, base + count)],
                WHITE.stroke_width(2),
            )))?;
            let (px, py0) = chart.backend_coord(&(x, base));
            let (px1, py1) = chart.backend_coord(&(x + 1, base + count));
            if py0 - py1 >= 16 {
                root.draw(&Text::new(
                    format!("{} {count}", s.symbol),
                    ((px + px1) / 2 - 14, (py0 + py1) / 2 - 7),
                    ("sans-serif", 15).into_font().color(&WHITE),
                ))?;
            }
            base += count;
        }
    }
    let step = (SIZE.0 as i32 - 120) / series.len().max(1) as i32;
    let mut x = 100;
    for s in series {
        legend_area.draw(&Rectangle::new([(x, 10), (x + 18, 28)], s.colour.filled()))?;
        legend_area.draw(&Text::new(
            s.label.clone(),
            (x + 24, 11),
            ("sans-serif", 16).into_font().color(&super::INK),
        ))?;
        x += step;
    }
    root.present()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bars_are_stacked_counted_and_explained() {
        let rows = vec![
            AmpelRow { label: "01.10.2026".into(), gruen: 120, gelb: 40, rot: 12 },
            AmpelRow { label: "01.11.2026".into(), gruen: 110, gelb: 45, rot: 20 },
        ];
        let svg = render_ampel(&rows, "Ampel je Stichtag", "Rot von 12 auf 20.", Lang::De).replace('\n', "");
        assert!(svg.contains(
            "<title id=\"chart-title\">Ampel je Stichtag</title><desc id=\"chart-desc\">Rot von 12 auf 20.</desc>"
        ));
        assert!(svg.contains(">■ 20<") && svg.contains(">● 120<"), "segments carry symbol and count");
        assert!(svg.contains(">▲ Gelb<"), "the legend names the symbols");
        for fill in ["#1E6B34", "#8A5A00", "#A4161A"] {
            assert_eq!(svg.matches(&format!("fill=\"{fill}\"")).count(), 3, "{fill}: two bars and the legend");
        }
    }
}
