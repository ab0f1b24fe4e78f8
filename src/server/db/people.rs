//! Reads of departments and functions (Lotsen, sponsors) with their current holders.
//! Per data-protection rules, people appear beside the items they own, never ranked.

use super::{Db, on_db};
use crate::api::overview::DepartmentFigure;
use crate::api::people::{DepartmentDetail, FunctionRow};
use crate::error::AppError;

const DEPARTMENTS: &str = "
    SELECT d.id, d.code, d.name, count(p.id) AS projects,
           CAST(COALESCE(sum(CASE WHEN p.ampel = 'gruen' THEN 1 ELSE 0 END), 0) AS BIGINT) AS gruen,
           CAST(COALESCE(sum(CASE WHEN p.ampel = 'gelb' THEN 1 ELSE 0 END), 0) AS BIGINT) AS gelb,
           CAST(COALESCE(sum(CASE WHEN p.ampel = 'rot' THEN 1 ELSE 0 END), 0) AS BIGINT) AS rot
      FROM departments d LEFT JOIN projects p ON p.department_id = d.id
     WHERE ($1 IS NULL OR d.id = $1)
     GROUP BY d.id, d.code, d.name
     ORDER BY d.code";

const FUNCTIONS: &str = "
    SELECT f.id, f.title, f.kind, f.department_id, d.code AS department_code,
           pe.name AS person_name, pe.email AS person_email, pe.phone AS person_phone,
           (SELECT count(*) FROM projects p WHERE p.lotse_id = f.id OR p.sponsor_id = f.id) AS projects
      FROM functions f
      LEFT JOIN departments d ON d.id = f.department_id
      LEFT JOIN people pe ON pe.id = f.person_id
     WHERE ($1 IS NULL OR f.department_id = $1)
     ORDER BY d.code, f.kind, f.title";

pub async fn departments(db: &Db) -> Result<Vec<DepartmentFigure>, AppError> {
    on_db!(db, pool => Ok(sqlx::query_as::<_, DepartmentFigure>(DEPARTMENTS).bind(None::<i64>).fetch_all(pool).await?))
}

pub async fn department(db: &Db, id: i64) -> Result<DepartmentDetail, AppError> {
    let department = on_db!(db, pool => {
        sqlx::query_as::<_, DepartmentFigure>(DEPARTMENTS).bind(Some(id)).fetch_optional(pool).await?
    })
    .ok_or(AppError::NotFound)?;
    Ok(DepartmentDetail { department, functions: functions(db, Some(id)).await? })
}

pub async fn functions(db: &Db, department: Option<i64>) -> Result<Vec<FunctionRow>, AppError> {
    on_db!(db, pool => Ok(sqlx::query_as::<_, FunctionRow>(FUNCTIONS).bind(department).fetch_all(pool).await?))
}
