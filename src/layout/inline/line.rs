//! Placing the glyphs of the chosen lines: line-edge trimming, the shrink and stretch
//! tiers of spec §6.4, alignment, and the frame items (glyph runs, rules, link areas).

use super::cjk::Class;
use super::linebreak::{LineMetrics, Measurer};
use super::{Atom, Preparation};
use crate::diag::Sink;
use crate::frame::{FrameItem, PlacedGlyph, TextRun};
use crate::geom::{Abs, Point};
use crate::style::Align;

/// One laid-out line: its frame items, relative to the line's slot (x from the start of
/// the measure, y from the top of the slot).
#[derive(Debug, Clone)]
pub struct LineBox {
    /// Slot height (the line pitch).
    pub height: Abs,
    /// Glyph runs, rules and link areas.
    pub items: Vec<FrameItem>,
    /// The line's text, for tests and diagnostics.
    pub text: String,
    /// Footnotes whose marks are on this line, in order.
    pub notes: Vec<usize>,
}

/// How each atom of a line moves: extra width (negative when it shrinks).
struct Placement {
    /// Width change of each atom's cell.
    delta: Vec<Abs>,
    /// Offset of the whole line (centring).
    shift: Abs,
}

/// Turns the chosen breaks into line boxes.
pub fn finalize(p: &Preparation<'_>, ends: &[usize], sink: &mut Sink) -> Vec<LineBox> {
    let m = Measurer::new(p);
    let urls = if p.config.ragged_in_url { super::breaks::url_ranges(&p.text) } else { Vec::new() };
    let mut out = Vec::with_capacity(ends.len());
    let mut start = 0;
    for (index, &end) in ends.iter().enumerate() {
        let first = start == 0;
        let line = m.measure(start, end, first);
        let mut last = end == p.atoms.len() || p.atoms[end - 1].class == Class::HardBreak;
        // Spec §10.9: in a reference list, a line that ends inside a URL is start-aligned.
        if p.config.ragged_in_url && !last {
            let at = p.atoms[end].range.start;
            last = urls.iter().any(|u| u.start < at && at < u.end);
        }
        let indent = if first { p.config.first_indent } else { p.config.hang };
        let measure = m.measure_width(first);
        let placement = place(p, &line, measure, last, sink, index);
        out.push(build(p, &line, indent, &placement));
        start = end;
    }
    out
}

/// Decides how the line's atoms stretch or shrink (spec §6.4 tiers) and where it starts.
fn place(
    p: &Preparation<'_>,
    line: &LineMetrics,
    measure: Abs,
    last: bool,
    sink: &mut Sink,
    index: usize,
) -> Placement {
    let atoms = &p.atoms[line.start..line.end];
    let mut delta = vec![Abs::ZERO; atoms.len()];
    let em = p.config.font.size;
    let mut slack = measure - line.width;
    let justify = p.config.align == Align::Justify && !last;
    if slack < Abs::ZERO {
        shrink(line, atoms, &mut delta, -slack);
        let over = line.width + delta.iter().copied().sum::<Abs>() - measure;
        // Spec §12: nothing but furniture outside the type area; an overfull line is an
        // error unless the user allows it.
        if !Abs::pt(0.01).fits(over) {
            let seg = &p.segments[atoms[0].seg];
            let message =
                format!("line {} of this paragraph sticks out of the margin by {:.1} pt", index + 1, over.to_pt());
            if p.config.typo.allow_overfull {
                sink.warn(Some(seg.span), message);
            } else {
                sink.error(
                    Some(seg.span),
                    message,
                    vec!["shorten the word, or pass --allow-overfull to print it anyway".into()],
                );
            }
        }
        slack = Abs::ZERO.max(measure - line.width - delta.iter().copied().sum::<Abs>());
    } else if justify && !slack.is_zero() {
        slack = stretch(line, atoms, &mut delta, slack, em);
        if !slack.is_zero() {
            let seg = &p.segments[atoms[0].seg];
            sink.warn(
                Some(seg.span),
                format!(
                    "line {} of this paragraph cannot be justified without letter-spacing; it is set ragged",
                    index + 1
                ),
            );
        }
    }
    let shift = match p.config.align {
        Align::Center => slack * 0.5,
        Align::End => slack,
        _ => Abs::ZERO,
    };
    Placement { delta, shift }
}

/// Shrinks by `need`, tier by tier (spec §6.4: spaces, brackets and quotes, commas, glue,
/// stops), each tier equally across its items, never past what the line can give.
fn shrink(line: &LineMetrics, atoms: &[Atom], delta: &mut [Abs], mut need: Abs) {
    let n = atoms.len();
    let available = |k: usize| {
        let a = &atoms[k];
        let mut s = a.shrink;
        if k == n - 1 {
            s -= a.shrink.min(line.trim_end);
        }
        if k == 0 && !line.trim_start.is_zero() {
            s -= s.min(line.trim_start);
        }
        s.max(Abs::ZERO)
    };
    for tier in [2u8, 4, 5, 6, 7] {
        if need.is_zero() {
            break;
        }
        let total: Abs = (0..n).filter(|&k| atoms[k].shrink_tier == tier).map(available).sum();
        if total.is_zero() {
            continue;
        }
        let take = need.min(total);
        for k in (0..n).filter(|&k| atoms[k].shrink_tier == tier) {
            delta[k] -= available(k) * (take / total);
        }
        need -= take;
    }
}

