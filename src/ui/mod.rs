//! What the customer sees: pages, components, routing, formats, branding, the theme, and the
//! background reads and live updates the pages use.

pub mod brand;
pub mod components;
pub mod format;
pub mod live;
pub mod loader;
pub mod pages;
pub mod routing;
pub mod theme;
