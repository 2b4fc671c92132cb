//! The UI's words for the domain's typed errors: where a refusal has a way out, the
//! UI names its own choices (fields, ticks, the source list), never a CLI flag.

use crate::domain::ops::error::PlanError;
use crate::domain::text::{IdError, IdField};

/// A plan that cannot be made, as the review shows it.
pub(crate) fn plan_error(e: &PlanError) -> String {
    match e {
        PlanError::Id(id) => id_error(id),
        PlanError::OAuthMaterialNotOauth => {
            "OAuth material (access/refresh) can only be written as the oauth type".into()
        }
        PlanError::OauthWithoutMaterial => {
            "the oauth type needs OAuth material: paste the OAuth JSON or import a login".into()
        }
        PlanError::DifferentSecret { .. } => format!("{e}; choose another profile id"),
        PlanError::NoTarget => "tick at least one store to write".into(),
        PlanError::NoOwnStore { .. } => format!("{e} (e.g. main)"),
        other => other.to_string(),
    }
}

/// An id refused as OpenClaw's CLI would misread it, named as the form names it.
pub(crate) fn id_error(e: &IdError) -> String {
    let field = match e.field {
        IdField::Provider => "the provider id",
        IdField::ProfileId => "the profile id",
    };
    format!("{field} {} {}", e.value, e.problem)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_refusal_names_a_flag() {
        let id = crate::domain::text::check_cli_id("a b", IdField::Provider).unwrap_err();
        assert_eq!(
            plan_error(&PlanError::Id(id)),
            "the provider id a b contains a space or a control character"
        );
        for e in [
            PlanError::OAuthMaterialNotOauth,
            PlanError::OauthWithoutMaterial,
            PlanError::NoTarget,
            PlanError::NoOwnStore { agent: "x".into() },
            PlanError::UnreadableHolder {
                error: "e".into(),
                provider: "p".into(),
            },
        ] {
            assert!(!plan_error(&e).contains("--"), "{}", plan_error(&e));
        }
    }
}
