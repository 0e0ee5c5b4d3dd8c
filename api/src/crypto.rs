//! Sealing participant data at rest: XChaCha20-Poly1305 with a key id, so keys rotate.
//!
//! A sealed value is `kid:base64(nonce || ciphertext)`. The associated data binds it to
//! its row and field (`participants/<id>/legal_name`), so a sealed value copied into
//! another row or field does not open. Nonces are random: 24 bytes leave no practical
//! chance of reuse under one key.

use std::collections::HashMap;

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chacha20poly1305::aead::{Aead, AeadCore, KeyInit, OsRng, Payload};
use chacha20poly1305::{XChaCha20Poly1305, XNonce};

use crate::config::Settings;

const NONCE_LEN: usize = 24;

/// Why a sealed value could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    /// The value is not in the sealed format.
    #[error("a sealed value is malformed")]
    Malformed,
    /// It was sealed under a key id this instance does not hold.
    #[error("a sealed value uses key `{0}`, which is not configured")]
    UnknownKey(String),
    /// The key or the associated data is wrong, or the value was altered.
    #[error("a sealed value does not authenticate: wrong key, wrong place, or altered")]
    Forged,
    /// It was sealed under a participant's own key, and that key was destroyed (erased).
    #[error("a sealed value belongs to an erased participant")]
    Erased,
}

/// What a value sealed under a [`DataKey`] starts with, in place of a keyring key id: a
/// `.` is not allowed in those, so the two never mix.
const DATA_KEY_PREFIX: &str = "pk.1";

/// The encryption keys: the current one seals, any of them opens. Each also gives a
/// signing key of its own (for audit checkpoints), so that signatures rotate with it.
#[derive(Clone)]
pub struct Keyring {
    current_id: String,
    ciphers: HashMap<String, XChaCha20Poly1305>,
    signing: HashMap<String, [u8; 32]>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Key material never reaches a log line.
        f.debug_struct("Keyring").field("current_id", &self.current_id).field("keys", &self.ciphers.len()).finish()
    }
}

impl Keyring {
    /// The keys named by the settings (checked by [`Settings::check`]).
    pub fn from_settings(settings: &Settings) -> Keyring {
        let mut ciphers = HashMap::new();
        let mut signing = HashMap::new();
        let keys = settings.previous_encryption_keys().into_iter().chain([(settings.encryption_key_id.clone(), settings.encryption_key_bytes().unwrap_or_default())]);
        for (id, key) in keys {
            ciphers.insert(id.clone(), XChaCha20Poly1305::new(&key.into()));
            signing.insert(id, mac(&key, SIGNING_LABEL));
        }
        Keyring { current_id: settings.encryption_key_id.clone(), ciphers, signing }
    }

    /// Signs `message` with the current key's signing key: its id and the hex HMAC-SHA256.
    pub fn sign(&self, message: &[u8]) -> (String, String) {
        let key = self.signing.get(&self.current_id).copied().unwrap_or_default();
        (self.current_id.clone(), hex(&mac(&key, message)))
    }

    /// Whether `signature` is `key_id`'s signature of `message`.
    pub fn verify_signature(&self, key_id: &str, message: &[u8], signature: &str) -> bool {
        self.signing.get(key_id).is_some_and(|key| constant_time_eq(hex(&mac(key, message)).as_bytes(), signature.as_bytes()))
    }

    /// The id of the key new values are sealed with.
    pub fn current_id(&self) -> &str {
        &self.current_id
    }

    /// Seals bytes for one place (`aad`).
    pub fn seal(&self, plaintext: &[u8], aad: &str) -> String {
        seal_with(&self.ciphers[&self.current_id], &self.current_id, plaintext, aad)
    }

    /// Opens a value sealed for `aad`.
    pub fn open(&self, sealed: &str, aad: &str) -> Result<Vec<u8>, CryptoError> {
        let (kid, body) = sealed.split_once(':').ok_or(CryptoError::Malformed)?;
        let cipher = self.ciphers.get(kid).ok_or_else(|| CryptoError::UnknownKey(kid.to_owned()))?;
        open_with(cipher, body, aad)
    }

    /// Seals an optional text.
    pub fn seal_text(&self, plaintext: Option<&str>, aad: &str) -> Option<String> {
        plaintext.map(|p| self.seal(p.as_bytes(), aad))
    }

