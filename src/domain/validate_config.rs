//! Profiles that openclaw.json's `auth.order` or `auth.profiles` silently exclude
//! (auth-store.md §5.1–§5.2).

use super::config::get;
use super::discovery::Discovery;
use super::order::config_profile_ids;
use super::problem::Problem;
use super::providers::{auth_key, normalize_provider};
use super::store::Store;
use serde_json::Value;
use std::path::Path;

fn config_orders(d: &Discovery) -> Vec<(String, Vec<String>)> {
    let Some(map) = get(&d.config.value, &["auth", "order"]).and_then(Value::as_object) else {
        return Vec::new();
    };
    map.iter()
        .map(|(p, ids)| {
            let ids = ids
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(|s| s.trim().to_string())
                        .collect()
                })
                .unwrap_or_default();
            (normalize_provider(p, d.generation), ids)
        })
        .collect()
}

fn all_stores(d: &Discovery) -> impl Iterator<Item = &Store> {
    d.dirs.values().map(|s| &s.primary).chain(d.shared.as_ref())
}

pub fn config_exclusion_problems(d: &Discovery) -> Vec<Problem> {
    let config_path = d.config.path.clone().unwrap_or_default();
    let orders = config_orders(d);
    let mut out = Vec::new();
    for (provider, ids) in &orders {
        for id in ids
            .iter()
            .filter(|id| !all_stores(d).any(|s| s.profiles.contains_key(*id)))
        {
            out.push(
                Problem::warning(
                    "order_missing_id",
                    &config_path,
                    format!(
                        "openclaw.json auth.order.{provider} lists {id}, which no auth store holds"
                    ),
                )
                .profile(id)
                .fix(format!(
                    "Remove {id} from auth.order.{provider}, or add that profile."
                )),
            );
        }
    }
    for store in all_stores(d).filter(|s| s.is_loaded()) {
        out.extend(store_exclusions(d, store, &orders));
    }
    out
}

fn store_exclusions(
    d: &Discovery,
    store: &Store,
    orders: &[(String, Vec<String>)],
) -> Vec<Problem> {
    let mut out = Vec::new();
    for p in store.profiles.values() {
        let pkey = auth_key(&p.provider, d.generation);
        let own_order = store
            .order
            .keys()
            .any(|k| normalize_provider(k, d.generation) == pkey);
        if own_order {
            continue;
        }
        if let Some((_, ids)) = orders
            .iter()
            .find(|(k, _)| auth_key(k, d.generation) == pkey)
        {
            if !ids.contains(&p.id) {
                out.push(excluded(
                    &store.path,
                    &p.id,
                    format!("it is not in openclaw.json auth.order.{pkey}"),
                ));
            }
            continue;
        }
        let declared = config_profile_ids(&d.config.value, &pkey, d.generation);
        let some_declared_present = declared.iter().any(|id| store.profiles.contains_key(id));
        if !declared.is_empty() && !declared.contains(&p.id) && some_declared_present {
            out.push(excluded(&store.path, &p.id, format!("openclaw.json auth.profiles declares other ids for {pkey} ({}), and only declared ids are tried", declared.join(", "))));
        }
    }
    out
}

fn excluded(file: &Path, id: &str, why: String) -> Problem {
    Problem::warning(
        "excluded_by_order",
        file,
        format!("profile {id} is never tried: {why} (excluded_by_auth_order)"),
    )
    .profile(id)
    .fix(format!(
        "Add {id} to the order / auth.profiles in openclaw.json, or remove the profile."
    ))
}
