//! Pre-layout text normalisation (spec §1): soft breaks, spaces around Han and CJK
//! punctuation, leading ideographic spaces, number + unit.

use super::{Block, BlockKind, InlineKind};
use crate::diag::Span;

/// Whether the character is East Asian Wide/Fullwidth/Halfwidth and not Hangul: the CJK
/// side of the segment-break rule (CSS Text 3 §4.1.2, spec §1.1).
pub fn is_wide(c: char) -> bool {
    let u = c as u32;
    let hangul = (0x1100..=0x11FF).contains(&u) || (0xAC00..=0xD7AF).contains(&u) || (0x3130..=0x318F).contains(&u);
    !hangul
        && (matches!(u,
            0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xA000..=0xA4CF
            | 0xF900..=0xFAFF | 0xFE10..=0xFE19 | 0xFE30..=0xFE6F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6
            | 0x20000..=0x3FFFD)
            || (0xFF61..=0xFFDC).contains(&u))
}

/// Whether the character is a Han ideograph, 〇, or kana (spec §2 class HAN).
pub fn is_han_or_kana(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFD | 0x3007
        | 0x3041..=0x3096 | 0x30A1..=0x30FA | 0x31F0..=0x31FF | 0x3005)
}

/// Whether the character belongs to the *Latin class* of spec §5.1: Latin, Greek and
/// Cyrillic letters, ASCII digits, and `# $ % &`. Full-width forms are not Latin.
pub fn is_latin_class(c: char) -> bool {
    let u = c as u32;
    c.is_ascii_alphanumeric()
        || matches!(c, '#' | '$' | '%' | '&')
        || (c.is_alphabetic() && matches!(u, 0x00C0..=0x024F | 0x0370..=0x03FF | 0x0400..=0x04FF | 0x1E00..=0x1EFF))
}

/// Whether the character is CJK punctuation: full-width marks, and the ambiguous-width marks
/// that Chinese text sets with the CJK font (“ ” ‘ ’ · — … spec §1.1, §4.1).
pub fn is_cjk_punct(c: char) -> bool {
    let u = c as u32;
    matches!(u, 0x3000..=0x303F | 0xFE10..=0xFE1F | 0xFE30..=0xFE4F | 0xFE50..=0xFE6B)
        || (matches!(u, 0xFF01..=0xFF0F | 0xFF1A..=0xFF20 | 0xFF3B..=0xFF40 | 0xFF5B..=0xFF65))
        || matches!(c, '“' | '”' | '‘' | '’' | '·' | '—' | '…' | '‥' | '⋯' | '⸺' | '⸻' | '‼' | '⁇' | '⁈' | '⁉')
}

/// Stands for a footnote mark while normalising: white space before it goes (the mark is
/// glued to the preceding character, spec §10.8).
const NOTE_MARK: char = '\u{E001}';

/// Units that stay on the line of their number (spec §1.7).
const UNITS: &[&str] = &[
    "km", "m", "cm", "mm", "μm", "nm", "kg", "g", "mg", "t", "s", "ms", "μs", "h", "min", "Hz", "kHz", "MHz", "GHz",
    "V", "mV", "A", "mA", "W", "kW", "J", "kJ", "K", "Pa", "kPa", "MPa", "L", "mL", "dB", "B", "KB", "MB", "GB", "TB",
    "°C",
];

/// What becomes of a run of white space between two characters.
#[derive(Debug, PartialEq, Eq)]
enum SpaceFate {
    /// Removed (the layout adds CJK–Latin glue where it belongs).
    Delete,
    /// One word space.
    Space,
    /// One no-break space (number + unit).
    NoBreak,
}

