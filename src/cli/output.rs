//! Standard output of the subcommands. `print!` panics (exit 101, a backtrace hint on stderr)
//! when standard output is a pipe whose reader has gone (`sig-studio summary big.ron | head`) or
//! a full disk; everything the command line prints goes through here instead:
//!
//! - a closed pipe ends the process quietly with [`CLOSED_PIPE`], as a program stopped by
//!   SIGPIPE ends (what `yes | head` shows);
//! - any other failure (`> /dev/full`) is said once on standard error, exit 2.
//!
//! JSON goes through [`json`]: `serde_json` escapes C0 controls but writes C1 controls, DEL and
//! the bidirectional overrides as they are, which reorder what a terminal shows.

use std::io::Write;

use super::exit;
use super::term::is_unsafe;

/// The exit code after standard output was closed early: 128 + SIGPIPE, as shells report a
/// program stopped by the signal.
pub const CLOSED_PIPE: u8 = 141;

/// Writes `text` to standard output and flushes it; on failure ends the process (see the module
/// documentation).
pub fn print(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush());
    if let Err(err) = written {
        drop(stdout);
        std::process::exit(i32::from(failure_code(&err)));
    }
}

/// The exit code for a failed write to standard output; says why on standard error unless the
/// reader just went away.
fn failure_code(err: &std::io::Error) -> u8 {
    if err.kind() == std::io::ErrorKind::BrokenPipe {
        return CLOSED_PIPE;
    }
    // Standard error may be gone too: nothing more can be done then.
    let _ = writeln!(
        std::io::stderr(),
        "sig-studio: cannot write the output: {err}"
    );
    exit::UNREADABLE
}

/// `print!` that ends the process quietly when standard output is closed.
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::output::print(&format!($($arg)*))
    };
}

/// `println!` that ends the process quietly when standard output is closed.
macro_rules! outln {
    ($($arg:tt)*) => {{
        let mut line = format!($($arg)*);
        line.push('\n');
        $crate::cli::output::print(&line)
    }};
}

/// `value` as pretty JSON with every character a terminal must not get as it is (C1 controls,
/// DEL, bidirectional overrides) escaped as `\uXXXX`; still JSON that reads back the same.
pub fn json(value: &impl serde::Serialize) -> serde_json::Result<String> {
    serde_json::to_string_pretty(value).map(|text| escape_json(&text))
}

/// Escapes what [`is_unsafe`] refuses in JSON text. Such characters occur only inside strings
/// (JSON's own syntax is ASCII without controls), and serde_json has already escaped the C0
/// controls, so a `\uXXXX` escape is correct wherever one is found.
pub fn escape_json(text: &str) -> String {
    if !text.chars().any(|c| is_unsafe(c) && c != '\n') {
        return text.to_owned();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_unsafe(c) && c != '\n' {
            // Every unsafe character is in the Basic Multilingual Plane: one escape each.
            out.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_escapes_bidi_overrides_c1_controls_and_del_and_reads_back() {
        let value = serde_json::json!({
            "name": "evil\u{202e}gpj.exe\u{2066}\u{85}\u{7f}\n\u{1b}",
            "key\u{202d}": 1,
        });
        let text = json(&value).unwrap();
        assert!(!text.chars().any(|c| is_unsafe(c) && c != '\n'), "{text}");
        assert!(text.contains("\\u202e") && text.contains("\\u0085") && text.contains("\\u007f"));
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        let plain = serde_json::json!({"name": "café ✔"});
        assert_eq!(
            json(&plain).unwrap(),
            serde_json::to_string_pretty(&plain).unwrap()
        );
    }
}
