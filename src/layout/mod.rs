//! Layout: blocks become lines (inline), lines flow onto pages (flow), pages get their
//! numbers.

pub mod flow;
pub mod inline;

use crate::diag::Sink;
use crate::font::FontBook;
use crate::frame::{FrameItem, PagedDocument};
use crate::geom::{Abs, Point};
use crate::model::{Block, BlockKind, Document, Inline, InlineKind, InlineStyle};
use crate::style::{Align, ParStyle, Style};

use self::flow::FlowBlock;
use self::inline::{LineBox, ParConfig, layout_par};

/// Lays out the whole document.
pub fn layout_document(
    doc: &Document,
    style: &Style,
    images: &[Option<crate::image::LoadedImage>],
    fonts: &FontBook,
    sink: &mut Sink,
) -> PagedDocument {
    let note_style = style.footnote;
    let note_config = ParConfig {
        font: note_style.font,
        width: style.page.text_width(),
        first_indent: Abs::ZERO,
        align: note_style.align,
        pitch: note_style.pitch,
        typo: style.typo,
        // The number and ½ em (1.5 em of 小五 = 13.5 pt), spec §10.8.
        hang: note_style.font.size * 1.5,
        ragged_in_url: false,
    };
    let notes: Vec<Vec<LineBox>> = doc
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| inline::layout_note(i, &n.inlines, &note_config, fonts, sink))
        .collect();
    let ref_hang = reference_hang(doc, style, fonts);
    let mut figures = 0;
    let mut tables = 0;
    let mut blocks: Vec<FlowBlock> = doc
        .blocks
        .iter()
        .map(|b| match &b.kind {
            BlockKind::Figure { caption, zoom, .. } => {
                figures += 1;
                let image = images.get(figures - 1).and_then(Option::as_ref);
                layout_figure(figures, image, caption, *zoom, style, fonts, sink)
            }
            BlockKind::Table(table) => {
                tables += 1;
                layout_table(tables, table, style, fonts, sink)
            }
            _ => layout_block(b, style, ref_hang, fonts, sink),
        })
        .collect();
    front_block_spacing(doc, &mut blocks, style);
    let (mut flow_pages, outline) = flow::paginate(&blocks, &notes, style);
    for fp in &mut flow_pages {
        flow::draw_notes(fp, &notes, style);
    }
    number_notes(&mut flow_pages, doc, style, fonts, sink);
    let total = flow_pages.len();
    let header = style.header.as_deref().map(|t| header_text(t, doc)).filter(|t| !t.is_empty());
    let mut pages = Vec::with_capacity(total + 1);
    if style.cover {
        pages.push(cover_page(doc, style, fonts, sink));
        // Two-sided: the cover's back stays blank so page 1 is a recto (spec §10.12).
        if style.duplex {
            pages.push(crate::frame::Page { items: Vec::new(), number: 0 });
        }
    }
    if style.toc {
        let toc = toc_pages(&outline, style, fonts, sink);
        let odd = toc.len() % 2 == 1;
        pages.extend(toc);
        if style.duplex && odd {
            pages.push(crate::frame::Page { items: Vec::new(), number: 0 });
        }
    }
    let front = pages.len();
    for mut fp in flow_pages {
        if let Some(text) = &header {
            add_header(&mut fp.page, text, style, fonts, sink);
        }
        add_page_number(&mut fp.page, total, style, fonts, sink);
        pages.push(fp.page);
    }
    let mut outline = outline;
    for entry in &mut outline {
        entry.page += front;
    }
    // Internal links (目录 entries) were made with body page indices.
    for page in &mut pages {
        for item in &mut page.items {
            if let FrameItem::Link { target: crate::frame::LinkTarget::Page(p, _), .. } = item {
                *p += front;
            }
        }
    }
    PagedDocument {
        pages,
        width: style.page.width,
        height: style.page.height,
        outline,
        meta: doc.meta.clone(),
        duplex: style.duplex,
        // A figure whose image did not load is an error: no PDF is written then.
        images: images
            .iter()
            .map(|i| i.as_ref().map(|i| i.image.clone()))
            .collect::<Option<Vec<_>>>()
            .unwrap_or_default(),
    }
}

