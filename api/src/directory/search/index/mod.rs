//! The search index: one compact document per service, an inverted index from folded
//! words to the documents and fields they occur in, and the filters' facts per document
//! as small integers (category, region, organization and language numbers, an attribute
//! bit set), so a search over 100,000 services touches no strings but the page it returns;
//! and per category, region, language and attribute, and per minute for "open now", the
//! set of documents with it, a bit each (`doc_set`), for filters without words and for
//! facet counts over many results.
//!
//! Ranking: each query word is matched against the vocabulary (exact, prefix or one or
//! two typos, see `text::matches`); a document must match every query word; its score
//! adds, per word, the best match's weight × the field's weight (name 3, category 2,
//! organization 1.5, description 1) × the word's rarity (idf). Ties go by name, then id,
//! so paging is stable.
//!
//! Its parts: [`building`] makes documents from services already loaded (no database
//! here: [`load`] reads them), [`postings`] holds the words and scores them, [`facets`]
//! counts, and [`ranking`] runs a search through the filters and orders its results.

mod building;
mod facets;
mod load;
mod postings;
mod ranking;

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono_tz::Tz;
use harbour_types::{Capacity, CapacityStatus, PageRequest, Phone, ServiceAttribute, TermRef, Visibility};

pub use building::Patch;
use facets::FacetSets;
use postings::Term;
use ranking::OpenNow;
use super::hours::Hours;
use crate::directory::nearby::Tile;
use crate::directory::visibility::{shows_place, Viewer};

/// Superseded documents an index may hold whatever its size (see [`Index::can_patch`]).
const PATCH_FLOOR: usize = 1000;

/// What a search asks for. Ids are the API's; they are mapped to the index's numbers.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    /// Free text.
    pub text: String,
    /// A category id: the category and everything under it.
    pub category: Option<String>,
    /// A region id.
    pub region: Option<String>,
    /// Only this organization's services.
    pub organization: Option<String>,
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
    /// Only services that serve this gender (a `gender:` attribute): those marked with
    /// it, and those marked with no gender, which serve everyone.
    pub gender: Option<ServiceAttribute>,
    /// Only services that take referrals through Harbour.
    pub accepts_referrals: bool,
    /// Only services with this capacity status.
    pub capacity: Option<CapacityStatus>,
    /// Which page.
    pub page: PageRequest,
}

/// A place of a service: its coordinates, and the coarse point those who may not see it
/// are measured by (see `nearby::coarse_point`: a grid centre, which single precision
/// keeps to within a meter, so that a point takes 32 bytes).
#[derive(Debug, Clone, Copy)]
struct Point {
    latitude: f64,
    longitude: f64,
    coarse: Option<(f32, f32)>,
    visibility: Visibility,
}

impl Point {
    /// Where this viewer measures it from, and whether that is its coarse point.
    fn measured_at(&self, owner: &str, viewer: Viewer<'_>) -> Option<((f64, f64), bool)> {
        if shows_place(self.visibility, owner, viewer) {
            Some(((self.latitude, self.longitude), false))
        } else {
            self.coarse.map(|(latitude, longitude)| ((f64::from(latitude), f64::from(longitude)), true))
        }
    }
}

/// One service's document: what a result card and a distance read, for the few
/// documents on a page. Never changed once made: a patched index shares the documents
/// of the services it did not change with the index it was patched from.
#[derive(Debug)]
struct Doc {
    id: Box<str>,
    name: Box<str>,
    categories: Box<[u32]>,
    phone: Option<Phone>,
}

/// Where a document's number of points is in `Facts::lengths`.
const POINTS: usize = 3;

/// A document's lists of numbers, kept end to end in the index's `lists`.
#[derive(Debug, Clone, Copy)]
enum Listed {
    /// Its categories and all their ancestors: what a category filter matches.
    CategoryClosure = 0,
    Regions = 1,
    Languages = 2,
}

/// What filters and facets read of a document, kept in one array in document order
/// (its lists in another): a search that matches tens of thousands of services reads
/// memory in order, where following a pointer per document and per list made it wait
/// on memory for most of its time.
/// 32 bytes: two to a cache line.
#[derive(Debug, Clone, Copy)]
struct Facts {
    organization: u32,
    attributes: u32,
    /// Its opening hours, by number: services share a few patterns of hours, so "open
    /// now" is worked out once per pattern per search.
    hours: u32,
    /// How many places it is offered at (its service-at-location links).
    links: u32,
    /// Where its lists start in `lists`, and each one's length (see [`Listed`]); the
    /// last length is its number of points (see `Index::points`).
    lists: u32,
    lengths: [u8; 4],
    /// The ages it serves, bounds included (no bound: the type's extreme).
    minimum_age: i16,
    maximum_age: i16,
    open_24_7: bool,
    accepts_referrals: bool,
}

