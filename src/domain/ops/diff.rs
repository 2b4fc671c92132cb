//! Unified line diffs for plan previews.

/// A unified diff of `before` → `after` with `context` lines around each change.
pub(crate) fn unified(before: &str, after: &str, context: usize) -> String {
    let a: Vec<&str> = before.lines().collect();
    let b: Vec<&str> = after.lines().collect();
    let ops = line_ops(&a, &b);
    let near_change = |i: usize| {
        let lo = i.saturating_sub(context);
        let hi = (i + context + 1).min(ops.len());
        ops[lo..hi].iter().any(|op| !matches!(op, Op::Same(_)))
    };
    let mut out = String::new();
    let mut last_shown: Option<usize> = None;
    for (i, op) in ops.iter().enumerate().filter(|(i, _)| near_change(*i)) {
        if last_shown.is_some_and(|l| l + 1 < i) {
            out.push_str("  …\n");
        }
        last_shown = Some(i);
        out.push_str(&match op {
            Op::Same(l) => format!("  {l}\n"),
            Op::Del(l) => format!("- {l}\n"),
            Op::Add(l) => format!("+ {l}\n"),
        });
    }
    out
}

enum Op<'a> {
    Same(&'a str),
    Del(&'a str),
    Add(&'a str),
}

/// LCS-based edit script (inputs are small: a store or a config file).
fn line_ops<'a>(a: &[&'a str], b: &[&'a str]) -> Vec<Op<'a>> {
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![vec![0u32; m + 1]; n + 1];
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[i][j] = if a[i] == b[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let (mut i, mut j, mut ops) = (0, 0, Vec::new());
    while i < n || j < m {
        if i < n && j < m && a[i] == b[j] {
            ops.push(Op::Same(a[i]));
            (i, j) = (i + 1, j + 1);
        } else if i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1]) {
            ops.push(Op::Del(a[i]));
            i += 1;
        } else {
            ops.push(Op::Add(b[j]));
            j += 1;
        }
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_changes_with_context() {
        let before = "a\nb\nc\nd\ne\nf\ng\n";
        let after = "a\nb\nc\nX\ne\nf\ng\n";
        let d = unified(before, after, 1);
        assert_eq!(d, "  c\n- d\n+ X\n  e\n");
        assert_eq!(unified("", "x\n", 3), "+ x\n");
        assert_eq!(unified("same\n", "same\n", 3), "");
    }
}
