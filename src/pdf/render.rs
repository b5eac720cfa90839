//! Pages into PDF with krilla, validated as PDF/UA-1: each line of text is a marked span that
//! becomes a leaf of the structure tree under its heading, paragraph, table cell or contents
//! entry; shading, rules and page numbers are artifacts; contents entries are link annotations
//! (each with a description) to the heading's page; every heading is a bookmark.

use std::collections::HashMap;
use std::num::NonZeroU16;

use chrono::{Datelike, Timelike};
use krilla::SerializeSettings;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::color::rgb;
use krilla::configure::{Configuration, Validator};
use krilla::destination::{Destination, XyzDestination};
use krilla::error::KrillaError;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::tagging::{
    ArtifactType, ContentTag, Identifier, Node, SpanTag, TableHeaderScope, Tag, TagGroup, TagTree,
};

use super::fonts::{Face, Fonts};
use super::layout::{
    Content, FOOTER_BASELINE, FOOTER_SIZE, LEFT, Layout, Owner, PAGE_HEIGHT, PAGE_WIDTH, Page,
    RIGHT,
};
use super::{Block, Document, Level, PdfError};

/// The leaves of the structure tree, by what they belong to, in reading order.
type Leaves = HashMap<Owner, Vec<Identifier>>;

fn heading_text(document: &Document, block: usize) -> &str {
    match document.blocks.get(block) {
        Some(Block::Heading { text, .. }) => text,
        _ => "",
    }
}

fn draw(surface: &mut Surface<'_>, face: &Face, x: f32, baseline: f32, size: f32, text: &str) {
    let glyphs = face.glyphs(text);
    surface.draw_glyphs(
        Point::from_xy(x, baseline),
        &glyphs,
        face.font.clone(),
        text,
        size,
        false,
    );
}

fn fill(r: u8, g: u8, b: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(r, g, b).into(),
        ..Fill::default()
    }
}

/// Table shading and rules, one artifact.
fn decoration(surface: &mut Surface<'_>, page: &Page) -> Result<(), PdfError> {
    if page.shades.is_empty() && page.rules.is_empty() {
        return Ok(());
    }
    surface.start_tagged(ContentTag::Artifact(ArtifactType::Other));
    surface.set_stroke(None);
    surface.set_fill(Some(fill(0xe8, 0xed, 0xee)));
    let mut result = Ok(());
    for shade in &page.shades {
        let mut path = PathBuilder::new();
        match Rect::from_xywh(shade.0, shade.1, shade.2, shade.3) {
            Some(rect) => path.push_rect(rect),
            None => result = Err(PdfError::Geometry),
        }
        if let Some(path) = path.finish() {
            surface.draw_path(&path);
        }
    }
    surface.set_fill(None);
    surface.set_stroke(Some(Stroke {
        paint: rgb::Color::new(0xae, 0xb7, 0xbd).into(),
        width: 0.5,
        ..Stroke::default()
    }));
    for &(from, to, y) in &page.rules {
        let mut path = PathBuilder::new();
        path.move_to(from, y);
        path.line_to(to, y);
        if let Some(path) = path.finish() {
            surface.draw_path(&path);
        }
    }
    surface.set_stroke(None);
    surface.end_tagged();
    result
}

fn page_number(layout: &Layout, block: usize) -> Result<usize, PdfError> {
    layout
        .headings
        .get(&block)
        .map(|(page, _)| page + 1)
        .ok_or_else(|| PdfError::UnknownAnchor(format!("block {block}")))
}

fn destination(layout: &Layout, block: usize) -> Result<XyzDestination, PdfError> {
    let &(page, y) = layout
        .headings
        .get(&block)
        .ok_or_else(|| PdfError::UnknownAnchor(format!("block {block}")))?;
    Ok(XyzDestination::new(page, Point::from_xy(LEFT, y)))
}

