//! The command line's writes: never over a file that changed since it was read.

use std::fs;

use crate::common::tempdir;
use sig_studio::model::Workspace;
use sig_studio::sample::sample;
use sig_studio::workspace::{load, load_stamped, save, to_ron_string};

fn edited() -> Workspace {
    let mut ws = sample();
    ws.galleries[0].description = "edited".to_owned();
    ws
}

#[test]
fn the_cli_does_not_write_over_the_file_it_read_when_it_changed_since() {
    let dir = tempdir("cli-write");
    let file = dir.join("ws.ron");
    save(&file, &sample()).unwrap();
    let (ws, stamp) = load_stamped(&file).unwrap();
    let theirs = to_ron_string(&edited());
    fs::write(&file, &theirs).unwrap();
    // Onto the file it read (also through another spelling of the same path): refused, exit 2.
    let same = dir.join(".").join("ws.ron");
    for out in [&file, &same] {
        assert_eq!(
            sig_studio::cli::save_output(&file, &stamp, out, &ws),
            Err(sig_studio::cli::exit::UNREADABLE)
        );
        assert_eq!(fs::read_to_string(&file).unwrap(), theirs);
    }
    // Another file is written.
    let other = dir.join("result.ron");
    assert_eq!(
        sig_studio::cli::save_output(&file, &stamp, &other, &ws),
        Ok(())
    );
    assert_eq!(load(&other).unwrap(), ws);
}