impl Facts {
    fn serves_age(&self, age: i32) -> bool {
        (i32::from(self.minimum_age)..=i32::from(self.maximum_age)).contains(&age)
    }
}

/// Values stored once and referred to by number.
#[derive(Debug, Clone)]
struct Interner<T = String> {
    values: Vec<T>,
    numbers: HashMap<T, u32>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Interner { values: Vec::new(), numbers: HashMap::new() }
    }
}

impl<T: Hash + Eq + Clone> Interner<T> {
    fn number<Q: Hash + Eq + ToOwned<Owned = T> + ?Sized>(&mut self, value: &Q) -> u32
    where
        T: Borrow<Q>,
    {
        if let Some(n) = self.numbers.get(value) {
            return *n;
        }
        let n = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        self.values.push(value.to_owned());
        self.numbers.insert(value.to_owned(), n);
        n
    }

    fn find<Q: Hash + Eq + ?Sized>(&self, value: &Q) -> Option<u32>
    where
        T: Borrow<Q>,
    {
        self.numbers.get(value).copied()
    }
}

/// Each document's capacity, apart from the rest of the index: a one-tap capacity update
/// changes it in place (see [`Index::set_capacity`]) instead of rebuilding the index,
/// which takes seconds at a hundred thousand services.
#[derive(Debug, Default)]
struct Capacities(RwLock<CapacityTable>);

/// Each document's capacity, and apart from it its status alone (its place in
/// `CapacityStatus::ALL`), which is all the filter and the facet read: a byte per
/// document in order, where the whole capacity is dozens.
#[derive(Debug, Clone, Default)]
struct CapacityTable {
    full: Vec<Capacity>,
    status: Vec<u8>,
}

impl CapacityTable {
    fn place(status: CapacityStatus) -> u8 {
        CapacityStatus::ALL.iter().position(|s| *s == status).and_then(|n| u8::try_from(n).ok()).unwrap_or(0)
    }

    fn push(&mut self, capacity: Capacity) {
        self.status.push(Self::place(capacity.status));
        self.full.push(capacity);
    }

    fn set(&mut self, doc: usize, capacity: Capacity) {
        self.status[doc] = Self::place(capacity.status);
        self.full[doc] = capacity;
    }
}

impl Capacities {
    fn read(&self) -> RwLockReadGuard<'_, CapacityTable> {
        self.0.read().unwrap_or_else(PoisonError::into_inner)
    }

    fn write(&self) -> RwLockWriteGuard<'_, CapacityTable> {
        self.0.write().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Clone for Capacities {
    fn clone(&self) -> Self {
        Capacities(RwLock::new(self.read().clone()))
    }
}

/// A built index. Cloning it copies the lists of documents and words, not the documents
/// and words themselves (see [`Index::patched`]).
#[derive(Debug, Clone, Default)]
pub struct Index {
    docs: Vec<Arc<Doc>>,
    /// Per document, what filters and facets read (see [`Facts`]).
    facts: Vec<Facts>,
    /// Per category, region, language and attribute, the documents with it.
    sets: FacetSets,
    /// Which documents are open, for the minute searches last asked about.
    open: OpenNow,
    /// The documents' lists of numbers (category closures, regions, languages), end to end.
    lists: Vec<u32>,
    /// The documents' located places, end to end, for distances; and where each
    /// document's start.
    points: Vec<Point>,
    point_starts: Vec<u32>,
    /// Per document, the tile its places lie in: a search with a radius passes over the
    /// documents beyond it without reading their facts or places.
    tiles: Vec<Tile>,
    /// The distinct opening hours of the documents; shared with patched copies until a
    /// patch brings hours no document had (in a real directory, nearly every service's
    /// hours could differ: copying them all for each patch would cost what the patch saves).
    hours: Arc<Interner<Hours>>,
    /// Per document: replaced by a later document of the same service, or retired, by a
    /// patch. Searches pass over it until the next full build drops it.
    superseded: Vec<bool>,
    /// Numbers of the documents in use (not superseded) in id order, to find a service's document.
    by_id: Vec<u32>,
    /// Numbers of the documents in use in (folded name, id) order.
    by_name: Vec<u32>,
    /// Per document, its place in `by_name`: ties in score go by it, and comparing two
    /// numbers is what keeps ranking thousands of equal scores cheap.
    name_ranks: Vec<u32>,
    capacities: Capacities,
    /// Every indexed word with its postings, in word order: a query word is only
    /// compared with the words sharing its first letter, which every kind of match needs.
    vocabulary: Vec<Arc<Term>>,
    zone: Option<Tz>,
    categories: Interner,
    category_refs: Vec<Option<TermRef>>,
    regions: Interner,
    languages: Interner,
    organizations: Interner,
    organization_names: Vec<String>,
}

