//! The Statusbericht of one Stichtag as PDF: the same sections as its HTML page
//! (`ui::pages::report`), read through the same query (`db::reporting::status_report`).

use super::{Block, Cell, Column, Document, Section};
use crate::api::reporting::{AmpelChange, MilestoneMove};
use crate::domain::{Ampel, Lang, fmt_date, fmt_int, fmt_signed};
use crate::error::AppError;
use crate::server::db::Db;

pub async fn statusbericht(db: &Db, stichtag_id: i64, lang: Lang) -> Result<(Document, String), AppError> {
    let report = crate::server::db::reporting::status_report(db, stichtag_id).await?;
    let Some(s) = report.latest.clone() else { return Err(AppError::NotFound) };
    let date = fmt_date(s.report_date, lang);
    let mut doc = Document::new(
        lang,
        lang.pick(format!("Statusbericht zum Stichtag {date}"), format!("Status report for {date}")),
        lang.t(
            "Digitalisierungsprogramm der Stadt – Stabsstelle Digitalisierung",
            "City digitisation programme – digitisation staff unit",
        )
        .into(),
    );
    doc.keywords = vec![lang.t("Statusbericht", "Status report").into(), date.clone()];
    doc.intro.push(s.report_state(lang));
    doc.footer = lang.pick(format!("Statusbericht {date} · Leitstand"), format!("Status report {date} · Leitstand"));

    let total: i64 = report.ampel.iter().map(|a| a.now).sum();
    let before = report.previous.as_ref().map(|p| fmt_date(p.report_date, lang));
    let mut columns = vec![Column::text(lang.t("Ampel", "Status"))];
    columns.extend(before.iter().map(|b| Column::number(b.clone())));
    columns.push(Column::number(date.clone()));
    let rows = report
        .ampel
        .iter()
        .map(|a| {
            let mut row = vec![Cell::ampel(&a.ampel, lang)];
            if before.is_some() {
                row.push(a.before.map(|b| fmt_int(b, lang)).unwrap_or_else(|| "–".into()).into());
            }
            row.push(fmt_int(a.now, lang).into());
            row
        })
        .collect();
    let mut portfolio = Section::new(lang.t("1. Portfolio-Ampel", "1. Portfolio status"))
        .text(lang.pick(
            format!(
                "{} laufende Projekte; {} von {} Sachständen freigegeben.",
                fmt_int(total, lang),
                fmt_int(s.approved, lang),
                fmt_int(s.due, lang)
            ),
            format!(
                "{} running projects; {} of {} reports approved.",
                fmt_int(total, lang),
                fmt_int(s.approved, lang),
                fmt_int(s.due, lang)
            ),
        ))
        .push(Block::table(None, columns, rows));
    if !s.is_open() {
        // The department chart reads frozen snapshots, which an open Stichtag does not have yet.
        let (svg, summary) = crate::server::charts::ampel_by_department_svg(db, lang, Some(s.id)).await?;
        portfolio = portfolio.push(Block::chart(
            1,
            svg,
            summary,
            lang.t(
                "Ampel der laufenden Projekte je Fachbereich; die Zahlen stehen in der Tabelle darunter.",
                "Status of running projects per department; the table below gives the figures.",
            )
            .into(),
        ));
    }
    let mut columns = vec![Column::text(lang.t("Fachbereich", "Department"))];
    columns.extend(Ampel::ALL.iter().map(|a| Column::number(format!("{} {}", a.symbol(), a.label(lang)))));
    let rows = report
        .by_department
        .iter()
        .map(|r| {
            vec![
                r.label.clone().into(),
                fmt_int(r.gruen, lang).into(),
                fmt_int(r.gelb, lang).into(),
                fmt_int(r.rot, lang).into(),
            ]
        })
        .collect();
    portfolio = portfolio.push(Block::table(
        Some(lang.t("Laufende Projekte je Fachbereich und Ampel", "Running projects per department and status").into()),
        columns,
        rows,
    ));
    doc.sections.push(portfolio);

    let attention = Section::new(
        lang.t("2. Projekte mit Ampel Rot oder Entscheidungsbedarf", "2. Projects in red or asking for a decision"),
    );
    doc.sections.push(if report.attention.is_empty() {
        attention.text(lang.t("Keine.", "None."))
    } else {
        let columns = vec![
            Column::text(lang.t("Projekt", "Project")),
            Column::short(lang.t("Ampel", "Status")),
            Column::wide(lang.t("Entscheidungsbedarf", "Decision needed")),
            Column::wide(lang.t("Risiken und Begründung", "Risks and reason")),
        ];
        let rows = report
            .attention
            .iter()
            .map(|a| {
                vec![
                    format!("{} {} ({})", a.key, a.title, a.department_code).into(),
                    Cell::ampel(&a.ampel, lang),
                    a.decisions_needed.clone().into(),
                    a.risks.clone().into(),
                ]
            })
            .collect();
        attention.push(Block::table(None, columns, rows))
    });
    doc.sections.push(ampel_changes(
        &report.changes,
        lang.t("3. Ampeländerungen seit dem vorigen Stichtag", "3. Status changes since the previous reporting date"),
        lang,
    ));
    doc.sections.push(moves(
        &report.slipped_key,
        lang.t("4. Verschobene Schlüsselmeilensteine", "4. Slipped key milestones"),
        lang,
    ));
    doc.sections.push(Section::new(lang.t("Quelle", "Source")).text(lang.pick(
        format!("Sachstände der Lotsinnen und Lotsen zum Stichtag {date}, freigegeben durch die Stabsstelle."),
        format!("The pilots' reports for {date}, approved by the staff unit."),
    )));
    let file =
        lang.pick(format!("Statusbericht-{}.pdf", s.report_date), format!("Status-report-{}.pdf", s.report_date));
    Ok((doc, file))
}

