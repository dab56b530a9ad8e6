//! Markdown (CommonMark via pulldown-cmark, with its offsets for `file:line` messages) and
//! the inline-HTML subset → [`Document`].

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::html::{self, Token};
use super::normalize::normalize_block;
use super::{Block, BlockKind, BlockOverrides, Document, Inline, InlineKind, InlineStyle, Meta, Shift};
use crate::diag::{Sink, Span};
use crate::geom::Abs;
use crate::source::Source;
use crate::style::{Align, HeadingNumbering, Role};

/// Parses the essay into the document model and normalises its text (spec §1).
/// Heading numbers are given separately ([`number_headings`]) once the style is known.
pub fn parse(source: &Source, sink: &mut Sink) -> Document {
    let text = source.text();
    let options = Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_TABLES;
    let mut walker = Walker::default();
    walker.run(Parser::new_ext(text, options).into_offset_iter());
    walker.finish_block();
    sink.extend(std::mem::take(&mut walker.sink));
    let notes = resolve_notes(&walker.note_labels, &walker.note_ref_spans, walker.note_defs, sink);
    let mut doc =
        Document { meta: walker.meta, blocks: walker.blocks, format: walker.format, notes, has_references: false };
    report_undefined_notes(&doc, sink);
    title_block(&mut doc);
    promote_title(&mut doc);
    recognize_front_blocks(&mut doc);

    for block in &mut doc.blocks {
        for note in normalize_block(block) {
            sink.warn(Some(note.span), note.message);
        }
    }
    for block in &mut doc.blocks {
        if let BlockKind::Table(table) = &mut block.kind {
            for cell in table.rows.iter_mut().flatten() {
                let mut b = Block {
                    kind: BlockKind::Paragraph,
                    inlines: std::mem::take(cell),
                    overrides: BlockOverrides::default(),
                    span: block.span,
                };
                normalize_block(&mut b);
                *cell = b.inlines;
            }
        }
    }
    table_captions(&mut doc);
    for note in &mut doc.notes {
        let mut block = Block {
            kind: BlockKind::Paragraph,
            inlines: std::mem::take(&mut note.inlines),
            overrides: BlockOverrides::default(),
            span: note.span,
        };
        normalize_block(&mut block);
        note.inlines = block.inlines;
    }
    doc.blocks.retain(|b| !is_empty_text_block(b));
    fill_meta(&mut doc);
    doc
}

/// An element of inline HTML that is open.
#[derive(Debug)]
struct OpenElement {
    name: String,
    /// Whether closing it ends the current block.
    block_level: bool,
    /// Block style it sets.
    block: BlockOverrides,
    /// Inline style it sets (applied on top of the Markdown style).
    inline: InlineDelta,
    /// Link target (`<a href>`).
    link: Option<String>,
    /// Height of a spacer `<div>`, honoured when the element stays empty.
    height: Option<Abs>,
    /// Whether any text was written inside.
    had_text: bool,
    /// Whether it floats (`float:left`): the next block runs in after it.
    floated: bool,
}

/// What an inline element changes.
#[derive(Debug, Default, Clone, Copy)]
struct InlineDelta {
    role: Option<Role>,
    size: Option<Abs>,
    bold: Option<bool>,
    emph: bool,
    shift: Option<Shift>,
    underline: bool,
    strike: bool,
    code: bool,
}

/// State of an open Markdown list.
#[derive(Debug)]
struct ListState {
    ordered: bool,
    next: u64,
}

/// Walks pulldown-cmark events, building blocks (pulldown-cmark's `HtmlWriter` shape: one
/// struct, one `match` per event, every piece of state a named field).
#[derive(Default)]
struct Walker {
    /// Diagnostics found while walking.
    sink: Sink,
    blocks: Vec<Block>,
    /// The block being filled.
    current: Option<Block>,
    /// Markdown inline styles (emphasis, strong, strikethrough), innermost last.
    md_styles: Vec<InlineDelta>,
    /// Markdown link targets, innermost last.
    links: Vec<String>,
    lists: Vec<ListState>,
    /// Label (and source number) for the next paragraph of a list item.
    pending_label: Option<(String, Option<u64>)>,
    quote_depth: usize,
    heading: Option<u8>,
    code_block: Option<(String, Span)>,
    /// Raw text of the HTML block being read, and its start offset.
    html_block: Option<(String, usize)>,
    html_open: Vec<OpenElement>,
    in_metadata: bool,
    /// A floated element just closed: the next block element continues the current block
    /// (the Typora abstract: a floated `摘要：` label beside the text `<div>`).
    run_in: bool,
    meta: Meta,
    /// `format:` options of the front matter.
    format: Vec<super::FormatSetting>,
    /// Footnote labels in the order of their first reference, and where that is.
    note_labels: Vec<String>,
    note_ref_spans: Vec<Span>,
    /// Footnote definitions as read.
    note_defs: Vec<super::Note>,
    /// A table being read.
    table: Option<(super::Table, Span)>,
    /// An image being read: its source, span and alt text so far.
    image: Option<(String, Span, String)>,
    /// Open footnote definitions: label, span, and the body blocks set aside meanwhile.
    note_stack: Vec<(String, Span, Vec<Block>)>,
    /// HTML tags already warned about.
    warned_tags: Vec<String>,
}

