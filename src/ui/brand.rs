//! Branding from config.json (`brand.logo`, `brand.primary_color`, `brand.favicon`): the values
//! are validated here, in pure functions, and applied to the document without ever writing CSS
//! text or markup taken from the config. The colour math keeps text readable (WCAG AA, 4.5:1):
//! text on the primary colour is white or near-black, whichever reads better (the primary is
//! darkened when neither does), and links get a shade of the primary that reads on each theme's
//! backgrounds.

/// A colour from config.json: only `#rgb` or `#rrggbb`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

pub const WHITE: Rgb = Rgb(0xff, 0xff, 0xff);
/// The light theme's text colour (style/main.css `--text`).
pub const NEAR_BLACK: Rgb = Rgb(0x1b, 0x24, 0x30);
const BLACK: Rgb = Rgb(0, 0, 0);

/// WCAG AA for normal text.
pub const AA: f64 = 4.5;

/// Where links appear in each theme (style/main.css: `--surface`, `--bg`, `--agent-bg`).
const LIGHT_BACKGROUNDS: [Rgb; 3] = [
    Rgb(0xff, 0xff, 0xff),
    Rgb(0xf5, 0xf7, 0xfa),
    Rgb(0xee, 0xf4, 0xff),
];
const DARK_BACKGROUNDS: [Rgb; 3] = [
    Rgb(0x11, 0x16, 0x1d),
    Rgb(0x1a, 0x21, 0x2b),
    Rgb(0x1b, 0x2a, 0x40),
];

impl Rgb {
    /// `#rgb` or `#rrggbb` (hex digits in either case); anything else is `None`.
    pub fn parse(s: &str) -> Option<Rgb> {
        let hex = s.strip_prefix('#')?;
        if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let digit = |i: usize| u8::from_str_radix(hex.get(i..i + 1)?, 16).ok();
        let pair = |i: usize| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok();
        match hex.len() {
            3 => Some(Rgb(digit(0)? * 17, digit(1)? * 17, digit(2)? * 17)),
            6 => Some(Rgb(pair(0)?, pair(2)?, pair(4)?)),
            _ => None,
        }
    }

    /// `#rrggbb`, lower case: the only form written into the page.
    pub fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Relative luminance (WCAG 2.x).
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.039_28 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// Contrast ratio (1 to 21).
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
        (hi + 0.05) / (lo + 0.05)
    }

    /// `t` of the way towards `to` (0 = self, 1 = to).
    fn mix(self, to: Rgb, t: f64) -> Rgb {
        let m = |a: u8, b: u8| {
            let v = f64::from(a) + (f64::from(b) - f64::from(a)) * t;
            // Clamped to 0..=255 first, so the cast cannot truncate.
            v.round().clamp(0.0, 255.0) as u8
        };
        Rgb(m(self.0, to.0), m(self.1, to.1), m(self.2, to.2))
    }

    /// The first shade from self towards `to` (in 5 % steps) that reaches AA on every background.
    fn readable_on(self, backgrounds: &[Rgb], to: Rgb) -> Rgb {
        (0..=20)
            .map(|step| self.mix(to, f64::from(step) / 20.0))
            .find(|c| backgrounds.iter().all(|bg| c.contrast(*bg) >= AA))
            .unwrap_or(to)
    }
}

/// The CSS custom properties derived from one brand colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Palette {
    /// `--primary`: buttons' background (the brand colour, darkened only when no text reads on it).
    pub primary: Rgb,
    /// `--primary-text`: text on `--primary`.
    pub primary_text: Rgb,
    /// `--link-on-light` / `--link-on-dark`: links and link-like controls in each theme.
    pub link_on_light: Rgb,
    pub link_on_dark: Rgb,
}

impl Palette {
    pub fn from_primary(brand: Rgb) -> Palette {
        let best_text = |bg: Rgb| {
            if bg.contrast(WHITE) >= bg.contrast(NEAR_BLACK) {
                WHITE
            } else {
                NEAR_BLACK
            }
        };
        let text = best_text(brand);
        let (primary, primary_text) = if brand.contrast(text) >= AA {
            (brand, text)
        } else {
            // Mid tones (e.g. #777) reach 4.5:1 with neither: darken until white text does.
            (brand.readable_on(&[WHITE], BLACK), WHITE)
        };
        Palette {
            primary,
            primary_text,
            link_on_light: brand.readable_on(&LIGHT_BACKGROUNDS, BLACK),
            link_on_dark: brand.readable_on(&DARK_BACKGROUNDS, WHITE),
        }
    }