/// What the index keeps of one of a document's lists: its first 255 numbers (a length
/// fits in a byte; no service has that many categories, regions or languages).
fn kept_list(numbers: &[u32]) -> &[u32] {
    &numbers[..numbers.len().min(usize::from(u8::MAX))]
}

fn attribute_bit(attribute: ServiceAttribute) -> u32 {
    let position = ServiceAttribute::ALL.iter().position(|a| *a == attribute).unwrap_or(31);
    1 << position.min(31)
}

impl Index {
    /// How many services it holds.
    pub fn services(&self) -> usize {
        self.by_id.len()
    }

    /// Whether patching `changed` more services in keeps superseded documents under a tenth
    /// of the index (at least a thousand): past that, a full build is due.
    pub fn can_patch(&self, changed: usize) -> bool {
        self.docs.len() - self.by_id.len() + changed <= (self.docs.len() / 10).max(PATCH_FLOOR)
    }

    /// The number of the document in use for this service.
    fn document(&self, id: &str) -> Option<usize> {
        let found = self.by_id.binary_search_by(|n| (*self.docs[*n as usize].id).cmp(id)).ok()?;
        Some(self.by_id[found] as usize)
    }

    /// Changes one service's capacity in place; false when the index does not hold it
    /// (not active, or newer than the index: the next rebuild brings it).
    pub fn set_capacity(&self, id: &str, capacity: Capacity) -> bool {
        let Some(n) = self.document(id) else {
            return false;
        };
        self.capacities.write().set(n, capacity);
        true
    }

    /// One of a document's lists of numbers.
    fn numbers(&self, facts: &Facts, which: Listed) -> &[u32] {
        let before: usize = facts.lengths[..which as usize].iter().map(|n| usize::from(*n)).sum();
        let start = facts.lists as usize + before;
        &self.lists[start..start + usize::from(facts.lengths[which as usize])]
    }
}

#[cfg(test)]
mod tests {
    use super::facets::{FacetCounts, Filing};
    use super::postings::{intersect, recycle, score_list, union_best, Field, Posting, SPARE_LISTS, SPARE_SCORES};
    use super::ranking::{Candidate, First};
    use super::{Facts, Index, SearchQuery};

