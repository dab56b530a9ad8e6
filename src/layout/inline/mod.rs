//! Inline layout: a paragraph's styled runs become justified lines of positioned glyphs.
//!
//! Four steps, one file each (Typst's `collect → prepare → linebreak → finalize`):
//! `prepare` (this file: text, fonts, shaping, atoms with their widths and adjustability),
//! `breaks` (where lines may end), `linebreak` (which breaks to take), `line` (placing
//! the glyphs of each chosen line).

mod breaks;
pub mod cjk;
mod line;
mod linebreak;

use std::ops::Range;

use self::cjk::{Cell, Class, PunctSlot};
use crate::diag::{Sink, Span};
use crate::font::{FaceId, FontBook, ShapedGlyph, Width};
use crate::geom::Abs;
use crate::model::{Inline, InlineKind, InlineStyle, Shift, is_cjk_punct, is_han_or_kana, is_latin_class, is_wide};
use crate::style::{Align, FontSpec, Role, Typography};

pub use line::LineBox;

/// How a paragraph is to be set.
#[derive(Copy, Clone, Debug)]
pub struct ParConfig {
    /// The paragraph's base font.
    pub font: FontSpec,
    /// Full measure.
    pub width: Abs,
    /// Indent of the first line.
    pub first_indent: Abs,
    /// Alignment.
    pub align: Align,
    /// Line pitch.
    pub pitch: Abs,
    /// Typographic knobs.
    pub typo: Typography,
    /// Indent of every line after the first (a hanging indent, for notes and references).
    pub hang: Abs,
    /// Whether a line that ends inside a URL is start-aligned (reference lists, §10.9).
    pub ragged_in_url: bool,
}

impl ParConfig {
    /// A plain paragraph: no indent, no hanging, ordinary URL handling.
    pub fn plain(font: FontSpec, width: Abs, align: Align, pitch: Abs, typo: Typography) -> ParConfig {
        ParConfig { font, width, first_indent: Abs::ZERO, align, pitch, typo, hang: Abs::ZERO, ragged_in_url: false }
    }
}

/// A run of text with one resolved style.
#[derive(Clone, Debug)]
pub struct Segment {
    /// Bytes of the paragraph text.
    pub range: Range<usize>,
    /// The resolved font.
    pub font: FontSpec,
    /// Raised or lowered.
    pub shift: Shift,
    /// Link target.
    pub link: Option<String>,
    /// Underlined.
    pub underline: bool,
    /// Struck through.
    pub strike: bool,
    /// Source span of the run, for messages.
    pub span: Span,
    /// Set when the run is a footnote number.
    pub note: Option<crate::frame::NoteTag>,
    /// Whether the run is a citation mark.
    pub citation: bool,
}

/// The unit of line breaking and justification: one shaped cluster (usually one
/// character), a word space, or a piece of CJK–Latin glue.
#[derive(Clone, Debug)]
pub struct Atom {
    /// Bytes of the paragraph text (empty for glue).
    pub range: Range<usize>,
    /// Index of its segment.
    pub seg: usize,
    /// Face that draws it.
    pub face: FaceId,
    /// Font size.
    pub size: Abs,
    /// Its glyphs in [`Preparation::glyphs`].
    pub glyphs: Range<usize>,
    /// Class for breaking and adjustment.
    pub class: Class,
    /// Width, glyph offset and adjustable blanks.
    pub cell: Cell,
    /// How much it may shrink in total (its blanks, or space/glue shrink), spec §6.4.
    pub shrink: Abs,
    /// Shrink tier (§6.4: 2 spaces, 4 brackets and quotes, 5 commas, 6 glue, 7 stops).
    pub shrink_tier: u8,
    /// Tier-1/2 stretch (word spaces, glue).
    pub stretch: Abs,
    /// Whether the gap after it may take tier-3 stretch.
    pub justifiable: bool,
    /// Whether bold is synthesised (no bold face in the chain).
    pub synthetic_bold: bool,
    /// Baseline shift (up is negative y).
    pub rise: Abs,
    /// For an opening mark: its proportional form (glyph, advance), drawn when the mark
    /// starts a line and loses its left blank, so its box starts at the margin.
    pub line_start_form: Option<(u32, Abs)>,
}

