//! The runner's side of the effects: reading the state, planning, applying and
//! verifying, through the service layer the CLI uses too. All I/O of the UI is here.

use super::msg::{
    CopyDraft, Effect, KeyGroupsRequest, Msg, PlanRequest, ProfileChoice, RotateDraft,
    SecretSource, SetDraft, StagedPlan,
};
use crate::domain::ops::apply::ApplyResult;
use crate::domain::ops::copy::{CopyRequest, plan_copy};
use crate::domain::ops::draft::ProfileDraft;
use crate::domain::ops::key_groups::{KeyGroups, key_groups};
use crate::domain::ops::plan::Plan;
use crate::domain::ops::repair::plan_repair;
use crate::domain::ops::rotate::{RotateRequest, plan_rotate};
use crate::domain::ops::set::{Material, SetRequest, plan_set_declaring};
use crate::domain::ops::targets::Targets;
use crate::domain::read::discovery::Discovery;
use crate::domain::status::report::{Report, build_report};
use crate::domain::write::lock::LockOptions;
use crate::service::input_error::InputError;
use crate::service::inputs::{claude_login_path, codex_login_path, import_login, oauth_from_json};
use crate::service::session::Session;
use crate::service::writes::{apply_now, blocked};
use serde_json::Value;
use std::path::PathBuf;

/// Where the OpenClaw state is and the environment to read it with.
#[derive(Clone)]
pub struct Backend {
    pub(crate) session: Session,
}

impl Backend {
    pub fn new(session: Session) -> Backend {
        Backend { session }
    }

    /// The state as it is now; the error as the UI shows it.
    pub(crate) fn discovery(&self) -> Result<Discovery, String> {
        self.session.discovery().map_err(|e| e.to_string())
    }

    pub fn report(&self) -> Result<Report, String> {
        self.discovery().map(|d| build_report(&d))
    }

    /// A live check with the CLI's defaults (10 s timeout, 4 at once, loopback-only http).
    fn probe(&self, scope: &super::msg::ProbeScope) -> Msg {
        let at = crate::service::probe::local_hhmm();
        if let Some(why) = crate::service::probe::demo_refusal(&self.session) {
            return Msg::Probed(Err(why.to_string()), at);
        }
        let result = self.discovery().map(|d| {
            let run = crate::service::probe::ProbeRun::defaults(
                crate::domain::status::report::Filter {
                    agents: scope.agents.clone(),
                    providers: scope.providers.clone(),
                },
                d.env.clone(),
            );
            crate::service::probe::run_probe(&d, &run, &|_, _| {}).1
        });
        Msg::Probed(result, at)
    }

    /// "Check this key first": the one request, with the CLI's defaults.
    fn check_key(&self, request: &crate::domain::probe::request::ProbeRequest) -> Msg {
        let at = crate::service::probe::local_hhmm();
        let env = self.discovery().map_or(self.session.env.clone(), |d| d.env);
        let run = crate::service::probe::ProbeRun::defaults(
            crate::domain::status::report::Filter::default(),
            env,
        );
        Msg::KeyChecked(crate::service::probe::execute(request, &run.exec), at)
    }

    /// The `openclaw` executable (`--openclaw`, else on PATH).
    pub(crate) fn openclaw(&self) -> Option<PathBuf> {
        self.session.openclaw()
    }

    /// Performs an effect that needs no terminal (on a worker thread); the
    /// messages that answer it, in order.
    pub fn perform(&self, effect: Effect) -> Vec<Msg> {
        match effect {
            Effect::Reload => vec![Msg::Reloaded(self.report())],
            Effect::Plan(request) => vec![Msg::Planned(self.plan(&request))],
            Effect::Apply(staged) => {
                let result = self.apply(&staged);
                vec![Msg::Applied(result), Msg::Reloaded(self.report())]
            }
            Effect::LoadProfiles(agent) => vec![Msg::Profiles(self.profiles(&agent))],
            Effect::LoadKeyGroups(request) => vec![Msg::KeyGroups(self.key_groups(&request))],
            Effect::Probe(scope) => vec![self.probe(&scope)],
            Effect::CheckKey(request) => vec![self.check_key(&request)],
            Effect::None | Effect::Quit | Effect::RunExternal(_) => Vec::new(),
        }
    }

