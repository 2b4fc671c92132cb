//! The pure domain: discovery, parsing, validation, status. No terminal code.

pub mod advice;
pub mod agents;
pub mod config;
pub mod cron;
pub mod discovery;
pub mod envsnap;
pub mod executable;
pub mod fsread;
pub mod gateway;
pub mod ops;
pub mod order;
pub mod paths;
pub mod problem;
pub mod profile;
pub mod providers;
pub mod report;
pub mod resolve;
pub mod secret;
pub mod sqlite;
pub mod store;
pub mod validate;
pub mod validate_config;
pub mod validate_store;
pub mod version;
pub mod view;
pub mod write;
