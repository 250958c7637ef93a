//! Standard base64 (RFC 4648, with padding) for attachment uploads and Znuny's inline attachment
//! contents. Small enough not to be worth a crate in the wasm bundle.

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

pub fn encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

// Znuny sends attachment contents as base64; the Zammad build reads WebAuthn's base64url with it.
/// Decodes standard base64, ignoring ASCII whitespace (Znuny wraps long values). `None` when invalid.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    let mut padding = 0;
    for c in text.bytes() {
        if c.is_ascii_whitespace() {
            continue;
        }
        if c == b'=' {
            padding += 1;
            continue;
        }
        if padding > 0 {
            return None;
        }
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if padding > 2 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_all_lengths() {
        let data: Vec<u8> = (0..=255u8).collect();
        for len in 0..40 {
            let enc = encode(&data[..len]);
            assert_eq!(enc.len() % 4, 0);
            assert_eq!(decode(&enc).unwrap(), &data[..len]);
        }
    }

    #[test]
    fn known_vectors() {
        assert_eq!(encode(b"hello"), "aGVsbG8=");
        assert_eq!(encode(b"The log says hi.\n"), "VGhlIGxvZyBzYXlzIGhpLgo=");
        assert_eq!(decode("bG9nIGxpbmUK").unwrap(), b"log line\n");
        assert_eq!(decode("aGVs\nbG8=").unwrap(), b"hello");
    }

    #[test]
    fn rejects_garbage() {
        assert!(decode("not base64!").is_none());
        assert!(decode("aGVs=bG8").is_none());
    }
}
