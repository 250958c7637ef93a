//! Light / dark theme: follows the system (`prefers-color-scheme`) unless the customer picks one
//! in the header. The choice is a display preference, kept in localStorage under `portal.theme`
//! (no personal data), and set as `data-theme` on `<html>` (on the portal's root element when
//! embedded); public/theme.js applies it before the first paint, src/browser/embed.rs before the embedded
//! portal's first paint, this module when it changes.

use leptos::prelude::*;

use crate::i18n::{t, tr, Texts};

const KEY: &str = "portal.theme";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The stored and `<option>` value; `data-theme` for Light and Dark.
    pub fn value(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn label(self, t: &Texts) -> &'static str {
        match self {
            Theme::System => t.theme_system,
            Theme::Light => t.theme_light,
            Theme::Dark => t.theme_dark,
        }
    }

    /// Anything unknown (an old or edited value) means System.
    pub fn parse(s: &str) -> Theme {
        match s {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn load() -> Theme {
    local()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .map(|v| Theme::parse(&v))
        .unwrap_or(Theme::System)
}

/// Applies `theme` to the portal: `<html>`, or the embedded portal's root (not the host page).
pub fn apply(theme: Theme) {
    if let Some(root) = crate::browser::dom::root_element() {
        let _ = match theme {
            Theme::System => root.remove_attribute("data-theme"),
            _ => root.set_attribute("data-theme", theme.value()),
        };
    }
}

/// Applies `theme` to the portal and remembers it (System forgets the key).
pub fn choose(theme: Theme) {
    apply(theme);
    if let Some(s) = local() {
        let _ = match theme {
            Theme::System => s.remove_item(KEY),
            _ => s.set_item(KEY, theme.value()),
        };
    }
}

/// "Theme: System / Light / Dark" in the header.
#[component]
pub fn ThemeSelect() -> impl IntoView {
    let current = RwSignal::new(load());
    let on_change = move |ev| {
        let theme = Theme::parse(&event_target_value(&ev));
        choose(theme);
        current.set(theme);
    };
    view! {
        <div class="theme-choice">
            <label for="theme-select">{tr(|t| t.theme)}</label>
            <select id="theme-select" on:change=on_change>
                {Theme::ALL
                    .into_iter()
                    .map(|theme| {
                        view! {
                            <option value=theme.value() selected=move || current.get() == theme>
                                {move || theme.label(t())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::Theme;

    #[test]
    fn values_round_trip_and_unknown_means_system() {
        for t in Theme::ALL {
            assert_eq!(Theme::parse(t.value()), t);
        }
        assert_eq!(Theme::parse(""), Theme::System);
        assert_eq!(Theme::parse("DARK"), Theme::System);
        assert_eq!(Theme::parse("sepia"), Theme::System);
    }
}