/// A paragraph ready for line breaking.
pub struct Preparation<'a> {
    /// The paragraph's text (a hard break is `'\n'`).
    pub text: String,
    /// Styled runs.
    pub segments: Vec<Segment>,
    /// Atoms in logical order.
    pub atoms: Vec<Atom>,
    /// All shaped glyphs (em units).
    pub glyphs: Vec<ShapedGlyph>,
    /// How it is set.
    pub config: &'a ParConfig,
    /// The font book.
    pub fonts: &'a FontBook,
}

/// Lays out a paragraph into lines.
pub fn layout_par(
    inlines: &[Inline],
    prefix: Option<&str>,
    config: &ParConfig,
    fonts: &FontBook,
    sink: &mut Sink,
) -> Vec<LineBox> {
    let p = prepare(inlines, prefix, config, fonts, sink);
    if p.atoms.is_empty() {
        return Vec::new();
    }
    let breaks = breaks::breakpoints(&p, sink);
    let chosen = linebreak::linebreak(&p, &breaks);
    line::finalize(&p, &chosen, sink)
}

/// The natural width of a paragraph set on one line, after punctuation compression but
/// before line-edge trimming (for width tests, spec §4.3).
pub fn natural_width(inlines: &[Inline], config: &ParConfig, fonts: &FontBook, sink: &mut Sink) -> Abs {
    prepare(inlines, None, config, fonts, sink).atoms.iter().map(|a| a.cell.width).sum()
}

/// The laid-out lines as text, one string per line (for layout-text tests).
pub fn layout_text(inlines: &[Inline], config: &ParConfig, fonts: &FontBook, sink: &mut Sink) -> Vec<String> {
    layout_par(inlines, None, config, fonts, sink).iter().map(|l| l.text.clone()).collect()
}

/// The text standing for a footnote number before pagination: every circled number has
/// the same width, so ① holds the place; continuous numbers are known already.
pub fn note_placeholder(numbering: crate::style::FootnoteNumbering, index: usize) -> String {
    match numbering {
        crate::style::FootnoteNumbering::ArabicContinuous => (index + 1).to_string(),
        crate::style::FootnoteNumbering::CircledPerPage => "①".into(),
        crate::style::FootnoteNumbering::ArabicPerPage => "1".into(),
    }
}

/// Lays out a footnote's text with its number label in front: 宋体 小五, justified, the
/// label followed by ½ em, later lines hanging under the text (spec §10.8).
pub fn layout_note(
    index: usize,
    inlines: &[Inline],
    config: &ParConfig,
    fonts: &FontBook,
    sink: &mut Sink,
) -> Vec<LineBox> {
    let label = note_placeholder(config.typo.footnote_numbering, index);
    let tag = crate::frame::NoteTag { index, label: true };
    layout_labelled(&label, Some(tag), inlines, config, fonts, sink)
}