    /// Opens an optional sealed text.
    pub fn open_text(&self, sealed: Option<&str>, aad: &str) -> Result<Option<String>, CryptoError> {
        sealed.map(|s| self.open(s, aad).and_then(|b| String::from_utf8(b).map_err(|_| CryptoError::Malformed))).transpose()
    }

    /// Whether a sealed value is under the current key already.
    pub fn is_current(&self, sealed: &str) -> bool {
        sealed.split_once(':').is_some_and(|(kid, _)| kid == self.current_id)
    }

    /// Opens a value and seals it again under the current key (for `harbour keys rotate`).
    pub fn reseal(&self, sealed: &str, aad: &str) -> Result<String, CryptoError> {
        Ok(self.seal(&self.open(sealed, aad)?, aad))
    }

    /// A new random data key, and the key sealed by this keyring for `aad` (to store).
    pub fn new_data_key(&self, aad: &str) -> (DataKey, String) {
        let key = XChaCha20Poly1305::generate_key(&mut OsRng);
        let sealed = self.seal(&key, aad);
        (DataKey(XChaCha20Poly1305::new(&key)), sealed)
    }

    /// Opens a data key stored sealed for `aad`.
    pub fn open_data_key(&self, sealed: &str, aad: &str) -> Result<DataKey, CryptoError> {
        let bytes = self.open(sealed, aad)?;
        let key: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::Malformed)?;
        Ok(DataKey(XChaCha20Poly1305::new(&key.into())))
    }
}

/// A key of one participant's own, stored sealed by the [`Keyring`]: destroying the
/// stored key makes everything sealed under it unreadable, in the database and in every
/// copy of it, while the keyring's own rotation only re-seals the small stored keys.
#[derive(Clone)]
pub struct DataKey(XChaCha20Poly1305);

impl std::fmt::Debug for DataKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DataKey")
    }
}

impl DataKey {
    /// Seals bytes for one place (`aad`): `pk.1:base64(nonce || ciphertext)`.
    pub fn seal(&self, plaintext: &[u8], aad: &str) -> String {
        seal_with(&self.0, DATA_KEY_PREFIX, plaintext, aad)
    }

    /// Opens a value this key sealed for `aad`.
    pub fn open(&self, sealed: &str, aad: &str) -> Result<Vec<u8>, CryptoError> {
        let body = sealed.strip_prefix(DATA_KEY_PREFIX).and_then(|rest| rest.strip_prefix(':')).ok_or(CryptoError::Malformed)?;
        open_with(&self.0, body, aad)
    }

    /// Whether a value is sealed under a data key (rather than the keyring itself, as
    /// values written before data keys were).
    pub fn sealed_by_data_key(sealed: &str) -> bool {
        sealed.split_once(':').is_some_and(|(prefix, _)| prefix == DATA_KEY_PREFIX)
    }
}

/// `prefix:base64(nonce || ciphertext)`, the nonce random.
fn seal_with(cipher: &XChaCha20Poly1305, prefix: &str, plaintext: &[u8], aad: &str) -> String {
    let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
    // Encryption only fails for inputs beyond 256 GiB; request bodies are far smaller.
    let ciphertext = cipher.encrypt(&nonce, Payload { msg: plaintext, aad: aad.as_bytes() }).unwrap_or_default();
    let mut packed = nonce.to_vec();
    packed.extend_from_slice(&ciphertext);
    format!("{prefix}:{}", STANDARD.encode(packed))
}

/// Opens the base64 part of a sealed value.
fn open_with(cipher: &XChaCha20Poly1305, body: &str, aad: &str) -> Result<Vec<u8>, CryptoError> {
    let packed = STANDARD.decode(body).map_err(|_| CryptoError::Malformed)?;
    if packed.len() < NONCE_LEN {
        return Err(CryptoError::Malformed);
    }
    let (nonce, ciphertext) = packed.split_at(NONCE_LEN);
    cipher.decrypt(XNonce::from_slice(nonce), Payload { msg: ciphertext, aad: aad.as_bytes() }).map_err(|_| CryptoError::Forged)
}

/// The Standard Webhooks signature: `v1,` and the base64 HMAC-SHA256, keyed with the
/// secret's bytes, over `id.timestamp.body` (for referral events and audit checkpoints).
pub fn webhook_signature(secret: &str, id: &str, timestamp: i64, body: &str) -> Option<String> {
    let key = STANDARD.decode(secret.strip_prefix("whsec_")?).ok()?;
    Some(format!("v1,{}", STANDARD.encode(mac(&key, format!("{id}.{timestamp}.{body}").as_bytes()))))
}