fn page(
    pdf: &mut krilla::Document,
    document: &Document,
    fonts: &Fonts,
    layout: &Layout,
    index: usize,
    leaves: &mut Leaves,
) -> Result<(), PdfError> {
    let content = &layout.pages[index];
    let settings = PageSettings::from_wh(PAGE_WIDTH, PAGE_HEIGHT).ok_or(PdfError::Geometry)?;
    let mut page = pdf.start_page_with(settings);
    for link in &content.links {
        let area = link.area;
        let rect = Rect::from_xywh(area.0, area.1, area.2, area.3).ok_or(PdfError::Geometry)?;
        let target = Target::Destination(Destination::Xyz(destination(layout, link.target)?));
        let description = format!(
            "Go to {}, page {}",
            fonts.clean(heading_text(document, link.target)),
            page_number(layout, link.target)?
        );
        let id = page.add_tagged_annotation(Annotation::new_link(
            LinkAnnotation::new(rect, target),
            Some(description),
        ));
        leaves.entry(Owner::Entry(link.entry)).or_default().push(id);
    }
    let mut surface = page.surface();
    let decorated = decoration(&mut surface, content);
    surface.set_fill(Some(fill(0x21, 0x2b, 0x32)));
    for line in &content.lines {
        let text = match &line.content {
            Content::Text(text) => text.clone(),
            Content::PageOf(block) => page_number(layout, *block)?.to_string(),
        };
        let face = fonts.face(line.bold);
        let x = if line.right_aligned {
            line.x - face.width(&text, line.size)
        } else {
            line.x
        };
        if line.owner == Owner::Artifact {
            surface.start_tagged(ContentTag::Artifact(ArtifactType::Other));
            draw(&mut surface, face, x, line.baseline, line.size, &text);
            surface.end_tagged();
        } else {
            let id = surface.start_tagged(ContentTag::Span(SpanTag::empty()));
            draw(&mut surface, face, x, line.baseline, line.size, &text);
            surface.end_tagged();
            leaves.entry(line.owner).or_default().push(id);
        }
    }
    surface.start_tagged(ContentTag::Artifact(ArtifactType::Footer));
    surface.set_fill(Some(fill(0x4c, 0x62, 0x72)));
    let footer = fonts.clean(&document.footer);
    draw(
        &mut surface,
        &fonts.regular,
        LEFT,
        FOOTER_BASELINE,
        FOOTER_SIZE,
        &footer,
    );
    let number = format!("Page {} of {}", index + 1, layout.pages.len());
    let width = fonts.regular.width(&number, FOOTER_SIZE);
    draw(
        &mut surface,
        &fonts.regular,
        RIGHT - width,
        FOOTER_BASELINE,
        FOOTER_SIZE,
        &number,
    );
    surface.end_tagged();
    surface.finish();
    page.finish();
    decorated
}

fn group(tag: impl Into<krilla::tagging::TagKind>, leaves: &mut Leaves, owner: Owner) -> TagGroup {
    let children = leaves
        .remove(&owner)
        .unwrap_or_default()
        .into_iter()
        .map(Node::from)
        .collect();
    TagGroup::with_children(tag, children)
}

fn tag_tree(
    document: &Document,
    fonts: &Fonts,
    layout: &Layout,
    mut leaves: Leaves,
) -> Result<TagTree, PdfError> {
    let mut tree = TagTree::new().with_lang(Some(document.lang.clone()));
    for (i, block) in document.blocks.iter().enumerate() {
        match block {
            Block::Heading { level, text, .. } => {
                let level = NonZeroU16::new(level.number()).ok_or(PdfError::Geometry)?;
                let tag = Tag::Hn(level, Some(fonts.clean(text)));
                tree.push(group(tag, &mut leaves, Owner::Block(i)));
            }
            Block::Paragraph(_) | Block::Note(_) => {
                tree.push(group(Tag::P, &mut leaves, Owner::Block(i)));
            }
            Block::Table(table) => {
                let header = (0..table.columns.len())
                    .map(|column| {
                        let tag = Tag::TH(TableHeaderScope::Column);
                        group(tag, &mut leaves, Owner::Header { block: i, column }).into()
                    })
                    .collect();
                let head = TagGroup::with_children(
                    Tag::THead,
                    vec![TagGroup::with_children(Tag::TR, header).into()],
                );
                let rows = table
                    .rows
                    .iter()
                    .enumerate()
                    .map(|(row, cells)| {
                        let cells = (0..cells.len().min(table.columns.len()))
                            .map(|column| {
                                let owner = Owner::Cell {
                                    block: i,
                                    row,
                                    column,
                                };
                                if table.row_headers && column == 0 {
                                    group(Tag::TH(TableHeaderScope::Row), &mut leaves, owner).into()
                                } else {
                                    group(Tag::TD, &mut leaves, owner).into()
                                }
                            })
                            .collect();
                        TagGroup::with_children(Tag::TR, cells).into()
                    })
                    .collect();
                let body = TagGroup::with_children(Tag::TBody, rows);
                tree.push(TagGroup::with_children(
                    Tag::Table,
                    vec![head.into(), body.into()],
                ));
            }
            Block::Contents => {
                let items = (0..layout.entries.len())
                    .map(|entry| {
                        let link = group(Tag::Link, &mut leaves, Owner::Entry(entry));
                        TagGroup::with_children(Tag::TOCI, vec![link.into()]).into()
                    })
                    .collect();
                tree.push(TagGroup::with_children(Tag::TOC, items));
            }
            Block::PageBreak => {}
        }
    }
    Ok(tree)
}

