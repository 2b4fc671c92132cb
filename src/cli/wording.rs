//! The CLI's words for the domain's typed errors: where a refusal has a way out, the
//! CLI names its flag (`--replace`, `--profile-id`, `--agent`, …). The UI phrases the
//! same errors with its keys (`tui::text::errors`).

use crate::domain::ops::error::PlanError;
use crate::domain::probe::error::{SendRefusal, SkipReason};
use crate::domain::probe::plan::ResultRow;
use crate::domain::text::{IdError, IdField};
use crate::service::input_error::InputError;

/// A plan that cannot be made, as `set`, `copy`, `rotate` and `repair` print it.
pub(crate) fn plan_error(e: &PlanError) -> String {
    match e {
        PlanError::Id(id) => id_error(id),
        PlanError::OAuthMaterialNotOauth => {
            "OAuth material (access/refresh) can only be written as --type oauth".into()
        }
        PlanError::OauthWithoutMaterial => "--type oauth needs OAuth material: --oauth-json-stdin, --oauth-json-file or --import codex|claude".into(),
        PlanError::DifferentSecret { .. } => {
            format!("{e}; pass --replace to overwrite it, or choose another --profile-id")
        }
        PlanError::NoTarget => "name at least one target: --agent ID, --all-agents or --shared".into(),
        PlanError::NoOwnStore { .. } => format!("{e} (e.g. --from main)"),
        PlanError::UnreadableHolder { .. } => format!("{e} (or limit the rotation with --agent)"),
        PlanError::OnlyDifferent { .. } => format!("{e}: add --include-different to replace it too"),
        other => other.to_string(),
    }
}

/// A live check's row with the CLI's way out where there is one: `--completion` for
/// an API kind without a free check, `--allow-insecure-http` for plain http.
pub(crate) fn probe_row(row: &mut ResultRow) {
    let hint = match (&row.skipped, &row.refusal) {
        (Some(SkipReason::NoFreeCheck { .. }), _) => "; use --completion for a 1-token completion",
        (_, Some(SendRefusal::InsecureHttp { .. })) => " (pass --allow-insecure-http to allow it)",
        _ => return,
    };
    if let Some(m) = &mut row.message {
        m.push_str(hint);
    }
}

/// An input of `set` or `rotate` that cannot be used, naming its flag where it has one.
pub(crate) fn input_error(e: &InputError) -> String {
    match e {
        InputError::SecretRef { spec } => format!(
            "--secret-ref {spec:?}: use env:VAR, file:PROVIDER:/json/pointer or exec:PROVIDER:ID"
        ),
        InputError::LoginKind { kind } => format!("--import {kind:?}: use codex or claude"),
        other => other.to_string(),
    }
}

/// An id refused as OpenClaw's CLI would misread it, named by its flag.
pub(crate) fn id_error(e: &IdError) -> String {
    let flag = match e.field {
        IdField::Provider => "--provider",
        IdField::ProfileId => "--profile-id",
    };
    format!("{flag} {} {}", e.value, e.problem)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::text::check_cli_id;

    #[test]
    fn refusals_name_the_flags() {
        let id = check_cli_id("-x", IdField::ProfileId).unwrap_err();
        assert_eq!(
            plan_error(&PlanError::Id(id)),
            "--profile-id -x starts with `-` and would be read as an option"
        );
        let e = PlanError::DifferentSecret {
            place: "agent a".into(),
            profile: "p:default".into(),
            old: "sk-…1234".into(),
            new: "sk-…5678".into(),
        };
        assert!(
            plan_error(&e)
                .ends_with("pass --replace to overwrite it, or choose another --profile-id")
        );
        assert!(!e.to_string().contains("--"));
        assert!(plan_error(&PlanError::NoTarget).contains("--all-agents"));
    }

    #[test]
    fn probe_rows_name_the_flag_that_checks_them() {
        let skip = SkipReason::NoFreeCheck {
            api: "x-api".into(),
        };
        let mut row = ResultRow {
            agent: "main".into(),
            provider: "p".into(),
            profile: None,
            source: crate::domain::status::resolve::Source::Env,
            status: crate::domain::probe::Status::Skipped,
            http_status: None,
            latency_ms: None,
            endpoint: None,
            url: None,
            check: None,
            message: Some(skip.to_string()),
            shared_with: Vec::new(),
            refused: false,
            skipped: Some(skip),
            refusal: None,
        };
        probe_row(&mut row);
        assert_eq!(
            row.message.as_deref(),
            Some("API kind x-api has no free check; use --completion for a 1-token completion")
        );
    }
}
