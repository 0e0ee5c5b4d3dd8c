//! Building the application: routes, extractor settings, middleware, and the server.

use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, Server, ServiceRequest, ServiceResponse};
use actix_web::error::{JsonPayloadError, QueryPayloadError, UrlencodedError};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{from_fn, Compress, ErrorHandlers};
use actix_web::{web, App, HttpRequest, HttpResponse, HttpServer};
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

use crate::config::Settings;
use crate::db::Db;
use crate::error::{finish_problem, ApiError};
use crate::state::AppState;
use crate::{api_clients, audit, auth, consent, dashboards, directory, health, organizations, participants, referrals, users, webhooks};

/// The largest consent body: a 5 MB evidence file in base64, and the rest.
const CONSENT_BODY_BYTES: usize = consent::evidence::MAX_EVIDENCE_BYTES / 3 * 4 + 64 * 1024;

/// Every documented route. The server and the OpenAPI generator both use this.
pub fn routes(cfg: &mut ServiceConfig<'_>) {
    cfg.service(health::live).service(health::ready).service(crate::metrics::metrics).service(
        scope("/api/v1")
            .service(directory::handlers::api_root)
            .service(auth::handlers::sign_in)
            .service(auth::handlers::refresh)
            .service(auth::handlers::sign_out)
            .service(auth::handlers::client_token)
            .service(auth::handlers::get_me)
            .service(auth::handlers::change_password)
            .service(health::instance)
            .service(organizations::handlers::list_organizations)
            .service(organizations::handlers::get_organization)
            .service(organizations::handlers::create_organization)
            .service(organizations::handlers::update_organization)
            .service(users::handlers::list_users)
            .service(users::handlers::create_user)
            .service(users::handlers::deactivate_user)
            .service(users::handlers::reset_password)
            .service(api_clients::handlers::list_api_clients)
            .service(api_clients::handlers::create_api_client)
            .service(api_clients::handlers::revoke_api_client)
            .service(directory::handlers::search_services)
            .service(directory::handlers::list_services)
            .service(directory::handlers::get_service)
            .service(directory::handlers::create_service)
            .service(directory::handlers::update_service)
            .service(directory::handlers::set_capacity)
            .service(directory::handlers::list_locations)
            .service(directory::handlers::create_location)
            .service(directory::handlers::update_location)
            .service(directory::handlers::list_taxonomy_terms)
            .service(directory::handlers::get_taxonomy_term)
            .service(directory::handlers::list_regions)
            .service(directory::handlers::list_taxonomies)
            .service(directory::handlers::get_taxonomy)
            .service(directory::handlers::list_service_at_locations)
            .service(directory::handlers::get_service_at_location)
            .service(directory::handlers::verify_service)
            .service(directory::handlers::list_stale)
            .service(directory::handlers::create_taxonomy_term)
            .service(directory::handlers::update_taxonomy_term)
            .service(directory::handlers::create_region)
            .service(directory::handlers::update_region)
            .service(participants::handlers::create_participant)
            .service(participants::handlers::search_participants)
            .service(participants::handlers::get_participant)
            .service(participants::handlers::update_participant)
            .service(participants::handlers::list_participant_consents)
            .service(participants::handlers::disclosure_report)
            .service(consent::handlers::consent_statement)
            .service(
                // Consents carry their evidence file: a larger body than anywhere else.
                scope("/consents")
                    .app_data(web::JsonConfig::default().limit(CONSENT_BODY_BYTES).error_handler(json_error))
                    .service(consent::handlers::create_consent)
                    .service(consent::handlers::get_consent)
                    .service(consent::handlers::get_consent_evidence)
                    .service(consent::handlers::revoke_consent)
                    .default_service(web::to(unknown_api_route)),
            )
            .service(referrals::handlers::create_referral)
            .service(referrals::handlers::list_referrals)
            .service(referrals::handlers::referral_counts)
            .service(referrals::handlers::get_referral)
            .service(referrals::handlers::get_referral_fhir)
            .service(referrals::handlers::transition_referral)
            .service(referrals::handlers::assign_referral)
            .service(referrals::handlers::list_referral_messages)
            .service(referrals::handlers::post_referral_message)
            .service(webhooks::handlers::create_subscription)
            .service(webhooks::handlers::list_subscriptions)
            .service(webhooks::handlers::delete_subscription)
            .service(webhooks::handlers::list_deliveries)
            .service(audit::handlers::verify_audit)
            .service(audit::handlers::list_audit_events)
            .service(dashboards::handlers::funnel)
            .service(dashboards::handlers::response_times)
            .service(dashboards::handlers::declines)
            .service(dashboards::handlers::outcomes)
            .service(dashboards::handlers::overdue)
            .service(dashboards::handlers::trends)
            .service(dashboards::handlers::consents_expiring)
            .service(dashboards::handlers::coverage)
            .service(dashboards::handlers::stale_listings)
            .default_service(web::to(unknown_api_route)),
    );
}

