//! Build, run and test orchestration — the two README commands live here.
//!
//! `cargo xtask run`      build the SPA, seed the demo on SQLite, serve everything
//! `cargo xtask test`     install what is missing, build the SPA, run every test on both backends
//! `cargo xtask build-web`  build the SPA into web/dist
//! `cargo xtask openapi`  regenerate openapi/openapi.json
//!
//! Everything it installs comes from a package registry (rustup's targets, Debian,
//! npm): nothing is downloaded from anywhere else.

use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Duration;

type Result<T = ()> = std::result::Result<T, String>;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => test(&args[1..]),
        Some("build-web") => build_web().map(drop),
        Some("openapi") => openapi(),
        _ => Err("usage: cargo xtask [run | test [-- <test filter>] | build-web | openapi]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root, found at run time: the nearest folder up from here whose
/// Cargo.toml declares the workspace. (A path baked in at compile time would point at
/// another checkout when several share one build cache.)
fn root() -> PathBuf {
    let start = std::env::current_dir().expect("a working directory");
    start
        .ancestors()
        .find(|dir| std::fs::read_to_string(dir.join("Cargo.toml")).is_ok_and(|t| t.contains("[workspace]")))
        .unwrap_or(&start)
        .to_path_buf()
}

fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root().join("target"), PathBuf::from)
}

fn step(what: &str) {
    eprintln!("\n==> {what}");
}

fn status(cmd: &mut Command) -> Result {
    let shown = format!("{cmd:?}");
    let status = cmd.status().map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() { Ok(()) } else { Err(format!("{shown} failed with {status}")) }
}

fn succeeds(cmd: &mut Command) -> bool {
    cmd.output().is_ok_and(|o| o.status.success())
}

fn have(program: &str) -> bool {
    succeeds(Command::new("sh").args(["-c", &format!("command -v {program}")]))
}

/// Installs Debian packages, with sudo when not root; updates the package lists first.
fn apt_install(packages: &[&str]) -> Result {
    let root_user = Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.starts_with(b"0"));
    let prefix: Vec<&str> = if root_user { vec![] } else { vec!["sudo"] };
    let run = |args: &[&str]| {
        let mut all = prefix.clone();
        all.extend_from_slice(args);
        let mut cmd = Command::new(all[0]);
        cmd.args(&all[1..]).env("DEBIAN_FRONTEND", "noninteractive");
        status(&mut cmd)
    };
    run(&["apt-get", "update", "-q"])?;
    let mut args = vec!["apt-get", "install", "-y", "-q", "--no-install-recommends"];
    args.extend_from_slice(packages);
    run(&args)
}

fn ensure_wasm_target() -> Result {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output().map_err(|e| format!("rustup: {e}"))?;
    if !String::from_utf8_lossy(&installed.stdout).lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        step("adding the wasm32-unknown-unknown target");
        status(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))?;
    }
    Ok(())
}

