//! Benchmark helper for `bench/charts/run.sh`: renders the milestone trend analysis (30
//! milestones × 24 Stichtage) and the usage chart (36 months, overall and six services) with
//! plotters, `--repeat` times each, and prints the median render time as JSON. `--data FILE`
//! writes the same chart data for the matplotlib peer (`bench/charts/peer.py`).

use std::time::Instant;

use chrono::{Days, Months, NaiveDate};
use leitstand::api::charts::{MtaData, MtaLine, UsageData, UsageSeries};
use leitstand::domain::Lang;
use leitstand::domain::forecast::milestone_trend;
use leitstand::server::charts::{render_mta, render_usage};

fn mta() -> MtaData {
    let start = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap();
    let stichtage: Vec<NaiveDate> = (0..24).map(|k| start + Months::new(k)).collect();
    let lines = (0..30)
        .map(|i: u64| {
            let baseline = start + Days::new(120 + i * 19);
            let mut points = Vec::new();
            let mut forecast = baseline;
            let mut reached = None;
            for (k, s) in stichtage.iter().enumerate() {
                if reached.is_some() {
                    break;
                }
                // Slipping, flat, earlier and zig-zag lines, as a real portfolio has them.
                let step = match i % 4 {
                    0 => 7,
                    1 => 0,
                    2 => -3,
                    _ => {
                        if k % 2 == 0 {
                            12
                        } else {
                            -9
                        }
                    }
                };
                forecast = forecast.checked_add_signed(chrono::Duration::days(step)).unwrap();
                if forecast <= *s {
                    reached = Some(*s);
                }
                points.push((*s, forecast.max(*s)));
            }
            let forecasts: Vec<NaiveDate> = points.iter().map(|p| p.1).collect();
            MtaLine {
                number: i as usize + 1,
                title: format!("Meilenstein {}", i + 1),
                is_key: i.is_multiple_of(7),
                baseline,
                trend: milestone_trend(&forecasts, reached.is_some()),
                points,
                reached,
            }
        })
        .collect();
    MtaData { project_id: 1, key: "DIG-0001".into(), title: "Benchmark".into(), stichtage, lines }
}

fn usage() -> UsageData {
    let months: Vec<String> = (0..36).map(|i| format!("{}-{:02}", 2023 + i / 12, i % 12 + 1)).collect();
    let rate = |base: f64, slope: f64, i: usize| Some((base + slope * i as f64 + ((i * 7) % 5) as f64).min(99.0));
    let overall = (0..36).map(|i| rate(30.0, 0.9, i)).collect();
    let services = (0..6)
        .map(|k| UsageSeries {
            number: k + 1,
            name: format!("Leistung {}", k + 1),
            ozg_id: format!("{}", 10_000 + k),
            rates: (0..36).map(|i| rate(10.0 + 12.0 * k as f64, 0.5 + 0.1 * k as f64, i)).collect(),
            online: 1_000 * (k as i64 + 1),
            total: 2_000 * (k as i64 + 1),
        })
        .collect();
    UsageData { months, overall, services, target: 60.0 }
}

fn median_ms(repeat: usize, mut render: impl FnMut() -> String) -> (f64, usize) {
    let bytes = render().len(); // warm-up
    let mut times: Vec<f64> = (0..repeat)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(render());
            start.elapsed().as_secs_f64() * 1000.0
        })
        .collect();
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], bytes)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned();
    let repeat: usize = arg("--repeat").and_then(|r| r.parse().ok()).unwrap_or(100).max(1);
    let (mta, usage) = (mta(), usage());
    if let Some(path) = arg("--data") {
        let data = serde_json::json!({ "mta": mta, "usage": usage });
        std::fs::write(&path, data.to_string()).expect("write the chart data");
    }
    let (mta_ms, mta_bytes) = median_ms(repeat, || render_mta(&mta, Lang::De));
    let (usage_ms, usage_bytes) = median_ms(repeat, || render_usage(&usage, Lang::De));
    println!(
        "{}",
        serde_json::json!({ "mta_ms": mta_ms, "usage_ms": usage_ms, "mta_bytes": mta_bytes, "usage_bytes": usage_bytes })
    );
}
