//! Read-only access to OpenClaw's SQLite stores (2026.6+), auth-store.md §9.2.
//! clawauth never writes these databases: OpenClaw owns them.

use crate::domain::read::error::{CellProblem, ReadError, SqliteError, TextError};
use crate::domain::read::sqlite_open::ReadOnlyDb;
use crate::domain::read::store::{MAX_STORE_BYTES, Store, StoreKind, parse_document};
use crate::domain::read::version::Generation;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};
use std::path::Path;

fn open_read_only(path: &Path) -> Result<ReadOnlyDb, SqliteError> {
    crate::domain::read::fsread::check_regular_file(path)
        .map_err(|e| SqliteError::File(Box::new(e)))?;
    crate::domain::read::sqlite_open::open_read_only(path)
}

fn table_exists(conn: &Connection, table: &str) -> Result<bool, SqliteError> {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1",
        [table],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
    .map_err(|e| SqliteError::Query {
        detail: e.to_string(),
    })
}

/// The text in `table.column` of the row whose `key_column` is `key`; cells over
/// [`MAX_STORE_BYTES`] or that are not text are errors (never loaded whole).
fn cell(
    conn: &Connection,
    table: &str,
    column: &str,
    key_column: &str,
    key: &str,
) -> Result<Option<String>, SqliteError> {
    let what = format!("{table}.{column} (row {key})");
    let fail = |problem| SqliteError::Cell {
        what: what.clone(),
        problem,
    };
    let sql = format!(
        "SELECT typeof({column}), length(CAST({column} AS BLOB)), \
         CASE WHEN length(CAST({column} AS BLOB)) <= {MAX_STORE_BYTES} AND typeof({column}) = 'text' THEN {column} END \
         FROM {table} WHERE {key_column}=?1"
    );
    let row = conn
        .query_row(&sql, [key], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<i64>>(1)?,
                row.get::<_, Option<String>>(2)?,
            ))
        })
        .optional()
        .map_err(|e| {
            fail(CellProblem::Query {
                detail: e.to_string(),
            })
        })?;
    match row {
        None => Ok(None),
        Some((kind, _, _)) if kind == "null" => Ok(None),
        Some((kind, _, _)) if kind != "text" => Err(fail(CellProblem::NotText { kind })),
        Some((_, Some(len), None)) => Err(fail(CellProblem::TooLarge {
            len,
            limit: MAX_STORE_BYTES,
        })),
        Some((_, _, text)) => Ok(text),
    }
}

fn parse_cell(text: Option<String>, what: &str) -> Result<Option<Value>, SqliteError> {
    let fail = |e| SqliteError::Cell {
        what: what.to_string(),
        problem: CellProblem::Text(e),
    };
    text.map(|t| {
        crate::domain::read::store::check_value_count(t.as_bytes()).map_err(fail)?;
        serde_json::from_str(&t).map_err(|e| {
            fail(TextError::Json {
                detail: e.to_string(),
            })
        })
    })
    .transpose()
}

/// Combines a secrets cell and a state cell into one store document.
fn combine(store: Option<Value>, state: Option<Value>) -> Option<Value> {
    if store.is_none() && state.is_none() {
        return None;
    }
    let mut doc = Map::new();
    doc.insert("version".into(), Value::from(1));
    let profiles = store
        .as_ref()
        .and_then(|s| s.get("profiles"))
        .cloned()
        .unwrap_or_else(|| Value::Object(Map::new()));
    doc.insert("profiles".into(), profiles);
    for (from, to) in [
        ("order", "order"),
        ("lastGood", "lastGood"),
        ("usageStats", "usageStats"),
    ] {
        if let Some(v) = state.as_ref().and_then(|s| s.get(from)) {
            doc.insert(to.into(), v.clone());
        }
    }
    Some(Value::Object(doc))
}

