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
        // A slash between Latin letters (`EB/OL`, `km/h`) keeps its word whole; inside a URL
        // the URL rules below decide.
        let before = p.text[..at].chars().next_back();
        let before2 = p.text[..at].chars().rev().nth(1);
        let after = p.text[at..].chars().next();
        if before == Some('/')
            && before2.is_some_and(|c| c.is_ascii_alphanumeric())
            && after.is_some_and(|c| c.is_ascii_alphanumeric())
        {
            continue;
        }
        let next = if p.atoms[k].class == Class::Glue { p.atoms.get(k + 1) } else { Some(&p.atoms[k]) };
        let next_class = next.map_or(Class::Other, |a| a.class);
        // Prohibitions (spec §3.3): the class table decides, beyond what UAX #14 forbids.
        if prev.class != Class::Space && (no_line_start(next_class, strictness) || no_line_end(prev.class, strictness))
        {
            continue;
        }
        out[k] = Break::Allowed(0.0);
    }
    if p.config.typo.ellipsis_own_line {
        ellipsis_lines(p, &mut out);
    }
    let urls = url_ranges(&p.text);
    add_url_breaks(p, &urls, &mut out);
    add_long_segment_breaks(p, &urls, &mut out);
    add_emergency_breaks(p, &mut out, sink);
    out
}

/// GB/T 15834 5.1.5 (`ellipsis-own-line`): two ellipsis pairs (…………) form a line of their
/// own: mandatory breaks before and after them.
fn ellipsis_lines(p: &Preparation<'_>, breaks: &mut [Break]) {
    let n = p.atoms.len();
    let is_dot = |k: usize| matches!(&p.text[p.atoms[k].range.clone()], "…" | "……" | "⋯" | "⋯⋯");
    let mut k = 0;
    while k < n {
        if !is_dot(k) {
            k += 1;
            continue;
        }
        let start = k;
        let mut chars = 0;
        while k < n && is_dot(k) {
            chars += p.text[p.atoms[k].range.clone()].chars().count();
            k += 1;
        }
        if chars >= 4 {
            if start > 0 {
                breaks[start] = Break::Mandatory;
            }
            breaks[k] = Break::Mandatory;
        }
    }
}

/// Penalty of a URL break that is not after `/` (spec §3.5: prefer breaking after `/`).
const URL_PENALTY: f64 = 50.0;

/// Byte ranges of URLs in the text: `scheme://…` and `www.…`, up to white space or a
/// wide (CJK) character.
pub fn url_ranges(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut out = Vec::new();
    let mut from = 0;
    while from < text.len() {
        let rest = &text[from..];
        let scheme = rest.find("://").and_then(|i| {
            let start = rest[..i].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.'));
            let start = start.map_or(0, |s| s + rest[s..].chars().next().map_or(1, char::len_utf8));
            (start < i).then_some(start)
        });
        let www = rest.find("www.");
        let Some(start) = [scheme, www].into_iter().flatten().min() else {
            break;
        };
        let start = from + start;
        let end = text[start..]
            .find(|c: char| c.is_whitespace() || crate::model::is_wide(c) || matches!(c, '"' | '<' | '>'))
            .map_or(text.len(), |e| start + e);
        // A URL does not end with sentence punctuation.
        let end = start + text[start..end].trim_end_matches(['.', ',', ';', ':', '!', '?', ')']).len();
        if end > start {
            out.push(start..end);
        }
        from = end.max(start + 1);
    }
    out
}

