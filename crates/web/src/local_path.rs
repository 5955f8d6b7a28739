//! Where a person may be sent after signing in: a path of this site, decided by parsing it as
//! a browser will. A prefix check is not enough: browsers drop tabs and newlines anywhere in a
//! URL and read `\` as `/`, so `/\t/evil.example` and `/\evil.example` are `//evil.example`,
//! another host; and a newline cannot be put in a `Location` header at all.

use serde::{Deserialize, Deserializer};
use std::fmt;

/// An absolute path (with its query) of this site; `/` when none was given or it was not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LocalPath(String);

impl LocalPath {
    /// `Some` only for `/` followed by anything but a second `/`, made of visible ASCII other
    /// than `\`: no space or control character a browser would drop, nothing a header cannot
    /// carry, so what the browser follows is what was checked.
    pub(crate) fn parse(s: &str) -> Option<Self> {
        let rest = s.strip_prefix('/')?;
        let visible = s.bytes().all(|b| b.is_ascii_graphic() && b != b'\\');
        (visible && !rest.starts_with('/')).then(|| Self(s.to_owned()))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for LocalPath {
    fn default() -> Self {
        Self("/".to_owned())
    }
}

impl fmt::Display for LocalPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// From a query or form: anything that is not a path of this site is the home page.
impl<'de> Deserialize<'de> for LocalPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(Self::parse(&s).unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::LocalPath;

    #[test]
    fn only_paths_of_this_site_are_kept() {
        for good in [
            "/",
            "/people?status=full&page=2",
            "/orgs/3#committee",
            "/a/b//c",
        ] {
            assert_eq!(LocalPath::parse(good).unwrap().as_str(), good);
        }
        for bad in [
            "",
            "people",
            "//evil.example",
            "/\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            " /evil.example",
            "/ok\u{0}",
            "/路径",
            "https://evil.example/",
            "javascript:alert(1)",
        ] {
            assert_eq!(LocalPath::parse(bad), None, "{bad:?}");
        }
    }
}
