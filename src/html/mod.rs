//! Help-desk HTML made safe: the sanitizer and the clobbering-proof reads of what it builds.

pub mod safe_dom;
pub mod sanitize;
