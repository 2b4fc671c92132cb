//! Table-driven random edits of comment-preserving JSON5: every variant of layout
//! (indent unit, newlines, key count, trailing commas, comments) under every edit keeps
//! the invariants (parses, equals the model, keeps comments and untouched bytes).

use super::tests::{comments, doc, json5_value, set_in};
use super::*;
use serde_json::json;

struct Variant {
    unit: &'static str,
    nl: &'static str,
    keys: usize,
    trailing: bool,
    comments: bool,
    auth: usize,
}

fn variant(i: u64) -> Variant {
    let mut state = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xDEAD_BEEF;
    let mut pick = |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) % n) as usize
    };
    Variant {
        unit: ["  ", "    ", "\t"][pick(3)],
        nl: ["\n", "\r\n"][pick(2)],
        keys: pick(3),
        trailing: pick(2) == 1,
        comments: pick(2) == 1,
        auth: (i % 4) as usize,
    }
}

fn key_of(v: &Variant, name: &str) -> String {
    match v.keys {
        0 if is_plain_identifier(name) => name.to_string(),
        2 => format!("'{name}'"),
        _ => format!("\"{name}\""),
    }
}

fn auth_lines(v: &Variant) -> Vec<String> {
    let (u, t, k) = (v.unit, if v.trailing { "," } else { "" }, |n: &str| {
        key_of(v, n)
    });
    let note = if v.comments { " // first" } else { "" };
    let profile = format!("{}: \"p\", {}: \"token\"", k("provider"), k("mode"));
    let after_profiles = if v.auth == 3 { "," } else { t };
    let mut lines = match v.auth {
        0 => return vec![],
        1 => return vec![format!("{u}{}: {{}},", k("auth"))],
        _ => vec![
            format!("{u}{}: {{", k("auth")),
            format!("{u}{u}{}: {{", k("profiles")),
        ],
    };
    lines.push(format!("{u}{u}{u}{}: {{ {profile} }}{t}{note}", k("p:a")));
    lines.push(format!("{u}{u}}}{after_profiles}"));
    if v.auth == 3 {
        lines.push(format!(
            "{u}{u}{}: {{ {}: [\"p:a\"]{t} }}{t}",
            k("order"),
            k("p")
        ));
    }
    lines.push(format!("{u}}},"));
    lines
}

fn build(v: &Variant) -> String {
    let (u, t, k) = (v.unit, if v.trailing { "," } else { "" }, |n: &str| {
        key_of(v, n)
    });
    let note = |text: &str| {
        if v.comments {
            text.to_string()
        } else {
            String::new()
        }
    };
    let mut lines = vec![
        note("// generated config"),
        "{".to_string(),
        note(&format!("{u}/* the server */")),
    ];
    lines.push(format!("{u}{}: {{", k("gateway")));
    lines.push(format!("{u}{u}{}: 18789,{}", k("port"), note(" // port")));
    lines.push(format!("{u}{u}{}: 'loopback'{t}", k("bind")));
    lines.push(format!("{u}}},"));
    lines.push(format!("{u}{}: \"http://x//y/*z*/{{[\",", k("url")));
    lines.extend(auth_lines(v));
    lines.push(format!("{u}{}: true{t}", k("last")));
    lines.push(note(&format!("{u}// end of config")));
    lines.push("}".to_string());
    lines.retain(|l| !l.is_empty());
    lines.join(v.nl) + v.nl
}