/// Stretches by `slack`: word spaces to ½ em, then glue to ½ em, then every justifiable
/// gap equally (spec §6.4). Returns what could not be placed (a pathological line).
fn stretch(line: &LineMetrics, atoms: &[Atom], delta: &mut [Abs], mut slack: Abs, em: Abs) -> Abs {
    let n = atoms.len();
    for class in [Class::Space, Class::Glue] {
        let total: Abs = atoms.iter().filter(|a| a.class == class).map(|a| a.stretch).sum();
        if total.is_zero() || slack.is_zero() {
            continue;
        }
        let take = slack.min(total);
        for (k, a) in atoms.iter().enumerate().filter(|(_, a)| a.class == class) {
            delta[k] += a.stretch * (take / total);
        }
        slack -= take;
    }
    if slack.is_zero() {
        return slack;
    }
    let gaps: Vec<usize> = (0..n.saturating_sub(1)).filter(|&k| atoms[k].justifiable).collect();
    debug_assert!(gaps.len() <= line.justifiables + 1);
    // A pathological line (spec §6.4): no gaps, or more than ½ em per gap.
    if gaps.is_empty() || slack / gaps.len() as f64 > em * 0.5 {
        return slack;
    }
    let each = slack / gaps.len() as f64;
    for k in gaps {
        delta[k] += each;
    }
    Abs::ZERO
}

/// Emits the frame items of one line.
fn build(p: &Preparation<'_>, line: &LineMetrics, indent: Abs, placement: &Placement) -> LineBox {
    let pitch = p.config.pitch;
    let size = p.config.font.size;
    // Line-slot model (spec §8.3): baseline at (pitch − size)/2 + 0.88 size below the top.
    let baseline = (pitch - size) * 0.5 + size * 0.88;
    let mut items = Vec::new();
    let mut text = String::new();
    let mut x = indent + placement.shift;
    let atoms = &p.atoms[line.start..line.end];
    let mut run: Option<TextRun> = None;
    let mut links: Vec<(String, Abs, Abs)> = Vec::new();
    let mut decorations: Vec<(bool, Abs, Abs, Abs)> = Vec::new();
    let mut notes = Vec::new();
    for (k, atom) in atoms.iter().enumerate() {
        let mut width = atom.cell.width + placement.delta[k];
        let mut offset = atom.cell.offset;
        if k == 0 && !line.trim_start.is_zero() {
            width -= line.trim_start;
            offset -= line.trim_start;
        }
        if k == atoms.len() - 1 {
            width -= line.trim_end;
        }
        // Shrinking an opening mark's left blank moves its glyph left with it.
        if atom.class == Class::Open && placement.delta[k] < Abs::ZERO {
            offset += placement.delta[k];
        }
        text.push_str(&p.text[atom.range.clone()]);
        let seg = &p.segments[atom.seg];
        if atom.class != Class::Glue {
            if let Some(url) = &seg.link {
                match links.last_mut() {
                    Some((u, _, end)) if u == url => *end = x + width,
                    _ => links.push((url.clone(), x, x + width)),
                }
            }
            if seg.underline || seg.strike {
                decorations.push((seg.strike, x, x + width, atom.size));
            }
        }
        if !atom.glyphs.is_empty() {
            let note = seg.note;
            if let Some(tag) = note.filter(|t| !t.label && !notes.contains(&t.index)) {
                notes.push(tag.index);
            }
            let same = run.as_ref().is_some_and(|r| {
                r.face == atom.face
                    && r.size == atom.size
                    && r.synthetic_bold == atom.synthetic_bold
                    && r.rise == atom.rise
                    && r.note == note
            });
            if !same {
                if let Some(r) = run.take() {
                    items.push(FrameItem::Text(r));
                }
                run = Some(TextRun {
                    baseline: baseline + atom.rise,
                    face: atom.face,
                    size: atom.size,
                    text: String::new(),
                    glyphs: Vec::new(),
                    synthetic_bold: atom.synthetic_bold,
                    rise: atom.rise,
                    note,
                });
            }
            let r = run.as_mut().expect("run started above");
            let base = r.text.len();
            r.text.push_str(&p.text[atom.range.clone()]);
            let mut pen = x + offset;
            let alternate = atom.line_start_form.filter(|_| k == 0 && !line.trim_start.is_zero());
            if let Some((id, advance)) = alternate {
                // The proportional form, right-aligned in what is left of the cell.
                let pen = x + (width - advance).max(Abs::ZERO);
                let range = base..r.text.len();
                r.glyphs.push(PlacedGlyph { id, x: pen, advance, x_offset: Abs::ZERO, y_offset: Abs::ZERO, range });
                x += width;
                continue;
            }
            for (gi, g) in p.glyphs[atom.glyphs.clone()].iter().enumerate() {
                // The cluster's text goes with its first glyph, so copy-paste gives it once.
                let range = if gi == 0 { base..r.text.len() } else { r.text.len()..r.text.len() };
                r.glyphs.push(PlacedGlyph {
                    id: g.id,
                    x: pen,
                    advance: atom.size * g.advance,
                    x_offset: atom.size * g.x_offset,
                    y_offset: atom.size * g.y_offset,
                    range,
                });
                pen += atom.size * g.advance;
            }
        }
        x += width;
    }
    if let Some(r) = run.take() {
        items.push(FrameItem::Text(r));
    }
    for (url, x0, x1) in links {
        let target = crate::frame::LinkTarget::Url(url);
        items.push(FrameItem::Link { rect_origin: Point::new(x0, Abs::ZERO), width: x1 - x0, height: pitch, target });
    }
    for (strike, x0, x1, size) in decorations {
        let y = if strike { baseline - size * 0.3 } else { baseline + size * 0.12 };
        items.push(FrameItem::Rule { from: Point::new(x0, y), length: x1 - x0, thickness: size * 0.05 });
    }
    LineBox { height: pitch, items, text, notes }
}