/// Lays out a paragraph with a label in a cell as wide as the hanging indent (`config.hang`):
/// the text starts at the hang on every line. The label neither breaks nor stretches.
pub fn layout_labelled(
    label: &str,
    tag: Option<crate::frame::NoteTag>,
    inlines: &[Inline],
    config: &ParConfig,
    fonts: &FontBook,
    sink: &mut Sink,
) -> Vec<LineBox> {
    let mut all: Vec<Inline> = vec![Inline {
        kind: InlineKind::Text(label.to_string()),
        style: InlineStyle::default(),
        link: None,
        span: inlines.first().map(|i| i.span).unwrap_or_default(),
    }];
    all.extend(inlines.iter().cloned());
    let mut p = prepare(&all, None, config, fonts, sink);
    if p.atoms.is_empty() {
        return Vec::new();
    }
    let label_end = p.segments[0].range.end;
    p.segments[0].note = tag;
    let in_label = |a: &Atom| a.range.end <= label_end && a.class != Class::Glue;
    let mut label_width = Abs::ZERO;
    let mut last_label = None;
    for (k, atom) in p.atoms.iter_mut().enumerate() {
        if in_label(atom) {
            atom.justifiable = false;
            atom.shrink = Abs::ZERO;
            atom.stretch = Abs::ZERO;
            label_width += atom.cell.width;
            last_label = Some(k);
        }
    }
    // The label cell reaches exactly to the hang (the label starts at the first-line indent).
    if let Some(k) = last_label {
        let pad = (config.hang - config.first_indent - label_width).max(Abs::ZERO);
        p.atoms[k].cell.width += pad;
        p.atoms[k].cell.blank_right = Abs::ZERO;
    }
    // No glue between the label and the text.
    if let Some(k) = last_label.map(|k| k + 1).filter(|&k| p.atoms.get(k).is_some_and(|a| a.class == Class::Glue)) {
        p.atoms.remove(k);
    }
    let mut breaks = breaks::breakpoints(&p, sink);
    for k in 1..p.atoms.len() {
        if p.atoms[k - 1].range.end <= label_end && p.atoms[k - 1].class != Class::Glue {
            breaks[k] = breaks::Break::No;
        }
    }
    let config = *config;
    let p = Preparation { config: &config, ..p };
    let chosen = linebreak::linebreak(&p, &breaks);
    line::finalize(&p, &chosen, sink)
}

/// Resolves an inline style against the paragraph's base font (spec §10.2: code → mono,
/// strong → 黑体, emphasis → 楷体; a font named by HTML wins over both).
fn resolve_font(style: &InlineStyle, base: FontSpec) -> FontSpec {
    let role = if style.code {
        Role::Mono
    } else if let Some(role) = style.role {
        role
    } else if style.strong && base.role != Role::Hei {
        Role::Hei
    } else if style.emph {
        Role::Kai
    } else {
        base.role
    };
    let bold = base.bold || (style.strong && base.role == Role::Hei && role == Role::Hei);
    let mut size = style.size.unwrap_or(base.size);
    if style.shift != Shift::Normal {
        size = size * 0.7;
    }
    FontSpec { role, bold, size }
}

/// Collects the text and shapes it into atoms (spec §4 widths applied, §5 glue inserted).
fn prepare<'a>(
    inlines: &[Inline],
    prefix: Option<&str>,
    config: &'a ParConfig,
    fonts: &'a FontBook,
    sink: &mut Sink,
) -> Preparation<'a> {
    let mut text = String::new();
    let mut segments = Vec::new();
    if let Some(prefix) = prefix.filter(|p| !p.is_empty()) {
        text.push_str(prefix);
        segments.push(Segment {
            range: 0..text.len(),
            font: config.font,
            shift: Shift::Normal,
            link: None,
            underline: false,
            strike: false,
            span: inlines.first().map(|i| i.span).unwrap_or_default(),
            note: None,
            citation: false,
        });
    }
    for inline in inlines {
        let start = text.len();
        let mut font = resolve_font(&inline.style, config.font);
        let mut shift = inline.style.shift;
        let mut note = None;
        match &inline.kind {
            InlineKind::Text(t) => text.push_str(t),
            InlineKind::HardBreak => text.push('\n'),
            InlineKind::NoteRef(index) => {
                // Its number is known after pagination; a same-width placeholder holds the
                // place (spec §10.8: the mark is 0.6 em, raised 0.4 em).
                text.push_str(&note_placeholder(config.typo.footnote_numbering, *index));
                font = FontSpec { role: config.font.role, bold: false, size: config.font.size * 0.6 };
                shift = Shift::Super;
                note = Some(crate::frame::NoteTag { index: *index, label: false });
            }
        }
        if text.len() == start {
            continue;
        }
        segments.push(Segment {
            range: start..text.len(),
            font,
            shift,
            link: inline.link.clone(),
            underline: inline.style.underline,
            strike: inline.style.strike,
            span: inline.span,
            note,
            citation: inline.style.citation,
        });
    }
    let mut p = Preparation { text, segments, atoms: Vec::new(), glyphs: Vec::new(), config, fonts };
    shape_segments(&mut p, sink);
    for atom in &mut p.atoms {
        let seg = &p.segments[atom.seg];
        if seg.note.is_some_and(|n| !n.label) || seg.citation {
            atom.class = Class::RefMark;
        }
    }
    insert_glue(&mut p);
    set_cells(&mut p);
    set_adjustability(&mut p);
    p
}

