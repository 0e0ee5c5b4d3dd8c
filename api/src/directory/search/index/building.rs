//! Making documents of services already loaded (see [`load`](super::load)): nothing here
//! reads the database, so the same index can be built from any list of services.

use std::collections::HashMap;
use std::sync::Arc;

use chrono_tz::Tz;
use harbour_types::{Service, ServiceStatus, TermRef};

use super::postings::{Field, Posting, Term};
use super::{attribute_bit, kept_list, Doc, Facts, Index, Point};
use crate::directory::nearby::Tile;
use crate::directory::search::hours::Hours;
use crate::directory::search::text;

/// Guards the walk up the category tree against a cycle in edited data.
const MAX_CATEGORY_DEPTH: usize = 16;

/// What a document needs besides its service: the category tree, to file a service under
/// every category above its own, and organization names, which are searched.
pub(super) struct Context {
    pub(super) parents: HashMap<String, Option<String>>,
    pub(super) organization_names: HashMap<String, String>,
}

/// One service as the index takes it: its full record as its own organization sees it
/// (search hides what outsiders may not see), and its located places, each with the
/// coarse point those who may not see it are measured by.
pub(super) struct Listing {
    pub(super) service: Service,
    pub(super) points: Vec<Point>,
}

/// Services changed since an index was built, loaded for [`Index::patched`].
pub struct Patch {
    /// Every service changed: those missing from `listings` are gone from the database.
    pub(super) ids: Vec<String>,
    pub(super) listings: Vec<Listing>,
    pub(super) context: Context,
}

/// An index being built: documents added one by one, then its words sorted and its
/// documents put in id and name order.
pub(super) struct Building {
    index: Index,
    postings: HashMap<String, Vec<Posting>>,
}

impl Building {
    /// An empty index, whose "open now" is told in this zone.
    pub(super) fn new(zone: Tz) -> Building {
        Building { index: Index { zone: Some(zone), ..Index::default() }, postings: HashMap::new() }
    }

    pub(super) fn add(&mut self, listing: Listing, context: &Context) {
        self.index.add(listing, context, &mut self.postings);
    }

    pub(super) fn finish(self) -> Index {
        let Building { mut index, postings } = self;
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
        index
    }
}

impl Index {
    /// A copy of this index with the patch's services in afresh (those no longer active
    /// left out): a directory write is found by search in milliseconds, where a full build
    /// takes seconds at a hundred thousand services. Their earlier documents stay behind,
    /// superseded, until the next full build; words' rarity no longer counts them.
    pub fn patched(&self, patch: Patch) -> Index {
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
        for listing in patch.listings.into_iter().filter(|l| l.service.status == ServiceStatus::Active) {
            index.add(listing, &patch.context, &mut postings);
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

    fn add(&mut self, listing: Listing, context: &Context, postings: &mut HashMap<String, Vec<Posting>>) {
        let Listing { service, points } = listing;
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
    pub(super) fn append_list(&mut self, numbers: &[u32]) -> u8 {
        let kept = kept_list(numbers);
        self.lists.extend_from_slice(kept);
        u8::try_from(kept.len()).unwrap_or(u8::MAX)
    }
}
