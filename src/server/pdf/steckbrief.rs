//! The Projektsteckbrief as PDF: profile, milestones, milestone trend analysis and linked OZG
//! services; the same data as the project page (`ui::pages::project`) without its forms.

use chrono::NaiveDate;

use super::{Block, Cell, Column, Document, Fact, Section};
use crate::domain::{Category, Lang, Phase, fmt_cents, fmt_date, fmt_int, fmt_opt_date, fmt_signed};
use crate::error::AppError;
use crate::server::db::Db;

pub async fn steckbrief(
    db: &Db,
    project_id: i64,
    lang: Lang,
    today: NaiveDate,
) -> Result<(Document, String), AppError> {
    let detail = crate::server::db::projects::detail(db, project_id, today).await?;
    let p = &detail.project;
    let mut doc = Document::new(
        lang,
        format!("{} {}", p.key, p.title),
        lang.pick(
            format!("Projektsteckbrief · {}", p.department_name),
            format!("Project profile · {}", p.department_name),
        ),
    );
    doc.keywords = vec![lang.t("Projektsteckbrief", "Project profile").into(), p.key.clone()];
    doc.intro.push(lang.pick(
        format!("Stand: {} (aktueller Datenstand in Leitstand).", fmt_date(today, lang)),
        format!("As of {} (current data in Leitstand).", fmt_date(today, lang)),
    ));
    doc.footer =
        lang.pick(format!("Projektsteckbrief {} · Leitstand", p.key), format!("Project profile {} · Leitstand", p.key));

    let reached = detail.milestones.iter().filter(|m| m.actual_date.is_some()).count();
    let lotse = match (&p.lotse_title, &p.lotse_person) {
        (Some(t), Some(n)) => format!("{t} ({n})"),
        (Some(t), None) => t.clone(),
        _ => lang.t("nicht besetzt", "vacant").into(),
    };
    let dash = || "–".to_string();
    let facts = vec![
        Fact::new(lang.t("Schlüssel", "Key"), p.key.clone()),
        Fact::new(lang.t("Ampel", "Status"), Cell::ampel(&p.ampel, lang)),
        Fact::new(
            lang.t("Begründung der Ampel", "Reason for the status"),
            if p.ampel_reason.is_empty() { dash() } else { p.ampel_reason.clone() },
        ),
        Fact::new(lang.t("Fortschritt", "Progress"), format!("{} %", p.percent_done)),
        Fact::new(lang.t("Phase", "Phase"), Phase::parse(&p.phase).map_or(p.phase.clone(), |x| x.label(lang).into())),
        Fact::new(
            lang.t("Kategorie", "Category"),
            Category::parse(&p.category).map_or(p.category.clone(), |c| c.label(lang).into()),
        ),
        Fact::new(lang.t("Fachbereich", "Department"), format!("{} {}", p.department_code, p.department_name)),
        Fact::new(lang.t("Lotse/Lotsin", "Pilot"), lotse),
        Fact::new(lang.t("Auftraggeber/in", "Sponsor"), p.sponsor_title.clone().unwrap_or_else(dash)),
        Fact::new(
            lang.t("Ziel / Handlungsfeld", "Goal / field of action"),
            format!(
                "{} / {}",
                p.goal_title.clone().unwrap_or_else(dash),
                p.handlungsfeld_title.clone().unwrap_or_else(dash)
            ),
        ),
        Fact::new(
            lang.t("Laufzeit", "Duration"),
            format!("{} – {}", fmt_date(p.start_date, lang), fmt_date(p.planned_end, lang)),
        ),
        Fact::new(lang.t("Budget", "Budget"), p.budget_cents.map(|c| fmt_cents(c, lang)).unwrap_or_else(dash)),
        Fact::new(
            lang.t("Meilensteine", "Milestones"),
            lang.pick(
                format!("{reached} von {} erreicht", detail.milestones.len()),
                format!("{reached} of {} reached", detail.milestones.len()),
            ),
        ),
    ];
    doc.sections.push(
        Section::new(lang.t("Steckbrief", "Profile"))
            .push(Block::Facts { items: facts })
            .push(Block::Subheading { text: lang.t("Beschreibung", "Description").into() })
            .text(p.description.clone())
            .push(Block::Subheading { text: lang.t("Ziel und Nutzen", "Goal and benefit").into() })
            .text(p.benefit.clone()),
    );

    let columns = vec![
        // The running number of the project page and the export's Meilenstein-Nr (DIG-0042/3).
        Column::number(lang.t("Nr.", "No.")),
        Column::wide(lang.t("Meilenstein", "Milestone")),
        Column::number(lang.t("Basistermin", "Baseline")),
        Column::number(lang.t("Prognose", "Forecast")),
        Column::number(lang.t("Ist-Termin", "Actual")),
        Column::number(lang.t("Abweichung (Tage)", "Deviation (days)")),
        Column::short(lang.t("Status", "State")),
    ];
    let rows = detail
        .milestones
        .iter()
        .map(|m| {
            let (deviation, state) = (m.deviation_days(), m.state_label(today, lang));
            let key = if m.is_key { lang.t(" (Schlüsselmeilenstein)", " (key milestone)") } else { "" };
            vec![
                (m.position + 1).to_string().into(),
                format!("{}{key}", m.title).into(),
                fmt_date(m.baseline_date, lang).into(),
                fmt_date(m.forecast_date, lang).into(),
                fmt_opt_date(m.actual_date, lang).into(),
                fmt_signed(deviation, lang).into(),
                state.into(),
            ]
        })
        .collect();
    let mut milestones = Section::new(lang.t("Meilensteine", "Milestones"));
    milestones = if detail.milestones.is_empty() {
        milestones.text(lang.t("Keine Meilensteine erfasst.", "No milestones recorded."))
    } else {
        milestones.push(Block::table(None, columns, rows))
    };
    // They explain the gaps in the numbering. Unlike the project page, without who deleted
    // them: the PDF leaves Leitstand, and the name is only needed by the staff unit.
    if !detail.deleted.is_empty() {
        let columns = vec![
            Column::number(lang.t("Nr.", "No.")),
            Column::wide(lang.t("Meilenstein", "Milestone")),
            Column::number(lang.t("Basistermin", "Baseline")),
            Column::number(lang.t("Gelöscht am", "Deleted on")),
        ];
        let rows = detail
            .deleted
            .iter()
            .map(|d| {
                vec![
                    (d.position + 1).to_string().into(),
                    d.title.clone().into(),
                    fmt_date(d.baseline_date, lang).into(),
                    fmt_date(d.deleted_at.with_timezone(&chrono::Local).date_naive(), lang).into(),
                ]
            })
            .collect();
        let caption = lang.t(
            "Gelöschte Meilensteine (versehentlich angelegt; ihre Nummern werden nicht wieder vergeben)",
            "Deleted milestones (created by mistake; their numbers are not given again)",
        );
        milestones = milestones.push(Block::table(Some(caption.into()), columns, rows));
    }
    doc.sections.push(milestones);

    let mta = crate::server::db::charts::mta(db, project_id).await?;
    let mut trend = Section::new(lang.t("Meilensteintrendanalyse", "Milestone trend analysis"))
        .push(Block::chart(
            1,
            crate::server::charts::render_mta(&mta, lang),
            mta.summary(lang),
            lang.t(
                "Berichtstermine waagerecht, Meilensteintermine senkrecht; eine Linie je Meilenstein, die auf der Diagonale endet, wenn er erreicht ist.",
                "Report dates across, milestone dates up; one line per milestone, ending on the diagonal when it is reached.",
            )
            .into(),
        ));
    let moves = forecast_changes(&detail, lang);
    if !moves.is_empty() {
        let columns = vec![
            Column::text(lang.t("Meilenstein", "Milestone")),
            Column::number(lang.t("Gemeldet am", "Reported on")),
            Column::number(lang.t("Prognose", "Forecast")),
            Column::number(lang.t("Tage", "Days")),
            Column::wide(lang.t("Begründung", "Reason")),
        ];
        trend = trend.push(Block::table(
            Some(lang.t("Verschobene Prognosen mit Begründung", "Moved forecasts with their reasons").into()),
            columns,
            moves,
        ));
    }
    doc.sections.push(trend);

    let services = Section::new(lang.t("Verknüpfte OZG-Leistungen", "Linked OZG services"));
    doc.sections.push(if detail.services.is_empty() {
        services.text(lang.t("Keine OZG-Leistungen verknüpft.", "No OZG services linked."))
    } else {
        let columns = vec![
            Column::text(lang.t("OZG-ID", "OZG ID")),
            Column::text(lang.t("LeiKa-Schlüssel", "LeiKa key")),
            Column::wide(lang.t("Leistung", "Service")),
            Column::number(lang.t("Reifegrad", "Maturity")),
        ];
        let rows = detail
            .services
            .iter()
            .map(|s| {
                vec![
                    s.ozg_id.clone().into(),
                    s.leika_key.clone().unwrap_or_else(dash).into(),
                    s.name.clone().into(),
                    fmt_int(s.reifegrad, lang).into(),
                ]
            })
            .collect();
        services.push(Block::table(None, columns, rows))
    });
    let file = lang.pick(format!("Projektsteckbrief-{}.pdf", p.key), format!("Project-profile-{}.pdf", p.key));
    Ok((doc, file))
}

/// Every report that moved a milestone's forecast, with the shift against the report before.
fn forecast_changes(detail: &crate::api::projects::ProjectDetail, lang: Lang) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for m in &detail.milestones {
        let mut entries: Vec<_> = detail.history.iter().filter(|h| h.milestone_id == m.id).collect();
        entries.sort_by_key(|h| h.reported_on);
        for pair in entries.windows(2) {
            let days = (pair[1].forecast_date - pair[0].forecast_date).num_days();
            if days != 0 {
                rows.push(vec![
                    m.title.clone().into(),
                    fmt_date(pair[1].reported_on, lang).into(),
                    fmt_date(pair[1].forecast_date, lang).into(),
                    fmt_signed(days, lang).into(),
                    if pair[1].reason.is_empty() { "–".to_string() } else { pair[1].reason.clone() }.into(),
                ]);
            }
        }
    }
    rows
}