fn load_from(
    path: &Path,
    kind: StoreKind,
    read: impl FnOnce(&Connection) -> Result<Option<Value>, SqliteError>,
) -> Store {
    if !path.exists() {
        return Store::absent(path.to_path_buf(), kind);
    }
    let result = open_read_only(path).and_then(|conn| read(&conn));
    match result {
        Ok(Some(doc)) => parse_document(path.to_path_buf(), kind, doc, Generation::Sqlite),
        Ok(None) => Store {
            exists: true,
            is_store: true,
            ..Store::absent(path.to_path_buf(), kind)
        },
        Err(problem) => Store {
            exists: true,
            error: Some(
                ReadError::Sqlite {
                    file: path.to_path_buf(),
                    problem,
                }
                .to_string(),
            ),
            ..Store::absent(path.to_path_buf(), kind)
        },
    }
}

/// `<agentDir>/openclaw-agent.sqlite`: tables `auth_profile_store` / `auth_profile_state`, row `primary`.
pub(crate) fn load_agent_db(path: &Path) -> Store {
    load_from(path, StoreKind::AgentDb, |conn| {
        let store = if table_exists(conn, "auth_profile_store")? {
            cell(
                conn,
                "auth_profile_store",
                "store_json",
                "store_key",
                "primary",
            )?
        } else {
            None
        };
        let state = if table_exists(conn, "auth_profile_state")? {
            cell(
                conn,
                "auth_profile_state",
                "state_json",
                "state_key",
                "primary",
            )?
        } else {
            None
        };
        Ok(combine(
            parse_cell(store, "auth_profile_store.primary")?,
            parse_cell(state, "auth_profile_state.primary")?,
        ))
    })
}

fn machine_state(conn: &Connection, key: &str) -> Result<Option<Value>, SqliteError> {
    if !table_exists(conn, "config_machine_state")? {
        return Ok(None);
    }
    parse_cell(
        cell(conn, "config_machine_state", "value_json", "state_key", key)?,
        key,
    )
}

/// `<stateDir>/state/openclaw.sqlite` rows `authProfiles.store` / `authProfiles.state`.
pub(crate) fn load_shared_db(path: &Path) -> Store {
    load_from(path, StoreKind::SharedDb, |conn| {
        Ok(combine(
            machine_state(conn, "authProfiles.store")?,
            machine_state(conn, "authProfiles.state")?,
        ))
    })
}

/// `config_machine_state['auth.sharedStore'].location == "state-db"`.
pub(crate) fn shared_store_in_state_db(path: &Path) -> Result<bool, ReadError> {
    if !path.exists() {
        return Ok(false);
    }
    let in_file = |problem| ReadError::Sqlite {
        file: path.to_path_buf(),
        problem,
    };
    let conn = open_read_only(path).map_err(in_file)?;
    let value = machine_state(&conn, "auth.sharedStore").map_err(in_file)?;
    Ok(value
        .as_ref()
        .and_then(|v| v.get("location"))
        .and_then(Value::as_str)
        == Some("state-db"))
}

/// Cron jobs clawauth reads from the `cron_jobs` table, and the largest job JSON.
const MAX_CRON_ROWS: usize = 100_000;
const MAX_CRON_JOB_BYTES: usize = 1024 * 1024;

/// One row of the 2026.9 `cron_jobs` table: (job id, agent id, job JSON).
pub(crate) fn load_cron_rows(path: &Path) -> Result<Vec<CronRow>, ReadError> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    cron_rows(path).map_err(|e| match e {
        SqliteError::File(named) => *named,
        problem => ReadError::Sqlite {
            file: path.to_path_buf(),
            problem,
        },
    })
}

/// (job id, agent id, job JSON).
type CronRow = (String, Option<String>, Value);

/// The 2026.9 columns that hold what `job_json` leaves out: name, enabled, run state.
struct Columns {
    name: Option<String>,
    enabled: Option<i64>,
    state: Option<String>,
}

impl Columns {
    /// Adds the columns to the job document where it lacks them (as 2026.4 records them).
    fn merge_into(self, job: &mut Value) {
        let Some(o) = job.as_object_mut() else {
            return;
        };
        if let Some(name) = self
            .name
            .filter(|n| !o.contains_key("name") && !n.is_empty())
        {
            o.insert("name".into(), Value::String(name));
        }
        if let Some(enabled) = self.enabled {
            o.insert("enabled".into(), Value::Bool(enabled != 0));
        }
        let state = self
            .state
            .and_then(|t| serde_json::from_str::<Value>(&t).ok());
        if let Some(state) = state.filter(Value::is_object) {
            o.insert("state".into(), state);
        }
    }
}

