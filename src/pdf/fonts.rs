//! The two faces every document is set in, Noto Sans Regular and Bold, from the bytes the
//! `notosans` crate compiles in (never a font of the machine, so a document looks the same
//! wherever it is made), and what text needs before it is set: glyph advances for line breaking
//! and characters the face can draw.
//!
//! Text is placed glyph by glyph from the font's own character map and advances, so the width a
//! line is measured at is the width it is drawn at. There is no shaping: Latin text with its
//! accents (composed first, NFC) needs none, and a character the face lacks is drawn as `?`
//! rather than as an empty box, which PDF/UA forbids.

use krilla::text::{Font, GlyphId, KrillaGlyph};
use skrifa::charmap::Charmap;
use skrifa::instance::{LocationRef, Size};
use skrifa::metrics::GlyphMetrics;
use skrifa::{FontRef, MetadataProvider};
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use super::PdfError;

/// One face: the font krilla embeds (subset to the glyphs used) and its metrics.
pub struct Face {
    pub font: Font,
    charmap: Charmap<'static>,
    metrics: GlyphMetrics<'static>,
    units_per_em: f32,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Result<Self, PdfError> {
        let font = Font::new(bytes.into(), 0).ok_or(PdfError::Font)?;
        let face = FontRef::new(bytes).map_err(|_| PdfError::Font)?;
        let units_per_em = f32::from(
            face.metrics(Size::unscaled(), LocationRef::default())
                .units_per_em,
        );
        Ok(Self {
            font,
            charmap: face.charmap(),
            metrics: face.glyph_metrics(Size::unscaled(), LocationRef::default()),
            units_per_em,
        })
    }

    fn glyph(&self, c: char) -> Option<GlyphId> {
        self.charmap.map(c).map(|g| GlyphId::new(g.to_u32()))
    }

    /// The advance of `c` in ems (0 for a character the face lacks).
    fn advance(&self, c: char) -> f32 {
        self.charmap
            .map(c)
            .and_then(|g| self.metrics.advance_width(g))
            .map_or(0.0, |a| a / self.units_per_em)
    }

    /// The width of `text` (already [`Fonts::clean`]ed) at `size` points.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// The glyphs of `text`, each mapped back to the bytes it stands for (so the text can be
    /// copied, searched and read aloud).
    pub fn glyphs(&self, text: &str) -> Vec<KrillaGlyph> {
        text.char_indices()
            .filter_map(|(i, c)| {
                let glyph = self.glyph(c)?;
                Some(KrillaGlyph::new(
                    glyph,
                    self.advance(c),
                    0.0,
                    0.0,
                    0.0,
                    i..i + c.len_utf8(),
                    None,
                ))
            })
            .collect()
    }
}

/// The document's faces.
pub struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

impl Fonts {
    pub fn load() -> Result<Self, PdfError> {
        Ok(Self {
            regular: Face::load(notosans::REGULAR_TTF)?,
            bold: Face::load(notosans::BOLD_TTF)?,
        })
    }

    pub fn face(&self, bold: bool) -> &Face {
        if bold { &self.bold } else { &self.regular }
    }

    /// Text as it can be set: composed (NFC); every run of white space one space; format and
    /// control characters dropped (they draw nothing, and some are invalid in a PDF text
    /// mapping); what either face lacks replaced by `?`. Line breaks are the caller's: split
    /// first.
    pub fn clean(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut space = false;
        for c in text.nfc() {
            if c.is_whitespace() {
                space = !out.is_empty();
                continue;
            }
            if matches!(
                c.general_category(),
                GeneralCategory::Format
                    | GeneralCategory::Control
                    | GeneralCategory::Surrogate
                    | GeneralCategory::Unassigned
            ) {
                continue;
            }
            if space {
                out.push(' ');
                space = false;
            }
            if self.regular.glyph(c).is_some() && self.bold.glyph(c).is_some() {
                out.push(c);
            } else {
                out.push('?');
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::Fonts;

    #[test]
    fn text_is_composed_spaced_once_and_drawable() {
        let fonts = Fonts::load().expect("the bundled fonts load");
        assert_eq!(
            fonts.clean("  Zoe\u{0308}  O\u{2019}Neil\t– ok \n"),
            "Zoë O’Neil – ok"
        );
        assert_eq!(fonts.clean("a\u{200B}b\u{FEFF}c"), "abc");
        assert_eq!(fonts.clean("漢字"), "??");
        assert_eq!(fonts.clean(""), "");
    }

    #[test]
    fn a_wider_text_measures_wider_and_bold_wider_than_regular() {
        let fonts = Fonts::load().expect("the bundled fonts load");
        let narrow = fonts.regular.width("iii", 10.0);
        let wide = fonts.regular.width("MMM", 10.0);
        assert!(narrow > 0.0 && wide > narrow);
        assert!(fonts.bold.width("Portfolio", 10.0) > fonts.regular.width("Portfolio", 10.0));
        assert_eq!(fonts.regular.glyphs("K1 S7").len(), 5);
    }
}
