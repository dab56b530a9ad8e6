//! The resolved style: every size, font role and typographic knob, with no `Option`s.
//!
//! Defaults are the classroom format of spec §8–§10 (`preset = classroom`). Named knobs
//! (spec §10.12) are set with `-M key=value`; [`Style::set`] parses one of them.

use crate::geom::Abs;

/// A font role (spec §10.2); each role has its own fallback chain in the font book.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// 宋体: body, footnotes, references.
    Song,
    /// 黑体: title, headings, labels, `**strong**`.
    Hei,
    /// 楷体: author line, abstract, `*emphasis*`.
    Kai,
    /// Monospace: code.
    Mono,
}

impl Role {
    /// Maps a font name as Word users write it (华文楷体, SimSun, 方正公文黑体 …) to a role
    /// by what it contains (spec §10.2). 仿宋 maps to 楷体 until a 仿宋 face is embedded.
    pub fn from_font_name(name: &str) -> Option<Role> {
        let n = name.to_lowercase();
        let has = |keys: &[&str]| keys.iter().any(|k| n.contains(k));
        if has(&["楷", "kai", "仿宋", "fangsong"]) {
            Some(Role::Kai)
        } else if has(&["黑", "hei", "sans", "gothic", "雅黑", "yahei"]) {
            Some(Role::Hei)
        } else if has(&["宋", "song", "sun", "ming", "serif", "times"]) {
            Some(Role::Song)
        } else if has(&["mono", "courier", "consolas", "code"]) {
            Some(Role::Mono)
        } else {
            None
        }
    }
}

/// A font: role, weight and size.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct FontSpec {
    /// Which face family.
    pub role: Role,
    /// Whether the bold face (or synthetic bold) is used.
    pub bold: bool,
    /// Font size (1 em).
    pub size: Abs,
}

/// How the lines of a block are aligned (spec §6.1).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Align {
    /// Flush on both sides, last line start-aligned.
    Justify,
    /// Flush left, natural spacing.
    Start,
    /// Flush right, natural spacing (table columns).
    End,
    /// Centred, natural spacing.
    Center,
}

/// The style of one kind of block.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct ParStyle {
    /// Base font.
    pub font: FontSpec,
    /// Baseline-to-baseline distance (the line slot height, spec §8.3).
    pub pitch: Abs,
    /// Indent of the first line.
    pub first_indent: Abs,
    /// Alignment.
    pub align: Align,
    /// Space above the block.
    pub space_before: Abs,
    /// Space below the block.
    pub space_after: Abs,
}

/// Paper and margins (spec §10.1).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct PageStyle {
    /// Paper width.
    pub width: Abs,
    /// Paper height.
    pub height: Abs,
    /// Top margin.
    pub top: Abs,
    /// Bottom margin.
    pub bottom: Abs,
    /// Left margin.
    pub left: Abs,
    /// Right margin.
    pub right: Abs,
}

impl PageStyle {
    /// The left margin of page `number` (1-based): with `duplex`, even (verso) pages
    /// mirror the margins, inner edge on the right.
    pub fn left_of(&self, number: usize, duplex: bool) -> Abs {
        if duplex && number.is_multiple_of(2) { self.right } else { self.left }
    }

    /// Width of the type area (the measure of a full line).
    pub fn text_width(&self) -> Abs {
        self.width - self.left - self.right
    }

    /// Height of the type area.
    pub fn text_height(&self) -> Abs {
        self.height - self.top - self.bottom
    }
}

/// Line-breaking strictness (spec §3.3).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Strictness {
    /// No prohibitions beyond UAX #14.
    None,
    /// CLREQ basic.
    Basic,
    /// Basic plus SOLIDUS never at line end (default).
    Gb,
    /// GB plus —— never at line start.
    Strict,
}

/// Punctuation width style (spec §4).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PunctStyle {
    /// 全角式 with adjacent-mark compression and line-edge trimming (default).
    Quanjiao,
    /// 开明式: sentence-final 。？！ full width, all other marks half.
    Kaiming,
    /// 半角式: all marks half width.
    Banjiao,
    /// No adjustment at all.
    Plain,
}

