//! Pagination tests: where headings and paragraph splits land (spec §11.2–§11.3, §13 case 10).

use essaypdf::diag::Sink;
use essaypdf::font::FontBook;
use essaypdf::source::Source;
use essaypdf::style::Style;

/// The body lines of each page (the page number, last, is dropped).
fn pages(md: &str) -> Vec<Vec<String>> {
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    let doc = essaypdf::layout(&Source::new("flow.md", md.into()), &Style::default(), &[], &fonts, &mut sink);
    doc.page_texts()
        .into_iter()
        .map(|mut lines| {
            let number = lines.pop().unwrap();
            assert!(number.chars().all(|c| c.is_ascii_digit()), "page number {number}");
            lines
        })
        .collect()
}

/// `n` one-line paragraphs.
fn short_paragraphs(n: usize) -> String {
    (0..n).map(|i| format!("第{i}段。\n\n")).collect()
}

/// A paragraph of exactly `lines` full body lines (36 Han per line at 小四 on A4, less the
/// 2-em indent on the first).
fn paragraph(lines: usize) -> String {
    let chars = 34 + 36 * (lines - 1);
    format!("{}\n\n", "字".repeat(chars))
}

#[test]
fn a_full_page_holds_29_lines() {
    let p = pages(&short_paragraphs(30));
    assert_eq!(p[0].len(), 29);
    assert_eq!(p[1], ["第29段。"]);
}

#[test]
fn c10_heading_on_the_last_slot_moves_with_two_lines() {
    let md = format!("{}## 小节标题\n\n{}", short_paragraphs(28), paragraph(4));
    let p = pages(&md);
    assert_eq!(p[0].len(), 28, "the 29th slot stays empty: {:?}", p[0].last());
    assert_eq!(p[1][0], "（一）小节标题");
    assert_eq!(p[1].len(), 5);
}

#[test]
fn consecutive_headings_chain() {
    let md = format!("{}## 甲\n\n### 乙\n\n{}", short_paragraphs(26), paragraph(4));
    let p = pages(&md);
    // 26 + 甲 + 乙 + 2 lines = 30 > 29: both headings move.
    assert_eq!(p[0].len(), 26);
    assert!(p[1][0].ends_with('甲') && p[1][1].ends_with('乙'), "{:?}", &p[1][..2]);
}

#[test]
fn a_split_paragraph_keeps_two_lines_on_each_side() {
    // 28 lines used: a 5-line paragraph would leave 1 line (orphan): it moves whole.
    let p = pages(&format!("{}{}", short_paragraphs(28), paragraph(5)));
    assert_eq!(p[0].len(), 28);
    assert_eq!(p[1].len(), 5);
    // 26 lines used: 3 fit; 5 lines split 3 + 2.
    let p = pages(&format!("{}{}", short_paragraphs(26), paragraph(5)));
    assert_eq!((p[0].len(), p[1].len()), (29, 2));
    // 26 lines used, a 4-line paragraph: 3 would fit but leave a widow; split 2 + 2.
    let p = pages(&format!("{}{}", short_paragraphs(26), paragraph(4)));
    assert_eq!((p[0].len(), p[1].len()), (28, 2));
}

#[test]
fn a_three_line_paragraph_never_splits() {
    let p = pages(&format!("{}{}", short_paragraphs(27), paragraph(3)));
    assert_eq!((p[0].len(), p[1].len()), (27, 3));
}

fn layout_with_diags(md: &str) -> (essaypdf::frame::PagedDocument, Vec<essaypdf::diag::Diagnostic>) {
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    let doc = essaypdf::layout(&Source::new("notes.md", md.into()), &Style::default(), &[], &fonts, &mut sink);
    (doc, sink.into_vec())
}

/// Rules on a page: (y, length) in pt.
fn rules(doc: &essaypdf::frame::PagedDocument, page: usize) -> Vec<(f64, f64)> {
    doc.pages[page]
        .items
        .iter()
        .filter_map(|i| match i {
            essaypdf::frame::FrameItem::Rule { from, length, .. } => Some((from.y.to_pt(), length.to_pt())),
            _ => None,
        })
        .collect()
}

#[test]
fn c11_twelve_notes_number_one_to_twelve_then_restart() {
    let marks: String = (1..=12).map(|i| format!("第{i}处[^n{i}]，")).collect();
    let defs: String = (1..=13).map(|i| format!("[^n{i}]: 注释{i}。\n")).collect();
    let md = format!("{marks}完。\n\n{}最后一处[^n13]。\n\n{defs}", short_paragraphs(30));
    let (doc, diags) = layout_with_diags(&md);
    let texts = doc.page_texts();
    let p1 = texts[0].join("\n");
    for (i, c) in "①②③④⑤⑥⑦⑧⑨⑩⑪⑫".chars().enumerate() {
        assert!(p1.contains(&format!("\n{c}注释{}。", i + 1)), "note {c} missing on page 1:\n{p1}");
    }
    assert!(diags.iter().any(|d| d.message.contains("12 footnotes")), "{diags:?}");
    // The 13th note is on page 2 and numbering restarts there.
    let p2 = texts[1].join("\n");
    assert!(p2.contains("最后一处①") && p2.contains("\n①注释13。"), "{p2}");
}