enum Op {
    Set(Vec<&'static str>, Value),
    Append(Vec<&'static str>, Value),
    Remove(Vec<&'static str>),
}

fn ops() -> Vec<Op> {
    vec![
        Op::Set(
            vec!["auth", "profiles", "p:new"],
            json!({"provider": "p", "mode": "api_key"}),
        ),
        Op::Set(vec!["gateway", "port"], json!(1234)),
        Op::Append(vec!["auth", "order", "p"], json!("p:new")),
        Op::Append(vec!["auth", "order", "p"], json!("p:new")),
        Op::Remove(vec!["gateway", "bind"]),
        Op::Set(vec!["meta", "deep", "list"], json!(["a", {"x": 1}])),
        Op::Remove(vec!["auth", "profiles", "p:new"]),
        Op::Remove(vec!["auth", "profiles", "p:zzz"]),
        Op::Append(vec!["meta", "deep", "list"], json!({"y": [1, 2]})),
        Op::Remove(vec!["last"]),
        Op::Set(vec!["url"], json!("https://example.com/{x}//")),
        Op::Set(vec!["auth", "profiles", "p:a", "mode"], json!("oauth")),
    ]
}

/// Applies `op` to the model value independently of the editor.
fn apply_model(model: &mut Value, op: &Op) {
    match op {
        Op::Set(path, value) => set_in(model, path, value.clone()),
        Op::Append(path, value) => match value_at(model, path) {
            None => set_in(model, path, json!([value])),
            Some(Value::Array(items)) if items.contains(value) => {}
            Some(_) => model
                .pointer_mut(&format!("/{}", path.join("/")))
                .unwrap()
                .as_array_mut()
                .unwrap()
                .push(value.clone()),
        },
        Op::Remove(path) => {
            let (last, parents) = path.split_last().unwrap();
            let parent = parents.iter().try_fold(&mut *model, |v, k| v.get_mut(*k));
            if let Some(map) = parent.and_then(Value::as_object_mut) {
                map.shift_remove(*last);
            }
        }
    }
}

fn run(d: &mut Json5Doc, op: &Op) -> Result<(), EditError> {
    match op {
        Op::Set(path, value) => d.set(path, value),
        Op::Append(path, value) => d.append_unique(path, value),
        Op::Remove(path) => d.remove(path).map(|_| ()),
    }
}

fn op_path(op: &Op) -> &[&'static str] {
    match op {
        Op::Set(path, _) | Op::Append(path, _) | Op::Remove(path) => path,
    }
}

fn owner_span(d: &Json5Doc, path: &[&str]) -> Range<usize> {
    match d.locate(path).unwrap() {
        Target::Found { owner, .. } | Target::Missing { owner, .. } => owner.span.clone(),
    }
}

fn check_invariants(v: &Variant, before: &str, owner: Range<usize>, d: &Json5Doc, model: &Value) {
    let after = d.text();
    assert_eq!(&json5_value(after), model, "\n{after}");
    assert_eq!(comments(before), comments(after), "\n{after}");
    assert_eq!(
        &after[..owner.start],
        &before[..owner.start],
        "prefix changed"
    );
    assert!(
        after.ends_with(&before[owner.end..]),
        "suffix changed\n{after}"
    );
    assert_eq!(
        after.replace("\r\n", "").contains(['\n', '\r']),
        v.nl == "\n" && after.contains('\n')
    );
    let wrong_indent = if v.unit == "\t" { ' ' } else { '\t' };
    for line in after.lines() {
        let indent = &line[..line.len() - line.trim_start().len()];
        assert!(
            !indent.contains(wrong_indent),
            "mixed indentation: {line:?}\n{after}"
        );
    }
    if v.keys != 0 {
        assert!(d.all_keys_quoted(), "unquoted key added\n{after}");
    }
}

#[test]
fn random_variants_cover_every_dimension() {
    let all: Vec<Variant> = (0..30).map(variant).collect();
    for unit in ["  ", "    ", "\t"] {
        assert!(all.iter().any(|v| v.unit == unit));
    }
    for keys in 0..3 {
        assert!(all.iter().any(|v| v.keys == keys));
    }
    assert!(all.iter().any(|v| v.nl == "\r\n") && all.iter().any(|v| v.nl == "\n"));
    assert!(all.iter().any(|v| v.trailing) && all.iter().any(|v| !v.trailing));
    assert!(all.iter().any(|v| v.comments) && all.iter().any(|v| !v.comments));
}

#[test]
fn random_edits_keep_invariants() {
    for i in 0..30 {
        let v = variant(i);
        let text = build(&v);
        let mut d = doc(&text);
        let mut model = json5_value(&text);
        for op in ops() {
            let before = d.text().to_string();
            let owner = owner_span(&d, op_path(&op));
            let old_model = model.clone();
            apply_model(&mut model, &op);
            run(&mut d, &op).unwrap_or_else(|e| panic!("config {i}: {e}\n{before}"));
            check_invariants(&v, &before, owner, &d, &model);
            if model == old_model {
                assert_eq!(d.text(), before, "no-op changed the text");
            }
        }
    }
}
