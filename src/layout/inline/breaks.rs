//! Where a line may end: UAX #14 opportunities, tailored for Simplified Chinese (spec §3.2),
//! filtered by the strictness level (§3.3), with emergency breaks as a last resort (§3.6).

use unicode_linebreak::{BreakOpportunity, linebreaks};

use super::Preparation;
use super::cjk::{Class, no_line_end, no_line_start};
use crate::diag::Sink;
use crate::geom::Abs;

/// Whether and how a line may end at a boundary between two atoms.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum Break {
    /// Not here.
    No,
    /// Allowed, at this penalty (Knuth–Plass π).
    Allowed(f64),
    /// The line must end here (hard break, paragraph end).
    Mandatory,
}

/// Penalty of a break inside an unbreakable run that is wider than the line (§3.6).
pub const EMERGENCY_PENALTY: f64 = 5000.0;

/// The break kind of every atom boundary: index `k` is the boundary before atom `k`;
/// index `atoms.len()` is the paragraph end.
pub fn breakpoints(p: &Preparation<'_>, sink: &mut Sink) -> Vec<Break> {
    let n = p.atoms.len();
    let allowed = uax14_tailored(&p.text);
    let strictness = p.config.typo.strictness;
    let mut out = vec![Break::No; n + 1];
    out[n] = Break::Mandatory;
    for k in 1..n {
        let prev = &p.atoms[k - 1];
        if prev.class == Class::HardBreak {
            out[k] = Break::Mandatory;
            continue;
        }
        // A break at glue is taken before it (the glue then starts the next line and
        // vanishes); the boundary after glue is never a break.
        if prev.class == Class::Glue {
            continue;
        }
        let at = p.atoms[k].range.start;
        if !allowed.get(at).copied().unwrap_or(false) {
            continue;
        }
        let next = if p.atoms[k].class == Class::Glue {
            p.atoms.get(k + 1)
        } else {
            Some(&p.atoms[k])
        };
        let next_class = next.map_or(Class::Other, |a| a.class);
        // Prohibitions (spec §3.3): the class table decides, beyond what UAX #14 forbids.
        if prev.class != Class::Space
            && (no_line_start(next_class, strictness) || no_line_end(prev.class, strictness))
        {
            continue;
        }
        out[k] = Break::Allowed(0.0);
    }
    add_emergency_breaks(p, &mut out, sink);
    out
}

/// UAX #14 opportunities on the text with tailoring T1 (spec §3.2): curly quotes are
/// classed as opening/closing punctuation, as Typst's CJ segmenter does, by running the
/// algorithm on a copy where “‘ read as （ and ”’ as ） (same UTF-8 length). An apostrophe
/// inside a Latin word stays as it is. Returns, per byte, whether a break is allowed
/// before it.
fn uax14_tailored(text: &str) -> Vec<bool> {
    let mut tailored = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let apostrophe = c == '’'
            && prev.is_some_and(char::is_alphanumeric)
            && next.is_some_and(char::is_alphanumeric);
        tailored.push(match c {
            '“' | '‘' => '（',
            '”' | '’' if !apostrophe => '）',
            other => other,
        });
        prev = Some(c);
    }
    let mut allowed = vec![false; text.len() + 1];
    for (at, kind) in linebreaks(&tailored) {
        allowed[at] = matches!(
            kind,
            BreakOpportunity::Allowed | BreakOpportunity::Mandatory
        );
    }
    allowed
}

/// Spec §3.6 step 1: an unbreakable run wider than the measure may break after any
/// cluster, at a high cost, with a warning naming the line.
fn add_emergency_breaks(p: &Preparation<'_>, breaks: &mut [Break], sink: &mut Sink) {
    let measure = p.config.width;
    let n = p.atoms.len();
    let mut start = 0;
    let mut width = Abs::ZERO;
    for k in 1..=n {
        width += p.atoms[k - 1].cell.width;
        if breaks[k] == Break::No {
            continue;
        }
        if !measure.fits(width) {
            let strictness = p.config.typo.strictness;
            for b in start + 1..k {
                let class = p.atoms[b].class;
                if breaks[b] == Break::No
                    && class != Class::Glue
                    && !no_line_start(class, strictness)
                {
                    breaks[b] = Break::Allowed(EMERGENCY_PENALTY);
                }
            }
            let seg = &p.segments[p.atoms[start].seg];
            let snippet: String = p.text[p.atoms[start].range.start..p.atoms[k - 1].range.end]
                .chars()
                .take(24)
                .collect();
            sink.warn(
                Some(seg.span),
                format!("`{snippet}…` is wider than the line and is broken inside (no hyphen)"),
            );
        }
        start = k;
        width = Abs::ZERO;
    }
}