#[test]
fn a_long_note_splits_two_and_two_under_a_full_width_rule() {
    let long = "这是一条很长的脚注，用来检验跨页续排。".repeat(60);
    let md = format!(
        "{}这一段的末尾有一个长脚注[^long]。\n\n{}[^long]: {long}\n",
        short_paragraphs(22),
        short_paragraphs(10)
    );
    let (doc, _) = layout_with_diags(&md);
    let texts = doc.page_texts();
    let p1 = &texts[0];
    let mark_line = p1.iter().position(|l| l.contains("长脚注①")).expect("the mark is on page 1");
    let label_line = p1.iter().position(|l| l.starts_with("①这是一条很长的脚注")).expect("the note starts on page 1");
    assert!(label_line > mark_line);
    let note_lines_p1 = p1.len() - 1 - label_line; // minus the page number
    assert!(note_lines_p1 >= 2, "{p1:?}");
    // Page 2 starts its note area with the continuation, under a full-width rule.
    let rules2 = rules(&doc, 1);
    assert!(rules2.iter().any(|&(_, len)| (len - 439.37).abs() < 0.1), "{rules2:?}");
    let p2 = &texts[1];
    let cont = p2.iter().filter(|l| l.contains("这是一条很长的脚注") || l.contains("检验跨页续排")).count();
    assert!(cont >= 2, "{p2:?}");
    // Page 1's rule is the ¼-width separator.
    assert!(rules(&doc, 0).iter().any(|&(_, len)| (len - 439.37 / 4.0).abs() < 0.1));
}

#[test]
fn the_note_area_stays_within_half_the_page() {
    let long = "长注释的文字内容。".repeat(60);
    let md = format!("正文一[^a]。\n\n正文二[^b]。\n\n{}[^a]: {long}\n[^b]: {long}\n", short_paragraphs(40));
    let (doc, _) = layout_with_diags(&md);
    let top = Style::default().page.top.to_pt();
    let height = Style::default().page.text_height().to_pt();
    for page in 0..doc.pages.len() {
        for (y, _) in rules(&doc, page) {
            assert!(y >= top + height / 2.0 - 12.5, "page {page}: note area starts at {y}");
        }
    }
}

#[test]
fn generated_essay_with_many_notes_keeps_every_note_on_its_page() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/essays/footnotes.md")).unwrap();
    let (doc, _) = layout_with_diags(&text);
    let texts = doc.page_texts();
    let circled: Vec<char> = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳".chars().collect();
    let mut total = 0;
    for (p, lines) in texts.iter().enumerate() {
        // Marks in body lines (raised numbers inside the text) and labels at note starts.
        // Labels start note lines (a mark never starts a line: it is glued to the text
        // before it); marks are the other circled numbers.
        let labels: Vec<char> = lines.iter().filter_map(|l| l.chars().next().filter(|c| circled.contains(c))).collect();
        let marks: Vec<char> = lines.iter().flat_map(|l| l.chars().skip(1).filter(|c| circled.contains(c))).collect();
        assert_eq!(marks, labels, "page {}: marks and note starts differ", p + 1);
        assert_eq!(labels, circled[..labels.len()], "page {}: numbering must restart at ①", p + 1);
        total += labels.len();
    }
    assert_eq!(total, 25);
    // Every note area stays in the lower half; at least one long note continues on the
    // next page under a full-width rule.
    let half = Style::default().page.top.to_pt() + Style::default().page.text_height().to_pt() / 2.0;
    let mut continued = 0;
    for page in 0..doc.pages.len() {
        for (y, len) in rules(&doc, page) {
            assert!(y >= half - 12.5, "page {}: note area starts at {y}", page + 1);
            continued += (len > 400.0) as usize;
        }
    }
    assert!(continued >= 1, "no note was split");
}

#[test]
fn duplex_mirrors_the_margins_on_even_pages() {
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    let md = short_paragraphs(40);
    let settings = [("duplex".to_string(), "true".to_string())];
    let doc = essaypdf::layout(&Source::new("d.md", md), &Style::default(), &settings, &fonts, &mut sink);
    let min_x = |page: usize| {
        doc.pages[page]
            .items
            .iter()
            .filter_map(|i| match i {
                essaypdf::frame::FrameItem::Text(run) => run.glyphs.first().map(|g| g.x.to_pt()),
                _ => None,
            })
            .fold(f64::INFINITY, f64::min)
    };
    let indent = 24.0;
    assert!((min_x(0) - (85.04 + indent)).abs() < 0.1, "recto: left margin 30 mm");
    assert!((min_x(1) - (70.87 + indent)).abs() < 0.1, "verso: left margin 25 mm");
}

