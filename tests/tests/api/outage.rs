//! The database going away: the API answers 503 problems (not 500s, not hangs), stays
//! alive, and recovers by itself when the database is back. PostgreSQL only: the server
//! reaches it through a TCP relay that the test cuts and restores.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use harbour::db::Backend;
use harbour_tests::{problem, TestApp};
use harbour_types::Role;
use reqwest::Method;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// Relays TCP connections from a local port to PostgreSQL until cut.
struct Relay {
    port: u16,
    upstream: String,
    tasks: Arc<Mutex<Vec<JoinHandle<()>>>>,
}

impl Relay {
    async fn start(upstream: String) -> Relay {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let relay = Relay { port: listener.local_addr().unwrap().port(), upstream, tasks: Arc::default() };
        relay.serve(listener);
        relay
    }

    fn serve(&self, listener: TcpListener) {
        let (upstream, tasks) = (self.upstream.clone(), Arc::clone(&self.tasks));
        let accepting = tokio::spawn(async move {
            while let Ok((mut client, _)) = listener.accept().await {
                let upstream = upstream.clone();
                let piping = tokio::spawn(async move {
                    if let Ok(mut server) = TcpStream::connect(&upstream).await {
                        let _ = tokio::io::copy_bidirectional(&mut client, &mut server).await;
                    }
                });
                tasks.lock().unwrap().push(piping);
            }
        });
        self.tasks.lock().unwrap().push(accepting);
    }

    /// The database is gone: open connections drop, new ones are refused. Waits until the
    /// aborted tasks are dropped: on a busy machine the listener outlived `abort()` and
    /// `restore` found its port still taken.
    async fn cut(&self) {
        let tasks: Vec<JoinHandle<()>> = self.tasks.lock().unwrap().drain(..).collect();
        for task in tasks {
            task.abort();
            let _ = task.await;
        }
    }

    /// The database is back, on the same address.
    async fn restore(&self) {
        let listener = TcpListener::bind(("127.0.0.1", self.port)).await.unwrap();
        self.serve(listener);
    }
}

/// `host:port` of a PostgreSQL URL, and the URL with them replaced by `replacement`.
fn reroute(url: &str, replacement: &str) -> (String, String) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let start = url[after_scheme..].find('@').map_or(after_scheme, |i| after_scheme + i + 1);
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    (url[start..end].to_owned(), format!("{}{replacement}{}", &url[..start], &url[end..]))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_outage_gives_503s_and_the_api_recovers_by_itself() {
    let admin_url = std::env::var("HARBOUR_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
    let relay = Relay::start(reroute(&admin_url, "").0).await;
    let through = format!("127.0.0.1:{}", relay.port);
    let app = TestApp::spawn_with(Backend::Postgres, |settings| settings.database_url = reroute(&settings.database_url, &through).1).await;
    let token = app.token(Role::OutreachWorker, 'a').await;
    assert_eq!(app.get("/api/v1/referrals", &token).await.status(), 200);

    relay.cut().await;
    let asked = Instant::now();
    let down = problem(app.get("/api/v1/referrals", &token).await, 503).await;
    assert_eq!(down["code"], "unavailable");
    assert!(asked.elapsed() < Duration::from_secs(15), "answered, not hung: {:?}", asked.elapsed());
    assert!(!down.to_string().contains("127.0.0.1"), "the cause stays in the log: {down}");
    problem(app.request(Method::GET, "/health/ready").send().await.unwrap(), 503).await;
    assert_eq!(app.request(Method::GET, "/health/live").send().await.unwrap().status(), 200, "the process is alive");

    relay.restore().await;
    let back = Instant::now();
    loop {
        let status = app.get("/api/v1/referrals", &token).await.status();
        if status == 200 {
            break;
        }
        // Until its pooled connections are replaced, the API still says "unavailable",
        // never that it broke (a dead connection's "no connection to the server" was a 500).
        assert_eq!(status, 503, "while the database comes back");
        assert!(back.elapsed() < Duration::from_secs(30), "still {status} 30 s after the database came back");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(app.request(Method::GET, "/health/ready").send().await.unwrap().status(), 200);
}
