//! The layering rules of docs/ARCHITECTURE.md, checked on the source text:
//! `cli` and `tui` never import each other, `domain` names no terminal or CLI crate
//! and prints nothing, `service` names no front end, and no two files of `src`
//! import each other (directly or around a longer loop).

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests may panic on a broken fixture

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every .rs file under `dir`, as paths relative to `src/`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path.strip_prefix(src()).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

/// The code of a file without comments and string contents (so a doc comment that
/// names a crate is no import).
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(src().join(path)).unwrap();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut in_str = false;
    while let Some(c) = chars.next() {
        if in_str {
            if c == '\\' {
                chars.next();
            } else if c == '"' {
                in_str = false;
                out.push('"');
            }
            continue;
        }
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                in_str = true;
                out.push('"');
            }
            '\'' => {
                // A char literal ('"' must not open a string); lifetimes pass through.
                let rest: String = chars.clone().take(3).collect();
                if rest.starts_with("\\") || rest.chars().nth(1) == Some('\'') {
                    let skip = if rest.starts_with('\\') { 3 } else { 2 };
                    for _ in 0..skip {
                        chars.next();
                    }
                    out.push_str("' '");
                } else {
                    out.push('\'');
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn under(dir: &str) -> Vec<(PathBuf, String)> {
    rust_files(&src().join(dir))
        .into_iter()
        .map(|p| {
            let code = code_of(&p);
            (p, code)
        })
        .collect()
}

fn offenders(dir: &str, words: &[&str]) -> Vec<String> {
    under(dir)
        .iter()
        .flat_map(|(path, code)| {
            words
                .iter()
                .filter(|w| code.contains(*w))
                .map(move |w| format!("{} names {w}", path.display()))
        })
        .collect()
}

#[test]
fn the_front_ends_never_import_each_other() {
    let mut bad = offenders("tui", &["crate::cli"]);
    bad.extend(offenders("cli", &["crate::tui"]));
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn the_domain_names_no_terminal_or_cli_crate_and_prints_nothing() {
    let words = [
        "clap::",
        "ratatui",
        "crossterm",
        "tui_textarea",
        "crate::cli",
        "crate::tui",
        "crate::service",
        "println!",
        "eprintln!",
        "print!(",
        "eprint!(",
    ];
    let bad = offenders("domain", &words);
    assert!(bad.is_empty(), "{bad:#?}");
}

#[test]
fn the_service_names_no_front_end() {
    let words = [
        "clap::",
        "ratatui",
        "crossterm",
        "tui_textarea",
        "crate::cli",
        "crate::tui",
    ];
    let bad = offenders("service", &words);
    assert!(bad.is_empty(), "{bad:#?}");
}

/// The module path of a file: `domain/read/mod.rs` → [domain, read].
fn module_of(path: &Path) -> Vec<String> {
    let mut parts: Vec<String> = path
        .with_extension("")
        .iter()
        .map(|s| s.to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Every path expression starting at `crate::`/`super::`/`self::`, use trees expanded.
fn paths_in(code: &str) -> Vec<String> {
    let bytes: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = ["crate::", "super::", "self::"]
            .iter()
            .find(|k| bytes[i..].iter().take(k.len()).collect::<String>() == **k);
        let boundary = i == 0
            || !(bytes[i - 1].is_alphanumeric() || bytes[i - 1] == '_' || bytes[i - 1] == ':');
        match starts {
            Some(_) if boundary => {
                let (tree, end) = read_tree(&bytes, i);
                expand(&tree, "", &mut out);
                i = end;
            }
            _ => i += 1,
        }
    }
    out
}

/// Reads a path with optional `{…}` groups starting at `i`; returns it and the end.
fn read_tree(b: &[char], mut i: usize) -> (String, usize) {
    let mut depth = 0;
    let mut s = String::new();
    while i < b.len() {
        let c = b[i];
        let ok = c.is_alphanumeric()
            || c == '_'
            || c == ':'
            || c == '*'
            || (depth > 0 && (c == ',' || c.is_whitespace() || c == '{' || c == '}'))
            || c == '{';
        if !ok {
            break;
        }
        if c == '{' {
            depth += 1;
        } else if c == '}' {
            depth -= 1;
        }
        s.push(c);
        i += 1;
    }
    (s, i)
}

fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    match tree.find('{') {
        None => out.push(format!("{prefix}{tree}")),
        Some(open) => {
            let head = &tree[..open];
            let inner = &tree[open + 1..tree.len().saturating_sub(1)];
            let mut depth = 0;
            let mut start = 0;
            for (k, c) in inner.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(&inner[start..k], &format!("{prefix}{head}"), out);
                        start = k + 1;
                    }
                    _ => {}
                }
            }
            if start < inner.len() {
                expand(&inner[start..], &format!("{prefix}{head}"), out);
            }
        }
    }
}