#[test]
fn a_heading_moves_when_the_notes_of_its_text_do_not_fit() {
    // The heading and two lines fit on page 1, but the first line's long note does not:
    // the heading must not stay behind alone.
    let long = "很长的注释文字。".repeat(70);
    let md = format!("{}## 小节\n\n开头一句话带注释[^x]。{}\n\n[^x]: {long}\n", short_paragraphs(24), "字".repeat(80));
    let p = pages(&md);
    assert!(!p[0].last().unwrap().ends_with("小节"), "{:?}", p[0].last());
    assert_eq!(p[1][0], "（一）小节");
}

fn first_xs(md: &str, settings: &[(&str, &str)]) -> (Vec<String>, Vec<f64>) {
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    let settings: Vec<(String, String)> = settings.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    let doc = essaypdf::layout(&Source::new("l.md", md.into()), &Style::default(), &settings, &fonts, &mut sink);
    let mut lines: Vec<(f64, f64)> = Vec::new();
    for item in &doc.pages[0].items {
        if let essaypdf::frame::FrameItem::Text(run) = item
            && let Some(g) = run.glyphs.first()
        {
            let y = (run.baseline - run.rise).to_pt();
            match lines.iter_mut().find(|l| (l.0 - y).abs() < 0.5) {
                Some(l) => l.1 = l.1.min(g.x.to_pt()),
                None => lines.push((y, g.x.to_pt())),
            }
        }
    }
    lines.sort_by(|a, b| a.0.partial_cmp(&b.0).unwrap());
    (doc.page_texts().remove(0), lines.into_iter().map(|l| l.1 - 85.04).collect())
}

#[test]
fn list_styles_and_numbering() {
    let md = format!("1. {}\n2. 第二项。\n", "绿色低碳转型".repeat(12));
    // Default: （1） labels, later lines back at the margin (a paragraph).
    let (text, xs) = first_xs(&md, &[]);
    assert!(text[0].starts_with("（1）绿色"), "{text:?}");
    assert!(xs[1].abs() < 0.1, "{xs:?}");
    // Source numbers and hanging lines: the second line starts under the item's text.
    let (text, xs) = first_xs(&md, &[("list-numbering", "source"), ("list-style", "hanging")]);
    assert!(text[0].starts_with("1.\u{2002}绿色"), "{text:?}");
    // `1.` and an en space: about 1.3 em.
    assert!(xs[1] > 24.0 + 12.0 && xs[1] < 24.0 + 18.0, "{xs:?}");
}

#[test]
fn char_grid_and_quote_size() {
    let (_, xs) = first_xs(&format!("{}\n", "字".repeat(80)), &[("char-grid", "snap-right")]);
    assert!(xs[1].abs() < 0.1);
    let (text, _) = first_xs(&format!("{}\n", "字".repeat(80)), &[("char-grid", "snap-right")]);
    // 36 whole characters on a full line (the first line: 34 after the indent).
    assert_eq!(text[1].chars().count(), 36, "{text:?}");
    let (text, _) = first_xs(&format!("> {}\n", "引".repeat(80)), &[("quote-size", "五号")]);
    // 五号 quotes in a measure 4 em narrower: (439.37 − 42) / 10.5 = 37 characters.
    assert_eq!(text[1].chars().count(), 37, "{text:?}");
}

#[test]
fn a_long_table_repeats_its_header_and_closes_each_part() {
    let rows: String = (1..=70).map(|i| format!("| 第{i}行 | {i} |\n")).collect();
    let md = format!("表1 很长的表\n\n| 项目 | 数值 |\n|---|---|\n{rows}");
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    let doc = essaypdf::layout(&Source::new("t.md", md), &Style::default(), &[], &fonts, &mut sink);
    let texts = doc.page_texts();
    assert!(texts.len() >= 2);
    assert!(texts[0][0].starts_with("表1"), "{:?}", &texts[0][..2]);
    // Page 2 starts with the repeated header row.
    assert!(texts[1][0].starts_with("项目"), "{:?}", &texts[1][..2]);
    let all: String = texts.iter().flatten().cloned().collect();
    assert!(all.contains("第70行"));
    // Page 1 ends with a closing rule: its lowest rule is below its last row.
    let rules1 = rules(&doc, 0);
    let bottom_rule = rules1.iter().map(|r| r.0).fold(0.0, f64::max);
    assert!(bottom_rule > 700.0, "{rules1:?}");
}