/// Break opportunities inside URLs (spec §3.5, Typst's `linebreak_link`): after `://`,
/// after a non-alphanumeric character followed by an alphanumeric one, between two
/// non-alphanumerics, at letter↔digit changes; never right after `(` or `[`. No hyphen is
/// added. Breaks after `/` cost nothing, the others a little.
fn add_url_breaks(p: &Preparation<'_>, urls: &[std::ops::Range<usize>], breaks: &mut [Break]) {
    for url in urls.iter().cloned() {
        let s = &p.text[url.clone()];
        let body_start = s.find("://").map_or(0, |i| i + 3);
        for k in 1..p.atoms.len() {
            let at = p.atoms[k].range.start;
            if at <= url.start + body_start || at >= url.end {
                continue;
            }
            let prev = p.text[..at].chars().next_back().unwrap_or(' ');
            let next = p.text[at..].chars().next().unwrap_or(' ');
            let alnum = |c: char| c.is_ascii_alphanumeric();
            let allowed = match (alnum(prev), alnum(next)) {
                (false, true) => !matches!(prev, '(' | '['),
                (false, false) => !matches!(prev, '(' | '['),
                (true, true) => prev.is_ascii_digit() != next.is_ascii_digit(),
                (true, false) => false,
            };
            breaks[k] = if allowed { Break::Allowed(if prev == '/' { 0.0 } else { URL_PENALTY }) } else { Break::No };
        }
        // The boundary before the URL's first character stays as UAX #14 says.
    }
}

/// Penalty of a break inside a long URL segment or identifier (spec §3.5 rule 5): high
/// enough that it is taken only when the line would otherwise be loose or ragged.
const LONG_SEGMENT_PENALTY: f64 = 200.0;

/// Spec §3.5 rule 5: a URL segment of 16 bytes or more, and likewise a long run of letters
/// and digits that mixes both (a hash or an ID, not a word), may break after any character.
/// Inside a URL any other boundary is a last resort too (USTC's `xurl` setting, spec
/// §3.5): at a high penalty, so it is taken only where the line could not be justified
/// otherwise (a URL has no gaps to stretch).
fn add_long_segment_breaks(p: &Preparation<'_>, urls: &[std::ops::Range<usize>], breaks: &mut [Break]) {
    let n = p.atoms.len();
    let mut start = 0;
    for k in 1..=n {
        if k < n && breaks[k] == Break::No && p.atoms[k].class != Class::Glue && p.atoms[k - 1].class != Class::Glue {
            continue;
        }
        let (a, b) = (p.atoms[start].range.start, p.atoms[k - 1].range.end);
        let seg = &p.text[a..b];
        let in_url = urls.iter().any(|u| u.start <= a && b <= u.end);
        let ident = seg.len() >= 24
            && seg.chars().all(|c| c.is_ascii_alphanumeric())
            && seg.chars().any(|c| c.is_ascii_digit())
            && seg.chars().any(|c| c.is_ascii_alphabetic());
        if in_url || ident {
            let strictness = p.config.typo.strictness;
            for b in start + 1..k {
                let class = p.atoms[b].class;
                if breaks[b] == Break::No && class != Class::Glue && !no_line_start(class, strictness) {
                    breaks[b] = Break::Allowed(LONG_SEGMENT_PENALTY);
                }
            }
        }
        start = k;
    }
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
        let apostrophe = c == '’' && prev.is_some_and(char::is_alphanumeric) && next.is_some_and(char::is_alphanumeric);
        tailored.push(match c {
            '“' | '‘' => '（',
            '”' | '’' if !apostrophe => '）',
            other => other,
        });
        prev = Some(c);
    }
    let mut allowed = vec![false; text.len() + 1];
    for (at, kind) in linebreaks(&tailored) {
        allowed[at] = matches!(kind, BreakOpportunity::Allowed | BreakOpportunity::Mandatory);
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
                if breaks[b] == Break::No && class != Class::Glue && !no_line_start(class, strictness) {
                    breaks[b] = Break::Allowed(EMERGENCY_PENALTY);
                }
            }
            let seg = &p.segments[p.atoms[start].seg];
            let snippet: String =
                p.text[p.atoms[start].range.start..p.atoms[k - 1].range.end].chars().take(24).collect();
            sink.warn(Some(seg.span), format!("`{snippet}…` is wider than the line and is broken inside (no hyphen)"));
        }
        start = k;
        width = Abs::ZERO;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_urls_in_chinese_text() {
        let t = "详见https://example.com/a?x=1。又见www.w3.org/TR/clreq，完。";
        let r = url_ranges(t);
        assert_eq!(&t[r[0].clone()], "https://example.com/a?x=1");
        assert_eq!(&t[r[1].clone()], "www.w3.org/TR/clreq");
    }
}
