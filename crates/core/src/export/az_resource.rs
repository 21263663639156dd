//! What az reads in an argument besides its value, and the way around it.
//!
//! az gives meaning to some arguments before a command sees them: a word starting with `-` is
//! an option; `@path`, and `key=@path` after the first `=`, is replaced by a local file's
//! content; an AAZ argument reads `null` as no value, `??` as a request for help, and a leading
//! `'` as a quoted string. A value free of all of that is *plain* and can follow its flag. Any
//! other value is written inside the resource's JSON body (`=` and `@` as `\u003d` and `\u0040`,
//! so that no word holds either), sent with `az resource create --is-full-object`.

use serde_json::Value;

use super::az::{Part, Word};

/// Whether az passes `text` on unchanged as a flag's value (see the module's text).
pub fn plain(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    let after_equals = text.split_once('=').map(|(_, rest)| rest);
    !matches!(first, '@' | '-' | '\'' | '"')
        && !matches!(text, "null" | "??")
        && !after_equals.is_some_and(|rest| rest.starts_with('@'))
        && !text.contains('\0')
        && !text
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\t'))
}

/// Whether a tag can be written `key=value` after `--tags`: a key az's parsers split and
/// match as written (letters, digits, `_` and `-`, not first), a plain value.
pub fn plain_tag(key: &str, value: &str) -> bool {
    let mut chars = key.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        && plain(value)
}

/// Whether an ARM id can be written as a flag's value.
pub fn plain_id(id: &str) -> bool {
    id.starts_with('/')
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "/._()-".contains(c))
}

/// A JSON body as one word: `=` and `@` escaped inside its strings, and each `(token, word)`
/// occurrence replaced by that word (a variable's value).
pub fn json_word(body: &Value, vars: &[(String, Word)]) -> Word {
    let text = body
        .to_string()
        .replace('=', "\\u003d")
        .replace('@', "\\u0040");
    let mut parts = vec![Part::Literal(text)];
    for (token, word) in vars {
        let mut next = Vec::new();
        for part in parts {
            match part {
                Part::Literal(s) if s.contains(token.as_str()) => {
                    let mut pieces = s.split(token.as_str()).peekable();
                    while let Some(piece) = pieces.next() {
                        if !piece.is_empty() {
                            next.push(Part::Literal(piece.to_owned()));
                        }
                        if pieces.peek().is_some() {
                            next.extend(word.0.iter().cloned());
                        }
                    }
                }
                other => next.push(other),
            }
        }
        parts = next;
    }
    Word(parts)
}

/// A token for a variable inside a JSON text that the text does not otherwise hold.
pub fn token_for(body_text: &str, n: usize) -> String {
    let mut token = format!("SIGSTUDIOVAR{n}X");
    while body_text.contains(&token) {
        token.push('X');
    }
    token
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_az_would_read_is_not_plain() {
        for bad in [
            "@/etc/passwd",
            "a=@/etc/passwd",
            "--managed-image",
            "-x",
            "null",
            "??",
            "'quoted'",
            "",
            "nul\0",
            "esc\u{1b}[31m",
        ] {
            assert!(!plain(bad), "{bad:?}");
        }
        for good in ["a@b", "x=y@z", "multi\nline", "it's", "[x]", "ü"] {
            assert!(plain(good), "{good:?}");
        }
        assert!(!plain_tag("--managed-image", "x"));
        assert!(!plain_tag("a.b", "x"));
        assert!(!plain_tag("a=b", "x"));
        assert!(plain_tag("cost-center", "42"));
    }

    #[test]
    fn json_words_hold_no_equals_or_at_and_splice_variables() {
        let body = serde_json::json!({"d": "a=@/etc/passwd", "id": "TOKEN"});
        let word = json_word(&body, &[("TOKEN".to_owned(), Word::var("V"))]);
        let text: String = word
            .0
            .iter()
            .map(|p| match p {
                Part::Literal(s) => s.clone(),
                Part::Var(v) => format!("<{v}>"),
            })
            .collect();
        assert!(!text.contains('=') && !text.contains('@'), "{text}");
        assert!(text.contains("\"id\":\"<V>\""), "{text}");
        let back: Value = serde_json::from_str(&text.replace("<V>", "x")).unwrap();
        assert_eq!(back["d"], "a=@/etc/passwd");
    }
}
