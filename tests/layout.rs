//! Layout-text tests: small named cases, each with the expected lines of the layout
//! (STYLE-NOTES (d)), including the conformance cases of spec §13.

use essaypdf::diag::Sink;
use essaypdf::font::FontBook;
use essaypdf::frame::FrameItem;
use essaypdf::geom::Abs;
use essaypdf::layout::inline::{LineBox, ParConfig, layout_par, layout_text, natural_width};
use essaypdf::model::{Inline, parse};
use essaypdf::source::Source;
use essaypdf::style::{Align, Style};

const EM: f64 = 12.0;

fn inlines(md: &str) -> Vec<Inline> {
    let mut sink = Sink::default();
    let doc = parse(&Source::new("case.md", md.into()), &mut sink);
    doc.blocks.into_iter().next().expect("one block").inlines
}

fn config(measure_em: f64, knobs: &[(&str, &str)]) -> ParConfig {
    let mut style = Style::default();
    for (k, v) in knobs {
        style.set(k, v).unwrap();
    }
    ParConfig {
        font: style.body.font,
        width: Abs::pt(measure_em * EM),
        first_indent: Abs::ZERO,
        align: Align::Justify,
        pitch: style.body.pitch,
        typo: style.typo,
        hang: Abs::ZERO,
        ragged_in_url: false,
    }
}

/// The lines of `md` set at `measure_em` with the given knobs.
fn lines_with(md: &str, measure_em: f64, knobs: &[(&str, &str)]) -> Vec<String> {
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    layout_text(&inlines(md), &config(measure_em, knobs), &fonts, &mut sink)
}

fn lines(md: &str, measure_em: f64) -> Vec<String> {
    lines_with(md, measure_em, &[])
}

fn boxes(md: &str, measure_em: f64) -> Vec<LineBox> {
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    layout_par(&inlines(md), None, &config(measure_em, &[]), &fonts, &mut sink)
}

/// x positions (pt) of the glyphs of a line, in order.
fn glyph_xs(line: &LineBox) -> Vec<f64> {
    let mut xs = Vec::new();
    for item in &line.items {
        if let FrameItem::Text(run) = item {
            xs.extend(run.glyphs.iter().map(|g| g.x.to_pt()));
        }
    }
    xs
}

fn width_em(md: &str) -> f64 {
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    natural_width(&inlines(md), &config(100.0, &[]), &fonts, &mut sink).to_pt() / EM
}

/// The invariant of spec §3.3 at `gb`: no line starts with a closing or stop mark, none ends
/// with an opening mark, and —— …… stay whole.
fn assert_kinsoku(lines: &[String]) {
    const NO_START: &str = "，。、；：？！）］｝〕〉》」』】’”·";
    const NO_END: &str = "（［｛〔〈《「『【‘“";
    for (i, l) in lines.iter().enumerate() {
        let first = l.chars().next().unwrap();
        let last = l.chars().last().unwrap();
        assert!(!NO_START.contains(first), "line {i} starts with {first}: {lines:?}");
        if i + 1 < lines.len() {
            assert!(!NO_END.contains(last), "line {i} ends with {last}: {lines:?}");
            let next = lines[i + 1].chars().next().unwrap();
            assert!(!(last == '—' && next == '—'), "—— split: {lines:?}");
            assert!(next != '…', "…… starts a line: {lines:?}");
        }
    }
}

// --- §13 conformance cases -------------------------------------------------------------

#[test]
fn c01_curly_quotes_open_and_close_between_han() {
    // T1: break allowed before “ and after ” between Han.
    assert_eq!(lines("中中中“中中", 3.0), ["中中中", "“中中"]);
    // ” at a line end takes ½ em, so three Han and ” fill 3.5 em exactly.
    assert_eq!(lines("中中中”中中", 3.5), ["中中中”", "中中"]);
    // Never before ”: at 3 em the quote drags a character with it.
    assert_eq!(lines("中中中”中中", 3.0), ["中中", "中”", "中中"]);
}