    /// What facets read of a document: its category closure, regions, languages and attribute bits.
    type Filed<'a> = (&'a [u32], &'a [u32], &'a [u32], u32);

    /// An index holding only what facets read.
    fn filed_index(docs: &[Filed<'_>]) -> Index {
        let mut index = Index::default();
        for n in 0..8 {
            index.categories.number(&format!("category {n}"));
            index.regions.number(&format!("region {n}"));
            index.languages.number(&format!("language {n}"));
        }
        for (n, (closure, regions, languages, attributes)) in docs.iter().enumerate() {
            let lists = u32::try_from(index.lists.len()).unwrap_or(u32::MAX);
            let [c, r, l] = [*closure, *regions, *languages].map(|list| index.append_list(list));
            let facts = Facts {
                organization: 0,
                attributes: *attributes,
                hours: 0,
                links: 0,
                lists,
                lengths: [c, r, l, 0],
                minimum_age: i16::MIN,
                maximum_age: i16::MAX,
                open_24_7: false,
                accepts_referrals: false,
            };
            index.sets.add(u32::try_from(n).unwrap_or(u32::MAX), [closure, regions, languages], *attributes);
            index.facts.push(facts);
        }
        index
    }

    #[test]
    fn facets_count_the_same_from_lists_and_from_sets() {
        // 300 documents over five words of sets, with lists of varied lengths, some empty.
        let closures: [&[u32]; 4] = [&[0, 1], &[0, 2, 3], &[4], &[]];
        let regions: [&[u32]; 3] = [&[0], &[1, 2], &[]];
        let languages: [&[u32]; 3] = [&[0], &[0, 1], &[2]];
        let docs: Vec<Filed<'_>> = (0..300usize).map(|n| (closures[n % 4], regions[n % 3], languages[n % 7 % 3], u32::try_from(n).unwrap_or(0).wrapping_mul(2_654_435_761) >> 7)).collect();
        let index = filed_index(&docs);
        for found in [vec![], vec![0], vec![5, 64, 65, 299], (0..300).step_by(7).collect(), (0..300).collect::<Vec<u32>>()] {
            // Expecting no documents counts from their lists; expecting them all, from the sets.
            let [mut by_lists, mut by_sets] = [0, usize::MAX].map(|expected| FacetCounts::new(&index, expected));
            assert!(matches!(by_lists.filing, Filing::Lists(_)) && matches!(by_sets.filing, Filing::Sets(_)));
            for counts in [&mut by_lists, &mut by_sets] {
                found.iter().for_each(|doc| counts.add(&index, *doc, &index.facts[*doc as usize], 0, false));
            }
            let from_lists = by_lists.filing.counts(&index);
            assert_eq!(from_lists, by_sets.filing.counts(&index), "{} found", found.len());
            assert_eq!(from_lists[0][0], found.iter().filter(|n| *n % 4 < 2).count() as u64, "category 0, by hand");
        }
    }

    #[test]
    fn score_lists_come_back_empty_and_keep_their_room() {
        let mut list = score_list();
        list.extend([(7, 1.0); 1000]);
        recycle(list);
        let again = score_list();
        assert!(again.is_empty() && again.capacity() >= 1000);
        for _ in 0..SPARE_LISTS + 3 {
            recycle(vec![(0, 0.0)]);
        }
        assert_eq!(SPARE_SCORES.with_borrow(Vec::len), SPARE_LISTS, "a thread keeps a bounded number");
    }

    #[test]
    fn a_page_keeps_the_candidates_a_full_sort_puts_first() {
        // Scores with many ties (broken by name), and distances for "nearest first".
        let candidates: Vec<Candidate> = (0..200u32)
            .map(|n| Candidate { doc: n, name_rank: n * 7919 % 200, score: (n * 31 % 13) as f32, distance: Some((f64::from(n * 17 % 50), false)), open_now: false })
            .collect();
        let by_distance = SearchQuery { near: Some((44.6, -63.6)), by_distance: true, ..SearchQuery::default() };
        for query in [SearchQuery::default(), by_distance] {
            let rank = Index::rank(&query);
            let mut sorted = candidates.clone();
            sorted.sort_by_key(&rank);
            assert!(query.by_distance || sorted[0].score == 12.0, "best first");
            for limit in [1, 20, 199, 200, 500] {
                let mut first = First::new(limit);
                candidates.iter().for_each(|c| first.offer(rank(c), *c));
                let kept: Vec<u32> = first.in_order().iter().map(|c| c.doc).collect();
                assert_eq!(kept, sorted.iter().take(limit).map(|c| c.doc).collect::<Vec<_>>(), "limit {limit}");
            }
        }
    }

    #[test]
    fn facts_stay_two_to_a_cache_line() {
        assert!(std::mem::size_of::<Facts>() <= 32, "{} bytes", std::mem::size_of::<Facts>());
    }

    #[test]
    fn a_posting_keeps_its_document_and_field() {
        for (doc, field) in [(0, Field::Name), (7, Field::Description), ((1 << 30) - 1, Field::Organization), (12_345, Field::Category)] {
            let posting = Posting::new(doc, field);
            assert_eq!((posting.doc(), posting.weight()), (doc, field.weight()));
        }
    }

    #[test]
    fn postings_merge_keeping_the_best_and_intersect_adding_up() {
        let a = [(1, 1.0), (3, 2.0), (7, 1.0)];
        let b = [(0, 0.5), (3, 3.0), (7, 0.5), (9, 1.0)];
        assert_eq!(union_best(&a, &b), [(0, 0.5), (1, 1.0), (3, 3.0), (7, 1.0), (9, 1.0)]);
        assert_eq!(union_best(&[], &b), b);
        assert_eq!(union_best(&a, &[]), a);
        assert_eq!(intersect(&a, &b), [(3, 5.0), (7, 1.5)]);
        assert!(intersect(&a, &[]).is_empty());
    }
}

