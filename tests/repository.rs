//! The repository suite: one set of checks, run against SQLite and PostgreSQL alike, on the
//! demo city. It exercises every query of `server::db` and the rules that guard writes.

#![cfg(feature = "ssr")]

mod common;

use chrono::NaiveDate;
use leitstand::api::portfolio::{PortfolioFilter, SortKey};
use leitstand::api::services::ServiceFilter;
use leitstand::domain::{Ampel, ErrorCode, Lang, Phase, ProjectStatusChange};
use leitstand::error::AppError;
use leitstand::server::db::{Begin, Db, charts, demo, on_db, people, portfolio, projects, services};

const AS_OF: (i32, u32, u32) = (2026, 11, 22);

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(AS_OF.0, AS_OF.1, AS_OF.2).unwrap()
}

async fn count(db: &Db, sql: &str) -> i64 {
    on_db!(db, pool => sqlx::query_scalar::<_, i64>(sql).fetch_one(pool).await.unwrap())
}

fn codes(error: &AppError) -> Vec<(String, ErrorCode)> {
    error.field_errors().iter().map(|e| (e.field.clone(), e.code)).collect()
}

async fn suite(db: &Db) {
    demo_city_meets_the_brief(db).await;
    demo_refuses_a_filled_database(db).await;
    overview_matches_direct_counts(db).await;
    portfolio_filters_sort_and_pages(db).await;
    project_status_rules(db).await;
    milestone_rules_and_history(db).await;
    milestone_deletion(db).await;
    constraints_live_in_the_database(db).await;
    services_and_people(db).await;
    german_search_and_order(db).await;
    data_quality_worklist(db).await;
    programme_targets(db).await;
    chart_aggregates(db).await;
    a_snapshot_stays_steady_while_others_write(db).await;
    // Last: it closes the demo's open Stichtag.
    reporting_cycle(db).await;
}

/// A reader whose queries must agree (an import's preview, the portfolio export) sees one
/// state: what another connection commits meanwhile shows after its transaction, not inside
/// it. On PostgreSQL a plain transaction (`READ COMMITTED`) would see it.
async fn a_snapshot_stays_steady_while_others_write(db: &Db) {
    let sql = "SELECT count(*) FROM themenfelder";
    let before = count(db, sql).await;
    let inside = on_db!(db, pool => {
        let mut snapshot = pool.begin_snapshot().await.unwrap();
        let first: i64 = sqlx::query_scalar(sql).fetch_one(&mut *snapshot).await.unwrap();
        sqlx::query("INSERT INTO themenfelder (name) VALUES ('Schnappschuss-Test')").execute(pool).await.unwrap();
        let second: i64 = sqlx::query_scalar(sql).fetch_one(&mut *snapshot).await.unwrap();
        snapshot.rollback().await.unwrap();
        (first, second)
    });
    assert_eq!(inside, (before, before));
    assert_eq!(count(db, sql).await, before + 1);
    on_db!(db, pool => {
        sqlx::query("DELETE FROM themenfelder WHERE name = 'Schnappschuss-Test'").execute(pool).await.unwrap();
    });
}

/// Each check's count equals a direct count, its list is capped, and fixing a finding
/// removes it from the list.
async fn data_quality_worklist(db: &Db) {
    use leitstand::api::quality::{Check, WORKLIST_ITEMS};
    use leitstand::server::db::quality;
    let list = quality::worklist(db, as_of()).await.unwrap();
    let find = |list: &leitstand::api::quality::Worklist, check: Check| {
        list.checks.iter().find(|c| c.check == check).cloned().unwrap_or_else(|| panic!("{check:?} missing"))
    };
    let overdue = find(&list, Check::MeilensteinUeberfaellig);
    let direct = count(db, "SELECT count(*) FROM milestones m JOIN projects p ON p.id = m.project_id WHERE p.phase <> 'gestoppt' AND m.actual_date IS NULL AND m.forecast_date < '2026-11-22'").await;
    assert_eq!(overdue.count, direct);
    assert!(overdue.count > 0, "the demo city has overdue milestones");
    assert_eq!(overdue.items.len() as i64, overdue.count.min(WORKLIST_ITEMS));
    let keyless = find(&list, Check::OhneLeika);
    assert_eq!(keyless.count, count(db, "SELECT count(*) FROM ozg_services WHERE leika_key IS NULL").await);
    let open = count(db, "SELECT count(*) FROM stichtage WHERE state = 'offen'").await;
    assert_eq!(list.checks.iter().any(|c| c.check == Check::OhneSachstand), open > 0);

    // A running project loses its Lotse: it appears; it gets one back: it disappears.
    let without = find(&list, Check::OhneLotse).count;
    let id = count(
        db,
        "SELECT min(id) FROM projects WHERE lotse_id IS NOT NULL AND phase NOT IN ('abgeschlossen', 'gestoppt')",
    )
    .await;
    let lotse = count(db, &format!("SELECT lotse_id FROM projects WHERE id = {id}")).await;
    on_db!(db, pool => sqlx::query("UPDATE projects SET lotse_id = NULL WHERE id = $1").bind(id).execute(pool).await.map(|_| ()).unwrap());
    let list = quality::worklist(db, as_of()).await.unwrap();
    let check = find(&list, Check::OhneLotse);
    assert_eq!(check.count, without + 1);
    assert!(check.count > WORKLIST_ITEMS || check.items.iter().any(|i| i.project_id == Some(id)));
    on_db!(db, pool => sqlx::query("UPDATE projects SET lotse_id = $1 WHERE id = $2").bind(lotse).bind(id).execute(pool).await.map(|_| ()).unwrap());
    assert_eq!(find(&quality::worklist(db, as_of()).await.unwrap(), Check::OhneLotse).count, without);
}

async fn demo_city_meets_the_brief(db: &Db) {
    demo::load(db, as_of(), false).await.expect("demo loads");
    assert!(count(db, "SELECT count(*) FROM projects").await >= 350);
    assert!(count(db, "SELECT count(*) FROM departments").await >= 12);
    assert!(count(db, "SELECT count(*) FROM handlungsfelder").await >= 6);
    assert!(count(db, "SELECT count(*) FROM functions WHERE kind = 'lotse'").await >= 30);
    assert!(count(db, "SELECT count(*) FROM milestones").await >= 2500);
    assert!(count(db, "SELECT count(*) FROM stichtage").await >= 8);
    assert!(count(db, "SELECT count(*) FROM ozg_services").await >= 500);
    assert_eq!(count(db, "SELECT count(*) FROM programme_targets").await, 3);
    assert!(count(db, "SELECT count(DISTINCT month) FROM service_usage").await >= 24);
    // Histories span the Stichtage; nothing is reached in the future.
    assert!(count(db, "SELECT count(DISTINCT stichtag_id) FROM milestone_forecasts").await >= 8);
    let future = on_db!(db, pool => sqlx::query_scalar::<_, i64>("SELECT count(*) FROM milestones WHERE actual_date > $1")
        .bind(as_of()).fetch_one(pool).await.unwrap());
    assert_eq!(future, 0, "milestones reached in the future");
    let reached_history = count(db, "SELECT count(*) FROM milestone_forecasts WHERE reached = TRUE").await;
    assert!(reached_history > 0);
}

