//! Harbour's API: the service directory, referrals and consent, over REST/JSON.
//!
//! # Layers
//!
//! The top-level modules, lowest first. A module may use (`crate::…`) only modules
//! listed before it; the test at the end of this file reads every source file and fails
//! on an import that breaks the order, and on a module missing from the list. Where a
//! lower module needs something done by a higher one (a consent withdrawal redacting
//! referrals), the lower one owns a small interface and the higher one fills it.
//!
//! - Infrastructure, knowing nothing of the domain: `db`, `mail`, `config`, `crypto`,
//!   `error`, `tokens`, `metrics`, `state`, `http`, `spa`.
//! - Domain, each module above the ones it builds on: `auth`, `users`, `api_clients`,
//!   `directory`, `organizations`, `groups` (the partnership's groups and who belongs),
//!   `exchange` (HSDS import and export), `data_keys`
//!   (each participant's own key), `audit`,
//!   `consent`, `participants`, `safety_plans`, `webhooks`, `referrals`, `plans`
//!   (individualized plans, whose steps can be referrals), `conferences` (case
//!   conferences around a participant), `own_records` (a
//!   participant's own copy of everything held about them), `erasure` (erasing a
//!   participant, retention, keeping erasures through a restore), `dashboards`.
//! - Request plumbing and operations that need the domain: `rate_limit`,
//!   `idempotency`, `health`.
//! - Composition: `seed`, `bootstrap`, `backup`, `routes` (every module's endpoints),
//!   `openapi` (the document those routes make), `startup` (the running server).
//!
//! # A domain module
//!
//! Every domain module has the same parts, so that a new one starts as a copy of one
//! (`webhooks` is the smallest complete example):
//!
//! - `mod.rs`: what the module is for, and `routes(cfg)`, which registers its endpoints
//!   and so their OpenAPI paths (`routes.rs` calls it).
//! - `handlers`: one thin function per endpoint, with its `#[utoipa::path]`: extract the
//!   request, call the service, shape the HTTP answer.
//! - `service`: the rules — authorization, validation beyond the body's shape, the
//!   consent policy for participant data (`consent::policy`, in one place) — and each
//!   operation's transaction, audited when it reads or writes participant data.
//! - `error`: the service's error enum (`ReferralError`, `ConsentError`, `AuthError`),
//!   each variant a refusal in the domain's words; its `From` for `ApiError` decides the
//!   status, problem code and field of each, so a handler's `?` answers it.
//! - `repo`: the queries on the module's own tables, functions of a connection. Rows
//!   hold stored codes typed (`code_enum!`), and the ids of organizations and of records
//!   carrying participant data typed (`harbour_types::ids`, `typed_id!`): a mix-up does
//!   not compile, and an unknown stored code is an error when read.
//! - Background work, if it has some, started by `startup` from the module
//!   (`referrals::sweep`, `webhooks::dispatch`, `directory::search::spawn_watcher`).
//! - Shared state of its own, if any (`DirectorySearch`, `AccountCache`), registered by
//!   `startup` as `web::Data` of its type: `state::AppState` holds infrastructure only.
//!
//! `db` is the one way to the database, `error` the one way errors leave.

pub mod api_clients;
pub mod audit;
pub mod backup;
pub mod auth;
pub mod bootstrap;
pub mod conferences;
pub mod config;
pub mod consent;
pub mod crypto;
pub mod dashboards;
pub mod data_keys;
pub mod db;
pub mod directory;
pub mod erasure;
pub mod error;
pub mod exchange;
pub mod groups;
pub mod health;
pub mod http;
pub mod idempotency;
pub mod mail;
pub mod metrics;
pub mod openapi;
pub mod organizations;
pub mod own_records;
pub mod rate_limit;
pub mod routes;
pub mod participants;
pub mod plans;
pub mod referrals;
pub mod safety_plans;
pub mod seed;
pub mod spa;
pub mod startup;
pub mod state;
pub mod tokens;
pub mod users;
pub mod webhooks;

#[cfg(test)]
mod layers {
    //! The layer order above, enforced on the source.

    use std::collections::BTreeMap;
    use std::path::{Path, PathBuf};

    /// The order written in this file's documentation.
    fn order() -> Vec<String> {
        let doc: String = include_str!("lib.rs").lines().take_while(|l| l.starts_with("//!")).collect::<Vec<_>>().join("\n");
        let layers = &doc[doc.find("# Layers").expect("a Layers section")..doc.find("# A domain module").expect("the layers end")];
        layers.split('`').skip(1).step_by(2).filter(|name| name.chars().all(|c| c.is_ascii_lowercase() || c == '_')).map(str::to_owned).collect()
    }

    /// The files of top-level module `name`: `name.rs`, and everything under `name/`.
    fn files(dir: &Path, name: &str) -> Vec<PathBuf> {
        let mut found: Vec<PathBuf> = vec![dir.join(format!("{name}.rs"))].into_iter().filter(|p| p.is_file()).collect();
        let mut folders = vec![dir.join(name)];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).into_iter().flatten() {
                let path = entry.expect("a readable folder entry").path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    found.push(path);
                }
            }
        }
        found
    }

    /// The first segment of each path in `use crate::{a::{b, c}, d}`, given what follows
    /// the opening brace.
    fn paths_in_group(group: &str) -> Vec<&str> {
        let (mut depth, mut start, mut firsts) = (0, 0, Vec::new());
        for (at, c) in group.char_indices() {
            match c {
                '{' => depth += 1,
                '}' if depth == 0 => {
                    firsts.push(&group[start..at]);
                    break;
                }
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    firsts.push(&group[start..at]);
                    start = at + 1;
                }
                _ => {}
            }
        }
        firsts.into_iter().map(|p| p.trim().split("::").next().unwrap_or("")).collect()
    }

    /// The top-level modules `name` uses, from the code of its files (comments left out),
    /// each with a file that uses it.
    fn uses(dir: &Path, name: &str, modules: &[String]) -> BTreeMap<String, PathBuf> {
        let mut used = BTreeMap::new();
        for path in files(dir, name) {
            let text = std::fs::read_to_string(&path).expect("a readable source file");
            let code: String = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
            for (at, _) in code.match_indices("crate::") {
                let rest = &code[at + "crate::".len()..];
                let first_segments: Vec<&str> = match rest.strip_prefix('{') {
                    Some(group) => paths_in_group(group),
                    None => vec![rest.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("")],
                };
                for module in first_segments.into_iter().filter(|m| *m != name && modules.iter().any(|known| known == m)) {
                    used.entry(module.to_owned()).or_insert_with(|| path.clone());
                }
            }
        }
        used
    }

    #[test]
    fn every_module_uses_only_the_modules_below_it() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let order = order();
        let mut present: Vec<String> = std::fs::read_dir(&dir)
            .expect("the source folder")
            .map(|e| e.expect("a readable folder entry").path())
            .filter_map(|p| Some(p.file_stem()?.to_str()?.to_owned()))
            .filter(|name| name != "lib" && name != "main")
            .collect();
        present.sort();
        present.dedup();
        let mut listed = order.clone();
        listed.sort();
        assert_eq!(present, listed, "every top-level module is listed once in the layer order of lib.rs");
        let mut broken = Vec::new();
        for (position, name) in order.iter().enumerate() {
            for (used, file) in uses(&dir, name, &order) {
                if order.iter().position(|m| *m == used).is_some_and(|at| at > position) {
                    broken.push(format!("{name} uses {used}, above it ({})", file.display()));
                }
            }
        }
        assert!(broken.is_empty(), "imports that break the layer order:\n{}", broken.join("\n"));
    }
}
