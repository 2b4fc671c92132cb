//! `set`: write one credential for a provider into the chosen stores (issue: writes §1).

use super::declare::{CustomProvider, check_custom, declare_edits};
use super::draft::ProfileDraft;
use super::error::PlanError;
use super::plan::{ConfigEdit, Paste, Plan, PlanKind, StoreEdit};
use super::secret::{Secret, type_warnings};
use super::targets::{
    Target, Targets, affected_agents, current_store, plan_config_change, plan_store_change,
    resolve_targets,
};
use crate::domain::read::builtins::is_builtin_anywhere;
use crate::domain::read::config::get;
use crate::domain::read::discovery::Discovery;
use crate::domain::read::profile::CredType;
use crate::domain::read::providers::auth_key;
use crate::domain::read::version::Generation;
use crate::domain::secret::SecretRef;
use crate::domain::status::order::config_profile_ids;
use crate::domain::text::{IdField, check_cli_id};
use serde_json::{Map, Value, json};

/// What is written.
#[derive(Clone)]
pub enum Material {
    Secret(Secret),
    /// Written as `keyRef` / `tokenRef`.
    Ref(SecretRef),
    OAuth {
        access: Secret,
        refresh: Secret,
        expires_ms: i64,
        extra: Map<String, Value>,
    },
}

#[derive(Clone)]
pub struct SetRequest {
    pub provider: String,
    pub cred_type: CredType,
    pub profile_id: Option<String>,
    pub targets: Targets,
    pub material: Material,
    pub expires_ms: Option<i64>,
    pub email: Option<String>,
    /// Allow replacing a different secret already stored under the same id.
    pub replace: bool,
}

pub fn plan_set(d: &Discovery, req: &SetRequest) -> Result<Plan, PlanError> {
    plan_set_declaring(d, req, None)
}