async fn demo_refuses_a_filled_database(db: &Db) {
    let before = count(db, "SELECT count(*) FROM projects").await;
    assert!(matches!(demo::load(db, as_of(), false).await, Err(demo::DemoError::NotEmpty)));
    assert_eq!(count(db, "SELECT count(*) FROM projects").await, before);
}

async fn overview_matches_direct_counts(db: &Db) {
    let o = portfolio::overview(db, as_of()).await.unwrap();
    assert_eq!(o.projects_total, count(db, "SELECT count(*) FROM projects").await);
    let active = count(db, "SELECT count(*) FROM projects WHERE phase NOT IN ('abgeschlossen', 'gestoppt')").await;
    assert_eq!(o.active_gruen + o.active_gelb + o.active_rot, active);
    assert!(o.active_rot > 0 && o.active_gelb > 0 && o.active_gruen > 0);
    assert_eq!(o.departments.iter().map(|d| d.projects).sum::<i64>(), o.projects_total);
    assert!(o.milestones_overdue > 0, "the demo city has some overdue milestones");
    assert_eq!(o.overdue.len().min(10), o.overdue.len());
    assert!(o.overdue.iter().all(|m| m.forecast_date < as_of()));
    assert!(o.open_stichtag.is_some());
    assert!(o.services_online > 0 && o.services_online < o.services_total);
}

async fn portfolio_filters_sort_and_pages(db: &Db) {
    let all = portfolio::page(db, &PortfolioFilter::default()).await.unwrap();
    assert_eq!(all.rows.len() as i64, leitstand::api::portfolio::PAGE_SIZE);
    assert!(all.pages >= 14);
    let department = all.choices.departments[0].id;
    let filtered =
        portfolio::page(db, &PortfolioFilter { department: Some(department), ..Default::default() }).await.unwrap();
    assert!(filtered.total > 0 && filtered.total < all.total);
    assert!(filtered.rows.iter().all(|r| r.department_id == department));
    let red = portfolio::page(db, &PortfolioFilter { ampel: Some(Ampel::Rot), ..Default::default() }).await.unwrap();
    assert!(red.total > 0 && red.rows.iter().all(|r| r.ampel == "rot"));
    let by_ampel = portfolio::page(db, &PortfolioFilter { sort: SortKey::Ampel, ..Default::default() }).await.unwrap();
    assert_eq!(by_ampel.rows[0].ampel, "rot");
    let done = portfolio::page(db, &PortfolioFilter { phase: Some(Phase::Abgeschlossen), ..Default::default() })
        .await
        .unwrap();
    assert!(done.rows.iter().all(|r| r.phase == "abgeschlossen" && r.next_milestone.is_none()));
    // Free text is case-insensitive and matches keys and titles.
    let by_key = portfolio::page(db, &PortfolioFilter { text: "dig-0001".into(), ..Default::default() }).await.unwrap();
    assert_eq!(by_key.total, 1);
    let word = all.rows[0].title.split_whitespace().next().unwrap().to_uppercase();
    let by_word = portfolio::page(db, &PortfolioFilter { text: word.clone(), ..Default::default() }).await.unwrap();
    assert!(by_word.total >= 1 && by_word.rows.iter().any(|r| r.title.to_uppercase().contains(&word)));
    // LIKE wildcards typed by a user are literal.
    let wildcard = portfolio::page(db, &PortfolioFilter { text: "%".into(), ..Default::default() }).await.unwrap();
    assert_eq!(wildcard.total, 0);
    // A page beyond the end shows the last page; pages never overlap.
    let last = portfolio::page(db, &PortfolioFilter { page: 10_000, ..Default::default() }).await.unwrap();
    assert_eq!(last.page, all.pages);
    let second = portfolio::page(db, &PortfolioFilter { page: 2, ..Default::default() }).await.unwrap();
    assert!(second.rows.iter().all(|r| all.rows.iter().all(|a| a.id != r.id)));
    // Descending sort reverses the order.
    let desc = portfolio::page(db, &PortfolioFilter { descending: true, ..Default::default() }).await.unwrap();
    assert!(desc.rows[0].key > all.rows[0].key);
}

async fn project_detail(db: &Db, key: &str) -> leitstand::api::projects::ProjectDetail {
    let id = on_db!(db, pool => sqlx::query_scalar::<_, i64>("SELECT id FROM projects WHERE key = $1").bind(key).fetch_one(pool).await.unwrap());
    projects::detail(db, id, as_of()).await.unwrap()
}

async fn project_status_rules(db: &Db) {
    let detail = project_detail(db, "DIG-0002").await;
    let p = &detail.project;
    let other_department = detail.departments.iter().find(|d| d.id != p.department_id).unwrap().id;

    // Yellow without a reason: refused before anything is written.
    let errors = ProjectStatusChange::parse(&p.department_id.to_string(), "", "gelb", "", "50").unwrap_err();
    assert_eq!(errors[0].code, ErrorCode::ReasonRequired);

    // Unknown department: refused inside the transaction, nothing written.
    let change = ProjectStatusChange::parse("999999", "", "gruen", "", "50").unwrap();
    let err = projects::save_status(db, p.id, p.version, &change, "test").await.unwrap_err();
    assert_eq!(codes(&err), vec![("department_id".to_string(), ErrorCode::UnknownDepartment)]);
    let unknown_lotse = ProjectStatusChange::parse(&p.department_id.to_string(), "999999", "gruen", "", "50").unwrap();
    let err = projects::save_status(db, p.id, p.version, &unknown_lotse, "test").await.unwrap_err();
    assert_eq!(codes(&err), vec![("lotse_id".to_string(), ErrorCode::UnknownLotse)]);
    assert_eq!(project_detail(db, "DIG-0002").await.project, detail.project);

    // A valid save bumps the version and records who saved.
    let change =
        ProjectStatusChange::parse(&other_department.to_string(), "", "rot", "Fachverfahren nicht lieferbar", "35")
            .unwrap();
    let version = projects::save_status(db, p.id, p.version, &change, "Lotse Test").await.unwrap();
    assert_eq!(version, p.version + 1);
    let after = project_detail(db, "DIG-0002").await.project;
    assert_eq!((after.ampel.as_str(), after.percent_done, after.department_id), ("rot", 35, other_department));
    assert_eq!(after.lotse_id, None);
    assert_eq!(after.updated_by, "Lotse Test");

    // A second editor still holding the old version gets a conflict, never an overwrite.
    let stale = ProjectStatusChange::parse(&p.department_id.to_string(), "", "gruen", "", "90").unwrap();
    let err = projects::save_status(db, p.id, p.version, &stale, "Kollegin").await.unwrap_err();
    assert_eq!(codes(&err), vec![(String::new(), ErrorCode::Conflict)]);
    assert_eq!(project_detail(db, "DIG-0002").await.project, after);

    let missing = projects::save_status(db, 999_999, 1, &stale, "x").await.unwrap_err();
    assert_eq!(missing, AppError::NotFound);
    assert_eq!(projects::detail(db, 999_999, as_of()).await.unwrap_err(), AppError::NotFound);
}

