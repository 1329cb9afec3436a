//! "Did you mean" suggestions for misspelt names.

/// The candidate closest to `input`, if one is close enough to be a plausible typo.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = input.to_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn finds_typos_and_ignores_strangers() {
        let known = ["title", "date", "actors", "topic"];
        assert_eq!(closest("actor", known), Some("actors"));
        assert_eq!(closest("tittle", known), Some("title"));
        assert_eq!(closest("zzzzzz", known), None);
    }
}
