//! Read-only access to OpenClaw's SQLite stores (2026.6+), auth-store.md §9.2.
//! clawauth never writes these databases: OpenClaw owns them.

use crate::domain::read::sqlite_open::ReadOnlyDb;
use crate::domain::read::store::{MAX_STORE_BYTES, Store, StoreKind, parse_document};
use crate::domain::read::version::Generation;
use rusqlite::{Connection, OptionalExtension};
use serde_json::{Map, Value};
use std::path::Path;

fn open_read_only(path: &Path) -> Result<ReadOnlyDb, String> {
    crate::domain::read::fsread::check_regular_file(path)?;
    crate::domain::read::sqlite_open::open_read_only(path)
}

fn table_exists(conn: &Connection, table: &str) -> Result<bool, String> {
    conn.query_row(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?1",
        [table],
        |_| Ok(()),
    )
    .optional()
    .map(|r| r.is_some())
    .map_err(|e| e.to_string())
}

/// The text in `table.column` of the row whose `key_column` is `key`; cells over
/// [`MAX_STORE_BYTES`] or that are not text are errors (never loaded whole).
fn cell(
    conn: &Connection,
    table: &str,
    column: &str,
    key_column: &str,
    key: &str,
) -> Result<Option<String>, String> {
    let what = format!("{table}.{column} (row {key})");
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
        .map_err(|e| format!("{what}: {e}"))?;
    match row {
        None => Ok(None),
        Some((kind, _, _)) if kind == "null" => Ok(None),
        Some((kind, _, _)) if kind != "text" => Err(format!("{what} holds {kind}, not JSON text")),
        Some((_, Some(len), None)) => Err(format!(
            "{what} is {len} bytes, over clawauth's limit of {} for auth stores",
            crate::domain::read::fsread::size_text(MAX_STORE_BYTES)
        )),
        Some((_, _, text)) => Ok(text),
    }
}

fn parse_cell(text: Option<String>, what: &str) -> Result<Option<Value>, String> {
    text.map(|t| {
        crate::domain::read::store::check_value_count(t.as_bytes())
            .map_err(|e| format!("{what} {e}"))?;
        serde_json::from_str(&t).map_err(|e| format!("{what} is not valid JSON: {e}"))
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
    read: impl FnOnce(&Connection) -> Result<Option<Value>, String>,
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
        Err(e) => Store {
            exists: true,
            error: Some(format!("{}: {e}", path.display())),
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

fn machine_state(conn: &Connection, key: &str) -> Result<Option<Value>, String> {
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
pub(crate) fn shared_store_in_state_db(path: &Path) -> Result<bool, String> {
    if !path.exists() {
        return Ok(false);
    }
    let conn = open_read_only(path)?;
    let value = machine_state(&conn, "auth.sharedStore")?;
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
pub(crate) fn load_cron_rows(path: &Path) -> Result<Vec<(String, Option<String>, Value)>, String> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    cron_rows(path).map_err(|e| {
        if e.contains(&path.display().to_string()) {
            e
        } else {
            format!("{}: {e}", path.display())
        }
    })
}

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

fn cron_rows(path: &Path) -> Result<Vec<(String, Option<String>, Value)>, String> {
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
        .map_err(|e| format!("{}: cron_jobs: {e}", path.display()))?;
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
        .map_err(|e| format!("{}: cron_jobs: {e}", path.display()))?;
    rows.map(|r| {
        let (id, agent, json, columns) =
            r.map_err(|e| format!("{}: cron_jobs: {e}", path.display()))?;
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
