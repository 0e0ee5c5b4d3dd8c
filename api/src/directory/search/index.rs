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

use std::borrow::Borrow;
use std::cell::RefCell;
use std::collections::{BinaryHeap, HashMap};
use std::hash::Hash;
use std::sync::{Arc, Mutex, PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use diesel::prelude::*;
use harbour_types::{
    Capacity, CapacityStatus, FacetCount, Facets, Page, PageRequest, Phone, SearchHit, SearchResults, ServiceAttribute, ServiceStatus, TermRef, Visibility,
};

use super::doc_set::DocSet;
use super::hours::{next_opening, Clock, Hours};
use super::text;
use crate::db::schema::{organizations, services, taxonomy_terms};
use crate::db::DbConn;
use crate::directory::nearby::{Origin, Tile};
use crate::directory::repo;
use crate::directory::service::service_dto;
use crate::directory::visibility::{shows_place, Viewer};
use crate::error::ApiError;

const NAME_WEIGHT: f32 = 3.0;
const CATEGORY_WEIGHT: f32 = 2.0;
const ORGANIZATION_WEIGHT: f32 = 1.5;
const DESCRIPTION_WEIGHT: f32 = 1.0;
/// How many services are loaded from the database at a time while building.
const BUILD_CHUNK: usize = 500;
/// Superseded documents an index may hold whatever its size (see [`Index::can_patch`]).
const PATCH_FLOOR: usize = 1000;
/// How many documents a search reads ahead at a time (see [`Index::gather`]): about as
/// many reads from memory as a core keeps going at once.
const GATHERED: usize = 16;
/// Guards the walk up the category tree against a cycle in edited data.
const MAX_CATEGORY_DEPTH: usize = 16;
/// How many score lists a thread keeps for its next search (see [`SPARE_SCORES`]): what
/// a query of a few words, each matching a few indexed words, holds at once.
const SPARE_LISTS: usize = 6;

thread_local! {
    /// Score lists (document, score) a search on this thread is done with, cleared and
    /// kept for the next one. A list of tens of thousands of documents is above glibc's
    /// mmap threshold as the image sets it (README, Memory): each was mapped afresh,
    /// faulted in page by page and unmapped again, several times per search, a fifth of
    /// a two-word search's time.
    static SPARE_SCORES: RefCell<Vec<Vec<(u32, f32)>>> = const { RefCell::new(Vec::new()) };
}

/// An empty score list, a spare one when this thread has one.
fn score_list() -> Vec<(u32, f32)> {
    SPARE_SCORES.with_borrow_mut(Vec::pop).unwrap_or_default()
}

/// Keeps a score list a search is done with for this thread's next one.
fn recycle(mut list: Vec<(u32, f32)>) {
    list.clear();
    SPARE_SCORES.with_borrow_mut(|spare| {
        if spare.len() < SPARE_LISTS {
            spare.push(list);
        }
    });
}

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

/// The fields a word is found in, best first: a posting keeps its best one's place here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Field {
    Name,
    Category,
    Organization,
    Description,
}

impl Field {
    fn weight(self) -> f32 {
        match self {
            Field::Name => NAME_WEIGHT,
            Field::Category => CATEGORY_WEIGHT,
            Field::Organization => ORGANIZATION_WEIGHT,
            Field::Description => DESCRIPTION_WEIGHT,
        }
    }
}

/// A document a word occurs in and the best field it is in, packed in four bytes (the
/// document's number above two bits for the field) where a pair of document and weight
/// took eight: there is one per distinct word of every service.
#[derive(Debug, Clone, Copy)]
struct Posting(u32);

impl Posting {
    const FIELDS: [Field; 4] = [Field::Name, Field::Category, Field::Organization, Field::Description];

    fn new(doc: u32, field: Field) -> Posting {
        Posting(doc << 2 | field as u32)
    }

    fn doc(self) -> u32 {
        self.0 >> 2
    }

    fn weight(self) -> f32 {
        Self::FIELDS[(self.0 & 3) as usize].weight()
    }
}