fn ampel_changes(changes: &[AmpelChange], heading: &str, lang: Lang) -> Section {
    let section = Section::new(heading);
    if changes.is_empty() {
        return section.text(lang.t("Keine.", "None."));
    }
    let columns = vec![
        Column::text(lang.t("Projekt", "Project")),
        Column::short(lang.t("Vorher", "Before")),
        Column::short(lang.t("Nachher", "After")),
        Column::wide(lang.t("Begründung", "Reason")),
    ];
    let rows = changes
        .iter()
        .map(|c| {
            vec![
                format!("{} {}", c.key, c.title).into(),
                match &c.before {
                    Some(code) => Cell::ampel(code, lang),
                    None => lang.t("neu im Portfolio", "new in the portfolio").into(),
                },
                Cell::ampel(&c.after, lang),
                c.reason.clone().into(),
            ]
        })
        .collect();
    section.push(Block::table(None, columns, rows))
}

fn moves(moves: &[MilestoneMove], heading: &str, lang: Lang) -> Section {
    let section = Section::new(format!("{heading} ({})", fmt_int(moves.len() as i64, lang)));
    if moves.is_empty() {
        return section.text(lang.t("Keine.", "None."));
    }
    let columns = vec![
        Column::text(lang.t("Projekt", "Project")),
        Column::wide(lang.t("Meilenstein", "Milestone")),
        Column::number(lang.t("Vorher", "Before")),
        Column::number(lang.t("Nachher", "After")),
        Column::number(lang.t("Tage", "Days")),
    ];
    let rows = moves
        .iter()
        .map(|m| {
            vec![
                m.key.clone().into(),
                format!(
                    "{}{}",
                    m.title,
                    if m.is_key { lang.t(" (Schlüsselmeilenstein)", " (key milestone)") } else { "" }
                )
                .into(),
                fmt_date(m.before, lang).into(),
                fmt_date(m.after, lang).into(),
                fmt_signed(m.days, lang).into(),
            ]
        })
        .collect();
    section.push(Block::table(None, columns, rows))
}
