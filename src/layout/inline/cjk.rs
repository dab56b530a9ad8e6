//! Chinese typography rules on atoms: character classes (spec §2), punctuation widths and
//! compression (§4, clreq 3.1.6), and the strictness prohibitions (§3.3).

use crate::geom::Abs;
use crate::style::{PunctStyle, Strictness};

/// The class of an atom for breaking and adjustment (spec §2).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Class {
    /// Han ideograph, 〇 or kana.
    Han,
    /// Opening bracket or quote (OPEN).
    Open,
    /// Closing bracket or quote (CLOSE).
    Close,
    /// Pause or stop mark: ，、；：(comma-like).
    Comma,
    /// Sentence-end mark: 。．
    Period,
    /// ？！ (GB: left of the em box, runs set 1 em per pair).
    QuestionExclaim,
    /// ‼ ⁇ ⁈ ⁉: fixed 1 em.
    DoubleMark,
    /// Interpunct · (MIDDLE).
    Middle,
    /// Connector – — ～ (a single em dash).
    Connector,
    /// One half of a —— or …… pair, or ⸺ ⸻ ‥ (LONG).
    Long,
    /// Solidus / ／ in CJK context.
    Solidus,
    /// Iteration mark 々 〻.
    Iter,
    /// Latin, Greek, Cyrillic letters and digits, other Western text.
    Latin,
    /// Western punctuation `, . ; : ! ? ) ] }` — never at line start.
    LatinClose,
    /// Western opening `( [ {` — never at line end.
    LatinOpen,
    /// A word space.
    Space,
    /// CJK–Latin glue (spec §5).
    Glue,
    /// A hard line break.
    HardBreak,
    /// A footnote or citation mark (REFMARK): glued to what precedes it.
    RefMark,
    /// Anything else (symbols, U+3000).
    Other,
}

impl Class {
    /// Whether the atom is full-width CJK punctuation whose blank can be adjusted.
    pub fn is_adjustable_punct(self) -> bool {
        matches!(self, Class::Open | Class::Close | Class::Comma | Class::Period | Class::QuestionExclaim)
    }

    /// Whether the atom is punctuation (for the 孤字 rule, spec §6.5).
    pub fn is_punct(self) -> bool {
        !matches!(self, Class::Han | Class::Latin | Class::Other | Class::Iter)
    }

    /// Whether the atom disappears at a line edge.
    pub fn is_discardable(self) -> bool {
        matches!(self, Class::Space | Class::Glue)
    }
}

/// Classifies a character; `cjk` says whether it sits in CJK context (a neighbour is Han or
/// CJK punctuation), which decides the ambiguous marks (spec §2 notes, T2–T4).
pub fn classify(c: char, prev: Option<char>, next: Option<char>, cjk: bool) -> Class {
    match c {
        '“' | '‘' | '（' | '［' | '｛' | '〈' | '《' | '「' | '『' | '【' | '〔' | '〖' | '〘' | '〚' | '〝' | '｟'
        | '｢' => Class::Open,
        '”' | '’' | '）' | '］' | '｝' | '〉' | '》' | '」' | '』' | '】' | '〕' | '〗' | '〙' | '〛' | '〞' | '〟'
        | '｠' | '｣' => Class::Close,
        '、' | '，' | '：' | '；' | '﹐' | '﹑' | '﹔' | '﹕' | '､' => Class::Comma,
        '。' | '．' | '﹒' | '｡' => Class::Period,
        '？' | '！' | '﹖' | '﹗' => Class::QuestionExclaim,
        '‼' | '⁇' | '⁈' | '⁉' => Class::DoubleMark,
        '·' | '・' | '‧' | '･' if cjk => Class::Middle,
        '—' if prev == Some('—') || next == Some('—') => Class::Long,
        '…' if prev == Some('…') || next == Some('…') => Class::Long,
        '⋯' if prev == Some('⋯') || next == Some('⋯') => Class::Long,
        '⸺' | '⸻' | '‥' => Class::Long,
        '—' | '–' | '～' | '〜' => Class::Connector,
        '~' if cjk => Class::Connector,
        '/' | '／' if cjk => Class::Solidus,
        '々' | '〻' | 'ゝ' | 'ゞ' | 'ヽ' | 'ヾ' => Class::Iter,
        ',' | '.' | ':' | ';' | '!' | '?' | ')' | ']' | '}' | '%' => Class::LatinClose,
        '(' | '[' | '{' => Class::LatinOpen,
        ' ' | '\u{a0}' => Class::Space,
        '\n' => Class::HardBreak,
        c if crate::model::is_han_or_kana(c) => Class::Han,
        c if c.is_alphanumeric() => Class::Latin,
        _ => Class::Other,
    }
}

