//! Flow: blocks of lines onto pages, top-aligned with a ragged bottom (spec §8.3), keeping
//! headings with their text (§11.2), avoiding widows and orphans (§11.3), and placing each
//! footnote at the foot of the page that holds its mark (§11.1).

use std::ops::Range;

use crate::frame::{FrameItem, OutlineEntry, Page};
use crate::geom::{Abs, Point};
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
    /// Whether it starts a new page.
    pub page_break_before: bool,
    /// Whether it stays whole on one page when it fits on one (tables).
    pub keep_together: bool,
    /// Lines repeated at the top of each page it continues on (a table's header rows).
    pub repeat: Vec<LineBox>,
    /// The width of the rule that closes it where a page break cuts it (tables).
    pub split_rule: Option<Abs>,
    /// Horizontal offset from the left margin (block quotes).
    pub x_offset: Abs,
    /// Bookmark: level and text.
    pub outline: Option<(u8, String)>,
    /// A pure vertical space instead of lines.
    pub space: Option<Abs>,
}

/// Lines a split paragraph keeps on each side of a page break (spec §11.3).
const MIN_SPLIT_LINES: usize = 2;
/// Clear space above the footnote rule (spec §10.8).
const NOTE_SEP_ABOVE: Abs = Abs::pt(8.0);
/// Space between the rule and the first note.
const NOTE_SEP_BELOW: Abs = Abs::pt(4.0);
/// A note longer than this many lines may split across pages (spec §11.1 2(b)).
const NOTE_SPLIT_MIN: usize = 4;

impl FlowBlock {
    /// A block of lines with the given spacing, breakable like a paragraph.
    pub fn new(lines: Vec<LineBox>, space_before: Abs, space_after: Abs) -> FlowBlock {
        FlowBlock {
            lines,
            space_before,
            space_after,
            keep_with_next: false,
            page_break_before: false,
            keep_together: false,
            repeat: Vec::new(),
            split_rule: None,
            x_offset: Abs::ZERO,
            outline: None,
            space: None,
        }
    }

    fn height_of(&self, lines: usize) -> Abs {
        self.lines[..lines.min(self.lines.len())].iter().map(|l| l.height).sum()
    }

    /// Lines that must be on the same page as what precedes them: a paragraph of three
    /// lines or fewer never splits, a longer one keeps at least two together (a figure's
    /// image line counts as one, so it keeps its caption's first line).
    fn min_lines(&self) -> usize {
        if self.lines.len() <= 3 { self.lines.len() } else { MIN_SPLIT_LINES }
    }
}

/// A piece of a footnote on a page.
#[derive(Debug, Clone, PartialEq)]
pub struct NotePart {
    /// Which note.
    pub index: usize,
    /// Which of its lines.
    pub lines: Range<usize>,
    /// Whether it continues a note begun on an earlier page.
    pub continued: bool,
}

/// A paginated page before the page furniture: body items and its notes.
pub struct FlowPage {
    /// The page with its body items placed.
    pub page: Page,
    /// Footnote parts at its foot, in order.
    pub notes: Vec<NotePart>,
}

/// The flow's cursor.
struct Cursor<'a> {
    style: &'a Style,
    notes: &'a [Vec<LineBox>],
    pages: Vec<FlowPage>,
    /// Used body height of the type area on the current page.
    y: Abs,
    /// Height of the note lines on the current page.
    note_lines: Abs,
    /// Note parts waiting for the next page.
    carry: Vec<NotePart>,
    /// Notes already placed (a note referenced twice is placed once).
    placed: Vec<bool>,
}