/// An indexed word and the documents it occurs in, by document. Shared between an index
/// and its patched copies until a patch changes it.
#[derive(Debug)]
struct Term {
    word: Box<str>,
    postings: Box<[Posting]>,
    /// How many of those documents are not superseded: the word's rarity counts these
    /// only, so that a score is the same after a patch as after a full build. (Otherwise
    /// a score would change when any service with the word was saved, a safe house's
    /// service moved included, and tell someone watching that it was.)
    live: u32,
}

impl Term {
    fn new(word: Box<str>, postings: Box<[Posting]>) -> Term {
        let live = u32::try_from(postings.len()).unwrap_or(u32::MAX);
        Term { word, postings, live }
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

/// What a document needs besides its service: the category tree, to file a service under
/// every category above its own, and organization names, which are searched.
struct Context {
    parents: HashMap<String, Option<String>>,
    organization_names: HashMap<String, String>,
}

impl Context {
    /// The whole tree, and the names of these organizations (all with none given).
    fn load(conn: &mut DbConn, organization_ids: Option<&[String]>) -> QueryResult<Context> {
        let parents = taxonomy_terms::table.select((taxonomy_terms::id, taxonomy_terms::parent_id)).load(conn)?.into_iter().collect();
        let mut names = organizations::table.select((organizations::id, organizations::name)).into_boxed();
        if let Some(ids) = organization_ids {
            names = names.filter(organizations::id.eq_any(ids.to_vec()));
        }
        Ok(Context { parents, organization_names: names.load(conn)?.into_iter().collect() })
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

/// Per category (with the services under the categories below it), region, language and
/// attribute bit, the set of documents with it: a filter without words starts from the
/// sets it names, where it passed over every document, and a search that finds many
/// services counts its facets from them (see [`FacetCounts::facets`]).
#[derive(Debug, Clone, Default)]
struct FacetSets {
    categories: Vec<DocSet>,
    regions: Vec<DocSet>,
    languages: Vec<DocSet>,
    attributes: Vec<DocSet>,
}

impl FacetSets {
    fn file(sets: &mut Vec<DocSet>, numbers: impl IntoIterator<Item = u32>, doc: u32) {
        for n in numbers {
            let n = n as usize;
            if sets.len() <= n {
                sets.resize_with(n + 1, DocSet::default);
            }
            sets[n].insert(doc);
        }
    }

    /// Files a document under its categories' closure, its regions, languages and attributes.
    fn add(&mut self, doc: u32, lists: [&[u32]; 3], attributes: u32) {
        let [closure, regions, languages] = lists;
        Self::file(&mut self.categories, closure.iter().copied(), doc);
        Self::file(&mut self.regions, regions.iter().copied(), doc);
        Self::file(&mut self.languages, languages.iter().copied(), doc);
        Self::file(&mut self.attributes, (0..32).filter(|bit| attributes & 1 << bit != 0), doc);
    }

    /// The documents with value `n` (none when no document has it).
    fn of(sets: &[DocSet], n: u32) -> &DocSet {
        sets.get(n as usize).unwrap_or(DocSet::empty())
    }

    /// How many of `found` are in each of `values` values' sets.
    fn counts(sets: &[DocSet], values: usize, found: &DocSet) -> Vec<u64> {
        (0..values).map(|n| found.common(Self::of(sets, u32::try_from(n).unwrap_or(u32::MAX)))).collect()
    }
}

/// The documents open at one minute, worked out once for all the searches asking about
/// it (see [`Index::open_at`]). A copy of the index starts without: its hours may differ.
#[derive(Debug, Default)]
struct OpenNow(Mutex<Option<(Clock, Arc<DocSet>)>>);

impl Clone for OpenNow {
    fn clone(&self) -> Self {
        OpenNow::default()
    }
}

/// The documents in either list (each in document order), each with its better score.
fn union_best(a: &[(u32, f32)], b: &[(u32, f32)]) -> Vec<(u32, f32)> {
    let mut out = score_list();
    out.reserve(a.len() + b.len());
    let mut a = a.iter().copied().peekable();
    for &(doc, score) in b {
        while let Some(earlier) = a.next_if(|x| x.0 < doc) {
            out.push(earlier);
        }
        match a.next_if(|x| x.0 == doc) {
            Some(same) => out.push((doc, same.1.max(score))),
            None => out.push((doc, score)),
        }
    }
    out.extend(a);
    out
}

/// The documents in both lists (each in document order), their scores added.
fn intersect(a: &[(u32, f32)], b: &[(u32, f32)]) -> Vec<(u32, f32)> {
    let mut out = score_list();
    out.reserve(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.0.cmp(&y.0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push((x.0, x.1 + y.1));
                i += 1;
                j += 1;
            }
        }
    }
    out
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

/// Services changed since an index was built, loaded for [`Index::patched`].
pub struct Patch {
    /// Every service changed: those missing from `services` are gone from the database.
    ids: Vec<String>,
    services: Vec<repo::ServiceAggregate>,
    context: Context,
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
struct Candidate {
    doc: u32,
    /// The document's place in name order (see `Index::name_ranks`), copied so ordering never looks it up.
    name_rank: u32,
    score: f32,
    distance: Option<(f64, bool)>,
    open_now: bool,
}

/// The first candidates in the order results are listed (by the keys of `Index::rank`),
/// kept while thousands go by: a page needs only those up to its end. Keeping every
/// candidate took an allocation the size of the result set in every search (above
/// 128 KB, a fresh mapping from the system, faulted in page by page) and a partial sort.
struct First {
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
    fn new(limit: usize) -> First {
        First { limit, kept: BinaryHeap::new() }
    }

    fn offer(&mut self, key: (u64, u32), candidate: Candidate) {
        if self.kept.len() < self.limit {
            self.kept.push(Ranked { key, candidate });
        } else if let Some(mut last) = self.kept.peek_mut().filter(|last| key < last.key) {
            *last = Ranked { key, candidate };
        }
    }

    fn in_order(self) -> Vec<Candidate> {
        self.kept.into_sorted_vec().into_iter().map(|r| r.candidate).collect()
    }
}

impl Index {
    /// Builds the index from every active service in the database.
    pub fn build(conn: &mut DbConn, time_zone: &str) -> Result<Index, ApiError> {
        let zone: Tz = time_zone.parse().map_err(|_| ApiError::Internal(format!("unknown time zone {time_zone}")))?;
        let context = Context::load(conn, None)?;
        let ids: Vec<String> = services::table.filter(services::status.eq(ServiceStatus::Active.code())).order(services::id.asc()).select(services::id).load(conn)?;
        let mut index = Index { zone: Some(zone), ..Index::default() };
        let mut postings = HashMap::new();
        for chunk in ids.chunks(BUILD_CHUNK) {
            for aggregate in repo::load_services(conn, chunk)? {
                index.add(&aggregate, &context, &mut postings);
            }
        }
        index.vocabulary = postings.into_iter().map(|(word, postings)| Arc::new(Term::new(word.into(), postings.into()))).collect();
        index.vocabulary.sort_unstable_by(|a, b| a.word.cmp(&b.word));
        let numbers = 0..u32::try_from(index.docs.len()).unwrap_or(u32::MAX);
        index.by_id = numbers.clone().collect();
        index.by_id.sort_unstable_by(|a, b| index.docs[*a as usize].id.cmp(&index.docs[*b as usize].id));
        // Each name folded once, not at every comparison of the sort.
        let mut by_name: Vec<(String, u32)> = numbers.map(|n| (text::fold(&index.docs[n as usize].name), n)).collect();
        by_name.sort_unstable_by(|a, b| a.0.cmp(&b.0).then_with(|| index.docs[a.1 as usize].id.cmp(&index.docs[b.1 as usize].id)));
        index.by_name = by_name.into_iter().map(|(_, n)| n).collect();
        index.rank_names();
        Ok(index)
    }

    /// What [`Index::patched`] needs from the database to put these services in afresh.
    pub fn load_patch(conn: &mut DbConn, ids: &[String]) -> Result<Patch, ApiError> {
        let services = repo::load_services(conn, ids)?;
        let organizations: Vec<String> = services.iter().map(|s| s.row.organization_id.clone()).collect();
        Ok(Patch { ids: ids.to_vec(), context: Context::load(conn, Some(&organizations))?, services })
    }

    /// A copy of this index with the patch's services in afresh (those no longer active
    /// left out): a directory write is found by search in milliseconds, where a full build
    /// takes seconds at a hundred thousand services. Their earlier documents stay behind,
    /// superseded, until the next full build; words' rarity no longer counts them.
    pub fn patched(&self, patch: &Patch) -> Index {
        let mut index = self.clone();
        let mut gone = Vec::new();
        for id in &patch.ids {
            if let Some(n) = index.document(id) {
                index.superseded[n] = true;
                gone.push(u32::try_from(n).unwrap_or(u32::MAX));
            }
        }
        // Each word's postings are in document order: a binary search per superseded
        // document tells whether it had the word.
        for term in &mut index.vocabulary {
            let had = gone.iter().filter(|doc| term.postings.binary_search_by_key(*doc, |p| p.doc()).is_ok()).count();
            if had > 0 {
                let live = term.live.saturating_sub(u32::try_from(had).unwrap_or(u32::MAX));
                *term = Arc::new(Term { word: term.word.clone(), postings: term.postings.clone(), live });
            }
        }
        index.by_id.retain(|n| !index.superseded[*n as usize]);
        index.by_name.retain(|n| !index.superseded[*n as usize]);
        let first_new = index.docs.len();
        let mut postings = HashMap::new();
        for service in patch.services.iter().filter(|s| s.row.status == ServiceStatus::Active.code()) {
            index.add(service, &patch.context, &mut postings);
        }
        for n in first_new..index.docs.len() {
            let doc = Arc::clone(&index.docs[n]);
            let number = u32::try_from(n).unwrap_or(u32::MAX);
            let at = index.by_id.partition_point(|m| index.docs[*m as usize].id < doc.id);
            index.by_id.insert(at, number);
            let key = (text::fold(&doc.name), &doc.id);
            let at = index.by_name.partition_point(|m| {
                let other = &index.docs[*m as usize];
                (text::fold(&other.name), &other.id) < key
            });
            index.by_name.insert(at, number);
        }
        // The new documents have the highest numbers: appended, every list stays in
        // document order. Only the words of the new documents are copied.
        for (word, list) in postings {
            match index.vocabulary.binary_search_by(|term| (*term.word).cmp(&word)) {
                Ok(found) => {
                    let term = &index.vocabulary[found];
                    let live = term.live.saturating_add(u32::try_from(list.len()).unwrap_or(u32::MAX));
                    let postings = term.postings.iter().copied().chain(list).collect();
                    index.vocabulary[found] = Arc::new(Term { word: term.word.clone(), postings, live });
                }
                Err(at) => index.vocabulary.insert(at, Arc::new(Term::new(word.into(), list.into()))),
            }
        }
        index.rank_names();
        index
    }

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

    /// Gives each document in use its place in name order (superseded ones keep theirs: unused).
    fn rank_names(&mut self) {
        self.name_ranks.resize(self.docs.len(), u32::MAX);
        for (rank, n) in self.by_name.iter().enumerate() {
            self.name_ranks[*n as usize] = u32::try_from(rank).unwrap_or(u32::MAX);
        }
    }

    fn category(&mut self, id: &str, reference: Option<&TermRef>) -> u32 {
        let n = self.categories.number(id) as usize;
        if self.category_refs.len() <= n {
            self.category_refs.resize(n + 1, None);
        }
        if let Some(term) = reference {
            self.category_refs[n] = Some(term.clone());
        }
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    fn add(&mut self, aggregate: &repo::ServiceAggregate, context: &Context, postings: &mut HashMap<String, Vec<Posting>>) {
        // The full record, as its own organization sees it; search hides what outsiders may not see.
        let time_zone = self.zone.unwrap_or(chrono_tz::America::Halifax);
        let service = service_dto(aggregate, Viewer::Partner(&aggregate.row.organization_id), time_zone.name());
        let organization_name = context.organization_names.get(&service.organization_id).cloned().unwrap_or_default();
        let organization = self.organizations.number(&service.organization_id);
        if self.organization_names.len() <= organization as usize {
            self.organization_names.push(organization_name.clone());
        }
        let doc_id = u32::try_from(self.docs.len()).unwrap_or(u32::MAX);
        let mut fields: HashMap<String, Field> = HashMap::new();
        let mut add_words = |text: &str, field: Field| {
            for word in text::words(text) {
                let best = fields.entry(word).or_insert(field);
                *best = (*best).min(field);
            }
        };
        add_words(&service.name, Field::Name);
        if let Some(alternate) = &service.alternate_name {
            add_words(alternate, Field::Name);
        }
        for category in &service.categories {
            add_words(&category.name, Field::Category);
            add_words(&category.name_fr, Field::Category);
        }
        add_words(&organization_name, Field::Organization);
        add_words(&service.description, Field::Description);
        for (word, field) in fields {
            postings.entry(word).or_default().push(Posting::new(doc_id, field));
        }
        let categories: Vec<u32> = service.categories.iter().map(|c| self.category(&c.id, Some(c))).collect();
        let mut closure = Vec::new();
        for category in &service.categories {
            let mut current = Some(category.id.clone());
            for _ in 0..MAX_CATEGORY_DEPTH {
                let Some(id) = current else { break };
                current = context.parents.get(&id).cloned().flatten();
                closure.push(self.category(&id, None));
            }
        }
        closure.sort_unstable();
        closure.dedup();
        #[expect(clippy::cast_possible_truncation, reason = "a grid centre, kept to within a meter")]
        let points: Vec<Point> = aggregate
            .locations
            .iter()
            .filter_map(|(_, location)| {
                Some(Point {
                    latitude: location.latitude?,
                    longitude: location.longitude?,
                    coarse: location.coarse_latitude.zip(location.coarse_longitude).map(|(latitude, longitude)| (latitude as f32, longitude as f32)),
                    visibility: location.visibility(),
                })
            })
            .collect();
        let hours = Hours::of(&service.schedules, &service.schedule_exceptions, service.open_24_7);
        let regions: Vec<u32> = service.regions.iter().map(|r| self.regions.number(&r.id)).collect();
        let languages: Vec<u32> = service.languages.iter().map(|l| self.languages.number(&l.code)).collect();
        let facts = Facts {
            organization,
            attributes: service.harbour_attributes.iter().fold(0, |bits, a| bits | attribute_bit(*a)),
            hours: match self.hours.find(&hours) {
                Some(n) => n,
                None => Arc::make_mut(&mut self.hours).number(&hours),
            },
            minimum_age: service.minimum_age.map_or(i16::MIN, |age| i16::try_from(age).unwrap_or(i16::MAX)),
            maximum_age: service.maximum_age.map_or(i16::MAX, |age| i16::try_from(age).unwrap_or(i16::MAX)),
            lists: u32::try_from(self.lists.len()).unwrap_or(u32::MAX),
            lengths: {
                let [closure, regions, languages] = [&closure, &regions, &languages].map(|list| self.append_list(list));
                [closure, regions, languages, self.append_points(&points)]
            },
            links: u32::try_from(service.service_at_locations.len()).unwrap_or(u32::MAX),
            open_24_7: service.open_24_7,
            accepts_referrals: service.accepts_referrals,
        };
        // Filed as listed, so that counting from the sets and from the lists agree.
        self.sets.add(doc_id, [&closure, &regions, &languages].map(|list| kept_list(list)), facts.attributes);
        self.facts.push(facts);
        self.capacities.write().push(service.capacity);
        self.superseded.push(false);
        self.docs.push(Arc::new(Doc {
            id: service.id.into(),
            name: service.name.into(),
            categories: categories.into(),
            phone: service.phones.into_iter().next(),
        }));
    }

    /// Appends a document's located places to `points` (its first 255) and their tile,
    /// that of their coordinates and coarse points alike (each viewer measures from one);
    /// returns how many.
    fn append_points(&mut self, points: &[Point]) -> u8 {
        self.point_starts.push(u32::try_from(self.points.len()).unwrap_or(u32::MAX));
        let kept = &points[..points.len().min(usize::from(u8::MAX))];
        let coarse = kept.iter().filter_map(|p| p.coarse).map(|(latitude, longitude)| (f64::from(latitude), f64::from(longitude)));
        self.tiles.push(Tile::of_places(kept.iter().map(|p| (p.latitude, p.longitude)).chain(coarse)));
        self.points.extend_from_slice(kept);
        u8::try_from(kept.len()).unwrap_or(u8::MAX)
    }

    /// Appends one of a document's lists, as `kept_list` keeps it, to `lists`; returns its length.
    fn append_list(&mut self, numbers: &[u32]) -> u8 {
        let kept = kept_list(numbers);
        self.lists.extend_from_slice(kept);
        u8::try_from(kept.len()).unwrap_or(u8::MAX)
    }

    /// One of a document's lists of numbers.
    fn numbers(&self, facts: &Facts, which: Listed) -> &[u32] {
        let before: usize = facts.lengths[..which as usize].iter().map(|n| usize::from(*n)).sum();
        let start = facts.lists as usize + before;
        &self.lists[start..start + usize::from(facts.lengths[which as usize])]
    }

    /// Scores every document that matches all query words, in document order; none
    /// without words (every document matches, with no score).
    fn text_scores(&self, query: &str) -> Option<Vec<(u32, f32)>> {
        let mut per_word: Vec<Vec<(u32, f32)>> = text::words(query).map(|word| self.word_scores(&word)).collect();
        // Intersect from the rarest word, so the running result only shrinks.
        per_word.sort_by_key(Vec::len);
        let mut words = per_word.into_iter();
        let mut scores = words.next()?;
        for next in words {
            let both = intersect(&scores, &next);
            recycle(std::mem::replace(&mut scores, both));
            recycle(next);
        }
        Some(scores)
    }

    /// The documents one query word matches, in document order, each with its best
    /// match's weight × the field's weight × the matched word's rarity (idf).
    fn word_scores(&self, word: &str) -> Vec<(u32, f32)> {
        let Some(first) = word.bytes().next() else { return Vec::new() };
        let initial = |t: &Term| t.word.bytes().next();
        let start = self.vocabulary.partition_point(|t| initial(t) < Some(first));
        let end = start + self.vocabulary[start..].partition_point(|t| initial(t) == Some(first));
        let total = self.by_id.len() as f32;
        let matched: Vec<(&[Posting], f32)> = self.vocabulary[start..end]
            .iter()
            .filter_map(|term| text::matches(word, &term.word).map(|kind| (&*term.postings, kind.weight() * (1.0 + total / term.live.max(1) as f32).ln())))
            .collect();
        // Merge the matched words' postings (each in document order) two by two, keeping
        // each document's best: O(postings × log words), even for a two-letter prefix
        // matching hundreds of words, and no array over every document.
        let mut lists: Vec<Vec<(u32, f32)>> = matched
            .into_iter()
            .map(|(postings, factor)| {
                let mut list = score_list();
                list.extend(postings.iter().map(|posting| (posting.doc(), posting.weight() * factor)));
                list
            })
            .collect();
        while lists.len() > 1 {
            let mut pairs = std::mem::take(&mut lists).into_iter();
            while let Some(a) = pairs.next() {
                match pairs.next() {
                    Some(b) => {
                        lists.push(union_best(&a, &b));
                        recycle(a);
                        recycle(b);
                    }
                    None => lists.push(a),
                }
            }
        }
        lists.pop().unwrap_or_default()
    }

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
    fn rank(query: &SearchQuery) -> impl Fn(&Candidate) -> (u64, u32) {
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

/// Counting one found document's facets from its lists costs about what comparing this
/// many words of two document sets does (see [`FacetCounts::new`]).
const LISTS_IN_SET_WORDS: usize = 32;

/// How a search counts its category, region, language and attribute facets (see [`FacetCounts::new`]).
enum Filing {
    /// Per value number, how many documents found have it, added up from each one's lists.
    Lists([Vec<u64>; 4]),
    /// The documents found, counted at the end from the index's sets, 64 at a time.
    Sets(DocSet),
}

impl Filing {
    /// Per category, region, language and attribute number, how many documents found have it.
    fn counts(self, index: &Index) -> [Vec<u64>; 4] {
        match self {
            Filing::Lists(counts) => counts,
            Filing::Sets(found) => {
                let values = FacetCounts::values(index);
                let sets = [&index.sets.categories, &index.sets.regions, &index.sets.languages, &index.sets.attributes];
                std::array::from_fn(|n| FacetSets::counts(sets[n], values[n], &found))
            }
        }
    }
}

/// Facet counts, added up as documents are found.
struct FacetCounts {
    filing: Filing,
    capacity: [u64; 3],
    open_now: u64,
    open_24_7: u64,
}

impl FacetCounts {
    /// Counts for a search that looks at `expected` documents (and finds at most as many):
    /// from their lists, at a cost that grows with those found, or from the index's
    /// sets, at a cost that grows with the index, whichever is less.
    fn new(index: &Index, expected: usize) -> FacetCounts {
        let values = Self::values(index);
        let set_words = index.facts.len().div_ceil(64) * values.iter().sum::<usize>();
        let filing = if expected.saturating_mul(LISTS_IN_SET_WORDS) <= set_words { Filing::Lists(values.map(|n| vec![0; n])) } else { Filing::Sets(DocSet::default()) };
        FacetCounts { filing, capacity: [0; 3], open_now: 0, open_24_7: 0 }
    }

    /// How many categories, regions, languages and attribute bits there are.
    fn values(index: &Index) -> [usize; 4] {
        [index.categories.values.len(), index.regions.values.len(), index.languages.values.len(), 32]
    }

    fn add(&mut self, index: &Index, doc: u32, facts: &Facts, capacity: u8, open_now: bool) {
        match &mut self.filing {
            Filing::Lists([categories, regions, languages, attributes]) => {
                for (which, counts) in [(Listed::CategoryClosure, categories), (Listed::Regions, regions), (Listed::Languages, languages)] {
                    index.numbers(facts, which).iter().for_each(|n| counts[*n as usize] += 1);
                }
                let mut bits = facts.attributes;
                while bits != 0 {
                    attributes[bits.trailing_zeros() as usize] += 1;
                    bits &= bits - 1;
                }
            }
            Filing::Sets(found) => found.insert(doc),
        }
        self.capacity[usize::from(capacity).min(2)] += 1;
        self.open_now += u64::from(open_now);
        self.open_24_7 += u64::from(facts.open_24_7);
    }

    fn facets(self, index: &Index) -> Facets {
        let listed = |counts: &[u64], name: &dyn Fn(usize) -> String| {
            let mut out: Vec<FacetCount> = counts.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| FacetCount { value: name(i), count: *n }).collect();
            out.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value)));
            out
        };
        let [categories, regions, languages, attributes] = self.filing.counts(index);
        Facets {
            categories: listed(&categories, &|i| index.categories.values[i].clone()),
            regions: listed(&regions, &|i| index.regions.values[i].clone()),
            languages: listed(&languages, &|i| index.languages.values[i].clone()),
            attributes: listed(&attributes[..ServiceAttribute::ALL.len()], &|i| ServiceAttribute::ALL[i].code().to_owned()),
            capacity: listed(&self.capacity, &|i| CapacityStatus::ALL[i].code().to_owned()),
            open_now: self.open_now,
            open_24_7: self.open_24_7,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{
        intersect, recycle, score_list, union_best, Candidate, FacetCounts, Facts, Filing, Field, First, Index, Posting, SearchQuery, SPARE_LISTS, SPARE_SCORES,
    };

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
