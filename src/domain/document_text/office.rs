//! Office Open XML (.docx, .xlsx, .pptx) and OpenDocument (.odt, .ods, .odp) files: what kind
//! a zip archive is, judged from its central directory, and the text of the XML parts that
//! hold what a reader sees (body, headers, footers, notes and comments; shared strings and
//! cells; slides and speaker notes), read with a streaming XML reader.
//!
//! Runs of one paragraph are joined as Word joins them (`<w:t>943 47</w:t><w:t>6 5919</w:t>`
//! reads `943 476 5919`), paragraph ends read as line breaks, and table cells, spreadsheet
//! cells and slide text boxes are boundaries that no number crosses.

use std::io::{Read, Seek, SeekFrom};

use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::{ExtractError, Limits, TextSink};

pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
pub const PPTX: &str = "application/vnd.openxmlformats-officedocument.presentationml.presentation";
pub const ODT: &str = "application/vnd.oasis.opendocument.text";
pub const ODS: &str = "application/vnd.oasis.opendocument.spreadsheet";
pub const ODP: &str = "application/vnd.oasis.opendocument.presentation";

/// The entry count of the archive's end of central directory record (or its Zip64 record).
fn entry_count(source: &mut (impl Read + Seek)) -> Result<u64, ExtractError> {
    let unreadable = |_| ExtractError::Unreadable("zip archive");
    let len = source.seek(SeekFrom::End(0)).map_err(unreadable)?;
    // The record is 22 bytes plus a comment of at most 65,535; the Zip64 locator 20 before it.
    let tail_len = len.min(22 + 65_535 + 20);
    source
        .seek(SeekFrom::Start(len - tail_len))
        .map_err(unreadable)?;
    let mut tail = vec![0; usize::try_from(tail_len).unwrap_or(0)];
    source.read_exact(&mut tail).map_err(unreadable)?;
    let at = tail
        .windows(4)
        .rposition(|w| w == b"PK\x05\x06")
        .filter(|at| tail.len() - at >= 22)
        .ok_or(ExtractError::Unreadable("zip archive"))?;
    let mut count = u64::from(u16::from_le_bytes([tail[at + 10], tail[at + 11]]));
    if count == 0xFFFF {
        let locator = at
            .checked_sub(20)
            .map(|start| &tail[start..at])
            .filter(|l| l.starts_with(b"PK\x06\x07"))
            .ok_or(ExtractError::Unreadable("zip archive"))?;
        let mut offset = [0u8; 8];
        offset.copy_from_slice(&locator[8..16]);
        source
            .seek(SeekFrom::Start(u64::from_le_bytes(offset)))
            .map_err(unreadable)?;
        let mut record = [0u8; 40];
        source.read_exact(&mut record).map_err(unreadable)?;
        if !record.starts_with(b"PK\x06\x06") {
            return Err(ExtractError::Unreadable("zip archive"));
        }
        let mut total = [0u8; 8];
        total.copy_from_slice(&record[32..40]);
        count = u64::from_le_bytes(total);
    }
    source.seek(SeekFrom::Start(0)).map_err(unreadable)?;
    Ok(count)
}

/// Opens an archive after checking its entry count against the end of central directory
/// record, so a directory of millions of entries is never loaded.
fn open<R: Read + Seek>(mut source: R, limits: &Limits) -> Result<ZipArchive<R>, ExtractError> {
    if entry_count(&mut source)? > limits.max_entries {
        return Err(ExtractError::TooLarge(format!(
            "it holds more than {} files inside",
            limits.max_entries
        )));
    }
    let archive = ZipArchive::new(source).map_err(|_| ExtractError::Unreadable("zip archive"))?;
    if archive.len() as u64 > limits.max_entries {
        return Err(ExtractError::TooLarge(format!(
            "it holds more than {} files inside",
            limits.max_entries
        )));
    }
    Ok(archive)
}