impl Cursor<'_> {
    fn area(&self) -> Abs {
        self.style.page.text_height()
    }

    /// The note area's height with `extra` more note lines.
    fn note_area(&self, extra: Abs) -> Abs {
        let lines = self.note_lines + extra;
        if lines.is_zero() { Abs::ZERO } else { NOTE_SEP_ABOVE + NOTE_SEP_BELOW + lines }
    }

    fn at_top(&self) -> bool {
        self.y.is_zero()
    }

    fn note_height(&self, index: usize) -> Abs {
        self.notes.get(index).map_or(Abs::ZERO, |l| l.iter().map(|l| l.height).sum())
    }

    /// Heights of the notes first referenced on these lines (not yet placed).
    fn new_notes(&self, lines: &[LineBox]) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for l in lines {
            for &n in &l.notes {
                if !self.placed.get(n).copied().unwrap_or(true) && !out.contains(&n) {
                    out.push(n);
                }
            }
        }
        out
    }

    /// Whether body height `body` more and these notes fit on the page (the note area also
    /// stays within half the type area, spec §11.1 3).
    fn fits(&self, body: Abs, notes: &[usize]) -> bool {
        let extra: Abs = notes.iter().map(|&n| self.note_height(n)).sum();
        let area = self.note_area(extra);
        self.area().fits(self.y + body + area) && (notes.is_empty() || (self.area() * 0.5).fits(area))
    }

    /// How many of the lines fit, each with all of its notes.
    fn fit_count(&self, lines: &[LineBox]) -> usize {
        let mut body = Abs::ZERO;
        for (k, l) in lines.iter().enumerate() {
            body += l.height;
            if !self.fits(body, &self.new_notes(&lines[..=k])) {
                return k;
            }
        }
        lines.len()
    }

    fn new_page(&mut self) {
        let number = self.pages.len() + 1;
        self.pages.push(FlowPage { page: Page { items: Vec::new(), number }, notes: Vec::new() });
        self.y = Abs::ZERO;
        self.note_lines = Abs::ZERO;
        for part in std::mem::take(&mut self.carry) {
            self.add_note_part(part);
        }
    }

    fn add_note_part(&mut self, part: NotePart) {
        let h: Abs = self.notes[part.index][part.lines.clone()].iter().map(|l| l.height).sum();
        self.note_lines += h;
        self.pages.last_mut().expect("a page is open").notes.push(part);
    }

    /// Breaks the page inside a block: a table closes with a rule and takes up again under
    /// its repeated header rows (or a rule, when it has none).
    fn break_within(&mut self, block: &FlowBlock) {
        if let Some(width) = block.split_rule {
            self.rule_here(block.x_offset, width);
        }
        self.new_page();
        for line in &block.repeat {
            self.place(line, block.x_offset);
        }
        if let (Some(width), true) = (block.split_rule, block.repeat.is_empty()) {
            self.rule_here(block.x_offset, width);
        }
    }

    /// A 1 pt rule at the current position (a table's edge).
    fn rule_here(&mut self, x_offset: Abs, width: Abs) {
        let number = self.pages.last().expect("a page is open").page.number;
        let from =
            Point::new(self.style.page.left_of(number, self.style.duplex) + x_offset, self.style.page.top + self.y);
        let page = &mut self.pages.last_mut().expect("a page is open").page;
        page.items.push(FrameItem::Rule { from, length: width, thickness: Abs::pt(1.0) });
    }

    /// Places a body line and its new notes (all of them).
    fn place(&mut self, line: &LineBox, x_offset: Abs) {
        for n in self.new_notes(std::slice::from_ref(line)) {
            self.placed[n] = true;
            let len = self.notes[n].len();
            self.add_note_part(NotePart { index: n, lines: 0..len, continued: false });
        }
        self.place_body(line, x_offset);
    }

    fn place_body(&mut self, line: &LineBox, x_offset: Abs) {
        let page = &mut self.pages.last_mut().expect("a page is open").page;
        let dx = self.style.page.left_of(page.number, self.style.duplex) + x_offset;
        let dy = self.style.page.top + self.y;
        for item in &line.items {
            let mut item = item.clone();
            item.translate(dx, dy);
            page.items.push(item);
        }
        self.y += line.height;
    }

    /// Where the last new note of `line` would split if the line were placed now with
    /// `body` more height above it: the number of note lines that stay, at least two, with
    /// at least two going on (spec §11.1 2(b)). `None` when no such split exists.
    fn split_point(&self, line: &LineBox, body: Abs) -> Option<usize> {
        if !self.style.typo.footnote_split {
            return None;
        }
        let news = self.new_notes(std::slice::from_ref(line));
        let (&last, whole) = news.split_last()?;
        if !self.fits(body + line.height, whole) {
            return None;
        }
        let note = &self.notes[last];
        if note.len() <= NOTE_SPLIT_MIN {
            return None;
        }
        let base: Abs = whole.iter().map(|&n| self.note_height(n)).sum();
        let mut k = 0;
        let mut h = Abs::ZERO;
        while k < note.len() {
            let next = h + note[k].height;
            let area = self.note_area(base + next);
            if !self.area().fits(self.y + body + line.height + area) || !(self.area() * 0.5).fits(area) {
                break;
            }
            h = next;
            k += 1;
        }
        (k >= MIN_SPLIT_LINES && note.len() - k >= MIN_SPLIT_LINES).then_some(k)
    }

    /// Places a line whose last new note is split after `k` lines; the rest waits for the
    /// top of the next page's note area.
    fn place_with_split(&mut self, line: &LineBox, x_offset: Abs, k: usize) {
        let news = self.new_notes(std::slice::from_ref(line));
        let (&last, whole) = news.split_last().expect("split_point found a note");
        for &n in whole {
            self.placed[n] = true;
            let len = self.notes[n].len();
            self.add_note_part(NotePart { index: n, lines: 0..len, continued: false });
        }
        let len = self.notes[last].len();
        self.placed[last] = true;
        self.add_note_part(NotePart { index: last, lines: 0..k, continued: false });
        self.carry.push(NotePart { index: last, lines: k..len, continued: true });
        self.place_body(line, x_offset);
    }
}