/// Which line breaker is used (spec §6.3).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum Linebreaks {
    /// First fit, push-in before push-out.
    Simple,
    /// Knuth–Plass total fit (default).
    Optimized,
}

/// Heading numbering scheme (spec §10.4, §10.12).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum HeadingNumbering {
    /// 一、→（一）→1.→（1）→①.
    Cn,
    /// 1, 1.1, 1.1.1.
    Decimal,
    /// 第一章 (三号, centred, on a new page), then 1.1, 1.1.1.
    Chapter,
    /// No numbers.
    None,
}

/// How footnotes are numbered (spec §10.8).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum FootnoteNumbering {
    /// ① ② … restarting on every page (default).
    CircledPerPage,
    /// 1, 2, 3 … through the document.
    ArabicContinuous,
    /// 1, 2, 3 … restarting on every page.
    ArabicPerPage,
}

impl FootnoteNumbering {
    /// The printed number of the `n`-th (1-based) note.
    pub fn label(self, n: usize) -> String {
        match self {
            FootnoteNumbering::CircledPerPage if (1..=20).contains(&n) => {
                char::from_u32(0x2460 + n as u32 - 1).expect("circled digit").to_string()
            }
            FootnoteNumbering::CircledPerPage => format!("({n})"),
            _ => n.to_string(),
        }
    }
}

/// The typographic knobs of spec §3–§6.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct Typography {
    /// `linebreak-strictness`.
    pub strictness: Strictness,
    /// `punct-style`.
    pub punct: PunctStyle,
    /// `cjk-latin-glue`: whether the glue may stretch and shrink (`flexible`) or not (`fixed`).
    pub glue_flexible: bool,
    /// `linebreaks`.
    pub linebreaks: Linebreaks,
    /// `compress-sentence-end`: whether 。？！ blanks may shrink (shrink tier 7).
    pub compress_sentence_end: bool,
    /// `trim-open-after-indent`: whether an opening mark after the first-line indent loses its
    /// left blank.
    pub trim_open_after_indent: bool,
    /// `hanging-punct`: whether one 、，。． may protrude ½ em past the measure.
    pub hanging_punct: bool,
    /// `footnote-numbering`.
    pub footnote_numbering: FootnoteNumbering,
    /// `footnote-split`: whether a long note may continue on the next page.
    pub footnote_split: bool,
    /// Whether an overfull line is only a warning (`--allow-overfull`), spec §12.
    pub allow_overfull: bool,
    /// `ellipsis-own-line`: a four-em ellipsis (…………) stands on a line of its own
    /// (GB/T 15834 5.1.5, spec §3.3).
    pub ellipsis_own_line: bool,
}

/// Punctuation of generated reference entries (spec §10.9 `ref-punct`).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum RefPunct {
    /// Half-width throughout (the 2015 default).
    Half,
    /// Full-width （）.
    Gb,
    /// Full-width in Chinese entries, half-width in Western ones.
    ByLanguage,
}

/// How the page number reads (spec §10.10).
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PageNumberFormat {
    /// `1`.
    Plain,
    /// `- 1 -`.
    Dash,
    /// `第 1 页 共 5 页`.
    OfTotal,
}

/// Where the page number sits.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum PageNumberPos {
    /// Centred (default).
    Center,
    /// Flush right.
    Right,
    /// Right on odd pages, left on even pages.
    Outside,
}

/// The page number in the footer (spec §10.10).
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct FooterStyle {
    /// Font of the number.
    pub font: FontSpec,
    /// Distance of its baseline above the bottom edge of the paper.
    pub baseline_from_bottom: Abs,
    /// `page-number`.
    pub format: PageNumberFormat,
    /// `page-number-pos`.
    pub pos: PageNumberPos,
}