#[test]
fn c02_push_out_stretches_the_previous_line() {
    let l = lines("我们认真讨论了这个问题。然后再说。", 11.0);
    assert_eq!(l, ["我们认真讨论了这个问", "题。然后再说。"]);
    // 10 em of Han spread over 11 em: +1/9 em in each of the 9 gaps.
    let xs = glyph_xs(&boxes("我们认真讨论了这个问题。然后再说。", 11.0)[0]);
    let gap = (xs[1] - xs[0]) / EM - 1.0;
    assert!((gap - 1.0 / 9.0).abs() < 1e-3, "gap {gap}");
    assert!((xs[9] / EM - 9.0 * (1.0 + 1.0 / 9.0)).abs() < 1e-3);
}

#[test]
fn c03_push_in_by_compressing_punctuation() {
    // ”， compress to 1.5 em and the line-end ， drops to ½ em: the line fits exactly.
    let l = lines("我们认真地讨论了“问题”，然后……", 12.0);
    assert_eq!(l[0], "我们认真地讨论了“问题”，");
    let xs = glyph_xs(&boxes("我们认真地讨论了“问题”，然后……", 12.0)[0]);
    // No stretch: glyphs sit on whole ems up to the quote.
    assert!((xs[8] / EM - 8.0).abs() < 1e-6, "{xs:?}");
}

#[test]
fn c04_ellipsis_never_starts_a_line() {
    let l = lines("我们都说……他也说了这句话。", 4.0);
    assert_kinsoku(&l);
    assert!(l.iter().any(|s| s.starts_with("说……")), "{l:?}");
}

#[test]
fn c05_two_em_dash_never_splits() {
    for measure in 3..12 {
        let l = lines("他停了一下——然后说我们走吧。", measure as f64);
        assert_kinsoku(&l);
    }
    // In `strict`, —— may not start a line either.
    for measure in 3..12 {
        let l = lines_with("他停了一下——然后说我们走吧。", measure as f64, &[("linebreak-strictness", "strict")]);
        assert!(l.iter().all(|s| !s.starts_with('—')), "{l:?}");
    }
}

#[test]
fn c06_punctuation_widths() {
    assert!((width_em("（）") - 2.0).abs() < 1e-6);
    assert!((width_em("。”）") - 2.0).abs() < 1e-6);
    assert!((width_em("？！") - 1.0).abs() < 1e-6);
    assert!((width_em("？？？") - 2.0).abs() < 1e-6);
    assert!((width_em("中。”中") - 3.5).abs() < 1e-6);
}

#[test]
fn c07_typed_space_and_no_space_are_the_same() {
    let kinds = |md: &str| inlines(md).into_iter().map(|i| i.kind).collect::<Vec<_>>();
    assert_eq!(kinds("使用 Python 编写"), kinds("使用Python编写"));
    // Glue is 3 pt on each side of the Latin word.
    let line = &boxes("使用Python编写", 30.0)[0];
    let xs = glyph_xs(line);
    assert!((xs[2] - 24.0 - 3.0).abs() < 1e-3, "{xs:?}");
    // At a line edge the glue is absent: the next line starts flush.
    let l = boxes("使用使用使用使用Python编写", 8.0);
    assert_eq!(l[1].text, "Python编写");
    assert!(glyph_xs(&l[1])[0].abs() < 1e-6);
}

#[test]
fn c08_long_url_breaks_only_where_allowed() {
    let l = lines("详见https://example.com/a/very/long/path_segment?x=1", 12.0);
    assert!(l.len() > 1);
    assert_eq!(l.concat(), "详见https://example.com/a/very/long/path_segment?x=1");
    // A 40-character hex run breaks anywhere (emergency breaking, spec §3.6).
    let hex = "0123456789abcdef0123456789abcdef01234567";
    let l = lines(&format!("哈希{hex}结束"), 10.0);
    assert_eq!(l.concat(), format!("哈希{hex}结束"));
    assert!(l.len() >= 3, "{l:?}");
}

