//! Settings, loaded once in `main` and passed in: defaults that suit a laptop, then an
//! optional TOML file (`HARBOUR_CONFIG`, or `harbour.toml` in the working directory),
//! then environment variables (`HARBOUR_*` and `DATABASE_URL`).

use std::path::PathBuf;

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;

/// The signing secret used when none is configured. Refused in production.
pub const DEVELOPMENT_JWT_SECRET: &str = "harbour-development-signing-secret-do-not-use-in-production";
/// The encryption key (base64 of 32 bytes) used when none is configured. Refused in production.
pub const DEVELOPMENT_ENCRYPTION_KEY: &str = "aGFyYm91ci1kZXZlbG9wbWVudC1rZXktMzItYnl0ZXM=";

/// Whether the instance runs for development or for real.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Development secrets allowed; the refresh cookie is still `Secure` (browsers accept it on localhost).
    Development,
    /// Refuses to start with development secrets.
    Production,
}

/// Everything Harbour can be configured with.
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// `development` or `production`.
    pub mode: Mode,
    /// The address to listen on.
    pub listen: String,
    /// `sqlite://path` (or a plain path), or `postgres://…`.
    pub database_url: String,
    /// Connections in the database pool.
    pub database_pool_size: u32,
    /// HTTP worker threads; 0 means one per core.
    pub workers: usize,
    /// The folder holding the built SPA (index.html and assets).
    pub web_dir: PathBuf,
    /// The JWT signing secret (HS256), at least 32 bytes.
    pub jwt_secret: SecretString,
    /// The key id stamped on new tokens, so keys can rotate.
    pub jwt_key_id: String,
    /// Earlier keys still accepted for verification, as `kid:secret` pairs.
    pub jwt_previous_keys: Vec<String>,
    /// The `iss` and `aud` claim of access tokens.
    pub jwt_issuer: String,
    /// Lifetime of an access token, in seconds.
    pub access_token_ttl_seconds: u64,
    /// Lifetime of a refresh token, in seconds (a night's shift by default).
    pub refresh_token_ttl_seconds: u64,
    /// The base64 of a 32-byte key encrypting participant identity fields at rest.
    pub encryption_key: SecretString,
    /// The id stamped on values sealed with `encryption_key`, so keys can rotate.
    pub encryption_key_id: String,
    /// Earlier encryption keys, still opening values sealed before a rotation, as
    /// `kid:base64key` pairs. `harbour keys rotate` re-seals everything under the
    /// current key, after which they can be removed.
    pub encryption_previous_keys: Vec<String>,
    /// How long a consent lasts when the worker does not say, in days.
    pub consent_term_days: u32,
    /// Minutes the receiving side has to answer an emergency referral before it is overdue.
    pub due_emergency_minutes: u32,
    /// … a same-day referral.
    pub due_same_day_minutes: u32,
    /// … a "soon" referral.
    pub due_soon_minutes: u32,
    /// … a routine referral.
    pub due_routine_minutes: u32,
    /// Days after which a referral nobody answered expires.
    pub referral_expire_days: u32,
    /// How often each instance expires unanswered referrals and sends overdue reminders, in milliseconds.
    pub referral_sweep_ms: u64,
    /// How often each instance reminds primary contacts of safety plans due for review, in milliseconds.
    pub review_sweep_ms: u64,
    /// The SMTP server for reminders (`smtp://user:pass@host:587?tls=required`,
    /// `smtps://…`); none sends no e-mail (reminders stay in the app).
    pub smtp_url: Option<String>,
    /// The sender of Harbour's e-mail.
    pub smtp_from: String,
    /// Harbour's address as users reach it, for links in e-mail.
    pub public_url: String,
    /// API requests each caller may make per minute (0: no limit).
    pub rate_limit_per_minute: u32,
    /// When set, `/metrics` asks for it as a bearer token.
    pub metrics_token: Option<SecretString>,
    /// Web origins (`https://partner.example`) whose pages may call the API from a browser
    /// (CORS); none by default: the app is served from Harbour's own origin.
    pub cors_origins: Vec<String>,
    /// Attempts at a webhook delivery before it is marked failed.
    pub webhook_max_attempts: i32,
    /// The first retry's delay, in milliseconds; each further one doubles (plus jitter).
    pub webhook_retry_base_ms: u64,
    /// How often each instance looks for due webhook deliveries, in milliseconds.
    pub webhook_poll_ms: u64,
    /// The partnership this instance serves.
    pub partnership_name: String,
    /// Where quick exit sends the browser.
    pub quick_exit_url: String,
    /// The partnership's time zone (IANA name): opening hours are local to it.
    pub time_zone: String,
    /// A listing not verified for this many days is stale.
    pub stale_after_days: u32,
    /// How often, in milliseconds, an audit checkpoint is taken and handed to its witnesses.
    pub audit_checkpoint_ms: u64,
    /// A folder each audit checkpoint is written to, as a new file.
    pub audit_checkpoint_dir: Option<std::path::PathBuf>,
    /// A URL each audit checkpoint is posted to (Standard Webhooks, signed with the secret).
    pub audit_checkpoint_webhook_url: Option<String>,
    pub audit_checkpoint_webhook_secret: Option<SecretString>,
    /// Whether each audit checkpoint is e-mailed to the system admins (needs SMTP).
    pub audit_checkpoint_email: bool,
    /// A file each erasure is appended to (a signed line of ids and codes), outside the
    /// database: `harbour restore` re-applies what a restored backup lacks from it.
    pub erasure_ledger: Option<std::path::PathBuf>,
    /// A participant with no activity for this many years is erased by the retention
    /// sweep, after a notice to their primary contact (0: never).
    pub retention_inactive_years: u32,
    /// How many days before that erasure the notice goes out.
    pub retention_notice_days: u32,
    /// A consent's evidence file is deleted this many days after the consent ended.
    pub retention_evidence_days: u32,
    /// A closed referral's snapshot of the participant is dropped this many days after it closed.
    pub retention_snapshot_days: u32,
    /// How often, in milliseconds, the retention sweep runs.
    pub retention_sweep_ms: u64,
    /// `harbour audit prune` removes audit events older than this many years (0: none).
    pub retention_audit_years: u32,
    /// The privacy budget ε of each released dashboard count (`dashboards::release`):
    /// lower hides more and blurs more.
    pub dashboard_epsilon: f64,
    /// How often, in milliseconds, to look for directory changes made by other instances.
    pub directory_poll_ms: u64,
    /// How long, in milliseconds, an instance may rely on a user or API client it read
    /// (see `auth::principal::AccountCache`); 0 reads the database on every request.
    pub account_cache_ms: u64,
    /// Whether anyone may read the directory without signing in (confidential and
    /// partners-only places stay hidden from them).
    pub public_directory: bool,
    /// The password of demo users; generated and printed when empty.
    pub demo_password: Option<SecretString>,
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            mode: Mode::Development,
            listen: "127.0.0.1:8080".into(),
            database_url: "sqlite://data/harbour.db".into(),
            database_pool_size: 8,
            workers: 0,
            web_dir: PathBuf::from("web/dist"),
            jwt_secret: DEVELOPMENT_JWT_SECRET.into(),
            jwt_key_id: "dev-1".into(),
            jwt_previous_keys: Vec::new(),
            jwt_issuer: "harbour".into(),
            access_token_ttl_seconds: 15 * 60,
            refresh_token_ttl_seconds: 12 * 60 * 60,
            encryption_key: DEVELOPMENT_ENCRYPTION_KEY.into(),
            encryption_key_id: "dev-1".into(),
            encryption_previous_keys: Vec::new(),
            consent_term_days: 365,
            due_emergency_minutes: 60,
            due_same_day_minutes: 8 * 60,
            due_soon_minutes: 2 * 24 * 60,
            due_routine_minutes: 5 * 24 * 60,
            referral_expire_days: 14,
            referral_sweep_ms: 60_000,
            review_sweep_ms: 300_000,
            smtp_url: None,
            smtp_from: "Harbour <harbour@localhost>".into(),
            public_url: "http://127.0.0.1:8080".into(),
            cors_origins: Vec::new(),
            metrics_token: None,
            rate_limit_per_minute: 600,
            webhook_max_attempts: 8,
            webhook_retry_base_ms: 10_000,
            webhook_poll_ms: 1000,
            partnership_name: "TESS Partnership".into(),
            quick_exit_url: "https://www.theweathernetwork.com/".into(),
            time_zone: "America/Halifax".into(),
            stale_after_days: 180,
            dashboard_epsilon: 1.0,
            audit_checkpoint_ms: 3_600_000,
            audit_checkpoint_dir: None,
            audit_checkpoint_webhook_url: None,
            audit_checkpoint_webhook_secret: None,
            audit_checkpoint_email: false,
            erasure_ledger: None,
            retention_inactive_years: 7,
            retention_notice_days: 30,
            retention_evidence_days: 730,
            retention_snapshot_days: 180,
            retention_sweep_ms: 3_600_000,
            retention_audit_years: 10,
            public_directory: false,
            directory_poll_ms: 1000,
            account_cache_ms: 1000,
            demo_password: None,
            max_body_bytes: 256 * 1024,
        }
    }
}

