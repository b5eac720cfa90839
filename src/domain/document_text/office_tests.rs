use std::io::{Cursor, Write};

use proptest::prelude::*;
use quick_xml::escape::escape;
use zip::write::SimpleFileOptions;

use super::*;
use crate::domain::document_text::Collected;
use crate::domain::nhs_number::Scanner;
use crate::domain::nhs_number::written_forms::{FORMS, invalid_number, valid_number};

const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

fn zip(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer
            .start_file(*name, SimpleFileOptions::default())
            .expect("entry");
        writer.write_all(bytes).expect("write");
    }
    writer.finish().expect("finish").into_inner()
}

/// A minimal file of `kind` whose body holds `text`, split into two runs in the middle.
fn document(kind: &str, text: &str) -> Vec<u8> {
    let middle = text
        .char_indices()
        .nth(text.chars().count() / 2)
        .map_or(text.len(), |(i, _)| i);
    let (a, b) = (escape(&text[..middle]), escape(&text[middle..]));
    let types: (&str, &[u8]) = ("[Content_Types].xml", b"<Types/>");
    match kind {
        DOCX => {
            let body = format!(
                r#"<w:document {W}><w:body><w:p><w:r><w:t xml:space="preserve">{a}</w:t></w:r><w:r><w:t xml:space="preserve">{b}</w:t></w:r></w:p></w:body></w:document>"#
            );
            zip(&[types, ("word/document.xml", body.as_bytes())])
        }
        XLSX => {
            let strings = format!("<sst><si><r><t>{a}</t></r><r><t>{b}</t></r></si></sst>");
            zip(&[
                types,
                ("xl/workbook.xml", b"<workbook/>"),
                ("xl/sharedStrings.xml", strings.as_bytes()),
                (
                    "xl/worksheets/sheet1.xml",
                    br#"<worksheet><sheetData><row><c t="s"><v>0</v></c></row></sheetData></worksheet>"#,
                ),
            ])
        }
        PPTX => {
            let slide = format!(
                "<p:sld><p:cSld><p:spTree><p:sp><p:txBody><a:p><a:r><a:t>{a}</a:t></a:r><a:r><a:t>{b}</a:t></a:r></a:p></p:txBody></p:sp></p:spTree></p:cSld></p:sld>"
            );
            zip(&[
                types,
                ("ppt/presentation.xml", b"<p:presentation/>"),
                ("ppt/slides/slide1.xml", slide.as_bytes()),
            ])
        }
        _ => {
            let content = format!(
                "<office:document-content><office:body><office:text><text:p>{a}<text:span>{b}</text:span></text:p></office:text></office:body></office:document-content>"
            );
            zip(&[
                ("mimetype", kind.as_bytes()),
                ("content.xml", content.as_bytes()),
            ])
        }
    }
}

fn scan(bytes: &[u8], kind: &str) -> Result<bool, ExtractError> {
    let mut scanner = Scanner::new();
    extract(Cursor::new(bytes), kind, &Limits::default(), &mut scanner)?;
    Ok(scanner.finish().is_some())
}

const KINDS: [&str; 6] = [DOCX, XLSX, PPTX, ODT, ODS, ODP];

#[test]
fn the_type_comes_from_the_central_directory() {
    for kind in KINDS {
        let bytes = document(kind, "hello");
        assert_eq!(
            document_type(Cursor::new(&bytes), &Limits::default()),
            Ok(Some(kind))
        );
    }
    let plain = zip(&[("notes.txt", b"hello")]);
    assert_eq!(
        document_type(Cursor::new(&plain), &Limits::default()),
        Ok(None)
    );
    assert!(document_type(Cursor::new(b"PK\x03\x04 broken"), &Limits::default()).is_err());
}