impl Walker {
    fn run<'e>(&mut self, events: impl Iterator<Item = (Event<'e>, std::ops::Range<usize>)>) {
        for (event, range) in events {
            let span = Span::new(range.clone());
            match event {
                Event::Start(tag) => self.start(tag, span),
                Event::End(tag) => self.end(tag),
                Event::Text(text) => {
                    if self.in_metadata {
                        self.front_matter(&text, span);
                    } else if let Some((code, _)) = &mut self.code_block {
                        code.push_str(&text);
                    } else if let Some((_, _, alt)) = &mut self.image {
                        alt.push_str(&text);
                    } else {
                        self.push_text(&text, span, InlineDelta::default());
                    }
                }
                Event::Code(text) => self.push_text(&text, span, InlineDelta { code: true, ..Default::default() }),
                Event::InlineMath(text) | Event::DisplayMath(text) => {
                    self.push_text(&text, span, InlineDelta { code: true, ..Default::default() })
                }
                Event::SoftBreak => self.push_text("\n", span, InlineDelta::default()),
                Event::HardBreak => self.push_inline(InlineKind::HardBreak, span, InlineDelta::default()),
                Event::Html(text) => match &mut self.html_block {
                    Some((buf, _)) => buf.push_str(&text),
                    None => self.html(&text, range.start),
                },
                Event::InlineHtml(text) => self.html(&text, range.start),
                Event::Rule => {
                    self.finish_block();
                    self.blocks.push(new_block(BlockKind::Rule, span, BlockOverrides::default()));
                }
                Event::TaskListMarker(done) => {
                    self.push_text(if done { "☑ " } else { "☐ " }, span, InlineDelta::default())
                }
                Event::FootnoteReference(label) => {
                    let index = match self.note_labels.iter().position(|l| l.as_str() == &*label) {
                        Some(i) => i,
                        None => {
                            self.note_labels.push(label.to_string());
                            self.note_ref_spans.push(span);
                            self.note_labels.len() - 1
                        }
                    };
                    self.push_inline(InlineKind::NoteRef(index), span, InlineDelta::default());
                }
            }
        }
    }

    fn start(&mut self, tag: Tag<'_>, span: Span) {
        match tag {
            Tag::Paragraph => self.begin_block(span),
            Tag::Heading { level, .. } => {
                self.finish_block();
                let level = match level {
                    HeadingLevel::H1 => 1,
                    HeadingLevel::H2 => 2,
                    HeadingLevel::H3 => 3,
                    HeadingLevel::H4 => 4,
                    HeadingLevel::H5 => 5,
                    HeadingLevel::H6 => 6,
                };
                self.heading = Some(level);
                self.begin_block(span);
            }
            Tag::BlockQuote(_) => {
                self.finish_block();
                self.quote_depth += 1;
            }
            Tag::CodeBlock(_) => {
                self.finish_block();
                self.code_block = Some((String::new(), span));
            }
            Tag::HtmlBlock => {
                self.finish_block();
                self.html_block = Some((String::new(), span.start as usize));
            }
            Tag::List(start) => {
                self.finish_block();
                self.lists.push(ListState { ordered: start.is_some(), next: start.unwrap_or(1) });
            }
            Tag::Item => {
                self.finish_block();
                let depth = self.lists.len().saturating_sub(1);
                let Some(list) = self.lists.last_mut() else {
                    return;
                };
                let label = if list.ordered {
                    let n = list.next;
                    list.next += 1;
                    (ordered_label(n, depth), Some(n))
                } else {
                    // • followed by an en space (½ em), spec §10.6.
                    ("•\u{2002}".to_string(), None)
                };
                self.pending_label = Some(label);
            }
            Tag::Emphasis => self.md_styles.push(InlineDelta { emph: true, ..Default::default() }),
            Tag::Strong => self.md_styles.push(InlineDelta { bold: Some(true), ..Default::default() }),
            Tag::Strikethrough => self.md_styles.push(InlineDelta { strike: true, ..Default::default() }),
            Tag::Link { dest_url, .. } => self.links.push(dest_url.to_string()),
            Tag::Image { dest_url, .. } => self.image = Some((dest_url.to_string(), span, String::new())),
            Tag::MetadataBlock(_) => self.in_metadata = true,
            Tag::Table(aligns) => {
                self.finish_block();
                let aligns = aligns
                    .iter()
                    .map(|a| match a {
                        pulldown_cmark::Alignment::None => None,
                        pulldown_cmark::Alignment::Left => Some(Align::Start),
                        pulldown_cmark::Alignment::Center => Some(Align::Center),
                        pulldown_cmark::Alignment::Right => Some(Align::End),
                    })
                    .collect();
                self.table = Some((super::Table { aligns, rows: Vec::new(), header_rows: 0, caption: None }, span));
            }
            Tag::TableHead | Tag::TableRow => {
                if let Some((t, _)) = &mut self.table {
                    t.rows.push(Vec::new());
                }
            }
            Tag::TableCell => self.current = Some(new_block(BlockKind::Paragraph, span, BlockOverrides::default())),
            Tag::FootnoteDefinition(label) => {
                self.finish_block();
                // The definition's blocks are collected apart from the body.
                let body = std::mem::take(&mut self.blocks);
                self.note_stack.push((label.to_string(), span, body));
            }
            _ => {}
        }
    }

    fn end(&mut self, tag: TagEnd) {
        match tag {
            TagEnd::Paragraph | TagEnd::Item => self.finish_block(),
            TagEnd::Heading(_) => {
                self.finish_block();
                self.heading = None;
            }
            TagEnd::BlockQuote(_) => {
                self.finish_block();
                self.quote_depth = self.quote_depth.saturating_sub(1);
            }
            TagEnd::CodeBlock => {
                if let Some((code, span)) = self.code_block.take() {
                    let mut block = new_block(BlockKind::Code, span, BlockOverrides::default());
                    let text = code.strip_suffix('\n').unwrap_or(&code).to_string();
                    block.inlines.push(Inline {
                        kind: InlineKind::Text(text),
                        style: InlineStyle { code: true, ..Default::default() },
                        link: None,
                        span,
                    });
                    self.blocks.push(block);
                }
            }
            TagEnd::HtmlBlock => {
                if let Some((raw, offset)) = self.html_block.take() {
                    self.html(&raw, offset);
                }
                self.finish_block();
            }
            TagEnd::List(_) => {
                self.finish_block();
                self.lists.pop();
            }
            TagEnd::Emphasis | TagEnd::Strong | TagEnd::Strikethrough => {
                self.md_styles.pop();
            }
            TagEnd::Image => {
                if let Some((src, span, alt)) = self.image.take() {
                    self.figure(src, alt, 1.0, span);
                }
            }
            TagEnd::Link => {
                self.links.pop();
            }
            TagEnd::MetadataBlock(_) => self.in_metadata = false,
            TagEnd::TableCell => {
                let cell = self.current.take().map(|b| b.inlines).unwrap_or_default();
                if let Some(row) = self.table.as_mut().and_then(|(t, _)| t.rows.last_mut()) {
                    row.push(cell);
                }
            }
            TagEnd::TableHead => {
                if let Some((t, _)) = &mut self.table {
                    t.header_rows = t.rows.len();
                }
            }
            TagEnd::Table => {
                if let Some((table, span)) = self.table.take() {
                    self.blocks.push(new_block(BlockKind::Table(Box::new(table)), span, BlockOverrides::default()));
                }
            }
            TagEnd::FootnoteDefinition => {
                self.finish_block();
                if let Some((label, span, body)) = self.note_stack.pop() {
                    let blocks = std::mem::replace(&mut self.blocks, body);
                    let mut inlines = Vec::new();
                    for (i, b) in blocks.into_iter().enumerate() {
                        if i > 0 {
                            inlines.push(Inline {
                                kind: InlineKind::HardBreak,
                                style: InlineStyle::default(),
                                link: None,
                                span,
                            });
                        }
                        inlines.extend(b.inlines);
                    }
                    self.note_defs.push(super::Note { label, inlines, span });
                }
            }
            _ => {}
        }
    }

    /// Starts a block for the current context (heading, list item, quote or paragraph).
    fn begin_block(&mut self, span: Span) {
        self.finish_block();
        let kind = if let Some(level) = self.heading {
            BlockKind::Heading { level, label: String::new() }
        } else if !self.lists.is_empty() {
            let (label, number) = self.pending_label.take().unwrap_or_default();
            BlockKind::ListItem { label, depth: (self.lists.len() - 1) as u8, number }
        } else if self.quote_depth > 0 {
            BlockKind::Quote
        } else {
            BlockKind::Paragraph
        };
        let overrides = self.html_block_overrides();
        self.current = Some(new_block(kind, span, overrides));
    }

    /// Ends the current block; an empty one is dropped.
    fn finish_block(&mut self) {
        if let Some(block) = self.current.take()
            && !block.inlines.is_empty()
        {
            self.blocks.push(block);
        }
    }

    /// The block style set by the open HTML block elements, outermost first.
    fn html_block_overrides(&self) -> BlockOverrides {
        let mut o = BlockOverrides::default();
        for e in self.html_open.iter().filter(|e| e.block_level) {
            o.align = e.block.align.or(o.align);
            o.role = e.block.role.or(o.role);
            o.size = e.block.size.or(o.size);
            o.bold = e.block.bold.or(o.bold);
        }
        o
    }

    /// The inline style from Markdown and open inline HTML, with `extra` on top.
    fn inline_style(&self, extra: InlineDelta) -> InlineStyle {
        let mut s = InlineStyle::default();
        let html = self.html_open.iter().filter(|e| !e.block_level).map(|e| &e.inline);
        for d in self.md_styles.iter().chain(html).chain(std::iter::once(&extra)) {
            s.emph |= d.emph;
            s.strong |= d.bold == Some(true);
            if d.bold == Some(false) {
                s.strong = false;
            }
            s.code |= d.code;
            s.underline |= d.underline;
            s.strike |= d.strike;
            s.role = d.role.or(s.role);
            s.size = d.size.or(s.size);
            s.shift = d.shift.unwrap_or(s.shift);
        }
        s
    }

    fn push_text(&mut self, text: &str, span: Span, extra: InlineDelta) {
        if self.current.is_none() && text.trim().is_empty() {
            return;
        }
        self.push_inline(InlineKind::Text(text.to_string()), span, extra);
    }

    fn push_inline(&mut self, kind: InlineKind, span: Span, extra: InlineDelta) {
        if self.current.is_none() {
            if matches!(kind, InlineKind::HardBreak) {
                return;
            }
            self.begin_block(span);
        }
        let style = self.inline_style(extra);
        let link = self.links.last().cloned().or_else(|| self.html_open.iter().rev().find_map(|e| e.link.clone()));
        for e in &mut self.html_open {
            e.had_text = true;
        }
        let block = self.current.as_mut().expect("block started above");
        // Merge with the previous run when nothing differs: fewer, longer runs.
        if let (InlineKind::Text(t), Some(last)) = (&kind, block.inlines.last_mut())
            && let InlineKind::Text(prev) = &mut last.kind
            && last.style == style
            && last.link == link
        {
            prev.push_str(t);
            last.span.end = span.end.max(last.span.end);
            return;
        }
        block.inlines.push(Inline { kind, style, link, span });
    }

    /// Interprets a piece of HTML: tags change the style stack, text is kept.
    fn html(&mut self, raw: &str, offset: usize) {
        let base = Abs::pt(12.0);
        for token in html::tokenize(raw) {
            match token {
                Token::Comment => {}
                Token::Text { text, offset: at } => {
                    let span = Span::new(offset + at..offset + at + text.len());
                    let decoded = html::decode_entities(text);
                    self.push_text(&decoded, span, InlineDelta::default());
                }
                Token::Open { name, attrs, self_closing } => {
                    let span = Span::new(offset..offset + raw.len());
                    self.open_element(name, attrs, self_closing, span, base);
                }
                Token::Close { name } => self.close_element(&name),
            }
        }
    }

    fn open_element(&mut self, name: String, attrs: &str, self_closing: bool, span: Span, base: Abs) {
        let css = html::attr(attrs, "style").map(|s| html::parse_style(s, base)).unwrap_or_default();
        match name.as_str() {
            "br" => return self.push_inline(InlineKind::HardBreak, span, InlineDelta::default()),
            "hr" => {
                self.finish_block();
                self.blocks.push(new_block(BlockKind::Rule, span, BlockOverrides::default()));
                return;
            }
            "img" => {
                let alt = html::decode_entities(html::attr(attrs, "alt").unwrap_or(""));
                let Some(src) = html::attr(attrs, "src") else {
                    self.sink.warn(Some(span), "<img> without src is left out");
                    return;
                };
                // Typora writes `style="zoom:50%;"`; a percentage width scales the same way.
                let zoom = html::attr(attrs, "style")
                    .and_then(|css| {
                        css.split(';').find_map(|d| d.trim().strip_prefix("zoom:").map(str::trim).map(str::to_string))
                    })
                    .or_else(|| html::attr(attrs, "width").filter(|w| w.ends_with('%')).map(str::to_string))
                    .and_then(|z| z.trim_end_matches('%').trim().parse::<f64>().ok())
                    .map_or(1.0, |z| (z / 100.0).clamp(0.05, 1.0));
                return self.figure(src.to_string(), alt, zoom, span);
            }
            "meta" | "link" | "wbr" | "input" | "col" | "source" => return,
            _ => {}
        }
        let block_level = matches!(
            name.as_str(),
            "div"
                | "center"
                | "p"
                | "section"
                | "article"
                | "header"
                | "footer"
                | "main"
                | "aside"
                | "blockquote"
                | "h1"
                | "h2"
                | "h3"
                | "h4"
                | "h5"
                | "h6"
                | "ul"
                | "ol"
                | "li"
                | "table"
                | "tr"
                | "figure"
                | "pre"
        ) && !css.floated;
        let mut inline =
            InlineDelta { role: css.role, size: css.size, bold: css.bold, emph: css.italic, ..Default::default() };
        let mut link = None;
        match name.as_str() {
            "b" | "strong" => inline.bold = Some(true),
            "i" | "em" | "cite" | "dfn" => inline.emph = true,
            "u" | "ins" => inline.underline = true,
            "del" | "s" | "strike" => inline.strike = true,
            "sup" => inline.shift = Some(Shift::Super),
            "sub" => inline.shift = Some(Shift::Sub),
            "code" | "kbd" | "samp" | "tt" => inline.code = true,
            "a" => link = html::attr(attrs, "href").map(str::to_string),
            "font" => {
                if let Some(face) = html::attr(attrs, "face") {
                    inline.role = face.split(',').find_map(|f| Role::from_font_name(f.trim()));
                }
                if let Some(size) = html::attr(attrs, "size").and_then(|s| s.trim().parse::<usize>().ok()) {
                    // HTML <font size=1..7>: 3 is the normal size.
                    const SIZES: [f64; 7] = [7.5, 10.0, 12.0, 13.5, 18.0, 24.0, 36.0];
                    inline.size = Some(Abs::pt(SIZES[size.clamp(1, 7) - 1]));
                }
            }
            "span" | "small" | "big" | "mark" | "abbr" | "q" | "label" => {}
            _ if block_level || css.floated => {}
            _ => {
                if !self.warned_tags.contains(&name) {
                    self.sink.warn(
                        Some(span),
                        format!("unsupported HTML tag <{name}>: its text is kept, the tag is ignored"),
                    );
                    self.warned_tags.push(name.clone());
                }
            }
        }
        let mut block = BlockOverrides::default();
        if block_level {
            block = BlockOverrides {
                align: if name == "center" { Some(Align::Center) } else { css.align },
                role: css.role,
                size: css.size,
                bold: css.bold.or(name.starts_with('h').then_some(true)),
            };
            match (self.run_in, self.current.as_mut()) {
                (true, Some(current)) => {
                    let o = &mut current.overrides;
                    o.align = block.align.or(o.align);
                    o.role = block.role.or(o.role);
                    o.size = block.size.or(o.size);
                    o.bold = block.bold.or(o.bold);
                }
                _ => self.finish_block(),
            }
            self.run_in = false;
        }
        let element = OpenElement {
            name,
            block_level,
            block,
            inline: if block_level { InlineDelta::default() } else { inline },
            link,
            height: css.height,
            had_text: false,
            floated: css.floated,
        };
        if self_closing {
            self.close_opened(element);
        } else {
            self.html_open.push(element);
        }
    }

    fn close_element(&mut self, name: &str) {
        // Close the innermost matching element (and anything left open inside it).
        let Some(pos) = self.html_open.iter().rposition(|e| e.name == name) else {
            return;
        };
        while self.html_open.len() > pos {
            let element = self.html_open.pop().expect("length checked");
            self.close_opened(element);
        }
    }

    fn close_opened(&mut self, element: OpenElement) {
        if element.floated && element.had_text {
            self.run_in = true;
        }
        if element.block_level {
            self.finish_block();
            if let (Some(height), false) = (element.height, element.had_text) {
                self.blocks.push(new_block(BlockKind::Space(height), Span::default(), BlockOverrides::default()));
            }
        }
    }

    /// Adds a figure block where the image stands; the text around it goes on in its own
    /// paragraphs.
    fn figure(&mut self, src: String, caption: String, zoom: f64, span: Span) {
        self.finish_block();
        let caption = caption.trim().to_string();
        self.blocks.push(new_block(BlockKind::Figure { src, caption, zoom }, span, BlockOverrides::default()));
    }

    /// Reads YAML front matter (spec §10 “Front matter keys”): the title-block fields,
    /// `keywords`, and `format:` options. Unknown keys are warned about.
    fn front_matter(&mut self, text: &str, span: Span) {
        use yaml_rust2::Yaml;
        self.meta.has_front_matter = true;
        let docs = match yaml_rust2::YamlLoader::load_from_str(text) {
            Ok(docs) => docs,
            Err(err) => {
                let at = Span::new(span.start as usize + err.marker().index().min(text.len())..span.end as usize);
                self.sink.error(
                    Some(at),
                    format!("front matter is not valid YAML: {}", err.info()),
                    vec!["check the indentation, and quote values that contain `:`".into()],
                );
                return;
            }
        };
        let Some(Yaml::Hash(map)) = docs.into_iter().next() else { return };
        for (key, value) in map {
            let Some(key) = key.as_str() else { continue };
            let key_span = key_span(text, key, span, 0);
            let text_value = yaml_text(&value);
            let field = match key {
                "title" => Some(&mut self.meta.title),
                "subtitle" => Some(&mut self.meta.subtitle),
                "author" => Some(&mut self.meta.author),
                "student_id" => Some(&mut self.meta.student_id),
                "class" => Some(&mut self.meta.class),
                "school" => Some(&mut self.meta.school),
                "course" => Some(&mut self.meta.course),
                "teacher" => Some(&mut self.meta.teacher),
                "date" => Some(&mut self.meta.date),
                "abstract" => Some(&mut self.meta.abstract_),
                _ => None,
            };
            if let Some(field) = field {
                match text_value {
                    Some(v) => *field = Some(v.trim().to_string()),
                    None => self.sink.error(Some(key_span), format!("front matter `{key}` must be text"), vec![]),
                }
                continue;
            }
            match key {
                "keywords" => match &value {
                    Yaml::Array(items) => {
                        self.meta.keywords = items.iter().filter_map(yaml_text).map(|k| k.trim().to_string()).collect()
                    }
                    _ => match text_value {
                        Some(v) => {
                            self.meta.keywords = v
                                .split(['；', ';', '，', ',', '、'])
                                .map(|k| k.trim().to_string())
                                .filter(|k| !k.is_empty())
                                .collect()
                        }
                        None => self.sink.error(Some(key_span), "front matter `keywords` must be a list", vec![]),
                    },
                },
                "format" => match &value {
                    Yaml::Hash(options) => {
                        for (k, v) in options {
                            let Some(k) = k.as_str() else { continue };
                            let span = key_span_after(text, k, span, key_span);
                            match yaml_text(v) {
                                Some(v) => self.format.push(super::FormatSetting { key: k.into(), value: v, span }),
                                None => {
                                    self.sink.error(Some(span), format!("format option `{k}` must be a value"), vec![])
                                }
                            }
                        }
                    }
                    _ => self.sink.error(
                        Some(key_span),
                        "front matter `format` must be a map of options",
                        vec!["write one option per line under `format:`, indented, e.g. `  linebreaks: simple`".into()],
                    ),
                },
                _ => self.sink.warn(Some(key_span), format!("unknown front matter key `{key}` is ignored")),
            }
        }
    }
}