/// Route macros register method-guarded resources, so a wrong method falls through
/// to here with a path that does exist: that is a 405, not a 404.
async fn unknown_api_route(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if req.resource_map().has_resource(req.path()) {
        Err(ApiError::MethodNotAllowed)
    } else {
        Err(ApiError::NotFound("there is no such endpoint".into()))
    }
}

/// serde's messages can quote the offending input, which might be participant data:
/// only a missing field's name is passed on.
fn json_error(err: JsonPayloadError, _: &HttpRequest) -> actix_web::Error {
    let api = match &err {
        JsonPayloadError::ContentType => ApiError::UnsupportedMediaType("send the body as application/json".into()),
        JsonPayloadError::Overflow { .. } | JsonPayloadError::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
        JsonPayloadError::Deserialize(e) if e.is_data() => match e.to_string().strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
            Some(field) => ApiError::Validation(vec![harbour_types::FieldError {
                pointer: format!("/{field}"),
                code: "required".into(),
                message: "is required".into(),
            }]),
            None => ApiError::Validation(vec![harbour_types::FieldError {
                pointer: String::new(),
                code: "type".into(),
                message: format!("a field has the wrong type or value (line {}, column {})", e.line(), e.column()),
            }]),
        },
        JsonPayloadError::Deserialize(e) => ApiError::BadRequest(format!("the body is not valid JSON (line {}, column {})", e.line(), e.column())),
        _ => ApiError::BadRequest("the body could not be read".into()),
    };
    api.into()
}

fn form_error(err: UrlencodedError, _: &HttpRequest) -> actix_web::Error {
    match err {
        UrlencodedError::ContentType => ApiError::UnsupportedMediaType("send the body as application/x-www-form-urlencoded".into()),
        UrlencodedError::Overflow { .. } => ApiError::PayloadTooLarge,
        _ => ApiError::BadRequest("the form body is missing fields or malformed".into()),
    }
    .into()
}

fn query_error(_: QueryPayloadError, _: &HttpRequest) -> actix_web::Error {
    ApiError::BadRequest("the query string is not valid".into()).into()
}

/// The codings a client accepts (`Accept-Encoding`), without those it refuses (`q=0`).
fn accepted_codings(req: &HttpRequest) -> Vec<String> {
    let header = req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or_default();
    header
        .split(',')
        .filter_map(|part| {
            let mut fields = part.split(';').map(str::trim);
            let coding = fields.next()?.to_ascii_lowercase();
            let refused = fields.any(|f| f.strip_prefix("q=").and_then(|q| q.parse::<f32>().ok()) == Some(0.0));
            (!coding.is_empty() && !refused).then_some(coding)
        })
        .collect()
}