/// The spacing of the first-page block (spec §10.3): ½ G under the title (and subtitle), G
/// after the author lines, G after the abstract and keywords. The same whether the block
/// came from front matter or from Typora HTML (whose spacer `<div>` right under the title
/// is absorbed into the ½ G).
fn front_block_spacing(doc: &Document, blocks: &mut [FlowBlock], style: &Style) {
    let g = style.body.pitch;
    let kinds: Vec<&BlockKind> = doc.blocks.iter().map(|b| &b.kind).collect();
    let next_text = |i: usize| kinds[i + 1..].iter().find(|k| !matches!(k, BlockKind::Space(_))).copied();
    for i in 0..kinds.len() {
        let next = next_text(i);
        let after = match kinds[i] {
            BlockKind::Title if next != Some(&BlockKind::Subtitle) => g * 0.5,
            BlockKind::Subtitle => g * 0.5,
            BlockKind::AuthorLine if next != Some(&BlockKind::AuthorLine) => g,
            BlockKind::Abstract if next != Some(&BlockKind::Keywords) => g,
            BlockKind::Keywords => g,
            _ => continue,
        };
        blocks[i].space_after = blocks[i].space_after.max(after);
        // Explicit spaces between the parts of the block are replaced by these.
        for k in i + 1..kinds.len() {
            if !matches!(kinds[k], BlockKind::Space(_)) {
                break;
            }
            blocks[k].space = Some(Abs::ZERO);
        }
    }
}

/// The paragraph style of a block, with its HTML overrides applied.
fn block_style(block: &Block, style: &Style) -> ParStyle {
    let mut s = match &block.kind {
        BlockKind::Title => style.title,
        BlockKind::Subtitle => style.subtitle,
        BlockKind::AuthorLine => style.author,
        BlockKind::Abstract | BlockKind::Keywords => style.abstract_,
        BlockKind::ReferencesHeading => style.headings[0],
        BlockKind::Reference { .. } => style.reference,
        BlockKind::Heading { level, .. } => style.headings[(*level as usize).clamp(1, 5) - 1],
        BlockKind::Quote => style.quote,
        BlockKind::Code => style.code,
        _ => style.body,
    };
    let o = block.overrides;
    if let Some(role) = o.role {
        s.font.role = role;
    }
    if let Some(size) = o.size {
        s.font.size = size;
        // A larger size keeps at least Word's single spacing (1.3×, spec §8.3).
        s.pitch = s.pitch.max(size * 1.3);
        if s.first_indent > Abs::ZERO {
            s.first_indent = size * 2.0;
        }
    }
    if let Some(bold) = o.bold {
        s.font.bold = bold;
    }
    if let Some(align) = o.align {
        s.align = align;
        if align == Align::Center {
            s.first_indent = Abs::ZERO;
        }
    }
    s
}

