//! What the customer is writing, kept in sessionStorage (survives a reload, a lost session, a
//! network failure or a server error; gone with the tab and at sign-out) until the help desk
//! confirmed it:
//!
//! - `<name>`: the text (pages keep it through `storage::save_draft`);
//! - `<name>.files`: the chosen files, base64, up to `KEEP_FILES_BYTES` together (web storage
//!   holds a few megabytes per site); files beyond that stay chosen on the page but are not
//!   kept across a reload, and the page says so;
//! - `<name>.fields`: the help desk's own field values (`crate::domain::fields`);
//! - `<name>.attempt`: a write whose outcome is unknown (`writes::Attempt`).

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::domain::Upload;
use crate::state::writes::Attempt;
use crate::{browser::http, browser::storage};

/// The most file bytes one draft keeps across a reload.
pub const KEEP_FILES_BYTES: u64 = 2 * 1024 * 1024;

/// A kept file: `{"name": …, "type": …, "data": <base64>}`.
#[derive(Debug, Deserialize, Serialize)]
struct KeptFile {
    name: String,
    #[serde(rename = "type", default)]
    mime_type: String,
    data: String,
}

impl KeptFile {
    fn new(file: &Upload) -> Self {
        KeptFile {
            name: file.filename.clone(),
            mime_type: file.mime_type.clone(),
            data: BASE64.encode(&file.bytes),
        }
    }

    /// `None` when the data is not base64 (damaged).
    fn upload(self) -> Option<Upload> {
        Some(Upload {
            bytes: BASE64.decode(&self.data).ok()?,
            filename: self.name,
            mime_type: self.mime_type,
        })
    }
}

fn files_key(name: &str) -> String {
    format!("{name}.files")
}

/// The help desk's own field values of a draft (`crate::domain::fields::draft_text`).
pub fn fields_key(name: &str) -> String {
    format!("{name}.fields")
}

fn attempt_key(name: &str) -> String {
    format!("{name}.attempt")
}

/// Which files fit into `budget` bytes, in the order chosen (a later small file may still fit
/// after a big one did not).
pub fn fits(sizes: &[u64], budget: u64) -> Vec<bool> {
    let mut left = budget;
    sizes
        .iter()
        .map(|&s| {
            let ok = s <= left;
            if ok {
                left -= s;
            }
            ok
        })
        .collect()
}

pub fn load_files(name: &str) -> Vec<Upload> {
    let text = storage::load_draft(&files_key(name));
    if text.is_empty() {
        return Vec::new();
    }
    // A damaged record keeps nothing; a damaged file is skipped.
    serde_json::from_str::<Vec<KeptFile>>(&text)
        .unwrap_or_default()
        .into_iter()
        .filter_map(KeptFile::upload)
        .collect()
}

/// Keeps what fits of `files`; returns the names of the files that are not kept.
pub fn save_files(name: &str, files: &[Upload]) -> Vec<String> {
    let sizes: Vec<u64> = files.iter().map(|f| f.bytes.len() as u64).collect();
    let keep = fits(&sizes, KEEP_FILES_BYTES);
    let stored: Vec<KeptFile> = files
        .iter()
        .zip(&keep)
        .filter(|(_, k)| **k)
        .map(|(f, _)| KeptFile::new(f))
        .collect();
    let mut skipped: Vec<String> = files
        .iter()
        .zip(&keep)
        .filter(|(_, k)| !**k)
        .map(|(f, _)| f.filename.clone())
        .collect();
    let text = if stored.is_empty() {
        String::new()
    } else {
        http::json(&stored)
    };
    if !storage::save_draft(&files_key(name), &text) {
        // The browser's storage is full: keep none rather than some at random.
        storage::clear_draft(&files_key(name));
        skipped = files.iter().map(|f| f.filename.clone()).collect();
    }
    skipped
}

pub fn load_attempt(name: &str) -> Option<Attempt> {
    Attempt::read(&storage::load_draft(&attempt_key(name)))
}

pub fn save_attempt(name: &str, attempt: &Attempt) {
    storage::save_draft(&attempt_key(name), &http::json(attempt));
}

pub fn clear_attempt(name: &str) {
    storage::clear_draft(&attempt_key(name));
}

/// The help desk confirmed the write: forget the text, the files and the attempt.
pub fn clear(name: &str) {
    storage::clear_draft(name);
    storage::clear_draft(&files_key(name));
    storage::clear_draft(&fields_key(name));
    clear_attempt(name);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_files_in_order_while_they_fit() {
        assert_eq!(fits(&[], 10), Vec::<bool>::new());
        assert_eq!(fits(&[4, 4, 4], 10), [true, true, false]);
        assert_eq!(fits(&[11, 3, 7, 1], 10), [false, true, true, false]);
        assert_eq!(fits(&[0, 10], 10), [true, true]);
    }

    #[test]
    fn a_kept_file_reads_back_and_a_damaged_one_is_skipped() {
        let file = Upload {
            filename: "a \"b\".pdf".into(),
            mime_type: "application/pdf".into(),
            bytes: vec![0, 1, 2, 255],
        };
        let text = http::json(&[KeptFile::new(&file)]);
        assert_eq!(
            text,
            r#"[{"name":"a \"b\".pdf","type":"application/pdf","data":"AAEC/w=="}]"#
        );
        let back: Vec<KeptFile> = serde_json::from_str(&text).unwrap();
        assert_eq!(
            back.into_iter().next().and_then(KeptFile::upload),
            Some(file)
        );
        let broken: KeptFile = serde_json::from_str(r#"{"name": "x", "data": "%%"}"#).unwrap();
        assert_eq!(broken.upload(), None);
    }
}
