//! `status --check` never exits non-zero without saying why (issue 12 item 3): the text
//! names every failing cell a run relies on, its reasons and its fix — the one rule of
//! `service::attention` decides both the exit code and the list.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

mod common;
use common::*;

fn check(f: &Fixture) -> (Option<i32>, String) {
    let o = clawauth_with(f, &["status", "--check"], "", "/usr/bin:/bin");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

/// The text's "Needs attention" block: lines from the heading to the next blank line.
fn attention_block(text: &str) -> String {
    let start = text
        .find("Needs attention:")
        .unwrap_or_else(|| panic!("no Needs attention:\n{text}"));
    text[start..].split("\n\n").next().unwrap().to_string()
}

#[test]
fn the_founding_state_check_names_the_cell_its_reason_and_fix() {
    let f = founding();
    let (code, text) = check(&f);
    assert_eq!(code, Some(1), "{text}");
    let block = attention_block(&text);
    assert!(
        block.contains("cronbot × my-proxy: missing (cron: daily)"),
        "{block}"
    );
    assert!(
        block.contains("No API key found for provider \"my-proxy\""),
        "{block}"
    );
    assert!(
        block.contains("fix: ")
            && block.contains(&format!(
                "clawauth --state-dir {} copy --provider my-proxy --profile-id my-proxy:manual --from assistant --to cronbot",
                f.state.display()
            )),
        "{block}"
    );
}

/// A provider used only by an agent's model (no cron job, nothing stored) also fails
/// the check, and is explained too.
#[test]
fn a_model_provider_with_nothing_stored_is_explained() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    let (code, text) = check(&f);
    assert_eq!(code, Some(1), "{text}");
    let block = attention_block(&text);
    assert!(block.contains("cronbot × my-proxy: missing"), "{block}");
    assert!(
        block.contains("clawauth --state-dir ") && block.contains(" set --provider my-proxy"),
        "no key anywhere: add one (on the state dir given)\n{block}"
    );
    assert!(
        block.contains("    - ") && block.contains("fix: "),
        "{block}"
    );
}

/// An expired token the agent relies on: exit 1, named with its reason.
#[test]
fn an_expired_credential_is_explained() {
    let f = Fixture::new();
    f.config(TWO_AGENTS);
    f.store(
        "cronbot",
        store_of(&[(
            "my-proxy:t",
            token("my-proxy", "sk-expired-token-1", Some(PAST_MS)),
        )]),
    );
    let (code, text) = check(&f);
    assert_eq!(code, Some(1), "{text}");
    let block = attention_block(&text);
    assert!(block.contains("cronbot × my-proxy"), "{block}");
    assert!(block.contains("    - "), "a reason: {block}");
}
