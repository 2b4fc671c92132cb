//! Read-only access to OpenClaw's SQLite stores (2026.6+), auth-store.md §9.2.
//! clawauth never writes these databases: OpenClaw owns them.

use super::store::{Store, StoreKind, parse_document};
use super::version::Generation;
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use serde_json::{Map, Value};
use std::path::Path;
use std::time::Duration;

fn open_read_only(path: &Path) -> Result<Connection, String> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let conn = Connection::open_with_flags(path, flags)
        .map_err(|e| format!("cannot open {} read-only: {e}", path.display()))?;
    conn.busy_timeout(Duration::from_secs(2))
        .map_err(|e| e.to_string())?;
    Ok(conn)
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

fn cell(conn: &Connection, sql: &str, key: &str) -> Result<Option<String>, String> {
    conn.query_row(sql, [key], |row| row.get::<_, String>(0))
        .optional()
        .map_err(|e| e.to_string())
}

fn parse_cell(text: Option<String>, what: &str) -> Result<Option<Value>, String> {
    text.map(|t| serde_json::from_str(&t).map_err(|e| format!("{what} is not valid JSON: {e}")))
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
pub fn load_agent_db(path: &Path) -> Store {
    load_from(path, StoreKind::AgentDb, |conn| {
        let store = if table_exists(conn, "auth_profile_store")? {
            cell(
                conn,
                "SELECT store_json FROM auth_profile_store WHERE store_key=?1",
                "primary",
            )?
        } else {
            None
        };
        let state = if table_exists(conn, "auth_profile_state")? {
            cell(
                conn,
                "SELECT state_json FROM auth_profile_state WHERE state_key=?1",
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
        cell(
            conn,
            "SELECT value_json FROM config_machine_state WHERE state_key=?1",
            key,
        )?,
        key,
    )
}

/// `<stateDir>/state/openclaw.sqlite` rows `authProfiles.store` / `authProfiles.state`.
pub fn load_shared_db(path: &Path) -> Store {
    load_from(path, StoreKind::SharedDb, |conn| {
        Ok(combine(
            machine_state(conn, "authProfiles.store")?,
            machine_state(conn, "authProfiles.state")?,
        ))
    })
}

/// `config_machine_state['auth.sharedStore'].location == "state-db"`.
pub fn shared_store_in_state_db(path: &Path) -> Result<bool, String> {
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

/// One row of the 2026.9 `cron_jobs` table: (job id, agent id, job JSON).
pub fn load_cron_rows(path: &Path) -> Result<Vec<(String, Option<String>, Value)>, String> {
    if !path.exists() {
        return Ok(Vec::new());
    }
    let conn = open_read_only(path)?;
    if !table_exists(&conn, "cron_jobs")? {
        return Ok(Vec::new());
    }
    let mut stmt = conn
        .prepare("SELECT job_id, agent_id, job_json FROM cron_jobs ORDER BY sort_order, job_id")
        .map_err(|e| e.to_string())?;
    let rows = stmt
        .query_map([], |row| {
            Ok((
                row.get::<_, String>(0)?,
                row.get::<_, Option<String>>(1)?,
                row.get::<_, String>(2)?,
            ))
        })
        .map_err(|e| e.to_string())?;
    rows.map(|r| {
        let (id, agent, json) = r.map_err(|e| e.to_string())?;
        Ok((
            id,
            agent,
            serde_json::from_str(&json).unwrap_or(Value::Null),
        ))
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
