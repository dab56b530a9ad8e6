//! The laid-out document: pages of positioned glyph runs, rules and link areas. The PDF
//! writer takes only this; it makes no layout decision.

use std::ops::Range;

use crate::font::FaceId;
use crate::geom::{Abs, Point};
use crate::model::Meta;

/// A positioned glyph. `x` is relative to whatever holds the run (line, then page).
#[derive(Clone, Debug)]
pub struct PlacedGlyph {
    /// Glyph id in the run's face.
    pub id: u32,
    /// Pen position of the glyph's origin.
    pub x: Abs,
    /// Its natural advance (the writer positions glyphs by `x`, so this only matters for
    /// the last glyph of a run).
    pub advance: Abs,
    /// Shaping offset, right.
    pub x_offset: Abs,
    /// Shaping offset, up.
    pub y_offset: Abs,
    /// The text it stands for, as bytes of the run's text (empty for a cluster's later glyphs).
    pub range: Range<usize>,
}

/// Marks a run that shows a footnote number, which is only known after pagination
/// (circled numbers restart on every page, spec §10.8).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct NoteTag {
    /// Index of the note in the document.
    pub index: usize,
    /// Whether this is the label in the note area (else the mark in the text).
    pub label: bool,
}

/// A run of glyphs in one face and size on one baseline.
#[derive(Clone, Debug)]
pub struct TextRun {
    /// Baseline, from the top of the holder.
    pub baseline: Abs,
    /// The face.
    pub face: FaceId,
    /// Font size.
    pub size: Abs,
    /// The text the glyphs stand for (for ToUnicode and copy-paste).
    pub text: String,
    /// The glyphs, left to right.
    pub glyphs: Vec<PlacedGlyph>,
    /// Whether to embolden by stroking (no bold face in the chain, spec §10.2).
    pub synthetic_bold: bool,
    /// Baseline shift already applied (sup/sub).
    pub rise: Abs,
    /// Set when the run is a footnote number.
    pub note: Option<NoteTag>,
}

/// Something drawn on a page.
#[derive(Clone, Debug)]
pub enum FrameItem {
    /// Glyphs.
    Text(TextRun),
    /// A horizontal rule.
    Rule {
        /// Left end of the rule's centre line.
        from: Point,
        /// Length.
        length: Abs,
        /// Thickness.
        thickness: Abs,
    },
    /// An image (a figure), drawn into the rectangle.
    Image {
        /// Top-left corner.
        origin: Point,
        /// Width.
        width: Abs,
        /// Height.
        height: Abs,
        /// Index into [`PagedDocument::images`].
        index: usize,
    },
    /// A clickable area.
    Link {
        /// Top-left corner.
        rect_origin: Point,
        /// Width.
        width: Abs,
        /// Height.
        height: Abs,
        /// Where it leads.
        target: LinkTarget,
    },
}

impl FrameItem {
    /// Moves the item by `(dx, dy)`.
    pub fn translate(&mut self, dx: Abs, dy: Abs) {
        match self {
            FrameItem::Text(run) => {
                run.baseline += dy;
                for g in &mut run.glyphs {
                    g.x += dx;
                }
            }
            FrameItem::Rule { from, .. } => {
                from.x += dx;
                from.y += dy;
            }
            FrameItem::Link { rect_origin, .. } => {
                rect_origin.x += dx;
                rect_origin.y += dy;
            }
            FrameItem::Image { origin, .. } => {
                origin.x += dx;
                origin.y += dy;
            }
        }
    }
}

/// Where a link leads.
#[derive(Clone, Debug, PartialEq)]
pub enum LinkTarget {
    /// A web address.
    Url(String),
    /// A place in this document: page index and the y of the top of the view.
    Page(usize, Abs),
}

/// One page.
#[derive(Clone, Debug, Default)]
pub struct Page {
    /// What is drawn, in page coordinates (y down from the top edge).
    pub items: Vec<FrameItem>,
    /// The printed page number.
    pub number: usize,
}

/// An outline (bookmark) entry.
#[derive(Clone, Debug)]
pub struct OutlineEntry {
    /// 0 = title, 1… = heading levels.
    pub level: u8,
    /// Its text (with the heading's number).
    pub title: String,
    /// Index of the page it is on.
    pub page: usize,
    /// Top of the heading on that page.
    pub y: Abs,
}

/// The finished layout: what the PDF writer receives.
#[derive(Clone, Debug, Default)]
pub struct PagedDocument {
    /// The pages.
    pub pages: Vec<Page>,
    /// Paper width.
    pub width: Abs,
    /// Paper height.
    pub height: Abs,
    /// Bookmarks in document order.
    pub outline: Vec<OutlineEntry>,
    /// Title, author, date.
    pub meta: Meta,
    /// Whether it is meant for two-sided printing.
    pub duplex: bool,
    /// The figures' images, by index.
    pub images: Vec<krilla::image::Image>,
}

impl PagedDocument {
    /// The text of each page's lines (runs grouped by baseline), for tests.
    pub fn page_texts(&self) -> Vec<Vec<String>> {
        self.pages
            .iter()
            .map(|page| {
                let mut lines: Vec<(Abs, String)> = Vec::new();
                for item in &page.items {
                    if let FrameItem::Text(run) = item {
                        let y = run.baseline - run.rise;
                        match lines.iter_mut().find(|(ly, _)| (*ly - y).to_pt().abs() < 0.5) {
                            Some((_, text)) => text.push_str(&run.text),
                            None => lines.push((y, run.text.clone())),
                        }
                    }
                }
                lines.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap_or(std::cmp::Ordering::Equal));
                lines.into_iter().map(|(_, t)| t).collect()
            })
            .collect()
    }
}