#[test]
fn c09_no_single_character_last_line() {
    // Naturally the last line would be `了。`; the 孤字 rule re-breaks.
    let text = "我们认真讨论了这个问题然后走了。";
    let simple = lines_with(text, 7.0, &[("linebreaks", "simple")]);
    assert_eq!(simple.last().unwrap(), "了。");
    let l = lines(text, 7.0);
    let last = l.last().unwrap();
    assert!(last.chars().filter(|c| !"。，".contains(*c)).count() >= 2, "{l:?}");
}

#[test]
fn c12_soft_breaks() {
    assert_eq!(lines("一些\n中文", 20.0), ["一些中文"]);
    let line = &boxes("数据\nanalysis", 20.0)[0];
    assert_eq!(line.text, "数据analysis");
    let xs = glyph_xs(line);
    assert!((xs[2] - 24.0 - 3.0).abs() < 1e-3, "glue between 数据 and analysis: {xs:?}");
}

// --- rules beyond §13 ---------------------------------------------------------------------

#[test]
fn kinsoku_holds_at_every_measure() {
    let text = "他说：“我们走吧，天快黑了。”（这是《论语》里的话。）她问：“真的吗？！”我点了点头……";
    for tenths in 40..200 {
        let l = lines(text, tenths as f64 / 10.0);
        assert_kinsoku(&l);
        assert_eq!(l.concat(), text);
    }
}

#[test]
fn strictness_levels_treat_the_solidus_differently() {
    // gb: ／ neither starts nor ends a line (GB/T 15834 5.1.9); basic: it may end one.
    let text = "甲甲／乙乙";
    let simple = |level: &str| lines_with(text, 3.0, &[("linebreak-strictness", level), ("linebreaks", "simple")]);
    assert_eq!(simple("gb"), ["甲", "甲／乙", "乙"]);
    assert_eq!(simple("basic"), ["甲甲／", "乙乙"]);
    // UAX #14 itself keeps ， off the line start, whatever the level.
    let l = lines_with("我们认真讨论了这个问题，然后再说。", 11.0, &[("linebreak-strictness", "none")]);
    assert_kinsoku(&l);
}

#[test]
fn mixed_latin_words_are_never_split() {
    let text = "我们使用Rust语言和HarfBuzz引擎以及unicode-linebreak库来排版中文论文。";
    for measure in 8..30 {
        let l = lines(text, measure as f64);
        for line in &l {
            for word in ["Rust", "HarfBuzz"] {
                let starts = line.starts_with(&word[1..]) || line.ends_with(&word[..word.len() - 1]);
                assert!(!starts || line.contains(word), "{word} split at {measure}: {l:?}");
            }
        }
    }
}

#[test]
fn numbers_and_percentages_stay_whole() {
    let l = lines("全球经济增长平均速度为3.5%，低于过去50多年的平均增长速度。", 11.0);
    assert_kinsoku(&l);
    assert!(l.iter().any(|s| s.contains("3.5%")), "{l:?}");
}

#[test]
fn justified_lines_fill_the_measure() {
    let text =
        "历史唯物主义认为，生产力是人类改造自然、征服自然的能力，生产力的发展是社会发展的根本动力和最终决定力量。";
    let measure = 15.3;
    for line in &boxes(text, measure)[..2] {
        let xs = glyph_xs(line);
        let right = xs.last().unwrap() + EM;
        // The last mark is trimmed to ½ em at the line end; either way the ink reaches the edge.
        let edge = measure * EM;
        assert!(right >= edge - 0.5 * EM - 1e-3 && right <= edge + 1e-3, "{right} vs {edge}: {}", line.text);
    }
}

#[test]
fn kaiming_and_plain_change_widths() {
    let text = "甲，乙。丙";
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    let mut w = |knob: &str| {
        natural_width(&inlines(text), &config(100.0, &[("punct-style", knob)]), &fonts, &mut sink).to_pt() / EM
    };
    assert!((w("quanjiao") - 5.0).abs() < 1e-6);
    assert!((w("kaiming") - 4.5).abs() < 1e-6);
    assert!((w("banjiao") - 4.0).abs() < 1e-6);
}

