//! Two instances on one PostgreSQL behind Debian's nginx (round robin, as in
//! `deploy/nginx.conf`): a person signed in through one is served by the other, both
//! answer, and a directory change made through the proxy is found by search on each
//! instance within a second. (Background work running once across instances has its own
//! tests: webhooks, reminders, expiry.)

use std::process::Stdio;
use std::time::{Duration, Instant};

use harbour::db::Backend;
use harbour_tests::{TestApp, PASSWORD};
use harbour_types::Role;
use serde_json::{json, Value};

fn nginx_binary() -> &'static str {
    if std::path::Path::new("/usr/sbin/nginx").exists() { "/usr/sbin/nginx" } else { "nginx" }
}

fn port_of(base: &str) -> &str {
    base.rsplit(':').next().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_behind_nginx_serve_as_one() {
    let app = TestApp::spawn(Backend::Postgres).await;
    let second = app.second_instance().await;
    let folder = std::env::temp_dir().join(format!("harbour-nginx-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(folder.join("tmp")).unwrap();
    let listen = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let temp = folder.join("tmp").display().to_string();
    let config = format!(
        "daemon off; pid {dir}/nginx.pid; error_log {dir}/error.log warn; worker_processes 1;\n\
         events {{ worker_connections 256; }}\n\
         http {{\n\
           access_log off;\n\
           client_body_temp_path {temp}/body; proxy_temp_path {temp}/proxy; fastcgi_temp_path {temp}/fastcgi;\n\
           uwsgi_temp_path {temp}/uwsgi; scgi_temp_path {temp}/scgi;\n\
           upstream harbour {{ server 127.0.0.1:{a}; server 127.0.0.1:{b}; }}\n\
           server {{\n\
             listen 127.0.0.1:{listen};\n\
             location / {{ proxy_pass http://harbour; proxy_set_header Host $host; proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for; proxy_set_header X-Forwarded-Proto $scheme; }}\n\
           }}\n\
         }}\n",
        dir = folder.display(),
        a = port_of(&app.base),
        b = port_of(&second),
    );
    std::fs::write(folder.join("nginx.conf"), config).unwrap();
    let mut nginx = tokio::process::Command::new(nginx_binary())
        .arg("-p")
        .arg(&folder)
        .arg("-c")
        .arg(folder.join("nginx.conf"))
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("nginx runs (Debian package nginx; `cargo xtask test` installs it)");
    let proxy = format!("http://127.0.0.1:{listen}");
    let client = reqwest::Client::new();
    let started = Instant::now();
    while client.get(format!("{proxy}/health/live")).send().await.is_err() {
        assert!(started.elapsed() < Duration::from_secs(10), "nginx did not start: {}", std::fs::read_to_string(folder.join("error.log")).unwrap_or_default());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Signed in through the proxy; every following request, whichever instance takes it, is served.
    let signed: Value = client
        .post(format!("{proxy}/api/v1/auth/sign-in"))
        .json(&json!({"email": "agency_admin@org-a.test", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = signed["access_token"].as_str().unwrap().to_owned();
    for _ in 0..10 {
        assert_eq!(client.get(format!("{proxy}/api/v1/me")).bearer_auth(&token).send().await.unwrap().status(), 200);
    }
    for base in [&app.base, &second] {
        let metrics = client.get(format!("{base}/metrics")).send().await.unwrap().text().await.unwrap();
        assert!(metrics.contains("route=\"/api/v1/me\""), "round robin reached {base} too");
    }

    // A service written through the proxy is found by search on each instance within a second.
    let body = json!({"name": "Harbourside night shelter", "description": "Beds.", "category_ids": [app.fixture.housing]});
    let created = client.post(format!("{proxy}/api/v1/organizations/{}/services", app.fixture.org_a)).bearer_auth(&token).json(&body).send().await.unwrap();
    assert_eq!(created.status(), 201);
    let written = Instant::now();
    let worker = app.token(Role::OutreachWorker, 'b').await;
    for base in [&app.base, &second] {
        loop {
            let found: Value = client.get(format!("{base}/api/v1/services/search?q=harbourside")).bearer_auth(&worker).send().await.unwrap().json().await.unwrap();
            if found["page"]["total_items"].as_u64().unwrap_or(found["total_items"].as_u64().unwrap_or(0)) >= 1 {
                break;
            }
            assert!(written.elapsed() < Duration::from_millis(1500), "{base} did not find the new service within a second: {found}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
    nginx.kill().await.unwrap();
    std::fs::remove_dir_all(folder).unwrap();
}
