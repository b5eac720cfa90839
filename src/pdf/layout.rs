//! Blocks into pages: lines broken to the measure, headings kept with what follows them, table
//! rows kept whole on a page when they fit one (split line by line when they do not), the
//! header row repeated on each page a table continues onto. The result says, for every line,
//! which block (and cell) it belongs to, so `render.rs` can build the structure tree, and where
//! every heading landed, for the contents and the bookmarks.

use std::collections::HashMap;

use super::fonts::{Face, Fonts};
use super::{Block, Cell, Document, Level, PdfError, Table};

/// A4 in points.
pub const PAGE_WIDTH: f32 = 595.28;
pub const PAGE_HEIGHT: f32 = 841.89;
pub const LEFT: f32 = 56.7;
pub const RIGHT: f32 = PAGE_WIDTH - 56.7;
const TOP: f32 = 56.7;
const BOTTOM: f32 = PAGE_HEIGHT - 68.0;
const WIDTH: f32 = RIGHT - LEFT;
/// The baseline of the page number.
pub const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 36.0;
pub const FOOTER_SIZE: f32 = 8.0;

struct Style {
    size: f32,
    leading: f32,
    bold: bool,
    before: f32,
    after: f32,
}

const H1: Style = Style {
    size: 18.0,
    leading: 23.0,
    bold: true,
    before: 6.0,
    after: 8.0,
};
const H2: Style = Style {
    size: 13.0,
    leading: 17.0,
    bold: true,
    before: 14.0,
    after: 4.0,
};
const H3: Style = Style {
    size: 11.0,
    leading: 15.0,
    bold: true,
    before: 10.0,
    after: 3.0,
};
const BODY: Style = Style {
    size: 10.0,
    leading: 14.0,
    bold: false,
    before: 0.0,
    after: 6.0,
};
const NOTE: Style = Style {
    size: 8.5,
    leading: 12.0,
    bold: false,
    before: 0.0,
    after: 6.0,
};
const CELL: Style = Style {
    size: 8.5,
    leading: 11.5,
    bold: false,
    before: 0.0,
    after: 0.0,
};
const CELL_SIZE: f32 = CELL.size;
const CELL_LEADING: f32 = CELL.leading;
const CELL_PAD_X: f32 = 4.0;
const CELL_PAD_Y: f32 = 3.0;
const TABLE_AFTER: f32 = 10.0;
/// Room kept for the page number of a contents entry.
const ENTRY_NUMBER: f32 = 40.0;

fn style(level: Level) -> &'static Style {
    match level {
        Level::H1 => &H1,
        Level::H2 => &H2,
        Level::H3 => &H3,
    }
}

/// Which part of the structure a line (or link) belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Owner {
    Block(usize),
    Header {
        block: usize,
        column: usize,
    },
    Cell {
        block: usize,
        row: usize,
        column: usize,
    },
    /// A contents entry: its text and page number.
    Entry(usize),
    /// A repeated table header: drawn, not read.
    Artifact,
}

#[derive(Debug, Clone)]
pub enum Content {
    Text(String),
    /// The page number of the heading at this block index.
    PageOf(usize),
}

#[derive(Debug, Clone)]
pub struct Line {
    /// The left edge, or the right edge when `right_aligned`.
    pub x: f32,
    pub baseline: f32,
    pub content: Content,
    pub bold: bool,
    pub size: f32,
    pub right_aligned: bool,
    pub owner: Owner,
}

/// A rectangle (x, y of the top left corner, width, height).
#[derive(Debug, Clone, Copy)]
pub struct Area(pub f32, pub f32, pub f32, pub f32);

