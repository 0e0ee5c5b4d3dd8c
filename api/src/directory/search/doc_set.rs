//! Sets of search documents as bits, one per document number, 64 to a word: 12.5 KB for
//! 100,000 services. A filter without words starts from the set of each value it names
//! (an attribute, a category, "open now"), and a search that finds many services counts
//! its facets by comparing sets a word at a time, where adding up each document's lists
//! cost tens of nanoseconds per service found.

/// A set of document numbers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocSet(Vec<u64>);

impl DocSet {
    /// The empty set: what a value no document has stands for.
    pub fn empty() -> &'static DocSet {
        static EMPTY: DocSet = DocSet(Vec::new());
        &EMPTY
    }

    pub fn insert(&mut self, doc: u32) {
        let word = doc as usize / 64;
        if self.0.len() <= word {
            self.0.resize(word + 1, 0);
        }
        self.0[word] |= 1 << (doc % 64);
    }

    pub fn contains(&self, doc: u32) -> bool {
        self.0.get(doc as usize / 64).is_some_and(|word| word & 1 << (doc % 64) != 0)
    }

    /// How many documents it holds.
    pub fn count(&self) -> u64 {
        self.0.iter().map(|word| u64::from(word.count_ones())).sum()
    }

    /// How many words it takes: what comparing it with another costs.
    pub fn words(&self) -> usize {
        self.0.len()
    }

    /// Keeps only the documents also in `other`.
    pub fn retain_in(&mut self, other: &DocSet) {
        self.0.truncate(other.0.len());
        self.0.iter_mut().zip(&other.0).for_each(|(word, theirs)| *word &= theirs);
    }

    /// How many documents are in both.
    pub fn common(&self, other: &DocSet) -> u64 {
        self.0.iter().zip(&other.0).map(|(a, b)| u64::from((a & b).count_ones())).sum()
    }

    /// Hands `each` the documents in order.
    pub fn for_each(&self, mut each: impl FnMut(u32)) {
        for (n, &word) in self.0.iter().enumerate() {
            let base = u32::try_from(n * 64).unwrap_or(u32::MAX);
            let mut bits = word;
            while bits != 0 {
                each(base + bits.trailing_zeros());
                bits &= bits - 1;
            }
        }
    }
}

impl FromIterator<u32> for DocSet {
    fn from_iter<I: IntoIterator<Item = u32>>(docs: I) -> DocSet {
        let mut set = DocSet::default();
        docs.into_iter().for_each(|doc| set.insert(doc));
        set
    }
}

#[cfg(test)]
mod tests {
    use super::DocSet;

    fn listed(set: &DocSet) -> Vec<u32> {
        let mut docs = Vec::new();
        set.for_each(|doc| docs.push(doc));
        docs
    }

    #[test]
    fn a_set_holds_its_documents_in_order_across_words() {
        let set: DocSet = [200, 0, 63, 64, 127, 5, 64].into_iter().collect();
        assert_eq!(listed(&set), [0, 5, 63, 64, 127, 200]);
        assert_eq!(set.count(), 6);
        assert_eq!(set.words(), 4);
        assert!(set.contains(127) && !set.contains(128) && !set.contains(100_000));
    }

    #[test]
    fn sets_intersect_and_count_what_they_share() {
        let evens: DocSet = (0..300).step_by(2).collect();
        let threes: DocSet = (0..100).step_by(3).collect();
        assert_eq!(evens.common(&threes), 17, "0, 6, …, 96");
        assert_eq!(threes.common(&evens), 17);
        let mut both = evens.clone();
        both.retain_in(&threes);
        assert_eq!(listed(&both), (0..100).step_by(6).collect::<Vec<u32>>());
        assert_eq!(both.count(), 17);
        let mut none = threes;
        none.retain_in(&DocSet::default());
        assert_eq!(none.count(), 0);
        assert_eq!(DocSet::default().common(&evens), 0);
    }
}
