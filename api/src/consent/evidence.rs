//! Consent evidence files: what is accepted, checked by content, not by the name given.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use harbour_types::{ConsentMethod, EvidenceUpload};
use sha2::{Digest, Sha256};

use super::error::ConsentError;

/// The largest evidence file: a phone photo of a one-page form, downscaled by the app.
pub const MAX_EVIDENCE_BYTES: usize = 5 * 1024 * 1024;

/// A checked evidence file.
#[derive(Debug, Clone)]
pub struct Evidence {
    /// Its media type, as its content shows.
    pub media_type: &'static str,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// SHA-256, hex.
    pub sha256: String,
}

/// The media type the first bytes show, among those accepted.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a]) {
        Some("image/png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Checks the evidence a method needs: a paper form's photo or scan (JPEG, PNG, PDF), a
/// drawn signature (PNG or JPEG); a verbal consent needs none but may carry one.
pub fn check(method: ConsentMethod, upload: Option<&EvidenceUpload>) -> Result<Option<Evidence>, ConsentError> {
    let invalid = |code, message| ConsentError::Evidence { code, message };
    let Some(upload) = upload else {
        return match method {
            ConsentMethod::Verbal => Ok(None),
            ConsentMethod::PaperForm => Err(invalid("required", "attach a photo or scan of the signed form")),
            ConsentMethod::ElectronicSignature => Err(invalid("required", "attach the signature drawn on screen")),
        };
    };
    // Base64 is 4/3 of the bytes: refuse before decoding anything too large.
    if upload.data_base64.len() > MAX_EVIDENCE_BYTES / 3 * 4 + 4 {
        return Err(invalid("too_large", "the file is larger than 5 MB"));
    }
    let bytes = STANDARD.decode(upload.data_base64.trim()).map_err(|_| invalid("encoding", "the file is not valid base64"))?;
    if bytes.is_empty() {
        return Err(invalid("required", "the file is empty"));
    }
    if bytes.len() > MAX_EVIDENCE_BYTES {
        return Err(invalid("too_large", "the file is larger than 5 MB"));
    }
    let allowed: &[&str] = match method {
        ConsentMethod::ElectronicSignature => &["image/png", "image/jpeg"],
        ConsentMethod::PaperForm | ConsentMethod::Verbal => &["image/png", "image/jpeg", "application/pdf"],
    };
    let media_type = sniff(&bytes).filter(|t| allowed.contains(t)).ok_or_else(|| invalid("media_type", "the file must be a JPEG or PNG image or a PDF (a signature: PNG or JPEG)"))?;
    if upload.media_type.trim() != media_type {
        return Err(invalid("media_type", "the file's content does not match its declared media type"));
    }
    let sha256 = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    Ok(Some(Evidence { media_type, bytes, sha256 }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn upload(media_type: &str, bytes: &[u8]) -> EvidenceUpload {
        EvidenceUpload { media_type: media_type.into(), data_base64: STANDARD.encode(bytes) }
    }

    #[test]
    fn accepts_files_by_content_and_refuses_the_rest() {
        let png = [&[0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a][..], b"rest"].concat();
        let found = check(ConsentMethod::ElectronicSignature, Some(&upload("image/png", &png))).expect("a PNG signature").expect("evidence");
        assert_eq!(found.sha256.len(), 64);
        assert!(check(ConsentMethod::ElectronicSignature, Some(&upload("application/pdf", b"%PDF-1.7"))).is_err());
        assert!(check(ConsentMethod::PaperForm, Some(&upload("application/pdf", b"%PDF-1.7"))).is_ok());
        assert!(check(ConsentMethod::PaperForm, Some(&upload("image/jpeg", b"%PDF-1.7"))).is_err(), "declared type must match");
        assert!(check(ConsentMethod::PaperForm, Some(&upload("text/plain", b"hello"))).is_err());
        assert!(check(ConsentMethod::PaperForm, None).is_err());
        assert!(check(ConsentMethod::Verbal, None).expect("verbal needs no file").is_none());
        let huge = vec![0xff; MAX_EVIDENCE_BYTES + 1];
        assert!(check(ConsentMethod::PaperForm, Some(&upload("image/jpeg", &huge))).is_err());
    }
}