/// The span of `key:` in the front matter text (which starts at `block.start`).
fn key_span(text: &str, key: &str, block: Span, from: usize) -> Span {
    let mut offset = from;
    for line in text[from.min(text.len())..].split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.strip_prefix(key).is_some_and(|rest| rest.trim_start().starts_with(':')) {
            let start = block.start as usize + offset + (line.len() - trimmed.len());
            return Span::new(start..start + key.len());
        }
        offset += line.len();
    }
    block
}

/// The span of a nested key, searched after its parent key.
fn key_span_after(text: &str, key: &str, block: Span, parent: Span) -> Span {
    let from = (parent.end as usize).saturating_sub(block.start as usize);
    key_span(text, key, block, from.min(text.len()))
}

fn yaml_text(value: &yaml_rust2::Yaml) -> Option<String> {
    use yaml_rust2::Yaml;
    match value {
        Yaml::String(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Real(r) => Some(r.clone()),
        Yaml::Boolean(b) => Some(b.to_string()),
        Yaml::Array(items) => Some(items.iter().filter_map(yaml_text).collect::<Vec<_>>().join("；")),
        _ => None,
    }
}

fn new_block(kind: BlockKind, span: Span, overrides: BlockOverrides) -> Block {
    Block { kind, inlines: Vec::new(), overrides, span }
}

/// The label of an ordered list item (spec §10.6): top level （1）, nested ①, deeper 1.
fn ordered_label(n: u64, depth: usize) -> String {
    match depth {
        0 => format!("（{n}）"),
        1 if (1..=20).contains(&n) => char::from_u32(0x2460 + n as u32 - 1).expect("circled digit").to_string(),
        _ => format!("{n}."),
    }
}

/// `list-numbering = source` (spec §10.6): ordered items keep the author's `1.` numbers.
pub fn source_list_labels(doc: &mut Document) {
    for b in &mut doc.blocks {
        if let BlockKind::ListItem { label, number: Some(n), .. } = &mut b.kind {
            *label = format!("{n}.\u{2002}");
        }
    }
}

fn is_empty_text_block(b: &Block) -> bool {
    matches!(b.kind, BlockKind::Paragraph | BlockKind::Quote | BlockKind::ListItem { .. } | BlockKind::Heading { .. })
        && b.inlines.iter().all(|i| match &i.kind {
            InlineKind::Text(t) => t.trim().is_empty(),
            InlineKind::HardBreak => true,
            InlineKind::NoteRef(_) => false,
        })
        && !matches!(&b.kind, BlockKind::ListItem { label, .. } if !label.is_empty())
}

/// Builds the first-page block of spec §10.3 from front matter: title, subtitle, the
/// author lines, abstract and keywords, in that order, before the body.
fn title_block(doc: &mut Document) {
    let m = &doc.meta;
    let Some(title) = m.title.clone().filter(|_| m.has_front_matter) else { return };
    let text_block = |kind: BlockKind, runs: Vec<(String, InlineStyle)>| Block {
        kind,
        inlines: runs
            .into_iter()
            .map(|(t, style)| Inline { kind: InlineKind::Text(t), style, link: None, span: Span::default() })
            .collect(),
        overrides: BlockOverrides::default(),
        span: Span::default(),
    };
    let plain = InlineStyle::default();
    let label = InlineStyle { role: Some(Role::Hei), ..Default::default() };
    let mut blocks = vec![text_block(BlockKind::Title, vec![(title, plain)])];
    if let Some(sub) = &m.subtitle {
        blocks.push(text_block(BlockKind::Subtitle, vec![(format!("——{sub}"), plain)]));
    }
    // Two ideographic spaces between fields (spec §10.3 item 4).
    let join = |fields: Vec<String>| fields.join("\u{3000}\u{3000}");
    let first: Vec<String> =
        [m.school.clone().or(m.class.clone()), m.author.clone(), m.student_id.as_ref().map(|id| format!("学号：{id}"))]
            .into_iter()
            .flatten()
            .collect();
    let second: Vec<String> = [
        m.course.as_ref().map(|c| format!("课程：{c}")),
        m.teacher.as_ref().map(|t| format!("教师：{t}")),
        m.date.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    for line in [first, second].into_iter().filter(|l| !l.is_empty()) {
        blocks.push(text_block(BlockKind::AuthorLine, vec![(join(line), plain)]));
    }
    if let Some(text) = &m.abstract_ {
        blocks.push(text_block(BlockKind::Abstract, vec![("摘要：".into(), label), (text.clone(), plain)]));
    }
    if !m.keywords.is_empty() {
        blocks.push(text_block(BlockKind::Keywords, vec![("关键词：".into(), label), (m.keywords.join("；"), plain)]));
    }
    doc.blocks.splice(0..0, blocks);
}

/// A paragraph right above a table that reads `表1 …` (or `表 1：…`) is its caption
/// (spec §10.11: captions above tables).
fn table_captions(doc: &mut Document) {
    let mut i = 1;
    while i < doc.blocks.len() {
        let is_table = matches!(doc.blocks[i].kind, BlockKind::Table(_));
        let caption = (is_table && doc.blocks[i - 1].kind == BlockKind::Paragraph)
            .then(|| doc.blocks[i - 1].plain_text())
            .and_then(|t| {
                let rest = t.trim().strip_prefix('表')?;
                let rest = rest.trim_start();
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                (digits > 0).then(|| {
                    rest[digits..].trim_start_matches([' ', '\u{3000}', ':', '：', '.', '、']).trim().to_string()
                })
            });
        if let Some(caption) = caption {
            if let BlockKind::Table(table) = &mut doc.blocks[i].kind {
                table.caption = Some(caption);
            }
            doc.blocks.remove(i - 1);
            continue;
        }
        i += 1;
    }
}

/// Orders the definitions by first reference. A definition never referenced is a warning.
fn resolve_notes(labels: &[String], ref_spans: &[Span], defs: Vec<super::Note>, sink: &mut Sink) -> Vec<super::Note> {
    let mut notes = Vec::with_capacity(labels.len());
    for (label, span) in labels.iter().zip(ref_spans) {
        match defs.iter().find(|d| &d.label == label) {
            Some(def) => notes.push(def.clone()),
            None => {
                // pulldown-cmark only emits references that have a definition; keep the
                // table aligned all the same.
                sink.error(
                    Some(*span),
                    format!("footnote [^{label}] is referenced but never defined"),
                    vec![format!("add a definition line `[^{label}]: …` anywhere in the file")],
                );
                notes.push(super::Note { label: label.clone(), inlines: Vec::new(), span: *span });
            }
        }
    }
    for def in &defs {
        if !labels.contains(&def.label) {
            sink.warn(Some(def.span), format!("footnote [^{}] is defined but never referenced", def.label));
        }
    }
    notes
}

/// A `[^label]` left as text is a reference without a definition (CommonMark keeps it
/// literal): an error naming its line.
fn report_undefined_notes(doc: &Document, sink: &mut Sink) {
    for b in doc.blocks.iter().filter(|b| b.kind != BlockKind::Code) {
        for inline in &b.inlines {
            let InlineKind::Text(t) = &inline.kind else { continue };
            if inline.style.code {
                continue;
            }
            let mut from = 0;
            while let Some(pos) = t[from..].find("[^") {
                let start = from + pos;
                let Some(len) = t[start + 2..].find(']') else { break };
                let label = &t[start + 2..start + 2 + len];
                if !label.is_empty() && !label.contains(char::is_whitespace) {
                    let at = inline.span.start as usize + start;
                    sink.error(
                        Some(Span::new(at..at + len + 3)),
                        format!("footnote [^{label}] is referenced but never defined"),
                        vec![format!("add a definition line `[^{label}]: …` anywhere in the file")],
                    );
                }
                from = start + 2 + len;
            }
        }
    }
}

/// Gives the Typora idioms of the first page their meaning (spec §10.3): the first centred
/// line after the title is the author line, a paragraph that starts with 摘要 is the
/// abstract and one that starts with 关键词 the keywords. Their labels become 黑体 runs,
/// written `摘要：` / `关键词：` (the ideographic space of a floated `摘　要：` label only
/// served to widen a label column).
fn recognize_front_blocks(doc: &mut Document) {
    let Some(title) = doc.blocks.iter().position(|b| b.kind == BlockKind::Title) else { return };
    let end = doc.blocks[title..]
        .iter()
        .position(|b| matches!(b.kind, BlockKind::Heading { .. }))
        .map_or(doc.blocks.len(), |i| title + i);
    let mut seen_author = doc.blocks[title..end].iter().any(|b| b.kind == BlockKind::AuthorLine);
    for b in &mut doc.blocks[title + 1..end] {
        if b.kind != BlockKind::Paragraph {
            continue;
        }
        let text = b.plain_text();
        let compact: String = text.chars().filter(|c| !c.is_whitespace() && *c != '\u{3000}').take(4).collect();
        let label = if compact.starts_with("摘要") {
            Some((BlockKind::Abstract, "摘要："))
        } else if compact.starts_with("关键词") || compact.starts_with("关键字") {
            Some((BlockKind::Keywords, "关键词："))
        } else {
            None
        };
        if let Some((kind, label)) = label {
            split_label(b, label);
            b.kind = kind;
        } else if !seen_author && b.overrides.align == Some(Align::Center) {
            b.kind = BlockKind::AuthorLine;
            seen_author = true;
        }
    }
}

/// Replaces the leading label of a block (up to its first `：`/`:`) with `label` in 黑体.
fn split_label(b: &mut Block, label: &str) {
    let mut cut = None;
    for (i, inline) in b.inlines.iter().enumerate() {
        if let InlineKind::Text(t) = &inline.kind
            && let Some(pos) = t.find(['：', ':'])
        {
            let colon = t[pos..].chars().next().map_or(1, char::len_utf8);
            cut = Some((i, pos + colon));
            break;
        }
    }
    let Some((run, at)) = cut else { return };
    let span = b.inlines[run].span;
    let mut rest: Vec<Inline> = b.inlines.split_off(run);
    if let InlineKind::Text(t) = &mut rest[0].kind {
        *t = t[at..].trim_start().to_string();
    }
    let label_style = InlineStyle { role: Some(Role::Hei), ..rest[0].style };
    b.inlines = vec![Inline { kind: InlineKind::Text(label.into()), style: label_style, link: None, span }];
    b.inlines.extend(rest.into_iter().filter(|i| !matches!(&i.kind, InlineKind::Text(t) if t.is_empty())));
}

/// Spec §10.4: with no front-matter title, a document that starts with its only `#`
/// heading takes that heading as the title, and every other level moves up by one.
fn promote_title(doc: &mut Document) {
    if doc.blocks.iter().any(|b| b.kind == BlockKind::Title) {
        return;
    }
    let h1s = doc.blocks.iter().filter(|b| matches!(b.kind, BlockKind::Heading { level: 1, .. })).count();
    let first_text = doc.blocks.iter().position(|b| !matches!(b.kind, BlockKind::Space(_)));
    let Some(first) = first_text else { return };
    if h1s == 1 && matches!(doc.blocks[first].kind, BlockKind::Heading { level: 1, .. }) {
        doc.blocks[first].kind = BlockKind::Title;
        for b in &mut doc.blocks {
            if let BlockKind::Heading { level, .. } = &mut b.kind {
                *level -= 1;
            }
        }
    }
}

/// Whether a heading's text already starts with a number label (spec §10.4's pattern).
pub fn has_manual_number(text: &str) -> bool {
    const CN: &str = "一二三四五六七八九十百";
    let t = text.trim_start();
    let cn_len = t.chars().take_while(|c| CN.contains(*c)).map(char::len_utf8).sum::<usize>();
    if cn_len > 0 && t[cn_len..].starts_with('、') {
        return true;
    }
    if let Some(rest) = t.strip_prefix('（') {
        let n = rest.chars().take_while(|c| CN.contains(*c)).map(char::len_utf8).sum::<usize>();
        if n > 0 && rest[n..].starts_with('）') {
            return true;
        }
    }
    let digits = t.chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect::<String>();
    if digits.starts_with(|c: char| c.is_ascii_digit()) {
        let rest = &t[digits.len()..];
        if digits.ends_with('.') || rest.starts_with(['、', ' ', '\t', '\u{3000}']) {
            return true;
        }
    }
    if let Some(rest) = t.strip_prefix('第') {
        let n = rest.chars().take_while(|c| CN.contains(*c) || c.is_ascii_digit()).map(char::len_utf8).sum::<usize>();
        if n > 0 && rest[n..].starts_with(['章', '节']) {
            return true;
        }
    }
    false
}

/// Chinese numerals 一…九十九 (spec §10.4).
pub fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", D[n % 10]),
        20..=99 if n.is_multiple_of(10) => format!("{}十", D[n / 10]),
        20..=99 => format!("{}十{}", D[n / 10], D[n % 10]),
        _ => n.to_string(),
    }
}