/// Whether the character at `i` of `chars` is in CJK context: it or a neighbour is wide.
fn in_cjk_context(chars: &[(usize, char)], i: usize) -> bool {
    let wide = |k: Option<&(usize, char)>| k.is_some_and(|&(_, c)| is_wide(c));
    wide(chars.get(i)) || wide(i.checked_sub(1).and_then(|k| chars.get(k))) || wide(chars.get(i + 1))
}

/// Splits each segment into shaping items (same face, same script, same features) and
/// turns the shaped glyph clusters into atoms.
fn shape_segments(p: &mut Preparation<'_>, sink: &mut Sink) {
    let chars: Vec<(usize, char)> = p.text.char_indices().collect();
    let mut missing: Vec<(char, Span)> = Vec::new();
    let mut k = 0;
    for (seg_index, seg) in p.segments.clone().iter().enumerate() {
        let rise = match seg.shift {
            _ if seg.note.is_some_and(|n| !n.label) => -(seg.font.size / 0.6) * 0.4,
            Shift::Normal => Abs::ZERO,
            Shift::Super => -(seg.font.size / 0.7) * 0.33,
            Shift::Sub => (seg.font.size / 0.7) * 0.15,
        };
        while k < chars.len() && chars[k].0 < seg.range.end {
            let (start, c) = chars[k];
            if c == '\n' {
                p.atoms.push(plain_atom(start..start + 1, seg_index, 0, seg.font.size, Class::HardBreak, rise));
                k += 1;
                continue;
            }
            // One item: a maximal run of characters with the same face, script and feature.
            let item_key = |i: usize| {
                let (_, c) = chars[i];
                let cjk = in_cjk_context(&chars, i);
                let role = if seg.font.role == Role::Mono && cjk && (is_wide(c) || is_cjk_punct(c)) {
                    Role::Hei
                } else {
                    seg.font.role
                };
                let face = p.fonts.select(role, seg.font.bold, c);
                let script_cjk = is_wide(c) || (cjk && is_cjk_punct(c));
                let width = if c == '—' && cjk { Width::Full } else { Width::Default };
                (face, script_cjk, width)
            };
            let key = item_key(k);
            let mut end_k = k + 1;
            while end_k < chars.len()
                && chars[end_k].0 < seg.range.end
                && chars[end_k].1 != '\n'
                && item_key(end_k) == key
            {
                end_k += 1;
            }
            let item_end = chars.get(end_k).map_or(p.text.len(), |&(b, _)| b).min(seg.range.end);
            let (face, cjk, width) = key;
            let face = match face {
                Some(face) => face,
                None => {
                    for &(_, c) in &chars[k..end_k] {
                        if !missing.iter().any(|&(m, _)| m == c) {
                            missing.push((c, seg.span));
                        }
                    }
                    p.fonts.chain(seg.font.role, seg.font.bold)[0]
                }
            };
            let face_is_bold = p.fonts.face(face).bold;
            let synthetic_bold = seg.font.bold && !face_is_bold;
            let shaped = p.fonts.shape(face, &p.text[start..item_end], cjk, width);
            // Group glyphs by cluster; a character without a glyph joins the previous cluster.
            let mut g = 0;
            while g < shaped.len() {
                let cluster = shaped[g].cluster as usize;
                let mut h = g + 1;
                while h < shaped.len() && shaped[h].cluster as usize == cluster {
                    h += 1;
                }
                let next_cluster = shaped.get(h).map_or(item_end - start, |s| s.cluster as usize);
                let range = start + cluster..start + next_cluster.max(cluster);
                let first = p.glyphs.len();
                p.glyphs.extend_from_slice(&shaped[g..h]);
                let advance: f64 = shaped[g..h].iter().map(|s| s.advance).sum();
                let ch = p.text[range.clone()].chars().next().unwrap_or(' ');
                let char_index = chars.partition_point(|&(b, _)| b < range.start);
                let prev = char_index.checked_sub(1).map(|i| chars[i].1);
                let next = chars.get(char_index + 1).map(|&(_, c)| c);
                let class = cjk::classify(ch, prev, next, in_cjk_context(&chars, char_index));
                let mut atom = plain_atom(range, seg_index, face, seg.font.size, class, rise);
                atom.glyphs = first..p.glyphs.len();
                atom.cell.width = seg.font.size * advance;
                atom.synthetic_bold = synthetic_bold;
                p.atoms.push(atom);
                g = h;
            }
            k = end_k;
        }
    }
    for (c, span) in missing {
        sink.warn(
            Some(span),
            format!("no embedded font has the character {c:?} (U+{:04X}); it prints as a blank box", c as u32),
        );
    }
}