/// The fully resolved style of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Style {
    /// Paper and margins.
    pub page: PageStyle,
    /// Body paragraphs.
    pub body: ParStyle,
    /// The paper's title.
    pub title: ParStyle,
    /// The subtitle.
    pub subtitle: ParStyle,
    /// The author line below the title.
    pub author: ParStyle,
    /// Abstract and keywords.
    pub abstract_: ParStyle,
    /// Headings of levels 1–5.
    pub headings: [ParStyle; 5],
    /// Heading numbering.
    pub heading_numbering: HeadingNumbering,
    /// Block quotes.
    pub quote: ParStyle,
    /// Code blocks.
    pub code: ParStyle,
    /// Footnote text (spec §10.8: 宋体 小五, pitch 11.7 pt, hanging indent 1.5 em).
    pub footnote: ParStyle,
    /// Reference-list entries (spec §10.9: 宋体 五号, pitch 16 pt).
    pub reference: ParStyle,
    /// `link-footnotes`: print each inline link's URL as a footnote.
    pub link_footnotes: bool,
    /// `citation-style`: whether `[1]` citations are raised (superscript) or left inline.
    pub citation_superscript: bool,
    /// Page numbers.
    pub footer: FooterStyle,
    /// `header`: running head text (`{school}`, `{title}`, `{course}` are filled in), none by
    /// default (spec §10.10).
    pub header: Option<String>,
    /// `cover`: an unnumbered cover page before page 1.
    pub cover: bool,
    /// `toc`: a table of contents (目录) after the cover.
    pub toc: bool,
    /// `heading-new-page`: level-1 headings start a new page.
    pub heading_new_page: bool,
    /// `refstyle`: `gbt7714-2015` (default) or `gbt7714-2025` (spec §10.9).
    pub gbt7714_2025: bool,
    /// `ref-punct`: `half` (default), `gb` (full-width （）) or `bylanguage` (full-width in
    /// Chinese entries), as the gbt7714 package's `bibpunct`.
    pub ref_punct: RefPunct,
    /// `list-numbering = source`: ordered items keep `1.` instead of （1）.
    pub list_numbering_source: bool,
    /// `list-style = hanging`: an item's later lines hang under its text (else they return
    /// to the margin like a paragraph's).
    pub list_hanging: bool,
    /// `char-grid = snap-right`: the measure is a whole number of body characters, the rest
    /// added to the right margin (spec §10.1).
    pub char_grid: bool,
    /// `duplex`: printed on both sides, margins mirrored (inner 30 mm, outer 25 mm).
    pub duplex: bool,
    /// Typographic knobs.
    pub typo: Typography,
}

/// Word's "1.5 倍行距" for a CJK font: 1.5 × 1.3 × size (spec §8.3).
const WORD_ONE_AND_HALF: f64 = 1.95;

