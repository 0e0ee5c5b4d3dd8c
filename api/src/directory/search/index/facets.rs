//! Facet counts of a search: per category, region, language and attribute, from the
//! documents' lists or from the index's sets, whichever costs less; capacity and hours.

use harbour_types::{CapacityStatus, FacetCount, Facets, ServiceAttribute};

use super::{Facts, Index, Listed};
use crate::directory::search::doc_set::DocSet;

/// Per category (with the services under the categories below it), region, language and
/// attribute bit, the set of documents with it: a filter without words starts from the
/// sets it names, where it passed over every document, and a search that finds many
/// services counts its facets from them (see [`FacetCounts::facets`]).
#[derive(Debug, Clone, Default)]
pub(super) struct FacetSets {
    pub(super) categories: Vec<DocSet>,
    pub(super) regions: Vec<DocSet>,
    pub(super) languages: Vec<DocSet>,
    pub(super) attributes: Vec<DocSet>,
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
    pub(super) fn add(&mut self, doc: u32, lists: [&[u32]; 3], attributes: u32) {
        let [closure, regions, languages] = lists;
        Self::file(&mut self.categories, closure.iter().copied(), doc);
        Self::file(&mut self.regions, regions.iter().copied(), doc);
        Self::file(&mut self.languages, languages.iter().copied(), doc);
        Self::file(&mut self.attributes, (0..32).filter(|bit| attributes & 1 << bit != 0), doc);
    }

    /// The documents with value `n` (none when no document has it).
    pub(super) fn of(sets: &[DocSet], n: u32) -> &DocSet {
        sets.get(n as usize).unwrap_or(DocSet::empty())
    }

    /// How many of `found` are in each of `values` values' sets.
    fn counts(sets: &[DocSet], values: usize, found: &DocSet) -> Vec<u64> {
        (0..values).map(|n| found.common(Self::of(sets, u32::try_from(n).unwrap_or(u32::MAX)))).collect()
    }
}

/// Counting one found document's facets from its lists costs about what comparing this
/// many words of two document sets does (see [`FacetCounts::new`]).
const LISTS_IN_SET_WORDS: usize = 32;

/// How a search counts its category, region, language and attribute facets (see [`FacetCounts::new`]).
pub(super) enum Filing {
    /// Per value number, how many documents found have it, added up from each one's lists.
    Lists([Vec<u64>; 4]),
    /// The documents found, counted at the end from the index's sets, 64 at a time.
    Sets(DocSet),
}

impl Filing {
    /// Per category, region, language and attribute number, how many documents found have it.
    pub(super) fn counts(self, index: &Index) -> [Vec<u64>; 4] {
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
pub(super) struct FacetCounts {
    pub(super) filing: Filing,
    capacity: [u64; 3],
    open_now: u64,
    open_24_7: u64,
}

impl FacetCounts {
    /// Counts for a search that looks at `expected` documents (and finds at most as many):
    /// from their lists, at a cost that grows with those found, or from the index's
    /// sets, at a cost that grows with the index, whichever is less.
    pub(super) fn new(index: &Index, expected: usize) -> FacetCounts {
        let values = Self::values(index);
        let set_words = index.facts.len().div_ceil(64) * values.iter().sum::<usize>();
        let filing = if expected.saturating_mul(LISTS_IN_SET_WORDS) <= set_words { Filing::Lists(values.map(|n| vec![0; n])) } else { Filing::Sets(DocSet::default()) };
        FacetCounts { filing, capacity: [0; 3], open_now: 0, open_24_7: 0 }
    }

    /// How many categories, regions, languages and attribute bits there are.
    fn values(index: &Index) -> [usize; 4] {
        [index.categories.values.len(), index.regions.values.len(), index.languages.values.len(), 32]
    }

    pub(super) fn add(&mut self, index: &Index, doc: u32, facts: &Facts, capacity: u8, open_now: bool) {
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

    pub(super) fn facets(self, index: &Index) -> Facets {
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
