//! essaypdf: a Chinese Markdown essay → a print-ready A4 PDF.
//!
//! # Steps
//! ```text
//! essay.md ─▶ Source                  (source.rs: text + line index)
//!    │ model::parse                    pulldown-cmark with offsets, inline HTML, §1 normalisation
//!    ▼
//! Document { meta, blocks }            (model/)
//!    │ layout::layout_document         inline: prepare → breaks → linebreak → line
//!    │                                 flow: lines onto pages; page numbers
//!    ▼
//! PagedDocument { pages, outline }     (frame.rs)
//!    │ pdf::write                      krilla: subset CID fonts, ToUnicode, links, outline
//!    ▼
//! Vec<u8>
//! ```
//! The style (`style.rs`) is resolved once, before parsing, from the classroom defaults and
//! the `-M key=value` knobs; fonts come from the embedded [`font::FontBook`].

pub mod diag;
pub mod font;
pub mod frame;
pub mod geom;
pub mod image;
pub mod layout;
pub mod model;
pub mod pdf;
pub mod source;
pub mod style;

use diag::{Diagnostic, Sink};
use font::FontBook;
use frame::PagedDocument;
use source::Source;
use style::Style;

/// The result of typesetting: the PDF (absent when the essay has errors) and every
/// diagnostic found.
pub struct Output {
    /// The PDF's bytes, if no error was found.
    pub pdf: Option<Vec<u8>>,
    /// Errors and warnings, in order.
    pub diagnostics: Vec<Diagnostic>,
    /// Page count.
    pub pages: usize,
    /// Characters counted for the length check (spec §12): Han characters and Latin words.
    pub han_chars: usize,
    /// Latin words.
    pub latin_words: usize,
}

/// Parses and lays out the essay (everything but writing the PDF). `style` is the style
/// before the essay's own front-matter `format:` options; `overrides` (a format file's and
/// the command line's settings) are applied after them and win.
pub fn layout(
    source: &Source,
    style: &Style,
    overrides: &[(String, String)],
    fonts: &FontBook,
    sink: &mut Sink,
) -> PagedDocument {
    layout_with_model(source, style, overrides, fonts, sink).1
}

/// [`layout()`], also returning the document model it laid out.
fn layout_with_model(
    source: &Source,
    style: &Style,
    overrides: &[(String, String)],
    fonts: &FontBook,
    sink: &mut Sink,
) -> (model::Document, PagedDocument) {
    let mut doc = model::parse(source, sink);
    let mut style = style.clone();
    for setting in &doc.format {
        if let Err(message) = style.set(&setting.key, &setting.value) {
            sink.error(Some(setting.span), format!("front matter format: {message}"), vec![]);
        }
    }
    for (key, value) in overrides {
        // Checked by the caller; a failure here cannot name a place in the essay.
        if let Err(message) = style.set(key, value) {
            sink.error(None, message, vec![]);
        }
    }
    let style = style.finish();
    if style.list_numbering_source {
        model::source_list_labels(&mut doc);
    }
    let (edition_2025, punct) = (style.gbt7714_2025, style.ref_punct);
    model::recognize_references(&mut doc, |title| match punct {
        style::RefPunct::Gb => true,
        style::RefPunct::ByLanguage => title.chars().any(model::is_han_or_kana),
        style::RefPunct::Half => edition_2025,
    });
    model::number_headings(&mut doc, style.heading_numbering, sink);
    check_submission(&doc, sink);
    if doc.has_references && style.citation_superscript {
        model::mark_citations(&mut doc);
    }
    if style.link_footnotes {
        model::add_link_footnotes(&mut doc);
    }
    let images = load_images(source, &doc, sink);
    let paged = layout::layout_document(&doc, &style, &images, fonts, sink);
    (doc, paged)
}