/// Lays out one block into a flow block.
fn layout_block(block: &Block, style: &Style, ref_hang: Abs, fonts: &FontBook, sink: &mut Sink) -> FlowBlock {
    let ps = block_style(block, style);
    // With a cover page, the student's details are on the cover.
    if style.cover && block.kind == BlockKind::AuthorLine {
        return FlowBlock::new(Vec::new(), Abs::ZERO, Abs::ZERO);
    }
    let mut fb = FlowBlock::new(Vec::new(), ps.space_before, ps.space_after);
    let mut width = style.page.text_width();
    let mut first_indent = ps.first_indent;
    let mut prefix: Option<String> = None;
    match &block.kind {
        BlockKind::Space(h) => {
            fb.space = Some(*h);
            return fb;
        }
        BlockKind::Rule => {
            let y = ps.pitch * 0.25;
            let length = width * 0.25;
            fb.lines.push(LineBox {
                height: ps.pitch * 0.5,
                items: vec![FrameItem::Rule {
                    from: Point::new((width - length) * 0.5, y),
                    length,
                    thickness: Abs::pt(0.5),
                }],
                text: String::new(),
                notes: Vec::new(),
            });
            return fb;
        }
        BlockKind::Title => fb.outline = Some((0, block.plain_text().trim().to_string())),
        BlockKind::ReferencesHeading => {
            fb.keep_with_next = true;
            fb.outline = Some((1, block.plain_text().trim().to_string()));
        }
        BlockKind::Heading { level, label } => {
            fb.keep_with_next = true;
            fb.page_break_before = *level == 1 && style.heading_new_page;
            fb.outline = Some((*level, format!("{label}{}", block.plain_text().trim())));
            prefix = Some(label.clone());
        }
        BlockKind::ListItem { label, depth, .. } => {
            first_indent += ps.font.size * 2.0 * *depth as f64;
            prefix = Some(label.clone());
        }
        BlockKind::Quote => {
            // Independent quotations: 2 em in from both sides (spec §10.7).
            fb.x_offset = ps.font.size * 2.0;
            width -= ps.font.size * 4.0;
        }
        _ => {}
    }
    let mut config = ParConfig {
        font: ps.font,
        width,
        first_indent,
        align: ps.align,
        pitch: ps.pitch,
        typo: style.typo,
        hang: Abs::ZERO,
        ragged_in_url: false,
    };
    if let BlockKind::Reference { label } = &block.kind {
        config.hang = ref_hang;
        config.ragged_in_url = true;
        fb.lines = inline::layout_labelled(label, None, &block.inlines, &config, fonts, sink);
        return fb;
    }
    // `list-style = hanging` (CLREQ 突排): later lines align under the item's text.
    if let (BlockKind::ListItem { label, .. }, true) = (&block.kind, style.list_hanging)
        && !label.is_empty()
    {
        config.hang = first_indent + label_width(label, ps.font, fonts);
        fb.lines = inline::layout_labelled(label, None, &block.inlines, &config, fonts, sink);
        return fb;
    }
    if block.kind == BlockKind::Code {
        // Each source line of code is its own line, breaking anywhere when too long.
        let text = block.plain_text();
        let inlines: Vec<Inline> = text
            .split('\n')
            .enumerate()
            .flat_map(|(i, l)| {
                let mut v = Vec::new();
                if i > 0 {
                    v.push(Inline { kind: InlineKind::HardBreak, style: code_style(), link: None, span: block.span });
                }
                let l = if l.is_empty() { "\u{a0}" } else { l };
                v.push(Inline {
                    kind: InlineKind::Text(l.to_string()),
                    style: code_style(),
                    link: None,
                    span: block.span,
                });
                v
            })
            .collect();
        fb.lines = layout_par(&inlines, None, &config, fonts, sink);
        fb.space_before = style.body.pitch * 0.25;
        fb.space_after = style.body.pitch * 0.25;
        return fb;
    }
    fb.lines = layout_par(&block.inlines, prefix.as_deref(), &config, fonts, sink);
    fb
}

/// A figure (spec §10.11): the image at its natural size (times Typora's zoom), scaled
/// down to the text width and to 60 % of the type area's height, centred; below it the
/// caption `图N　…` in 黑体 五号, centred. Image and caption never part.
fn layout_figure(
    number: usize,
    image: Option<&crate::image::LoadedImage>,
    caption: &str,
    zoom: f64,
    style: &Style,
    fonts: &FontBook,
    sink: &mut Sink,
) -> FlowBlock {
    let width = style.page.text_width();
    let (mut w, mut h) = image.map_or((width * 0.5, width * 0.25), |i| (i.width * zoom, i.height * zoom));
    let max_h = style.page.text_height() * 0.6;
    let scale = (width / w).min(max_h / h).min(1.0);
    w = w * scale;
    h = h * scale;
    let gap = Abs::pt(6.0);
    let mut lines = vec![LineBox {
        height: h + gap,
        items: vec![FrameItem::Image {
            origin: Point::new((width - w) * 0.5, Abs::ZERO),
            width: w,
            height: h,
            index: number - 1,
        }],
        text: String::new(),
        notes: Vec::new(),
    }];
    if !caption.is_empty() {
        let font = crate::style::FontSpec { role: crate::style::Role::Hei, bold: false, size: Abs::pt(10.5) };
        let config = ParConfig::plain(font, width, Align::Center, Abs::pt(15.75), style.typo);
        let inline = plain_inline(format!("图{number}\u{3000}{caption}"));
        lines.extend(layout_par(std::slice::from_ref(&inline), None, &config, fonts, sink));
    }
    let half_g = style.body.pitch * 0.5;
    FlowBlock { keep_together: true, ..FlowBlock::new(lines, half_g, half_g) }
}