async fn milestone_rules_and_history(db: &Db) {
    let detail = project_detail(db, "DIG-0003").await;
    let p = &detail.project;
    let m = detail.milestones.iter().find(|m| m.actual_date.is_none()).expect("an open milestone").clone();
    let history_before = detail.history.iter().filter(|h| h.milestone_id == m.id).count();
    let before_start = (p.start_date - chrono::Days::new(1)).to_string();
    let tomorrow = (as_of() + chrono::Days::new(1)).to_string();

    let err =
        projects::save_milestone(db, p.id, m.id, m.version, (&before_start, "", ""), as_of(), "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![("forecast_date".to_string(), ErrorCode::ForecastBeforeStart)]);
    let err = projects::save_milestone(db, p.id, m.id, m.version, (&tomorrow, &tomorrow, ""), as_of(), "t")
        .await
        .unwrap_err();
    assert_eq!(codes(&err), vec![("actual_date".to_string(), ErrorCode::ActualInFuture)]);
    let err =
        projects::save_milestone(db, p.id, m.id, m.version, ("31.02.2027", "", ""), as_of(), "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![("forecast_date".to_string(), ErrorCode::InvalidDate)]);
    // A milestone of another project is not found through this project.
    let other = project_detail(db, "DIG-0004").await;
    let err = projects::save_milestone(db, other.project.id, m.id, m.version, ("2027-01-01", "", ""), as_of(), "t")
        .await
        .unwrap_err();
    assert_eq!(err, AppError::NotFound);
    let unchanged = project_detail(db, "DIG-0003").await;
    assert_eq!(unchanged.milestones, detail.milestones);
    assert_eq!(unchanged.history.len(), detail.history.len());

    // A new forecast is saved and appended to the history at today's date.
    let new_forecast = m.forecast_date + chrono::Days::new(21);
    let version = projects::save_milestone(
        db,
        p.id,
        m.id,
        m.version,
        (&new_forecast.format("%d.%m.%Y").to_string(), "", "Lieferverzug"),
        as_of(),
        "Lotsin Test",
    )
    .await
    .unwrap();
    assert_eq!(version, m.version + 1);
    let after = project_detail(db, "DIG-0003").await;
    let saved = after.milestones.iter().find(|x| x.id == m.id).unwrap();
    assert_eq!(saved.forecast_date, new_forecast);
    let entries: Vec<_> = after.history.iter().filter(|h| h.milestone_id == m.id).collect();
    assert_eq!(entries.len(), history_before + 1);
    let last = entries.last().unwrap();
    assert_eq!((last.reported_on, last.forecast_date, last.reached), (as_of(), new_forecast, false));
    assert_eq!((last.reason.as_str(), last.recorded_by.as_str()), ("Lieferverzug", "Lotsin Test"));
    let with_stichtag = count(
        db,
        "SELECT count(*) FROM milestone_forecasts WHERE recorded_by = 'Lotsin Test' AND stichtag_id IS NOT NULL",
    )
    .await;
    assert_eq!(with_stichtag, 1, "the new forecast belongs to the open Stichtag");

    // The stale version is refused; saving the same dates again adds no history.
    let err =
        projects::save_milestone(db, p.id, m.id, m.version, ("2027-06-30", "", ""), as_of(), "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![(String::new(), ErrorCode::Conflict)]);
    projects::save_milestone(db, p.id, m.id, version, (&new_forecast.to_string(), "", ""), as_of(), "t").await.unwrap();
    let again = project_detail(db, "DIG-0003").await;
    assert_eq!(again.history.len(), after.history.len());

    // Reaching the milestone ends its trend line on the diagonal.
    let reached_on = as_of().to_string();
    projects::save_milestone(db, p.id, m.id, version + 1, (&new_forecast.to_string(), &reached_on, ""), as_of(), "t")
        .await
        .unwrap();
    let reached = project_detail(db, "DIG-0003").await;
    let last = reached.history.iter().rfind(|h| h.milestone_id == m.id).unwrap();
    assert!(last.reached && last.forecast_date == as_of());

    // History rows are append-only, enforced by the database.
    let update =
        on_db!(db, pool => sqlx::query("UPDATE milestone_forecasts SET reason = 'x'").execute(pool).await.map(|_| ()));
    assert!(update.is_err(), "milestone_forecasts must refuse updates");
}

/// A milestone created by mistake is deleted with its forecast history, and the deletion is
/// recorded; one in a closed Stichtag is kept. The tick, the version and the project are
/// checked first. The MTA numbers the remaining milestones like the project page, gap included.
async fn milestone_deletion(db: &Db) {
    let detail = project_detail(db, "DIG-0006").await;
    let p = detail.project.clone();
    let frozen = detail.milestones.iter().find(|m| !detail.deletable.contains(&m.id)).expect("a frozen one").clone();
    let snapshots = format!("SELECT count(*) FROM stichtag_milestones WHERE milestone_id = {}", frozen.id);
    assert!(count(db, &snapshots).await > 0, "kept because a closed Stichtag shows it");
    let err = projects::delete_milestone(db, p.id, frozen.id, frozen.version, true, "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![("milestone".to_string(), ErrorCode::MilestoneFrozen)]);
    // The message names the latest closed Stichtag that shows it.
    let closed = NaiveDate::parse_from_str(&err.field_errors()[0].detail, "%Y-%m-%d").expect("a date");
    let message = err.field_errors()[0].message(Lang::De);
    let expected = format!("im Stand des abgeschlossenen Stichtags {}", leitstand::domain::fmt_date(closed, Lang::De));
    assert!(message.contains(&expected), "{message}");

    // Two milestones added after the last Stichtag closed: no closed report shows them.
    let next = detail.milestones.iter().map(|m| m.position).max().unwrap() + 1;
    for (offset, title) in [(0, "Versehentlich angelegt"), (1, "Inbetriebnahme")] {
        on_db!(db, pool => sqlx::query(
            "INSERT INTO milestones (project_id, position, title, is_key, baseline_date, forecast_date)
             VALUES ($1, $2, $3, FALSE, '2027-05-03', '2027-05-03')",
        )
        .bind(p.id)
        .bind(next + offset)
        .bind(title)
        .execute(pool)
        .await
        .map(|_| ())
        .unwrap());
    }
    let added = project_detail(db, "DIG-0006").await;
    let find = |title: &str| added.milestones.iter().find(|m| m.title == title).unwrap().clone();
    let (mistake, kept) = (find("Versehentlich angelegt"), find("Inbetriebnahme"));
    assert!(added.deletable.contains(&mistake.id) && !added.deletable.contains(&frozen.id));
    // A forecast saved now belongs to the open Stichtag, and goes with the milestone.
    let version = projects::save_milestone(db, p.id, mistake.id, mistake.version, ("2027-06-01", "", ""), as_of(), "t")
        .await
        .unwrap();
    let history = format!("SELECT count(*) FROM milestone_forecasts WHERE milestone_id = {}", mistake.id);
    assert_eq!(count(db, &history).await, 1);
    let saved = project_detail(db, "DIG-0006").await;

    // Without the tick, with the version the page had before the save, through another
    // project: refused, nothing deleted.
    let err = projects::delete_milestone(db, p.id, mistake.id, version, false, "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![("confirm".to_string(), ErrorCode::ConfirmationRequired)]);
    let err = projects::delete_milestone(db, p.id, mistake.id, mistake.version, true, "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![(String::new(), ErrorCode::Conflict)]);
    let other = project_detail(db, "DIG-0004").await.project.id;
    let err = projects::delete_milestone(db, other, mistake.id, version, true, "t").await.unwrap_err();
    assert_eq!(err, AppError::NotFound);
    assert_eq!(project_detail(db, "DIG-0006").await.milestones, saved.milestones);

    let title = projects::delete_milestone(db, p.id, mistake.id, version, true, "Stabsstelle Test").await.unwrap();
    assert_eq!(title, "Versehentlich angelegt");
    assert_eq!(count(db, &format!("SELECT count(*) FROM milestones WHERE id = {}", mistake.id)).await, 0);
    assert_eq!(count(db, &history).await, 0, "its forecast history goes with it");
    let after = project_detail(db, "DIG-0006").await;
    assert_eq!(after.milestones.len(), detail.milestones.len() + 1);
    let recorded: Vec<_> =
        after.deleted.iter().map(|d| (d.position, d.title.as_str(), d.baseline_date, d.deleted_by.as_str())).collect();
    let baseline = NaiveDate::from_ymd_opt(2027, 5, 3).unwrap();
    assert_eq!(recorded, [(next, "Versehentlich angelegt", baseline, "Stabsstelle Test")]);

    // A form still open on the deleted milestone learns what became of it.
    let err = projects::save_milestone(db, p.id, mistake.id, version, ("2027-07-01", "", ""), as_of(), "t")
        .await
        .unwrap_err();
    assert_eq!(codes(&err), vec![(String::new(), ErrorCode::MilestoneDeleted)]);
    assert!(err.message(Lang::De).starts_with("Der Meilenstein „Versehentlich angelegt“ wurde am "), "{err:?}");
    let err = projects::delete_milestone(db, p.id, mistake.id, version, true, "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![(String::new(), ErrorCode::MilestoneDeleted)]);

    // The MTA keeps the number of the milestone after the gap, as the project page does.
    let mta = charts::mta(db, p.id).await.unwrap();
    assert_eq!(mta.lines.len(), after.milestones.len());
    let line = mta.lines.iter().find(|l| l.title == "Inbetriebnahme").unwrap();
    assert_eq!(line.number as i64, kept.position + 1);
    assert_eq!(line.number as i64, next + 2, "not renumbered into the gap");

    // The other one goes too, so the suites after this one see the demo's milestones. It has
    // the largest id, which SQLite would give to the next new milestone: that one gets another,
    // so the form still open on the deleted one cannot change it.
    let largest = count(db, "SELECT max(id) FROM milestones").await;
    assert_eq!(largest, kept.id);
    projects::delete_milestone(db, p.id, kept.id, kept.version, true, "Stabsstelle Test").await.unwrap();
    assert_eq!(project_detail(db, "DIG-0006").await.deleted.len(), 2);
    on_db!(db, pool => sqlx::query(
        "INSERT INTO milestones (project_id, position, title, is_key, baseline_date, forecast_date)
         VALUES ($1, $2, 'Neu nach dem Löschen', FALSE, '2027-05-03', '2027-05-03')",
    )
    .bind(p.id)
    .bind(next + 2)
    .execute(pool)
    .await
    .map(|_| ())
    .unwrap());
    let fresh = count(db, "SELECT id FROM milestones WHERE title = 'Neu nach dem Löschen'").await;
    assert!(fresh > kept.id, "a deleted id is not given again ({fresh} after {})", kept.id);
    let err = projects::save_milestone(db, p.id, kept.id, 1, ("2027-07-01", "", ""), as_of(), "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![(String::new(), ErrorCode::MilestoneDeleted)]);
    projects::delete_milestone(db, p.id, fresh, 1, true, "Stabsstelle Test").await.unwrap();
}

async fn constraints_live_in_the_database(db: &Db) {
    let department = count(db, "SELECT min(id) FROM departments").await;
    let now = chrono::Utc::now();
    let insert = "INSERT INTO projects (key, title, department_id, category, phase, start_date, planned_end, ampel, ampel_reason, updated_at, updated_by)
                  VALUES ($1, 'Test', $2, 'ozg', 'planung', $3, $4, $5, $6, $7, 'test')";
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
    let end = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap();
    let cases: [(&str, i64, NaiveDate, NaiveDate, &str, &str); 4] = [
        ("TST-1", department, start, end, "gelb", ""),  // yellow without reason
        ("TST-2", department, end, start, "gruen", ""), // end before start
        ("TST-3", 999_999, start, end, "gruen", ""),    // unknown department
        ("TST-4", department, start, end, "lila", ""),  // unknown Ampel
    ];
    for (key, dep, s, e, ampel, reason) in cases {
        let result = on_db!(db, pool => sqlx::query(insert).bind(key).bind(dep).bind(s).bind(e).bind(ampel).bind(reason).bind(now).execute(pool).await.map(|_| ()));
        assert!(result.is_err(), "{key} must violate a constraint");
    }
    let usage = on_db!(db, pool => sqlx::query("INSERT INTO service_usage (service_id, month, online_count, total_count) VALUES ((SELECT min(id) FROM ozg_services), '2026-13', 1, 2)").execute(pool).await.map(|_| ()));
    assert!(usage.is_err(), "month 13 must be refused");
    let usage = on_db!(db, pool => sqlx::query("INSERT INTO service_usage (service_id, month, online_count, total_count) VALUES ((SELECT min(id) FROM ozg_services), '1999-01', 5, 2)").execute(pool).await.map(|_| ()));
    assert!(usage.is_err(), "online above total must be refused");
}

/// German as staff type it: a search in lower case finds a title that starts with a capital
/// umlaut, and lists sort ä, ö, ü with a, o, u (DIN 5007) on both backends.
async fn german_search_and_order(db: &Db) {
    for text in ["übermittlungssperre", "ÜBERMITTLUNGSSPERRE"] {
        let found = portfolio::page(db, &PortfolioFilter { text: text.into(), ..Default::default() }).await.unwrap();
        assert!(found.total >= 1, "{text}");
        assert!(found.rows.iter().all(|r| r.title.contains("Übermittlungssperre")), "{text}");
    }
    let found = services::page(db, &ServiceFilter { text: "übernahme".into(), ..Default::default() }).await.unwrap();
    assert!(found.rows.iter().any(|s| s.name == "Übernahme von Bestattungskosten"), "{:?}", found.rows);

    // The whole catalogue, page by page, as the services list shows it.
    let mut names = Vec::new();
    let mut filter = ServiceFilter::default();
    loop {
        let page = services::page(db, &filter).await.unwrap();
        names.extend(page.rows.into_iter().map(|s| s.name));
        if page.page >= page.pages {
            break;
        }
        filter.page = page.page + 1;
    }
    let din = |name: &str| name.to_lowercase().replace('ä', "a").replace('ö', "o").replace('ü', "u").replace('ß', "ss");
    assert!(names.windows(2).all(|w| din(&w[0]) <= din(&w[1])), "sorted as German lists are");
    let at = |name: &str| names.iter().position(|n| n == name).unwrap();
    assert!(at("Übernahme von Bestattungskosten") < at("Zweitwohnungsteuer Ermäßigung"));
}

async fn services_and_people(db: &Db) {
    let page = services::page(db, &ServiceFilter::default()).await.unwrap();
    assert!(page.total >= 500);
    assert_eq!(page.levels.len(), 5);
    assert!(page.rows.iter().any(|s| s.last_total.is_some()));
    let level3 = services::page(db, &ServiceFilter { reifegrad: Some(3), ..Default::default() }).await.unwrap();
    assert!(level3.total > 0 && level3.rows.iter().all(|s| s.reifegrad == 3));
    let tf = page.themenfelder[0].id;
    let by_field = services::page(db, &ServiceFilter { themenfeld: Some(tf), ..Default::default() }).await.unwrap();
    assert!(by_field.total > 0 && by_field.total < page.total);
    let departments = people::departments(db).await.unwrap();
    assert!(departments.len() >= 12);
    let one = people::department(db, departments[0].id).await.unwrap();
    assert!(one.functions.iter().any(|f| f.kind == "lotse"));
    assert_eq!(people::department(db, 999_999).await.unwrap_err(), AppError::NotFound);
    let functions = people::functions(db, None).await.unwrap();
    assert!(functions.iter().any(|f| f.person_name.is_none()), "some functions are vacant");
}

/// Targets measure from the frozen Stichtage plus today; forms refuse bad input by field;
/// a custom figure takes recorded values and forecasts from them.
async fn programme_targets(db: &Db) {
    use leitstand::domain::TargetInput;
    use leitstand::domain::forecast::{Forecast, Verdict};
    use leitstand::server::db::targets;

    let list = targets::all(db, as_of()).await.unwrap();
    assert_eq!(list.len(), 3);
    let share = list.iter().find(|t| t.metric_param == Some(3)).unwrap();
    let closed = count(db, "SELECT count(*) FROM stichtage WHERE state = 'geschlossen'").await;
    assert_eq!(share.history.len() as i64, closed + 1, "one value per closed Stichtag, and today");
    let at3 = count(db, "SELECT count(*) FROM ozg_services WHERE reifegrad >= 3").await as f64;
    let all = count(db, "SELECT count(*) FROM ozg_services").await as f64;
    assert!((share.current().unwrap() - at3 * 100.0 / all).abs() < 1e-9);
    assert_eq!(share.history.last().unwrap().date, as_of());
    let usage = list.iter().find(|t| t.metric == leitstand::domain::TargetMetric::UsageRate).unwrap();
    assert!(usage.history.len() >= 12, "monthly usage figures");
    assert_ne!(usage.forecast(), Forecast::NoHistory);

    let err = targets::save(
        db,
        None,
        &TargetInput::parse("Alle OZG-Leistungen ab Reifegrad 3", "custom", "", "10", "2027-12-31").unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(codes(&err), vec![("name".to_string(), ErrorCode::NameTaken)]);
    let input = TargetInput::parse("Geschulte Beschäftigte", "custom", "", "1.500", "31.12.2027").unwrap();
    let id = targets::save(db, None, &input).await.unwrap();
    let fresh = targets::one(db, id, as_of()).await.unwrap();
    assert_eq!((fresh.history.len(), fresh.verdict()), (0, Verdict::Unknown));
    let err = targets::record_value(db, id, "2026-12-01", "100", as_of(), "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![("as_of".to_string(), ErrorCode::ActualInFuture)]);
    let err = targets::record_value(db, id, "2026-01-01", "viele", as_of(), "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![("value".to_string(), ErrorCode::InvalidNumber)]);
    let err = targets::record_value(db, share.id, "2026-01-01", "5", as_of(), "t").await.unwrap_err();
    assert_eq!(codes(&err), vec![("value".to_string(), ErrorCode::NotCustom)]);
    for (date, value) in [("01.01.2026", "300"), ("01.04.2026", "600"), ("01.07.2026", "900"), ("01.07.2026", "850")] {
        targets::record_value(db, id, date, value, as_of(), "Stabsstelle").await.unwrap();
    }
    let counted = targets::one(db, id, as_of()).await.unwrap();
    assert_eq!(counted.history.len(), 3, "a second value on a date replaces the first");
    assert_eq!(counted.current(), Some(850.0));
    assert!(matches!(counted.forecast(), Forecast::Expected { .. }));
    assert_eq!(counted.verdict(), Verdict::OnTrack, "{}", counted.explain(leitstand::domain::Lang::De));

    let changed = TargetInput::parse("Geschulte Beschäftigte", "custom", "", "5000", "31.12.2026").unwrap();
    targets::save(db, Some(id), &changed).await.unwrap();
    let tougher = targets::one(db, id, as_of()).await.unwrap();
    assert_eq!(tougher.verdict(), Verdict::OffTrack);
    assert_eq!(targets::save(db, Some(999_999), &changed).await.unwrap_err(), AppError::NotFound);
}

/// The charts' data agree with direct counts.
async fn chart_aggregates(db: &Db) {
    use leitstand::server::db::charts;
    let closed = count(db, "SELECT count(*) FROM stichtage WHERE state = 'geschlossen'").await;
    let services = count(db, "SELECT count(*) FROM ozg_services").await;
    let coverage = charts::coverage(db, leitstand::domain::Lang::De, as_of()).await.unwrap();
    assert_eq!(coverage.over_time.len() as i64, closed + 1, "each closed Stichtag and today");
    assert!(coverage.over_time.iter().all(|r| r.counts.iter().sum::<i64>() == services));
    let online = count(db, "SELECT count(*) FROM ozg_services WHERE reifegrad >= 3").await;
    let share = coverage.online_share(coverage.over_time.last().unwrap()).unwrap();
    assert!((share - online as f64 * 100.0 / services as f64).abs() < 1e-9);
    assert_eq!(coverage.target.map(|t| t.0), Some(100.0));
    assert_eq!(coverage.by_themenfeld.iter().map(|r| r.counts.iter().sum::<i64>()).sum::<i64>(), services);

    let ampel = charts::ampel(db, leitstand::domain::Lang::De, None).await.unwrap();
    assert_eq!(ampel.over_time.len() as i64, closed);
    let latest = count(db, "SELECT count(*) FROM stichtag_projects WHERE stichtag_id = (SELECT max(id) FROM stichtage WHERE state = 'geschlossen') AND phase NOT IN ('abgeschlossen', 'gestoppt')").await;
    assert_eq!(ampel.by_department.iter().map(|r| r.total()).sum::<i64>(), latest);

    let burn = charts::burn_up(db).await.unwrap();
    assert_eq!(burn.points.len() as i64, closed);
    let last = burn.points.last().unwrap();
    let done = count(db, "SELECT count(*) FROM stichtag_projects WHERE stichtag_id = (SELECT max(id) FROM stichtage WHERE state = 'geschlossen') AND phase = 'abgeschlossen'").await;
    assert_eq!(last.projects_done, done);
    assert!(
        burn.points.windows(2).all(|w| w[0].milestones_done <= w[1].milestones_done),
        "reached milestones only grow"
    );
    assert_eq!(
        burn.deadline,
        NaiveDate::from_ymd_opt(2030, 12, 31).unwrap(),
        "no completion target in the demo: programme end"
    );

    // Termintreue: the date arithmetic differs per backend, so check it against Rust.
    let adherence = charts::adherence(db).await.unwrap();
    assert_eq!(adherence.stichtage.len() as i64, closed);
    let latest_date = *adherence.stichtage.last().unwrap();
    let rows: Vec<(NaiveDate, Option<NaiveDate>)> = on_db!(db, pool => sqlx::query_as(
        "SELECT sm.baseline_date, sm.actual_date FROM stichtag_milestones sm JOIN stichtage s ON s.id = sm.stichtag_id
          WHERE s.report_date = $1 AND sm.baseline_date <= s.report_date")
        .bind(latest_date).fetch_all(pool).await.unwrap());
    let on_time = rows
        .iter()
        .filter(|(baseline, actual)| {
            actual.is_some_and(|a| (a - *baseline).num_days() <= charts::TERMINTREUE_TOLERANCE_DAYS)
        })
        .count() as i64;
    let overall = adherence.overall.last().unwrap();
    assert_eq!((overall.on_time, overall.due), (on_time, rows.len() as i64));
    assert!(on_time > 0 && on_time < rows.len() as i64, "the demo city is neither perfect nor hopeless");

    // Portfolio MTA: the most slipped open key milestones, at most eight lines.
    let keys = charts::key_milestones(db).await.unwrap();
    assert!(!keys.is_empty() && keys.windows(2).all(|w| w[0].slip >= w[1].slip));
    assert!(
        keys.iter().all(|k| k.slip == (k.forecast_date - k.baseline_date).num_days()),
        "days_between on this backend"
    );
    let portfolio = charts::mta_portfolio(db, &[]).await.unwrap();
    assert_eq!(portfolio.lines.len(), keys.len().min(charts::PORTFOLIO_MTA_LINES));
    assert!(portfolio.lines.iter().any(|l| l.title.starts_with(&format!("{}: {}", keys[0].key, keys[0].title))));
    let chosen = charts::mta_portfolio(db, &[keys[1].id]).await.unwrap();
    assert_eq!(chosen.lines.len(), 1);
    assert!(!chosen.lines[0].points.is_empty(), "forecast history per Stichtag");

    let usage = charts::usage(db).await.unwrap();
    assert_eq!(usage.months.len() as i64, count(db, "SELECT count(DISTINCT month) FROM service_usage").await);
    assert_eq!(usage.services.len(), 6, "three best and three weakest");
    let rates: Vec<f64> = usage.services.iter().map(|s| s.period_rate().unwrap()).collect();
    assert!(rates[0] >= rates[2] && rates[2] >= rates[3] && rates[3] >= rates[5], "{rates:?}");
}

fn form<'a>(pairs: &'a [(&'a str, String)]) -> impl Fn(&str) -> String + 'a {
    move |name: &str| pairs.iter().find(|(k, _)| *k == name).map(|(_, v)| v.clone()).unwrap_or_default()
}

/// The whole cycle on one showcase project: draft, submit, return, resubmit, approve, compare,
/// close; then the closed Stichtag stays as it was, whatever changes afterwards.
async fn reporting_cycle(db: &Db) {
    use leitstand::domain::Review;
    use leitstand::server::db::reporting;

    let list = reporting::list(db, as_of()).await.unwrap();
    assert_eq!(list.stichtage.len(), 12);
    let open = list.stichtage.iter().find(|s| s.is_open()).expect("the demo has an open Stichtag").clone();
    let previous = list.stichtage.iter().find(|s| !s.is_open()).unwrap().clone();
    assert!(list.stichtage.iter().filter(|s| !s.is_open()).all(|s| s.due > 0 && s.missing() == 0));
    assert!(open.missing() > 0 && open.submitted > 0, "the demo's open Stichtag is half-way");

    // The Stichtag's lines agree with its counts, and the showcase project still owes a report.
    let detail = reporting::detail(db, open.id).await.unwrap();
    assert_eq!(detail.lines.len() as i64, open.due);
    assert_eq!(detail.lines.iter().filter(|l| l.is_missing()).count() as i64, open.missing());
    let project = project_detail(db, "DIG-0005").await;
    let pid = project.project.id;
    assert!(detail.lines.iter().any(|l| l.project_id == pid && l.state.is_none()));
    let sachstand = reporting::sachstand(db, open.id, pid).await.unwrap();
    assert!(sachstand.report.is_none());
    let m = sachstand.milestones[0].clone();
    let slipped = m.forecast_date + chrono::Days::new(30);

    // A Lotse's list holds exactly their running projects.
    if let Some(lotse) = project.project.lotse_id {
        let mine = reporting::my_reports(db, Some(lotse)).await.unwrap();
        assert!(mine.lines.iter().any(|l| l.project_id == pid));
        assert!(mine.lines.len() < detail.lines.len());
    }

    // Bad input is refused with named fields and writes nothing.
    let bad = [("ampel", "rot".to_string()), ("percent_done", "140".to_string()), (m_field(m.id), slipped.to_string())];
    let err = reporting::save_sachstand(db, open.id, pid, form(&bad), false, "Lotsin").await.unwrap_err();
    assert_eq!(
        codes(&err),
        vec![
            ("ampel_reason".to_string(), ErrorCode::ReasonRequired),
            ("percent_done".to_string(), ErrorCode::InvalidPercent),
            (format!("grund_{}", m.id), ErrorCode::SlipReasonRequired),
        ]
    );
    assert!(reporting::sachstand(db, open.id, pid).await.unwrap().report.is_none());

    // Draft, then submit (needs the status text).
    let good = [
        ("ampel", "rot".to_string()),
        ("ampel_reason", "Fachverfahren liefert nicht".to_string()),
        ("percent_done", "40".to_string()),
        (m_field(m.id), slipped.format("%d.%m.%Y").to_string()),
        (g_field(m.id), "Lieferant verspätet".to_string()),
        ("decisions_needed", "Budget für Ersatzlösung".to_string()),
    ];
    reporting::save_sachstand(db, open.id, pid, form(&good), false, "Lotsin").await.unwrap();
    let err = reporting::save_sachstand(db, open.id, pid, form(&good), true, "Lotsin").await.unwrap_err();
    assert_eq!(codes(&err), vec![("summary".to_string(), ErrorCode::Required)]);
    let mut complete = good.to_vec();
    complete.push(("summary", "Schnittstelle fehlt weiterhin".to_string()));
    reporting::save_sachstand(db, open.id, pid, form(&complete), true, "Lotsin").await.unwrap();
    let report = reporting::sachstand(db, open.id, pid).await.unwrap().report.unwrap();
    assert_eq!((report.state.as_str(), report.submitted_by.as_deref()), ("eingereicht", Some("Lotsin")));
    // Handed in: no longer the Lotse's to change.
    let err = reporting::save_sachstand(db, open.id, pid, form(&complete), true, "Lotsin").await.unwrap_err();
    assert_eq!(codes(&err), vec![(String::new(), ErrorCode::ReportState)]);

    // Returned with a comment, reworked, handed in again, approved.
    let back = Review::Return { comment: "Bitte Risiken ergänzen".into() };
    reporting::review(db, open.id, pid, &back, "Stabsstelle").await.unwrap();
    let report = reporting::sachstand(db, open.id, pid).await.unwrap().report.unwrap();
    assert_eq!((report.state.as_str(), report.review_comment.as_str()), ("zurueckgegeben", "Bitte Risiken ergänzen"));
    complete.push(("risks", "Abhängigkeit vom Landesportal".to_string()));
    reporting::save_sachstand(db, open.id, pid, form(&complete), true, "Lotsin").await.unwrap();
    let approve = Review::Approve { comment: String::new() };
    reporting::review(db, open.id, pid, &approve, "Stabsstelle").await.unwrap();
    let err = reporting::review(db, open.id, pid, &approve, "Stabsstelle").await.unwrap_err();
    assert_eq!(codes(&err), vec![(String::new(), ErrorCode::ReportState)]);

    // Approval made the report the project's state and recorded the forecasts at the Stichtag.
    let after = project_detail(db, "DIG-0005").await;
    assert_eq!((after.project.ampel.as_str(), after.project.percent_done), ("rot", 40));
    let moved = after.milestones.iter().find(|x| x.id == m.id).unwrap();
    assert_eq!(moved.forecast_date, slipped);
    let recorded = count(
        db,
        &format!(
            "SELECT count(*) FROM milestone_forecasts f JOIN milestones m ON m.id = f.milestone_id
              WHERE m.project_id = {pid} AND f.stichtag_id = {} AND f.recorded_by = 'Lotsin'",
            open.id
        ),
    )
    .await;
    assert_eq!(recorded, sachstand.milestones.len() as i64, "one point per open milestone");

    // The comparison with the previous Stichtag sees the slip, in days, and the Ampel change.
    let compared = reporting::compare_page(db, Some(previous.id), Some(open.id)).await.unwrap().comparison.unwrap();
    let slip = compared.slipped.iter().find(|x| x.project_id == pid && x.title == m.title).expect("slip listed");
    assert!(slip.days >= 30, "{slip:?}");
    assert_eq!(slip.after, slipped);
    let before_ampel = on_db!(db, pool => sqlx::query_scalar::<_, String>("SELECT ampel FROM stichtag_projects WHERE stichtag_id = $1 AND project_id = $2").bind(previous.id).bind(pid).fetch_one(pool).await.unwrap());
    assert_eq!(compared.ampel_changes.iter().any(|a| a.project_id == pid), before_ampel != "rot");

    // Opening another while one is open, or one before the latest, is refused.
    let err = reporting::open(db, "2099-01-01").await.unwrap_err();
    assert_eq!(codes(&err), vec![("report_date".to_string(), ErrorCode::StichtagStillOpen)]);

    // Closing freezes: the approved report is in the snapshot with `reported`.
    reporting::close(db, open.id).await.unwrap();
    let frozen: (String, i64, bool) = on_db!(db, pool => sqlx::query_as("SELECT ampel, percent_done, reported FROM stichtag_projects WHERE stichtag_id = $1 AND project_id = $2").bind(open.id).bind(pid).fetch_one(pool).await.unwrap());
    assert_eq!(frozen, ("rot".to_string(), 40, true));
    assert_eq!(
        codes(&reporting::close(db, open.id).await.unwrap_err()),
        vec![(String::new(), ErrorCode::StichtagClosed)]
    );
    let closed = reporting::detail(db, open.id).await.unwrap();
    let compared_closed = reporting::compare(db, previous.clone(), closed.stichtag.clone()).await.unwrap();
    assert_eq!(compared_closed.slipped, compared.slipped);
    assert_eq!(compared_closed.ampel_changes, compared.ampel_changes);
    let frozen_report = reporting::sachstand(db, open.id, pid).await.unwrap();

    // After closing, nothing changes it: not the application ...
    let err = reporting::save_sachstand(db, open.id, pid, form(&complete), false, "Lotsin").await.unwrap_err();
    assert_eq!(codes(&err), vec![(String::new(), ErrorCode::StichtagClosed)]);
    let err = reporting::review(db, open.id, pid, &approve, "Stabsstelle").await.unwrap_err();
    assert_eq!(codes(&err), vec![(String::new(), ErrorCode::StichtagClosed)]);
    // ... not direct SQL (the database's triggers) ...
    for sql in [
        format!("UPDATE status_reports SET ampel = 'gruen' WHERE stichtag_id = {}", open.id),
        format!("UPDATE stichtag_projects SET percent_done = 99 WHERE stichtag_id = {}", open.id),
        format!("UPDATE stichtag_milestones SET forecast_date = '2030-01-01' WHERE stichtag_id = {}", open.id),
        format!("UPDATE stichtag_services SET reifegrad = 0 WHERE stichtag_id = {}", open.id),
        format!("UPDATE stichtage SET state = 'offen', closed_at = NULL WHERE id = {}", open.id),
        format!(
            "INSERT INTO milestone_forecasts (milestone_id, stichtag_id, reported_on, forecast_date, reached, reason, recorded_at, recorded_by)
             VALUES ({}, {}, '2026-11-01', '2030-01-01', FALSE, '', '2026-11-01T00:00:00Z', 'x')",
            m.id, open.id
        ),
    ] {
        let result = on_db!(db, pool => sqlx::query(&sql).execute(pool).await.map(|_| ()));
        let err = result.expect_err(&sql);
        assert_eq!(AppError::from(err), AppError::Invalid(vec![leitstand::domain::FieldError::new("", ErrorCode::StichtagClosed, "")]), "{sql}");
    }
    // ... nor later edits of the project and its milestones.
    let live = project_detail(db, "DIG-0005").await.project;
    let change = ProjectStatusChange::parse(&live.department_id.to_string(), "", "gruen", "", "95").unwrap();
    projects::save_status(db, pid, live.version, &change, "später").await.unwrap();
    let mv = project_detail(db, "DIG-0005").await.milestones.into_iter().find(|x| x.id == m.id).unwrap();
    let later = (mv.forecast_date + chrono::Days::new(100)).to_string();
    projects::save_milestone(db, pid, m.id, mv.version, (&later, "", "neu geplant"), as_of(), "später").await.unwrap();
    assert_eq!(reporting::sachstand(db, open.id, pid).await.unwrap().report, frozen_report.report);
    assert_eq!(reporting::sachstand(db, open.id, pid).await.unwrap().milestones, frozen_report.milestones);
    let again = reporting::compare(db, previous.clone(), closed.stichtag.clone()).await.unwrap();
    assert_eq!((again.slipped, again.ampel_changes), (compared.slipped.clone(), compared.ampel_changes.clone()));
    let frozen_again: (String, i64, bool) = on_db!(db, pool => sqlx::query_as("SELECT ampel, percent_done, reported FROM stichtag_projects WHERE stichtag_id = $1 AND project_id = $2").bind(open.id).bind(pid).fetch_one(pool).await.unwrap());
    assert_eq!(frozen_again, frozen);

    // A new Stichtag must come after the last one; then the cycle starts over.
    let err = reporting::open(db, &open.report_date.to_string()).await.unwrap_err();
    assert_eq!(codes(&err), vec![("report_date".to_string(), ErrorCode::StichtagNotAfterLast)]);
    let err = reporting::open(db, "31.13.2026").await.unwrap_err();
    assert_eq!(codes(&err), vec![("report_date".to_string(), ErrorCode::InvalidDate)]);
    let next = (open.report_date + chrono::Months::new(1)).format("%d.%m.%Y").to_string();
    let new_id = reporting::open(db, &next).await.unwrap();
    let fresh = reporting::detail(db, new_id).await.unwrap();
    assert!(fresh.stichtag.is_open() && fresh.lines.iter().all(|l| l.state.is_none()));
}

fn m_field(id: i64) -> &'static str {
    Box::leak(format!("prognose_{id}").into_boxed_str())
}

fn g_field(id: i64) -> &'static str {
    Box::leak(format!("grund_{id}").into_boxed_str())
}

#[tokio::test]
async fn repository_suite_on_sqlite() {
    let db = common::sqlite().await;
    suite(&db).await;
}

#[tokio::test]
async fn repository_suite_on_postgres() {
    if common::postgres_skipped() {
        return;
    }
    let (db, name) = common::postgres().await;
    suite(&db).await;
    common::drop_postgres(db, &name).await;
}

/// One-shot commands (`import`, `demo`, `migrate`) open SQLite with a 512 KiB page cache on
/// every connection of their pool; the server keeps SQLite's default of 2 MiB. Both keep
/// temporary data (statement journals) in memory rather than in files.
#[tokio::test]
async fn commands_open_sqlite_with_a_small_page_cache_and_the_server_with_the_default() {
    let path = std::env::temp_dir().join(format!("leitstand_cache_{}.db", std::process::id()));
    let url = format!("sqlite://{}", path.display());
    for (db, expected) in
        [(Db::connect_for_command(&url).await.unwrap(), -512), (Db::connect(&url).await.unwrap(), -2000)]
    {
        let Db::Sqlite(pool) = &db else { panic!("a SQLite URL opens SQLite") };
        // Two connections at once: the setting holds for each connection the pool opens.
        let (mut first, mut second) = (pool.acquire().await.unwrap(), pool.acquire().await.unwrap());
        for connection in [&mut first, &mut second] {
            let pages: i64 = sqlx::query_scalar("PRAGMA cache_size").fetch_one(&mut **connection).await.unwrap();
            assert_eq!(pages, expected);
            // 2 = MEMORY (0 would leave it to the compile-time default, files).
            let temp_store: i64 = sqlx::query_scalar("PRAGMA temp_store").fetch_one(&mut **connection).await.unwrap();
            assert_eq!(temp_store, 2);
        }
        drop((first, second));
        db.close().await;
    }
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
