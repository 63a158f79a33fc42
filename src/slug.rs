//! Slugs: a title or a handle as a safe, readable file name (`Checkout redesign` ->
//! `checkout-redesign`), for the paths `kb new` and check-ins write and the names exports give.

/// Longest slug, in bytes: enough for a readable file name, short enough for any file system.
const MAX_SLUG: usize = 60;

/// A title as a file name: ASCII (deunicode), lowercase, words joined by `-`, at most
/// [`MAX_SLUG`] bytes, cut at a word boundary. Never contains `/` or `..`.
pub fn slugify(title: &str) -> String {
    let ascii = deunicode::deunicode(title).to_lowercase();
    let mut slug = String::new();
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let extra = if slug.is_empty() {
            word.len()
        } else {
            word.len() + 1
        };
        if slug.len() + extra > MAX_SLUG {
            if slug.is_empty() {
                slug.push_str(&word[..MAX_SLUG]);
            }
            break;
        }
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(word);
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ascii_bounded_and_safe() {
        assert_eq!(slugify("Checkout redesign"), "checkout-redesign");
        assert_eq!(slugify("../../etc/passwd"), "etc-passwd");
        assert_eq!(slugify("Outage: 2026/11/20 -- DB"), "outage-2026-11-20-db");
        assert_eq!(slugify("Café Über"), "cafe-uber");
        assert_eq!(slugify("日本語"), "ri-ben-yu");
        assert_eq!(slugify("🚀"), "rocket");
        let long = slugify(&"word ".repeat(100));
        assert!(long.len() <= MAX_SLUG && !long.ends_with('-'), "{long}");
        assert_eq!(slugify(&"x".repeat(300)).len(), MAX_SLUG);
    }
}