/// Cell padding of a table, left and right (a little over ½ em of 五号, so a left-aligned
/// first column stands visibly in from the rules' ends).
const CELL_PAD_X: Abs = Abs::pt(6.0);
/// Cell padding of a table, top and bottom.
const CELL_PAD_Y: Abs = Abs::pt(3.0);

/// A three-line table (spec §10.11): 五号 text on a 1.3× pitch, a 1 pt rule above the
/// header, 0.5 pt under it, 1 pt under the last row; the caption `表N　…` in 黑体 五号
/// centred above. Columns get their natural widths, widened to the text width when they
/// fit, else shared in proportion (at least 3 em each); cells are centred unless the
/// Markdown asks otherwise. A table that fits on a page is kept whole.
fn layout_table(
    number: usize,
    table: &crate::model::Table,
    style: &Style,
    fonts: &FontBook,
    sink: &mut Sink,
) -> FlowBlock {
    use crate::style::{FontSpec, Role};
    let font = FontSpec { role: Role::Song, bold: false, size: Abs::pt(10.5) };
    let pitch = font.size * 1.3;
    let width = style.page.text_width();
    let cols = table.rows.iter().map(Vec::len).max().unwrap_or(0).max(1);
    let config = |w: Abs, align: Align| ParConfig::plain(font, w, align, pitch, style.typo);
    // Natural column widths.
    let mut natural = vec![font.size; cols];
    for row in &table.rows {
        for (c, cell) in row.iter().enumerate() {
            let w = inline::natural_width(cell, &config(Abs::pt(10_000.0), Align::Start), fonts, sink);
            natural[c] = natural[c].max(w + CELL_PAD_X * 2.0);
        }
    }
    let total: Abs = natural.iter().copied().sum();
    let widths: Vec<Abs> = if width.fits(total) {
        let extra = (width - total) / cols as f64;
        natural.iter().map(|&w| w + extra).collect()
    } else {
        let min = font.size * 3.0;
        let floors: Abs = natural.iter().map(|&w| w.min(min)).sum();
        let flexible: Abs = natural.iter().map(|&w| w - w.min(min)).sum();
        if width.fits(floors) || flexible.is_zero() {
            // Too many columns even for their minimum: share the width in proportion.
            natural.iter().map(|&w| w * (width / total)).collect()
        } else {
            natural.iter().map(|&w| w.min(min) + (w - w.min(min)) * ((width - floors) / flexible)).collect()
        }
    };
    let mut lines = Vec::new();
    if let Some(caption) = &table.caption {
        let cap_font = FontSpec { role: Role::Hei, bold: false, size: Abs::pt(10.5) };
        let cfg = ParConfig { font: cap_font, pitch: Abs::pt(15.75), ..config(width, Align::Center) };
        let inline = plain_inline(format!("表{number}\u{3000}{caption}"));
        lines.extend(layout_par(std::slice::from_ref(&inline), None, &cfg, fonts, sink));
    }
    let last = table.rows.len().saturating_sub(1);
    for (r, row) in table.rows.iter().enumerate() {
        let mut items = Vec::new();
        let mut height = pitch + CELL_PAD_Y * 2.0;
        let mut x = Abs::ZERO;
        let mut text = String::new();
        let mut cells = Vec::new();
        for (c, w) in widths.iter().enumerate() {
            let align = table.aligns.get(c).copied().flatten().unwrap_or(Align::Center);
            let cell_lines = row.get(c).map_or_else(Vec::new, |cell| {
                layout_par(cell, None, &config(*w - CELL_PAD_X * 2.0, align), fonts, sink)
            });
            height = height.max(pitch * cell_lines.len() as f64 + CELL_PAD_Y * 2.0);
            cells.push((x, cell_lines));
            x += *w;
        }
        for (cx, cell_lines) in cells {
            for (k, line) in cell_lines.into_iter().enumerate() {
                text.push_str(&line.text);
                for mut item in line.items {
                    item.translate(cx + CELL_PAD_X, CELL_PAD_Y + pitch * k as f64);
                    items.push(item);
                }
            }
            text.push('\t');
        }
        let rule =
            |y: Abs, t: f64| FrameItem::Rule { from: Point::new(Abs::ZERO, y), length: width, thickness: Abs::pt(t) };
        if r == 0 {
            items.push(rule(Abs::ZERO, 1.0));
        }
        if table.header_rows > 0 && r + 1 == table.header_rows && r != last {
            items.push(rule(height, 0.5));
        }
        if r == last {
            items.push(rule(height, 1.0));
        }
        lines.push(LineBox { height, items, text, notes: Vec::new() });
    }
    // Continuation pages repeat the header rows (without the header's own closing rule
    // ambiguity: the header row carries its top and bottom rules).
    let first_row = lines.len() - table.rows.len();
    let repeat = lines[first_row..first_row + table.header_rows.min(table.rows.len())].to_vec();
    let half_g = style.body.pitch * 0.5;
    FlowBlock { keep_together: true, repeat, split_rule: Some(width), ..FlowBlock::new(lines, half_g, half_g) }
}