/// The file a path lands in: the longest module prefix that is a file of `src`.
fn target_file(
    path: &str,
    here: &[String],
    modules: &BTreeMap<Vec<String>, PathBuf>,
) -> Option<PathBuf> {
    let mut segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
    let mut base: Vec<String> = match segs.first() {
        Some(&"crate") => Vec::new(),
        Some(&"self") => here.to_vec(),
        Some(&"super") => here.to_vec(),
        _ => return None,
    };
    if segs[0] == "crate" || segs[0] == "self" {
        segs.remove(0);
    }
    while segs.first() == Some(&"super") {
        base.pop();
        segs.remove(0);
    }
    base.extend(segs.iter().map(|s| s.to_string()));
    (0..=base.len())
        .rev()
        .find_map(|n| modules.get(&base[..n]))
        .cloned()
}

fn import_graph() -> BTreeMap<PathBuf, BTreeSet<PathBuf>> {
    let files = rust_files(&src());
    let modules: BTreeMap<Vec<String>, PathBuf> =
        files.iter().map(|f| (module_of(f), f.clone())).collect();
    let mut graph = BTreeMap::new();
    for f in &files {
        // `#[cfg(test)]` items (test modules) use their parent freely: they are cut out.
        let code = without_test_items(&code_of(f));
        let here = module_of(f);
        let mut paths = paths_in(&code);
        paths.extend(child_paths(&code, &here, &modules));
        let edges: BTreeSet<PathBuf> = paths
            .iter()
            .filter_map(|p| target_file(p, &here, &modules))
            .filter(|t| t != f && !is_parent_module(t, f))
            .collect();
        graph.insert(f.clone(), edges);
    }
    graph
}

/// Every file may name the crate root (`lib.rs` declares the layers); nothing else is
/// exempt, so a parent module that uses its child while the child uses the parent
/// is a cycle like any other.
fn is_parent_module(target: &Path, file: &Path) -> bool {
    let (t, f) = (module_of(target), module_of(file));
    t.len() < f.len() && f.starts_with(&t) && t.is_empty()
}

/// The code without `#[cfg(test)]` items: the attribute and the item after it, up to
/// its `;` or its balanced `{…}` block.
fn without_test_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let semi = rest.find(';').unwrap_or(rest.len());
        let open = rest.find('{').unwrap_or(rest.len());
        if semi < open {
            rest = &rest[(semi + 1).min(rest.len())..];
            continue;
        }
        let mut depth = 0usize;
        let mut end = rest.len();
        for (k, c) in rest.char_indices().skip_while(|(k, _)| *k < open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// Paths that start at a child module by its bare name (`write::set(..)`,
/// `use syntax::*`), as `self::child::…` paths.
fn child_paths(
    code: &str,
    here: &[String],
    modules: &BTreeMap<Vec<String>, PathBuf>,
) -> Vec<String> {
    let chars: Vec<char> = code.chars().collect();
    let children: Vec<&String> = modules
        .keys()
        .filter(|m| m.len() == here.len() + 1 && m.starts_with(here))
        .filter_map(|m| m.last())
        .collect();
    let mut out = Vec::new();
    for child in children {
        let word: Vec<char> = format!("{child}::").chars().collect();
        for i in 0..chars.len().saturating_sub(word.len()) {
            let boundary = i == 0
                || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_' || chars[i - 1] == ':');
            if boundary && chars[i..i + word.len()] == word[..] {
                let (tree, _) = read_tree(&chars, i);
                expand(&tree, "self::", &mut out);
            }
        }
    }
    out
}

/// Strongly connected components with more than one file (Tarjan).
fn cycles(graph: &BTreeMap<PathBuf, BTreeSet<PathBuf>>) -> Vec<Vec<PathBuf>> {
    struct T<'a> {
        g: &'a BTreeMap<PathBuf, BTreeSet<PathBuf>>,
        index: BTreeMap<&'a PathBuf, usize>,
        low: BTreeMap<&'a PathBuf, usize>,
        stack: Vec<&'a PathBuf>,
        on: BTreeSet<&'a PathBuf>,
        out: Vec<Vec<PathBuf>>,
    }
    fn visit<'a>(t: &mut T<'a>, v: &'a PathBuf) {
        let n = t.index.len();
        t.index.insert(v, n);
        t.low.insert(v, n);
        t.stack.push(v);
        t.on.insert(v);
        for w in t.g.get(v).into_iter().flatten() {
            let Some((w, _)) = t.g.get_key_value(w) else {
                continue;
            };
            if !t.index.contains_key(w) {
                visit(t, w);
                let lw = t.low[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(lw));
            } else if t.on.contains(w) {
                let iw = t.index[w];
                let lv = t.low[v];
                t.low.insert(v, lv.min(iw));
            }
        }
        if t.low[v] == t.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = t.stack.pop() {
                t.on.remove(w);
                comp.push(w.clone());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                t.out.push(comp);
            }
        }
    }
    let mut t = T {
        g: graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !t.index.contains_key(v) {
            visit(&mut t, v);
        }
    }
    t.out
}