    /// Plans a write from the state as it is now.
    pub fn plan(&self, request: &PlanRequest) -> Result<StagedPlan, String> {
        let d = self.discovery()?;
        let plan = match request {
            PlanRequest::Set(draft) => {
                plan_set_declaring(&d, &self.set_request(&d, draft)?, draft.declare.as_ref())
            }
            PlanRequest::Copy(draft) => plan_copy(&d, &copy_request(draft)),
            PlanRequest::Rotate(draft) => plan_rotate(&d, &rotate_request(draft)),
            PlanRequest::Repair { agents } => plan_repair(&d, agents),
            PlanRequest::ClearCooldowns(passed) => {
                crate::domain::ops::cooldown::plan_clear_cooldowns(&d, passed)
            }
            PlanRequest::PurgeBackups(backups) => {
                Ok(crate::domain::ops::purge::plan_purge(&d, backups))
            }
        }
        .map_err(|e| crate::tui::text::errors::plan_error(&e))?;
        let mut staged = self.stage(plan);
        staged.check = self.key_target(&d, request);
        Ok(staged)
    }

    /// "Check this key first": the request for the one key a flow writes, or why
    /// there is none to check; `None` when the flow writes no key.
    fn key_target(
        &self,
        d: &Discovery,
        request: &PlanRequest,
    ) -> Option<Result<crate::tui::checks::KeyTarget, String>> {
        let (agent, provider, secret) = match self.written_key(d, request)? {
            Ok(key) => key,
            Err(why) => return Some(Err(why)),
        };
        if let Some(why) = crate::service::probe::demo_refusal(&self.session) {
            return Some(Err(why.to_string()));
        }
        let target = crate::service::probe::key_request(d, agent.as_deref(), &provider, &secret)
            .map_err(|e| e.to_string())
            .and_then(|request| {
                let host = crate::domain::probe::request::host_of(&request.url)
                    .ok_or("the endpoint has no host")?;
                Ok(crate::tui::checks::KeyTarget { request, host })
            });
        Some(target)
    }

    /// (agent, provider, secret) of the one key a flow writes.
    fn written_key(
        &self,
        d: &Discovery,
        request: &PlanRequest,
    ) -> Option<Result<WrittenKey, String>> {
        let first = |agents: &[String]| agents.first().cloned();
        Some(match request {
            PlanRequest::Set(draft) => {
                let agent = match &draft.targets {
                    Targets::Agents(a) => first(a),
                    _ => None,
                };
                let secret = self
                    .material(&draft.source)
                    .map_err(|e| e.to_string())
                    .and_then(|m| match m {
                        Material::Secret(s) => Ok(s.expose().to_string()),
                        Material::OAuth { access, .. } => Ok(access.expose().to_string()),
                        Material::Ref(_) => {
                            Err("the key is held by reference: nothing to check first".into())
                        }
                    });
                secret.map(|secret| (agent, draft.provider.clone(), secret))
            }
            PlanRequest::Rotate(draft) => Ok((
                draft.for_agent.clone(),
                draft.provider.clone(),
                draft.secret.expose().to_string(),
            )),
            PlanRequest::Copy(draft) => copied_key(d, draft),
            PlanRequest::Repair { .. }
            | PlanRequest::ClearCooldowns(_)
            | PlanRequest::PurgeBackups(_) => return None,
        })
    }

    /// The staged plan, with a warning when its OpenClaw commands cannot run here.
    fn stage(&self, plan: Plan) -> StagedPlan {
        let mut staged = StagedPlan::new(plan);
        if blocked(&self.session, &staged.plan).is_some() {
            staged.preview.warnings.push("no `openclaw` executable was found (use --openclaw PATH): applying will fail; run the commands yourself instead".into());
        }
        staged
    }

    fn set_request(&self, d: &Discovery, draft: &SetDraft) -> Result<SetRequest, String> {
        Ok(SetRequest {
            provider: draft.provider.clone(),
            cred_type: draft.cred_type,
            profile_id: draft.profile_id.clone(),
            targets: draft.targets.clone(),
            material: self.material(&draft.source).map_err(|e| e.to_string())?,
            expires_ms: draft.expiry.map(|e| e.at_ms(d.now_ms)),
            email: draft.email.clone(),
            replace: true,
        })
    }

    /// The credential to write, read the way `clawauth set` reads it.
    fn material(&self, source: &SecretSource) -> Result<Material, InputError> {
        let oauth = match source {
            SecretSource::Value(secret) => return Ok(Material::Secret(secret.clone())),
            SecretSource::OAuthJson(json) => oauth_from_json(json.expose())?,
            SecretSource::Import(kind) => {
                let path = match kind {
                    super::msg::LoginImport::Codex => codex_login_path(&self.session.env),
                    super::msg::LoginImport::Claude => claude_login_path(&self.session.env),
                };
                import_login(kind.name(), &path)?
            }
        };
        Ok(oauth.into_material())
    }

