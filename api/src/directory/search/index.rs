//! The search index: one document per service, an inverted index from folded words to
//! the documents and fields they occur in, and the filters' facts per document.
//!
//! Ranking: each query word is matched against the vocabulary (exact, prefix or one or
//! two typos, see `text::matches`); a document must match every query word; its score
//! adds, per word, the best match's weight × the field's weight (name 3, category 2,
//! organization 1.5, description 1) × the word's rarity (idf). Ties go by name, then id,
//! so paging is stable.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use harbour_types::{CapacityStatus, FacetCount, Facets, Page, PageRequest, SearchHit, SearchResults, ServiceAttribute, ServiceStatus, Visibility};

use super::hours::{self, Span};
use super::text;
use crate::db::schema::{organizations, services, taxonomy_terms};
use crate::db::DbConn;
use crate::directory::repo;
use crate::directory::service::service_dto;
use crate::directory::visibility::Viewer;
use crate::error::ApiError;

const NAME_WEIGHT: f32 = 3.0;
const CATEGORY_WEIGHT: f32 = 2.0;
const ORGANIZATION_WEIGHT: f32 = 1.5;
const DESCRIPTION_WEIGHT: f32 = 1.0;
/// Confidential locations are placed no closer than this for outsiders.
const CONFIDENTIAL_DISTANCE_STEP_KM: f64 = 10.0;
/// How many services are loaded from the database at a time while building.
const BUILD_CHUNK: usize = 500;

/// What a search asks for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Free text.
    pub text: String,
    /// A category id: the category and everything under it.
    pub category: Option<String>,
    /// A region id.
    pub region: Option<String>,
    /// Only services open at the time of the search.
    pub open_now: bool,
    /// Only services open around the clock.
    pub open_24_7: bool,
    /// A point (latitude, longitude) to measure distance from.
    pub near: Option<(f64, f64)>,
    /// Only services within this many km of `near`.
    pub radius_km: Option<f64>,
    /// Sort nearest first (needs `near`).
    pub by_distance: bool,
    /// Only services that serve this age.
    pub age: Option<i32>,
    /// Only services offered in this language.
    pub language: Option<String>,
    /// Only services with all these attributes.
    pub attributes: Vec<ServiceAttribute>,
    /// Only services that take referrals through Harbour.
    pub accepts_referrals: bool,
    /// Only services with this capacity status.
    pub capacity: Option<CapacityStatus>,
    /// Which page.
    pub page: PageRequest,
}

#[derive(Debug, Clone)]
struct Point {
    latitude: f64,
    longitude: f64,
    hidden_from_outsiders: bool,
}

#[derive(Debug, Clone)]
struct Doc {
    hit: SearchHit,
    name_key: String,
    organization_id: String,
    categories: HashSet<String>,
    regions: Vec<String>,
    spans: Vec<Span>,
    minimum_age: Option<i32>,
    maximum_age: Option<i32>,
    points: Vec<Point>,
}

/// A built index.
#[derive(Debug, Default)]
pub struct Index {
    docs: Vec<Doc>,
    /// word → (document, best field weight)
    postings: HashMap<String, Vec<(u32, f32)>>,
    zone: Option<Tz>,
}

