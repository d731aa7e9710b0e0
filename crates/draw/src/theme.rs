//! Colours and fonts a scene is drawn with, taken from JupyterLab's theme variables.

/// An sRGB colour with alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Color {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
    /// Alpha (255 opaque).
    pub a: u8,
}

impl Color {
    /// An opaque colour.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Self {
        Color { r, g, b, a: 255 }
    }

    /// This colour with another alpha.
    pub const fn with_alpha(self, a: u8) -> Self {
        Color { a, ..self }
    }

    /// Parses `#rgb`, `#rrggbb`, `#rrggbbaa`, `rgb(r, g, b)` and `rgba(r, g, b, a)` —
    /// the forms a browser gives back for a computed colour.
    pub fn parse(text: &str) -> Option<Color> {
        let t = text.trim();
        if let Some(hex) = t.strip_prefix('#') {
            let v = |i: usize, n: usize| u8::from_str_radix(hex.get(i..i + n)?, 16).ok();
            return match hex.len() {
                3 => Some(Color::rgb(v(0, 1)? * 17, v(1, 1)? * 17, v(2, 1)? * 17)),
                6 => Some(Color::rgb(v(0, 2)?, v(2, 2)?, v(4, 2)?)),
                8 => Some(Color { r: v(0, 2)?, g: v(2, 2)?, b: v(4, 2)?, a: v(6, 2)? }),
                _ => None,
            };
        }
        let inner = t.strip_prefix("rgba(").or_else(|| t.strip_prefix("rgb("))?.strip_suffix(')')?;
        let parts: Vec<&str> = inner.split([',', ' ', '/']).map(str::trim).filter(|p| !p.is_empty()).collect();
        let channel = |p: &str| p.parse::<f32>().ok().map(|v| v.clamp(0.0, 255.0).round() as u8);
        let alpha = match parts.get(3) {
            None => 255,
            Some(p) => (p.parse::<f32>().ok()?.clamp(0.0, 1.0) * 255.0).round() as u8,
        };
        Some(Color { r: channel(parts.first()?)?, g: channel(parts.get(1)?)?, b: channel(parts.get(2)?)?, a: alpha })
    }

    /// `#rrggbb` or `#rrggbbaa`.
    pub fn to_hex(self) -> String {
        if self.a == 255 {
            format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
        } else {
            format!("#{:02x}{:02x}{:02x}{:02x}", self.r, self.g, self.b, self.a)
        }
    }

    /// This colour moved `amount` (0–1) of the way towards `other`.
    pub fn mix(self, other: Color, amount: f32) -> Color {
        let t = amount.clamp(0.0, 1.0);
        let m = |a: u8, b: u8| (f32::from(a) + (f32::from(b) - f32::from(a)) * t).round() as u8;
        Color { r: m(self.r, other.r), g: m(self.g, other.g), b: m(self.b, other.b), a: m(self.a, other.a) }
    }

    /// Relative luminance (0 black – 1 white), to tell light themes from dark ones.
    pub fn luminance(self) -> f32 {
        let lin = |c: u8| {
            let c = f32::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(self.r) + 0.7152 * lin(self.g) + 0.0722 * lin(self.b)
    }
}

/// Colours and fonts. The notebook plugin fills it from JupyterLab's CSS variables and
/// sends it again when the theme changes; no data is re-read for that.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    /// Page background (`--jp-layout-color0`).
    pub background: Color,
    /// Alternate row background.
    pub stripe: Color,
    /// Main text (`--jp-ui-font-color0`/`1`).
    pub foreground: Color,
    /// Secondary text: types, row numbers, null markers.
    pub muted: Color,
    /// Grid lines (`--jp-border-color2`).
    pub border: Color,
    /// Header and row-number background (`--jp-layout-color2`).
    pub header_background: Color,
    /// Selected cell background.
    pub selection: Color,
    /// Hovered row background.
    pub hover: Color,
    /// Accent (`--jp-brand-color1`): sort arrows, selection outline.
    pub accent: Color,
    /// Monospace font family list (`--jp-code-font-family`).
    pub mono_family: String,
    /// Font size in CSS pixels.
    pub font_size: f32,
    /// Advance of one monospace character at `font_size`, as measured by the browser.
    pub char_width: f32,
}

impl Theme {
    /// JupyterLab Light's defaults.
    pub fn light() -> Self {
        Theme {
            background: Color::rgb(0xff, 0xff, 0xff),
            stripe: Color::rgb(0xf7, 0xf7, 0xf7),
            foreground: Color::rgb(0x21, 0x21, 0x21),
            muted: Color::rgb(0x75, 0x75, 0x75),
            border: Color::rgb(0xe0, 0xe0, 0xe0),
            header_background: Color::rgb(0xee, 0xee, 0xee),
            selection: Color::rgb(0xbb, 0xde, 0xfb),
            hover: Color::rgb(0xe3, 0xf2, 0xfd),
            accent: Color::rgb(0x19, 0x76, 0xd2),
            mono_family: "Menlo, Consolas, 'DejaVu Sans Mono', monospace".to_string(),
            font_size: 12.0,
            char_width: 7.2,
        }
    }

    /// JupyterLab Dark's defaults.
    pub fn dark() -> Self {
        Theme {
            background: Color::rgb(0x11, 0x11, 0x11),
            stripe: Color::rgb(0x1a, 0x1a, 0x1a),
            foreground: Color::rgb(0xe6, 0xe6, 0xe6),
            muted: Color::rgb(0x9e, 0x9e, 0x9e),
            border: Color::rgb(0x42, 0x42, 0x42),
            header_background: Color::rgb(0x2a, 0x2a, 0x2a),
            selection: Color::rgb(0x0d, 0x47, 0xa1),
            hover: Color::rgb(0x1e, 0x2a, 0x38),
            accent: Color::rgb(0x64, 0xb5, 0xf6),
            ..Theme::light()
        }
    }

    /// Whether the background is dark.
    pub fn is_dark(&self) -> bool {
        self.background.luminance() < 0.3
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_browser_colour_forms() {
        assert_eq!(Color::parse("#fff"), Some(Color::rgb(255, 255, 255)));
        assert_eq!(Color::parse("#1976d2"), Some(Color::rgb(0x19, 0x76, 0xd2)));
        assert_eq!(Color::parse("rgb(17, 17, 17)"), Some(Color::rgb(17, 17, 17)));
        assert_eq!(Color::parse("rgba(0, 0, 0, 0.5)"), Some(Color { r: 0, g: 0, b: 0, a: 128 }));
        assert_eq!(Color::parse("rgb(1 2 3 / 0)"), Some(Color { r: 1, g: 2, b: 3, a: 0 }));
        assert_eq!(Color::parse("url(javascript:x)"), None);
        assert_eq!(Color::parse("#12345"), None);
        assert!(Theme::dark().is_dark() && !Theme::light().is_dark());
        assert_eq!(Color::rgb(0, 0, 0).mix(Color::rgb(200, 100, 50), 0.5), Color::rgb(100, 50, 25));
    }
}