    /// (property, value) pairs for `style.setProperty` on the root element.
    pub fn properties(&self) -> [(&'static str, String); 4] {
        [
            ("--primary", self.primary.hex()),
            ("--primary-text", self.primary_text.hex()),
            ("--link-on-light", self.link_on_light.hex()),
            ("--link-on-dark", self.link_on_dark.hex()),
        ]
    }
}

/// A logo or favicon location from config.json: a URL relative to the portal (`logo.svg`,
/// `brand/logo.png`) or an absolute path on the same origin (`/assets/logo.svg`). Other origins
/// (the Content-Security-Policy allows only 'self'), schemes (`javascript:`, `data:`) and odd
/// characters are refused with the reason.
pub fn asset_url(s: &str) -> Result<String, &'static str> {
    let s = s.trim();
    if s.is_empty() {
        return Err("it is empty");
    }
    if s.len() > 2048 {
        return Err("it is longer than 2048 characters");
    }
    if s.chars()
        .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '\\' | '"' | '<' | '>'))
    {
        return Err(
            "it contains spaces, quotes, angle brackets, backslashes or control characters",
        );
    }
    if s.starts_with("//") {
        return Err("it names another server (only the portal's own server is allowed)");
    }
    let before_path = s.split(['/', '?', '#']).next().unwrap_or_default();
    if before_path.contains(':') {
        return Err(
            "it is an absolute URL (use a path relative to the portal, on the same server)",
        );
    }
    Ok(s.to_string())
}

/// Applies the validated brand to the portal: colours as CSS custom properties on `<html>` (on
/// the portal's root element when embedded; through the CSSOM, which the
/// Content-Security-Policy allows, never as CSS text) and the favicon (the embedded portal has
/// none: src/browser/embed.rs drops it). The name and logo are rendered by the header.
pub fn apply(brand: &crate::config::Brand) {
    if let (Some(color), Some(root)) = (brand.primary_color, crate::browser::dom::root_element()) {
        let style = root.style();
        for (name, value) in Palette::from_primary(color).properties() {
            let _ = style.set_property(name, &value);
        }
    }
    if let (Some(href), Some(doc)) = (&brand.favicon, web_sys::window().and_then(|w| w.document()))
    {
        set_favicon(&doc, href);
    }
}