fn plain_atom(range: Range<usize>, seg: usize, face: FaceId, size: Abs, class: Class, rise: Abs) -> Atom {
    Atom {
        range,
        seg,
        face,
        size,
        glyphs: 0..0,
        class,
        cell: Cell { width: Abs::ZERO, offset: Abs::ZERO, blank_left: Abs::ZERO, blank_right: Abs::ZERO },
        shrink: Abs::ZERO,
        shrink_tier: 0,
        stretch: Abs::ZERO,
        justifiable: false,
        synthetic_bold: false,
        rise,
        line_start_form: None,
    }
}

/// Inserts CJK–Latin glue (spec §5.1) between a Han/kana character and a Latin-class
/// character, across style boundaries, but not next to raised or lowered text.
fn insert_glue(p: &mut Preparation<'_>) {
    let mut out = Vec::with_capacity(p.atoms.len() + 8);
    let atoms = std::mem::take(&mut p.atoms);
    for (i, atom) in atoms.iter().enumerate() {
        if let Some(prev) = i.checked_sub(1).map(|k| &atoms[k]) {
            let last_char = p.text[prev.range.clone()].chars().last();
            let first_char = p.text[atom.range.clone()].chars().next();
            let code = |a: &Atom| p.segments[a.seg].font.role == Role::Mono;
            let latin = |c: Option<char>, a: &Atom| {
                c.is_some_and(is_latin_class) || (code(a) && c.is_some_and(|c| !is_wide(c)))
            };
            let han = |c: Option<char>| c.is_some_and(is_han_or_kana);
            let boundary = (han(last_char) && latin(first_char, atom)) || (latin(last_char, prev) && han(first_char));
            let shifted = prev.rise != Abs::ZERO || atom.rise != Abs::ZERO;
            if boundary && !shifted {
                let han_side = if han(last_char) { prev } else { atom };
                let em = han_side.size;
                let mut glue =
                    plain_atom(atom.range.start..atom.range.start, prev.seg, prev.face, em, Class::Glue, Abs::ZERO);
                glue.cell.width = em * 0.25;
                if p.config.typo.glue_flexible {
                    glue.shrink = em * 0.125;
                    glue.shrink_tier = 6;
                    glue.stretch = em * 0.25;
                }
                out.push(glue);
            }
        }
        out.push(atom.clone());
    }
    p.atoms = out;
}

