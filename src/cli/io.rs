//! What every command does at the edge: read the state (its warnings printed to
//! stderr) and write a JSON document.

use crate::domain::read::discovery::Discovery;
use crate::service::exit::Failure;
use crate::service::session::Session;
use std::io::Write;

/// Loads the state, printing the warnings found while reading it.
pub(crate) fn load(session: &Session) -> Result<Discovery, Failure> {
    let loaded = session.load()?;
    for w in &loaded.warnings {
        eprintln!("clawauth: warning: {w}");
    }
    Ok(loaded.discovery)
}

/// Pretty JSON on a terminal, compact (one line) otherwise: the same contract.
pub(crate) fn write_json(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
    pretty: bool,
) -> Result<(), Failure> {
    let written = if pretty {
        serde_json::to_writer_pretty(&mut *out, value)
    } else {
        serde_json::to_writer(&mut *out, value)
    };
    written.map_err(Failure::output)?;
    writeln!(out).map_err(Failure::output)
}