/// Points every `<link rel="icon">` at `href` (or adds one).
fn set_favicon(doc: &web_sys::Document, href: &str) {
    use wasm_bindgen::JsCast;
    let links = doc.query_selector_all("link[rel~='icon']").ok();
    let links: Vec<web_sys::Element> = links
        .map(|list| {
            (0..list.length())
                .filter_map(|i| list.item(i))
                .filter_map(|n| n.dyn_into::<web_sys::Element>().ok())
                .collect()
        })
        .unwrap_or_default();
    if links.is_empty() {
        let head = doc.query_selector("head").ok().flatten();
        if let (Some(head), Ok(link)) = (head, doc.create_element("link")) {
            let _ = link.set_attribute("rel", "icon");
            let _ = link.set_attribute("href", href);
            let _ = head.append_child(&link);
        }
        return;
    }
    for link in links {
        // The build's icon is an SVG with an integrity hash: neither fits the new file.
        let _ = link.remove_attribute("type");
        let _ = link.remove_attribute("integrity");
        let _ = link.set_attribute("href", href);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_only_hex_colours() {
        assert_eq!(Rgb::parse("#1f5fbf"), Some(Rgb(0x1f, 0x5f, 0xbf)));
        assert_eq!(Rgb::parse("#1F5FBF"), Some(Rgb(0x1f, 0x5f, 0xbf)));
        assert_eq!(Rgb::parse("#fc0"), Some(Rgb(0xff, 0xcc, 0x00)));
        for bad in [
            "",
            "#",
            "1f5fbf",
            "#1f5fb",
            "#1f5fbf0",
            "#1f5fbff0",
            "red",
            "#ggg",
            "#+1f5fb",
            " #1f5fbf",
            "#1f5fbf;",
            "#é12",
            "#1f5fbf; background: url(x)",
            "rgb(1,2,3)",
        ] {
            assert_eq!(Rgb::parse(bad), None, "{bad:?}");
        }
        assert_eq!(Rgb(0x1f, 0x5f, 0xbf).hex(), "#1f5fbf");
        assert_eq!(Rgb::parse("#ABC").unwrap().hex(), "#aabbcc");
    }

    #[test]
    fn contrast_matches_wcag() {
        assert!((WHITE.contrast(BLACK) - 21.0).abs() < 1e-9);
        assert!((WHITE.contrast(WHITE) - 1.0).abs() < 1e-9);
        // #767676 on white is the classic 4.54:1.
        let grey = Rgb(0x76, 0x76, 0x76);
        assert!((grey.contrast(WHITE) - 4.54).abs() < 0.01);
    }

    #[test]
    fn text_on_primary_always_reaches_aa() {
        for step in 0..=255u8 {
            for brand in [
                Rgb(step, step, step),
                Rgb(step, 0, 0),
                Rgb(0, step, 0),
                Rgb(0, 0, step),
                Rgb(255, step, 0),
                Rgb(step, 255 - step, step / 2),
            ] {
                let p = Palette::from_primary(brand);
                assert!(
                    p.primary.contrast(p.primary_text) >= AA,
                    "{brand:?} -> {p:?}"
                );
                assert!(p.primary_text == WHITE || p.primary_text == NEAR_BLACK);
                for bg in LIGHT_BACKGROUNDS {
                    assert!(p.link_on_light.contrast(bg) >= AA, "{brand:?} light link");
                }
                for bg in DARK_BACKGROUNDS {
                    assert!(p.link_on_dark.contrast(bg) >= AA, "{brand:?} dark link");
                }
            }
        }
    }

    #[test]
    fn picks_white_or_dark_text_and_keeps_the_brand_when_it_can() {
        let blue = Palette::from_primary(Rgb::parse("#1f5fbf").unwrap());
        assert_eq!(blue.primary.hex(), "#1f5fbf");
        assert_eq!(blue.primary_text, WHITE);
        assert_eq!(blue.link_on_light.hex(), "#1f5fbf");

        let yellow = Palette::from_primary(Rgb::parse("#ffcc00").unwrap());
        assert_eq!(yellow.primary.hex(), "#ffcc00");
        assert_eq!(yellow.primary_text, NEAR_BLACK);
        assert_ne!(
            yellow.link_on_light.hex(),
            "#ffcc00",
            "yellow links are darkened"
        );
        assert_eq!(yellow.link_on_dark.hex(), "#ffcc00");

        // Neither white nor the near-black reaches 4.5:1 on this grey: it is darkened.
        let grey = Rgb::parse("#787878").unwrap();
        assert!(grey.contrast(WHITE) < AA && grey.contrast(NEAR_BLACK) < AA);
        let p = Palette::from_primary(grey);
        assert_ne!(p.primary, grey);
        assert_eq!(p.primary_text, WHITE);
    }

    #[test]
    fn properties_are_plain_hex_values() {
        let p = Palette::from_primary(Rgb(1, 2, 3));
        for (name, value) in p.properties() {
            assert!(name.starts_with("--"));
            assert!(Rgb::parse(&value).is_some(), "{value}");
        }
    }

    #[test]
    fn asset_urls_stay_on_the_portals_server() {
        for ok in [
            "logo.svg",
            "./brand/logo.png",
            "/assets/logo.svg",
            "../brand/logo.svg",
            "logo.svg?v=2",
            "img/a:b.png",
        ] {
            assert_eq!(asset_url(ok).as_deref(), Ok(ok), "{ok}");
        }
        assert_eq!(asset_url("  logo.svg ").as_deref(), Ok("logo.svg"));
        for bad in [
            "",
            "   ",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "data:image/svg+xml,<svg/>",
            "https://evil.example/logo.svg",
            "//evil.example/logo.svg",
            "logo.svg\" onerror=\"x",
            "logo .svg",
            "a\\b.png",
            "a\nb.png",
            "<img>",
        ] {
            assert!(asset_url(bad).is_err(), "{bad:?}");
        }
        assert!(asset_url(&"a".repeat(3000)).is_err());
    }
}
