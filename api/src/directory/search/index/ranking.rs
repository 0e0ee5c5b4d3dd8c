//! Running a search: the documents its words (or its filters' sets) give, passed through
//! the filters as this viewer sees them, ranked, and the page turned into hits.

use std::collections::BinaryHeap;
use std::sync::{Arc, Mutex, PoisonError};

use chrono::{DateTime, Utc};
use harbour_types::{Capacity, Page, SearchHit, SearchResults, ServiceAttribute};

use super::facets::{FacetCounts, FacetSets};
use super::postings::recycle;
use super::{attribute_bit, CapacityTable, Index, Interner, Listed, SearchQuery, POINTS};
use crate::directory::nearby::Origin;
use crate::directory::search::doc_set::DocSet;
use crate::directory::search::hours::{next_opening, Clock};
use crate::directory::visibility::Viewer;

/// How many documents a search reads ahead at a time (see [`Index::gather`]): about as
/// many reads from memory as a core keeps going at once.
const GATHERED: usize = 16;

/// The documents open at one minute, worked out once for all the searches asking about
/// it (see [`Index::open_at`]). A copy of the index starts without: its hours may differ.
#[derive(Debug, Default)]
pub(super) struct OpenNow(Mutex<Option<(Clock, Arc<DocSet>)>>);

impl Clone for OpenNow {
    fn clone(&self) -> Self {
        OpenNow::default()
    }
}

/// The documents a search looks at, in document order: those its words match, with their
/// scores; without words, a set of them (see [`Index::unscored`]), or all of them.
enum Pool {
    Scored(Vec<(u32, f32)>),
    Set(DocSet),
    All(u32),
}

impl Pool {
    fn len(&self) -> usize {
        match self {
            Pool::Scored(scores) => scores.len(),
            Pool::Set(set) => usize::try_from(set.count()).unwrap_or(usize::MAX),
            Pool::All(docs) => *docs as usize,
        }
    }
}

/// One result before it becomes a [`SearchHit`]: a document and what this search found.
#[derive(Debug, Clone, Copy)]
pub(super) struct Candidate {
    pub(super) doc: u32,
    /// The document's place in name order (see `Index::name_ranks`), copied so ordering never looks it up.
    pub(super) name_rank: u32,
    pub(super) score: f32,
    pub(super) distance: Option<(f64, bool)>,
    pub(super) open_now: bool,
}

/// The first candidates in the order results are listed (by the keys of `Index::rank`),
/// kept while thousands go by: a page needs only those up to its end. Keeping every
/// candidate took an allocation the size of the result set in every search (above
/// 128 KB, a fresh mapping from the system, faulted in page by page) and a partial sort.
pub(super) struct First {
    limit: usize,
    /// The kept ones, the last in order on top: the one a better candidate replaces.
    kept: BinaryHeap<Ranked>,
}

#[derive(Debug, Clone, Copy)]
struct Ranked {
    key: (u64, u32),
    candidate: Candidate,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(&other.key)
    }
}

impl First {
    pub(super) fn new(limit: usize) -> First {
        First { limit, kept: BinaryHeap::new() }
    }

    pub(super) fn offer(&mut self, key: (u64, u32), candidate: Candidate) {
        if self.kept.len() < self.limit {
            self.kept.push(Ranked { key, candidate });
        } else if let Some(mut last) = self.kept.peek_mut().filter(|last| key < last.key) {
            *last = Ranked { key, candidate };
        }
    }

    pub(super) fn in_order(self) -> Vec<Candidate> {
        self.kept.into_sorted_vec().into_iter().map(|r| r.candidate).collect()
    }
}