    /// Applies, re-reads and verifies, as `clawauth set|copy|rotate|repair` do.
    pub fn apply(&self, staged: &StagedPlan) -> ApplyResult {
        apply_now(&self.session, &staged.plan, LockOptions::default())
    }

    /// The stores holding a provider's static key, grouped by key (the rotate wizard's list).
    pub fn key_groups(&self, request: &KeyGroupsRequest) -> Result<KeyGroups, String> {
        let d = self.discovery()?;
        let provider = request.provider.trim().to_lowercase();
        let agent = request.for_agent.as_deref();
        Ok(key_groups(&d, &provider, agent, &request.secret))
    }

    /// The profiles of an agent's own store, with what keeps one from being copied.
    pub fn profiles(&self, agent: &str) -> Result<Vec<ProfileChoice>, String> {
        let d = self.discovery()?;
        let a = d
            .agent(agent)
            .ok_or_else(|| format!("unknown agent {agent:?}"))?;
        let store = d
            .dir_stores(&a.dir)
            .map(|s| &s.primary)
            .ok_or_else(|| format!("agent {agent} has no auth store of its own"))?;
        if let Some(e) = &store.error {
            return Err(format!("{e}; nothing can be copied from it"));
        }
        let profiles = store
            .raw
            .as_ref()
            .and_then(|r| r.get("profiles"))
            .and_then(Value::as_object)
            .ok_or_else(|| format!("agent {agent} has no profiles of its own: copy from the agent that holds them (e.g. main)"))?;
        Ok(profiles
            .iter()
            .map(|(id, v)| profile_choice(id, v))
            .collect())
    }
}

fn profile_choice(id: &str, value: &Value) -> ProfileChoice {
    let provider = value.get("provider").and_then(Value::as_str).unwrap_or("?");
    match ProfileDraft::from_value(id, value) {
        Some(draft) => ProfileChoice {
            id: id.to_string(),
            provider: draft.provider.clone(),
            cred_type: Some(draft.cred_type),
            blocked: (draft.fields.get("copyToAgents") == Some(&Value::Bool(false)))
                .then(|| "copyToAgents: false".to_string()),
        },
        None => ProfileChoice {
            id: id.to_string(),
            provider: provider.to_string(),
            cred_type: None,
            blocked: Some("OpenClaw does not load it (repair it first: f)".into()),
        },
    }
}

/// The one key a flow writes: the agent whose endpoint receives the check (else the
/// default agent), the provider and the secret.
type WrittenKey = (Option<String>, String, String);

/// The key a copy writes, when it copies exactly one profile holding one.
fn copied_key(d: &Discovery, draft: &CopyDraft) -> Result<WrittenKey, String> {
    let [id] = draft.profiles.as_slice() else {
        return Err(format!(
            "the copy writes {} profiles: check them after writing (T on the overview)",
            draft.profiles.len()
        ));
    };
    let value = d
        .agent(&draft.from)
        .and_then(|a| d.dir_stores(&a.dir))
        .and_then(|s| s.primary.raw.as_ref())
        .and_then(|r| r.get("profiles")?.get(id))
        .and_then(|v| ProfileDraft::from_value(id, v))
        .ok_or_else(|| format!("profile {id} is not in {}'s store", draft.from))?;
    let secret = ["key", "token", "access"]
        .iter()
        .find_map(|f| value.secrets.iter().find(|(k, _)| k == f))
        .map(|(_, s)| s.expose().to_string())
        .ok_or_else(|| {
            format!("profile {id} holds its key by reference: nothing to check first")
        })?;
    Ok((draft.to.first().cloned(), value.provider, secret))
}

fn copy_request(draft: &CopyDraft) -> CopyRequest {
    CopyRequest {
        from: draft.from.clone(),
        to: Targets::Agents(draft.to.clone()),
        providers: Vec::new(),
        profiles: draft.profiles.clone(),
        include_oauth: draft.include_oauth,
        on_conflict: draft.on_conflict,
    }
}

fn rotate_request(draft: &RotateDraft) -> RotateRequest {
    RotateRequest {
        for_agent: draft.for_agent.clone(),
        exactly: Some(draft.stores.clone()),
        ..RotateRequest::new(draft.provider.clone(), draft.secret.clone())
    }
}
