//! Small-cell suppression: counts of people from 1 to 4 are not shown, and neither is any
//! other count that would let one be worked out from a total (complementary suppression).
//!
//! A table is a set of cells and of *lines*: a total and the parts that add up to it (a
//! column and its total, say). A reader who sees a line knows its total, the shown parts
//! and which parts are hidden: a "<5" is between 1 and 4, an "x" is 5 or more. A hidden
//! cell is disclosed when those facts leave it a single possible value — one hidden part
//! in a line, or "<5" and "<5" adding up to 8. Until no line discloses anything, the
//! smallest shown non-zero part of a disclosing line is hidden too (or, when there is none,
//! its total).

use harbour_types::{Figure, Suppression};

/// Counts below this (and above zero) are not shown.
pub const THRESHOLD: u64 = 5;

/// A total and the cells that add up to it, as indices into the table's cells.
#[derive(Debug, Clone)]
pub struct Line {
    pub total: usize,
    pub parts: Vec<usize>,
}

/// The figures to show for `values`, given the lines a reader can add up.
pub fn suppress(values: &[u64], lines: &[Line]) -> Vec<Figure> {
    let mut marks: Vec<Option<Suppression>> = values.iter().map(|&v| (v > 0 && v < THRESHOLD).then_some(Suppression::Small)).collect();
    // Each round hides at least one more cell, so there are at most as many rounds as cells.
    for _ in 0..=values.len() {
        let Some(line) = lines.iter().find(|line| discloses(values, &marks, line)) else { break };
        let next = line.parts.iter().copied().filter(|&i| marks[i].is_none() && values[i] > 0).min_by_key(|&i| (values[i], i)).unwrap_or(line.total);
        marks[next] = Some(Suppression::Complementary);
    }
    values.iter().zip(marks).map(|(&v, mark)| mark.map_or(Figure::Count(v), Figure::Suppressed)).collect()
}

/// Whether a reader of this line could tell the exact value of one of its hidden parts.
fn discloses(values: &[u64], marks: &[Option<Suppression>], line: &Line) -> bool {
    if marks[line.total].is_some() {
        return false;
    }
    let hidden: Vec<Suppression> = line.parts.iter().filter_map(|&i| marks[i]).collect();
    if hidden.is_empty() {
        return false;
    }
    let shown: u64 = line.parts.iter().filter(|&&i| marks[i].is_none()).map(|&i| values[i]).sum();
    let rest = values[line.total].saturating_sub(shown);
    let bounds = |s: Suppression| match s {
        Suppression::Small => (1, THRESHOLD - 1),
        Suppression::Complementary => (THRESHOLD, rest),
    };
    let (low_sum, high_sum) = hidden.iter().fold((0u64, 0u64), |(l, h), &s| (l + bounds(s).0, h + bounds(s).1));
    hidden.iter().any(|&s| {
        let (low, high) = bounds(s);
        let least = low.max(rest.saturating_sub(high_sum - high));
        let most = high.min(rest.saturating_sub(low_sum - low));
        least >= most
    })
}

/// The lines of a table of `rows` × `columns` cells (row-major) followed by one total per
/// column: each column adds up to its total.
pub fn column_lines(rows: usize, columns: usize) -> Vec<Line> {
    (0..columns).map(|c| Line { total: rows * columns + c, parts: (0..rows).map(|r| r * columns + c).collect() }).collect()
}

/// Suppresses a table of `rows` (each `width` counts) whose columns add up to totals
/// computed here: the figures of each row, and of the totals.
pub fn suppress_columns(rows: &[Vec<u64>], width: usize) -> (Vec<Vec<Figure>>, Vec<Figure>) {
    let mut values: Vec<u64> = rows.iter().flat_map(|r| r.iter().copied()).collect();
    values.extend((0..width).map(|c| rows.iter().map(|r| r[c]).sum::<u64>()));
    let figures = suppress(&values, &column_lines(rows.len(), width));
    let mut chunks = figures.chunks(width.max(1)).map(<[Figure]>::to_vec);
    let shown = rows.iter().map(|_| chunks.next().unwrap_or_default()).collect();
    (shown, chunks.next().unwrap_or_else(|| vec![Figure::Count(0); width]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(figures: &[Figure]) -> Vec<String> {
        figures.iter().map(|f| f.text()).collect()
    }

    fn column(values: &[u64]) -> Vec<String> {
        let mut all = values.to_vec();
        all.push(values.iter().sum());
        shown(&suppress(&all, &column_lines(values.len(), 1)))
    }

    #[test]
    fn small_counts_are_hidden_and_zero_and_large_are_shown() {
        assert_eq!(column(&[0, 12, 7]), ["0", "12", "7", "19"]);
        assert_eq!(column(&[3, 12, 7, 2]), ["<5", "12", "7", "<5", "24"], "two hidden cells, sum 5: 1+4, 2+3, … — neither is known");
    }

    #[test]
    fn a_lone_small_cell_takes_the_smallest_other_with_it() {
        assert_eq!(column(&[3, 12, 7]), ["<5", "12", "x", "22"]);
    }

    #[test]
    fn two_small_cells_that_could_only_be_four_and_four_are_protected() {
        // 4 + 4 = 8 leaves each "<5" exactly 4.
        assert_eq!(column(&[4, 4, 9, 20]), ["<5", "<5", "x", "20", "37"]);
    }

    #[test]
    fn two_ones_are_protected() {
        assert_eq!(column(&[1, 1, 30]), ["<5", "<5", "x", "32"]);
    }

    #[test]
    fn a_small_total_is_hidden_and_then_its_parts_need_nothing_more() {
        assert_eq!(column(&[0, 3]), ["0", "<5", "<5"]);
    }

    #[test]
    fn with_only_zeros_left_the_total_is_hidden() {
        assert_eq!(column(&[3, 0, 0, 6]), ["<5", "0", "0", "x", "9"]);
        assert_eq!(column(&[4, 4, 0]), ["<5", "<5", "0", "x"]);
    }

    #[test]
    fn no_line_of_the_result_discloses_a_cell() {
        // A brute-force check over many small columns: after suppression, every hidden
        // cell has at least two values consistent with what is shown.
        for a in 0..8u64 {
            for b in 0..8u64 {
                for c in 0..12u64 {
                    let values = [a, b, c, a + b + c];
                    let figures = suppress(&values, &column_lines(3, 1));
                    let total = figures[3].count();
                    for (i, f) in figures[..3].iter().enumerate() {
                        if f.count().is_some() || total.is_none() {
                            continue;
                        }
                        let consistent = (0..40u64)
                            .filter(|&x| {
                                let fits = |j: usize, v: u64| match figures[j] {
                                    Figure::Count(n) => n == v,
                                    Figure::Suppressed(Suppression::Small) => (1..5).contains(&v),
                                    Figure::Suppressed(Suppression::Complementary) => v >= 5,
                                };
                                let others: Vec<usize> = (0..3).filter(|&j| j != i).collect();
                                let total = total.unwrap_or_default();
                                fits(i, x) && (0..40u64).any(|y| fits(others[0], y) && x + y <= total && fits(others[1], total - x - y))
                            })
                            .count();
                        assert!(consistent >= 2, "{values:?} → {:?}: cell {i} is disclosed", shown(&figures));
                    }
                }
            }
        }
    }
}