impl Default for Style {
    /// The classroom preset (spec §10).
    fn default() -> Style {
        let body_size = Abs::pt(12.0);
        let font = |role, bold, size| FontSpec { role, bold, size: Abs::pt(size) };
        let par = |font: FontSpec, pitch: Abs, indent: Abs, align| ParStyle {
            font,
            pitch,
            first_indent: indent,
            align,
            space_before: Abs::ZERO,
            space_after: Abs::ZERO,
        };
        let g = body_size * WORD_ONE_AND_HALF; // 23.4 pt
        let half_g = g * 0.5;
        let body = par(font(Role::Song, false, 12.0), g, body_size * 2.0, Align::Justify);
        let mut h1 = par(font(Role::Hei, false, 14.0), g, Abs::ZERO, Align::Center);
        h1.space_before = half_g;
        h1.space_after = half_g;
        let h2 = par(font(Role::Hei, false, 12.0), g, body_size * 2.0, Align::Start);
        let h3 = par(font(Role::Song, true, 12.0), g, body_size * 2.0, Align::Start);
        let h4 = par(font(Role::Song, false, 12.0), g, body_size * 2.0, Align::Start);
        let title = par(font(Role::Hei, true, 18.0), g, Abs::ZERO, Align::Center);
        let subtitle = par(font(Role::Kai, false, 14.0), g, Abs::ZERO, Align::Center);
        let author = par(font(Role::Kai, false, 12.0), g, Abs::ZERO, Align::Center);
        let abstract_ = par(font(Role::Kai, false, 12.0), g, body_size * 2.0, Align::Justify);
        let mut quote = par(font(Role::Kai, false, 12.0), g, body_size * 2.0, Align::Justify);
        quote.space_before = half_g;
        quote.space_after = half_g;
        let code = par(font(Role::Mono, false, 10.5), Abs::pt(15.75), Abs::ZERO, Align::Start);
        let footnote = par(font(Role::Song, false, 9.0), Abs::pt(11.7), Abs::ZERO, Align::Justify);
        let reference = par(font(Role::Song, false, 10.5), Abs::pt(16.0), Abs::ZERO, Align::Justify);
        Style {
            page: PageStyle {
                width: Abs::mm(210.0),
                height: Abs::mm(297.0),
                top: Abs::mm(25.0),
                bottom: Abs::mm(25.0),
                left: Abs::mm(30.0),
                right: Abs::mm(25.0),
            },
            body,
            title,
            subtitle,
            author,
            abstract_,
            headings: [h1, h2, h3, h4, h4],
            heading_numbering: HeadingNumbering::Cn,
            quote,
            code,
            footnote,
            reference,
            link_footnotes: false,
            citation_superscript: true,
            footer: FooterStyle {
                font: font(Role::Song, false, 9.0),
                baseline_from_bottom: Abs::mm(15.0),
                format: PageNumberFormat::Plain,
                pos: PageNumberPos::Center,
            },
            header: None,
            cover: false,
            toc: false,
            heading_new_page: false,
            gbt7714_2025: false,
            ref_punct: RefPunct::Half,
            list_numbering_source: false,
            list_hanging: false,
            char_grid: false,
            duplex: false,
            typo: Typography {
                strictness: Strictness::Gb,
                punct: PunctStyle::Quanjiao,
                glue_flexible: true,
                linebreaks: Linebreaks::Optimized,
                compress_sentence_end: true,
                trim_open_after_indent: false,
                hanging_punct: false,
                footnote_numbering: FootnoteNumbering::CircledPerPage,
                footnote_split: true,
                ellipsis_own_line: false,
                allow_overfull: false,
            },
        }
    }
}

/// Every knob `-M key=value` accepts, for `--help` and error hints.
pub const KNOBS: &[&str] = &[
    "linebreak-strictness",
    "punct-style",
    "cjk-latin-glue",
    "linebreaks",
    "compress-sentence-end",
    "trim-open-after-indent",
    "hanging-punct",
    "footnote-numbering",
    "footnote-split",
    "heading-numbering",
    "heading-new-page",
    "heading-align",
    "refstyle",
    "ref-punct",
    "list-numbering",
    "list-style",
    "quote-size",
    "char-grid",
    "ellipsis-own-line",
    "allow-overfull",
    "duplex",
    "preset",
    "header",
    "page-number",
    "page-number-pos",
    "cover",
    "toc",
    "link-footnotes",
    "citation-style",
    "body-size",
    "line-spacing",
    "margins",
];

impl Style {
    /// Applies what depends on several settings at once, after all of them are made:
    /// `char-grid = snap-right` rounds the measure down to whole body characters (spec
    /// §10.1: 36 em = 432 pt at 小四) and adds the rest to the right margin.
    pub fn finish(mut self) -> Style {
        if self.char_grid {
            let em = self.body.font.size;
            let width = self.page.text_width();
            let whole = em * (width / em).floor();
            self.page.right += width - whole;
        }
        self
    }

