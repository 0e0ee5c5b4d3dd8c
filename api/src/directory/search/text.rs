//! Text as search sees it: lower case, accents folded (so "hébergement" and
//! "hebergement" are one word), split into words, common English and French
//! words dropped; and how closely two words match.

/// Lower-cases and folds accents and ligatures to plain letters; apostrophes stay (see
/// [`words`]); anything else that is not a letter or digit becomes a space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' | 'ý' => out.push('y'),
            'ñ' => out.push('n'),
            'œ' => out.push_str("oe"),
            'æ' => out.push_str("ae"),
            '\'' | '’' => out.push('\''),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "by", "for", "from", "in", "is", "of", "on", "or", "the", "to", "with", "au", "aux", "ce", "d", "dans", "de",
    "des", "du", "en", "est", "et", "l", "la", "le", "les", "ou", "par", "pour", "sur", "un", "une",
];

/// The words of a text, folded, without stop words. A word with an apostrophe gives its
/// parts and its joined form, so "d'urgence" finds "urgence" and "Mi'kmaw" finds "mikmaw".
pub fn words(text: &str) -> impl Iterator<Item = String> {
    let mut out = Vec::new();
    for token in fold(text).split_whitespace() {
        if token.contains('\'') {
            out.extend(token.split('\'').filter(|p| !p.is_empty()).map(str::to_owned));
            out.push(token.replace('\'', ""));
        } else {
            out.push(token.to_owned());
        }
    }
    out.into_iter().filter(|w| w.len() > 1 || w.chars().all(|c| c.is_ascii_digit())).filter(|w| !STOP_WORDS.contains(&w.as_str()))
}

/// True when each of `query`'s words matches a word of `text` (exactly, as a prefix or
/// a typo away): how short lists, searched without the index, are searched.
pub fn finds(query: &[String], text: &str) -> bool {
    if query.is_empty() {
        return true;
    }
    let text: Vec<String> = words(text).collect();
    query.iter().all(|q| text.iter().any(|t| matches(q, t).is_some()))
}

/// How a query word matches an indexed word, best first.
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd)]
pub enum Match {
    /// The same word.
    Exact,
    /// The query word begins the indexed word ("shelt" → "shelter").
    Prefix,
    /// A typo away ("sheltr" → "shelter").
    Fuzzy,
}

impl Match {
    /// How much a match of this kind counts.
    pub fn weight(self) -> f32 {
        match self {
            Match::Exact => 1.0,
            Match::Prefix => 0.8,
            Match::Fuzzy => 0.6,
        }
    }
}

/// How a query word matches an indexed word, if it does. Short words must match
/// exactly or as a prefix; longer ones forgive one typo, and long ones two. A typo in
/// the first letter is not forgiven: people rarely make one, and checking it first
/// keeps the scan of the vocabulary cheap.
pub fn matches(query: &str, term: &str) -> Option<Match> {
    if query == term {
        return Some(Match::Exact);
    }
    if query.len() >= 2 && term.starts_with(query) {
        return Some(Match::Prefix);
    }
    let (q, t) = (query.as_bytes(), term.as_bytes());
    let allowed = match q.len() {
        0..=3 => return None,
        4..=7 => 1,
        _ => 2,
    };
    if q.first() != t.first() || q.len().abs_diff(t.len()) > allowed || q.len() > MAX_FUZZY_LEN || t.len() > MAX_FUZZY_LEN {
        return None;
    }
    // A typo in a word still being typed: compare with the start of the longer word too.
    let within = edit_distance(q, t) <= allowed || (t.len() > q.len() && edit_distance(q, &t[..q.len()]) <= allowed);
    within.then_some(Match::Fuzzy)
}

/// Words longer than this are only matched exactly or by prefix.
const MAX_FUZZY_LEN: usize = 32;

/// Levenshtein distance with adjacent transpositions (optimal string alignment), over
/// bytes (words are folded to ASCII first), in three rows on the stack.
fn edit_distance(a: &[u8], b: &[u8]) -> usize {
    let mut before = [0usize; MAX_FUZZY_LEN + 1];
    let mut previous = [0usize; MAX_FUZZY_LEN + 1];
    let mut current = [0usize; MAX_FUZZY_LEN + 1];
    for (j, cell) in previous.iter_mut().enumerate().take(b.len() + 1) {
        *cell = j;
    }
    for i in 1..=a.len() {
        current[0] = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (previous[j] + 1).min(current[j - 1] + 1).min(previous[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(before[j - 2] + 1);
            }
            current[j] = best;
        }
        before = previous;
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_and_drops_stop_words() {
        assert_eq!(words("Hébergement d'urgence pour les JEUNES").collect::<Vec<_>>(), ["hebergement", "urgence", "durgence", "jeunes"]);
        assert!(words("Mi'kmaw Legal Support").any(|w| w == "mikmaw"));
    }

    #[test]
    fn forgives_partial_words_and_typos() {
        assert_eq!(matches("shelter", "shelter"), Some(Match::Exact));
        assert_eq!(matches("shelt", "shelter"), Some(Match::Prefix));
        assert_eq!(matches("sheltr", "shelter"), Some(Match::Fuzzy));
        assert_eq!(matches("sehlter", "shelter"), Some(Match::Fuzzy));
        assert_eq!(matches("hselter", "shelter"), None, "the first letter must be right");
        assert_eq!(matches("shelters", "shelter"), Some(Match::Fuzzy));
        assert_eq!(matches("food", "foot"), Some(Match::Fuzzy));
        assert_eq!(matches("bed", "bad"), None);
        assert_eq!(matches("legal", "medical"), None);
    }
}
