//! The query string as the pages read it: `status=closed&page=2` → key/value pairs, decoded the
//! way the browser's `URLSearchParams` does (`+` is a space, `%XX` are UTF-8 bytes).

/// Decoded query parameters, in the order they appear.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ParamsMap(Vec<(String, String)>);

impl ParamsMap {
    /// Parses a query string, with or without its leading `?`.
    pub fn parse(query: &str) -> Self {
        let query = query.strip_prefix('?').unwrap_or(query);
        ParamsMap(
            query
                .split('&')
                .filter(|pair| !pair.is_empty())
                .map(|pair| {
                    let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                    (decode(key), decode(value))
                })
                .collect(),
        )
    }

    /// One parameter; its first value when it appears more than once.
    pub fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
    }

    /// A map holding one pair (a route's `:id`).
    pub fn single(key: &str, value: String) -> Self {
        ParamsMap(vec![(key.to_string(), value)])
    }
}

/// Form-style percent decoding; a `%` not followed by two hex digits stays as it is, and bytes
/// that are no UTF-8 become U+FFFD, like `URLSearchParams`.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => match bytes.get(i + 1..i + 3).and_then(hex_pair) {
                Some(byte) => {
                    out.push(byte);
                    i += 2;
                }
                None => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_pair(pair: &[u8]) -> Option<u8> {
    let digit = |b: u8| (b as char).to_digit(16);
    Some((digit(pair[0])? * 16 + digit(pair[1])?) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_pairs_like_url_search_params() {
        let q = ParamsMap::parse("?status=closed&q=caf%C3%A9+au+lait&page=2&flag&status=all");
        assert_eq!(q.get("status").as_deref(), Some("closed"));
        assert_eq!(q.get("q").as_deref(), Some("café au lait"));
        assert_eq!(q.get("page").as_deref(), Some("2"));
        assert_eq!(q.get("flag").as_deref(), Some(""));
        assert_eq!(q.get("missing"), None);
        assert_eq!(
            ParamsMap::parse("next=%2Ftickets%2F101")
                .get("next")
                .as_deref(),
            Some("/tickets/101")
        );
        assert_eq!(ParamsMap::parse(""), ParamsMap::default());
    }

    #[test]
    fn broken_escapes_never_panic() {
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%zz%4"), "%zz%4");
        assert_eq!(decode("%ff"), "\u{fffd}");
        assert_eq!(decode("%E2%82"), "\u{fffd}");
        assert_eq!(decode("é%"), "é%");
    }
}