/// The natural width of a label in a font.
fn label_width(label: &str, font: crate::style::FontSpec, fonts: &FontBook) -> Abs {
    let mut width = Abs::ZERO;
    for c in label.chars() {
        if let Some(face) = fonts.select(font.role, font.bold, c) {
            let w: f64 = fonts
                .shape(face, c.encode_utf8(&mut [0; 4]), true, crate::font::Width::Default)
                .iter()
                .map(|g| g.advance)
                .sum();
            width += font.size * w;
        }
    }
    width
}

/// The hanging indent of the reference list: the widest `[n]` label plus ½ em (spec §10.9).
fn reference_hang(doc: &Document, style: &Style, fonts: &FontBook) -> Abs {
    let font = style.reference.font;
    let mut widest = Abs::ZERO;
    for b in &doc.blocks {
        if let BlockKind::Reference { label } = &b.kind {
            let Some(face) = fonts.select(font.role, font.bold, '[') else { continue };
            let w: f64 = fonts.shape(face, label, false, crate::font::Width::Default).iter().map(|g| g.advance).sum();
            widest = widest.max(font.size * w);
        }
    }
    widest + font.size * 0.5
}

/// Gives every footnote its number now that pages are known (spec §11.1 4): circled
/// numbers restart on each page; a note keeps the number of the page where it starts.
fn number_notes(pages: &mut [flow::FlowPage], doc: &Document, style: &Style, fonts: &FontBook, sink: &mut Sink) {
    use crate::style::FootnoteNumbering;
    let numbering = style.typo.footnote_numbering;
    let mut number = vec![0usize; doc.notes.len()];
    for page in pages.iter() {
        let starts: Vec<usize> = page.notes.iter().filter(|p| !p.continued).map(|p| p.index).collect();
        for (k, &index) in starts.iter().enumerate() {
            number[index] = match numbering {
                FootnoteNumbering::ArabicContinuous => index + 1,
                _ => k + 1,
            };
        }
        if numbering == FootnoteNumbering::CircledPerPage && starts.len() > 10 {
            let span = starts.first().map(|&i| doc.notes[i].span);
            sink.warn(
                span,
                format!(
                    "page {} has {} footnotes; more than 10 on a page is hard to read",
                    page.page.number,
                    starts.len()
                ),
            );
        }
        if numbering == FootnoteNumbering::CircledPerPage && starts.len() > 20 {
            sink.warn(None, format!("page {}: footnotes beyond ⑳ are numbered (21), (22) …", page.page.number));
        }
    }
    let patch = |items: &mut Vec<FrameItem>| {
        for item in items.iter_mut() {
            if let FrameItem::Text(run) = item
                && let Some(tag) = run.note
            {
                reshape_run(run, &numbering.label(number[tag.index].max(1)), fonts);
            }
        }
    };
    for page in pages.iter_mut() {
        patch(&mut page.page.items);
    }
}

