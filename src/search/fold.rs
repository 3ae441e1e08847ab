//! How text and queries are compared: one character at a time, so a
//! position in the folded text is the same position in the original and the
//! reader's browser can fold with the same few rules (themes' `search.js`
//! repeats them exactly).

/// Folds one character: full-width ASCII forms (`Ｓ`, `１`, `！`) become
/// their half-width twins, Latin capitals become small letters, and the
/// ideographic space becomes a space. Everything else, Chinese included, is
/// kept as it is, so simplified and traditional characters stay distinct, as
/// they are in the text.
pub fn fold(c: char) -> char {
    let c = match c {
        // U+FF01..U+FF5E mirror U+0021..U+007E at a fixed distance.
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Folds every character of `text`; the result has as many characters.
#[cfg(test)]
pub fn fold_str(text: &str) -> String {
    text.chars().map(fold).collect()
}

/// White space: where grams end and a query splits into parts. Rust's
/// white space and the byte-order mark, as JavaScript's `\s` with U+0085.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || c == '\u{FEFF}'
}

/// The parts of a query that must all occur: the folded query split at
/// white space, without repeats and without parts that another part
/// contains (they would add nothing). `search.js` splits the same way; this
/// is the reference its tests and the index's are held to.
#[cfg(test)]
pub fn terms(query: &str) -> Vec<String> {
    let folded = fold_str(query);
    let mut terms: Vec<String> = Vec::new();
    for part in folded.split(is_space).filter(|p| !p.is_empty()) {
        if !terms.iter().any(|t| t == part) {
            terms.push(part.to_owned());
        }
    }
    let all = terms.clone();
    terms.retain(|t| !all.iter().any(|o| o != t && o.contains(t.as_str())));
    terms
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_latin_and_digits_fold_to_half_width() {
        assert_eq!(fold_str("ＳＬＥＥＰ　１２３５６！"), "sleep 12356!");
        assert_eq!(fold_str("Ｓｌｅｅｐ"), fold_str("sleep"));
    }

    #[test]
    fn chinese_and_its_punctuation_are_kept() {
        assert_eq!(fold_str("睡不着，怎麼辦？"), "睡不着,怎麼辦?");
        assert_eq!(fold_str("睡前").chars().count(), 2);
    }

    #[test]
    fn folding_keeps_the_number_of_characters() {
        let text = "Ａ大b　Ｃ😀é";
        assert_eq!(fold_str(text).chars().count(), text.chars().count());
    }

    #[test]
    fn terms_split_at_any_space_and_drop_repeats() {
        assert_eq!(terms("  失眠　Sleep 失眠 "), ["失眠", "sleep"]);
        assert_eq!(terms("睡 睡不着"), ["睡不着"]);
        assert!(terms(" \u{3000} ").is_empty());
    }
}