/// Gives headings their labels (spec §10.4); off when the author numbered them already.
pub fn number_headings(doc: &mut Document, scheme: HeadingNumbering, sink: &mut Sink) {
    if scheme == HeadingNumbering::None {
        return;
    }
    let manual =
        doc.blocks.iter().find(|b| matches!(b.kind, BlockKind::Heading { .. }) && has_manual_number(&b.plain_text()));
    if let Some(b) = manual {
        sink.warn(Some(b.span), "headings are numbered by hand, so automatic numbering is off");
        return;
    }
    let mut counters = [0usize; 6];
    for b in &mut doc.blocks {
        let BlockKind::Heading { level, label } = &mut b.kind else {
            continue;
        };
        let l = (*level).clamp(1, 5) as usize;
        counters[l - 1] += 1;
        counters[l..].iter_mut().for_each(|c| *c = 0);
        let n = counters[l - 1];
        *label = match scheme {
            HeadingNumbering::Cn => match l {
                1 => format!("{}、", chinese_number(n)),
                2 => format!("（{}）", chinese_number(n)),
                // `1.` + ¼ em (U+2005 FOUR-PER-EM SPACE).
                3 => format!("{n}.\u{2005}"),
                4 => format!("（{n}）"),
                _ if n <= 20 => char::from_u32(0x2460 + n as u32 - 1).expect("circled digit").to_string(),
                _ => format!("({n})"),
            },
            HeadingNumbering::Decimal => {
                let parts: Vec<String> = counters[..l].iter().map(|c| c.to_string()).collect();
                format!("{}\u{2002}", parts.join("."))
            }
            HeadingNumbering::Chapter if l == 1 => format!("第{}章\u{3000}", chinese_number(n)),
            HeadingNumbering::Chapter => {
                let parts: Vec<String> = counters[..l].iter().map(|c| c.to_string()).collect();
                format!("{}\u{2002}", parts.join("."))
            }
            HeadingNumbering::None => String::new(),
        };
    }
}