/// What a signing key is derived from its encryption key with: never the encryption key
/// itself, so no signature says anything about it.
const SIGNING_LABEL: &[u8] = b"harbour audit checkpoint signing key";

fn mac(key: &[u8], message: &[u8]) -> [u8; 32] {
    use hmac::{Hmac, Mac};
    // HMAC takes a key of any length.
    let mut mac = <Hmac<sha2::Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes a key of any length"));
    mac.update(message);
    mac.finalize().into_bytes().into()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets (or their hashes) without stopping at the first difference, so
/// the time taken does not tell how much of a guess was right.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyring(id: &str, key: [u8; 32], previous: &[(&str, [u8; 32])]) -> Keyring {
        let settings = Settings {
            encryption_key: STANDARD.encode(key).into(),
            encryption_key_id: id.into(),
            encryption_previous_keys: previous.iter().map(|(k, v)| format!("{k}:{}", STANDARD.encode(v))).collect(),
            ..Settings::default()
        };
        settings.check().expect("valid key settings");
        Keyring::from_settings(&settings)
    }

    #[test]
    fn signs_webhooks_like_the_standard_webhooks_reference() {
        // The example of the Standard Webhooks specification.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = r#"{"test": 2432232314}"#;
        assert_eq!(webhook_signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).as_deref(), Some("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="));
        assert!(webhook_signature("not-a-secret", "id", 1, body).is_none());
    }

    #[test]
    fn a_signature_is_checked_with_the_key_that_made_it_and_fails_on_any_change() {
        let old = keyring("k1", [1; 32], &[]);
        let (kid, signature) = old.sign(b"checkpoint");
        assert_eq!(kid, "k1");
        assert!(old.verify_signature("k1", b"checkpoint", &signature));
        assert!(!old.verify_signature("k1", b"checkpoinT", &signature));
        assert!(!old.verify_signature("k2", b"checkpoint", &signature));
        // After a rotation the old key still checks what it signed; the new one signs anew.
        let rotated = keyring("k2", [2; 32], &[("k1", [1; 32])]);
        assert!(rotated.verify_signature("k1", b"checkpoint", &signature));
        assert_ne!(rotated.sign(b"checkpoint").1, signature);
        assert!(!keyring("k1", [3; 32], &[]).verify_signature("k1", b"checkpoint", &signature), "another key of the same id");
    }

    #[test]
    fn seals_and_opens_only_in_the_same_place() {
        let ring = keyring("k1", [7; 32], &[]);
        let sealed = ring.seal(b"Jordan Example", "participants/1/legal_name");
        assert!(sealed.starts_with("k1:"));
        assert!(!sealed.contains("Jordan"));
        assert_eq!(ring.open(&sealed, "participants/1/legal_name").expect("opens"), b"Jordan Example");
        assert!(matches!(ring.open(&sealed, "participants/2/legal_name"), Err(CryptoError::Forged)));
        assert!(matches!(ring.open(&sealed, "participants/1/phone"), Err(CryptoError::Forged)));
    }

    #[test]
    fn an_altered_value_or_a_wrong_key_does_not_open() {
        let ring = keyring("k1", [7; 32], &[]);
        let sealed = ring.seal(b"secret", "x");
        let (kid, body) = sealed.split_once(':').expect("sealed format");
        let mut bytes = STANDARD.decode(body).expect("base64");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        assert!(matches!(ring.open(&format!("{kid}:{}", STANDARD.encode(bytes)), "x"), Err(CryptoError::Forged)));
        let other = keyring("k1", [8; 32], &[]);
        assert!(matches!(other.open(&sealed, "x"), Err(CryptoError::Forged)));
        assert!(matches!(other.open("k9:AAAA", "x"), Err(CryptoError::UnknownKey(_))));
        assert!(matches!(other.open("no-colon", "x"), Err(CryptoError::Malformed)));
    }

    #[test]
    fn a_new_key_opens_old_values_through_the_previous_keys_and_reseals_them() {
        let old = keyring("k1", [1; 32], &[]);
        let sealed = old.seal(b"value", "p");
        let new = keyring("k2", [2; 32], &[("k1", [1; 32])]);
        assert!(!new.is_current(&sealed));
        let resealed = new.reseal(&sealed, "p").expect("reseals");
        assert!(new.is_current(&resealed));
        let only_new = keyring("k2", [2; 32], &[]);
        assert_eq!(only_new.open(&resealed, "p").expect("opens"), b"value");
    }
}