/// Builds the SPA into `web/dist`: wasm, its JS glue, boot script and styles under a
/// content-hashed folder (cached for a year), and index.html (never cached).
fn build_web() -> Result<PathBuf> {
    ensure_wasm_target()?;
    step("building the SPA (wasm)");
    status(cargo().args(["build", "--profile", "wasm-release", "--target", "wasm32-unknown-unknown", "-p", "web"]))?;
    let wasm = target_dir().join("wasm32-unknown-unknown/wasm-release/web.wasm");
    let staging = target_dir().join("web-staging");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).map_err(|e| e.to_string())?;
    // Groups of screens marked lazy (`lazy_screens!` in web/src/app.rs) go to their own chunks,
    // fetched when first opened; the main module keeps what a first visit needs.
    let input = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let main = staging.join("web_split.wasm");
    let mut split = wasm_split_cli_support::Options::new(&input);
    split.output_dir = &staging;
    split.main_out_path = &main;
    split.main_module = "./web.js";
    let split = wasm_split_cli_support::transform(split).map_err(|e| format!("wasm-split: {e:#}"))?;
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&main)
        .out_name("web")
        .web(true)
        .map_err(|e| e.to_string())?
        .typescript(false)
        // The chunks link to the main module by these names.
        .keep_lld_exports(true)
        .demangle(false)
        // Names and producers only help debugging; phones on weak signal pay for every byte.
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&staging)
        .map_err(|e| format!("wasm-bindgen: {e}"))?;
    std::fs::remove_file(&main).map_err(|e| e.to_string())?;
    let web = root().join("web");
    std::fs::copy(web.join("style.css"), staging.join("style.css")).map_err(|e| format!("style.css: {e}"))?;
    let boot = std::fs::read_to_string(web.join("boot.js")).map_err(|e| format!("boot.js: {e}"))?;
    std::fs::write(staging.join("boot.js"), boot.replace("{{SCREEN_CHUNKS}}", &screen_chunks(&split.prefetch_map))).map_err(|e| format!("boot.js: {e}"))?;
    let mut files: Vec<String> = std::fs::read_dir(&staging).map_err(|e| e.to_string())?.filter_map(|e| e.ok()?.file_name().into_string().ok()).collect();
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in &files {
        std::fs::read(staging.join(file)).map_err(|e| format!("{file}: {e}"))?.hash(&mut hasher);
    }
    let hash = format!("{:016x}", hasher.finish());
    let dist = web.join("dist");
    let _ = std::fs::remove_dir_all(&dist);
    let assets = dist.join("assets").join(&hash);
    std::fs::create_dir_all(&assets).map_err(|e| e.to_string())?;
    for file in &files {
        std::fs::rename(staging.join(file), assets.join(file)).map_err(|e| format!("{file}: {e}"))?;
        precompress(&assets.join(file))?;
    }
    let assets_path = format!("/assets/{hash}");
    for file in ["index.html", "sw.js"] {
        let template = std::fs::read_to_string(web.join(file)).map_err(|e| format!("{file}: {e}"))?;
        std::fs::write(dist.join(file), template.replace("{{ASSETS}}", &assets_path).replace("{{HASH}}", &hash)).map_err(|e| format!("{file}: {e}"))?;
    }
    eprintln!("SPA built in {}", dist.display());
    Ok(dist)
}

/// The files each group of lazy screens loads, as a JavaScript object for boot.js:
/// `{"referral_screens": ["chunk_7.wasm", …, "split_referral_screens_….wasm"], …}`
/// (wasm-split names a group by its function and a hash, dropped here).
fn screen_chunks(prefetch_map: &std::collections::HashMap<String, Vec<String>>) -> String {
    let mut groups: Vec<String> = prefetch_map
        .iter()
        .map(|(split, files)| {
            let group = split.rsplit_once('_').map_or(split.as_str(), |(group, _hash)| group);
            let files: Vec<String> = files.iter().map(|f| format!("\"{f}.wasm\"")).collect();
            format!("\"{group}\": [{}]", files.join(", "))
        })
        .collect();
    groups.sort();
    format!("{{{}}}", groups.join(", "))
}

/// Writes `FILE.br` (brotli, best) and `FILE.gz` (gzip, best) beside FILE: the server
/// hands them to browsers that accept them. Too slow to do per request; once per build
/// it saves phones about 40% of the app's download.
fn precompress(file: &Path) -> Result {
    use std::io::Write as _;
    let name = file.display();
    let data = std::fs::read(file).map_err(|e| format!("{name}: {e}"))?;
    let mut brotli = Vec::new();
    let params = brotli::enc::BrotliEncoderParams { quality: 11, lgwin: 24, size_hint: data.len(), ..Default::default() };
    brotli::BrotliCompress(&mut data.as_slice(), &mut brotli, &params).map_err(|e| format!("{name}: brotli: {e}"))?;
    let mut gzip = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gzip.write_all(&data).map_err(|e| format!("{name}: gzip: {e}"))?;
    let gzip = gzip.finish().map_err(|e| format!("{name}: gzip: {e}"))?;
    for (suffix, bytes) in [("br", brotli), ("gz", gzip)] {
        let mut path = file.as_os_str().to_owned();
        path.push(format!(".{suffix}"));
        std::fs::write(&path, bytes).map_err(|e| format!("{name}.{suffix}: {e}"))?;
    }
    Ok(())
}