#[derive(Debug, Clone)]
pub struct Link {
    pub area: Area,
    /// The heading's block index.
    pub target: usize,
    pub entry: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Page {
    pub lines: Vec<Line>,
    /// Grey backgrounds (table header rows).
    pub shades: Vec<Area>,
    /// Thin rules under table rows: (x from, x to, y).
    pub rules: Vec<(f32, f32, f32)>,
    pub links: Vec<Link>,
}

pub struct Layout {
    pub pages: Vec<Page>,
    /// Where each heading (by block index) landed: page index and the top of its first line.
    pub headings: HashMap<usize, (usize, f32)>,
    /// The contents entries: block indices of the headings listed.
    pub entries: Vec<usize>,
}

/// Lines of `text` no wider than `width`: white space is one space, `\n` starts a new line, a
/// word wider than the measure is cut where it must be. A line broken at a space keeps the space
/// (the word boundary stays in the text a reader extracts).
fn wrap(fonts: &Fonts, face: &Face, size: f32, text: &str, width: f32) -> Vec<String> {
    let space = face.width(" ", size);
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let clean = fonts.clean(paragraph);
        let mut line = String::new();
        let mut used = 0.0;
        for word in clean.split(' ').filter(|w| !w.is_empty()) {
            let w = face.width(word, size);
            if !line.is_empty() {
                if used + space + w <= width {
                    line.push(' ');
                    line.push_str(word);
                    used += space + w;
                    continue;
                }
                line.push(' ');
                lines.push(std::mem::take(&mut line));
                used = 0.0;
            }
            if w <= width {
                line.push_str(word);
                used = w;
                continue;
            }
            for c in word.chars() {
                let cw = face.width(c.encode_utf8(&mut [0; 4]), size);
                if used + cw > width && !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                    used = 0.0;
                }
                line.push(c);
                used += cw;
            }
        }
        if !line.is_empty() {
            lines.push(line);
        }
    }
    lines
}

/// The baseline of a line whose box starts at `top`: the capitals centred in the box.
fn baseline(top: f32, leading: f32, size: f32) -> f32 {
    top + (leading + size * 0.72) / 2.0
}

struct Cursor<'a> {
    fonts: &'a Fonts,
    done: Vec<Page>,
    page: Page,
    y: f32,
}

impl Cursor<'_> {
    fn new_page(&mut self) {
        self.done.push(std::mem::take(&mut self.page));
        self.y = TOP;
    }

    fn room(&self) -> f32 {
        BOTTOM - self.y
    }

    fn at_top(&self) -> bool {
        self.y <= TOP + 0.01
    }

    fn index(&self) -> usize {
        self.done.len()
    }

    /// A line of `text` in `style`'s size and leading (bold when `bold`), its box at `top`.
    fn text(&mut self, x: f32, top: f32, style: &Style, bold: bool, text: String, owner: Owner) {
        self.page.lines.push(Line {
            x,
            baseline: baseline(top, style.leading, style.size),
            content: Content::Text(text),
            bold,
            size: style.size,
            right_aligned: false,
            owner,
        });
    }

    fn paragraph(&mut self, block: usize, text: &str, style: &Style) {
        let face = self.fonts.face(style.bold);
        let lines = wrap(self.fonts, face, style.size, text, WIDTH);
        for line in lines {
            if self.room() < style.leading {
                self.new_page();
            }
            self.text(LEFT, self.y, style, style.bold, line, Owner::Block(block));
            self.y += style.leading;
        }
        self.y += style.after;
    }

    fn heading(&mut self, block: usize, level: Level, text: &str) -> (usize, f32) {
        let style = style(level);
        let lines = wrap(self.fonts, self.fonts.face(true), style.size, text, WIDTH);
        let height = lines.len() as f32 * style.leading;
        // Kept with the first lines of what follows.
        if self.room() < style.before + height + style.after + 2.0 * BODY.leading && !self.at_top()
        {
            self.new_page();
        }
        if !self.at_top() {
            self.y += style.before;
        }
        let landed = (self.index(), self.y);
        for line in lines {
            self.text(LEFT, self.y, style, true, line, Owner::Block(block));
            self.y += style.leading;
        }
        self.y += style.after;
        landed
    }
}

/// A table's geometry and its cells broken into lines.
struct SetTable {
    x: Vec<f32>,
    headers: Vec<Vec<String>>,
    header_height: f32,
    rows: Vec<Vec<Vec<Content>>>,
}