/// One of the SPA's assets. `cargo xtask build-web` writes a brotli (`.br`) and a gzip
/// (`.gz`) copy beside each, compressed once at settings far too slow for each request:
/// a phone that accepts brotli downloads about 40% less than with on-the-fly gzip.
async fn asset(req: HttpRequest, path: web::Path<(String, String)>) -> Result<HttpResponse, ApiError> {
    let not_found = || ApiError::NotFound("no such asset".into());
    let (build, file) = path.into_inner();
    // Plain names only: nothing may climb out of the assets folder.
    if [&build, &file].iter().any(|part| part.starts_with('.') || part.contains(['/', '\\'])) {
        return Err(not_found());
    }
    let web_dir = req.app_data::<web::Data<AppState>>().map(|s| s.settings.web_dir.clone()).ok_or_else(not_found)?;
    let plain = web_dir.join("assets").join(&build).join(&file);
    let codings = accepted_codings(&req);
    let variant = [("br", "br"), ("gzip", "gz")].into_iter().find_map(|(coding, suffix)| {
        let path = plain.with_file_name(format!("{file}.{suffix}"));
        (codings.iter().any(|c| c == coding) && path.is_file()).then_some((path, coding))
    });
    let mut response = match &variant {
        Some((path, _)) => {
            let extension = plain.extension().and_then(|e| e.to_str()).unwrap_or_default();
            NamedFile::open_async(path).await.map_err(|_| not_found())?.set_content_type(actix_files::file_extension_to_mime(extension)).disable_content_disposition().into_response(&req)
        }
        None => NamedFile::open_async(plain).await.map_err(|_| not_found())?.disable_content_disposition().into_response(&req),
    };
    let headers = response.headers_mut();
    if let Some((_, coding)) = variant {
        // Set as a header, the body passes the compression middleware untouched.
        headers.insert(header::CONTENT_ENCODING, HeaderValue::from_static(coding));
    }
    headers.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    Ok(response)
}

/// Serves index.html for client-side routes, so a reload on `/settings` works. A missing
/// file (a name with an extension, such as a browser's `/favicon.ico`) is a 404, not the
/// app's page under a wrong name.
async fn spa_fallback(req: ServiceRequest) -> Result<ServiceResponse, actix_web::Error> {
    let (req, _) = req.into_parts();
    let file_name = req.path().rsplit('/').next().unwrap_or_default();
    let index = req.app_data::<web::Data<AppState>>().filter(|_| !file_name.contains('.')).map(|s| s.settings.web_dir.join("index.html"));
    let response = match index.map(NamedFile::open_async) {
        Some(open) => match open.await {
            Ok(file) => file.into_response(&req),
            Err(_) => actix_web::ResponseError::error_response(&ApiError::NotFound("the app is not built".into())),
        },
        None => actix_web::ResponseError::error_response(&ApiError::NotFound("not found".into())),
    };
    Ok(ServiceResponse::new(req, response))
}

/// Other instances and commands (a second API instance, `import-hsds`) change the
/// directory too: follow its revision and bring search up to date when it moves, until stopped.
fn spawn_directory_watcher(state: web::Data<AppState>, every: std::time::Duration, stopped: Arc<AtomicBool>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            if let Err(e) = state.search.catch_up(&state.db, &state.settings.time_zone).await {
                tracing::warn!(error = %e, "checking the directory for changes failed");
            }
        }
    });
}

/// Sends due webhook deliveries, on every instance (claims keep them from colliding).
fn spawn_webhook_dispatcher(state: web::Data<AppState>, stopped: Arc<AtomicBool>) {
    tokio::spawn(async move {
        let client = match reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).redirect(reqwest::redirect::Policy::none()).build() {
            Ok(client) => client,
            Err(e) => return tracing::error!(error = %e, "webhooks cannot be sent: no HTTP client"),
        };
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(state.settings.webhook_poll_ms));
        loop {
            tick.tick().await;
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            if let Err(e) = crate::webhooks::dispatch::run_once(&state, &client).await {
                tracing::warn!(error = %e, "sending webhooks failed");
            }
        }
    });
}