impl Index {
    /// Hands `found` each document the query finds as `viewer` sees them at `now`, in
    /// document order, and with `facets` counts them in the facets as it goes: a
    /// document's facts are still in the cache then, where a second pass over thousands
    /// would read them from memory again.
    fn candidates(&self, query: &SearchQuery, viewer: Viewer<'_>, now: DateTime<Utc>, capacities: &CapacityTable, facets: bool, mut found: impl FnMut(Candidate)) -> Option<FacetCounts> {
        let wanted_status = query.capacity.map(CapacityTable::place);
        let clock = Clock::at(self.zone.unwrap_or(chrono_tz::America::Halifax), now);
        // A filter naming something the index does not know matches nothing: no document has number u32::MAX.
        let number = |value: &Option<String>, numbers: &Interner| value.as_ref().map(|v| numbers.find(v).unwrap_or(u32::MAX));
        let (category, region, language) = (number(&query.category, &self.categories), number(&query.region, &self.regions), number(&query.language, &self.languages));
        let organization = number(&query.organization, &self.organizations);
        let required_attributes = query.attributes.iter().fold(0, |bits, a| bits | attribute_bit(*a));
        let genders = [ServiceAttribute::GenderWomen, ServiceAttribute::GenderMen, ServiceAttribute::GenderDiverse].into_iter().fold(0, |bits, a| bits | attribute_bit(a));
        let gender = query.gender.map(attribute_bit);
        // Distances are shown rounded to 0.1 km: one just past the radius can show on it.
        let origin = query.near.map(|near| Origin::new(near, query.radius_km.map(|km| km + 0.1)));
        let open = self.open_at(clock);
        // Within a radius, documents whose places all lie in tiles beyond it are passed over first.
        let in_reach = |doc_id: u32| origin.as_ref().is_none_or(|origin| origin.may_reach_tile(self.tiles[doc_id as usize]));
        let pool = match self.text_scores(&query.text) {
            Some(mut scores) => {
                if origin.is_some() {
                    scores.retain(|&(doc_id, _)| in_reach(doc_id));
                }
                Pool::Scored(scores)
            }
            None => self.unscored(query, [category, region, language], required_attributes, &open),
        };
        let mut counts = facets.then(|| FacetCounts::new(self, pool.len()));
        let mut consider = |doc_id: u32, score: f32| {
            let facts = &self.facts[doc_id as usize];
            let passes_facts = !self.superseded[doc_id as usize]
                && organization.is_none_or(|o| facts.organization == o)
                && category.is_none_or(|c| self.numbers(facts, Listed::CategoryClosure).contains(&c))
                && region.is_none_or(|r| self.numbers(facts, Listed::Regions).contains(&r))
                && language.is_none_or(|l| self.numbers(facts, Listed::Languages).contains(&l))
                && (!query.open_24_7 || facts.open_24_7)
                && facts.attributes & required_attributes == required_attributes
                && gender.is_none_or(|g| facts.attributes & genders == 0 || facts.attributes & g != 0)
                && (!query.accepts_referrals || facts.accepts_referrals)
                && wanted_status.is_none_or(|c| capacities.status[doc_id as usize] == c)
                && query.age.is_none_or(|age| facts.serves_age(age));
            if !passes_facts {
                return;
            }
            let open_now = open.contains(doc_id);
            if query.open_now && !open_now {
                return;
            }
            let distance = origin.as_ref().and_then(|origin| self.distance(doc_id, origin, viewer));
            let within = match (query.radius_km, distance) {
                (Some(radius), Some((km, _))) => km <= radius,
                (Some(_), None) => false,
                (None, _) => true,
            };
            if within {
                if let Some(counts) = counts.as_mut() {
                    counts.add(self, doc_id, facts, capacities.status[doc_id as usize], open_now);
                }
                found(Candidate { doc: doc_id, name_rank: self.name_ranks[doc_id as usize], score, distance, open_now });
            }
        };
        match pool {
            Pool::Scored(scores) => {
                for block in scores.chunks(GATHERED) {
                    self.gather(block, capacities, query.near.is_some());
                    block.iter().for_each(|&(doc_id, score)| consider(doc_id, score));
                }
                recycle(scores);
            }
            // In order, and the memory they read is in order too: read ahead without help
            // (gathering them measured slower).
            Pool::Set(set) => set.for_each(|doc_id| {
                if in_reach(doc_id) {
                    consider(doc_id, 0.0);
                }
            }),
            Pool::All(docs) => (0..docs).filter(|doc_id| in_reach(*doc_id)).for_each(|doc_id| consider(doc_id, 0.0)),
        }
        counts
    }