fn set_table(
    fonts: &Fonts,
    table: &Table,
    anchors: &HashMap<&str, usize>,
) -> Result<SetTable, PdfError> {
    let total: f32 = table.columns.iter().map(|c| c.width.max(0.01)).sum();
    let widths: Vec<f32> = table
        .columns
        .iter()
        .map(|c| c.width.max(0.01) / total * WIDTH)
        .collect();
    let mut x = Vec::with_capacity(widths.len());
    let mut at = LEFT;
    for w in &widths {
        x.push(at);
        at += w;
    }
    let inner = |column: usize| widths[column] - 2.0 * CELL_PAD_X;
    let headers: Vec<Vec<String>> = table
        .columns
        .iter()
        .enumerate()
        .map(|(i, c)| nonempty(wrap(fonts, &fonts.bold, CELL_SIZE, &c.header, inner(i))))
        .collect();
    let header_height = cell_height(headers.iter().map(Vec::len).max().unwrap_or(1));
    let rows = table
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .take(widths.len())
                .enumerate()
                .map(|(i, cell)| match cell {
                    Cell::Text(text) => {
                        let face = fonts.face(table.row_headers && i == 0);
                        Ok(nonempty(wrap(fonts, face, CELL_SIZE, text, inner(i)))
                            .into_iter()
                            .map(Content::Text)
                            .collect())
                    }
                    Cell::PageOf(anchor) => anchors
                        .get(anchor.as_str())
                        .map(|&block| vec![Content::PageOf(block)])
                        .ok_or_else(|| PdfError::UnknownAnchor(anchor.clone())),
                })
                .collect::<Result<Vec<_>, PdfError>>()
        })
        .collect::<Result<Vec<_>, PdfError>>()?;
    Ok(SetTable {
        x,
        headers,
        header_height,
        rows,
    })
}

/// An empty cell reads as a dash, so that no cell of the structure is left without content.
fn nonempty(lines: Vec<String>) -> Vec<String> {
    if lines.is_empty() {
        vec!["–".to_string()]
    } else {
        lines
    }
}

fn cell_height(lines: usize) -> f32 {
    lines as f32 * CELL_LEADING + 2.0 * CELL_PAD_Y
}

impl Cursor<'_> {
    fn header_row(&mut self, block: usize, set: &SetTable, repeated: bool) {
        self.page
            .shades
            .push(Area(LEFT, self.y, WIDTH, set.header_height));
        for (column, lines) in set.headers.iter().enumerate() {
            let owner = if repeated {
                Owner::Artifact
            } else {
                Owner::Header { block, column }
            };
            for (i, line) in lines.iter().enumerate() {
                let top = self.y + CELL_PAD_Y + i as f32 * CELL_LEADING;
                self.text(
                    set.x[column] + CELL_PAD_X,
                    top,
                    &CELL,
                    true,
                    line.clone(),
                    owner,
                );
            }
        }
        self.y += set.header_height;
        self.page.rules.push((LEFT, RIGHT, self.y));
    }

    fn row_lines(
        &mut self,
        block: usize,
        set: &SetTable,
        row: usize,
        bold_first: bool,
        lines: std::ops::Range<usize>,
    ) {
        for (column, cell) in set.rows[row].iter().enumerate() {
            for (n, i) in lines.clone().enumerate() {
                let Some(content) = cell.get(i) else { break };
                let top = self.y + CELL_PAD_Y + n as f32 * CELL_LEADING;
                self.page.lines.push(Line {
                    x: set.x[column] + CELL_PAD_X,
                    baseline: baseline(top, CELL_LEADING, CELL_SIZE),
                    content: content.clone(),
                    bold: bold_first && column == 0,
                    size: CELL_SIZE,
                    right_aligned: false,
                    owner: Owner::Cell { block, row, column },
                });
            }
        }
        self.y += cell_height(lines.len());
        self.page.rules.push((LEFT, RIGHT, self.y));
    }

    fn table(
        &mut self,
        block: usize,
        table: &Table,
        anchors: &HashMap<&str, usize>,
    ) -> Result<(), PdfError> {
        let set = set_table(self.fonts, table, anchors)?;
        let first = set.rows.first().map_or(0.0, |r| {
            cell_height(r.iter().map(Vec::len).max().unwrap_or(1))
        });
        if self.room() < set.header_height + first.min(4.0 * CELL_LEADING) && !self.at_top() {
            self.new_page();
        }
        self.header_row(block, &set, false);
        let page_room = BOTTOM - TOP - set.header_height;
        for row in 0..set.rows.len() {
            let total = set.rows[row].iter().map(Vec::len).max().unwrap_or(1);
            let mut from = 0;
            while from < total {
                let rest = total - from;
                let fit = ((self.room() - 2.0 * CELL_PAD_Y) / CELL_LEADING)
                    .floor()
                    .max(0.0) as usize;
                if fit >= rest {
                    self.row_lines(block, &set, row, table.row_headers, from..total);
                    break;
                }
                // A row that fits a page of its own is not split.
                if fit == 0 || (from == 0 && cell_height(rest) <= page_room) {
                    self.new_page();
                    self.header_row(block, &set, true);
                    continue;
                }
                self.row_lines(block, &set, row, table.row_headers, from..from + fit);
                from += fit;
                self.new_page();
                self.header_row(block, &set, true);
            }
        }
        self.y += TABLE_AFTER;
        Ok(())
    }

    fn contents(&mut self, entries: &[(usize, Level, &str)]) {
        for (entry, &(block, level, text)) in entries.iter().enumerate() {
            let (indent, bold) = match level {
                Level::H1 => (0.0, true),
                Level::H2 => (14.0, false),
                Level::H3 => (28.0, false),
            };
            let face = self.fonts.face(bold);
            let lines = wrap(
                self.fonts,
                face,
                BODY.size,
                text,
                WIDTH - indent - ENTRY_NUMBER,
            );
            let height = lines.len() as f32 * BODY.leading;
            if self.room() < height {
                self.new_page();
            }
            if level == Level::H1 && entry > 0 {
                self.y += 4.0;
            }
            let top = self.y;
            for line in lines {
                self.text(
                    LEFT + indent,
                    self.y,
                    &BODY,
                    bold,
                    line,
                    Owner::Entry(entry),
                );
                self.y += BODY.leading;
            }
            self.page.lines.push(Line {
                x: RIGHT,
                baseline: baseline(top, BODY.leading, BODY.size),
                content: Content::PageOf(block),
                bold,
                size: BODY.size,
                right_aligned: true,
                owner: Owner::Entry(entry),
            });
            self.page.links.push(Link {
                area: Area(LEFT, top, WIDTH, height),
                target: block,
                entry,
            });
        }
        self.y += BODY.after;
    }
}