/// Bookmarks: every heading, nested by level.
fn outline(document: &Document, fonts: &Fonts, layout: &Layout) -> Result<Outline, PdfError> {
    let mut outline = Outline::new();
    // The open chain of headings: (level, node).
    let mut open: Vec<(Level, OutlineNode)> = Vec::new();
    let close =
        |open: &mut Vec<(Level, OutlineNode)>, outline: &mut Outline, down_to: Option<Level>| {
            while let Some((level, node)) = open.pop() {
                if down_to.is_some_and(|d| level < d) {
                    open.push((level, node));
                    break;
                }
                match open.last_mut() {
                    Some((_, parent)) => parent.push_child(node),
                    None => outline.push_child(node),
                }
            }
        };
    for (i, block) in document.blocks.iter().enumerate() {
        if let Block::Heading { level, text, .. } = block {
            close(&mut open, &mut outline, Some(*level));
            open.push((
                *level,
                OutlineNode::new(fonts.clean(text), destination(layout, i)?),
            ));
        }
    }
    close(&mut open, &mut outline, None);
    Ok(outline)
}

fn metadata(document: &Document) -> Metadata {
    let at = document.created;
    // Every part fits its type: a month is at most 12, a second at most 60.
    let created = DateTime::new(u16::try_from(at.year()).unwrap_or(2000))
        .month(at.month() as u8)
        .day(at.day() as u8)
        .hour(at.hour() as u8)
        .minute(at.minute() as u8)
        .second(at.second() as u8)
        .utc_offset_hour(0)
        .utc_offset_minute(0);
    let mut metadata = Metadata::new()
        .title(document.title.clone())
        .language(document.lang.clone())
        .creator("ksbfolio".to_string())
        .producer("ksbfolio (krilla)".to_string())
        .creation_date(created);
    if let Some(author) = &document.author {
        metadata = metadata.authors(vec![author.clone()]);
    }
    if let Some(subject) = &document.subject {
        metadata = metadata.description(subject.clone());
    }
    metadata
}

fn describe(error: KrillaError) -> PdfError {
    PdfError::Export(format!("{error:?}"))
}

pub fn render(document: &Document, fonts: &Fonts, layout: &Layout) -> Result<Vec<u8>, PdfError> {
    let settings = SerializeSettings {
        configuration: Configuration::new_with_validator(Validator::UA1),
        enable_tagging: true,
        ..SerializeSettings::default()
    };
    let mut pdf = krilla::Document::new_with(settings);
    let mut leaves = Leaves::new();
    for index in 0..layout.pages.len() {
        page(&mut pdf, document, fonts, layout, index, &mut leaves)?;
    }
    pdf.set_tag_tree(tag_tree(document, fonts, layout, leaves)?);
    pdf.set_outline(outline(document, fonts, layout)?);
    pdf.set_metadata(metadata(document));
    pdf.finish().map_err(describe)
}
