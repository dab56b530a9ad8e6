//! Flow: blocks of lines onto pages, top-aligned with a ragged bottom (spec §8.3), keeping
//! headings with their text (§11.2) and avoiding widows and orphans (§11.3).

use crate::frame::{OutlineEntry, Page};
use crate::geom::Abs;
use crate::style::Style;

use super::inline::LineBox;

/// A block ready to flow: its lines and how it may break.
#[derive(Debug, Clone)]
pub struct FlowBlock {
    /// Lines, top to bottom.
    pub lines: Vec<LineBox>,
    /// Space above (dropped at the top of a page).
    pub space_before: Abs,
    /// Space below.
    pub space_after: Abs,
    /// Whether it stays on the page of the following block's first lines (headings).
    pub keep_with_next: bool,
    /// Horizontal offset from the left margin (block quotes).
    pub x_offset: Abs,
    /// Bookmark: level and text.
    pub outline: Option<(u8, String)>,
    /// A pure vertical space instead of lines.
    pub space: Option<Abs>,
}

/// Lines a split paragraph keeps on each side of a page break (spec §11.3).
const MIN_SPLIT_LINES: usize = 2;

impl FlowBlock {
    fn height_of(&self, lines: usize) -> Abs {
        self.lines[..lines.min(self.lines.len())].iter().map(|l| l.height).sum()
    }

    /// Lines that must be on the same page as what precedes them: a paragraph of three
    /// lines or fewer never splits, a longer one keeps at least two together.
    fn min_lines(&self) -> usize {
        if self.lines.len() <= 3 { self.lines.len() } else { MIN_SPLIT_LINES }
    }
}

/// The flow's cursor.
struct Cursor<'a> {
    style: &'a Style,
    pages: Vec<Page>,
    /// Used height of the type area on the current page.
    y: Abs,
}

impl Cursor<'_> {
    fn area(&self) -> Abs {
        self.style.page.text_height()
    }

    fn remaining(&self) -> Abs {
        self.area() - self.y
    }

    fn at_top(&self) -> bool {
        self.y.is_zero()
    }

    fn new_page(&mut self) {
        let number = self.pages.len() + 1;
        self.pages.push(Page { items: Vec::new(), number });
        self.y = Abs::ZERO;
    }

    fn place(&mut self, line: &LineBox, x_offset: Abs) {
        let page = self.pages.last_mut().expect("a page is open");
        let dx = self.style.page.left + x_offset;
        let dy = self.style.page.top + self.y;
        for item in &line.items {
            let mut item = item.clone();
            item.translate(dx, dy);
            page.items.push(item);
        }
        self.y += line.height;
    }
}

/// Paginates the blocks; returns the pages and the outline.
pub fn paginate(blocks: &[FlowBlock], style: &Style) -> (Vec<Page>, Vec<OutlineEntry>) {
    let mut c = Cursor { style, pages: Vec::new(), y: Abs::ZERO };
    c.new_page();
    let mut outline = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        if let Some(h) = block.space {
            if !c.at_top() {
                c.y = (c.y + h).min(c.area());
            }
            continue;
        }
        if block.lines.is_empty() {
            continue;
        }
        let before = if c.at_top() { Abs::ZERO } else { block.space_before };
        // What must share this page: the block's unsplittable head, and for a heading the
        // chain of headings after it plus the first lines of the text they introduce.
        let mut need =
            before + block.height_of(if block.keep_with_next { block.lines.len() } else { block.min_lines() });
        if block.keep_with_next {
            need += block.space_after + chain_need(&blocks[i + 1..]);
        }
        if !c.at_top() && !c.remaining().fits(need) {
            c.new_page();
        }
        if !c.at_top() {
            c.y += block.space_before;
        }
        if let Some((level, title)) = &block.outline {
            let y = style.page.top + c.y;
            outline.push(OutlineEntry { level: *level, title: title.clone(), page: c.pages.len() - 1, y });
        }
        let mut next = 0;
        while next < block.lines.len() {
            let left = block.lines.len() - next;
            let fit = fitting_lines(&block.lines[next..], c.remaining());
            if fit >= left {
                for line in &block.lines[next..] {
                    c.place(line, block.x_offset);
                }
                break;
            }
            // Split: at least two lines on each side (spec §11.3); otherwise move on.
            let take = fit.min(left.saturating_sub(MIN_SPLIT_LINES));
            let can_split = left > 3 && take >= MIN_SPLIT_LINES;
            if can_split {
                for line in &block.lines[next..next + take] {
                    c.place(line, block.x_offset);
                }
                next += take;
                c.new_page();
            } else if c.at_top() {
                // Taller than a page even alone: place what fits.
                let take = fit.max(1);
                for line in &block.lines[next..next + take] {
                    c.place(line, block.x_offset);
                }
                next += take;
                if next < block.lines.len() {
                    c.new_page();
                }
            } else {
                c.new_page();
            }
        }
        c.y = (c.y + block.space_after).min(c.area());
    }
    (c.pages, outline)
}

/// Height the blocks after a heading need on its page: further headings in the chain, then
/// the first lines of the first text block.
fn chain_need(rest: &[FlowBlock]) -> Abs {
    let mut need = Abs::ZERO;
    for b in rest {
        if b.space.is_some() || b.lines.is_empty() {
            continue;
        }
        need += b.space_before;
        if b.keep_with_next {
            need += b.height_of(b.lines.len()) + b.space_after;
            continue;
        }
        need += b.height_of(b.min_lines());
        break;
    }
    need
}

/// How many of the lines fit into `room`.
fn fitting_lines(lines: &[LineBox], room: Abs) -> usize {
    let mut used = Abs::ZERO;
    let mut n = 0;
    for l in lines {
        used += l.height;
        if !room.fits(used) {
            break;
        }
        n += 1;
    }
    n
}
