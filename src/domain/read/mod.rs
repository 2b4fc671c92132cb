//! Stage 1: reading the state as OpenClaw finds it (paths, environment, config,
//! agents, providers, cron jobs, stores, version, gateway).

pub mod agents;
pub mod builtins;
pub mod catalog;
pub mod clilogin;
pub mod config;
pub mod cron;
pub mod discovery;
pub mod envsnap;
pub mod envtable;
pub mod error;
pub mod executable;
pub mod fsread;
pub mod gateway;
pub(crate) mod include;
pub mod paths;
pub mod processes;
pub mod profile;
pub mod providers;
pub mod sqlite;
pub(crate) mod sqlite_open;
pub mod store;
pub mod version;