/// Paginates the blocks; returns the pages (with their notes) and the outline.
pub fn paginate(blocks: &[FlowBlock], notes: &[Vec<LineBox>], style: &Style) -> (Vec<FlowPage>, Vec<OutlineEntry>) {
    let mut c = Cursor {
        style,
        notes,
        pages: Vec::new(),
        y: Abs::ZERO,
        note_lines: Abs::ZERO,
        carry: Vec::new(),
        placed: vec![false; notes.len()],
    };
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
        if block.page_break_before && !c.at_top() {
            c.new_page();
        }
        let before = if c.at_top() { Abs::ZERO } else { block.space_before };
        // What must share this page: the block's unsplittable head, and for a heading the
        // chain of headings after it plus the first lines of the text they introduce.
        let whole = block.keep_with_next
            || (block.keep_together && style.page.text_height().fits(block.height_of(block.lines.len())));
        let head = if whole { block.lines.len() } else { block.min_lines() };
        let mut need = before + block.height_of(head);
        let mut head_lines: Vec<LineBox> = block.lines[..head].to_vec();
        if block.keep_with_next {
            let (height, lines) = chain_need(&blocks[i + 1..]);
            need += block.space_after + height;
            head_lines.extend(lines);
        }
        // The notes of those lines must fit too.
        let head_notes = c.new_notes(&head_lines);
        // A head whose last line carries a long note may still start here if that note splits.
        let head_fits = c.fits(need, &head_notes)
            || (head == 1 && !block.keep_with_next && c.split_point(&block.lines[0], before).is_some());
        if !c.at_top() && !head_fits {
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
            let fit = c.fit_count(&block.lines[next..]);
            if fit >= left {
                for line in &block.lines[next..] {
                    c.place(line, block.x_offset);
                }
                break;
            }
            // Split: at least two lines on each side (spec §11.3); otherwise move on.
            let take = fit.min(left.saturating_sub(MIN_SPLIT_LINES));
            let can_split = left > 3 && take >= MIN_SPLIT_LINES;
            // One more line fits if its long note splits (and no widow or orphan results).
            let body_before: Abs = block.lines[next..next + fit].iter().map(|l| l.height).sum();
            let rest_after = left - (fit + 1);
            let allowed = (rest_after == 0 || rest_after >= MIN_SPLIT_LINES)
                && (fit + 1 >= MIN_SPLIT_LINES || left == 1 || (c.at_top() && fit == 0))
                && (fit + 1 > take || !can_split);
            let split = if allowed { c.split_point(&block.lines[next + fit], body_before) } else { None };
            if let Some(k) = split {
                for line in &block.lines[next..next + fit] {
                    c.place(line, block.x_offset);
                }
                c.place_with_split(&block.lines[next + fit], block.x_offset, k);
                next += fit + 1;
                if next < block.lines.len() {
                    c.break_within(block);
                }
                continue;
            }
            if can_split {
                for line in &block.lines[next..next + take] {
                    c.place(line, block.x_offset);
                }
                next += take;
                c.break_within(block);
            } else if c.at_top() || next > 0 {
                // Taller than a page even alone (or continuing under a repeated header):
                // place what fits, at least one line.
                let take = fit.max(1);
                for line in &block.lines[next..next + take] {
                    c.place(line, block.x_offset);
                }
                next += take;
                if next < block.lines.len() {
                    c.break_within(block);
                }
            } else {
                c.new_page();
            }
        }
        c.y = (c.y + block.space_after).min(c.area());
    }
    while !c.carry.is_empty() {
        c.new_page();
    }
    (c.pages, outline)
}

/// What the blocks after a heading need on its page: further headings in the chain, then
/// the first lines of the first text block. Returns their height and those lines (whose
/// footnotes must fit as well).
fn chain_need(rest: &[FlowBlock]) -> (Abs, Vec<LineBox>) {
    let mut need = Abs::ZERO;
    let mut lines = Vec::new();
    for b in rest {
        if b.space.is_some() || b.lines.is_empty() {
            continue;
        }
        need += b.space_before;
        if b.keep_with_next {
            need += b.height_of(b.lines.len()) + b.space_after;
            lines.extend(b.lines.iter().cloned());
            continue;
        }
        need += b.height_of(b.min_lines());
        lines.extend(b.lines[..b.min_lines()].iter().cloned());
        break;
    }
    (need, lines)
}

/// Draws the footnote area of a page: bottom-aligned to the type area, under a rule ¼ of
/// the text width (a full-width rule when the first part continues a note), spec §10.8.
pub fn draw_notes(page: &mut FlowPage, notes: &[Vec<LineBox>], style: &Style) {
    if page.notes.is_empty() {
        return;
    }
    let lines: Vec<&LineBox> = page.notes.iter().flat_map(|p| notes[p.index][p.lines.clone()].iter()).collect();
    let total: Abs = lines.iter().map(|l| l.height).sum();
    let bottom = style.page.top + style.page.text_height();
    let mut y = bottom - total;
    let width = style.page.text_width();
    let length = if page.notes[0].continued { width } else { width * 0.25 };
    let left = style.page.left_of(page.page.number, style.duplex);
    page.page.items.push(FrameItem::Rule {
        from: Point::new(left, y - NOTE_SEP_BELOW),
        length,
        thickness: Abs::pt(0.5),
    });
    for line in lines {
        for item in &line.items {
            let mut item = item.clone();
            item.translate(left, y);
            page.page.items.push(item);
        }
        y += line.height;
    }
}