/// Whether a line may not start with this class at the given strictness (spec §3.3).
pub fn no_line_start(class: Class, strictness: Strictness) -> bool {
    let basic = matches!(
        class,
        Class::Close
            | Class::Comma
            | Class::Period
            | Class::QuestionExclaim
            | Class::DoubleMark
            | Class::Connector
            | Class::Middle
            | Class::Solidus
            | Class::Iter
            | Class::LatinClose
    );
    // T5 (spec §3.2): never break before a reference mark, at any level.
    if class == Class::RefMark {
        return true;
    }
    match strictness {
        Strictness::None => false,
        Strictness::Basic | Strictness::Gb => basic,
        Strictness::Strict => basic || class == Class::Long,
    }
}

/// Whether a line may not end with this class at the given strictness (spec §3.3).
pub fn no_line_end(class: Class, strictness: Strictness) -> bool {
    match strictness {
        Strictness::None => false,
        Strictness::Basic => matches!(class, Class::Open | Class::LatinOpen),
        Strictness::Gb | Strictness::Strict => {
            matches!(class, Class::Open | Class::LatinOpen | Class::Solidus)
        }
    }
}

/// The width cell of a punctuation atom before compression.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Cell {
    /// Width the atom occupies in the line.
    pub width: Abs,
    /// Where the glyph's origin sits inside the cell.
    pub offset: Abs,
    /// Adjustable blank on the left.
    pub blank_left: Abs,
    /// Adjustable blank on the right.
    pub blank_right: Abs,
}

/// Places a punctuation glyph of natural advance `advance` in its GB cell (spec §4.1–§4.2):
/// OPEN right-aligned in 1 em with a ½-em left blank, CLOSE and stops left-aligned with a
/// ½-em right blank, MIDDLE centred in ½ em. Faces whose quotes are narrower than 1 em
/// (LXGW's “” are 0.35 em) get the full cell all the same.
pub fn punct_cell(class: Class, advance: Abs, em: Abs) -> Option<Cell> {
    let half = em * 0.5;
    let cell = match class {
        Class::Open => {
            Cell { width: em, offset: (em - advance).max(Abs::ZERO), blank_left: half, blank_right: Abs::ZERO }
        }
        Class::Close | Class::Comma | Class::Period | Class::QuestionExclaim => {
            Cell { width: em, offset: Abs::ZERO, blank_left: Abs::ZERO, blank_right: half }
        }
        Class::DoubleMark => {
            Cell { width: em, offset: (em - advance) * 0.5, blank_left: Abs::ZERO, blank_right: Abs::ZERO }
        }
        // GB 15834: the interpunct takes half a character (spec §2).
        Class::Middle => {
            Cell { width: half, offset: (half - advance) * 0.5, blank_left: Abs::ZERO, blank_right: Abs::ZERO }
        }
        _ => return None,
    };
    Some(cell)
}

/// A punctuation atom as the width rules see it.
pub struct PunctSlot<'a> {
    /// Its class.
    pub class: Class,
    /// Its cell, adjusted in place.
    pub cell: &'a mut Cell,
}

