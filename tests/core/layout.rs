//! The house's size rules, checked on the source itself: no file under `src/` or
//! `crates/*/src/` over 600 lines, no function over 120 lines. There are no exceptions: a file
//! or function over the limit fails the test, which names it.

use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 600;
const MAX_FN_LINES: usize = 120;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every `.rs` file under `dir`, sorted.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source files the rules cover, by path from the root.
fn sources() -> Vec<(String, String)> {
    let root = root();
    let mut files = Vec::new();
    rust_files(&root.join("src"), &mut files);
    let crates = std::fs::read_dir(root.join("crates")).unwrap();
    let mut crate_dirs: Vec<PathBuf> = crates.flatten().map(|e| e.path()).collect();
    crate_dirs.sort();
    for dir in crate_dirs {
        rust_files(&dir.join("src"), &mut files);
    }
    assert!(
        files.len() > 50,
        "the source tree was not found under {}",
        root.display()
    );
    files
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).unwrap();
            let name = path
                .strip_prefix(&root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (name, text)
        })
        .collect()
}

/// The text with comments, strings and character literals blanked out (newlines kept), so
/// that braces and `fn` are only the code's.
fn code_only(text: &str) -> Vec<char> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = chars.clone();
    let blank = |out: &mut Vec<char>, from: usize, to: usize| {
        for c in &mut out[from..to.min(chars.len())] {
            if *c != '\n' {
                *c = ' ';
            }
        }
    };
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut i = 0;
    while i < chars.len() {
        let rest = &chars[i..];
        let starts =
            |s: &str| rest.iter().zip(s.chars()).filter(|(a, b)| *a == b).count() == s.len();
        if starts("//") {
            let end = rest
                .iter()
                .position(|c| *c == '\n')
                .map_or(chars.len(), |p| i + p);
            blank(&mut out, i, end);
            i = end;
        } else if starts("/*") {
            let (mut depth, mut j) = (0, i);
            while j < chars.len() {
                if chars[j] == '/' && chars.get(j + 1) == Some(&'*') {
                    depth += 1;
                    j += 2;
                } else if chars[j] == '*' && chars.get(j + 1) == Some(&'/') {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, i, j);
            i = j;
        } else if (chars[i] == 'r' || (chars[i] == 'b' && chars.get(i + 1) == Some(&'r')))
            && (i == 0 || !ident(chars[i - 1]))
            && {
                let k = i + if chars[i] == 'b' { 2 } else { 1 };
                let hashes = chars[k..].iter().take_while(|c| **c == '#').count();
                chars.get(k + hashes) == Some(&'"')
            }
        {
            // A raw string: r"…", r#"…"#, br"…".
            let k = i + if chars[i] == 'b' { 2 } else { 1 };
            let hashes = chars[k..].iter().take_while(|c| **c == '#').count();
            let mut j = k + hashes + 1;
            while j < chars.len()
                && !(chars[j] == '"'
                    && chars[j + 1..]
                        .iter()
                        .take(hashes)
                        .filter(|c| **c == '#')
                        .count()
                        == hashes)
            {
                j += 1;
            }
            let end = (j + 1 + hashes).min(chars.len());
            blank(&mut out, i, end);
            i = end;
        } else if chars[i] == '"' {
            let mut j = i + 1;
            while j < chars.len() && chars[j] != '"' {
                j += if chars[j] == '\\' { 2 } else { 1 };
            }
            blank(&mut out, i, j + 1);
            i = j + 1;
        } else if chars[i] == '\'' {
            // A character literal ('a', '{', '\n', '\u{7f}'), or a lifetime ('a, 'static).
            let end = if chars.get(i + 1) == Some(&'\\') {
                chars[i + 2..]
                    .iter()
                    .position(|c| *c == '\'')
                    .map(|p| i + 2 + p)
            } else if chars.get(i + 2) == Some(&'\'') {
                Some(i + 2)
            } else {
                None
            };
            match end {
                Some(end) => {
                    blank(&mut out, i, end + 1);
                    i = end + 1;
                }
                None => i += 1,
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Every function with a body: its name and its length in lines, from the line of `fn` to
/// the line of its closing brace.
fn functions(text: &str) -> Vec<(String, usize)> {
    let code = code_only(text);
    let line_of = |at: usize| code[..at].iter().filter(|c| **c == '\n').count();
    let ident = |c: char| c.is_alphanumeric() || c == '_';
    let mut found = Vec::new();
    let mut i = 0;
    while i + 2 < code.len() {
        let is_fn = code[i] == 'f'
            && code[i + 1] == 'n'
            && code[i + 2].is_whitespace()
            && (i == 0 || !ident(code[i - 1]));
        if !is_fn {
            i += 1;
            continue;
        }
        let name_start = i
            + 2
            + code[i + 2..]
                .iter()
                .take_while(|c| c.is_whitespace())
                .count();
        let name: String = code[name_start..]
            .iter()
            .take_while(|c| ident(**c))
            .collect();
        // The body opens at the first `{` unless a `;` ends a declaration first.
        let Some(open) = code[name_start..]
            .iter()
            .position(|c| *c == '{' || *c == ';')
            .map(|p| name_start + p)
            .filter(|p| code[*p] == '{')
        else {
            i = name_start;
            continue;
        };
        let mut depth = 0;
        let mut close = open;
        for (j, c) in code.iter().enumerate().skip(open) {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        found.push((name, line_of(close) - line_of(i) + 1));
        i = name_start;
    }
    found
}

#[test]
fn no_file_over_600_lines_and_no_function_over_120() {
    let mut problems = Vec::new();
    for (path, text) in sources() {
        let lines = text.lines().count();
        if lines > MAX_FILE_LINES {
            problems.push(format!(
                "{path} has {lines} lines (at most {MAX_FILE_LINES}): split it by role"
            ));
        }
        for (name, lines) in functions(&text) {
            if lines > MAX_FN_LINES {
                problems.push(format!(
                    "{path}::{name} has {lines} lines (at most {MAX_FN_LINES})"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_counter_sees_code_not_comments_strings_or_characters() {
    let text = r##"
/// fn in_a_comment() {
fn short() {
    let brace = '{';
    let quote = '\'';
    let text = "} fn in_a_string() {";
    let raw = r#"}}"#;
    /* } */
}

fn declared(x: u32) -> u32;

fn lifetimes<'a>(x: &'a str) -> &'a str {
    let c = 'x';
    x
}
"##;
    assert_eq!(
        functions(text),
        [("short".to_owned(), 7), ("lifetimes".to_owned(), 4)]
    );
    let long = format!(
        "fn long() {{\n{}}}\n",
        "    let x = 1;\n".repeat(MAX_FN_LINES)
    );
    assert_eq!(functions(&long), [("long".to_owned(), MAX_FN_LINES + 2)]);
}
