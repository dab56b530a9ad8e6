//! Choosing the breaks: Knuth–Plass total fit (`linebreaks = optimized`, spec §6.3) or
//! first fit (`simple`, push-in before push-out, §6.2).

use super::Preparation;
use super::breaks::Break;
use super::cjk::Class;
use crate::geom::Abs;
use crate::style::{Linebreaks, PunctStyle};

/// What a candidate line measures, after trimming its edges (spec §4.4, §5.1).
#[derive(Copy, Clone, Debug)]
pub struct LineMetrics {
    /// First atom after leading glue/spaces.
    pub start: usize,
    /// One past the last atom before trailing glue/spaces.
    pub end: usize,
    /// Natural width after line-edge trimming.
    pub width: Abs,
    /// Total shrinkability (all tiers).
    pub shrink: Abs,
    /// Tier 1–2 stretchability (word spaces, glue).
    pub stretch: Abs,
    /// Number of justifiable gaps (tier 3).
    pub justifiables: usize,
    /// Width of non-punctuation content (for the 孤字 rule).
    pub content: Abs,
    /// Left blank trimmed from an opening mark at the start.
    pub trim_start: Abs,
    /// Right blank trimmed from a closing/stop mark at the end.
    pub trim_end: Abs,
    /// Width of a pause or stop mark hanging past the measure (`hanging-punct`, §4.5).
    pub hang: Abs,
}

/// Prefix sums over the atoms, so any line is measured in O(1).
pub struct Measurer<'a, 'p> {
    p: &'a Preparation<'p>,
    width: Vec<Abs>,
    shrink: Vec<Abs>,
    stretch: Vec<Abs>,
    justifiable: Vec<usize>,
    content: Vec<Abs>,
}

impl<'a, 'p> Measurer<'a, 'p> {
    /// Builds the prefix sums.
    pub fn new(p: &'a Preparation<'p>) -> Self {
        let n = p.atoms.len();
        let mut m = Measurer {
            p,
            width: Vec::with_capacity(n + 1),
            shrink: Vec::with_capacity(n + 1),
            stretch: Vec::with_capacity(n + 1),
            justifiable: Vec::with_capacity(n + 1),
            content: Vec::with_capacity(n + 1),
        };
        let (mut w, mut z, mut y, mut j, mut c) = (Abs::ZERO, Abs::ZERO, Abs::ZERO, 0, Abs::ZERO);
        m.push(w, z, y, j, c);
        for a in &p.atoms {
            w += a.cell.width;
            z += a.shrink;
            y += a.stretch;
            j += a.justifiable as usize;
            if !a.class.is_punct() {
                c += a.cell.width;
            }
            m.push(w, z, y, j, c);
        }
        m
    }

    fn push(&mut self, w: Abs, z: Abs, y: Abs, j: usize, c: Abs) {
        self.width.push(w);
        self.shrink.push(z);
        self.stretch.push(y);
        self.justifiable.push(j);
        self.content.push(c);
    }

    /// Measures the line of atoms `i..j`; `first` says whether it is the paragraph's first.
    pub fn measure(&self, i: usize, j: usize, first: bool) -> LineMetrics {
        let atoms = &self.p.atoms;
        let mut s = i;
        while s < j && atoms[s].class.is_discardable() {
            s += 1;
        }
        let mut e = j;
        while e > s && (atoms[e - 1].class.is_discardable() || atoms[e - 1].class == Class::HardBreak) {
            e -= 1;
        }
        let mut m = LineMetrics {
            start: s,
            end: e,
            width: self.width[e] - self.width[s],
            shrink: self.shrink[e] - self.shrink[s],
            stretch: self.stretch[e] - self.stretch[s],
            justifiables: self.justifiable[e] - self.justifiable[s],
            content: self.content[e] - self.content[s],
            trim_start: Abs::ZERO,
            trim_end: Abs::ZERO,
            hang: Abs::ZERO,
        };
        if e == s {
            return m;
        }
        let typo = &self.p.config.typo;
        let last = &atoms[e - 1];
        if last.justifiable {
            m.justifiables -= 1;
        }
        if typo.punct != PunctStyle::Plain {
            // Line end (spec §4.4): a closing or stop mark loses its right blank.
            if matches!(last.class, Class::Close | Class::Comma | Class::Period | Class::QuestionExclaim) {
                m.trim_end = last.cell.blank_right;
                m.width -= m.trim_end;
                m.shrink -= last.shrink.min(m.trim_end);
                // §4.5 `hanging-punct`: exactly one of 、，。． may protrude past the measure,
                // never a run of two marks.
                let single = e < 2 || !atoms[e - 2].class.is_punct();
                let hangable = matches!(&self.p.text[last.range.clone()], "、" | "，" | "。" | "．");
                if typo.hanging_punct && single && hangable {
                    m.hang = last.cell.width - m.trim_end;
                    m.width -= m.hang;
                }
            }
            // Line start: an opening mark loses its left blank, after the first-line indent
            // only when `trim-open-after-indent` is on.
            let head = &atoms[s];
            if head.class == Class::Open && (!first || typo.trim_open_after_indent) {
                // Without a proportional form, trim only as far as the glyph's box stays
                // inside the measure.
                m.trim_start = match head.line_start_form {
                    Some(_) => head.cell.blank_left,
                    None => head.cell.blank_left.min(head.cell.offset).max(Abs::ZERO),
                };
                m.width -= m.trim_start;
                let left_shrink = if s == e - 1 { head.shrink - last.shrink.min(m.trim_end) } else { head.shrink };
                m.shrink -= left_shrink.min(m.trim_start);
            }
        }
        m
    }

