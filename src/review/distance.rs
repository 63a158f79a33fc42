//! Edit distance for re-anchoring: the Levenshtein distance in characters between a quote and
//! pieces of a doc, 64 quote characters per machine word (Myers' bit-vector algorithm, in
//! Hyyrö's form for quotes longer than a word). A 2,000-character quote against a window of the
//! same size costs 32 × 2,000 word operations instead of the 4 million table cells of the
//! textbook algorithm, which is what lets anchoring afford many windows of a large doc.

use std::collections::HashMap;

/// A quote prepared for distance computations against many texts.
pub struct Pattern {
    chars: usize,
    blocks: usize,
    /// `blocks` words per distinct character, bit i set where the quote's character i is it;
    /// the first `blocks` words (all zero) stand for characters the quote does not contain.
    masks: Vec<u64>,
    ascii: [u32; 128],
    other: HashMap<char, u32>,
}

impl Pattern {
    pub fn new(quote: &str) -> Pattern {
        let chars = quote.chars().count();
        let blocks = chars.div_ceil(64);
        let mut pattern = Pattern {
            chars,
            blocks,
            masks: vec![0; blocks],
            ascii: [0; 128],
            other: HashMap::new(),
        };
        for (i, c) in quote.chars().enumerate() {
            let slot = pattern.slot_or_insert(c);
            pattern.masks[slot * blocks + i / 64] |= 1 << (i % 64);
        }
        pattern
    }

    /// Characters in the quote.
    pub fn chars(&self) -> usize {
        self.chars
    }

    /// Word operations one character of text costs: the unit of search budgets.
    pub fn cost_per_char(&self) -> usize {
        self.blocks.max(1)
    }

    /// The distance from the quote to the whole of `text`.
    pub fn distance(&self, text: &str) -> usize {
        let mut last = self.chars;
        self.prefix_distances(text, |_, _, d| last = d);
        last
    }

    /// The distance from the quote to every prefix of `text`: `visit(bytes, chars, distance)`
    /// after each character, with the prefix's length in bytes and in characters.
    pub fn prefix_distances(&self, text: &str, mut visit: impl FnMut(usize, usize, usize)) {
        let mut pv = vec![u64::MAX; self.blocks];
        let mut mv = vec![0u64; self.blocks];
        let last_bit = 1u64 << ((self.chars + 63) % 64);
        let mut distance = self.chars;
        for (n, (i, c)) in text.char_indices().enumerate() {
            let masks = self.masks(c);
            // Row 0 of the table is the empty quote, whose distance grows by one per character.
            let mut carry = 1;
            for b in 0..self.blocks {
                let high = if b + 1 == self.blocks {
                    last_bit
                } else {
                    1 << 63
                };
                carry = advance(&mut pv[b], &mut mv[b], masks[b], carry, high);
            }
            distance = distance.saturating_add_signed(carry as isize);
            visit(i + c.len_utf8(), n + 1, distance);
        }
    }

    fn masks(&self, c: char) -> &[u64] {
        let slot = match u32::from(c) {
            code @ 0..128 => self.ascii[code as usize] as usize,
            _ => self.other.get(&c).map_or(0, |&s| s as usize),
        };
        &self.masks[slot * self.blocks..(slot + 1) * self.blocks]
    }

    fn slot_or_insert(&mut self, c: char) -> usize {
        let next = (self.masks.len() / self.blocks.max(1)) as u32;
        let slot = match u32::from(c) {
            code @ 0..128 => &mut self.ascii[code as usize],
            _ => self.other.entry(c).or_insert(0),
        };
        if *slot == 0 {
            *slot = next;
            self.masks.extend(std::iter::repeat_n(0, self.blocks));
        }
        *slot as usize
    }
}

/// One 64-row block of one column of the table, as vertical deltas (`pv` +1, `mv` -1): takes
/// the horizontal delta entering at the block's top row and returns the one leaving its bottom
/// row (`high` marks that row).
fn advance(pv: &mut u64, mv: &mut u64, eq: u64, carry_in: i8, high: u64) -> i8 {
    let (p, m) = (*pv, *mv);
    let neg = u64::from(carry_in < 0);
    let xv = eq | m;
    let eq = eq | neg;
    let xh = ((eq & p).wrapping_add(p) ^ p) | eq;
    let ph = m | !(xh | p);
    let mh = p & xh;
    let carry_out = i8::from(ph & high != 0) - i8::from(mh & high != 0);
    let ph = (ph << 1) | u64::from(carry_in > 0);
    let mh = (mh << 1) | neg;
    *pv = mh | !(xv | ph);
    *mv = ph & xv;
    carry_out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same_as_textbook(a: &str, b: &str) {
        assert_eq!(
            Pattern::new(a).distance(b),
            strsim::levenshtein(a, b),
            "{a:?} vs {b:?}"
        );
    }

    #[test]
    fn matches_the_textbook_distance() {
        for (a, b) in [
            ("", ""),
            ("", "abc"),
            ("abc", ""),
            ("kitten", "sitting"),
            ("flaw", "lawn"),
            ("naïve café", "naive cafe"),
            ("über straße", "uber strasse"),
        ] {
            same_as_textbook(a, b);
        }
    }

    #[test]
    fn long_quotes_span_blocks() {
        // Pseudo-random texts over a small alphabet, across and at block boundaries.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut text = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ['a', 'b', 'c', ' ', 'é'][(seed % 5) as usize]
                })
                .collect()
        };
        for (m, n) in [
            (63, 70),
            (64, 64),
            (65, 40),
            (128, 130),
            (200, 150),
            (300, 330),
        ] {
            let (a, b) = (text(m), text(n));
            same_as_textbook(&a, &b);
        }
    }

    #[test]
    fn prefix_distances_report_every_prefix() {
        let p = Pattern::new("abcd");
        let mut seen = Vec::new();
        p.prefix_distances("abxcd", |bytes, chars, d| seen.push((bytes, chars, d)));
        assert_eq!(
            seen,
            [(1, 1, 3), (2, 2, 2), (3, 3, 2), (4, 4, 2), (5, 5, 1)]
        );
    }
}
