//! The reference list (spec §10.9): finding the `参考文献` section, turning its entries into
//! labelled blocks (the example essay's `[N. title](url)[date]` form among them), in-text
//! citation marks, and `link-footnotes` (printing each link's URL as a footnote).

use super::{Block, BlockKind, Document, Inline, InlineKind, InlineStyle, Note, Shift};

/// Whether a block's text names the references section: `参考文献`, optionally with a colon.
fn is_references_title(text: &str) -> bool {
    let t: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').collect();
    let t = t.trim_end_matches([':', '：']);
    matches!(t, "参考文献" | "参考资料" | "References")
}

/// Finds the references section and turns its blocks into entries, with full-width `（）`
/// around dates when `full_width` says so for an entry (GB/T 7714—2025, or `ref-punct`).
/// Sets [`Document::has_references`].
pub fn recognize_references(doc: &mut Document, full_width: impl Fn(&str) -> bool) {
    doc.has_references = recognize(doc, &full_width);
}

fn recognize(doc: &mut Document, full_width: &dyn Fn(&str) -> bool) -> bool {
    let Some(start) = doc.blocks.iter().position(|b| {
        matches!(b.kind, BlockKind::Heading { .. } | BlockKind::Paragraph) && is_references_title(&b.plain_text())
    }) else {
        return false;
    };
    doc.blocks[start].kind = BlockKind::ReferencesHeading;
    let title = doc.blocks[start].plain_text();
    let title = title.trim().trim_end_matches([':', '：']).to_string();
    let span = doc.blocks[start].span;
    doc.blocks[start].inlines =
        vec![Inline { kind: InlineKind::Text(title), style: InlineStyle::default(), link: None, span }];
    let mut n = 0;
    for b in &mut doc.blocks[start + 1..] {
        if matches!(b.kind, BlockKind::Heading { .. }) {
            break;
        }
        if !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. }) {
            continue;
        }
        n += 1;
        let number = entry(b, full_width).unwrap_or(n);
        n = number;
        b.kind = BlockKind::Reference { label: format!("[{number}]") };
    }
    true
}

/// Rewrites one entry's text; returns the number the author gave it, if any.
///
/// `[1. 新华社：标题 ](http://…)[2024-03-07]` becomes GB/T 7714-2015's electronic-resource
/// form: `新华社：标题[EB/OL]. (2024-03-07). http://….` with the title and the printed URL
/// both linked, so a paper copy shows where the source is.
fn entry(b: &mut Block, full_width: &dyn Fn(&str) -> bool) -> Option<usize> {
    // A leading `[n]` or `n.` typed by the author becomes the label.
    let first_text =
        b.inlines.iter().find_map(|i| if let InlineKind::Text(t) = &i.kind { Some(t.clone()) } else { None })?;
    let (number, rest_len) = leading_number(&first_text)?;
    // Strip the number from the first text run.
    for inline in &mut b.inlines {
        if let InlineKind::Text(t) = &mut inline.kind {
            *t = t[rest_len..].trim_start().to_string();
            break;
        }
    }
    let link = b.inlines.first().and_then(|i| i.link.clone());
    if let Some(url) = link {
        // The example's form: the linked title, then an optional `[date]` after the link.
        let title_end =
            b.inlines.iter().position(|i| i.link.as_deref() != Some(url.as_str())).unwrap_or(b.inlines.len());
        let after: String = b.inlines[title_end..]
            .iter()
            .filter_map(|i| if let InlineKind::Text(t) = &i.kind { Some(t.as_str()) } else { None })
            .collect();
        let date = after.trim().strip_prefix('[').and_then(|d| d.strip_suffix(']')).map(str::trim).map(str::to_string);
        if after.trim().is_empty() || date.is_some() {
            let span = b.inlines[0].span;
            let plain =
                |t: String| Inline { kind: InlineKind::Text(t), style: InlineStyle::default(), link: None, span };
            let mut inlines: Vec<Inline> = b.inlines[..title_end].to_vec();
            if let Some(InlineKind::Text(t)) = inlines.last_mut().map(|i| &mut i.kind) {
                *t = t.trim_end().to_string();
            }
            let mut tail = "[EB/OL]. ".to_string();
            if let Some(d) = &date {
                // GB/T 7714—2025 sets （） full-width; 2015 (as the gbt7714 package) half-width.
                let title: String = b.inlines[..title_end]
                    .iter()
                    .filter_map(|i| if let InlineKind::Text(t) = &i.kind { Some(t.as_str()) } else { None })
                    .collect();
                tail.push_str(&if full_width(&title) { format!("（{d}）. ") } else { format!("({d}). ") });
            }
            inlines.push(plain(tail));
            inlines.push(Inline { link: Some(url.clone()), ..plain(url.clone()) });
            inlines.push(plain(".".into()));
            b.inlines = inlines;
        }
    }
    Some(number)
}