fn openapi() -> Result {
    step("regenerating openapi/openapi.json");
    let output = cargo().args(["run", "--quiet", "-p", "harbour-api", "--", "openapi"]).output().map_err(|e| e.to_string())?;
    if !output.status.success() {
        return Err(String::from_utf8_lossy(&output.stderr).into_owned());
    }
    std::fs::write(root().join("openapi/openapi.json"), output.stdout).map_err(|e| e.to_string())
}

fn run() -> Result {
    let dist = build_web()?;
    step("building the server");
    status(cargo().args(["build", "-p", "harbour-api"]))?;
    let harbour = target_dir().join("debug/harbour");
    let configure = |cmd: &mut Command| {
        cmd.current_dir(root()).env("HARBOUR_WEB_DIR", &dist);
    };
    step("seeding the demo partnership (SQLite, data/harbour.db)");
    let mut seed = Command::new(&harbour);
    seed.args(["seed", "--demo"]);
    configure(&mut seed);
    status(&mut seed)?;
    step("starting Harbour (Ctrl-C stops it)");
    let mut serve = Command::new(&harbour);
    serve.arg("serve");
    configure(&mut serve);
    // As the image runs it: the search index's copies go back to the system (README, Memory).
    if std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_none() {
        serve.env("MALLOC_MMAP_THRESHOLD_", "131072");
    }
    status(&mut serve)
}

fn postgres_url() -> String {
    std::env::var("HARBOUR_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into())
}

fn postgres_answers() -> bool {
    TcpStream::connect_timeout(&"127.0.0.1:5432".parse().expect("address"), Duration::from_secs(1)).is_ok()
}

/// Starts the local PostgreSQL cluster, installing it from Debian when absent, with
/// trust authentication on the loopback for the tests' throwaway databases.
fn ensure_postgres() -> Result {
    if std::env::var("HARBOUR_TEST_POSTGRES_URL").is_ok() || postgres_answers() {
        return Ok(());
    }
    if !have("pg_ctlcluster") {
        step("installing PostgreSQL (Debian package postgresql)");
        apt_install(&["postgresql"])?;
    }
    step("starting PostgreSQL");
    let versions = std::fs::read_dir("/etc/postgresql").map_err(|e| format!("/etc/postgresql: {e}"))?;
    let version = versions.filter_map(|e| e.ok()).map(|e| e.file_name().to_string_lossy().into_owned()).max().ok_or("no PostgreSQL cluster")?;
    let hba = format!("/etc/postgresql/{version}/main/pg_hba.conf");
    let trust = "host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust\n";
    let current = std::fs::read_to_string(&hba).unwrap_or_default();
    if !current.starts_with(trust) {
        std::fs::write(&hba, format!("{trust}{current}")).map_err(|e| format!("{hba}: {e}"))?;
    }
    status(Command::new("pg_ctlcluster").args(["--skip-systemctl-redirect", &version, "main", "start"]))
        .or_else(|_| status(Command::new("pg_ctlcluster").args(["--skip-systemctl-redirect", &version, "main", "reload"])))?;
    for _ in 0..30 {
        if postgres_answers() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_secs(1));
    }
    Err("PostgreSQL did not start".into())
}

fn ensure_browser() -> Result {
    let mut missing = Vec::new();
    if !Path::new("/usr/bin/chromium").exists() {
        missing.push("chromium");
    }
    if !have("node") || !have("npm") {
        missing.extend(["nodejs", "npm"]);
    }
    // The reverse proxy of the two-instance test.
    if !Path::new("/usr/sbin/nginx").exists() && !have("nginx") {
        missing.push("nginx");
    }
    if !missing.is_empty() {
        step(&format!("installing {}", missing.join(", ")));
        apt_install(&missing)?;
    }
    let browser = root().join("tests/browser");
    if !browser.join("node_modules/playwright-core").exists() {
        step("installing playwright-core and axe-core from npm");
        status(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(&browser))?;
    }
    Ok(())
}