/// The document type of a zip archive, or `None` when it is not an Office or OpenDocument file.
pub fn document_type<R: Read + Seek>(
    source: R,
    limits: &Limits,
) -> Result<Option<&'static str>, ExtractError> {
    let mut archive = open(source, limits)?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(|name| name.ok().map(|n| n.into_owned()))
        .collect();
    let has = |name: &str| names.iter().any(|n| n == name);
    if has("mimetype") {
        let mut declared = String::new();
        archive
            .by_name("mimetype")
            .map_err(|_| ExtractError::Unreadable("OpenDocument file"))?
            .take(128)
            .read_to_string(&mut declared)
            .map_err(|_| ExtractError::Unreadable("OpenDocument file"))?;
        return Ok([ODT, ODS, ODP].into_iter().find(|t| *t == declared.trim()));
    }
    if !has("[Content_Types].xml") {
        return Ok(None);
    }
    Ok(if has("word/document.xml") {
        Some(DOCX)
    } else if has("xl/workbook.xml") {
        Some(XLSX)
    } else if has("ppt/presentation.xml") {
        Some(PPTX)
    } else {
        None
    })
}

/// Which words of a part's XML carry text and structure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vocabulary {
    Word,
    SharedStrings,
    Worksheet,
    Slides,
    OpenDocument,
}

fn text_parts(content_type: &str, name: &str) -> Option<Vocabulary> {
    let file = name.rsplit('/').next().unwrap_or(name);
    let xml = file.ends_with(".xml");
    match content_type {
        DOCX if xml && name == format!("word/{file}") => ["document", "header", "footer"]
            .iter()
            .chain(&["footnotes", "endnotes", "comments"])
            .any(|stem| file.starts_with(stem))
            .then_some(Vocabulary::Word),
        XLSX if name == "xl/sharedStrings.xml" => Some(Vocabulary::SharedStrings),
        XLSX if xml && name.starts_with("xl/worksheets/sheet") => Some(Vocabulary::Worksheet),
        XLSX if xml && name.starts_with("xl/comments") => Some(Vocabulary::Word),
        PPTX if xml
            && (name.starts_with("ppt/slides/slide")
                || name.starts_with("ppt/notesSlides/notesSlide")
                || name.starts_with("ppt/comments/")) =>
        {
            Some(Vocabulary::Slides)
        }
        ODT | ODS | ODP if name == "content.xml" || name == "styles.xml" => {
            Some(Vocabulary::OpenDocument)
        }
        _ => None,
    }
}

/// Feeds the text of an Office or OpenDocument file of `content_type` to `sink`.
pub fn extract<R: Read + Seek>(
    source: R,
    content_type: &str,
    limits: &Limits,
    sink: &mut impl TextSink,
) -> Result<(), ExtractError> {
    let mut archive = open(source, limits)?;
    let mut budget = limits.max_total_bytes;
    for index in 0..archive.len() {
        let entry = archive
            .by_index(index)
            .map_err(|_| ExtractError::Unreadable("document"))?;
        let name = entry
            .name()
            .map_err(|_| ExtractError::Unreadable("document"))?;
        let Some(vocabulary) = text_parts(content_type, &name) else {
            continue;
        };
        if entry.encrypted() {
            return Err(ExtractError::Encrypted);
        }
        let too_large = || {
            ExtractError::TooLarge(format!(
                "its text is larger than the {} MiB that can be checked",
                limits.max_total_bytes / (1024 * 1024)
            ))
        };
        // Declared sizes can lie, so the reader below counts what really comes out too.
        let ratio_cap = entry
            .compressed_size()
            .max(1)
            .saturating_mul(limits.max_ratio);
        let cap = limits.max_part_bytes.min(budget).min(ratio_cap.max(4096));
        if entry.size() > cap {
            return Err(too_large());
        }
        let mut counted = entry.take(cap + 1);
        let read = read_xml(&mut counted, vocabulary, sink);
        let used = (cap + 1) - counted.limit();
        // A part cut at its cap ends early or in an XML error: report the size, not the XML.
        if used > cap {
            return Err(too_large());
        }
        read?;
        budget -= used;
        if sink.satisfied() {
            return Ok(());
        }
    }
    Ok(())
}

fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|b| *b == b':').next().unwrap_or(name)
}

fn attribute(element: &BytesStart<'_>, key: &[u8]) -> Option<Vec<u8>> {
    element
        .attributes()
        .flatten()
        .find(|a| local(a.key.as_ref()) == key)
        .map(|a| a.value.into_owned())
}

