//! The `harbour` command as a new user tries it: `--help` on every command prints usage
//! and changes nothing, and a command that replaces data asks first.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use harbour_tests::harbour_binary;

/// Runs `harbour` with `args` in `dir`, on a database file there, with nothing on stdin.
fn harbour(dir: &Path, args: &[&str]) -> Output {
    Command::new(harbour_binary())
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", dir.join("harbour.db"))
        .env("HARBOUR_LOG", "error")
        .stdin(Stdio::null())
        .output()
        .expect("harbour runs")
}

fn scratch() -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("harbour-cli-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn help_on_every_command_changes_nothing() {
    let dir = scratch();
    let commands: [&[&str]; 15] = [
        &[],
        &["serve"],
        &["migrate"],
        &["seed"],
        &["export-hsds"],
        &["import-hsds"],
        &["bootstrap"],
        &["keys"],
        &["keys", "rotate"],
        &["backup"],
        &["restore"],
        &["audit"],
        &["audit", "verify"],
        &["audit", "checkpoint"],
        &["openapi"],
    ];
    for command in commands {
        for help in ["--help", "-h"] {
            let args: Vec<&str> = command.iter().copied().chain([help]).collect();
            let output = harbour(&dir, &args);
            let usage = String::from_utf8_lossy(&output.stdout);
            assert!(output.status.success(), "harbour {args:?}: {output:?}");
            assert!(usage.contains("Usage: harbour"), "harbour {args:?} printed no usage: {usage}");
            assert!(listing(&dir).is_empty(), "harbour {args:?} wrote {:?}", listing(&dir));
        }
    }
    // Also where an option could be taken for a file name.
    for args in [["backup", "--help"], ["restore", "--help"], ["export-hsds", "--help"], ["import-hsds", "--help"]] {
        assert!(harbour(&dir, &args).status.success());
    }
    assert!(listing(&dir).is_empty(), "{:?}", listing(&dir));
    // A mistyped command is told, with usage, and changes nothing either.
    let wrong = harbour(&dir, &["backpu", "copy.db"]);
    assert!(!wrong.status.success());
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("backup"), "suggests the command meant");
    assert!(listing(&dir).is_empty(), "{:?}", listing(&dir));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn restore_and_key_rotation_ask_first() {
    let dir = scratch();
    assert!(harbour(&dir, &["migrate"]).status.success());
    let backup = harbour(&dir, &["backup", "copy.db"]);
    assert!(backup.status.success(), "{backup:?}");
    let database = std::fs::read(dir.join("harbour.db")).unwrap();
    // Without a terminal to ask on, and without --yes, nothing happens.
    for args in [&["restore", "copy.db"][..], &["keys", "rotate"]] {
        let refused = harbour(&dir, args);
        assert!(!refused.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&refused.stderr).contains("--yes"), "{args:?}: {refused:?}");
        assert_eq!(std::fs::read(dir.join("harbour.db")).unwrap(), database, "{args:?} changed the database");
    }
    let restored = harbour(&dir, &["restore", "copy.db", "--yes"]);
    assert!(restored.status.success(), "{restored:?}");
    assert!(String::from_utf8_lossy(&restored.stdout).contains("Restored from copy.db"));
    let rotated = harbour(&dir, &["keys", "rotate", "--yes"]);
    assert!(rotated.status.success(), "{rotated:?}");
    std::fs::remove_dir_all(&dir).unwrap();
}