/// `[12]`, `12.`, `12、` or `12 ` at the start: the number and the length consumed.
fn leading_number(t: &str) -> Option<(usize, usize)> {
    let s = t.trim_start();
    let lead = t.len() - s.len();
    if let Some(inner) = s.strip_prefix('[') {
        let digits = inner.chars().take_while(char::is_ascii_digit).count();
        if digits > 0 && inner[digits..].starts_with(']') {
            return Some((inner[..digits].parse().ok()?, lead + 1 + digits + 1));
        }
        return None;
    }
    let digits = s.chars().take_while(char::is_ascii_digit).count();
    if digits == 0 {
        return None;
    }
    let rest = &s[digits..];
    let sep = rest.chars().next()?;
    if matches!(sep, '.' | '、' | ' ' | '\u{3000}') {
        return Some((s[..digits].parse().ok()?, lead + digits + sep.len_utf8()));
    }
    None
}

/// In-text citations `[1]`, `[1,3]`, `[2-5]` typed right after text become raised marks
/// when the essay has a reference list (`citation-style = superscript`, spec §10.9).
pub fn mark_citations(doc: &mut Document) {
    for b in doc.blocks.iter_mut() {
        if !matches!(b.kind, BlockKind::Paragraph | BlockKind::ListItem { .. } | BlockKind::Quote) {
            continue;
        }
        let mut out = Vec::with_capacity(b.inlines.len());
        for inline in std::mem::take(&mut b.inlines) {
            let InlineKind::Text(t) = &inline.kind else {
                out.push(inline);
                continue;
            };
            if inline.link.is_some() || inline.style.code {
                out.push(inline);
                continue;
            }
            let mut rest = t.as_str();
            let mut offset = 0;
            while let Some((start, end)) = find_citation(rest) {
                let (before, cite) = (&rest[..start], &rest[start..end]);
                if !before.is_empty() {
                    out.push(Inline { kind: InlineKind::Text(before.into()), ..inline.clone() });
                }
                let style = InlineStyle { shift: Shift::Super, citation: true, ..inline.style };
                let mut span = inline.span;
                span.start += (offset + start) as u32;
                out.push(Inline { kind: InlineKind::Text(cite.into()), style, link: None, span });
                rest = &rest[end..];
                offset += end;
            }
            if !rest.is_empty() {
                out.push(Inline { kind: InlineKind::Text(rest.into()), ..inline.clone() });
            }
        }
        b.inlines = out;
    }
}

/// The byte range of the first citation in `t`: `[digits(,digits|-digits)*]` directly
/// after a non-space character.
fn find_citation(t: &str) -> Option<(usize, usize)> {
    let mut from = 0;
    while let Some(pos) = t[from..].find('[') {
        let start = from + pos;
        let inner = &t[start + 1..];
        let len = inner
            .chars()
            .take_while(|c| c.is_ascii_digit() || matches!(c, ',' | '-' | '，' | '–'))
            .map(char::len_utf8)
            .sum::<usize>();
        let glued = t[..start].chars().next_back().is_some_and(|c| !c.is_whitespace());
        if len > 0 && inner[len..].starts_with(']') && inner.starts_with(|c: char| c.is_ascii_digit()) && glued {
            return Some((start, start + 1 + len + 1));
        }
        from = start + 1;
    }
    None
}