    /// The style of a named preset (spec §10.12): `classroom` (the defaults of spec §10) or
    /// `thesis-like` (cover page, table of contents, decimal heading numbers, fixed 20 pt
    /// line spacing, the school's name as running head, level-1 headings on new pages).
    pub fn preset(name: &str) -> Result<Style, String> {
        let mut style = Style::default();
        match name {
            "classroom" => {}
            "thesis-like" | "thesis" => {
                style.set("heading-numbering", "decimal")?;
                style.set("line-spacing", "fixed-20")?;
                style.set("cover", "true")?;
                style.set("toc", "true")?;
                style.set("header", "{school}")?;
                style.set("heading-new-page", "true")?;
            }
            _ => return Err(format!("unknown preset `{name}` (expected classroom or thesis-like)")),
        }
        Ok(style)
    }

    /// Sets one named knob (spec §10.12). The error names the accepted values.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let v = value.trim();
        let bad = |accepted: &str| Err(format!("invalid value `{v}` for `{key}` (expected {accepted})"));
        // The value of a true/false knob, read only by the arms that are such knobs.
        let flag = || parse_bool(v).ok_or_else(|| format!("invalid value `{v}` for `{key}` (expected true or false)"));
        match key {
            "linebreak-strictness" => {
                self.typo.strictness = match v {
                    "none" => Strictness::None,
                    "basic" => Strictness::Basic,
                    "gb" => Strictness::Gb,
                    "strict" => Strictness::Strict,
                    _ => return bad("none, basic, gb or strict"),
                }
            }
            "punct-style" => {
                self.typo.punct = match v {
                    "quanjiao" => PunctStyle::Quanjiao,
                    "kaiming" => PunctStyle::Kaiming,
                    "banjiao" => PunctStyle::Banjiao,
                    "plain" => PunctStyle::Plain,
                    _ => return bad("quanjiao, kaiming, banjiao or plain"),
                }
            }
            "cjk-latin-glue" => {
                self.typo.glue_flexible = match v {
                    "flexible" => true,
                    "fixed" => false,
                    _ => return bad("flexible or fixed"),
                }
            }
            "linebreaks" => {
                self.typo.linebreaks = match v {
                    "optimized" => Linebreaks::Optimized,
                    "simple" => Linebreaks::Simple,
                    _ => return bad("optimized or simple"),
                }
            }
            "compress-sentence-end" => self.typo.compress_sentence_end = flag()?,
            "trim-open-after-indent" => self.typo.trim_open_after_indent = flag()?,
            "hanging-punct" => self.typo.hanging_punct = flag()?,
            "footnote-numbering" => {
                self.typo.footnote_numbering = match v {
                    "circled-per-page" => FootnoteNumbering::CircledPerPage,
                    "arabic-continuous" => FootnoteNumbering::ArabicContinuous,
                    "arabic-per-page" => FootnoteNumbering::ArabicPerPage,
                    _ => return bad("circled-per-page, arabic-continuous or arabic-per-page"),
                }
            }
            "footnote-split" => {
                self.typo.footnote_split = match v {
                    "allow" | "true" => true,
                    "never" | "false" => false,
                    _ => return bad("allow or never"),
                }
            }
            "link-footnotes" => self.link_footnotes = flag()?,
            "citation-style" => {
                self.citation_superscript = match v {
                    "superscript" => true,
                    "inline" => false,
                    _ => return bad("superscript or inline"),
                }
            }
            "heading-numbering" => {
                self.heading_numbering = match v {
                    "cn" => HeadingNumbering::Cn,
                    "decimal" => HeadingNumbering::Decimal,
                    "chapter" => HeadingNumbering::Chapter,
                    "none" => HeadingNumbering::None,
                    _ => return bad("cn, decimal, chapter or none"),
                };
                if self.heading_numbering == HeadingNumbering::Chapter {
                    // 第一章: 三号, centred, on a new page (spec §10.12).
                    self.headings[0].font.size = Abs::pt(16.0);
                    self.headings[0].align = Align::Center;
                    self.heading_new_page = true;
                }
                if self.heading_numbering == HeadingNumbering::Decimal {
                    // Engineering style (THU/USTC): 黑体 四号/小四/小四, start-aligned, no indent.
                    for (level, size) in [(0, 14.0), (1, 12.0), (2, 12.0)] {
                        let h = &mut self.headings[level];
                        h.font = FontSpec { role: Role::Hei, bold: false, size: Abs::pt(size) };
                        h.align = Align::Start;
                        h.first_indent = Abs::ZERO;
                    }
                }
            }
            "heading-new-page" => self.heading_new_page = flag()?,
            "heading-align" => match v {
                "h1-center" => self.headings[0].align = Align::Center,
                "all-start" => self.headings[0].align = Align::Start,
                _ => return bad("h1-center or all-start"),
            },
            "refstyle" => {
                self.gbt7714_2025 = match v {
                    "gbt7714-2015" => false,
                    "gbt7714-2025" => true,
                    _ => return bad("gbt7714-2015 or gbt7714-2025"),
                }
            }
            "list-numbering" => {
                self.list_numbering_source = match v {
                    "cn" => false,
                    "source" => true,
                    _ => return bad("cn or source"),
                }
            }
            "list-style" => {
                self.list_hanging = match v {
                    "paragraph" => false,
                    "hanging" => true,
                    _ => return bad("paragraph or hanging"),
                }
            }
            "quote-size" => match parse_font_size(v) {
                Some(size) => {
                    self.quote.font.size = size;
                    self.quote.first_indent = size * 2.0;
                }
                None => return bad("a 字号 name such as 五号, or a size such as 10.5pt"),
            },
            "allow-overfull" => self.typo.allow_overfull = flag()?,
            "ellipsis-own-line" => self.typo.ellipsis_own_line = flag()?,
            "char-grid" => {
                self.char_grid = match v {
                    "none" => false,
                    "snap-right" => true,
                    _ => return bad("none or snap-right"),
                }
            }
            "ref-punct" => {
                self.ref_punct = match v {
                    "half" => RefPunct::Half,
                    "gb" => RefPunct::Gb,
                    "bylanguage" => RefPunct::ByLanguage,
                    _ => return bad("half, gb or bylanguage"),
                }
            }
            // A preset replaces every setting made before it: name it first.
            "preset" => *self = Style::preset(v)?,
            "duplex" => self.duplex = flag()?,
            "header" => self.header = (!v.is_empty() && v != "none").then(|| v.to_string()),
            "page-number" => {
                self.footer.format = match v {
                    "plain" => PageNumberFormat::Plain,
                    "dash" => PageNumberFormat::Dash,
                    "of-total" => PageNumberFormat::OfTotal,
                    _ => return bad("plain, dash or of-total"),
                }
            }
            "page-number-pos" => {
                self.footer.pos = match v {
                    "center" => PageNumberPos::Center,
                    "right" => PageNumberPos::Right,
                    "outside" => PageNumberPos::Outside,
                    _ => return bad("center, right or outside"),
                }
            }
            "cover" => self.cover = flag()?,
            "toc" => self.toc = flag()?,
            "body-size" => {
                let Some(size) = parse_font_size(v) else {
                    return bad("a 字号 name such as 小四 or xiaosi, or a size such as 12pt");
                };
                let ratio = self.body.pitch / self.body.font.size;
                self.body.font.size = size;
                self.body.pitch = size * ratio;
                self.body.first_indent = size * 2.0;
            }
            "line-spacing" => {
                let size = self.body.font.size;
                self.body.pitch = match v {
                    "word-1.5" => size * WORD_ONE_AND_HALF,
                    "word-single" => size * 1.3,
                    "ctex" => size * 1.56,
                    "fixed-20" => Abs::pt(20.0),
                    "fixed-22" => Abs::pt(22.0),
                    _ => match parse_length(v) {
                        Some(len) if len > size => len,
                        _ => {
                            return bad(
                                "word-1.5, word-single, ctex, fixed-20, fixed-22 or a length above the body size",
                            );
                        }
                    },
                };
                self.abstract_.pitch = self.body.pitch;
            }
            "margins" => {
                let (t, b, l, r) = match v {
                    "std" => (25.0, 25.0, 30.0, 25.0),
                    "uniform-25" => (25.0, 25.0, 25.0, 25.0),
                    "word" => (25.4, 25.4, 31.8, 31.8),
                    "thu" => (30.0, 30.0, 30.0, 30.0),
                    _ => return bad("std, uniform-25, word or thu"),
                };
                self.page.top = Abs::mm(t);
                self.page.bottom = Abs::mm(b);
                self.page.left = Abs::mm(l);
                self.page.right = Abs::mm(r);
            }
            _ => {
                return Err(format!("unknown format option `{key}` (known: {})", KNOBS.join(", ")));
            }
        }
        Ok(())
    }
}