fn cron_rows(path: &Path) -> Result<Vec<CronRow>, SqliteError> {
    let cron_jobs = |e: rusqlite::Error| SqliteError::Table {
        table: "cron_jobs",
        detail: e.to_string(),
    };
    let conn = open_read_only(path)?;
    if !table_exists(&conn, "cron_jobs")? {
        return Ok(Vec::new());
    }
    let mut stmt = conn
        .prepare(&format!(
            "SELECT CAST(job_id AS TEXT), CAST(agent_id AS TEXT), \
             CASE WHEN length(CAST(job_json AS BLOB)) <= {MAX_CRON_JOB_BYTES} THEN CAST(job_json AS TEXT) END, \
             CAST(name AS TEXT), enabled, \
             CASE WHEN length(CAST(state_json AS BLOB)) <= {MAX_CRON_JOB_BYTES} THEN CAST(state_json AS TEXT) END \
             FROM cron_jobs ORDER BY sort_order, job_id LIMIT {MAX_CRON_ROWS}"
        ))
        .map_err(cron_jobs)?;
    let rows = stmt
        .query_map([], |row| {
            Ok((
                row.get::<_, Option<String>>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, Option<String>>(2)?,
                Columns {
                    name: row.get::<_, Option<String>>(3).ok().flatten(),
                    enabled: row.get::<_, Option<i64>>(4).ok().flatten(),
                    state: row.get::<_, Option<String>>(5).ok().flatten(),
                },
            ))
        })
        .map_err(cron_jobs)?;
    rows.map(|r| {
        let (id, agent, json, columns) = r.map_err(cron_jobs)?;
        let mut job = json
            .and_then(|j| serde_json::from_str(&j).ok())
            .unwrap_or(Value::Null);
        columns.merge_into(&mut job);
        Ok((id.unwrap_or_default(), agent, job))
    })
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_agent_and_shared_rows() {
        let dir = tempfile::tempdir().unwrap();
        let agent = dir.path().join("openclaw-agent.sqlite");
        let conn = Connection::open(&agent).unwrap();
        conn.execute_batch(
            "CREATE TABLE auth_profile_store(store_key TEXT PRIMARY KEY, store_json TEXT, updated_at INTEGER);
             CREATE TABLE auth_profile_state(state_key TEXT PRIMARY KEY, state_json TEXT, updated_at INTEGER);
             INSERT INTO auth_profile_store VALUES('primary','{\"version\":1,\"profiles\":{\"p:1\":{\"type\":\"api_key\",\"provider\":\"P\",\"key\":\"k\"}}}',0);
             INSERT INTO auth_profile_state VALUES('primary','{\"version\":1,\"order\":{\"P\":[\"p:1\"]}}',0);",
        )
        .unwrap();
        drop(conn);
        let s = load_agent_db(&agent);
        assert!(s.is_loaded(), "{:?}", s.error);
        assert_eq!(s.profiles["p:1"].provider, "p");
        assert_eq!(s.order["p"], vec!["p:1".to_string()]);

        let shared = dir.path().join("openclaw.sqlite");
        let conn = Connection::open(&shared).unwrap();
        conn.execute_batch(
            "CREATE TABLE config_machine_state(state_key TEXT PRIMARY KEY, value_json TEXT, updated_at_ms INTEGER);
             INSERT INTO config_machine_state VALUES('auth.sharedStore','{\"location\":\"state-db\"}',0);
             INSERT INTO config_machine_state VALUES('authProfiles.store','{\"version\":1,\"profiles\":{}}',0);",
        )
        .unwrap();
        drop(conn);
        assert!(shared_store_in_state_db(&shared).unwrap());
        assert!(load_shared_db(&shared).is_loaded());
    }

    #[test]
    fn corrupt_db_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("openclaw-agent.sqlite");
        std::fs::write(
            &p,
            b"this is not a database at all, just text padding padding padding",
        )
        .unwrap();
        let s = load_agent_db(&p);
        assert!(s.error.is_some());
    }
}