/// Replaces a run's text and glyphs (same face, size and start), for numbers known late.
fn reshape_run(run: &mut crate::frame::TextRun, text: &str, fonts: &FontBook) {
    let start = run.glyphs.first().map_or(Abs::ZERO, |g| g.x);
    let shaped = fonts.shape(run.face, text, true, crate::font::Width::Default);
    let mut x = start;
    run.glyphs = shaped
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let next = shaped.get(i + 1).map_or(text.len(), |n| n.cluster as usize);
            let range = g.cluster as usize..next.max(g.cluster as usize);
            let placed = crate::frame::PlacedGlyph {
                id: g.id,
                x,
                advance: run.size * g.advance,
                x_offset: run.size * g.x_offset,
                y_offset: run.size * g.y_offset,
                range,
            };
            x += run.size * g.advance;
            placed
        })
        .collect();
    run.text = text.to_string();
}

fn code_style() -> InlineStyle {
    InlineStyle { code: true, ..Default::default() }
}

/// A plain run of text (for captions and page furniture, which the essay does not write).
fn plain_inline(text: String) -> Inline {
    Inline { kind: InlineKind::Text(text), style: InlineStyle::default(), link: None, span: Default::default() }
}

/// Where a single line of page furniture goes horizontally.
#[derive(Copy, Clone)]
enum Place {
    Center,
    Left,
    Right,
}

/// Sets one line of text (page number, header, cover line) at a baseline on a page.
fn place_line(
    items: &mut Vec<FrameItem>,
    text: &str,
    font: crate::style::FontSpec,
    x: (Abs, Abs, Place),
    baseline: Abs,
    ctx: (&Style, &FontBook, &mut Sink),
) {
    let (style, fonts, sink) = ctx;
    let config = ParConfig::plain(font, Abs::pt(10_000.0), Align::Start, font.size, style.typo);
    let inline = plain_inline(text.to_string());
    let Some(line) = layout_par(std::slice::from_ref(&inline), None, &config, fonts, sink).into_iter().next() else {
        return;
    };
    // The line's extent: from its first glyph to the end of its last.
    let mut right = Abs::ZERO;
    for item in &line.items {
        if let FrameItem::Text(run) = item
            && let Some(g) = run.glyphs.last()
        {
            right = right.max(g.x + g.advance);
        }
    }
    let (left, width, place) = x;
    let dx = match place {
        Place::Left => left,
        Place::Center => left + (width - right) * 0.5,
        Place::Right => left + width - right,
    };
    // The slot's baseline sits at 0.88 em (pitch = size).
    let dy = baseline - font.size * 0.88;
    for mut item in line.items {
        item.translate(dx, dy);
        items.push(item);
    }
}

/// The page number (spec §10.10: 小五, baseline 15 mm above the bottom edge; `plain`,
/// `dash` or `of-total`; centred, right, or outside).
fn add_page_number(page: &mut crate::frame::Page, total: usize, style: &Style, fonts: &FontBook, sink: &mut Sink) {
    use crate::style::{PageNumberFormat, PageNumberPos};
    let n = page.number;
    let text = match style.footer.format {
        PageNumberFormat::Plain => n.to_string(),
        PageNumberFormat::Dash => format!("- {n} -"),
        PageNumberFormat::OfTotal => format!("第 {n} 页 共 {total} 页"),
    };
    let place = match style.footer.pos {
        PageNumberPos::Center => Place::Center,
        PageNumberPos::Right => Place::Right,
        PageNumberPos::Outside if n.is_multiple_of(2) => Place::Left,
        PageNumberPos::Outside => Place::Right,
    };
    let baseline = style.page.height - style.footer.baseline_from_bottom;
    let x = (style.page.left_of(n, style.duplex), style.page.text_width(), place);
    place_line(&mut page.items, &text, style.footer.font, x, baseline, (style, fonts, sink));
}