#[test]
fn no_two_files_import_each_other() {
    let graph = import_graph();
    assert!(
        graph.len() > 50,
        "the scan found only {} files",
        graph.len()
    );
    let found = cycles(&graph);
    let text: Vec<String> = found
        .iter()
        .map(|c| {
            c.iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(" ↔ ")
        })
        .collect();
    println!("import cycles: {}", text.len());
    assert!(
        text.is_empty(),
        "import cycles between files:\n{}",
        text.join("\n")
    );
}

#[test]
fn bare_child_paths_count_and_test_items_do_not() {
    let here = vec!["domain".to_string(), "write".to_string()];
    let modules = BTreeMap::from([
        (here.clone(), PathBuf::from("domain/write/mod.rs")),
        (
            vec!["domain".into(), "write".into(), "lock".into()],
            PathBuf::from("domain/write/lock.rs"),
        ),
    ]);
    let code = "fn f() { lock::acquire(); }\n#[cfg(test)]\nmod tests { use super::lock::x; }\n";
    let code = without_test_items(code);
    assert!(!code.contains("mod tests"), "{code}");
    let found: Vec<_> = child_paths(&code, &here, &modules)
        .iter()
        .filter_map(|p| target_file(p, &here, &modules))
        .collect();
    assert_eq!(found, [PathBuf::from("domain/write/lock.rs")]);
    assert_eq!(
        without_test_items("a\n#[cfg(test)]\n#[path = \"x.rs\"]\nmod tests;\nb"),
        "a\n\nb"
    );
}

#[test]
fn the_cycle_check_finds_a_planted_cycle() {
    let mut g = BTreeMap::new();
    let (a, b, c) = (
        PathBuf::from("a.rs"),
        PathBuf::from("b.rs"),
        PathBuf::from("c.rs"),
    );
    g.insert(a.clone(), BTreeSet::from([b.clone()]));
    g.insert(b.clone(), BTreeSet::from([c.clone()]));
    g.insert(c.clone(), BTreeSet::from([a.clone()]));
    assert_eq!(cycles(&g), vec![vec![a, b, c]]);
    let modules = BTreeMap::from([(
        vec!["domain".to_string(), "ops".to_string()],
        PathBuf::from("domain/ops/mod.rs"),
    )]);
    let mut paths = Vec::new();
    expand("crate::domain::{ops::{plan, Plan}, x}", "", &mut paths);
    assert_eq!(
        paths,
        [
            "crate::domain::ops::plan",
            "crate::domain::ops::Plan",
            "crate::domain::x"
        ]
    );
    assert_eq!(
        target_file(
            "super::super::ops::plan",
            &["domain".into(), "write".into(), "x".into()],
            &modules
        ),
        Some(PathBuf::from("domain/ops/mod.rs"))
    );
}

#[test]
fn the_ui_state_never_names_a_view() {
    let mut files = under("tui/app");
    assert!(
        files.len() > 5,
        "the scan found only {} files under tui/app",
        files.len()
    );
    let root = PathBuf::from("tui/app.rs");
    let code = code_of(&root);
    files.push((root, code));
    let bad: Vec<String> = files
        .iter()
        .filter(|(_, code)| names_module(code, "view"))
        .map(|(path, _)| format!("{} names view::", path.display()))
        .collect();
    assert!(bad.is_empty(), "the UI state calls a view: {bad:#?}");
}

/// `code` names the module `name` in a path (`view::`, not `review::`).
fn names_module(code: &str, name: &str) -> bool {
    let needle = format!("{name}::");
    code.match_indices(&needle).any(|(at, _)| {
        let before = code[..at].chars().next_back();
        !before.is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

#[test]
fn the_view_check_tells_a_view_from_a_review() {
    assert!(names_module("use crate::tui::view::help;", "view"));
    assert!(names_module("view::render(app)", "view"));
    assert!(!names_module("use super::review::ReviewPage;", "view"));
}
