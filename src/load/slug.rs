//! The slug rule: ASCII transliteration, lower case, runs of other characters become one `-`.

/// Turns a name into a URL slug: "U.S.–Russia economic talks" → `u-s-russia-economic-talks`.
///
/// Returns an empty string when nothing sluggable is left (e.g. only punctuation or emoji);
/// callers decide what that means for them.
pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let mut out = String::with_capacity(ascii.len());
    let mut dash = false;
    for c in ascii.chars() {
        if c.is_ascii_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c.to_ascii_lowercase());
        } else {
            dash = true;
        }
    }
    out
}

/// The slug of a briefing file: its stem without a leading `YYYY-MM-DD-` date.
pub fn file_slug(stem: &str) -> String {
    let b = stem.as_bytes();
    let dated = b.len() > 11
        && b[..10].iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        })
        && b[10] == b'-';
    slugify(if dated { &stem[11..] } else { stem })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spec_examples() {
        assert_eq!(
            slugify("U.S.–Russia economic talks"),
            "u-s-russia-economic-talks"
        );
        assert_eq!(slugify("Кирилл Дмитриев"), "kirill-dmitriev");
        assert_eq!(slugify("  --Hello,  World!-- "), "hello-world");
        assert_eq!(slugify("!!!"), "");
    }

    #[test]
    fn file_slugs_drop_the_date_prefix() {
        assert_eq!(
            file_slug("2025-03-24-dmitriev-confirms"),
            "dmitriev-confirms"
        );
        assert_eq!(file_slug("2025-03-talks"), "2025-03-talks");
        assert_eq!(file_slug("Riyadh Talks"), "riyadh-talks");
    }
}
