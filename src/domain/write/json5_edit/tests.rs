//! Tests of comment-preserving JSON5 edits.

use super::*;
use serde_json::json;

const CONFIG: &str = r#"// OpenClaw configuration
{
  /* Gateway settings */
  gateway: {
    port: 18789, // default port
    bind: 'loopback',
  },
  auth: {
    profiles: {
      "anthropic:default": { provider: "anthropic", mode: "token" }, // main
      'my-proxy:main': {
        provider: 'my-proxy',
        mode: "token", // rotate monthly
      },
    },
    order: {
      "my-proxy": ["my-proxy:main"],
    },
  },
  agents: {
    defaults: { model: "anthropic/claude", workspace: "~/w // not a comment {" },
  },
  // trailing comment
}
"#;

const NEW_PROFILE: &str = r#"
      "my-proxy:cron": {
        provider: "my-proxy",
        mode: "api_key"
      },"#;

pub(super) fn doc(text: &str) -> Json5Doc {
    Json5Doc::parse(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

pub(super) fn json5_value(text: &str) -> Value {
    json5::from_str(text).unwrap_or_else(|e| panic!("{e}\n{text}"))
}

fn cron_profile() -> Value {
    json!({"provider": "my-proxy", "mode": "api_key"})
}

/// Every `//` and `/* */` comment, in order (string-aware).
pub(super) fn comments(text: &str) -> Vec<String> {
    let (bytes, mut out, mut i) = (text.as_bytes(), Vec::new(), 0);
    while i < bytes.len() {
        let next = bytes.get(i + 1).copied();
        let end = match (bytes[i], next) {
            (q @ (b'"' | b'\''), _) => skip_string(bytes, i, q),
            (b'/', Some(b'/')) => text[i..].find(['\n', '\r']).map_or(text.len(), |e| i + e),
            (b'/', Some(b'*')) => text[i + 2..].find("*/").map_or(text.len(), |e| i + e + 4),
            _ => i + 1,
        };
        if bytes[i] == b'/' && matches!(next, Some(b'/' | b'*')) {
            out.push(text[i..end].to_string());
        }
        i = end;
    }
    out
}

fn skip_string(bytes: &[u8], start: usize, quote: u8) -> usize {
    let mut i = start + 1;
    while i < bytes.len() && bytes[i] != quote {
        i += if bytes[i] == b'\\' { 2 } else { 1 };
    }
    i + 1
}

/// Output parses, equals `expected`, and keeps every comment of `before`.
fn check(before: &str, d: &Json5Doc, expected: &Value) {
    assert_eq!(&json5_value(d.text()), expected, "\n{}", d.text());
    assert_eq!(&d.value().unwrap(), expected);
    assert_eq!(comments(before), comments(d.text()), "\n{}", d.text());
}

pub(super) fn set_in(value: &mut Value, path: &[&str], new: Value) {
    let (last, parents) = path.split_last().unwrap();
    let mut cur = value;
    for key in parents {
        cur = cur
            .as_object_mut()
            .unwrap()
            .entry(*key)
            .or_insert_with(|| json!({}));
    }
    cur[*last] = new;
}

#[test]
fn set_existing_scalar_keeps_comment_on_its_line() {
    let mut d = doc(CONFIG);
    let path = ["auth", "profiles", "my-proxy:main", "mode"];
    d.set(&path, &json!("api_key")).unwrap();
    let want = CONFIG.replace(
        r#"mode: "token", // rotate monthly"#,
        r#"mode: "api_key", // rotate monthly"#,
    );
    assert_eq!(d.text(), want);
    let mut expected = json5_value(CONFIG);
    set_in(&mut expected, &path, json!("api_key"));
    check(CONFIG, &d, &expected);
}

#[test]
fn set_equal_value_is_a_no_op() {
    let mut d = doc(CONFIG);
    d.set(&["gateway", "bind"], &json!("loopback")).unwrap();
    assert_eq!(d.text(), CONFIG);
}

#[test]
fn add_profile_to_existing_profiles() {
    let mut d = doc(CONFIG);
    let path = ["auth", "profiles", "my-proxy:cron"];
    d.set(&path, &cron_profile()).unwrap();
    let anchor = "        mode: \"token\", // rotate monthly\n      },";
    let want = CONFIG.replace(anchor, &format!("{anchor}{NEW_PROFILE}"));
    assert_eq!(d.text(), want);
    let cut = CONFIG.find(anchor).unwrap() + anchor.len();
    assert_eq!(&d.text()[..cut], &CONFIG[..cut]);
    assert!(d.text().ends_with(&CONFIG[cut..]));
    let mut expected = json5_value(CONFIG);
    set_in(&mut expected, &path, cron_profile());
    check(CONFIG, &d, &expected);
}

#[test]
fn create_profiles_in_empty_auth() {
    let before = "{\n  // auth below\n  auth: {},\n  gateway: { port: 1 },\n}\n";
    let mut d = doc(before);
    d.set(&["auth", "profiles", "my-proxy:cron"], &cron_profile())
        .unwrap();
    let want = "{\n  // auth below\n  auth: {\n    profiles: {\n      \"my-proxy:cron\": {\n        \
                    provider: \"my-proxy\",\n        mode: \"api_key\"\n      }\n    }\n  },\n  \
                    gateway: { port: 1 },\n}\n";
    assert_eq!(d.text(), want);
    let expected =
        json!({"auth": {"profiles": {"my-proxy:cron": cron_profile()}}, "gateway": {"port": 1}});
    check(before, &d, &expected);
}

#[test]
fn create_auth_at_end_of_root_when_absent() {
    let before = "{\n  gateway: {\n    port: 18789,\n  },\n  // the end\n}\n";
    let mut d = doc(before);
    d.set(&["auth", "order", "my-proxy"], &json!(["my-proxy:cron"]))
        .unwrap();
    let want = "{\n  gateway: {\n    port: 18789,\n  },\n  auth: {\n    order: {\n      \"my-proxy\": [\n        \
                    \"my-proxy:cron\"\n      ]\n    }\n  },\n  // the end\n}\n";
    assert_eq!(d.text(), want);
    let expected =
        json!({"gateway": {"port": 18789}, "auth": {"order": {"my-proxy": ["my-proxy:cron"]}}});
    check(before, &d, &expected);
}

#[test]
fn create_auth_in_realistic_config() {
    let before = CONFIG.replace("  auth: {\n", "  xauth: {\n");
    let mut d = doc(&before);
    d.set(&["auth", "profiles", "my-proxy:cron"], &cron_profile())
        .unwrap();
    let added = "  },\n  auth: {\n    profiles: {\n      \"my-proxy:cron\": {\n        provider: \"my-proxy\",\n        \
                     mode: \"api_key\"\n      }\n    }\n  },\n  // trailing comment\n}\n";
    let keep = before.rfind("  },\n  // trailing").unwrap();
    assert_eq!(&d.text()[..keep], &before[..keep]);
    assert_eq!(&d.text()[keep..], added);
    let mut expected = json5_value(&before);
    set_in(
        &mut expected,
        &["auth", "profiles", "my-proxy:cron"],
        cron_profile(),
    );
    check(&before, &d, &expected);
}

#[test]
fn append_to_order_and_unique_no_op() {
    let mut d = doc(CONFIG);
    let path = ["auth", "order", "my-proxy"];
    d.append_unique(&path, &json!("my-proxy:cron")).unwrap();
    let want = CONFIG.replace(
        r#"["my-proxy:main"]"#,
        r#"["my-proxy:main", "my-proxy:cron"]"#,
    );
    assert_eq!(d.text(), want);
    let mut expected = json5_value(CONFIG);
    set_in(
        &mut expected,
        &path,
        json!(["my-proxy:main", "my-proxy:cron"]),
    );
    check(CONFIG, &d, &expected);
    for again in ["my-proxy:cron", "my-proxy:main"] {
        d.append_unique(&path, &json!(again)).unwrap();
        assert_eq!(d.text(), want);
    }
}

#[test]
fn append_to_multi_line_empty_and_missing_arrays() {
    let cases: &[(&str, &[&str], Value, &str)] = &[
        (
            "{\n  list: [\n    1,\n    2\n  ]\n}",
            &["list"],
            json!(3),
            "{\n  list: [\n    1,\n    2,\n    3\n  ]\n}",
        ),
        (
            "{\n  list: [\n    1,\n  ],\n}",
            &["list"],
            json!(2),
            "{\n  list: [\n    1,\n    2,\n  ],\n}",
        ),
        ("{ list: [] }", &["list"], json!("a"), "{ list: [\"a\"] }"),
        (
            "{ list: ['a',] }",
            &["list"],
            json!("b"),
            "{ list: ['a', \"b\",] }",
        ),
        (
            "{\n  list: [],\n}",
            &["list"],
            json!({"x": 1}),
            "{\n  list: [\n    {\n      x: 1\n    }\n  ],\n}",
        ),
        (
            "{\n  a: 1,\n}",
            &["o", "l"],
            json!(true),
            "{\n  a: 1,\n  o: {\n    l: [\n      true\n    ]\n  },\n}",
        ),
    ];
    for (before, path, value, want) in cases {
        let mut d = doc(before);
        d.append_unique(path, value).unwrap();
        assert_eq!(d.text(), *want, "appending to {before:?}");
    }
}

#[test]
fn remove_members_first_middle_last() {
    let multi = "{\n  a: 1,\n  b: 2,\n  c: 3,\n}";
    let bare = "{\n  a: 1,\n  b: 2,\n  c: 3\n}";
    let inline = "{ a: 1, b: 2, c: 3 }";
    let cases: &[(&str, &str, &str)] = &[
        (multi, "a", "{\n  b: 2,\n  c: 3,\n}"),
        (multi, "b", "{\n  a: 1,\n  c: 3,\n}"),
        (multi, "c", "{\n  a: 1,\n  b: 2,\n}"),
        (bare, "a", "{\n  b: 2,\n  c: 3\n}"),
        (bare, "b", "{\n  a: 1,\n  c: 3\n}"),
        (bare, "c", "{\n  a: 1,\n  b: 2\n}"),
        (inline, "a", "{ b: 2, c: 3 }"),
        (inline, "b", "{ a: 1, c: 3 }"),
        (inline, "c", "{ a: 1, b: 2 }"),
        ("{ a: 1, b: 2, }", "b", "{ a: 1, }"),
        ("{ a: 1 }", "a", "{}"),
        ("{\n  a: 1,\n}", "a", "{}"),
        ("{\n  // keep\n  a: 1\n}", "a", "{\n  // keep\n}"),
        ("{ /* keep */ a: 1 }", "a", "{ /* keep */ }"),
        (
            "{\n  a: 1, // one\n  b: 2 // two\n}",
            "b",
            "{\n  a: 1 // one\n}",
        ),
        (
            "{\n  a: {\n    x: 1,\n  },\n  // keep\n  b: 2,\n}",
            "a",
            "{\n  // keep\n  b: 2,\n}",
        ),
        ("{\r\n  a: 1,\r\n  b: 2\r\n}", "b", "{\r\n  a: 1\r\n}"),
    ];
    for (before, key, want) in cases {
        let mut d = doc(before);
        assert!(d.remove(&[key]).unwrap());
        assert_eq!(d.text(), *want, "removing {key} from {before:?}");
        let mut expected = json5_value(before);
        expected.as_object_mut().unwrap().shift_remove(*key);
        assert_eq!(d.value().unwrap(), expected);
    }
}

#[test]
fn remove_absent_member_is_false_and_unchanged() {
    let mut d = doc(CONFIG);
    assert!(!d.remove(&["auth", "profiles", "nope"]).unwrap());
    assert!(!d.remove(&["missing", "deeper"]).unwrap());
    assert_eq!(d.text(), CONFIG);
}

#[test]
fn remove_profile_from_realistic_config() {
    let mut d = doc(CONFIG);
    assert!(d.remove(&["auth", "profiles", "my-proxy:main"]).unwrap());
    let gone = "      'my-proxy:main': {\n        provider: 'my-proxy',\n        mode: \"token\", // rotate monthly\n      },\n";
    assert_eq!(d.text(), CONFIG.replace(gone, ""));
}

#[test]
fn insert_into_empty_objects() {
    let cases: &[(&str, &[&str], Value, &str)] = &[
        ("{}", &["a"], json!(1), "{\n  a: 1\n}"),
        (
            "{\n  x: {},\n}",
            &["x", "k"],
            json!("v"),
            "{\n  x: {\n    k: \"v\"\n  },\n}",
        ),
        (
            "{\n  x: {   },\n}",
            &["x", "k"],
            json!(1),
            "{\n  x: {\n    k: 1\n  },\n}",
        ),
        (
            "{\n    x: {\n    },\n}",
            &["x", "k"],
            json!(1),
            "{\n    x: {\n        k: 1\n    },\n}",
        ),
        (
            "{\n  x: {\n    // keep\n  },\n}",
            &["x", "k"],
            json!(1),
            "{\n  x: {\n    // keep\n    k: 1\n  },\n}",
        ),
        (
            "{\n  x: { /* keep */ },\n}",
            &["x", "k"],
            json!(1),
            "{\n  x: { /* keep */ \n    k: 1\n  },\n}",
        ),
    ];
    for (before, path, value, want) in cases {
        let mut d = doc(before);
        d.set(path, value).unwrap();
        assert_eq!(d.text(), *want, "inserting into {before:?}");
        assert_eq!(comments(before), comments(d.text()));
    }
}

#[test]
fn crlf_file_keeps_crlf() {
    let before = CONFIG.replace('\n', "\r\n");
    let mut d = doc(&before);
    d.set(&["auth", "profiles", "my-proxy:cron"], &cron_profile())
        .unwrap();
    d.remove(&["gateway", "bind"]).unwrap();
    let anchor = "        mode: \"token\", // rotate monthly\n      },";
    let want_lf = CONFIG
        .replace(anchor, &format!("{anchor}{NEW_PROFILE}"))
        .replace("    bind: 'loopback',\n", "");
    assert_eq!(d.text(), want_lf.replace('\n', "\r\n"));
    assert!(!d.text().replace("\r\n", "").contains(['\n', '\r']));
}

#[test]
fn include_at_root_refuses_edits_below_it() {
    let before = "{\n  $include: './base.json5',\n  gateway: { port: 1 },\n}";
    let mut d = doc(before);
    let refused = |r: Result<(), EditError>| {
        assert!(matches!(r, Err(EditError::Unsupported { .. })), "{r:?}")
    };
    refused(d.set(&["auth", "mode"], &json!("x")));
    refused(d.set(&["gateway", "port"], &json!(2)));
    refused(d.append_unique(&["auth", "order", "p"], &json!("x")));
    refused(d.remove(&["gateway"]).map(|_| ()));
    assert_eq!(d.text(), before);
}

#[test]
fn include_elsewhere_only_blocks_its_own_subtree() {
    let before = "{\n  agents: { \"$include\": './agents.json5' },\n  auth: {},\n}";
    let mut d = doc(before);
    d.set(&["auth", "profiles", "p:a"], &json!({"provider": "p"}))
        .unwrap();
    let err = d.set(&["agents", "x"], &json!(1)).unwrap_err();
    assert!(err.to_string().contains("$include"), "{err}");
    assert!(matches!(
        d.set(&["agents"], &json!({})),
        Err(EditError::Unsupported { .. })
    ));
}

#[test]
fn strings_with_comment_and_brace_characters_are_not_structure() {
    let before =
        "{\n  url: \"http://x//y/*z*/{[\", // real\n  s: 'it\\'s // { \"',\n  t: \"a\\\"}\",\n}";
    let mut d = doc(before);
    d.set(&["k"], &json!("//{")).unwrap();
    let want = before.replace("\n}", "\n  k: \"//{\",\n}");
    assert_eq!(d.text(), want);
    assert_eq!(comments(before), vec!["// real".to_string()]);
    let mut expected = json5_value(before);
    expected["k"] = json!("//{");
    check(before, &d, &expected);
}

#[test]
fn json5_numbers_and_literals_are_indexed() {
    let before = "{ a: 0x1F, b: +1, c: -.5, d: Infinity, e: NaN, f: 1e+3, g: -Infinity, h: null, i: [true, false], }";
    let mut d = doc(before);
    d.set(&["j"], &json!(1)).unwrap();
    assert_eq!(d.text(), before.replace("false], }", "false], j: 1, }"));
    d.set(&["c"], &json!(2.5)).unwrap();
    assert!(d.text().contains("c: 2.5,"));
}

#[test]
fn key_quoting_follows_style() {
    let cases: &[(&str, &[&str], &str)] = &[
        (
            "{\n  \"a\": 1\n}",
            &["b", "c"],
            "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": 1\n  }\n}",
        ),
        (
            "{\n  a: 1\n}",
            &["b", "c-d"],
            "{\n  a: 1,\n  b: {\n    \"c-d\": 1\n  }\n}",
        ),
        (
            "{\n  a: 1,\n  x: { 'p:q': 0 }\n}",
            &["x", "r"],
            "{\n  a: 1,\n  x: { 'p:q': 0, \"r\": 1 }\n}",
        ),
        (
            "{\n  a: 1,\n  x: { p: 0 }\n}",
            &["x", "$r"],
            "{\n  a: 1,\n  x: { p: 0, $r: 1 }\n}",
        ),
        ("{\"a\":1}", &["b"], "{\"a\":1, \"b\": 1}"),
    ];
    for (before, path, want) in cases {
        let mut d = doc(before);
        d.set(path, &json!(1)).unwrap();
        assert_eq!(d.text(), *want);
    }
}

