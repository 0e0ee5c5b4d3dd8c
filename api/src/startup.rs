//! The running server: its state, extractor settings and middleware, the routes, and
//! the background work of the modules that have some.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_files::Files;
use actix_web::dev::{fn_service, Server};
use actix_web::middleware::{from_fn, Compress, ErrorHandlers};
use actix_web::{web, App, HttpResponse, HttpServer};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::db::Db;
use crate::auth::{AccountCache, Throttle};
use crate::consent::service::SharedCopies;
use crate::dashboards::service::DirectoryFigures;
use crate::directory::search::DirectorySearch;
use crate::rate_limit::RateLimiter;
use crate::state::AppState;

/// A running server and the port it listens on.
pub struct Application {
    port: u16,
    server: Server,
    stopped: Arc<AtomicBool>,
}

/// Stops a server started by [`Application::build`], and its background work.
#[derive(Clone)]
pub struct Stopper {
    server: actix_web::dev::ServerHandle,
    stopped: Arc<AtomicBool>,
}

impl Stopper {
    /// Asks the server to stop (without waiting) and ends its background work.
    pub fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        // The returned future only reports completion; the stop is sent at once.
        drop(self.server.stop(false));
    }
}

impl Application {
    /// Binds the listener and builds the server; it does not run until awaited.
    pub fn build(settings: Settings, db: Db) -> std::io::Result<Application> {
        let listener = TcpListener::bind(&settings.listen)?;
        let port = listener.local_addr()?.port();
        let workers = settings.workers;
        let max_body = settings.max_body_bytes;
        let web_dir = settings.web_dir.clone();
        let serve_spa = web_dir.join("index.html").is_file();
        if !serve_spa {
            tracing::warn!(web_dir = %web_dir.display(), "the SPA is not built here; serving the API only");
        }
        let openapi = crate::openapi::document();
        let poll_every = std::time::Duration::from_millis(settings.directory_poll_ms.max(100));
        let state = web::Data::new(AppState::new(settings, db));
        // Each module's own shared state, beside the infrastructure's (see `state`).
        let search = web::Data::new(DirectorySearch::default());
        let directory_figures = web::Data::new(DirectoryFigures::default());
        let recent_accounts = web::Data::new(AccountCache::default());
        let throttle = web::Data::new(Throttle::default());
        let rate_limiter = web::Data::new(RateLimiter::default());
        let shared_copies = web::Data::new(SharedCopies { redact_under: vec![crate::referrals::service::redact_under] });
        let allowed_methods = web::Data::new(crate::openapi::allowed_methods());
        search.rebuild_now(&state.db, &state.settings.time_zone).map_err(|e| std::io::Error::other(e.to_string()))?;
        let stopped = Arc::new(AtomicBool::new(false));
        crate::directory::search::spawn_watcher(state.clone(), search.clone(), poll_every, Arc::clone(&stopped));
        crate::referrals::sweep::spawn(state.clone(), Arc::clone(&stopped));
        crate::webhooks::dispatch::spawn(state.clone(), Arc::clone(&stopped));
        crate::safety_plans::sweep::spawn(state.clone(), Arc::clone(&stopped), vec![crate::plans::service::claim_due_reviews, crate::conferences::service::claim_due_actions]);
        crate::audit::checkpoint::spawn(state.clone(), Arc::clone(&stopped));
        crate::erasure::retention::spawn(state.clone(), Arc::clone(&stopped));
        let cors_origins = state.settings.cors_origins.clone();
        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .app_data(state.clone())
                .app_data(allowed_methods.clone())
                .app_data(search.clone())
                .app_data(directory_figures.clone())
                .app_data(recent_accounts.clone())
                .app_data(throttle.clone())
                .app_data(rate_limiter.clone())
                .app_data(shared_copies.clone())
                .app_data(web::JsonConfig::default().limit(max_body).error_handler(crate::http::json_error))
                .app_data(web::FormConfig::default().limit(max_body).error_handler(crate::http::form_error))
                .app_data(web::QueryConfig::default().error_handler(crate::http::query_error))
                .app_data(web::PayloadConfig::default().limit(max_body))
                .service(SwaggerUi::new("/docs/{_:.*}").url("/api/v1/openapi.json", openapi.clone()))
                .route("/docs", web::get().to(|| async { HttpResponse::PermanentRedirect().insert_header(("Location", "/docs/")).finish() }))
                .into_utoipa_app()
                .configure(crate::routes::routes)
                .split_for_parts();
            let app = if serve_spa {
                app.route("/assets/{build}/{file}", web::get().to(crate::spa::asset)).service(Files::new("/", &web_dir).index_file("index.html").default_handler(fn_service(crate::spa::spa_fallback)))
            } else {
                app.default_service(web::to(crate::http::unknown_route))
            };
            // Inside the error handlers, so that its own refusals become problem details too.
            app.wrap(from_fn(crate::idempotency::idempotency))
                .wrap(from_fn(crate::rate_limit::limit))
                .wrap(ErrorHandlers::new().default_handler(crate::http::finish_problem))
                // Outside the error handlers, so that problem responses carry CORS headers too.
                .wrap(crate::http::cors(&cors_origins))
                .wrap(from_fn(crate::http::request_context))
                .wrap(Compress::default())
        });
        let server = if workers > 0 { server.workers(workers) } else { server };
        let server = server.shutdown_timeout(20).listen(listener)?.run();
        Ok(Application { port, server, stopped })
    }

    /// A handle that stops this server and its background work.
    pub fn stopper(&self) -> Stopper {
        Stopper { server: self.server.handle(), stopped: Arc::clone(&self.stopped) }
    }

    /// The port bound (useful when asked for port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until stopped; SIGTERM and SIGINT stop it gracefully, letting requests finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}
