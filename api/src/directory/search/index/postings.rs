//! The words of the documents and where they occur, and the scores of a query's words:
//! each matched against the vocabulary (see `text::matches`), weighted by field and by
//! rarity, and merged or intersected in document order.

use std::cell::RefCell;

use super::Index;
use crate::directory::search::text;

const NAME_WEIGHT: f32 = 3.0;
const CATEGORY_WEIGHT: f32 = 2.0;
const ORGANIZATION_WEIGHT: f32 = 1.5;
const DESCRIPTION_WEIGHT: f32 = 1.0;
/// How many score lists a thread keeps for its next search (see [`SPARE_SCORES`]): what
/// a query of a few words, each matching a few indexed words, holds at once.
pub(super) const SPARE_LISTS: usize = 6;


thread_local! {
    /// Score lists (document, score) a search on this thread is done with, cleared and
    /// kept for the next one. A list of tens of thousands of documents is above glibc's
    /// mmap threshold as the image sets it (README, Memory): each was mapped afresh,
    /// faulted in page by page and unmapped again, several times per search, a fifth of
    /// a two-word search's time.
    pub(super) static SPARE_SCORES: RefCell<Vec<Vec<(u32, f32)>>> = const { RefCell::new(Vec::new()) };
}

/// An empty score list, a spare one when this thread has one.
pub(super) fn score_list() -> Vec<(u32, f32)> {
    SPARE_SCORES.with_borrow_mut(Vec::pop).unwrap_or_default()
}

/// Keeps a score list a search is done with for this thread's next one.
pub(super) fn recycle(mut list: Vec<(u32, f32)>) {
    list.clear();
    SPARE_SCORES.with_borrow_mut(|spare| {
        if spare.len() < SPARE_LISTS {
            spare.push(list);
        }
    });
}

/// The fields a word is found in, best first: a posting keeps its best one's place here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Field {
    Name,
    Category,
    Organization,
    Description,
}

impl Field {
    pub(super) fn weight(self) -> f32 {
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
pub(super) struct Posting(u32);

impl Posting {
    const FIELDS: [Field; 4] = [Field::Name, Field::Category, Field::Organization, Field::Description];

    pub(super) fn new(doc: u32, field: Field) -> Posting {
        Posting(doc << 2 | field as u32)
    }

    pub(super) fn doc(self) -> u32 {
        self.0 >> 2
    }

    pub(super) fn weight(self) -> f32 {
        Self::FIELDS[(self.0 & 3) as usize].weight()
    }
}

/// An indexed word and the documents it occurs in, by document. Shared between an index
/// and its patched copies until a patch changes it.
#[derive(Debug)]
pub(super) struct Term {
    pub(super) word: Box<str>,
    pub(super) postings: Box<[Posting]>,
    /// How many of those documents are not superseded: the word's rarity counts these
    /// only, so that a score is the same after a patch as after a full build. (Otherwise
    /// a score would change when any service with the word was saved, a safe house's
    /// service moved included, and tell someone watching that it was.)
    pub(super) live: u32,
}

impl Term {
    pub(super) fn new(word: Box<str>, postings: Box<[Posting]>) -> Term {
        let live = u32::try_from(postings.len()).unwrap_or(u32::MAX);
        Term { word, postings, live }
    }
}

/// The documents in either list (each in document order), each with its better score.
pub(super) fn union_best(a: &[(u32, f32)], b: &[(u32, f32)]) -> Vec<(u32, f32)> {
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
pub(super) fn intersect(a: &[(u32, f32)], b: &[(u32, f32)]) -> Vec<(u32, f32)> {
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

impl Index {
    /// Scores every document that matches all query words, in document order; none
    /// without words (every document matches, with no score).
    pub(super) fn text_scores(&self, query: &str) -> Option<Vec<(u32, f32)>> {
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
}