    /// The measure of a line (the first line is shorter by the indent).
    pub fn measure_width(&self, first: bool) -> Abs {
        let c = self.p.config;
        if first { c.width - c.first_indent } else { c.width - c.hang }
    }
}

/// The adjustment ratio of a line (spec §6.3), `None` when it cannot fit.
pub fn ratio(m: &LineMetrics, measure: Abs, em: Abs) -> Option<f64> {
    let delta = measure - m.width;
    if delta < Abs::ZERO {
        if m.shrink.is_zero() {
            return if delta.approx_eq(Abs::ZERO) { Some(0.0) } else { None };
        }
        let r = delta / m.shrink;
        return (r >= -1.0 - 1e-9).then_some(r);
    }
    if m.stretch.fits(delta) {
        return Some(if m.stretch.is_zero() { 0.0 } else { delta / m.stretch });
    }
    if m.justifiables == 0 {
        return Some(10.0);
    }
    // Extra stretch normalised by half an em per justifiable gap (Typst's raw_ratio).
    Some(1.0 + (delta - m.stretch) / (em * 0.5 * m.justifiables as f64))
}

/// Demerits of a break with ratio `r` and penalty `penalty` (spec §6.3): badness 100|r|³,
/// halved when shrinking so push-in wins over push-out (clreq “先挤进，后推出”), then
/// Knuth–Plass (1 + b + π)².
fn demerits(r: f64, penalty: f64) -> f64 {
    let r = r.clamp(-2.0, 10.0);
    let mut badness = 100.0 * r.abs().powi(3);
    if r < 0.0 {
        badness *= 0.5;
    }
    (1.0 + badness + penalty).powi(2)
}

/// Cost of an overfull line, used only when nothing fits.
const OVERFULL_COST: f64 = 1.0e12;

/// Picks the breaks; returns the boundaries that end each line (the last is the end).
pub fn linebreak(p: &Preparation<'_>, breaks: &[Break]) -> Vec<usize> {
    match p.config.typo.linebreaks {
        Linebreaks::Optimized if p.config.align == crate::style::Align::Justify => linebreak_optimized(p, breaks),
        _ => linebreak_simple(p, breaks),
    }
}

/// First fit: each line takes as much as fits, shrinking if it must (push-in before
/// push-out, spec §6.2).
fn linebreak_simple(p: &Preparation<'_>, breaks: &[Break]) -> Vec<usize> {
    let m = Measurer::new(p);
    let n = p.atoms.len();
    let em = p.config.font.size;
    let mut out = Vec::new();
    let mut i = 0;
    while i < n {
        let first = i == 0;
        let measure = m.measure_width(first);
        let mut best = None;
        let mut fallback = None;
        for j in i + 1..=n {
            if breaks[j] == Break::No {
                continue;
            }
            let line = m.measure(i, j, first);
            let fits = ratio(&line, measure, em).is_some();
            if fits {
                best = Some(j);
            } else {
                fallback.get_or_insert(j);
                break;
            }
            if breaks[j] == Break::Mandatory {
                break;
            }
        }
        let j = best.or(fallback).unwrap_or(n);
        out.push(j);
        i = j;
    }
    out
}

/// Knuth–Plass over all feasible breaks (spec §6.3), with the 孤字 rule (§6.5) as an
/// infinite penalty on a last line with under 2 em of content.
fn linebreak_optimized(p: &Preparation<'_>, breaks: &[Break]) -> Vec<usize> {
    let m = Measurer::new(p);
    let n = p.atoms.len();
    let em = p.config.font.size;
    let two_em = em * 2.0;
    let whole_content = m.measure(0, n, true).content;
    // best[k] = (total demerits, previous break) of the best way to break before atom k.
    let mut best: Vec<(f64, usize)> = vec![(f64::INFINITY, 0); n + 1];
    best[0] = (0.0, 0);
    let mut candidates: Vec<usize> = vec![0];
    let mut floor = 0; // no line may cross a mandatory break
    for j in 1..=n {
        let penalty = match breaks[j] {
            Break::No => continue,
            Break::Allowed(pen) => pen,
            Break::Mandatory => 0.0,
        };
        let mandatory = breaks[j] == Break::Mandatory;
        let paragraph_end = j == n;
        let mut chosen: Option<(f64, usize)> = None;
        let mut fallback: Option<(f64, usize)> = None;
        for &i in candidates.iter().rev() {
            if i < floor {
                break;
            }
            if best[i].0.is_infinite() {
                continue;
            }
            let first = i == 0;
            let line = m.measure(i, j, first);
            let measure = m.measure_width(first);
            let Some(r) = ratio(&line, measure, em) else {
                // Longer lines only get worse; keep the shortest overfull line in case
                // nothing fits at all.
                if chosen.is_none() {
                    fallback = Some((best[i].0 + OVERFULL_COST, i));
                }
                break;
            };
            let r = if mandatory && r > 0.0 { 0.0 } else { r };
            let mut cost = best[i].0 + demerits(r, penalty);
            // 孤字 (spec §6.5): the last line keeps at least two characters of content.
            if paragraph_end && i > 0 && whole_content.fits(two_em) && !line.content.fits(two_em - em * 0.01) {
                cost += OVERFULL_COST / 10.0;
            }
            if chosen.is_none_or(|(c, _)| cost < c) {
                chosen = Some((cost, i));
            }
        }
        if let Some(entry) = chosen.or(fallback) {
            best[j] = entry;
        }
        candidates.push(j);
        if mandatory {
            floor = j;
        }
    }
    let mut out = Vec::new();
    let mut k = n;
    while k > 0 {
        out.push(k);
        k = best[k].1;
    }
    out.reverse();
    out
}
