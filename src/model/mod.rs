//! The document model: what the essay says, independent of Markdown and of layout.
//!
//! `parse` builds it from pulldown-cmark events (and the inline-HTML subset Typora users
//! write); `normalize` applies the pre-layout text rules of spec §1.

mod html;
mod normalize;
mod parse;

pub use normalize::{is_cjk_punct, is_han_or_kana, is_latin_class, is_wide};
pub use parse::{number_headings, parse, source_list_labels};
pub use references::{add_link_footnotes, mark_citations, recognize_references};

mod references;

use crate::diag::Span;
use crate::geom::Abs;
use crate::style::{Align, Role};

/// A parsed essay.
#[derive(Debug, Default)]
pub struct Document {
    /// Title, author and date, for the PDF's metadata.
    pub meta: Meta,
    /// The blocks in reading order.
    pub blocks: Vec<Block>,
    /// Format options from the front matter, in order.
    pub format: Vec<FormatSetting>,
    /// Footnotes, in the order of their first reference.
    pub notes: Vec<Note>,
    /// Whether the essay has a reference list (`参考文献`).
    pub has_references: bool,
}

/// A footnote's text.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// The label written in the source (`[^label]`).
    pub label: String,
    /// Its text (paragraphs joined by hard breaks).
    pub inlines: Vec<Inline>,
    /// Where it is defined.
    pub span: Span,
}

/// Document metadata (from front matter or the essay's own title block).
#[derive(Debug, Default, Clone)]
pub struct Meta {
    /// The paper's title.
    pub title: Option<String>,
    /// A subtitle, printed under the title after a dash.
    pub subtitle: Option<String>,
    /// The author (name, or the author line's text).
    pub author: Option<String>,
    /// 学号.
    pub student_id: Option<String>,
    /// Class (班级).
    pub class: Option<String>,
    /// School or department.
    pub school: Option<String>,
    /// Course name.
    pub course: Option<String>,
    /// Teacher.
    pub teacher: Option<String>,
    /// A date string (`YYYY-MM-DD`), used as the PDF's creation date.
    pub date: Option<String>,
    /// Abstract text.
    pub abstract_: Option<String>,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Whether the essay has YAML front matter.
    pub has_front_matter: bool,
}

/// A format option named in the essay's front matter (`format:`), with where it stands.
#[derive(Debug, Clone)]
pub struct FormatSetting {
    /// The option's name.
    pub key: String,
    /// Its value, as text.
    pub value: String,
    /// Where the key is in the source.
    pub span: Span,
}

/// What a block is.
#[derive(Debug, Clone, PartialEq)]
pub enum BlockKind {
    /// The paper's title (the essay's only `#` heading, or front matter `title`).
    Title,
    /// The subtitle under the title (front matter `subtitle`).
    Subtitle,
    /// A line of the author block (front matter `author`, `student_id`, `course` …).
    AuthorLine,
    /// The abstract; its first run is the `摘要：` label.
    Abstract,
    /// The keywords line; its first run is the `关键词：` label.
    Keywords,
    /// A section heading, level 1–5 after the title shift (spec §10.4), with its label.
    Heading {
        /// Level, 1 = 一、.
        level: u8,
        /// The number label (`一、`, `（一）` …), empty when numbering is off.
        label: String,
    },
    /// A body paragraph.
    Paragraph,
    /// A list item's paragraph; `label` is printed before its text (spec §10.6).
    ListItem {
        /// The item label (`（1）`, `①`, `•`), empty for an item's later paragraphs.
        label: String,
        /// Nesting depth, 0 = top level.
        depth: u8,
        /// The number the source gives an ordered item (for `list-numbering = source`).
        number: Option<u64>,
    },
    /// A paragraph of a block quote.
    Quote,
    /// A code block; its one inline holds the verbatim text.
    Code,
    /// The `参考文献` heading: level-1 style, centred, never numbered (spec §10.9).
    ReferencesHeading,
    /// An entry of the reference list, with its `[n]` label.
    Reference {
        /// The label, `[n]`.
        label: String,
    },
    /// A figure: an image file and its caption (the alt text), spec §10.11.
    Figure {
        /// The image's path as written (relative to the essay).
        src: String,
        /// Caption text; empty for none.
        caption: String,
        /// Scale asked by Typora's `style="zoom:50%"` or a `width` attribute, 1.0 otherwise.
        zoom: f64,
    },
    /// A table (GFM pipe table), with its caption from a `表N …` line above it.
    Table(Box<Table>),
    /// Vertical space (from `<div style="height:2mm">`).
    Space(Abs),
    /// A thematic break.
    Rule,
}

