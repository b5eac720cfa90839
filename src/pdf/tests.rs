use chrono::{TimeZone, Utc};

use super::{Block, Cell, Column, Document, Level, PdfError, Table, render};

fn heading(level: Level, text: &str, anchor: Option<&str>) -> Block {
    Block::Heading {
        level,
        text: text.to_string(),
        anchor: anchor.map(str::to_string),
        in_contents: true,
    }
}

fn document(rows: usize) -> Document {
    let table = Table {
        columns: vec![
            Column::new("Code", 1.0),
            Column::new("What", 4.0),
            Column::new("Page", 1.0),
        ],
        rows: (0..rows)
            .map(|i| {
                vec![
                    Cell::from(format!("K{i}")),
                    Cell::from(format!(
                        "Row {i} of a table long enough to continue onto later pages"
                    )),
                    Cell::PageOf("end".to_string()),
                ]
            })
            .collect(),
        row_headers: true,
    };
    Document {
        title: "A test document".to_string(),
        lang: "en-GB".to_string(),
        author: Some("Apprentice A".to_string()),
        subject: None,
        created: Utc
            .with_ymd_and_hms(2026, 12, 1, 20, 0, 0)
            .single()
            .expect("a date"),
        footer: "A test document".to_string(),
        blocks: vec![
            heading(Level::H1, "Cover", None),
            Block::Paragraph("A paragraph.\nAnd a second line.".to_string()),
            Block::Note(String::new()),
            Block::PageBreak,
            heading(Level::H1, "Contents", None),
            Block::Contents,
            Block::PageBreak,
            heading(Level::H1, "A table", None),
            Block::Table(table),
            heading(Level::H2, "The end", Some("end")),
            Block::Paragraph("Done.".to_string()),
        ],
    }
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[test]
fn a_document_is_a_tagged_pdf_with_its_title_language_and_bookmarks() {
    let bytes = render(&document(120)).expect("the document renders");
    assert!(bytes.starts_with(b"%PDF-1.7"));
    // The catalogue, the structure tree and the outline are plain objects (only content streams
    // and fonts are compressed).
    assert_eq!(
        count(&bytes, b"/Lang (en-GB)"),
        2,
        "the catalogue and the Document element"
    );
    assert_eq!(count(&bytes, b"/Type /StructTreeRoot"), 1);
    assert_eq!(count(&bytes, b"/Marked true"), 1);
    assert_eq!(count(&bytes, b"/DisplayDocTitle true"), 1);
    assert_eq!(count(&bytes, b"/Type /Outlines"), 1);
    assert_eq!(count(&bytes, b"/S /H1"), 3);
    assert_eq!(count(&bytes, b"/S /H2"), 1);
    assert_eq!(count(&bytes, b"/S /Table"), 1);
    assert_eq!(count(&bytes, b"/S /THead"), 1);
    let header_cells = count(&bytes, b"/S /TH") - count(&bytes, b"/S /THead");
    assert_eq!(
        header_cells,
        3 + 120,
        "column headers and a row header per row"
    );
    assert_eq!(
        count(&bytes, b"/S /TOCI"),
        4,
        "one contents item per listed heading"
    );
    assert_eq!(count(&bytes, b"/S /Link"), 4);
    assert!(
        count(&bytes, b"/Type /Page\n") > 4,
        "the table continues over pages"
    );
    assert_eq!(count(&bytes, b"/FontFile2"), 2, "both faces embedded");
}

#[test]
fn an_empty_document_still_renders_one_page() {
    let mut doc = document(0);
    doc.blocks.truncate(2);
    let bytes = render(&doc).expect("renders");
    assert!(bytes.starts_with(b"%PDF"));
}

#[test]
fn a_cell_pointing_at_no_heading_is_refused() {
    let mut doc = document(1);
    doc.blocks.retain(|b| {
        !matches!(
            b,
            Block::Heading {
                anchor: Some(_),
                ..
            }
        )
    });
    assert!(matches!(render(&doc), Err(PdfError::UnknownAnchor(a)) if a == "end"));
}