    /// The documents a search without words looks at: those in every set its filters
    /// name (attributes, a category, region or language, open now; a value no document
    /// has matches nothing), or every document.
    fn unscored(&self, query: &SearchQuery, filed: [Option<u32>; 3], attributes: u32, open: &DocSet) -> Pool {
        let sets = &self.sets;
        let [category, region, language] = filed;
        let mut required: Vec<&DocSet> = (0..32).filter(|bit| attributes & 1 << bit != 0).map(|bit| FacetSets::of(&sets.attributes, bit)).collect();
        required.extend(category.map(|c| FacetSets::of(&sets.categories, c)));
        required.extend(region.map(|r| FacetSets::of(&sets.regions, r)));
        required.extend(language.map(|l| FacetSets::of(&sets.languages, l)));
        if query.open_now {
            required.push(open);
        }
        match required.split_first() {
            Some((first, rest)) => {
                let mut pool = (*first).clone();
                rest.iter().for_each(|set| pool.retain_in(set));
                Pool::Set(pool)
            }
            None => Pool::All(u32::try_from(self.docs.len()).unwrap_or(u32::MAX)),
        }
    }

    /// The documents open at `clock`'s minute. Worked out once a minute, a pattern of
    /// hours at a time: deciding it for each document found made "open now" an
    /// unpredictable branch per document, and a filter without words can now start from
    /// the open ones alone.
    fn open_at(&self, clock: Clock) -> Arc<DocSet> {
        let mut last = self.open.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, open)) = last.as_ref().filter(|(at, _)| *at == clock) {
            return Arc::clone(open);
        }
        let patterns: Vec<bool> = self.hours.values.iter().map(|hours| clock.open(hours)).collect();
        let numbers = 0..u32::try_from(self.facts.len()).unwrap_or(u32::MAX);
        let open = Arc::new(numbers.zip(&self.facts).filter(|(_, facts)| patterns[facts.hours as usize]).map(|(n, _)| n).collect::<DocSet>());
        *last = Some((clock, Arc::clone(&open)));
        open
    }

    /// Reads what `candidates` looks at of a block of documents before it looks: loads
    /// with nothing between them, which the processor sends to memory together. Taken
    /// one document at a time, each waited for the one before (the filters and facet
    /// counts branch on what a load brings, and a mispredicted branch throws away the
    /// loads begun after it): a search matching thousands of services spent most of its
    /// time waiting on memory.
    fn gather(&self, block: &[(u32, f32)], capacities: &CapacityTable, near: bool) {
        let mut read = 0u32;
        for &(doc, _) in block {
            let doc = doc as usize;
            read = read.wrapping_add(self.facts[doc].lists ^ self.name_ranks[doc] ^ u32::from(self.superseded[doc]) ^ u32::from(capacities.status[doc]));
            if near {
                read = read.wrapping_add(self.point_starts[doc]);
            }
        }
        // Then what the facts just read locate: the start of each one's lists, and of its places.
        for &(doc, _) in block {
            read = read.wrapping_add(self.lists.get(self.facts[doc as usize].lists as usize).copied().unwrap_or_default());
            if near {
                let point = self.points.get(self.point_starts[doc as usize] as usize);
                read = read.wrapping_add(point.map_or(0, |p| p.latitude.to_bits() as u32));
            }
        }
        std::hint::black_box(read);
    }

    /// Where a candidate is listed, as a key that sorts in that order: nearest first
    /// when asked, else best first; then by name, so that pages are stable. (Distances
    /// and scores are never negative, so their bits sort as they do.)
    pub(super) fn rank(query: &SearchQuery) -> impl Fn(&Candidate) -> (u64, u32) {
        let by_distance = query.by_distance && query.near.is_some();
        move |c: &Candidate| {
            let primary = if by_distance { c.distance.map_or(f64::INFINITY, |d| d.0).to_bits() } else { u64::from(u32::MAX - c.score.to_bits()) };
            (primary, c.name_rank)
        }
    }

    /// Runs a search as seen by `viewer` at `now`.
    pub fn search(&self, query: &SearchQuery, viewer: Viewer<'_>, now: DateTime<Utc>) -> SearchResults {
        let capacities = self.capacities.read();
        let request = query.page;
        let start = usize::try_from(request.offset()).unwrap_or(usize::MAX);
        let rank = Self::rank(query);
        // Only the results up to the end of the page are kept, in order.
        let mut first = First::new(start.saturating_add(usize::try_from(request.per_page()).unwrap_or(usize::MAX)));
        let mut total = 0u64;
        let counts = self.candidates(query, viewer, now, &capacities, true, |candidate| {
            total += 1;
            first.offer(rank(&candidate), candidate);
        });
        let listed = first.in_order();
        let hits = listed[start.min(listed.len())..].iter().map(|c| self.hit(c, &capacities.full[c.doc as usize], now)).collect();
        SearchResults { page: Page::new(hits, total, request), facets: counts.map(|counts| counts.facets(self)).unwrap_or_default() }
    }

    /// Every service the query finds, in the order search lists them, with the number of
    /// places each is offered at: what HSDS's `/service_at_locations?search=` pages
    /// through without reading the links of services before the page.
    pub fn found_with_links(&self, query: &SearchQuery, viewer: Viewer<'_>, now: DateTime<Utc>) -> Vec<(String, u32)> {
        let mut candidates = Vec::new();
        self.candidates(query, viewer, now, &self.capacities.read(), false, |candidate| candidates.push(candidate));
        candidates.sort_unstable_by_key(Self::rank(query));
        candidates.iter().map(|c| (self.docs[c.doc as usize].id.to_string(), self.facts[c.doc as usize].links)).collect()
    }

    /// The nearest location's distance from `origin`, and whether it is measured to the
    /// coarse point of a location this viewer may not see (see `Point::measured_at`):
    /// to a tenth of a km, or for a coarse point up to a whole km, so that a radius
    /// takes in no coarse point beyond it. Within a radius, only the locations that can
    /// be inside it (see `Origin::may_reach`).
    fn distance(&self, doc_id: u32, origin: &Origin, viewer: Viewer<'_>) -> Option<(f64, bool)> {
        let facts = &self.facts[doc_id as usize];
        let owner = &self.organizations.values[facts.organization as usize];
        let start = self.point_starts[doc_id as usize] as usize;
        self.points[start..start + usize::from(facts.lengths[POINTS])]
            .iter()
            .filter_map(|p| p.measured_at(owner, viewer))
            .filter(|(at, _)| origin.may_reach(*at))
            .map(|(at, coarse)| {
                let km = origin.km_to(at);
                if coarse {
                    (km.ceil().max(1.0), true)
                } else {
                    ((km * 10.0).round() / 10.0, false)
                }
            })
            .min_by(|a, b| a.0.total_cmp(&b.0))
    }

    fn hit(&self, candidate: &Candidate, capacity: &Capacity, now: DateTime<Utc>) -> SearchHit {
        let (doc, facts) = (&self.docs[candidate.doc as usize], &self.facts[candidate.doc as usize]);
        let hours = &self.hours.values[facts.hours as usize];
        SearchHit {
            id: doc.id.to_string(),
            name: doc.name.to_string(),
            organization_id: self.organizations.values[facts.organization as usize].clone(),
            organization_name: self.organization_names.get(facts.organization as usize).cloned().unwrap_or_default(),
            categories: doc.categories.iter().filter_map(|c| self.category_refs.get(*c as usize).cloned().flatten()).collect(),
            phone: doc.phone.clone(),
            open_24_7: facts.open_24_7,
            open_now: candidate.open_now,
            opens_next_at: if candidate.open_now { None } else { next_opening(hours, self.zone.unwrap_or(chrono_tz::America::Halifax), now) },
            capacity: capacity.clone(),
            accepts_referrals: facts.accepts_referrals,
            harbour_attributes: ServiceAttribute::ALL.iter().copied().filter(|a| facts.attributes & attribute_bit(*a) != 0).collect(),
            languages: self.numbers(facts, Listed::Languages).iter().map(|l| self.languages.values[*l as usize].clone()).collect(),
            distance_km: candidate.distance.map(|d| d.0),
            distance_approximate: candidate.distance.is_some_and(|d| d.1),
            score: candidate.score,
        }
    }
}