#[test]
fn opening_mark_at_line_start_keeps_its_box_inside() {
    // Spec §4.4: a line-start opening mark loses its left blank. Its glyph box must not
    // start left of the margin: “ and （ switch to their proportional forms; 《 (no such
    // form in Noto) is trimmed only as far as its box allows.
    for (text, mark) in [("中中中“中中中中", '“'), ("中中中（中中中中", '（'), ("中中中《中中中中", '《')]
    {
        let l = boxes(text, 3.0);
        assert_eq!(l[1].text.chars().next(), Some(mark), "{text}");
        let xs = glyph_xs(&l[1]);
        assert!(xs[0] >= -1e-6, "{mark} starts at {}", xs[0]);
        // The line is still justified: its last glyph ends at the measure.
        assert!((xs.last().unwrap() + EM - 3.0 * EM).abs() < 1e-3, "{mark}: {xs:?}");
    }
    // Mid-line, the same quote keeps its full cell.
    assert!((width_em("中“中") - 3.0).abs() < 1e-6);
}

#[test]
fn t2_wave_dash_and_single_em_dash_never_start_a_line() {
    // ～ (NS) and a single — (BA) may end a line but not start one (GB/T 15834 5.1.6).
    for measure in 2..8 {
        for text in ["三～五天以后再说吧", "北京—上海的高铁很快"] {
            let l = lines(text, measure as f64);
            assert!(l.iter().skip(1).all(|s| !s.starts_with(['～', '—'])), "{l:?}");
        }
    }
}

#[test]
fn t3_middle_dot_never_starts_a_line() {
    for tenths in 20..80 {
        let l = lines("卡尔·马克思和弗里德里希·恩格斯", tenths as f64 / 10.0);
        assert!(l.iter().skip(1).all(|s| !s.starts_with('·')), "{l:?}");
    }
    // GB: the interpunct takes half an em.
    assert!((width_em("卡·马") - 2.5).abs() < 1e-6);
}

#[test]
fn t6_style_boundaries_do_not_change_breaks() {
    let plain = lines("我们认真讨论了这个问题。然后再说。", 11.0);
    let styled = lines("我们*认真*讨论了这个**问题**。然后再说。", 11.0);
    assert_eq!(plain, styled);
}

#[test]
fn a_slash_between_latin_letters_does_not_break() {
    for tenths in 40..120 {
        let l = lines("这是网络文献[EB/OL]的类型标识，速度为km/h。", tenths as f64 / 10.0);
        assert!(l.iter().all(|s| !s.starts_with("OL") && !s.starts_with('h')), "{l:?}");
    }
}

#[test]
fn hanging_punctuation_lets_one_mark_protrude() {
    let text = "我们认真讨论了这个问题，然后再说一遍吧。";
    assert_eq!(lines(text, 11.0)[0], "我们认真讨论了这个问");
    let l = lines_with(text, 11.0, &[("hanging-punct", "true")]);
    assert_eq!(l[0], "我们认真讨论了这个问题，");
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    let b = layout_par(&inlines(text), None, &config(11.0, &[("hanging-punct", "true")]), &fonts, &mut sink);
    let xs = glyph_xs(&b[0]);
    // Eleven Han fill the measure exactly; the comma sits beyond it.
    assert!((xs[11] - 11.0 * EM).abs() < 1e-6, "{xs:?}");
    // Never a run of two marks.
    let l = lines_with("我们认真讨论了这个问题。”然后再说一遍吧。", 11.0, &[("hanging-punct", "true")]);
    assert!(!l[0].ends_with('”'), "{l:?}");
}

#[test]
fn ellipsis_own_line_sets_four_ems_apart() {
    let text = "他沉默了很久很久。…………后来我们才明白他的意思。";
    assert_eq!(lines(text, 40.0).len(), 1);
    let l = lines_with(text, 40.0, &[("ellipsis-own-line", "true")]);
    assert_eq!(l, ["他沉默了很久很久。", "…………", "后来我们才明白他的意思。"]);
}