/// Gives punctuation its GB cell and compresses adjacent marks (spec §4.1–§4.3).
fn set_cells(p: &mut Preparation<'_>) {
    let style = p.config.typo.punct;
    for atom in &mut p.atoms {
        if let Some(cell) = cjk::punct_cell(atom.class, atom.cell.width, atom.size) {
            atom.cell = cell;
        }
        // A full-width opening mark trimmed at line start would put its box left of the
        // margin; its proportional form, where the face has one, starts at the ink.
        if atom.class == Class::Open && atom.cell.offset < atom.cell.blank_left && atom.glyphs.len() == 1 {
            let shaped = p.fonts.shape(atom.face, &p.text[atom.range.clone()], true, Width::Proportional);
            if let [g] = shaped.as_slice()
                && g.id != p.glyphs[atom.glyphs.start].id
                && g.advance < 0.99
            {
                atom.line_start_form = Some((g.id, atom.size * g.advance));
            }
        }
    }
    let mut i = 0;
    while i < p.atoms.len() {
        let is_cell = |a: &Atom| a.class.is_adjustable_punct() || matches!(a.class, Class::Middle | Class::DoubleMark);
        if !is_cell(&p.atoms[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < p.atoms.len() && is_cell(&p.atoms[j]) {
            j += 1;
        }
        let em = p.atoms[i].size;
        let mut slots: Vec<PunctSlot<'_>> =
            p.atoms[i..j].iter_mut().map(|a| PunctSlot { class: a.class, cell: &mut a.cell }).collect();
        cjk::adjust_punct_run(&mut slots, style, em);
        i = j;
    }
}

/// Sets shrink, stretch and justifiability (spec §6.4 tiers).
fn set_adjustability(p: &mut Preparation<'_>) {
    let typo = p.config.typo;
    let n = p.atoms.len();
    for i in 0..n {
        let next_class = p.atoms.get(i + 1).map(|a| a.class);
        let atom = &mut p.atoms[i];
        let em = atom.size;
        match atom.class {
            Class::Space => {
                // Tier 2 shrink down to ¼ em; tier 1 stretch up to ½ em.
                atom.shrink = (atom.cell.width - em * 0.25).max(Abs::ZERO);
                atom.shrink_tier = 2;
                atom.stretch = (em * 0.5 - atom.cell.width).max(Abs::ZERO);
            }
            Class::Open | Class::Close => {
                atom.shrink = atom.cell.blank_left + atom.cell.blank_right;
                atom.shrink_tier = 4;
            }
            Class::Comma => {
                atom.shrink = atom.cell.blank_right;
                atom.shrink_tier = 5;
            }
            Class::Period | Class::QuestionExclaim if typo.compress_sentence_end => {
                atom.shrink = atom.cell.blank_right;
                atom.shrink_tier = 7;
            }
            _ => {}
        }
        // Tier-3 stretch goes into the gap after Han, CJK marks and spaces; never inside a
        // —— pair, next to a connector or solidus, or between Latin letters (clreq 3.8).
        let gap_ok = !matches!(next_class, Some(Class::Connector | Class::Solidus | Class::HardBreak) | None);
        atom.justifiable = gap_ok
            && match atom.class {
                Class::Han
                | Class::Open
                | Class::Close
                | Class::Comma
                | Class::Period
                | Class::QuestionExclaim
                | Class::DoubleMark
                | Class::Middle
                | Class::Iter
                | Class::Space
                | Class::Glue => true,
                Class::Long => next_class != Some(Class::Long),
                Class::Latin | Class::LatinClose | Class::Other => {
                    matches!(next_class, Some(c) if c != Class::Glue && !matches!(c, Class::Latin | Class::LatinClose | Class::LatinOpen | Class::Other | Class::Space))
                }
                _ => false,
            };
    }
}
