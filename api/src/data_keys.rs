//! Each participant's own data key: everything sealed about a participant (identity and
//! safety notes, safety plans, consent evidence, referral snapshots) is sealed under it,
//! and it is stored sealed by the instance's [`Keyring`]. Erasing the participant
//! deletes the stored key in the erasure's transaction, so what was sealed under it
//! cannot be opened again; rotating the keyring re-seals only these small keys.
//!
//! Values written before participants had keys are sealed by the keyring itself: they
//! still open ([`ParticipantKey::open`]), and `harbour keys rotate` moves them under the
//! participant's key.

use chrono::Utc;
use diesel::prelude::*;
use harbour_types::ParticipantId;

use crate::crypto::{CryptoError, DataKey, Keyring};
use crate::db::schema::participant_keys;
use crate::db::DbConn;
use crate::error::ApiError;

/// The place a participant's key is sealed for.
fn aad(participant_id: &ParticipantId) -> String {
    format!("participant_keys/{participant_id}")
}

/// A participant's key, opened, with the keyring for values sealed before it existed.
#[derive(Debug, Clone)]
pub struct ParticipantKey {
    key: Option<DataKey>,
    keyring: Keyring,
}

impl ParticipantKey {
    /// Seals bytes for one place (`aad`) under the participant's key.
    pub fn seal(&self, plaintext: &[u8], aad: &str) -> Result<String, CryptoError> {
        Ok(self.key.as_ref().ok_or(CryptoError::Erased)?.seal(plaintext, aad))
    }

    /// Seals an optional text.
    pub fn seal_text(&self, plaintext: Option<&str>, aad: &str) -> Result<Option<String>, CryptoError> {
        plaintext.map(|p| self.seal(p.as_bytes(), aad)).transpose()
    }

    /// Opens a value sealed for `aad`, under the participant's key or (written before
    /// participants had keys) the keyring.
    pub fn open(&self, sealed: &str, aad: &str) -> Result<Vec<u8>, CryptoError> {
        if !DataKey::sealed_by_data_key(sealed) {
            return self.keyring.open(sealed, aad);
        }
        self.key.as_ref().ok_or(CryptoError::Erased)?.open(sealed, aad)
    }

    /// Opens an optional sealed text.
    pub fn open_text(&self, sealed: Option<&str>, aad: &str) -> Result<Option<String>, CryptoError> {
        sealed.map(|s| self.open(s, aad).and_then(|b| String::from_utf8(b).map_err(|_| CryptoError::Malformed))).transpose()
    }

    /// The value sealed under the participant's key, if it is not already (for
    /// `harbour keys rotate`): `None` when nothing needs doing.
    pub fn resealed(&self, sealed: &str, aad: &str) -> Result<Option<String>, CryptoError> {
        if DataKey::sealed_by_data_key(sealed) {
            return Ok(None);
        }
        self.seal(&self.keyring.open(sealed, aad)?, aad).map(Some)
    }
}

/// The stored (sealed) key of a participant, if they have one.
pub fn stored(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<Option<String>> {
    participant_keys::table.find(participant_id).select(participant_keys::key_sealed).first(conn).optional()
}

/// Opens a participant's stored key. With none stored (erased, or written before keys),
/// only values sealed by the keyring open, and nothing can be sealed.
pub fn opened(keyring: &Keyring, participant_id: &ParticipantId, stored: Option<&str>) -> Result<ParticipantKey, CryptoError> {
    let key = stored.map(|sealed| keyring.open_data_key(sealed, &aad(participant_id))).transpose()?;
    Ok(ParticipantKey { key, keyring: keyring.clone() })
}

/// The participant's key, made and stored now if they have none yet (a participant
/// recorded before keys existed): for writing. Call in the write's transaction.
pub fn for_writing(conn: &mut DbConn, keyring: &Keyring, participant_id: &ParticipantId) -> Result<ParticipantKey, ApiError> {
    let stored = stored(conn, participant_id)?;
    for_writing_from(conn, keyring, participant_id, stored.as_deref())
}

/// Like [`for_writing`], with the stored key already read (a participant's record
/// carries it): no second read of it.
pub fn for_writing_from(conn: &mut DbConn, keyring: &Keyring, participant_id: &ParticipantId, stored: Option<&str>) -> Result<ParticipantKey, ApiError> {
    if let Some(sealed) = stored {
        return Ok(opened(keyring, participant_id, Some(sealed))?);
    }
    let (key, new) = fresh(keyring, participant_id);
    new.store(conn)?;
    Ok(key)
}

/// A new key for a participant, and the row that stores it: sealing can start before
/// the participant's row exists, which the stored key refers to.
pub fn fresh(keyring: &Keyring, participant_id: &ParticipantId) -> (ParticipantKey, NewKey) {
    let (key, sealed) = keyring.new_data_key(&aad(participant_id));
    (ParticipantKey { key: Some(key), keyring: keyring.clone() }, NewKey { participant_id: participant_id.clone(), sealed })
}

/// A key made by [`fresh`], to store in the transaction that records its participant.
#[derive(Debug)]
pub struct NewKey {
    participant_id: ParticipantId,
    sealed: String,
}

impl NewKey {
    /// Stores the key (after the participant's row).
    pub fn store(&self, conn: &mut DbConn) -> QueryResult<()> {
        diesel::insert_into(participant_keys::table)
            .values((participant_keys::participant_id.eq(&self.participant_id), participant_keys::key_sealed.eq(&self.sealed), participant_keys::created_at.eq(Utc::now().naive_utc())))
            .execute(conn)
            .map(drop)
    }
}

/// The participant's key for reading: values sealed under an erased key do not open.
pub fn for_reading(conn: &mut DbConn, keyring: &Keyring, participant_id: &ParticipantId) -> Result<ParticipantKey, ApiError> {
    Ok(opened(keyring, participant_id, stored(conn, participant_id)?.as_deref())?)
}

/// Destroys a participant's key (their erasure; one recorded before keys has none).
pub fn destroy(conn: &mut DbConn, participant_id: &ParticipantId) -> QueryResult<()> {
    diesel::delete(participant_keys::table.find(participant_id)).execute(conn).map(drop)
}

/// Re-seals every stored key not under the keyring's current key; returns how many.
pub fn reseal_all(conn: &mut DbConn, keyring: &Keyring) -> Result<usize, ApiError> {
    let keys: Vec<(String, String)> = participant_keys::table.select((participant_keys::participant_id, participant_keys::key_sealed)).load(conn)?;
    let mut count = 0;
    for (participant_id, sealed) in keys.into_iter().filter(|(_, sealed)| !keyring.is_current(sealed)) {
        let resealed = keyring.reseal(&sealed, &aad(&ParticipantId::from(participant_id.as_str())))?;
        diesel::update(participant_keys::table.find(&participant_id)).set(participant_keys::key_sealed.eq(resealed)).execute(conn)?;
        count += 1;
    }
    Ok(count)
}
