//! A service's required documents and a location's accessibility: lists whose entries
//! HSDS makes objects of their own (`required_document`, `accessibility`), each with an
//! id. Nothing looks an entry up alone, so each list is kept with its row, as a JSON
//! array of its entries with their ids; the row's service or location id is added when
//! it is served.
//!
//! An entry keeps the id it was imported with. One typed in gets an id made from its
//! row's id and its text, so it keeps it while the text stays the same, and two entries
//! with the same text are one. Entries kept without an id (the single texts of before,
//! migration 28) get the same made id when read, so a later edit keeps it.

use harbour_types::{Accessibility, AccessibilityInput, RequiredDocument, RequiredDocumentInput};
use serde::{Deserialize, Serialize};

/// A required document as kept (and as an import reads one: its id may be missing).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptDocument {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uri: Option<String>,
}

/// An accessibility entry as kept (and as an import reads one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeptAccessibility {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

/// The id of an entry typed in: the same row and text give the same id.
fn entry_id(row_id: &str, parts: &[Option<&str>]) -> String {
    let namespace = uuid::Uuid::parse_str(row_id).unwrap_or(uuid::Uuid::NAMESPACE_OID);
    let text: Vec<&str> = parts.iter().map(|p| p.unwrap_or("")).collect();
    uuid::Uuid::new_v5(&namespace, text.join("\u{1f}").as_bytes()).to_string()
}

fn trimmed(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

/// Documents as they came (typed in, imported or read back), as kept: trimmed, each
/// with its own id or one made from its text, each id once.
pub fn documents(service_id: &str, entries: impl IntoIterator<Item = KeptDocument>) -> Vec<KeptDocument> {
    let kept = entries.into_iter().map(|d| {
        let (document, uri) = (trimmed(d.document.as_deref()), trimmed(d.uri.as_deref()));
        let id = given(d.id).unwrap_or_else(|| entry_id(service_id, &[document.as_deref(), uri.as_deref()]));
        KeptDocument { id, document, uri }
    });
    distinct_by_id(kept, |d| &d.id)
}

/// Accessibility entries as they came, as kept: trimmed, those without any words
/// dropped, each with its own id or one made from its text, each id once.
pub fn accessibility(location_id: &str, entries: impl IntoIterator<Item = KeptAccessibility>) -> Vec<KeptAccessibility> {
    let kept = entries.into_iter().filter_map(|a| {
        let (description, details, url) = (trimmed(a.description.as_deref()), trimmed(a.details.as_deref()), trimmed(a.url.as_deref()));
        if description.is_none() && details.is_none() && url.is_none() {
            return None;
        }
        let id = given(a.id).unwrap_or_else(|| entry_id(location_id, &[description.as_deref(), details.as_deref(), url.as_deref()]));
        Some(KeptAccessibility { id, description, details, url })
    });
    distinct_by_id(kept, |a| &a.id)
}

/// The documents typed in for a service, as kept.
pub fn documents_typed(service_id: &str, input: &[RequiredDocumentInput]) -> Vec<KeptDocument> {
    documents(service_id, input.iter().map(|d| KeptDocument { id: String::new(), document: Some(d.document.clone()), uri: d.uri.clone() }))
}

/// The accessibility entries typed in for a location, as kept.
pub fn accessibility_typed(location_id: &str, input: &[AccessibilityInput]) -> Vec<KeptAccessibility> {
    accessibility(location_id, input.iter().map(|a| KeptAccessibility { id: String::new(), description: a.description.clone(), details: a.details.clone(), url: a.url.clone() }))
}

/// The entries, each id once (the first kept).
fn distinct_by_id<T>(entries: impl Iterator<Item = T>, id: impl Fn(&T) -> &String) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    entries.filter(|e| seen.insert(id(e).clone())).collect()
}

/// A list as its row keeps it: none when empty.
pub fn kept<T: Serialize>(entries: &[T]) -> Option<String> {
    (!entries.is_empty()).then(|| serde_json::to_string(entries).expect("entries serialize"))
}

/// A list as its row keeps it, read back. Only Harbour writes these, so a value that
/// does not read is a damaged row: it is logged and read as empty rather than failing
/// every page that shows the row.
pub fn read<T: for<'de> Deserialize<'de>>(kept: Option<&str>) -> Vec<T> {
    let Some(text) = kept else { return Vec::new() };
    serde_json::from_str(text).unwrap_or_else(|e| {
        tracing::warn!(error = %e, "a kept directory list does not read");
        Vec::new()
    })
}

fn given(id: String) -> Option<String> {
    Some(id).filter(|id| !id.is_empty())
}

/// A service's documents, as served.
pub fn documents_of(service_id: &str, kept: Option<&str>) -> Vec<RequiredDocument> {
    documents(service_id, read(kept))
        .into_iter()
        .map(|d| RequiredDocument { id: d.id, service_id: service_id.to_owned(), document: d.document, uri: d.uri })
        .collect()
}

/// A location's accessibility, as served.
pub fn accessibility_of(location_id: &str, kept: Option<&str>) -> Vec<Accessibility> {
    accessibility(location_id, read(kept))
        .into_iter()
        .map(|a| Accessibility { id: a.id, location_id: location_id.to_owned(), description: a.description, details: a.details, url: a.url })
        .collect()
}
