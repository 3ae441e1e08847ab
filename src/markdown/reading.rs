//! Reading time for mixed Chinese and Latin text.

/// Chinese characters an adult reads in a minute; a Latin word counts as
/// two, since English is read at about 200 words a minute.
const CHARS_PER_MINUTE: usize = 400;

/// The CJK Unified Ideographs block, every code point of which is a
/// letter (since Unicode 14).
const COMMON_IDEOGRAPHS: std::ops::RangeInclusive<char> = '\u{4E00}'..='\u{9FFF}';

/// Counts reading effort across the text events of one body.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReadingLength {
    units: usize,
    in_word: bool,
}

impl ReadingLength {
    /// Adds a run of text: each CJK character is one unit, each run of
    /// letters or digits two; punctuation and spaces are free.
    pub fn push(&mut self, text: &str) {
        for c in text.chars() {
            if COMMON_IDEOGRAPHS.contains(&c) {
                // Most of an article: every one of these is a letter, and
                // asking Unicode's tables for each costs more than the rest.
                self.units += 1;
                self.in_word = false;
            } else if super::is_cjk(c) {
                if c.is_alphanumeric() {
                    self.units += 1;
                }
                self.in_word = false;
            } else if c.is_alphanumeric() {
                if !self.in_word {
                    self.units += 2;
                }
                self.in_word = true;
            } else {
                self.in_word = false;
            }
        }
    }

    /// Ends a text block, so words on either side of it are not joined.
    pub fn end_block(&mut self) {
        self.in_word = false;
    }

    /// Whole minutes, rounded up, at least one.
    pub fn minutes(&self) -> u32 {
        let minutes = self.units.div_ceil(CHARS_PER_MINUTE).max(1);
        u32::try_from(minutes).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minutes(text: &str) -> u32 {
        let mut r = ReadingLength::default();
        r.push(text);
        r.minutes()
    }

    #[test]
    fn chinese_is_counted_by_characters_and_punctuation_is_free() {
        assert_eq!(minutes(""), 1);
        assert_eq!(minutes(&"好".repeat(400)), 1);
        assert_eq!(minutes(&"好".repeat(401)), 2);
        assert_eq!(minutes(&"好，".repeat(800)), 2);
    }

    #[test]
    fn the_common_ideographs_are_all_letters() {
        assert!(COMMON_IDEOGRAPHS.clone().all(char::is_alphanumeric));
    }

    #[test]
    fn a_latin_word_counts_as_two_characters() {
        assert_eq!(minutes(&"word ".repeat(200)), 1);
        assert_eq!(minutes(&"word ".repeat(201)), 2);
        // 12320 is one word, not five.
        assert_eq!(minutes(&format!("{}拨打12320", "好".repeat(396))), 1);
        assert_eq!(minutes(&format!("{}拨打12320", "好".repeat(397))), 2);
    }
}