/// Streams one XML part's text into `sink`.
fn read_xml(
    source: impl Read,
    vocabulary: Vocabulary,
    sink: &mut impl TextSink,
) -> Result<(), ExtractError> {
    let unreadable = |_| ExtractError::Unreadable("document");
    let mut reader = quick_xml::Reader::from_reader(std::io::BufReader::new(source));
    let mut buffer = Vec::new();
    // Depth inside elements whose text is content; ODF text is content everywhere.
    let mut inside_text = 0usize;
    let all_text = vocabulary == Vocabulary::OpenDocument;
    let mut shared_string_cell = false;
    loop {
        // Corrupt compressed data and CRC mismatches arrive here as I/O errors.
        let event = reader.read_event_into(&mut buffer).map_err(unreadable)?;
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = local(e.name().as_ref()).to_vec();
                match (vocabulary, name.as_slice()) {
                    (Vocabulary::Worksheet, b"c") => {
                        shared_string_cell = attribute(e, b"t").as_deref() == Some(b"s");
                    }
                    (Vocabulary::Word | Vocabulary::Slides, b"tab") => sink.text("\t"),
                    (Vocabulary::Word | Vocabulary::Slides, b"br" | b"cr") => sink.paragraph(),
                    (Vocabulary::OpenDocument, b"tab" | b"s") => sink.text(" "),
                    (Vocabulary::OpenDocument, b"line-break") => sink.paragraph(),
                    _ => {}
                }
                if !empty && is_text_element(vocabulary, &name, shared_string_cell) {
                    inside_text += 1;
                }
                if empty {
                    end_element(vocabulary, &name, sink);
                }
            }
            Event::End(ref e) => {
                let name = local(e.name().as_ref()).to_vec();
                if is_text_element(vocabulary, &name, shared_string_cell) {
                    inside_text = inside_text.saturating_sub(1);
                }
                end_element(vocabulary, &name, sink);
            }
            Event::Text(ref t) if all_text || inside_text > 0 => sink.text(
                &t.xml10_content()
                    .map_err(|_| ExtractError::Unreadable("document"))?,
            ),
            Event::CData(ref t) if all_text || inside_text > 0 => sink.text(
                &t.decode()
                    .map_err(|_| ExtractError::Unreadable("document"))?,
            ),
            Event::GeneralRef(ref r) if all_text || inside_text > 0 => {
                let resolved = match r.resolve_char_ref().map_err(unreadable)? {
                    Some(c) => Some(c),
                    None => match &**r {
                        b"lt" => Some('<'),
                        b"gt" => Some('>'),
                        b"amp" => Some('&'),
                        b"quot" => Some('"'),
                        b"apos" => Some('\''),
                        _ => None,
                    },
                };
                match resolved {
                    Some(c) => sink.text(c.encode_utf8(&mut [0; 4])),
                    None => sink.boundary(),
                }
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        if sink.satisfied() {
            return Ok(());
        }
        buffer.clear();
    }
}

fn is_text_element(vocabulary: Vocabulary, name: &[u8], shared_string_cell: bool) -> bool {
    match vocabulary {
        Vocabulary::Word => matches!(name, b"t" | b"delText"),
        Vocabulary::SharedStrings | Vocabulary::Slides => name == b"t",
        Vocabulary::Worksheet => name == b"t" || (name == b"v" && !shared_string_cell),
        Vocabulary::OpenDocument => false,
    }
}

fn end_element(vocabulary: Vocabulary, name: &[u8], sink: &mut impl TextSink) {
    match (vocabulary, name) {
        (Vocabulary::Word | Vocabulary::Slides, b"p") => sink.paragraph(),
        (Vocabulary::Word, b"tc") | (Vocabulary::Slides, b"tc" | b"sp") => sink.boundary(),
        (Vocabulary::SharedStrings, b"si") | (Vocabulary::Worksheet, b"c" | b"row") => {
            sink.boundary()
        }
        (Vocabulary::OpenDocument, b"p" | b"h") => sink.paragraph(),
        (Vocabulary::OpenDocument, b"table-cell" | b"covered-table-cell" | b"frame") => {
            sink.boundary()
        }
        _ => {}
    }
}

#[cfg(test)]
#[path = "office_tests.rs"]
mod tests;