fn haversine_km(a: (f64, f64), b: (f64, f64)) -> f64 {
    let (lat1, lon1, lat2, lon2) = (a.0.to_radians(), a.1.to_radians(), b.0.to_radians(), b.1.to_radians());
    let h = ((lat2 - lat1) / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * ((lon2 - lon1) / 2.0).sin().powi(2);
    2.0 * 6371.0 * h.sqrt().asin()
}

impl Index {
    /// Builds the index from every active service in the database.
    pub fn build(conn: &mut DbConn, time_zone: &str) -> Result<Index, ApiError> {
        let zone: Tz = time_zone.parse().map_err(|_| ApiError::Internal(format!("unknown time zone {time_zone}")))?;
        let parents: HashMap<String, Option<String>> = taxonomy_terms::table.select((taxonomy_terms::id, taxonomy_terms::parent_id)).load(conn)?.into_iter().collect();
        let organization_names: HashMap<String, String> = organizations::table.select((organizations::id, organizations::name)).load(conn)?.into_iter().collect();
        let ids: Vec<String> = services::table.filter(services::status.eq(ServiceStatus::Active.code())).order(services::id.asc()).select(services::id).load(conn)?;
        let mut index = Index { zone: Some(zone), ..Index::default() };
        for chunk in ids.chunks(BUILD_CHUNK) {
            for aggregate in repo::load_services(conn, chunk)? {
                index.add(&aggregate, &parents, &organization_names, time_zone);
            }
        }
        Ok(index)
    }

    fn add(&mut self, aggregate: &repo::ServiceAggregate, parents: &HashMap<String, Option<String>>, organization_names: &HashMap<String, String>, time_zone: &str) {
        // The full record, as its own organization sees it; search hides what outsiders may not see.
        let service = service_dto(aggregate, Viewer::Partner(&aggregate.row.organization_id), time_zone);
        let organization_name = organization_names.get(&service.organization_id).cloned().unwrap_or_default();
        let doc_id = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
        let mut weights: HashMap<String, f32> = HashMap::new();
        let mut add_words = |text: &str, weight: f32| {
            for word in text::words(text) {
                let best = weights.entry(word).or_insert(0.0);
                *best = best.max(weight);
            }
        };
        add_words(&service.name, NAME_WEIGHT);
        if let Some(alternate) = &service.alternate_name {
            add_words(alternate, NAME_WEIGHT);
        }
        for category in &service.categories {
            add_words(&category.name, CATEGORY_WEIGHT);
            add_words(&category.name_fr, CATEGORY_WEIGHT);
        }
        add_words(&organization_name, ORGANIZATION_WEIGHT);
        add_words(&service.description, DESCRIPTION_WEIGHT);
        for (word, weight) in weights {
            self.postings.entry(word).or_default().push((doc_id, weight));
        }
        let mut categories = HashSet::new();
        for category in &service.categories {
            let mut current = Some(category.id.clone());
            // Walk up the tree; the bound guards against a cycle in edited data.
            for _ in 0..16 {
                let Some(id) = current else { break };
                current = parents.get(&id).cloned().flatten();
                categories.insert(id);
            }
        }
        let points = service
            .service_at_locations
            .iter()
            .filter_map(|sal| {
                let location = &sal.location;
                Some(Point {
                    latitude: location.latitude?,
                    longitude: location.longitude?,
                    hidden_from_outsiders: location.visibility == Visibility::Confidential,
                })
            })
            .collect();
        let spans = service
            .schedules
            .iter()
            .filter_map(|s| Some(Span { day: s.byday, opens: hours::minutes(&s.opens_at)?, closes: hours::minutes(&s.closes_at)? }))
            .collect();
        self.docs.push(Doc {
            name_key: text::fold(&service.name),
            organization_id: service.organization_id.clone(),
            categories,
            regions: service.regions.iter().map(|r| r.id.clone()).collect(),
            spans,
            minimum_age: service.minimum_age,
            maximum_age: service.maximum_age,
            points,
            hit: SearchHit {
                id: service.id.clone(),
                name: service.name.clone(),
                organization_id: service.organization_id.clone(),
                organization_name,
                categories: service.categories.clone(),
                phone: service.phones.first().cloned(),
                open_24_7: service.open_24_7,
                open_now: false,
                capacity: service.capacity.clone(),
                accepts_referrals: service.accepts_referrals,
                harbour_attributes: service.harbour_attributes.clone(),
                languages: service.languages.iter().map(|l| l.code.clone()).collect(),
                distance_km: None,
                distance_approximate: false,
                score: 0.0,
            },
        });
    }

    /// Scores every document that matches all query words (all documents without words).
    fn text_scores(&self, query: &str) -> Vec<(u32, f32)> {
        let words: Vec<String> = text::words(query).collect();
        if words.is_empty() {
            return (0..self.docs.len()).map(|d| (u32::try_from(d).unwrap_or(u32::MAX), 0.0)).collect();
        }
        let total = self.docs.len() as f32;
        let mut combined: Option<HashMap<u32, f32>> = None;
        for word in &words {
            let mut best: HashMap<u32, f32> = HashMap::new();
            for (term, postings) in &self.postings {
                let Some(kind) = text::matches(word, term) else { continue };
                let rarity = (1.0 + total / postings.len() as f32).ln();
                for (doc, field) in postings {
                    let score = kind.weight() * field * rarity;
                    let entry = best.entry(*doc).or_insert(0.0);
                    *entry = entry.max(score);
                }
            }
            combined = Some(match combined {
                None => best,
                Some(previous) => previous.into_iter().filter_map(|(doc, score)| best.get(&doc).map(|s| (doc, score + s))).collect(),
            });
        }
        combined.unwrap_or_default().into_iter().collect()
    }

    /// Runs a search as seen by a user or client of `viewer_org` at `now`.
    pub fn search(&self, query: &SearchQuery, viewer_org: &str, now: DateTime<Utc>) -> SearchResults {
        let zone = self.zone.unwrap_or(chrono_tz::America::Halifax);
        let mut hits: Vec<(&Doc, SearchHit)> = Vec::new();
        for (doc_id, score) in self.text_scores(&query.text) {
            let Some(doc) = self.docs.get(doc_id as usize) else { continue };
            let mut hit = doc.hit.clone();
            hit.score = score;
            hit.open_now = doc.hit.open_24_7 || hours::open_at(&doc.spans, zone, now);
            if let Some(near) = query.near {
                let nearest = doc
                    .points
                    .iter()
                    .map(|p| {
                        let exact = haversine_km(near, (p.latitude, p.longitude));
                        if p.hidden_from_outsiders && doc.organization_id != viewer_org {
                            // A precise distance would let anyone find a safe house by moving about.
                            (((exact / CONFIDENTIAL_DISTANCE_STEP_KM).floor() + 1.0) * CONFIDENTIAL_DISTANCE_STEP_KM, true)
                        } else {
                            ((exact * 10.0).round() / 10.0, false)
                        }
                    })
                    .min_by(|a, b| a.0.total_cmp(&b.0));
                if let Some((distance, approximate)) = nearest {
                    hit.distance_km = Some(distance);
                    hit.distance_approximate = approximate;
                }
            }
            if self.passes(doc, &hit, query) {
                hits.push((doc, hit));
            }
        }
        if query.by_distance && query.near.is_some() {
            hits.sort_by(|a, b| {
                let far = f64::INFINITY;
                a.1.distance_km.unwrap_or(far).total_cmp(&b.1.distance_km.unwrap_or(far)).then_with(|| a.0.name_key.cmp(&b.0.name_key)).then_with(|| a.1.id.cmp(&b.1.id))
            });
        } else {
            hits.sort_by(|a, b| b.1.score.total_cmp(&a.1.score).then_with(|| a.0.name_key.cmp(&b.0.name_key)).then_with(|| a.1.id.cmp(&b.1.id)));
        }
        let facets = facets(&hits);
        let total = hits.len() as u64;
        let request = query.page;
        let start = usize::try_from(request.offset()).unwrap_or(usize::MAX).min(hits.len());
        let end = start.saturating_add(usize::try_from(request.per_page()).unwrap_or(usize::MAX)).min(hits.len());
        let page = Page::new(hits.drain(start..end).map(|(_, hit)| hit).collect(), total, request);
        SearchResults {
            total_items: page.total_items,
            total_pages: page.total_pages,
            page_number: page.page_number,
            size: page.size,
            first_page: page.first_page,
            last_page: page.last_page,
            empty: page.empty,
            contents: page.contents,
            facets,
        }
    }

    fn passes(&self, doc: &Doc, hit: &SearchHit, query: &SearchQuery) -> bool {
        let within_radius = match (query.radius_km, hit.distance_km) {
            (Some(radius), Some(distance)) => distance <= radius,
            (Some(_), None) => query.near.is_none(),
            (None, _) => true,
        };
        query.category.as_ref().is_none_or(|c| doc.categories.contains(c))
            && query.region.as_ref().is_none_or(|r| doc.regions.contains(r))
            && (!query.open_now || hit.open_now)
            && (!query.open_24_7 || hit.open_24_7)
            && within_radius
            && query.age.is_none_or(|age| doc.minimum_age.is_none_or(|min| age >= min) && doc.maximum_age.is_none_or(|max| age <= max))
            && query.language.as_ref().is_none_or(|l| hit.languages.contains(l))
            && query.attributes.iter().all(|a| hit.harbour_attributes.contains(a))
            && (!query.accepts_referrals || hit.accepts_referrals)
            && query.capacity.is_none_or(|c| hit.capacity.status == c)
    }
}

fn counts<'a>(values: impl Iterator<Item = &'a str>) -> Vec<FacetCount> {
    let mut map: HashMap<&str, u64> = HashMap::new();
    for value in values {
        *map.entry(value).or_insert(0) += 1;
    }
    let mut counts: Vec<FacetCount> = map.into_iter().map(|(value, count)| FacetCount { value: value.to_owned(), count }).collect();
    counts.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
    counts
}

fn facets(hits: &[(&Doc, SearchHit)]) -> Facets {
    Facets {
        categories: counts(hits.iter().flat_map(|(d, _)| d.categories.iter().map(String::as_str))),
        regions: counts(hits.iter().flat_map(|(d, _)| d.regions.iter().map(String::as_str))),
        attributes: counts(hits.iter().flat_map(|(_, h)| h.harbour_attributes.iter().map(|a| a.code()))),
        languages: counts(hits.iter().flat_map(|(_, h)| h.languages.iter().map(String::as_str))),
        capacity: counts(hits.iter().map(|(_, h)| h.capacity.status.code())),
        open_now: hits.iter().filter(|(_, h)| h.open_now).count() as u64,
        open_24_7: hits.iter().filter(|(_, h)| h.open_24_7).count() as u64,
    }
}
