//! Writes the generated demo city (`server::demo`) into the database in one transaction:
//! either the whole city is there afterwards, or nothing changed.

use chrono::{NaiveDate, Utc};

use super::{Begin, Db, insert_rows, on_db};
use crate::domain::{Phase, ReportState};
use crate::server::demo::{DemoCity, FrozenProject, FrozenStichtag, generate};

#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error(
        "Die Datenbank enthält bereits Projekte; die Demo-Stadt wird nur in eine leere Datenbank geladen. \
         Mit `leitstand demo --reset` werden alle vorhandenen Daten gelöscht und die Demo neu geladen."
    )]
    NotEmpty,
    #[error("Datenbankfehler beim Laden der Demo-Stadt: {0}")]
    Database(#[from] sqlx::Error),
}

pub async fn is_empty(db: &Db) -> Result<bool, DemoError> {
    let count: i64 = on_db!(db, pool => sqlx::query_scalar("SELECT count(*) FROM projects").fetch_one(pool).await?);
    Ok(count == 0)
}

/// Children before parents, so foreign keys hold at every step.
const WIPE: &[&str] = &[
    "DELETE FROM imports",
    "DELETE FROM leika_catalogue",
    "DELETE FROM ozg_catalogue",
    "DELETE FROM service_usage",
    "DELETE FROM project_services",
    "DELETE FROM milestone_forecasts",
    "DELETE FROM status_report_milestones",
    "DELETE FROM status_reports",
    "DELETE FROM stichtag_projects",
    "DELETE FROM stichtag_milestones",
    "DELETE FROM stichtag_services",
    "DELETE FROM milestones",
    "DELETE FROM deleted_milestones",
    "DELETE FROM projects",
    "DELETE FROM ozg_services",
    "DELETE FROM lebenslagen",
    "DELETE FROM themenfelder",
    "DELETE FROM stichtage",
    "DELETE FROM handlungsfelder",
    "DELETE FROM goals",
    "DELETE FROM functions",
    "DELETE FROM people",
    "DELETE FROM departments",
    "DELETE FROM programme_target_values",
    "DELETE FROM programme_targets",
];

const DEMO_USER: &str = "Demo-Daten";
const STAFF_UNIT: &str = "Stabsstelle Digitalisierung";