#[test]
fn text_is_joined_within_paragraphs_and_split_at_cells() {
    let body = format!(
        r#"<w:document {W}><w:body><w:p><w:r><w:t>Ward 943 47</w:t></w:r><w:r><w:t>6 59</w:t></w:r><w:r><w:tab/><w:t>19</w:t></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:instrText>PAGE</w:instrText><w:t>b &amp; &#57;</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:document>"#
    );
    let bytes = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("word/document.xml", body.as_bytes()),
        (
            "word/styles.xml",
            b"<w:styles><w:t>9434765919</w:t></w:styles>",
        ),
    ]);
    let mut collected = Collected::default();
    extract(
        Cursor::new(&bytes),
        DOCX,
        &Limits::default(),
        &mut collected,
    )
    .expect("text");
    assert_eq!(collected.0, "Ward 943 476 59\t19\na\n|b & 9\n|");
}

#[test]
fn spreadsheet_numbers_are_read_but_shared_string_indexes_are_not() {
    let sheet = br#"<worksheet><sheetData><row><c><v>9434765919</v></c><c t="s"><v>0</v></c></row></sheetData></worksheet>"#;
    let bytes = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("xl/workbook.xml", b"<workbook/>"),
        ("xl/sharedStrings.xml", b"<sst><si><t>Bay 4</t></si></sst>"),
        ("xl/worksheets/sheet1.xml", sheet),
    ]);
    let mut collected = Collected::default();
    extract(
        Cursor::new(&bytes),
        XLSX,
        &Limits::default(),
        &mut collected,
    )
    .expect("text");
    assert_eq!(collected.0, "Bay 4|9434765919|||");
}

#[test]
fn a_zip_bomb_is_refused_quickly_without_reading_it() {
    // document.xml expands to 1 GiB of zeros inside one text node, at about 1000:1.
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    writer
        .start_file("[Content_Types].xml", SimpleFileOptions::default())
        .expect("entry");
    writer
        .start_file("word/document.xml", SimpleFileOptions::default())
        .expect("entry");
    writer
        .write_all(b"<w:document><w:body><w:p><w:r><w:t>")
        .expect("w");
    let zeros = vec![b'0'; 1024 * 1024];
    for _ in 0..1024 {
        writer.write_all(&zeros).expect("w");
    }
    writer
        .write_all(b"</w:t></w:r></w:p></w:body></w:document>")
        .expect("w");
    let bytes = writer.finish().expect("finish").into_inner();
    assert!(bytes.len() < 8 * 1024 * 1024);
    let started = std::time::Instant::now();
    assert!(matches!(scan(&bytes, DOCX), Err(ExtractError::TooLarge(_))));
    assert!(started.elapsed() < std::time::Duration::from_secs(2));

    // With generous ratio and part caps the total budget still stops it after 4 MiB.
    let limits = Limits {
        max_ratio: u64::MAX / 2,
        max_part_bytes: u64::MAX / 2,
        max_total_bytes: 4 * 1024 * 1024,
        ..Limits::default()
    };
    let mut scanner = Scanner::new();
    let result = extract(Cursor::new(&bytes), DOCX, &limits, &mut scanner);
    assert!(
        matches!(result, Err(ExtractError::TooLarge(_))),
        "{result:?}"
    );
}

#[test]
fn an_archive_with_too_many_entries_is_refused_before_loading_its_directory() {
    let names: Vec<String> = (0..50).map(|i| format!("f{i}")).collect();
    let entries: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b""[..])).collect();
    let bytes = zip(&entries);
    let limits = Limits {
        max_entries: 20,
        ..Limits::default()
    };
    assert!(matches!(
        document_type(Cursor::new(&bytes), &limits),
        Err(ExtractError::TooLarge(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]

    #[test]
    fn every_written_form_of_a_valid_number_is_found_in_every_document_kind(number in valid_number()) {
        for kind in KINDS {
            for (name, form) in FORMS {
                let text = form(&number);
                prop_assert_eq!(scan(&document(kind, &text), kind), Ok(true), "{} in {}: {:?}", name, kind, text);
            }
        }
    }

    #[test]
    fn no_written_form_of_a_wrong_check_digit_is_found_in_any_document_kind(number in invalid_number()) {
        for kind in KINDS {
            for (name, form) in FORMS {
                let text = form(&number);
                prop_assert_eq!(scan(&document(kind, &text), kind), Ok(false), "{} in {}: {:?}", name, kind, text);
            }
        }
    }
}