/// The running head (spec §10.10): 宋体 小五 centred, a 0.75 pt rule 2 pt below the text,
/// the rule 20 mm from the top edge.
fn add_header(page: &mut crate::frame::Page, text: &str, style: &Style, fonts: &FontBook, sink: &mut Sink) {
    let font = crate::style::FontSpec { role: crate::style::Role::Song, bold: false, size: Abs::pt(9.0) };
    let rule_y = Abs::mm(20.0);
    let baseline = rule_y - Abs::pt(2.0) - font.size * 0.12;
    let x = (style.page.left, style.page.text_width(), Place::Center);
    place_line(&mut page.items, text, font, x, baseline, (style, fonts, sink));
    page.items.push(FrameItem::Rule {
        from: Point::new(style.page.left, rule_y),
        length: style.page.text_width(),
        thickness: Abs::pt(0.75),
    });
}

/// Fills `{school}`, `{title}`, `{course}`, `{author}` in a header text.
fn header_text(template: &str, doc: &Document) -> String {
    let m = &doc.meta;
    let or_empty = |v: &Option<String>| v.clone().unwrap_or_default();
    template
        .replace("{school}", &or_empty(&m.school))
        .replace("{title}", &or_empty(&m.title))
        .replace("{course}", &or_empty(&m.course))
        .replace("{author}", &or_empty(&m.author))
        .trim()
        .to_string()
}

/// The table of contents (`toc = true`, part of `thesis-like`): 目　录 centred in 黑体 三号,
/// then every level-1 and level-2 heading with a dot leader to its page number, level 2
/// indented 2 em; unnumbered pages after the cover.
fn toc_pages(
    outline: &[crate::frame::OutlineEntry],
    style: &Style,
    fonts: &FontBook,
    sink: &mut Sink,
) -> Vec<crate::frame::Page> {
    use crate::style::{FontSpec, Role};
    let (left, width) = (style.page.left, style.page.text_width());
    let pitch = style.body.pitch;
    let font = FontSpec { role: Role::Song, bold: false, size: style.body.font.size };
    let title_font = FontSpec { role: Role::Hei, bold: false, size: Abs::pt(16.0) };
    let mut pages = vec![crate::frame::Page { items: Vec::new(), number: 0 }];
    let mut y = style.page.top + title_font.size;
    place_line(&mut pages[0].items, "目\u{3000}录", title_font, (left, width, Place::Center), y, (style, fonts, sink));
    y += pitch * 1.5;
    let bottom = style.page.top + style.page.text_height();
    for entry in outline.iter().filter(|e| (1..=2).contains(&e.level)) {
        let indent = if entry.level == 2 { font.size * 2.0 } else { Abs::ZERO };
        // The title wraps within the measure less room for the leader and the number.
        let config = ParConfig::plain(font, width - indent - font.size * 3.0, Align::Start, pitch, style.typo);
        let inline = plain_inline(entry.title.clone());
        let title_lines = layout_par(std::slice::from_ref(&inline), None, &config, fonts, sink);
        let count = title_lines.len().max(1);
        if y + pitch * (count - 1) as f64 > bottom {
            pages.push(crate::frame::Page { items: Vec::new(), number: 0 });
            y = style.page.top + font.size;
        }
        // Line k of the title sits on baseline y + k·pitch (the slot's baseline is at
        // (pitch − size)/2 + 0.88 size, spec §8.3).
        let in_slot = (pitch - font.size) * 0.5 + font.size * 0.88;
        let mut line = Vec::new();
        let mut text_end = left + indent;
        for (k, l) in title_lines.into_iter().enumerate() {
            let mut items: Vec<FrameItem> = l.items;
            for item in &mut items {
                item.translate(left + indent, y + pitch * k as f64 - in_slot);
            }
            if k + 1 == count {
                text_end = extent(&items).max(left + indent);
            }
            line.extend(items);
        }
        let y_last = y + pitch * (count - 1) as f64;
        let number = (entry.page + 1).to_string();
        let mut num = Vec::new();
        place_line(&mut num, &number, font, (left, width, Place::Right), y_last, (style, fonts, sink));
        let num_start = num
            .iter()
            .filter_map(|i| if let FrameItem::Text(r) = i { r.glyphs.first().map(|g| g.x) } else { None })
            .fold(left + width, Abs::min);
        // Dot leader between them, a dot every ½ em, a little clear of both ends.
        let step = font.size * 0.5;
        let from = text_end + step;
        let to = num_start - step * 0.5;
        let dots = ((to - from) / step).floor().max(0.0) as usize;
        if dots > 0 {
            let mut lead = Vec::new();
            place_line(
                &mut lead,
                &"·".repeat(dots),
                font,
                (from, to - from, Place::Left),
                y_last,
                (style, fonts, sink),
            );
            for item in &mut lead {
                if let FrameItem::Text(run) = item {
                    for (k, g) in run.glyphs.iter_mut().enumerate() {
                        g.x = from + step * k as f64;
                    }
                }
            }
            line.extend(lead);
        }
        line.extend(num);
        // The whole entry links to its heading. Page indices are shifted by the front
        // pages later, like the outline's.
        let top = y - in_slot;
        line.push(FrameItem::Link {
            rect_origin: Point::new(left, top),
            width,
            height: pitch * count as f64,
            target: crate::frame::LinkTarget::Page(entry.page, entry.y),
        });
        pages.last_mut().expect("a page").items.extend(line);
        y = y_last + pitch;
    }
    pages
}