pub async fn load(db: &Db, as_of: NaiveDate, reset: bool) -> Result<String, DemoError> {
    if !reset && !is_empty(db).await? {
        return Err(DemoError::NotEmpty);
    }
    let city = generate(as_of);
    let now = Utc::now();
    on_db!(db, pool => {
        let mut tx = pool.begin_write().await?;
        if reset {
            for statement in WIPE {
                sqlx::query(statement).execute(&mut *tx).await?;
            }
        }
        let mut department_ids = Vec::new();
        for d in &city.departments {
            let id: i64 = sqlx::query_scalar("INSERT INTO departments (code, name) VALUES ($1, $2) RETURNING id")
                .bind(&d.code).bind(&d.name).fetch_one(&mut *tx).await?;
            department_ids.push(id);
        }
        let mut person_ids = Vec::new();
        for p in &city.people {
            let id: i64 = sqlx::query_scalar("INSERT INTO people (name, email, phone) VALUES ($1, $2, $3) RETURNING id")
                .bind(&p.name).bind(&p.email).bind(&p.phone).fetch_one(&mut *tx).await?;
            person_ids.push(id);
        }
        let mut function_ids = Vec::new();
        for f in &city.functions {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO functions (title, kind, department_id, person_id) VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(&f.title)
            .bind(f.kind.code())
            .bind(f.department.map(|i| department_ids[i]))
            .bind(f.person.map(|i| person_ids[i]))
            .fetch_one(&mut *tx)
            .await?;
            function_ids.push(id);
        }
        let mut goal_ids = Vec::new();
        for g in &city.goals {
            let id: i64 = sqlx::query_scalar("INSERT INTO goals (code, title, description) VALUES ($1, $2, $3) RETURNING id")
                .bind(&g.code).bind(&g.title).bind(&g.description).fetch_one(&mut *tx).await?;
            goal_ids.push(id);
        }
        let mut field_ids = Vec::new();
        for h in &city.handlungsfelder {
            let id: i64 = sqlx::query_scalar("INSERT INTO handlungsfelder (goal_id, code, title) VALUES ($1, $2, $3) RETURNING id")
                .bind(goal_ids[h.goal]).bind(&h.code).bind(&h.title).fetch_one(&mut *tx).await?;
            field_ids.push(id);
        }
        let mut stichtag_ids = Vec::new();
        for s in &city.stichtage {
            let id: i64 = sqlx::query_scalar(
                // Opened now and closed at the end, after their reports and snapshots are in:
                // the database refuses anything new under a closed Stichtag.
                "INSERT INTO stichtage (report_date, state, opened_at) VALUES ($1, 'offen', $2) RETURNING id",
            )
            .bind(s.report_date)
            .bind(now)
            .fetch_one(&mut *tx)
            .await?;
            stichtag_ids.push(id);
        }
        let mut themenfeld_ids = Vec::new();
        for t in &city.themenfelder {
            let id: i64 = sqlx::query_scalar("INSERT INTO themenfelder (name) VALUES ($1) RETURNING id")
                .bind(t).fetch_one(&mut *tx).await?;
            themenfeld_ids.push(id);
        }
        let mut lebenslage_ids = Vec::new();
        for l in &city.lebenslagen {
            let id: i64 = sqlx::query_scalar("INSERT INTO lebenslagen (themenfeld_id, name) VALUES ($1, $2) RETURNING id")
                .bind(themenfeld_ids[l.themenfeld]).bind(&l.name).fetch_one(&mut *tx).await?;
            lebenslage_ids.push(id);
        }
        let mut service_ids = Vec::new();
        for s in &city.services {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO ozg_services (ozg_id, leika_key, name, themenfeld_id, lebenslage_id, reifegrad, online_since, epayment, url)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(&s.ozg_id)
            .bind(&s.leika_key)
            .bind(&s.name)
            .bind(themenfeld_ids[s.themenfeld])
            .bind(s.lebenslage.map(|i| lebenslage_ids[i]))
            .bind(s.reifegrad)
            .bind(s.online_since)
            .bind(s.epayment)
            .bind(&s.url)
            .fetch_one(&mut *tx)
            .await?;
            service_ids.push(id);
        }
        let usage: Vec<(i64, String, i64, i64)> = city
            .services
            .iter()
            .zip(&service_ids)
            .flat_map(|(s, id)| s.usage.iter().map(move |u| (*id, u.month.to_string(), u.online, u.total)))
            .collect();
        insert_rows!(tx, "INSERT INTO service_usage (service_id, month, online_count, total_count) ", usage, "", |row, (id, month, online, total)| {
                row.push_bind(*id).push_bind(month.clone()).push_bind(*online).push_bind(*total);
            });
        let mut history: Vec<(i64, i64, NaiveDate, NaiveDate, bool, String)> = Vec::new();
        let mut project_ids: Vec<i64> = Vec::new();
        let mut milestone_ids: Vec<Vec<i64>> = Vec::new();
        let mut links: Vec<(i64, i64)> = Vec::new();
        for p in &city.projects {
            let project_id: i64 = sqlx::query_scalar(
                "INSERT INTO projects (key, title, description, benefit, department_id, lotse_id, sponsor_id, handlungsfeld_id,
                                       category, phase, start_date, planned_end, percent_done, budget_cents, ampel, ampel_reason,
                                       version, updated_at, updated_by)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, 1, $17, $18) RETURNING id",
            )
            .bind(&p.key)
            .bind(&p.title)
            .bind(&p.description)
            .bind(&p.benefit)
            .bind(department_ids[p.department])
            .bind(p.lotse.map(|i| function_ids[i]))
            .bind(p.sponsor.map(|i| function_ids[i]))
            .bind(p.handlungsfeld.map(|i| field_ids[i]))
            .bind(p.category.code())
            .bind(p.phase.code())
            .bind(p.start)
            .bind(p.planned_end)
            .bind(i64::from(p.percent_done))
            .bind(p.budget_cents)
            .bind(p.ampel.code())
            .bind(&p.ampel_reason)
            .bind(now)
            .bind(DEMO_USER)
            .fetch_one(&mut *tx)
            .await?;
            project_ids.push(project_id);
            milestone_ids.push(Vec::new());
            for (position, m) in p.milestones.iter().enumerate() {
                let milestone_id: i64 = sqlx::query_scalar(
                    "INSERT INTO milestones (project_id, position, title, is_key, baseline_date, forecast_date, actual_date, version)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 1) RETURNING id",
                )
                .bind(project_id)
                .bind(position as i64)
                .bind(&m.title)
                .bind(m.is_key)
                .bind(m.baseline)
                .bind(m.forecast)
                .bind(m.actual)
                .fetch_one(&mut *tx)
                .await?;
                if let Some(ids) = milestone_ids.last_mut() {
                    ids.push(milestone_id);
                }
                for h in &m.history {
                    let stichtag = &city.stichtage[h.stichtag];
                    history.push((milestone_id, stichtag_ids[h.stichtag], stichtag.report_date, h.forecast, h.reached, h.reason.clone()));
                }
            }
            links.extend(p.services.iter().map(|s| (project_id, service_ids[*s])));
        }
        insert_rows!(tx, "INSERT INTO milestone_forecasts (milestone_id, stichtag_id, reported_on, forecast_date, reached, reason, recorded_at, recorded_by) ", history, "", |row, (milestone, stichtag, reported_on, forecast, reached, reason)| {
                row.push_bind(*milestone)
                    .push_bind(*stichtag)
                    .push_bind(*reported_on)
                    .push_bind(*forecast)
                    .push_bind(*reached)
                    .push_bind(reason.clone())
                    .push_bind(now)
                    .push_bind(DEMO_USER);
            });
        insert_rows!(tx, "INSERT INTO project_services (project_id, service_id) ", links, "", |row, (project, service)| {
                row.push_bind(*project).push_bind(*service);
            });
        for t in &city.targets {
            sqlx::query(
                "INSERT INTO programme_targets (name, metric, metric_param, target_value, deadline) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&t.name)
            .bind(t.metric.code())
            .bind(t.metric_param)
            .bind(t.target_value)
            .bind(t.deadline)
            .execute(&mut *tx)
            .await?;
        }
        // Every Stichtag's Sachstände go in while all Stichtage are still open; then the closed
        // ones get their frozen state and are closed, after which the database refuses changes.
        let frozen: Vec<(usize, FrozenStichtag)> =
            city.stichtage.iter().enumerate().filter(|(_, s)| s.closed).map(|(k, _)| (k, city.frozen(k))).collect();
        let open_index = city.stichtage.iter().position(|s| !s.closed);
        let open_reports = city.open_reports();
        let mut reports: Vec<(i64, &FrozenProject, ReportState)> = Vec::new();
        for (k, f) in &frozen {
            // Finished and stopped projects no longer report.
            let running = f.projects.iter().filter(|r| !matches!(r.phase, Phase::Abgeschlossen | Phase::Gestoppt));
            reports.extend(running.map(|r| (stichtag_ids[*k], r, ReportState::Freigegeben)));
        }
        if let Some(k) = open_index {
            reports.extend(open_reports.iter().map(|o| (stichtag_ids[k], &o.report, o.state)));
        }
        insert_rows!(tx, "INSERT INTO status_reports (project_id, stichtag_id, state, ampel, ampel_reason, percent_done, summary, next_steps,
                                             decisions_needed, risks, submitted_by, submitted_at, reviewed_by, reviewed_at, review_comment) ", reports, "", |row, (stichtag_id, report, state)| {
                let p = &city.projects[report.project];
                let sender = p
                    .lotse
                    .and_then(|f| city.functions[f].person)
                    .map(|person| city.people[person].name.clone())
                    .unwrap_or_else(|| DEMO_USER.to_string());
                let handed_in = *state != ReportState::Entwurf;
                let reviewed = matches!(state, ReportState::Freigegeben | ReportState::Zurueckgegeben);
                let comment = if *state == ReportState::Zurueckgegeben {
                    "Bitte ergänzen Sie die Risiken und die nächsten Schritte."
                } else {
                    ""
                };
                row.push_bind(project_ids[report.project])
                    .push_bind(*stichtag_id)
                    .push_bind(state.code())
                    .push_bind(report.ampel.code())
                    .push_bind(report.ampel_reason.clone())
                    .push_bind(i64::from(report.percent_done))
                    .push_bind(report.summary.clone())
                    .push_bind(report.next_steps.clone())
                    .push_bind(report.decisions_needed.clone())
                    .push_bind(report.risks.clone())
                    .push_bind(handed_in.then_some(sender))
                    .push_bind(handed_in.then_some(now))
                    .push_bind(reviewed.then(|| STAFF_UNIT.to_string()))
                    .push_bind(reviewed.then_some(now))
                    .push_bind(comment);
            });
        if let Some(k) = open_index {
            // The open Stichtag's reports propose the milestones' current forecasts.
            sqlx::query(
                "INSERT INTO status_report_milestones (report_id, milestone_id, forecast_date, reason)
                 SELECT r.id, m.id, m.forecast_date, '' FROM status_reports r JOIN milestones m ON m.project_id = r.project_id
                  WHERE r.stichtag_id = $1 AND m.actual_date IS NULL",
            )
            .bind(stichtag_ids[k])
            .execute(&mut *tx)
            .await?;
        }
        for (k, f) in &frozen {
            let stichtag_id = stichtag_ids[*k];
            insert_rows!(tx, "INSERT INTO stichtag_projects (stichtag_id, project_id, department_id, phase, ampel, ampel_reason, percent_done, reported) ", f.projects, "", |row, r| {
                    row.push_bind(stichtag_id)
                        .push_bind(project_ids[r.project])
                        .push_bind(department_ids[city.projects[r.project].department])
                        .push_bind(r.phase.code())
                        .push_bind(r.ampel.code())
                        .push_bind(r.ampel_reason.clone())
                        .push_bind(i64::from(r.percent_done))
                        .push_bind(true);
                });
            insert_rows!(tx, "INSERT INTO stichtag_milestones (stichtag_id, milestone_id, project_id, is_key, baseline_date, forecast_date, actual_date) ", f.milestones, "", |row, (p, m, forecast, actual)| {
                    let milestone = &city.projects[*p].milestones[*m];
                    row.push_bind(stichtag_id)
                        .push_bind(milestone_ids[*p][*m])
                        .push_bind(project_ids[*p])
                        .push_bind(milestone.is_key)
                        .push_bind(milestone.baseline)
                        .push_bind(*forecast)
                        .push_bind(*actual);
                });
            insert_rows!(tx, "INSERT INTO stichtag_services (stichtag_id, service_id, reifegrad) ", f.services, "", |row, (service, reifegrad)| {
                    row.push_bind(stichtag_id).push_bind(service_ids[*service]).push_bind(*reifegrad);
                });
            sqlx::query("UPDATE stichtage SET state = 'geschlossen', closed_at = $1 WHERE id = $2")
                .bind(now)
                .bind(stichtag_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<(), DemoError>(())
    })?;
    Ok(summary(&city, as_of))
}

fn summary(city: &DemoCity, as_of: NaiveDate) -> String {
    let milestones: usize = city.projects.iter().map(|p| p.milestones.len()).sum();
    let usage: usize = city.services.iter().map(|s| s.usage.len()).sum();
    format!(
        "Demo-Stadt geladen (Stand {}): {} Fachbereiche, {} Funktionen, {} Projekte, {} Meilensteine, \
         {} Stichtage, {} OZG-Leistungen, {} Nutzungszahlen, {} Programmziele.",
        as_of.format("%d.%m.%Y"),
        city.departments.len(),
        city.functions.len(),
        city.projects.len(),
        milestones,
        city.stichtage.len(),
        city.services.len(),
        usage,
        city.targets.len()
    )
}