/// `link-footnotes`: each inline link outside the reference list gets a footnote that
/// prints its URL, so a paper copy keeps it.
pub fn add_link_footnotes(doc: &mut Document) {
    let mut notes = std::mem::take(&mut doc.notes);
    for b in doc.blocks.iter_mut() {
        if matches!(b.kind, BlockKind::Reference { .. } | BlockKind::ReferencesHeading | BlockKind::Code) {
            continue;
        }
        let mut out = Vec::with_capacity(b.inlines.len());
        let n = b.inlines.len();
        let inlines = std::mem::take(&mut b.inlines);
        for (i, inline) in inlines.iter().enumerate() {
            out.push(inline.clone());
            let Some(url) = &inline.link else { continue };
            let last_of_link = i + 1 == n || inlines[i + 1].link.as_deref() != Some(url.as_str());
            if last_of_link && (url.starts_with("http") || url.starts_with("www.")) {
                let index = notes.len();
                let span = inline.span;
                notes.push(Note {
                    label: format!("link-{index}"),
                    inlines: vec![Inline {
                        kind: InlineKind::Text(url.clone()),
                        style: InlineStyle::default(),
                        link: Some(url.clone()),
                        span,
                    }],
                    span,
                });
                out.push(Inline { kind: InlineKind::NoteRef(index), style: InlineStyle::default(), link: None, span });
            }
        }
        b.inlines = out;
    }
    doc.notes = notes;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Sink;
    use crate::source::Source;

    fn parse(md: &str) -> Document {
        let mut sink = Sink::default();
        let mut doc = super::super::parse(&Source::new("r.md", md.into()), &mut sink);
        recognize_references(&mut doc, |_| false);
        doc
    }

    #[test]
    fn the_example_form_becomes_a_gbt7714_entry() {
        let doc = parse(
            "正文。\n\n**参考文献:**\n\n[1. 新华社：标题 ](http://a.cn/x.htm)[2024-03-07]\n\n[2. 无日期](https://b.cn/y)\n",
        );
        assert_eq!(doc.blocks[1].kind, BlockKind::ReferencesHeading);
        assert_eq!(doc.blocks[1].plain_text(), "参考文献");
        assert_eq!(doc.blocks[2].kind, BlockKind::Reference { label: "[1]".into() });
        assert_eq!(doc.blocks[2].plain_text(), "新华社：标题[EB/OL]. (2024-03-07). http://a.cn/x.htm.");
        assert_eq!(doc.blocks[3].plain_text(), "无日期[EB/OL]. https://b.cn/y.");
        // Title and printed URL are both links.
        assert!(doc.blocks[2].inlines.iter().filter(|i| i.link.is_some()).count() >= 2);
        let mut sink = Sink::default();
        let mut doc = super::super::parse(
            &Source::new("r.md", "**参考文献:**\n\n[1. 题 ](http://a.cn)[2024-03-07]\n".into()),
            &mut sink,
        );
        recognize_references(&mut doc, |_| true);
        assert_eq!(doc.blocks[1].plain_text(), "题[EB/OL]. （2024-03-07）. http://a.cn.");
    }

    #[test]
    fn a_numbered_list_under_a_heading_is_a_reference_list() {
        let doc = parse(
            "## 参考文献\n\n1. 陈登原. 国史旧闻[M]. 北京: 中华书局, 2000.\n2. 袁训来. 蓝田生物群[J]. 科学通报, 2012.\n",
        );
        assert_eq!(doc.blocks[0].kind, BlockKind::ReferencesHeading);
        assert_eq!(doc.blocks[2].kind, BlockKind::Reference { label: "[2]".into() });
        assert!(doc.has_references);
    }

    #[test]
    fn citations_become_raised_marks() {
        let mut doc = parse("研究表明[1]，另见[2-3]。\n\n## 参考文献\n\n[1] 甲.\n\n[2] 乙.\n\n[3] 丙.\n");
        mark_citations(&mut doc);
        let cites: Vec<&Inline> = doc.blocks[0].inlines.iter().filter(|i| i.style.citation).collect();
        assert_eq!(cites.len(), 2);
        assert_eq!(cites[0].kind, InlineKind::Text("[1]".into()));
        assert_eq!(cites[0].style.shift, Shift::Super);
    }

    #[test]
    fn link_footnotes_print_urls() {
        let mut doc = parse("见[新华网](http://x.cn/a)报道。\n");
        add_link_footnotes(&mut doc);
        assert_eq!(doc.notes.len(), 1);
        assert!(matches!(doc.blocks[0].inlines[2].kind, InlineKind::NoteRef(0)));
        assert_eq!(doc.notes[0].inlines[0].kind, InlineKind::Text("http://x.cn/a".into()));
    }

    #[test]
    fn citations_are_found_only_glued_to_text() {
        assert_eq!(find_citation("研究表明[1]，"), Some((12, 15)));
        assert_eq!(find_citation("见文献[1,3]和[2-5]"), Some((9, 14)));
        assert_eq!(find_citation("列表 [1] 不算"), None);
        assert_eq!(find_citation("数组a[i]不算"), None);
    }

    #[test]
    fn leading_numbers() {
        assert_eq!(leading_number("[12] 标题"), Some((12, 4)));
        assert_eq!(leading_number("1. 新华社"), Some((1, 2)));
        assert_eq!(leading_number("2024年的报告"), None);
        assert!(is_references_title("参考文献:"));
        assert!(is_references_title("参考文献"));
        assert!(!is_references_title("参考文献综述"));
    }
}
