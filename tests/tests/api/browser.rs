//! The SPA in a real browser: Debian's Chromium driven by playwright-core, at phone size.
//! Needs the built SPA (`HARBOUR_WEB_DIR`) and `tests/browser/node_modules`, which
//! `cargo xtask test` provides.

use harbour::db::Backend;
use harbour_tests::{TestApp, PASSWORD};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_frame_french_and_quick_exit_at_360px() {
    assert!(
        std::env::var("HARBOUR_WEB_DIR").is_ok(),
        "HARBOUR_WEB_DIR must point at the built SPA: run the tests with `cargo xtask test`"
    );
    let app = TestApp::spawn(Backend::Sqlite).await;
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/browser/shell.mjs");
    let output = tokio::process::Command::new("node")
        .arg(script)
        .env("HARBOUR_URL", &app.base)
        .env("HARBOUR_EMAIL", "outreach_worker@org-a.test")
        .env("HARBOUR_PASSWORD", PASSWORD)
        .current_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/browser"))
        .output()
        .await
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "browser test failed\n{stdout}\n{stderr}");
    assert!(stdout.contains("quick exit: ok"), "{stdout}");
}