/// Applies the punctuation style to a run of consecutive punctuation atoms (spec §4.3):
/// adjacent marks that together take 2 em are set in 1.5 em, ？！ pairs take 1 em and
/// triples 2 em (GB 15834 5.1.2); 开明/半角 styles set marks at half width.
pub fn adjust_punct_run(run: &mut [PunctSlot<'_>], style: PunctStyle, em: Abs) {
    let half = em * 0.5;
    match style {
        PunctStyle::Plain => {
            for s in run.iter_mut() {
                s.cell.blank_left = Abs::ZERO;
                s.cell.blank_right = Abs::ZERO;
            }
            return;
        }
        PunctStyle::Banjiao | PunctStyle::Kaiming => {
            for s in run.iter_mut() {
                let keep_full =
                    style == PunctStyle::Kaiming && matches!(s.class, Class::Period | Class::QuestionExclaim);
                if !keep_full {
                    trim_left(s.cell, s.cell.blank_left);
                    trim_right(s.cell, s.cell.blank_right);
                }
            }
        }
        PunctStyle::Quanjiao => {}
    }
    // ？！ runs (GB 15834 5.1.2): two marks take 1 em, three take 2 em.
    let mut i = 0;
    while i < run.len() {
        let mut j = i;
        while j < run.len() && run[j].class == Class::QuestionExclaim {
            j += 1;
        }
        let n = j - i;
        if n >= 2 {
            let halves = if n == 2 { 2 } else { n - 1 };
            for s in &mut run[i..i + halves] {
                let b = s.cell.blank_right;
                trim_right(s.cell, b);
            }
        }
        i = j.max(i + 1);
    }
    // Adjacent marks (clreq 3.1.6.2): if A's right blank and B's left blank add up to at
    // least ½ em, remove ½ em in all, A's blank first.
    for k in 0..run.len().saturating_sub(1) {
        let (a, b) = run.split_at_mut(k + 1);
        let (a, b) = (&mut a[k], &mut b[0]);
        if a.class == Class::QuestionExclaim && b.class == Class::QuestionExclaim {
            continue;
        }
        let total = a.cell.blank_right + b.cell.blank_left;
        if total.fits(half) || total.approx_eq(half) {
            let from_a = a.cell.blank_right.min(half);
            trim_right(a.cell, from_a);
            let rest = (half - from_a).min(b.cell.blank_left);
            trim_left(b.cell, rest);
        }
    }
}

/// Removes `amount` of a cell's left blank: the glyph moves left with it.
pub fn trim_left(cell: &mut Cell, amount: Abs) {
    cell.width -= amount;
    cell.offset -= amount;
    cell.blank_left -= amount;
}

/// Removes `amount` of a cell's right blank.
pub fn trim_right(cell: &mut Cell, amount: Abs) {
    cell.width -= amount;
    cell.blank_right -= amount;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn widths(s: &str, style: PunctStyle) -> Vec<f64> {
        let em = Abs::pt(1.0);
        let chars: Vec<char> = s.chars().collect();
        let classes: Vec<Class> = chars.iter().map(|&c| classify(c, None, None, true)).collect();
        let mut cells: Vec<Cell> = classes.iter().map(|&c| punct_cell(c, em, em).unwrap()).collect();
        let mut slots: Vec<PunctSlot> =
            classes.iter().zip(cells.iter_mut()).map(|(&class, cell)| PunctSlot { class, cell }).collect();
        adjust_punct_run(&mut slots, style, em);
        cells.iter().map(|c| c.width.to_pt()).collect()
    }

    #[test]
    fn adjacent_marks_take_one_and_a_half_em() {
        // spec §4.3 table
        assert_eq!(widths("。”", PunctStyle::Quanjiao), [0.5, 1.0]);
        assert_eq!(widths("），", PunctStyle::Quanjiao), [0.5, 1.0]);
        assert_eq!(widths("：“", PunctStyle::Quanjiao), [0.5, 1.0]);
        assert_eq!(widths("（“", PunctStyle::Quanjiao), [1.0, 0.5]);
        assert_eq!(widths("》《", PunctStyle::Quanjiao), [0.5, 1.0]);
        assert_eq!(widths("。”）", PunctStyle::Quanjiao), [0.5, 0.5, 1.0]);
        assert_eq!(widths("（）", PunctStyle::Quanjiao), [1.0, 1.0]);
    }

    #[test]
    fn question_exclaim_runs_follow_gb() {
        // spec §13 case 6: ？！ 1 em, ？？？ 2 em
        assert_eq!(widths("？！", PunctStyle::Quanjiao).iter().sum::<f64>(), 1.0);
        assert_eq!(widths("？？？", PunctStyle::Quanjiao).iter().sum::<f64>(), 2.0);
    }

    #[test]
    fn kaiming_keeps_sentence_ends_full() {
        assert_eq!(widths("，", PunctStyle::Kaiming), [0.5]);
        assert_eq!(widths("。", PunctStyle::Kaiming), [1.0]);
        assert_eq!(widths("。", PunctStyle::Banjiao), [0.5]);
        assert_eq!(widths("。”", PunctStyle::Plain), [1.0, 1.0]);
    }

    #[test]
    fn narrow_quote_is_set_in_a_full_cell() {
        let em = Abs::pt(12.0);
        let open = punct_cell(Class::Open, em * 0.35, em).unwrap();
        assert!(open.width.approx_eq(em));
        assert!(open.offset.approx_eq(em * 0.65));
    }

    #[test]
    fn strictness_levels() {
        assert!(no_line_start(Class::Comma, Strictness::Gb));
        assert!(!no_line_start(Class::Comma, Strictness::None));
        assert!(no_line_end(Class::Solidus, Strictness::Gb));
        assert!(!no_line_end(Class::Solidus, Strictness::Basic));
        assert!(no_line_start(Class::Long, Strictness::Strict));
        assert!(!no_line_start(Class::Long, Strictness::Gb));
    }

    #[test]
    fn dashes_pair_into_long() {
        assert_eq!(classify('—', None, Some('—'), true), Class::Long);
        assert_eq!(classify('—', Some('中'), Some('中'), true), Class::Connector);
        assert_eq!(classify('·', None, None, true), Class::Middle);
        assert_eq!(classify('·', None, None, false), Class::Other);
    }
}