/// The outside checkers from PyPI, in a virtual environment of their own outside the
/// checkout: schemathesis (fuzzes the API from its OpenAPI document), fhir.resources
/// (the FHIR R4B models, which validate the FHIR views) and icalendar (reads the
/// calendar invitations as calendar programs do, and reports what breaks RFC 5545).
/// Returns its `bin` folder.
fn ensure_python_tools() -> Result<PathBuf> {
    const PACKAGES: [&str; 3] = ["schemathesis==4.32.5", "fhir.resources==7.1.0", "icalendar==7.3.2"];
    let home = std::env::var_os("HOME").map_or_else(target_dir, PathBuf::from);
    let venv = home.join(".cache/harbour/python");
    let bin = venv.join("bin");
    let check = "import importlib.metadata as m, sys; sys.exit(any(m.version(p.split('==')[0]) != p.split('==')[1] for p in sys.argv[1:]))";
    let current = succeeds(Command::new(bin.join("python")).args(["-c", check]).args(PACKAGES));
    if !current {
        step(&format!("installing {} from PyPI", PACKAGES.join(" and ")));
        if !have("python3") || !succeeds(Command::new("python3").args(["-c", "import venv, ensurepip"])) {
            apt_install(&["python3", "python3-venv"])?;
        }
        status(Command::new("python3").arg("-m").arg("venv").arg("--clear").arg(&venv))?;
        status(Command::new(bin.join("pip")).args(["install", "--quiet", "--disable-pip-version-check"]).args(PACKAGES))?;
    }
    Ok(bin)
}

/// cargo-deny, from crates.io.
fn ensure_cargo_deny() -> Result {
    const VERSION: &str = "0.20.2";
    let current = cargo().args(["deny", "--version"]).output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains(VERSION));
    if !current {
        step(&format!("installing cargo-deny {VERSION} from crates.io"));
        status(cargo().args(["install", "--locked", "--quiet", "cargo-deny", "--version", VERSION]))?;
    }
    Ok(())
}

fn test(filter: &[String]) -> Result {
    ensure_postgres()?;
    ensure_browser()?;
    ensure_cargo_deny()?;
    let python_tools = ensure_python_tools()?;
    let dist = build_web()?;
    let filter: Vec<&str> = filter.iter().map(String::as_str).filter(|a| *a != "--").collect();
    step("linting (clippy, warnings are errors)");
    status(cargo().args(["clippy", "--quiet", "--workspace", "--exclude", "web", "--tests", "--", "-D", "warnings"]))?;
    status(cargo().args(["clippy", "--quiet", "-p", "web", "--target", "wasm32-unknown-unknown", "--", "-D", "warnings"]))?;
    step("checking dependencies (cargo deny: licenses, bans and duplicate versions, sources)");
    status(cargo().args(["deny", "--log-level", "error", "check", "licenses", "bans", "sources"]))?;
    // The crash test runs the real binary: built here, so it is this source's.
    status(cargo().args(["build", "--quiet", "-p", "harbour-api", "--bin", "harbour"]))?;
    let nextest = succeeds(cargo().args(["nextest", "--version"]));
    step(if nextest { "running every test (cargo nextest), on SQLite and PostgreSQL" } else { "running every test (cargo test), on SQLite and PostgreSQL" });
    let mut cmd = cargo();
    if nextest {
        cmd.args(["nextest", "run", "--no-fail-fast"]);
    } else {
        cmd.args(["test", "--no-fail-fast"]);
    }
    cmd.args(&filter)
        .env("HARBOUR_WEB_DIR", &dist)
        .env("HARBOUR_TEST_POSTGRES_URL", postgres_url())
        .env("HARBOUR_BIN", target_dir().join("debug/harbour"))
        .env("HARBOUR_SCHEMATHESIS", python_tools.join("st"))
        .env("HARBOUR_PYTHON", python_tools.join("python"));
    status(&mut cmd)
}