/// `plan_set`, declaring the custom provider `custom` in openclaw.json in the same plan
/// (its config edit is applied before the credential is written).
pub(crate) fn plan_set_declaring(
    d: &Discovery,
    req: &SetRequest,
    custom: Option<&CustomProvider>,
) -> Result<Plan, PlanError> {
    check_request(req)?;
    if let Some(c) = custom {
        check_custom(c, d.generation)?;
    }
    super::targets::require_readable_config(d)?;
    let provider = req.provider.trim().to_lowercase();
    let targets = resolve_targets(d, &req.targets)?;
    let id = choose_profile_id(d, req, &provider);
    let draft = build_draft(req, &provider, &id);
    let mut plan = Plan::new(
        PlanKind::Set,
        format!(
            "Set {} ({}) for {provider} in {}",
            id,
            req.cred_type.as_str(),
            targets
                .iter()
                .map(Target::label)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    );
    plan.warnings.extend(material_warnings(req, &provider));
    for t in &targets {
        for a in affected_agents(d, t) {
            plan.expect_usable.push((a.clone(), provider.clone()));
            plan.may_change.push((a, provider.clone()));
        }
    }
    let declared = custom.map(|c| declare_edits(d, &provider, c));
    match d.generation {
        Generation::Json => plan_json(d, req, &draft, &targets, &mut plan)?,
        Generation::Sqlite => plan_sqlite(d, req, &draft, &targets, &mut plan)?,
    }
    plan_config(d, &draft, declared.unwrap_or_default(), &mut plan);
    plan.warnings.extend(super::targets::generation_warning(d));
    plan.add_gateway_advice(d);
    super::links::guard_plan(d, &mut plan)?;
    Ok(plan)
}

fn check_request(req: &SetRequest) -> Result<(), PlanError> {
    check_cli_id(&req.provider, IdField::Provider)?;
    if let Some(id) = &req.profile_id {
        check_cli_id(id, IdField::ProfileId)?;
    }
    match (&req.material, req.cred_type) {
        (Material::OAuth { .. }, CredType::Oauth) => Ok(()),
        (Material::OAuth { .. }, _) => Err(PlanError::OAuthMaterialNotOauth),
        (_, CredType::Oauth) => Err(PlanError::OauthWithoutMaterial),
        (Material::Ref(_), _) | (Material::Secret(_), _) => Ok(()),
    }
}

/// `<provider>:default`, unless openclaw.json declares an id for the provider with this mode.
fn choose_profile_id(d: &Discovery, req: &SetRequest, provider: &str) -> String {
    if let Some(id) = &req.profile_id {
        return id.trim().to_string();
    }
    let declared = config_profile_ids(
        &d.config.value,
        &auth_key(provider, d.generation),
        d.generation,
    );
    let mode_of = |id: &String| {
        get(&d.config.value, &["auth", "profiles", id, "mode"])
            .and_then(Value::as_str)
            .map(str::to_string)
    };
    declared
        .iter()
        .find(|id| mode_of(id).as_deref() == Some(req.cred_type.as_str()))
        .cloned()
        .unwrap_or_else(|| format!("{provider}:default"))
}

fn build_draft(req: &SetRequest, provider: &str, id: &str) -> ProfileDraft {
    let mut fields = Map::new();
    let mut secrets = Vec::new();
    match (&req.material, req.cred_type) {
        (Material::Secret(s), CredType::ApiKey) => secrets.push(("key".to_string(), s.clone())),
        (Material::Secret(s), _) => secrets.push(("token".to_string(), s.clone())),
        (Material::Ref(r), t) => {
            let field = if t == CredType::ApiKey {
                "keyRef"
            } else {
                "tokenRef"
            };
            fields.insert(
                field.into(),
                json!({"source": r.source, "provider": r.provider, "id": r.id}),
            );
        }
        (
            Material::OAuth {
                access,
                refresh,
                expires_ms,
                extra,
            },
            _,
        ) => {
            secrets.push(("access".to_string(), access.clone()));
            secrets.push(("refresh".to_string(), refresh.clone()));
            fields.insert("expires".into(), Value::from(*expires_ms));
            fields.extend(extra.clone());
        }
    }
    if let (Some(e), CredType::Token) = (req.expires_ms, req.cred_type) {
        fields.insert("expires".into(), Value::from(e));
    }
    if let Some(email) = &req.email {
        fields.insert("email".into(), Value::String(email.clone()));
    }
    ProfileDraft {
        id: id.to_string(),
        provider: provider.to_string(),
        cred_type: req.cred_type,
        fields,
        secrets,
    }
}

fn material_warnings(req: &SetRequest, provider: &str) -> Vec<String> {
    let mut out = match &req.material {
        Material::Secret(s) => type_warnings(provider, req.cred_type, s.expose()),
        _ => Vec::new(),
    };
    let custom = !is_builtin_anywhere(provider);
    if custom && req.cred_type == CredType::Token {
        out.push(format!("{provider} looks like a custom OpenAI-compatible provider; those usually expect type api_key (a token profile gave opaque 401s in OpenClaw #131800)"));
    }
    out
}

/// An existing profile with the same id and a different secret is never replaced silently.
fn check_existing(
    existing: Option<&Value>,
    draft: &ProfileDraft,
    where_: &str,
    replace: bool,
    plan: &mut Plan,
) -> Result<bool, PlanError> {
    let Some(old) = existing else { return Ok(true) };
    if draft.same_as(old) {
        plan.notes.push(format!(
            "{where_} already holds exactly this profile {}: nothing to change there",
            draft.id
        ));
        return Ok(false);
    }
    let old_secret = ProfileDraft::from_value(&draft.id, old)
        .and_then(|o| o.primary_secret().map(Secret::describe));
    let new_secret = draft.primary_secret().map(Secret::describe);
    if old_secret.is_some() && old_secret != new_secret && !replace {
        return Err(PlanError::DifferentSecret {
            place: where_.to_string(),
            profile: draft.id.clone(),
            old: old_secret.unwrap_or_default(),
            new: new_secret.unwrap_or_else(|| "a reference".into()),
        });
    }
    plan.warnings.push(format!(
        "replaces the existing profile {} in {where_}",
        draft.id
    ));
    Ok(true)
}

fn plan_json(
    d: &Discovery,
    req: &SetRequest,
    draft: &ProfileDraft,
    targets: &[Target],
    plan: &mut Plan,
) -> Result<(), PlanError> {
    for t in targets {
        let path = t.store_path();
        let current = current_store(&path)?;
        let existing = current
            .as_ref()
            .and_then(|c| c.get("profiles"))
            .and_then(|p| p.get(&draft.id));
        if !check_existing(existing, draft, &t.label(), req.replace, plan)? {
            continue;
        }
        let mut summary = vec![format!(
            "writes {} ({}) for {}",
            draft.id,
            draft.cred_type.as_str(),
            draft.provider
        )];
        let mut edits = vec![StoreEdit::Upsert(draft.clone())];
        let has_order = current
            .as_ref()
            .and_then(|c| c.get("order"))
            .and_then(Value::as_object)
            .is_some_and(|o| o.keys().any(|k| k.eq_ignore_ascii_case(&draft.provider)));
        if has_order {
            edits.push(StoreEdit::PrependOrder {
                provider: draft.provider.clone(),
                id: draft.id.clone(),
            });
            summary.push(format!(
                "puts {} first in this store's order for {}",
                draft.id, draft.provider
            ));
        }
        plan.changes.push(plan_store_change(&path, edits, summary)?);
        plan.expect_profiles.push((path, draft.id.clone()));
        if t.agent.is_none() {
            plan_shadows(d, draft, plan)?;
        }
    }
    Ok(())
}

/// 2026.4 copy-on-first-load left copies of main's profile in agent files; a copy that
/// still equals main's old profile is removed so the agent inherits the new one.
fn plan_shadows(d: &Discovery, draft: &ProfileDraft, plan: &mut Plan) -> Result<(), PlanError> {
    let main_old = d
        .dir_stores(d.main_dir())
        .and_then(|s| s.primary.raw.as_ref())
        .and_then(|r| r.get("profiles"))
        .and_then(|p| p.get(&draft.id))
        .cloned();
    for a in d.agents.iter().filter(|a| a.dir != d.main_dir()) {
        let path = a.dir.join(crate::domain::read::discovery::AUTH_PROFILES);
        let Some(copy) = current_store(&path)
            .ok()
            .flatten()
            .and_then(|doc| doc.get("profiles").and_then(|p| p.get(&draft.id)).cloned())
        else {
            continue;
        };
        if main_old.as_ref() == Some(&copy) {
            let summary = vec![format!(
                "removes the stale copy of {} (left by copy-on-first-load) so agent {} inherits the new one",
                draft.id, a.id
            )];
            plan.changes.push(plan_store_change(
                &path,
                vec![StoreEdit::Remove {
                    id: draft.id.clone(),
                }],
                summary,
            )?);
        } else {
            plan.warnings.push(format!("agent {} has its own, different profile {} in {}: it keeps using that one (shadowing the shared store)", a.id, draft.id, path.display()));
        }
    }
    Ok(())
}

/// Keeps openclaw.json consistent: declared ids, their mode, and auth.order.
fn config_edits(d: &Discovery, draft: &ProfileDraft) -> (Vec<ConfigEdit>, Vec<String>) {
    let cfg = &d.config.value;
    let pkey = auth_key(&draft.provider, d.generation);
    let declared = config_profile_ids(cfg, &pkey, d.generation);
    let mode = get(cfg, &["auth", "profiles", &draft.id, "mode"]).and_then(Value::as_str);
    let t = draft.cred_type.as_str();
    let mut edits = Vec::new();
    let mut summary = Vec::new();
    let entry_path = vec!["auth".to_string(), "profiles".to_string(), draft.id.clone()];
    match mode {
        Some(m) if m == t || (m == "oauth" && t == "token") => {}
        Some(m) => {
            edits.push(ConfigEdit::Set {
                path: [entry_path.clone(), vec!["mode".into()]].concat(),
                value: json!(t),
            });
            summary.push(format!("changes auth.profiles.{}.mode from \"{m}\" to \"{t}\" (else OpenClaw skips the profile: mode_mismatch)", draft.id));
        }
        None if !declared.is_empty() => {
            edits.push(ConfigEdit::Set {
                path: entry_path,
                value: json!({"provider": draft.provider, "mode": t}),
            });
            summary.push(format!("declares auth.profiles.{} (openclaw.json declares ids for {pkey}, and only declared ids are tried)", draft.id));
        }
        None => {}
    }
    if let Some((key, ids)) = get(cfg, &["auth", "order"])
        .and_then(Value::as_object)
        .and_then(|o| o.iter().find(|(k, _)| auth_key(k, d.generation) == pkey))
    {
        let mut list: Vec<Value> = ids.as_array().cloned().unwrap_or_default();
        if list.first().and_then(Value::as_str) != Some(draft.id.as_str()) {
            list.retain(|v| v.as_str() != Some(draft.id.as_str()));
            list.insert(0, json!(draft.id));
            edits.push(ConfigEdit::Set {
                path: vec!["auth".into(), "order".into(), key.clone()],
                value: Value::Array(list),
            });
            summary.push(format!("puts {} first in auth.order.{key}", draft.id));
        }
    }
    (edits, summary)
}

/// One change to openclaw.json: `first` (a provider's declaration) then, with the JSON
/// store, the profile's declared id, mode and order (2026.9's paste command does those).
fn plan_config(
    d: &Discovery,
    draft: &ProfileDraft,
    first: (Vec<ConfigEdit>, Vec<String>),
    plan: &mut Plan,
) {
    let declares = !first.0.is_empty();
    let (mut edits, mut summary) = first;
    if d.generation == Generation::Json {
        let (more, words) = config_edits(d, draft);
        edits.extend(more);
        summary.extend(words);
    }
    match plan_config_change(d, edits, summary) {
        // A provider is declared before its first credential is written.
        Ok(Some(change)) if declares => plan.changes.insert(0, change),
        Ok(Some(change)) => plan.changes.push(change),
        Ok(None) => {}
        Err(manual) => plan.manual.push(manual.to_string()),
    }
}

/// OAuth tokens cannot be imported into 2026.6+'s database: the sign-in command for
/// each target agent instead (values shell-quoted).
fn oauth_refused(d: &Discovery, draft: &ProfileDraft, targets: &[Target]) -> PlanError {
    let logins: Vec<String> = targets
        .iter()
        .map(|t| {
            let agent = t.agent.clone().unwrap_or_else(|| shared_owner_agent(d));
            format!(
                "`openclaw models auth login --provider {} --agent {}`",
                crate::domain::text::shell_quote(&draft.provider),
                crate::domain::text::shell_quote(&agent)
            )
        })
        .collect();
    PlanError::SqliteOAuth { logins }
}

/// 2026.6+: OpenClaw owns its database; the write goes through its CLI, secret on stdin.
fn plan_sqlite(
    d: &Discovery,
    req: &SetRequest,
    draft: &ProfileDraft,
    targets: &[Target],
    plan: &mut Plan,
) -> Result<(), PlanError> {
    let secret = match &req.material {
        Material::Secret(s) => s.clone(),
        Material::Ref(_) => return Err(PlanError::SqliteRef),
        Material::OAuth { .. } => return Err(oauth_refused(d, draft, targets)),
    };
    for t in targets {
        refuse_unreadable_db(d, t)?;
        let agent = t.agent.clone().unwrap_or_else(|| shared_owner_agent(d));
        let existing = d.stored_profile(&t.dir, t.agent.is_none(), &draft.id);
        if !check_existing(existing.as_ref(), draft, &t.label(), req.replace, plan)? {
            continue;
        }
        let paste = Paste {
            cred_type: req.cred_type,
            provider: &draft.provider,
            profile_id: &draft.id,
            agent: &agent,
            expires_ms: req.expires_ms.map(|e| e as f64),
        };
        plan.steps.push(paste.step(&secret, d.now_ms));
        plan.expect_profiles.push((t.dir.clone(), draft.id.clone()));
    }
    plan.notes
        .push("OpenClaw's paste command also records auth.profiles.<id> in openclaw.json.".into());
    Ok(())
}

/// OpenClaw's paste command fails (or waits) on a database clawauth cannot read: say so
/// now, naming the file, instead of after running it.
fn refuse_unreadable_db(d: &Discovery, t: &Target) -> Result<(), PlanError> {
    let shared = t.agent.is_none() || t.dir == d.shared_owner_dir || t.dir == d.main_dir();
    let own = d.dir_stores(&t.dir).map(|s| &s.primary);
    let shared_store = d.shared.as_ref().filter(|_| shared);
    match own
        .into_iter()
        .chain(shared_store)
        .find_map(|s| s.error.as_ref())
    {
        Some(e) => Err(PlanError::DbUnreadable(e.clone())),
        None => Ok(()),
    }
}

/// The agent whose writes land in the 2026.9 shared store.
pub(crate) fn shared_owner_agent(d: &Discovery) -> String {
    d.agents
        .iter()
        .find(|a| a.dir == d.shared_owner_dir)
        .map(|a| a.id.clone())
        .unwrap_or_else(|| "main".into())
}