/// Reads a TOML format file: top-level `key = value` pairs (or a `[format]` table).
/// Returns `(key, value, line)`; errors start with the line number.
pub fn read_format_file(text: &str) -> Result<Vec<(String, String, usize)>, String> {
    use toml_edit::{Document, Item, Value};
    let doc = Document::parse(text).map_err(|e: toml_edit::TomlError| {
        let line = e.span().map_or(1, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
        format!("{line}: invalid TOML: {}", e.message())
    })?;
    let line_of = |item: &Item| item.span().map_or(0, |s| text[..s.start.min(text.len())].matches('\n').count() + 1);
    let table = match doc.get("format") {
        Some(Item::Table(t)) => t,
        _ => doc.as_table(),
    };
    let mut out = Vec::new();
    for (key, item) in table.iter() {
        let line = line_of(item);
        let value = match item.as_value() {
            Some(Value::String(s)) => s.value().clone(),
            Some(Value::Boolean(b)) => b.value().to_string(),
            Some(Value::Integer(i)) => i.value().to_string(),
            Some(Value::Float(f)) => f.value().to_string(),
            _ => return Err(format!("{line}: `{key}` must be a string, number or boolean")),
        };
        out.push((key.to_string(), value, line));
    }
    Ok(out)
}

fn parse_bool(v: &str) -> Option<bool> {
    match v {
        "true" | "yes" | "on" => Some(true),
        "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

/// The 字号 table of spec §9 (Word/DTP values), with pinyin keys.
const ZIHAO: &[(&str, &str, f64)] = &[
    ("初号", "chuhao", 42.0),
    ("小初", "xiaochu", 36.0),
    ("一号", "yihao", 26.0),
    ("小一", "xiaoyi", 24.0),
    ("二号", "erhao", 22.0),
    ("小二", "xiaoer", 18.0),
    ("三号", "sanhao", 16.0),
    ("小三", "xiaosan", 15.0),
    ("四号", "sihao", 14.0),
    ("小四", "xiaosi", 12.0),
    ("五号", "wuhao", 10.5),
    ("小五", "xiaowu", 9.0),
    ("六号", "liuhao", 7.5),
    ("小六", "xiaoliu", 6.5),
    ("七号", "qihao", 5.5),
    ("八号", "bahao", 5.0),
];

/// Parses a font size: a 字号 name (`小四`), its pinyin (`xiaosi`) or a length (`12pt`, `16px`).
pub fn parse_font_size(v: &str) -> Option<Abs> {
    let v = v.trim();
    ZIHAO
        .iter()
        .find(|(name, pinyin, _)| *name == v || pinyin.eq_ignore_ascii_case(v))
        .map(|&(_, _, pt)| Abs::pt(pt))
        .or_else(|| parse_length(v))
}

/// Parses a length with a unit: `pt`, `px` (CSS: 0.75 pt), `mm`, `cm`, `in`; a bare number is pt.
pub fn parse_length(v: &str) -> Option<Abs> {
    let v = v.trim();
    let split = v.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(v.len());
    let (num, unit) = v.split_at(split);
    let n: f64 = num.parse().ok()?;
    let abs = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "pt" => Abs::pt(n),
        "px" => Abs::pt(n * 0.75),
        "mm" => Abs::mm(n),
        "cm" => Abs::mm(n * 10.0),
        "in" => Abs::pt(n * 72.0),
        _ => return None,
    };
    (n.is_finite() && n >= 0.0).then_some(abs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classroom_type_area_matches_spec() {
        let s = Style::default();
        // spec §10: type area 439.37 × 700.16 pt, G = 23.4 pt, 29 lines per page
        assert!((s.page.text_width().to_pt() - 439.37).abs() < 0.01);
        assert!((s.page.text_height().to_pt() - 700.16).abs() < 0.01);
        assert!(s.body.pitch.approx_eq(Abs::pt(23.4)));
        assert_eq!((s.page.text_height() / s.body.pitch).floor(), 29.0);
    }

    #[test]
    fn font_sizes_by_name_pinyin_and_unit() {
        assert_eq!(parse_font_size("小四"), Some(Abs::pt(12.0)));
        assert_eq!(parse_font_size("XiaoSi"), Some(Abs::pt(12.0)));
        assert_eq!(parse_font_size("五号"), Some(Abs::pt(10.5)));
        assert_eq!(parse_font_size("14pt"), Some(Abs::pt(14.0)));
        assert_eq!(parse_font_size("16px"), Some(Abs::pt(12.0)));
        assert_eq!(parse_font_size("huge"), None);
    }

    #[test]
    fn font_names_map_to_roles() {
        assert_eq!(Role::from_font_name("华文楷体"), Some(Role::Kai));
        assert_eq!(Role::from_font_name("方正公文黑体"), Some(Role::Hei));
        assert_eq!(Role::from_font_name("SimSun"), Some(Role::Song));
        assert_eq!(Role::from_font_name("仿宋_GB2312"), Some(Role::Kai));
        assert_eq!(Role::from_font_name("Comic"), None);
    }

    #[test]
    fn format_files_name_the_line() {
        let ok = read_format_file("# school rules\nbody-size = \"五号\"\nhanging-punct = true\n").unwrap();
        assert_eq!(ok, vec![("body-size".into(), "五号".into(), 2), ("hanging-punct".into(), "true".into(), 3)]);
        let err = read_format_file("linebreaks = \"simple\"\nmargins = [1, 2]\n").unwrap_err();
        assert!(err.starts_with("2:"), "{err}");
        let err = read_format_file("a = \"x\"\nb = \n").unwrap_err();
        assert!(err.starts_with("2:"), "{err}");
        assert_eq!(read_format_file("[format]\nlinebreaks = \"simple\"\n").unwrap()[0].2, 2);
    }

    #[test]
    fn char_grid_snaps_the_measure_to_whole_characters() {
        let mut s = Style::default();
        s.set("char-grid", "snap-right").unwrap();
        let s = s.finish();
        assert!(s.page.text_width().approx_eq(Abs::pt(432.0)));
        assert!(s.page.left.approx_eq(Abs::mm(30.0)));
    }

    #[test]
    fn ref_punct_values() {
        let mut s = Style::default();
        s.set("ref-punct", "bylanguage").unwrap();
        assert_eq!(s.ref_punct, RefPunct::ByLanguage);
        assert!(s.set("ref-punct", "fullwidth").unwrap_err().contains("half, gb or bylanguage"));
    }

    #[test]
    fn presets() {
        assert_eq!(Style::preset("thesis-like").unwrap().heading_numbering, HeadingNumbering::Decimal);
        assert!(Style::preset("fancy").is_err());
    }

    #[test]
    fn knobs_reject_bad_values_with_the_accepted_ones() {
        let mut s = Style::default();
        assert!(s.set("linebreak-strictness", "strict").is_ok());
        assert_eq!(s.typo.strictness, Strictness::Strict);
        let err = s.set("punct-style", "wide").unwrap_err();
        assert!(err.contains("quanjiao"), "{err}");
        assert!(s.set("no-such-knob", "1").unwrap_err().contains("unknown"));
        s.set("body-size", "五号").unwrap();
        assert!(s.body.pitch.approx_eq(Abs::pt(20.475)));
    }
}