/// The right end of the text in some items.
fn extent(items: &[FrameItem]) -> Abs {
    items
        .iter()
        .filter_map(|i| if let FrameItem::Text(r) = i { r.glyphs.last().map(|g| g.x + g.advance) } else { None })
        .fold(Abs::ZERO, Abs::max)
}

/// An unnumbered cover page (`cover = true`): the title in 黑体 二号 a quarter down the
/// type area, the subtitle under it, and the student's details in 楷体 三号 as a block of
/// left-aligned lines, centred, lower down.
fn cover_page(doc: &Document, style: &Style, fonts: &FontBook, sink: &mut Sink) -> crate::frame::Page {
    use crate::style::{FontSpec, Role};
    let mut page = crate::frame::Page { items: Vec::new(), number: 0 };
    let (left, width) = (style.page.left, style.page.text_width());
    let top = style.page.top;
    let area = style.page.text_height();
    let title_font = FontSpec { role: Role::Hei, bold: true, size: Abs::pt(22.0) };
    let m = &doc.meta;
    let mut y = top + area * 0.25;
    if let Some(title) = &m.title {
        place_line(&mut page.items, title, title_font, (left, width, Place::Center), y, (style, fonts, sink));
        y += title_font.size * 1.95;
    }
    if let Some(sub) = &m.subtitle {
        let font = FontSpec { role: Role::Kai, bold: false, size: Abs::pt(16.0) };
        place_line(&mut page.items, &format!("——{sub}"), font, (left, width, Place::Center), y, (style, fonts, sink));
    }
    let fields: Vec<(&str, &Option<String>)> = vec![
        ("学\u{3000}\u{3000}院：", &m.school),
        ("班\u{3000}\u{3000}级：", &m.class),
        ("姓\u{3000}\u{3000}名：", &m.author),
        ("学\u{3000}\u{3000}号：", &m.student_id),
        ("课\u{3000}\u{3000}程：", &m.course),
        ("指导教师：", &m.teacher),
        ("日\u{3000}\u{3000}期：", &m.date),
    ];
    let lines: Vec<String> = fields.iter().filter_map(|(label, v)| v.as_ref().map(|v| format!("{label}{v}"))).collect();
    let font = FontSpec { role: Role::Kai, bold: false, size: Abs::pt(16.0) };
    // Left-aligned lines, the block centred on the widest: 5 labels of 1 em each + text.
    let widest = lines.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    let block_left = left + ((width - font.size * widest) * 0.5).max(Abs::ZERO);
    let mut y = top + area * 0.55;
    for line in &lines {
        place_line(&mut page.items, line, font, (block_left, width, Place::Left), y, (style, fonts, sink));
        y += font.size * 1.95;
    }
    page
}