pub fn layout(document: &Document, fonts: &Fonts) -> Result<Layout, PdfError> {
    let mut anchors: HashMap<&str, usize> = HashMap::new();
    let mut entries: Vec<(usize, Level, &str)> = Vec::new();
    for (i, block) in document.blocks.iter().enumerate() {
        if let Block::Heading {
            level,
            text,
            anchor,
            in_contents,
        } = block
        {
            if let Some(anchor) = anchor {
                anchors.insert(anchor.as_str(), i);
            }
            if *in_contents {
                entries.push((i, *level, text.as_str()));
            }
        }
    }
    let mut cursor = Cursor {
        fonts,
        done: Vec::new(),
        page: Page::default(),
        y: TOP,
    };
    let mut headings = HashMap::new();
    for (i, block) in document.blocks.iter().enumerate() {
        match block {
            Block::Heading { level, text, .. } => {
                headings.insert(i, cursor.heading(i, *level, text));
            }
            Block::Paragraph(text) => cursor.paragraph(i, text, &BODY),
            Block::Note(text) => cursor.paragraph(i, text, &NOTE),
            Block::Table(table) => cursor.table(i, table, &anchors)?,
            Block::Contents => cursor.contents(&entries),
            Block::PageBreak => {
                if !cursor.at_top() {
                    cursor.new_page();
                }
            }
        }
    }
    let mut pages = cursor.done;
    pages.push(cursor.page);
    Ok(Layout {
        pages,
        headings,
        entries: entries.into_iter().map(|(block, _, _)| block).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::{Fonts, wrap};

    #[test]
    fn lines_fit_the_measure_keep_their_spaces_and_cut_only_overlong_words() {
        let fonts = Fonts::load().expect("fonts");
        let text =
            "Calibrated the analyser against the reference standard before the morning clinic";
        let lines = wrap(&fonts, &fonts.regular, 10.0, text, 150.0);
        assert!(lines.len() > 1);
        for line in &lines {
            assert!(
                fonts.regular.width(line.trim_end(), 10.0) <= 150.0,
                "{line:?}"
            );
        }
        assert_eq!(
            lines.concat(),
            text,
            "nothing lost, spaces kept at the breaks"
        );
        let hash = "a".repeat(64);
        let cut = wrap(&fonts, &fonts.regular, 8.5, &hash, 100.0);
        assert!(cut.len() > 1);
        assert_eq!(cut.concat(), hash);
        assert_eq!(
            wrap(&fonts, &fonts.regular, 10.0, "one\ntwo", 400.0),
            ["one", "two"]
        );
        assert!(wrap(&fonts, &fonts.regular, 10.0, "  ", 400.0).is_empty());
    }
}