/// Expires unanswered referrals and reminds both sides of overdue ones (in the timeline,
/// and by e-mail when an SMTP server is configured), every `referral_sweep_ms`.
fn spawn_referral_sweeper(state: web::Data<AppState>, stopped: Arc<AtomicBool>) {
    tokio::spawn(async move {
        // Checked at start-up (`Settings::check`), so a failure here cannot happen.
        let mailer = crate::mail::Mailer::from_settings(&state.settings).ok().flatten();
        let mut tick = tokio::time::interval(std::time::Duration::from_millis(state.settings.referral_sweep_ms));
        loop {
            tick.tick().await;
            if stopped.load(Ordering::SeqCst) {
                break;
            }
            let expire_after = chrono::Duration::days(i64::from(state.settings.referral_expire_days));
            // A batch per transaction, until a batch is not full or the server is stopping
            // (the rest, if any, at the next tick or start).
            loop {
                let batch = crate::referrals::service::EXPIRY_BATCH;
                match state.db.transaction(move |conn| crate::referrals::service::expire_unanswered(conn, expire_after, batch)).await {
                    Ok(count) => {
                        if count > 0 {
                            tracing::info!(count, "expired unanswered referrals");
                        }
                        if i64::try_from(count).unwrap_or(i64::MAX) < batch || stopped.load(Ordering::SeqCst) {
                            break;
                        }
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "expiring unanswered referrals failed");
                        break;
                    }
                }
            }
            let reminders = match state.db.transaction(crate::referrals::service::claim_reminders).await {
                Ok(reminders) => reminders,
                Err(e) => {
                    tracing::warn!(error = %e, "finding overdue referrals failed");
                    continue;
                }
            };
            if let Some(mailer) = &mailer {
                for reminder in &reminders {
                    if let Err(e) = mailer.send_reminder(reminder).await {
                        tracing::warn!(error = %e, "a reminder e-mail was not sent");
                    }
                }
            }
        }
    });
}

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
        state.search.rebuild_now(&state.db, &state.settings.time_zone).map_err(|e| std::io::Error::other(e.to_string()))?;
        let stopped = Arc::new(AtomicBool::new(false));
        spawn_directory_watcher(state.clone(), poll_every, Arc::clone(&stopped));
        spawn_referral_sweeper(state.clone(), Arc::clone(&stopped));
        spawn_webhook_dispatcher(state.clone(), Arc::clone(&stopped));
        let cors_origins = state.settings.cors_origins.clone();
        let server = HttpServer::new(move || {
            let (app, _) = App::new()
                .app_data(state.clone())
                .app_data(web::JsonConfig::default().limit(max_body).error_handler(json_error))
                .app_data(web::FormConfig::default().limit(max_body).error_handler(form_error))
                .app_data(web::QueryConfig::default().error_handler(query_error))
                .app_data(web::PayloadConfig::default().limit(max_body))
                .service(SwaggerUi::new("/docs/{_:.*}").url("/api/v1/openapi.json", openapi.clone()))
                .route("/docs", web::get().to(|| async { HttpResponse::PermanentRedirect().insert_header(("Location", "/docs/")).finish() }))
                .into_utoipa_app()
                .configure(routes)
                .split_for_parts();
            let app = if serve_spa {
                app.route("/assets/{build}/{file}", web::get().to(asset)).service(Files::new("/", &web_dir).index_file("index.html").default_handler(fn_service(spa_fallback)))
            } else {
                app.default_service(web::to(unknown_api_route))
            };
            // Inside the error handlers, so that its own refusals become problem details too.
            app.wrap(from_fn(crate::idempotency::idempotency))
                .wrap(from_fn(crate::rate_limit::limit))
                .wrap(ErrorHandlers::new().default_handler(finish_problem))
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