/// Typesets the essay into PDF bytes. With `strict`, warnings count as errors.
pub fn typeset(
    source: &Source,
    style: &Style,
    overrides: &[(String, String)],
    fonts: &FontBook,
    strict: bool,
) -> Output {
    let mut sink = Sink::default();
    let (doc, paged) = layout_with_model(source, style, overrides, fonts, &mut sink);
    let (han_chars, latin_words) = count_chars(&doc);
    let failed = sink.has_errors() || (strict && !sink.diagnostics().is_empty());
    let pdf = if failed {
        None
    } else {
        let options = pdf::PdfOptions { date: pdf::creation_date(paged.meta.date.as_deref()) };
        match pdf::write(&paged, fonts, &options) {
            Ok(bytes) => Some(bytes),
            Err(err) => {
                sink.error(None, err.to_string(), vec!["please report this with the essay attached".into()]);
                None
            }
        }
    };
    Output { pdf, diagnostics: sink.into_vec(), pages: paged.pages.len(), han_chars, latin_words }
}

/// Reads the figures' image files, in document order; a missing or unreadable one is an
/// error naming the line (no PDF with a hole where a figure should be).
fn load_images(source: &Source, doc: &model::Document, sink: &mut Sink) -> Vec<Option<image::LoadedImage>> {
    doc.blocks
        .iter()
        .filter_map(|b| match &b.kind {
            model::BlockKind::Figure { src, .. } => Some((src, b.span)),
            _ => None,
        })
        .map(|(src, span)| match image::resolve(source.path(), src).and_then(|path| image::load(&path)) {
            Ok(img) => Some(img),
            Err(message) => {
                sink.error(
                    Some(span),
                    message,
                    vec!["images are looked up beside the essay; check the file name in ![…](…)".into()],
                );
                None
            }
        })
        .collect()
}

/// The instructor-facing checks of spec §12: a paper names its title, its author and the
/// student's number (学号).
fn check_submission(doc: &model::Document, sink: &mut Sink) {
    let m = &doc.meta;
    if m.title.is_none() {
        sink.warn(None, "the essay has no title (front matter `title:` or a single `#` heading)");
    }
    if m.author.is_none() {
        sink.warn(None, "the essay names no author (front matter `author:` or a centred line under the title)");
    }
    // A student number is a run of at least six digits in the author line, if not given.
    let in_author_line =
        m.author.as_deref().is_some_and(|a| a.split(|c: char| !c.is_ascii_digit()).any(|run| run.len() >= 6));
    if m.student_id.is_none() && !in_author_line {
        sink.warn(None, "the essay gives no student number (front matter `student_id:`)");
    }
}

/// Counts Han characters and Latin words of what the student wrote (spec §12): the text
/// of every block and footnote, without heading numbers, page furniture, code or the
/// reference list (its URLs would count as dozens of words).
fn count_chars(doc: &model::Document) -> (usize, usize) {
    let mut han = 0;
    let mut words = 0;
    let texts = doc
        .blocks
        .iter()
        .filter(|b| !matches!(b.kind, model::BlockKind::Code | model::BlockKind::Reference { .. }))
        .map(|b| match &b.kind {
            model::BlockKind::Table(t) => t
                .rows
                .iter()
                .flatten()
                .flatten()
                .filter_map(|i| if let model::InlineKind::Text(t) = &i.kind { Some(t.as_str()) } else { None })
                .collect::<String>(),
            _ => b.plain_text(),
        })
        .chain(doc.notes.iter().map(|n| {
            n.inlines
                .iter()
                .filter_map(|i| match &i.kind {
                    model::InlineKind::Text(t) => Some(t.as_str()),
                    _ => None,
                })
                .collect::<String>()
        }));
    for text in texts {
        han += text.chars().filter(|&c| model::is_han_or_kana(c)).count();
        let mut in_word = false;
        for c in text.chars() {
            let latin = c.is_ascii_alphanumeric();
            if latin && !in_word {
                words += 1;
            }
            in_word = latin;
        }
    }
    (han, words)
}