/// Takes the title and author for the PDF's metadata from the text when front matter
/// has none: the title block, and the first centred line after it.
fn fill_meta(doc: &mut Document) {
    let title_pos = doc.blocks.iter().position(|b| b.kind == BlockKind::Title);
    if doc.meta.title.is_none() {
        doc.meta.title = title_pos.map(|i| doc.blocks[i].plain_text().trim().to_string());
    }
    if doc.meta.author.is_none()
        && let Some(i) = title_pos
    {
        doc.meta.author = doc.blocks[i + 1..]
            .iter()
            .take_while(|b| !matches!(b.kind, BlockKind::Heading { .. }))
            .find(|b| b.overrides.align == Some(Align::Center))
            .map(|b| b.plain_text().trim().to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_str(md: &str) -> (Document, Vec<crate::diag::Diagnostic>) {
        let mut sink = Sink::default();
        let mut doc = parse(&Source::new("t.md", md.into()), &mut sink);
        number_headings(&mut doc, HeadingNumbering::Cn, &mut sink);
        (doc, sink.into_vec())
    }

    #[test]
    fn only_h1_becomes_the_title_and_levels_shift() {
        let (doc, _) = parse_str("# 标题\n\n## 第一部分\n\n正文。\n\n### 小节\n\n正文。\n");
        assert_eq!(doc.blocks[0].kind, BlockKind::Title);
        assert_eq!(doc.blocks[1].kind, BlockKind::Heading { level: 1, label: "一、".into() });
        assert_eq!(doc.blocks[3].kind, BlockKind::Heading { level: 2, label: "（一）".into() });
        assert_eq!(doc.meta.title.as_deref(), Some("标题"));
    }

    #[test]
    fn manual_numbers_turn_numbering_off() {
        let (doc, diags) = parse_str("## 一、引言\n\n正文。\n\n## 二、结论\n");
        assert_eq!(doc.blocks[0].kind, BlockKind::Heading { level: 2, label: String::new() });
        assert!(diags[0].message.contains("numbered by hand"));
        assert!(has_manual_number("1.1 背景"));
        assert!(has_manual_number("第三章 方法"));
        assert!(!has_manual_number("2024年的变化"));
    }

    #[test]
    fn typora_html_keeps_text_and_style() {
        let md = "# 题目\n\n<center><div style='height:2mm;'></div><div style=\"font-family:华文楷体;font-size:14pt;\">电信学部-李宇轩</div></center>\n\n<div>\n<div style=\"float:left; font-family:方正公文黑体;\">摘　要：</div>\n<div style=\"font-family:华文楷体;\">正文一。\n正文二。</div>\n</div>\n";
        let (doc, diags) = parse_str(md);
        assert!(diags.is_empty(), "{diags:?}");
        assert!(matches!(doc.blocks[1].kind, BlockKind::Space(h) if h.approx_eq(Abs::mm(2.0))));
        let author = &doc.blocks[2];
        assert_eq!(author.plain_text(), "电信学部-李宇轩");
        assert_eq!(author.overrides.align, Some(Align::Center));
        assert_eq!(author.overrides.role, Some(Role::Kai));
        assert_eq!(author.overrides.size, Some(Abs::pt(14.0)));
        let abs = &doc.blocks[3];
        assert_eq!(abs.kind, BlockKind::Abstract);
        assert_eq!(abs.plain_text(), "摘要：正文一。正文二。");
        assert_eq!(author.kind, BlockKind::AuthorLine);
        assert_eq!(abs.inlines[0].style.role, Some(Role::Hei));
        assert_eq!(abs.overrides.role, Some(Role::Kai));
        assert_eq!(doc.meta.author.as_deref(), Some("电信学部-李宇轩"));
    }

    #[test]
    fn lists_get_chinese_labels() {
        let (doc, _) = parse_str("1. 甲\n2. 乙\n   - 丙\n");
        assert_eq!(doc.blocks[0].kind, BlockKind::ListItem { label: "（1）".into(), depth: 0, number: Some(1) });
        assert_eq!(doc.blocks[1].kind, BlockKind::ListItem { label: "（2）".into(), depth: 0, number: Some(2) });
        assert_eq!(doc.blocks[2].kind, BlockKind::ListItem { label: "•\u{2002}".into(), depth: 1, number: None });
        let mut doc = doc;
        source_list_labels(&mut doc);
        assert_eq!(doc.blocks[1].kind, BlockKind::ListItem { label: "2.\u{2002}".into(), depth: 0, number: Some(2) });
    }

    #[test]
    fn footnotes_are_numbered_by_first_reference() {
        let (doc, diags) = parse_str("甲[^b]乙[^a]丙[^b]。\n\n[^a]: 注甲。\n[^b]: 注乙。\n[^c]: 多余。\n");
        assert_eq!(doc.notes.iter().map(|n| n.label.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        let refs: Vec<usize> = doc.blocks[0]
            .inlines
            .iter()
            .filter_map(|i| if let InlineKind::NoteRef(n) = i.kind { Some(n) } else { None })
            .collect();
        assert_eq!(refs, [0, 1, 0]);
        assert_eq!(doc.notes[1].inlines[0].kind, InlineKind::Text("注甲。".into()));
        assert!(diags.iter().any(|d| d.message.contains("[^c] is defined but never referenced")));
    }

    #[test]
    fn an_undefined_footnote_is_an_error_naming_its_line() {
        let mut sink = Sink::default();
        let source = Source::new("t.md", "第一段。\n\n这里[^missing]引用。\n".into());
        parse(&source, &mut sink);
        let d = sink.into_vec();
        let e = d.iter().find(|d| d.severity == crate::diag::Severity::Error).expect("an error");
        assert!(e.render(&source).starts_with("t.md:3:3: error: footnote [^missing]"), "{}", e.render(&source));
        assert!(e.hints[0].contains("[^missing]: …"));
    }

    #[test]
    fn tables_with_captions() {
        let (doc, _) = parse_str("表1 各地区数据\n\n| 地区 | 增速 |\n|:--|--:|\n| 东部 | 5.2% |\n| 西部 | 6.1% |\n");
        let BlockKind::Table(t) = &doc.blocks[0].kind else { panic!("{:?}", doc.blocks[0].kind) };
        assert_eq!(t.caption.as_deref(), Some("各地区数据"));
        assert_eq!(t.header_rows, 1);
        assert_eq!(t.rows.len(), 3);
        assert_eq!(t.aligns, [Some(Align::Start), Some(Align::End)]);
        assert_eq!(t.rows[2][1][0].kind, InlineKind::Text("6.1%".into()));
    }

    #[test]
    fn chinese_numerals() {
        assert_eq!(chinese_number(3), "三");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(14), "十四");
        assert_eq!(chinese_number(20), "二十");
        assert_eq!(chinese_number(37), "三十七");
    }

    #[test]
    fn links_and_unknown_tags() {
        let (doc, diags) = parse_str("见[新华网](http://x.cn/a)和<marquee>滚动</marquee>。\n");
        let b = &doc.blocks[0];
        assert_eq!(b.plain_text(), "见新华网和滚动。");
        assert_eq!(b.inlines[1].link.as_deref(), Some("http://x.cn/a"));
        assert!(diags.iter().any(|d| d.message.contains("<marquee>")));
    }
}
