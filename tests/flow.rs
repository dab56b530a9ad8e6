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
