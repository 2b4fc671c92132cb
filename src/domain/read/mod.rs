//! Stage 1: reading the state as OpenClaw finds it (paths, environment, config,
//! agents, providers, cron jobs, stores, version, gateway).

pub mod agents;
pub mod builtins;
pub(crate) mod catalog;
pub(crate) mod clilogin;
pub mod config;
pub(crate) mod cron;
pub mod discovery;
pub mod envsnap;
pub(crate) mod envtable;
pub mod error;
pub(crate) mod executable;
pub(crate) mod fsread;
pub mod gateway;
pub(crate) mod include;
pub mod paths;
pub(crate) mod processes;
pub mod profile;
pub(crate) mod providers;
pub(crate) mod sqlite;
pub(crate) mod sqlite_open;
pub mod store;
pub mod version;
