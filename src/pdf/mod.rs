//! Accessible PDF documents from plain blocks: headings, paragraphs, tables and a contents list
//! that points at the pages its headings landed on. No HTTP, no SQL: a [`Document`] in, PDF
//! bytes out ([`render`]), so what a document says is decided elsewhere (the end-point
//! assessment pack: `api::portfolio::pack`).
//!
//! Every document is PDF/UA-1 (krilla checks it on export): tagged, with a structure tree of
//! headings (each titled), paragraphs and tables whose header cells are `TH` (column headers,
//! and row headers where a table has them), a title shown in the viewer's title bar, the
//! language (`en-GB`), bookmarks for every heading and Noto Sans embedded from the binary's own
//! bytes (`fonts.rs`). Page numbers ("Page 3 of 12") and table rules are artifacts, which a
//! screen reader skips; a table's header row is repeated, as an artifact, on each page it
//! continues onto.
//!
//! `layout.rs` breaks the blocks into lines and pages; `render.rs` draws them with krilla and
//! builds the structure tree and bookmarks.

mod fonts;
mod layout;
mod render;

use chrono::{DateTime, Utc};

/// Why a document could not be made; every case is a fault of the program, not of the text.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the bundled font cannot be read")]
    Font,
    #[error("a page or a box has an impossible size")]
    Geometry,
    #[error("a cell, a link or a contents entry points at an anchor no heading has: {0}")]
    UnknownAnchor(String),
    #[error("the PDF could not be written: {0}")]
    Export(String),
}

/// A document to set.
#[derive(Debug, Clone)]
pub struct Document {
    /// The document title: metadata and the viewer's title bar.
    pub title: String,
    /// An IETF language tag, e.g. `en-GB`.
    pub lang: String,
    pub author: Option<String>,
    pub subject: Option<String>,
    pub created: DateTime<Utc>,
    /// Printed at the foot of every page, left of the page number.
    pub footer: String,
    pub blocks: Vec<Block>,
}

/// The heading levels a document uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    H1,
    H2,
    H3,
}

impl Level {
    fn number(self) -> u16 {
        match self {
            Level::H1 => 1,
            Level::H2 => 2,
            Level::H3 => 3,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Block {
    Heading {
        level: Level,
        text: String,
        /// A name cells can point at ([`Cell::PageOf`]).
        anchor: Option<String>,
        /// Listed in the contents.
        in_contents: bool,
    },
    Paragraph(String),
    /// A paragraph in smaller type (notes, provenance).
    Note(String),
    Table(Table),
    /// The contents: every heading with `in_contents`, with its page number, each a link.
    Contents,
    PageBreak,
}

#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    /// The first cell of each row is a header for its row (`TH` with row scope), e.g. the
    /// label of a label–value table.
    pub row_headers: bool,
}

#[derive(Debug, Clone)]
pub struct Column {
    pub header: String,
    /// The column's share of the width (relative to the other columns').
    pub width: f32,
}

impl Column {
    pub fn new(header: impl Into<String>, width: f32) -> Self {
        Self {
            header: header.into(),
            width,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Cell {
    Text(String),
    /// The number of the page the heading with this anchor is on.
    PageOf(String),
}

impl From<String> for Cell {
    fn from(text: String) -> Self {
        Cell::Text(text)
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Self {
        Cell::Text(text.to_string())
    }
}

/// Sets the document: the PDF's bytes.
pub fn render(document: &Document) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts::Fonts::load()?;
    let laid_out = layout::layout(document, &fonts)?;
    render::render(document, &fonts, &laid_out)
}

#[cfg(test)]
mod tests;