/// Why settings could not be loaded.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The TOML file could not be read.
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    /// The TOML file is not valid.
    #[error("{path} is not valid: {source}")]
    Parse { path: String, source: toml::de::Error },
    /// An environment variable holds a value of the wrong kind.
    #[error("{name} is not valid: {reason}")]
    Env { name: &'static str, reason: String },
    /// A setting is unsafe or inconsistent.
    #[error("{0}")]
    Invalid(String),
}

impl Settings {
    /// Loads defaults, then the TOML file, then the environment, and checks the result.
    pub fn load() -> Result<Settings, ConfigError> {
        let explicit = std::env::var("HARBOUR_CONFIG").ok();
        let path = explicit.clone().unwrap_or_else(|| "harbour.toml".into());
        let mut settings = match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|source| ConfigError::Parse { path: path.clone(), source })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && explicit.is_none() => Settings::default(),
            Err(source) => return Err(ConfigError::Read { path, source }),
        };
        settings.apply_env(|name| std::env::var(name).ok())?;
        settings.check()?;
        Ok(settings)
    }

    /// Overlays environment variables, read through `var` so tests can supply their own.
    pub fn apply_env(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), ConfigError> {
        fn number<T: std::str::FromStr>(name: &'static str, value: String) -> Result<T, ConfigError> {
            value.parse().map_err(|_| ConfigError::Env { name, reason: format!("`{value}` is not a number") })
        }
        fn boolean(name: &'static str, value: &str) -> Result<bool, ConfigError> {
            match value {
                "true" | "1" | "yes" => Ok(true),
                "false" | "0" | "no" => Ok(false),
                _ => Err(ConfigError::Env { name, reason: "use true or false".into() }),
            }
        }
        if let Some(v) = var("HARBOUR_MODE") {
            self.mode = match v.as_str() {
                "development" => Mode::Development,
                "production" => Mode::Production,
                _ => return Err(ConfigError::Env { name: "HARBOUR_MODE", reason: "use development or production".into() }),
            };
        }
        if let Some(v) = var("HARBOUR_LISTEN") { self.listen = v; }
        if let Some(v) = var("DATABASE_URL").or_else(|| var("HARBOUR_DATABASE_URL")) { self.database_url = v; }
        if let Some(v) = var("HARBOUR_DATABASE_POOL_SIZE") { self.database_pool_size = number("HARBOUR_DATABASE_POOL_SIZE", v)?; }
        if let Some(v) = var("HARBOUR_WORKERS") { self.workers = number("HARBOUR_WORKERS", v)?; }
        if let Some(v) = var("HARBOUR_WEB_DIR") { self.web_dir = v.into(); }
        if let Some(v) = var("HARBOUR_JWT_SECRET") { self.jwt_secret = v.into(); }
        if let Some(v) = var("HARBOUR_JWT_KEY_ID") { self.jwt_key_id = v; }
        if let Some(v) = var("HARBOUR_JWT_PREVIOUS_KEYS") {
            self.jwt_previous_keys = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        }
        if let Some(v) = var("HARBOUR_ENCRYPTION_KEY") { self.encryption_key = v.into(); }
        if let Some(v) = var("HARBOUR_ENCRYPTION_KEY_ID") { self.encryption_key_id = v; }
        if let Some(v) = var("HARBOUR_ENCRYPTION_PREVIOUS_KEYS") {
            self.encryption_previous_keys = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        }
        if let Some(v) = var("HARBOUR_DUE_EMERGENCY_MINUTES") { self.due_emergency_minutes = number("HARBOUR_DUE_EMERGENCY_MINUTES", v)?; }
        if let Some(v) = var("HARBOUR_DUE_SAME_DAY_MINUTES") { self.due_same_day_minutes = number("HARBOUR_DUE_SAME_DAY_MINUTES", v)?; }
        if let Some(v) = var("HARBOUR_DUE_SOON_MINUTES") { self.due_soon_minutes = number("HARBOUR_DUE_SOON_MINUTES", v)?; }
        if let Some(v) = var("HARBOUR_DUE_ROUTINE_MINUTES") { self.due_routine_minutes = number("HARBOUR_DUE_ROUTINE_MINUTES", v)?; }
        if let Some(v) = var("HARBOUR_WEBHOOK_MAX_ATTEMPTS") { self.webhook_max_attempts = number("HARBOUR_WEBHOOK_MAX_ATTEMPTS", v)?; }
        if let Some(v) = var("HARBOUR_WEBHOOK_RETRY_BASE_MS") { self.webhook_retry_base_ms = number("HARBOUR_WEBHOOK_RETRY_BASE_MS", v)?; }
        if let Some(v) = var("HARBOUR_WEBHOOK_POLL_MS") { self.webhook_poll_ms = number("HARBOUR_WEBHOOK_POLL_MS", v)?; }
        if let Some(v) = var("HARBOUR_REFERRAL_SWEEP_MS") { self.referral_sweep_ms = number("HARBOUR_REFERRAL_SWEEP_MS", v)?; }
        if let Some(v) = var("HARBOUR_REVIEW_SWEEP_MS") { self.review_sweep_ms = number("HARBOUR_REVIEW_SWEEP_MS", v)?; }
        if let Some(v) = var("HARBOUR_SMTP_URL") { self.smtp_url = Some(v).filter(|v| !v.is_empty()); }
        if let Some(v) = var("HARBOUR_SMTP_FROM") { self.smtp_from = v; }
        if let Some(v) = var("HARBOUR_PUBLIC_URL") { self.public_url = v; }
        if let Some(v) = var("HARBOUR_RATE_LIMIT_PER_MINUTE") { self.rate_limit_per_minute = number("HARBOUR_RATE_LIMIT_PER_MINUTE", v)?; }
        if let Some(v) = var("HARBOUR_METRICS_TOKEN") { self.metrics_token = Some(v).filter(|t| !t.is_empty()).map(SecretString::from); }
        if let Some(v) = var("HARBOUR_CORS_ORIGINS") {
            self.cors_origins = v.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        }
        if let Some(v) = var("HARBOUR_REFERRAL_EXPIRE_DAYS") { self.referral_expire_days = number("HARBOUR_REFERRAL_EXPIRE_DAYS", v)?; }
        if let Some(v) = var("HARBOUR_CONSENT_TERM_DAYS") { self.consent_term_days = number("HARBOUR_CONSENT_TERM_DAYS", v)?; }
        if let Some(v) = var("HARBOUR_PARTNERSHIP_NAME") { self.partnership_name = v; }
        if let Some(v) = var("HARBOUR_QUICK_EXIT_URL") { self.quick_exit_url = v; }
        if let Some(v) = var("HARBOUR_TIME_ZONE") { self.time_zone = v; }
        if let Some(v) = var("HARBOUR_PUBLIC_DIRECTORY") { self.public_directory = boolean("HARBOUR_PUBLIC_DIRECTORY", &v)?; }
        if let Some(v) = var("HARBOUR_DIRECTORY_POLL_MS") { self.directory_poll_ms = number("HARBOUR_DIRECTORY_POLL_MS", v)?; }
        if let Some(v) = var("HARBOUR_ACCOUNT_CACHE_MS") { self.account_cache_ms = number("HARBOUR_ACCOUNT_CACHE_MS", v)?; }
        if let Some(v) = var("HARBOUR_STALE_AFTER_DAYS") { self.stale_after_days = number("HARBOUR_STALE_AFTER_DAYS", v)?; }
        if let Some(v) = var("HARBOUR_AUDIT_CHECKPOINT_MS") { self.audit_checkpoint_ms = number("HARBOUR_AUDIT_CHECKPOINT_MS", v)?; }
        if let Some(v) = var("HARBOUR_AUDIT_CHECKPOINT_DIR") { self.audit_checkpoint_dir = Some(v).filter(|v| !v.is_empty()).map(Into::into); }
        if let Some(v) = var("HARBOUR_AUDIT_CHECKPOINT_WEBHOOK_URL") { self.audit_checkpoint_webhook_url = Some(v).filter(|v| !v.is_empty()); }
        if let Some(v) = var("HARBOUR_AUDIT_CHECKPOINT_WEBHOOK_SECRET") { self.audit_checkpoint_webhook_secret = Some(v).filter(|v| !v.is_empty()).map(Into::into); }
        if let Some(v) = var("HARBOUR_AUDIT_CHECKPOINT_EMAIL") { self.audit_checkpoint_email = boolean("HARBOUR_AUDIT_CHECKPOINT_EMAIL", &v)?; }
        if let Some(v) = var("HARBOUR_ERASURE_LEDGER") { self.erasure_ledger = Some(v).filter(|v| !v.is_empty()).map(Into::into); }
        if let Some(v) = var("HARBOUR_RETENTION_INACTIVE_YEARS") { self.retention_inactive_years = number("HARBOUR_RETENTION_INACTIVE_YEARS", v)?; }
        if let Some(v) = var("HARBOUR_RETENTION_NOTICE_DAYS") { self.retention_notice_days = number("HARBOUR_RETENTION_NOTICE_DAYS", v)?; }
        if let Some(v) = var("HARBOUR_RETENTION_EVIDENCE_DAYS") { self.retention_evidence_days = number("HARBOUR_RETENTION_EVIDENCE_DAYS", v)?; }
        if let Some(v) = var("HARBOUR_RETENTION_SNAPSHOT_DAYS") { self.retention_snapshot_days = number("HARBOUR_RETENTION_SNAPSHOT_DAYS", v)?; }
        if let Some(v) = var("HARBOUR_RETENTION_SWEEP_MS") { self.retention_sweep_ms = number("HARBOUR_RETENTION_SWEEP_MS", v)?; }
        if let Some(v) = var("HARBOUR_RETENTION_AUDIT_YEARS") { self.retention_audit_years = number("HARBOUR_RETENTION_AUDIT_YEARS", v)?; }
        if let Some(v) = var("HARBOUR_DASHBOARD_EPSILON") { self.dashboard_epsilon = number("HARBOUR_DASHBOARD_EPSILON", v)?; }
        if let Some(v) = var("HARBOUR_DEMO_PASSWORD") { self.demo_password = Some(v.into()); }
        if let Some(v) = var("HARBOUR_ACCESS_TOKEN_TTL_SECONDS") { self.access_token_ttl_seconds = number("HARBOUR_ACCESS_TOKEN_TTL_SECONDS", v)?; }
        if let Some(v) = var("HARBOUR_REFRESH_TOKEN_TTL_SECONDS") { self.refresh_token_ttl_seconds = number("HARBOUR_REFRESH_TOKEN_TTL_SECONDS", v)?; }
        if let Some(v) = var("HARBOUR_MAX_BODY_BYTES") { self.max_body_bytes = number("HARBOUR_MAX_BODY_BYTES", v)?; }
        Ok(())
    }

    /// Refuses unsafe settings: short secrets always, development secrets in production.
    pub fn check(&self) -> Result<(), ConfigError> {
        if self.jwt_secret.expose_secret().len() < 32 {
            return Err(ConfigError::Invalid("HARBOUR_JWT_SECRET must be at least 32 bytes".into()));
        }
        for pair in &self.jwt_previous_keys {
            match pair.split_once(':') {
                Some((kid, secret)) if !kid.is_empty() && secret.len() >= 32 => {}
                _ => return Err(ConfigError::Invalid("HARBOUR_JWT_PREVIOUS_KEYS holds `kid:secret` pairs with secrets of at least 32 bytes".into())),
            }
        }
        if self.encryption_key_bytes().is_none() {
            return Err(ConfigError::Invalid("HARBOUR_ENCRYPTION_KEY must be the base64 of 32 bytes".into()));
        }
        let key_id_ok = |id: &str| !id.is_empty() && id.len() <= 32 && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if !key_id_ok(&self.encryption_key_id) {
            return Err(ConfigError::Invalid("HARBOUR_ENCRYPTION_KEY_ID must be 1 to 32 letters, digits, - or _".into()));
        }
        let previous = self.previous_encryption_keys();
        if previous.len() != self.encryption_previous_keys.len() || previous.iter().any(|(id, _)| !key_id_ok(id) || *id == self.encryption_key_id) {
            return Err(ConfigError::Invalid("HARBOUR_ENCRYPTION_PREVIOUS_KEYS holds `kid:base64key` pairs of 32-byte keys, with ids other than the current one".into()));
        }
        if [self.due_emergency_minutes, self.due_same_day_minutes, self.due_soon_minutes, self.due_routine_minutes].contains(&0) {
            return Err(ConfigError::Invalid("referral due times (HARBOUR_DUE_*_MINUTES) must be at least one minute".into()));
        }
        if !(1..=30).contains(&self.webhook_max_attempts) || self.webhook_retry_base_ms == 0 || self.webhook_poll_ms == 0 {
            return Err(ConfigError::Invalid("webhooks: HARBOUR_WEBHOOK_MAX_ATTEMPTS is 1 to 30, the retry base and poll interval above 0".into()));
        }
        if self.referral_sweep_ms == 0 || self.review_sweep_ms == 0 {
            return Err(ConfigError::Invalid("HARBOUR_REFERRAL_SWEEP_MS and HARBOUR_REVIEW_SWEEP_MS must be above 0".into()));
        }
        if let Err(e) = crate::mail::Mailer::new(self.smtp_url.as_deref(), &self.smtp_from, &self.public_url) {
            return Err(ConfigError::Invalid(e));
        }
        if self.retention_sweep_ms == 0 {
            return Err(ConfigError::Invalid("HARBOUR_RETENTION_SWEEP_MS must be above 0".into()));
        }
        if self.audit_checkpoint_ms == 0 {
            return Err(ConfigError::Invalid("HARBOUR_AUDIT_CHECKPOINT_MS must be above 0".into()));
        }
        if self.audit_checkpoint_webhook_url.is_some() && !self.audit_checkpoint_webhook_secret.as_ref().is_some_and(|s| s.expose_secret().starts_with("whsec_")) {
            return Err(ConfigError::Invalid("HARBOUR_AUDIT_CHECKPOINT_WEBHOOK_URL needs HARBOUR_AUDIT_CHECKPOINT_WEBHOOK_SECRET, a whsec_ secret".into()));
        }
        if !(self.dashboard_epsilon > 0.0 && self.dashboard_epsilon.is_finite()) {
            return Err(ConfigError::Invalid("HARBOUR_DASHBOARD_EPSILON must be a number above 0".into()));
        }
        if self.referral_expire_days == 0 {
            return Err(ConfigError::Invalid("HARBOUR_REFERRAL_EXPIRE_DAYS must be at least 1".into()));
        }
        if !(1..=3650).contains(&self.consent_term_days) {
            return Err(ConfigError::Invalid("HARBOUR_CONSENT_TERM_DAYS must be between 1 and 3650".into()));
        }
        if self.mode == Mode::Production {
            if self.jwt_secret.expose_secret() == DEVELOPMENT_JWT_SECRET {
                return Err(ConfigError::Invalid("refusing to start in production with the development signing secret: set HARBOUR_JWT_SECRET".into()));
            }
            if self.encryption_key.expose_secret() == DEVELOPMENT_ENCRYPTION_KEY {
                return Err(ConfigError::Invalid("refusing to start in production with the development encryption key: set HARBOUR_ENCRYPTION_KEY".into()));
            }
        }
        if let Some(bad) = self.cors_origins.iter().find(|o| !(o.starts_with("https://") || o.starts_with("http://")) || o.ends_with('/') || o.contains('*')) {
            return Err(ConfigError::Invalid(format!("HARBOUR_CORS_ORIGINS: `{bad}` is not an origin like https://partner.example (no path, no wildcard)")));
        }
        if self.time_zone.parse::<chrono_tz::Tz>().is_err() {
            return Err(ConfigError::Invalid(format!("HARBOUR_TIME_ZONE `{}` is not an IANA time zone", self.time_zone)));
        }
        if self.access_token_ttl_seconds == 0 || self.refresh_token_ttl_seconds <= self.access_token_ttl_seconds {
            return Err(ConfigError::Invalid("token lifetimes: the refresh token must outlive the access token".into()));
        }
        Ok(())
    }

    /// The first webhook retry's delay.
    pub fn webhook_retry_base(&self) -> std::time::Duration {
        std::time::Duration::from_millis(self.webhook_retry_base_ms)
    }

    /// How long the receiving side has to answer a referral of this urgency.
    pub fn due_after(&self, urgency: harbour_types::Urgency) -> chrono::Duration {
        let minutes = match urgency {
            harbour_types::Urgency::Emergency => self.due_emergency_minutes,
            harbour_types::Urgency::SameDay => self.due_same_day_minutes,
            harbour_types::Urgency::Soon => self.due_soon_minutes,
            harbour_types::Urgency::Routine => self.due_routine_minutes,
        };
        chrono::Duration::minutes(i64::from(minutes))
    }

    /// The decoded encryption key, if it is 32 bytes of base64.
    pub fn encryption_key_bytes(&self) -> Option<[u8; 32]> {
        decode_key(self.encryption_key.expose_secret())
    }

    /// The earlier keys that decode, with their ids.
    pub fn previous_encryption_keys(&self) -> Vec<(String, [u8; 32])> {
        self.encryption_previous_keys
            .iter()
            .filter_map(|pair| pair.split_once(':'))
            .filter_map(|(id, key)| Some((id.to_owned(), decode_key(key)?)))
            .collect()
    }
}

fn decode_key(text: &str) -> Option<[u8; 32]> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).ok()?.try_into().ok()
}
