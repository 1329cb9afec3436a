//! The words search indexes for a briefing's body, picked while the briefing is loaded (in
//! parallel, and once per edit in serve) rather than when the index is written.
//!
//! The search index must stay small for ten thousand briefings, so only the opening words of
//! each body are kept, each once, without common words or words the title and summary hold.

use std::borrow::Cow;

/// Words of body text read per briefing (after the summary, which is indexed in full).
pub const BODY_WORDS: usize = 40;

/// Common English words that would only weigh down the index; sorted, for binary search.
const STOPWORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "are", "as", "at", "be", "been", "but",
    "by", "for", "from", "had", "has", "have", "he", "her", "his", "in", "into", "is", "it", "its",
    "more", "not", "of", "on", "or", "said", "says", "she", "so", "than", "that", "the", "their",
    "there", "they", "this", "to", "was", "were", "which", "while", "who", "will", "with", "would",
];

/// The lower-cased words of `text`, split as MiniSearch splits them (at anything that is not
/// a letter or digit). Words already in lower case are borrowed, not copied.
fn terms(text: &str) -> impl Iterator<Item = Cow<'_, str>> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            if w.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
            {
                Cow::Borrowed(w)
            } else {
                Cow::Owned(w.to_lowercase())
            }
        })
}

/// The search terms of the body's opening words: lower-cased, each once, in order of first
/// use, leaving out common words and words the title or summary already hold. MiniSearch
/// tokenises and lower-cases the same way, so nothing findable is lost from these words.
/// The summary is skipped when the body starts with it (as it does when the summary was
/// taken from the first paragraph).
pub fn body_terms(plain: &str, title: &str, summary: &str) -> String {
    let text = plain.trim_start();
    let text = match text.strip_prefix(summary) {
        Some(rest) if !summary.is_empty() => rest,
        _ => text,
    };
    let mut seen: ahash::AHashSet<Cow<str>> = terms(title).chain(terms(summary)).collect();
    let mut out = String::new();
    // Whitespace is a separator for `terms` too, so splitting word by word finds the same
    // terms as splitting the opening words joined by spaces.
    for term in text.split_whitespace().take(BODY_WORDS).flat_map(terms) {
        if STOPWORDS.binary_search(&term.as_ref()).is_err() && !seen.contains(&term) {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&term);
            seen.insert(term);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stopwords_are_sorted_for_binary_search() {
        assert!(STOPWORDS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn body_terms_skip_the_summary_title_stopwords_and_repeats() {
        let body = "First para here.\nThe Second   paragraph, second time\nwith Words and U.S.-made parts.";
        assert_eq!(
            body_terms(body, "A paragraph", "First para here."),
            "second time words u s made parts"
        );
        assert_eq!(
            body_terms(body, "", "Other"),
            "first para here second paragraph time words u s made parts"
        );
        let long = (0..500)
            .map(|i| format!("w{i}"))
            .collect::<Vec<_>>()
            .join(" ");
        assert_eq!(body_terms(&long, "", "").split(' ').count(), BODY_WORDS);
    }
}