/// A table's cells and how its columns align.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Alignment per column (`None`: the default, centred for a Chinese three-line table).
    pub aligns: Vec<Option<Align>>,
    /// Rows of cells; each cell is its inline text.
    pub rows: Vec<Vec<Vec<Inline>>>,
    /// How many of the rows are header rows.
    pub header_rows: usize,
    /// Caption text (without the `表N` label), if the essay gives one.
    pub caption: Option<String>,
}

/// Style set on a whole block by inline HTML (`<center>`, `<div style=…>`).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct BlockOverrides {
    /// `text-align` or `<center>`.
    pub align: Option<Align>,
    /// `font-family`.
    pub role: Option<Role>,
    /// `font-size`.
    pub size: Option<Abs>,
    /// `font-weight`.
    pub bold: Option<bool>,
}

/// One block.
#[derive(Debug, Clone, PartialEq)]
pub struct Block {
    /// What it is.
    pub kind: BlockKind,
    /// Its text, as styled runs.
    pub inlines: Vec<Inline>,
    /// Style from inline HTML.
    pub overrides: BlockOverrides,
    /// Where it starts in the source.
    pub span: Span,
}

/// A run of text with one style, or a hard line break.
#[derive(Debug, Clone, PartialEq)]
pub struct Inline {
    /// Text or break.
    pub kind: InlineKind,
    /// The run's style.
    pub style: InlineStyle,
    /// Target of the link this run belongs to.
    pub link: Option<String>,
    /// Where the run is in the source.
    pub span: Span,
}

/// The content of an [`Inline`].
#[derive(Debug, Clone, PartialEq)]
pub enum InlineKind {
    /// Text; a soft break inside a paragraph is `'\n'` until normalisation decides.
    Text(String),
    /// A hard line break.
    HardBreak,
    /// A footnote mark: index into [`Document::notes`] (numbered by first reference).
    NoteRef(usize),
}

/// Vertical position of a run.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Shift {
    /// On the baseline.
    #[default]
    Normal,
    /// Raised (`<sup>`).
    Super,
    /// Lowered (`<sub>`).
    Sub,
}

/// Inline style, as written: the layout maps it to a font (spec §10.2: emphasis → 楷体,
/// strong → 黑体).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct InlineStyle {
    /// `*emphasis*` or `<i>`/`<em>`.
    pub emph: bool,
    /// `**strong**` or `<b>`/`<strong>`.
    pub strong: bool,
    /// `` `code` ``.
    pub code: bool,
    /// A font role named by inline HTML.
    pub role: Option<Role>,
    /// A size set by inline HTML.
    pub size: Option<Abs>,
    /// Raised or lowered.
    pub shift: Shift,
    /// `<u>`.
    pub underline: bool,
    /// `<del>`/`<s>`/`~~`.
    pub strike: bool,
    /// An in-text citation mark (`[1]`), set as a raised REFMARK (spec §10.9).
    pub citation: bool,
}

impl Block {
    /// The block's plain text (soft breaks as they stand).
    pub fn plain_text(&self) -> String {
        self.inlines
            .iter()
            .map(|i| match &i.kind {
                InlineKind::Text(t) => t.as_str(),
                InlineKind::HardBreak => "\n",
                InlineKind::NoteRef(_) => "",
            })
            .collect()
    }
}