/// Decides a white-space run from its neighbours (spec §1.1–§1.4, §1.7). `after` is the
/// text that follows the run, for the unit check.
fn space_fate(
    before: Option<char>,
    before2: Option<char>,
    after: Option<char>,
    after2: Option<char>,
    rest: &str,
) -> SpaceFate {
    let (Some(a), Some(b)) = (before, after) else {
        return SpaceFate::Delete;
    };
    // §1.1 and §1.4: between two wide characters (Han, kana, full-width marks).
    if is_wide(a) && is_wide(b) {
        return SpaceFate::Delete;
    }
    // §1.3: next to CJK punctuation. The ambiguous quotes count when they sit in Chinese
    // text (a wide character touches them); the em dash and ellipsis are Chinese marks
    // wherever they stand in a Chinese essay (`2021 —2035 年`).
    let ambiguous_in_cjk = |mark: char, other: Option<char>| {
        is_cjk_punct(mark)
            && (is_wide(mark)
                || matches!(mark, '—' | '…')
                || other.is_some_and(is_wide)
                || is_wide(if mark == a { b } else { a }))
    };
    if ambiguous_in_cjk(a, before2) || ambiguous_in_cjk(b, after2) {
        return SpaceFate::Delete;
    }
    // §1.2: Han/kana next to the Latin class: the glue replaces the space.
    if (is_han_or_kana(a) && is_latin_class(b)) || (is_latin_class(a) && is_han_or_kana(b)) {
        return SpaceFate::Delete;
    }
    // §1.7: number + unit.
    if a.is_ascii_digit() {
        let word: String = rest.chars().take_while(|c| c.is_alphabetic() || *c == '°' || *c == 'μ').collect();
        if UNITS.contains(&word.as_str()) {
            return SpaceFate::NoBreak;
        }
    }
    SpaceFate::Space
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// A finding of normalisation, for a warning.
pub struct Note {
    /// Where (approximately: the run's start plus the character's offset).
    pub span: Span,
    /// What was found.
    pub message: String,
}

/// Normalises the text of one block in place. Code keeps its text verbatim. Returns what
/// the instructor-facing checks found (spec §1.6, §12).
pub fn normalize_block(block: &mut Block) -> Vec<Note> {
    let mut notes = Vec::new();
    if block.kind == BlockKind::Code {
        return notes;
    }
    check_punctuation(block, &mut notes);
    pair_straight_quotes(block, &mut notes);
    // Flatten to characters with their run, so rules see across style boundaries.
    // A hard break is a boundary: white space next to it is dropped.
    let mut chars: Vec<(usize, char)> = Vec::new();
    for (run, inline) in block.inlines.iter().enumerate() {
        match &inline.kind {
            InlineKind::Text(t) if inline.style.code => {
                // Code is one opaque Latin-class unit for its neighbours; its own spaces stay.
                chars.extend(t.chars().map(|c| (run, if is_space(c) { '\u{E000}' } else { c })));
            }
            InlineKind::Text(t) => chars.extend(t.chars().map(|c| (run, c))),
            InlineKind::HardBreak => chars.push((run, '\u{2028}')),
            InlineKind::NoteRef(_) => chars.push((run, NOTE_MARK)),
        }
    }
    let code_space = |i: usize, chars: &[(usize, char)]| chars[i].1 == '\u{E000}';
    let mut out: Vec<(usize, char)> = Vec::with_capacity(chars.len());
    let mut i = 0;
    let text: String = chars.iter().map(|&(_, c)| c).collect();
    let byte_at: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    while i < chars.len() {
        if !is_space(chars[i].1) {
            if code_space(i, &chars) {
                out.push((chars[i].0, ' '));
            } else {
                out.push(chars[i]);
            }
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_space(chars[i].1) {
            i += 1;
        }
        let real = |c: char| c != '\u{2028}';
        let before = out.last().map(|&(_, c)| c).filter(|&c| real(c));
        let before2 = out.len().checked_sub(2).map(|k| out[k].1);
        let after = chars.get(i).map(|&(_, c)| c).filter(|&c| real(c));
        let after2 = chars.get(i + 1).map(|&(_, c)| c);
        let rest = byte_at.get(i).map_or("", |&b| &text[b..]);
        // A title written as two phrases with a space between them keeps that space, as the
        // author typed and saw it; in running text the space goes (spec §1.4).
        let title_gap =
            block.kind == BlockKind::Title && before.is_some_and(is_han_or_kana) && after.is_some_and(is_han_or_kana);
        let fate = if after == Some(NOTE_MARK) || before == Some(NOTE_MARK) && after.is_some_and(is_wide) {
            SpaceFate::Delete
        } else {
            space_fate(before, before2, after, after2, rest)
        };
        match fate {
            SpaceFate::Delete if title_gap => out.push((chars[start].0, ' ')),
            SpaceFate::Delete => {}
            SpaceFate::Space => out.push((chars[start].0, ' ')),
            SpaceFate::NoBreak => out.push((chars[start].0, '\u{a0}')),
        }
    }
    // §1.5: leading ideographic spaces of an indented paragraph would double the indent.
    if matches!(block.kind, BlockKind::Paragraph | BlockKind::Quote) {
        let lead = out.iter().take_while(|&&(_, c)| c == '\u{3000}' || c == '\u{a0}').count();
        out.drain(..lead);
    }
    // Rebuild the runs.
    let mut texts: Vec<String> = vec![String::new(); block.inlines.len()];
    for (run, c) in out {
        if c != '\u{2028}' && c != NOTE_MARK {
            texts[run].push(c);
        }
    }
    for (inline, text) in block.inlines.iter_mut().zip(texts) {
        if let InlineKind::Text(t) = &mut inline.kind {
            *t = text;
        }
    }
    block.inlines.retain(|i| !matches!(&i.kind, InlineKind::Text(t) if t.is_empty()));
    notes
}

/// The source span of byte `at` of a run's text (exact when the run's text is the source's).
fn span_at(inline: &super::Inline, at: usize) -> Span {
    let start = inline.span.start as usize + at;
    Span::new(start..start + 1)
}

/// Spec §1.6: ASCII `,.;:?!()` next to a Han character and full-width ASCII letters or
/// digits (Ａ１) are reported, never rewritten. One note per kind per block.
fn check_punctuation(block: &Block, notes: &mut Vec<Note>) {
    let (mut ascii, mut fullwidth) = (false, false);
    for inline in &block.inlines {
        let InlineKind::Text(t) = &inline.kind else { continue };
        if inline.style.code {
            continue;
        }
        let chars: Vec<(usize, char)> = t.char_indices().collect();
        for (k, &(at, c)) in chars.iter().enumerate() {
            let prev = k.checked_sub(1).map(|k| chars[k].1);
            let next = chars.get(k + 1).map(|&(_, c)| c);
            let near_han = prev.is_some_and(is_han_or_kana) || next.is_some_and(is_han_or_kana);
            // `2.5` and `1,000` are numbers, not punctuation.
            let numeric = matches!(c, '.' | ',' | ':')
                && prev.is_some_and(|p| p.is_ascii_digit())
                && next.is_some_and(|n| n.is_ascii_digit());
            if !ascii && near_han && !numeric && matches!(c, ',' | '.' | ';' | ':' | '?' | '!' | '(' | ')') {
                ascii = true;
                let wide = match c {
                    ',' => '，',
                    '.' => '。',
                    ';' => '；',
                    ':' => '：',
                    '?' => '？',
                    '!' => '！',
                    '(' => '（',
                    _ => '）',
                };
                notes.push(Note {
                    span: span_at(inline, at),
                    message: format!(
                        "ASCII `{c}` next to Chinese text; Chinese text uses full-width `{wide}` (GB/T 15834)"
                    ),
                });
            }
            if !fullwidth && matches!(c as u32, 0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A) {
                fullwidth = true;
                notes.push(Note {
                    span: span_at(inline, at),
                    message: format!("full-width letter or digit `{c}`; use the ASCII form in Chinese text"),
                });
            }
        }
    }
}

/// Spec §1.6: straight quotes `"…"` whose inner text begins or ends with a Han character
/// become “…” (and `'…'` become ‘…’); apostrophes inside Latin words are left alone.
fn pair_straight_quotes(block: &mut Block, notes: &mut Vec<Note>) {
    for (quote, open, close) in [('"', '“', '”'), ('\'', '‘', '’')] {
        // Positions (run, byte) of the quote characters, skipping apostrophes.
        let mut marks: Vec<(usize, usize)> = Vec::new();
        let all: Vec<(usize, usize, char)> = block
            .inlines
            .iter()
            .enumerate()
            .filter(|(_, i)| !i.style.code)
            .flat_map(|(r, i)| match &i.kind {
                InlineKind::Text(t) => t.char_indices().map(|(b, c)| (r, b, c)).collect::<Vec<_>>(),
                InlineKind::HardBreak | InlineKind::NoteRef(_) => Vec::new(),
            })
            .collect();
        for (k, &(r, b, c)) in all.iter().enumerate() {
            let alnum = |i: Option<&(usize, usize, char)>| i.is_some_and(|&(_, _, c)| c.is_ascii_alphanumeric());
            let apostrophe = c == '\'' && alnum(k.checked_sub(1).and_then(|k| all.get(k))) && alnum(all.get(k + 1));
            if c == quote && !apostrophe {
                marks.push((r, b));
            }
        }
        let char_after = |&(r, b): &(usize, usize)| all.iter().find(|&&(rr, bb, _)| (rr, bb) > (r, b)).map(|x| x.2);
        let char_before =
            |&(r, b): &(usize, usize)| all.iter().take_while(|&&(rr, bb, _)| (rr, bb) < (r, b)).last().map(|x| x.2);
        let mut changed = None;
        for pair in marks.chunks_exact(2) {
            let inner_first = char_after(&pair[0]);
            let inner_last = char_before(&pair[1]);
            if inner_first.is_some_and(is_han_or_kana) || inner_last.is_some_and(is_han_or_kana) {
                changed = Some(pair[0]);
                break;
            }
        }
        if let Some((r, b)) = changed {
            notes.push(Note {
                span: span_at(&block.inlines[r], b),
                message: format!("straight quotes {quote}…{quote} around Chinese text are set as {open}…{close}"),
            });
            pair_straight_quotes_rest(block, quote, open, close);
        }
    }
}

/// Converts every straight-quote pair around Han text, first to last.
fn pair_straight_quotes_rest(block: &mut Block, quote: char, open: char, close: char) {
    loop {
        let mut found = false;
        let text: String = block.plain_text();
        let chars: Vec<char> = text.chars().collect();
        let mut positions = Vec::new();
        for (k, &c) in chars.iter().enumerate() {
            let alnum = |i: Option<&char>| i.is_some_and(|c| c.is_ascii_alphanumeric());
            let apostrophe = c == '\'' && alnum(k.checked_sub(1).and_then(|k| chars.get(k))) && alnum(chars.get(k + 1));
            if c == quote && !apostrophe {
                positions.push(k);
            }
        }
        for pair in positions.chunks_exact(2) {
            let inside = (chars.get(pair[0] + 1).copied(), chars.get(pair[1].wrapping_sub(1)).copied());
            if inside.0.is_some_and(is_han_or_kana) || inside.1.is_some_and(is_han_or_kana) {
                replace_nth_char(block, pair[1], close);
                replace_nth_char(block, pair[0], open);
                found = true;
                break;
            }
        }
        if !found {
            return;
        }
    }
}

/// Replaces the `n`-th character of the block's plain text.
fn replace_nth_char(block: &mut Block, mut n: usize, with: char) {
    for inline in &mut block.inlines {
        let t = match &mut inline.kind {
            InlineKind::Text(t) => t,
            InlineKind::HardBreak => {
                n = n.saturating_sub(1);
                continue;
            }
            InlineKind::NoteRef(_) => continue,
        };
        let count = t.chars().count();
        if n < count {
            let (b, c) = t.char_indices().nth(n).expect("index checked");
            t.replace_range(b..b + c.len_utf8(), with.encode_utf8(&mut [0; 4]));
            return;
        }
        n -= count;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use crate::model::{BlockOverrides, Inline, InlineStyle};

    fn block(kind: BlockKind, text: &str) -> Block {
        Block {
            kind,
            inlines: vec![Inline {
                kind: InlineKind::Text(text.into()),
                style: InlineStyle::default(),
                link: None,
                span: Span::default(),
            }],
            overrides: BlockOverrides::default(),
            span: Span::default(),
        }
    }

    /// The paragraph's text after normalisation.
    fn norm(text: &str) -> String {
        let mut b = block(BlockKind::Paragraph, text);
        normalize_block(&mut b);
        b.plain_text()
    }

    /// What normalisation reports about the paragraph.
    fn notes(text: &str) -> Vec<String> {
        normalize_block(&mut block(BlockKind::Paragraph, text)).into_iter().map(|n| n.message).collect()
    }

    #[test]
    fn straight_quotes_around_chinese_become_curly() {
        assert_eq!(norm("实现\"一体化配置\"，对人才实行\"三个配套\"。"), "实现“一体化配置”，对人才实行“三个配套”。");
        assert_eq!(norm("he said \"hi\" and it's fine"), "he said \"hi\" and it's fine");
        assert_eq!(norm("这是'单引号'测试"), "这是‘单引号’测试");
        assert_eq!(notes("实现\"一体化\"").len(), 1);
    }

    #[test]
    fn ascii_punctuation_and_fullwidth_letters_are_reported() {
        let n = notes("我们,然后(注意)结束.数字3.14和1,000不算");
        assert_eq!(n.len(), 1, "{n:?}");
        assert!(n[0].contains("，"));
        assert!(notes("数字3.14和1,000不算。").is_empty());
        assert!(notes("使用ＡＢＣ公司").iter().any(|m| m.contains("full-width")));
    }

    #[test]
    fn soft_break_between_cjk_disappears() {
        // spec §13 case 12 and CSS-SEG
        assert_eq!(norm("一些\n中文"), "一些中文");
        assert_eq!(norm("数据\nanalysis"), "数据analysis");
        assert_eq!(norm("two\nwords"), "two words");
        assert_eq!(norm("测试“\n引号”"), "测试“引号”");
    }

    #[test]
    fn spaces_next_to_han_and_cjk_punct_go() {
        assert_eq!(norm("使用 Python 编写"), "使用Python编写");
        assert_eq!(norm("提 出更高要求"), "提出更高要求");
        assert_eq!(norm("（ GDP ）"), "（GDP）");
        assert_eq!(norm("， English"), "，English");
        assert_eq!(norm("为 3% ，低于"), "为3%，低于");
        assert_eq!(norm("2021 —2035 年"), "2021—2035年");
        assert_eq!(norm("hello   world"), "hello world");
    }

    #[test]
    fn a_title_keeps_its_phrase_gap() {
        let mut b = block(BlockKind::Title, "深刻理解新质生产力 把握新时代发展动能");
        normalize_block(&mut b);
        assert_eq!(b.plain_text(), "深刻理解新质生产力 把握新时代发展动能");
    }

    #[test]
    fn leading_ideographic_space_is_stripped() {
        assert_eq!(norm("　　正文"), "正文");
        assert_eq!(norm("摘　要"), "摘　要");
    }

    #[test]
    fn number_and_unit_stay_together() {
        assert_eq!(norm("speed 5 km per hour"), "speed 5\u{a0}km per hour");
        assert_eq!(norm("version 5 kinds"), "version 5 kinds");
    }

    #[test]
    fn classes() {
        assert!(is_wide('中') && is_wide('，') && !is_wide('a') && !is_wide('한'));
        assert!(is_latin_class('A') && is_latin_class('7') && is_latin_class('%') && !is_latin_class('Ａ'));
        assert!(is_cjk_punct('“') && is_cjk_punct('。') && !is_cjk_punct(','));
    }
}