#[test]
fn replace_scalar_with_object_indents_to_match() {
    let mut d = doc("{\n\ta: {\n\t\tb: 1, // note\n\t},\n}");
    d.set(&["a", "b"], &json!({"x": [1]})).unwrap();
    assert_eq!(
        d.text(),
        "{\n\ta: {\n\t\tb: {\n\t\t\tx: [\n\t\t\t\t1\n\t\t\t]\n\t\t}, // note\n\t},\n}"
    );
    d.set(&["a", "c"], &json!("y")).unwrap();
    assert!(
        d.text().ends_with("\t\t}, // note\n\t\tc: \"y\",\n\t},\n}"),
        "{}",
        d.text()
    );
}

#[test]
fn errors_for_bad_paths_duplicates_and_bad_text() {
    let mut d = doc("{ a: 1, a: 2, o: { k: 1 }, list: [1] }");
    assert!(matches!(
        d.set(&["a"], &json!(3)),
        Err(EditError::Unsupported { .. })
    ));
    let mut d2 = doc("{ o: { k: 1, k: 2 }, p: 1 }");
    d2.set(&["p"], &json!(2)).unwrap();
    let mut d3 = doc("{ o: { k: 1 }, list: [1] }");
    let not_obj = d3.set(&["o", "k", "z"], &json!(1)).unwrap_err();
    assert_eq!(not_obj, EditError::NotAnObject { path: "o.k".into() });
    let not_arr = d3.append_unique(&["o", "k"], &json!(1)).unwrap_err();
    assert_eq!(not_arr, EditError::NotAnArray { path: "o.k".into() });
    assert!(matches!(
        d3.set(&[], &json!(1)),
        Err(EditError::Unsupported { .. })
    ));
    assert_eq!(d.text(), "{ a: 1, a: 2, o: { k: 1 }, list: [1] }");
    for bad in ["{ a: }", "{ a: 1", "{ a-b: 1 }", "{ /* open", "[1] x"] {
        assert!(
            matches!(Json5Doc::parse(bad), Err(EditError::Parse(_))),
            "{bad}"
        );
    }
    assert!(matches!(
        doc("[1]").set(&["a"], &json!(1)),
        Err(EditError::NotAnObject { .. })
    ));
}

#[test]
fn safety_net_refuses_wrong_results_and_keeps_text() {
    let mut d = doc("{ a: 1 }");
    let bad_text = d.commit(
        &["a"],
        &[Splice::insert(0, "x".into())],
        Some(json!({"a": 1})),
    );
    assert!(matches!(bad_text, Err(EditError::Unsupported { .. })));
    let wrong_value = d.commit(
        &["a"],
        &[Splice::insert(5, "2".into())],
        Some(json!({"a": 1})),
    );
    assert!(matches!(wrong_value, Err(EditError::Unsupported { .. })));
    assert_eq!(d.text(), "{ a: 1 }");
}

#[test]
fn display_is_one_line() {
    let errors = [
        EditError::Parse("bad".into()),
        EditError::NotAnObject { path: "a.b".into() },
        EditError::NotAnArray { path: "a".into() },
        EditError::Unsupported {
            path: "auth".into(),
            why: "because".into(),
        },
    ];
    for e in errors {
        assert!(!e.to_string().contains('\n') && !e.to_string().is_empty());
    }
    let e = EditError::Unsupported {
        path: "auth".into(),
        why: "because".into(),
    };
    assert_eq!(e.to_string(), "cannot safely edit `auth`: because");
}
