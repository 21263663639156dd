//! The shared Python environment the tests run well-kept parsers in (python-hcl2, jsonschema):
//! `${SIG_STUDIO_PYENV:-$HOME/.cache/sig-studio/pyenv}`, made with `python3 -m venv` and filled
//! with `pip install -r tests/python-requirements.txt`, as `.ci/run` does. A test that needs it
//! makes sure of it first: under a lock (tests run in parallel), and only when the requirements
//! changed since the last install (a copy of them is kept in the environment).

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The requirements file.
fn requirements() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/python-requirements.txt")
}

/// The environment's folder.
pub fn dir() -> PathBuf {
    match std::env::var_os("SIG_STUDIO_PYENV") {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => {
            let home = std::env::var_os("HOME").expect("HOME is set");
            PathBuf::from(home).join(".cache/sig-studio/pyenv")
        }
    }
}

fn run(command: &mut Command, what: &str) {
    let out = command
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The environment's `python`, with the requirements installed.
pub fn python() -> PathBuf {
    let dir = dir();
    std::fs::create_dir_all(dir.parent().expect("the folder has a parent")).unwrap();
    let lock = File::create(dir.with_extension("lock")).expect("the lock file");
    lock.lock().expect("the lock");
    let python = dir.join("bin/python");
    if !python.exists() {
        run(
            Command::new("python3").args(["-m", "venv"]).arg(&dir),
            "python3 -m venv",
        );
    }
    let wanted = std::fs::read_to_string(requirements()).expect("tests/python-requirements.txt");
    let stamp = dir.join(".requirements");
    if std::fs::read_to_string(&stamp).ok().as_deref() != Some(wanted.as_str()) {
        run(
            Command::new(&python)
                .args(["-m", "pip", "install", "--quiet", "-r"])
                .arg(requirements()),
            "pip install -r tests/python-requirements.txt",
        );
        std::fs::write(&stamp, &wanted).unwrap();
    }
    python
}

/// Runs a Python program in the environment with `args`; its standard output.
pub fn run_script(script: &str, args: &[&Path]) -> String {
    let out = Command::new(python())
        .arg("-c")
        .arg(script)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("python runs");
    assert!(
        out.status.success(),
        "the Python check failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8")
}
