//! Short summaries for cards and feeds, cut by characters and aware of CJK.

/// Is `c` a CJK ideograph, kana, hangul or full-width form? Such text has no
/// spaces between words and each character is about two Latin letters wide.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F
        | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
}

/// Display width in half-width cells: CJK counts two, anything else one.
fn cells(c: char) -> usize {
    if is_cjk(c) { 2 } else { 1 }
}

/// Cuts `text` to at most `max_cells` half-width cells (about `max_cells / 2`
/// Chinese characters), never inside a character, preferring the end of a
/// sentence, then a comma or space, and marking the cut with `…`.
pub fn summarize(text: &str, max_cells: usize) -> String {
    let text = text.trim();
    let total: usize = text.chars().map(cells).sum();
    if total <= max_cells {
        return text.to_owned();
    }
    let budget = max_cells.saturating_sub(2);
    let mut used = 0;
    let mut end = 0;
    for (i, c) in text.char_indices() {
        used += cells(c);
        if used > budget {
            break;
        }
        end = i + c.len_utf8();
    }
    let head = &text[..end];
    // Prefer the end of a sentence in the second half of the cut; otherwise
    // do not split a Latin word.
    let sentence = head
        .rfind(['。', '！', '？', '；', '.', '!', '?', ';'])
        .map(|i| i + head[i..].chars().next().map_or(0, char::len_utf8))
        .filter(|&i| i * 2 >= head.len());
    let mid_word = head
        .chars()
        .last()
        .is_some_and(|c| c.is_alphanumeric() && !is_cjk(c))
        && text[end..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() && !is_cjk(c));
    let word = mid_word
        .then(|| head.rfind([' ', ',', '，', '、']))
        .flatten();
    let cut = sentence.or(word).map_or(head, |i| &head[..i]);
    let cut = cut.trim_end_matches([' ', '，', '、', ',']);
    if cut.ends_with(['。', '！', '？', '.', '!', '?']) {
        cut.to_owned()
    } else {
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_kept_whole() {
        assert_eq!(summarize("  睡个好觉。 ", 20), "睡个好觉。");
    }

    #[test]
    fn cjk_counts_double_and_cuts_at_a_sentence() {
        let text = "第一句话很短。第二句话要长一些，一直写下去直到超出限制为止";
        let s = summarize(text, 30);
        assert_eq!(s, "第一句话很短。");
        let s = summarize("一二三四五六七八九十一二三四五六七八九十", 20);
        assert_eq!(s, "一二三四五六七八九…");
        assert!(s.chars().count() <= 10);
    }

    #[test]
    fn latin_text_is_not_cut_mid_word() {
        let s = summarize("Sleep well tonight and every night after that", 24);
        assert_eq!(s, "Sleep well tonight and…");
    }
}
