//! The inline-HTML subset Typora users write: tags, `style` attributes and entities.
//!
//! Only tokenising and style parsing live here; `parse` decides what each element does.

use crate::geom::Abs;
use crate::style::{Align, Role, parse_font_size, parse_length};

/// One piece of HTML.
#[derive(Debug, Clone, PartialEq)]
pub enum Token<'a> {
    /// `<name attrs>` (or `<name/>`).
    Open {
        /// Lowercase tag name.
        name: String,
        /// The raw attribute text.
        attrs: &'a str,
        /// Whether it closed itself (`<br/>`).
        self_closing: bool,
    },
    /// `</name>`.
    Close {
        /// Lowercase tag name.
        name: String,
    },
    /// Text between tags, entities not yet decoded; `offset` is its byte position in the input.
    Text {
        /// The raw text.
        text: &'a str,
        /// Byte offset in the tokenised string.
        offset: usize,
    },
    /// `<!-- … -->` and `<!…>`/`<?…>`: dropped.
    Comment,
}

/// Splits HTML into tokens. A `<` that starts no tag is text.
pub fn tokenize(s: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    let b = s.as_bytes();
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        let rest = &s[i..];
        let (token, len) = if let Some(body) = rest.strip_prefix("<!--") {
            let end = body.find("-->").map_or(rest.len(), |e| e + 4 + 3);
            (Token::Comment, end)
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            (Token::Comment, rest.find('>').map_or(rest.len(), |e| e + 1))
        } else if let Some((token, len)) = tag(rest) {
            (token, len)
        } else {
            i += 1;
            continue;
        };
        if text_start < i {
            out.push(Token::Text { text: &s[text_start..i], offset: text_start });
        }
        out.push(token);
        i += len;
        text_start = i;
    }
    if text_start < s.len() {
        out.push(Token::Text { text: &s[text_start..], offset: text_start });
    }
    out
}

/// Parses `<name …>` or `</name>` at the start of `s`; returns the token and its length.
fn tag(s: &str) -> Option<(Token<'_>, usize)> {
    let closing = s.starts_with("</");
    let body = &s[if closing { 2 } else { 1 }..];
    let name_len = body.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(body.len());
    if name_len == 0 || !body.as_bytes()[0].is_ascii_alphabetic() {
        return None;
    }
    let name = body[..name_len].to_ascii_lowercase();
    // Find the closing `>` outside quotes.
    let mut quote = None;
    let mut end = None;
    for (k, c) in body[name_len..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => {
                end = Some(name_len + k);
                break;
            }
            (None, '<') => return None,
            _ => {}
        }
    }
    let end = end?;
    let len = (s.len() - body.len()) + end + 1;
    if closing {
        return Some((Token::Close { name }, len));
    }
    let inner = &body[name_len..end];
    let self_closing = inner.trim_end().ends_with('/');
    let attrs = inner.trim().trim_end_matches('/');
    Some((Token::Open { name, attrs, self_closing }, len))
}

/// The value of an attribute (`style="…"`, `style='…'` or unquoted), if present.
pub fn attr<'a>(attrs: &'a str, key: &str) -> Option<&'a str> {
    let mut rest = attrs;
    while let Some(pos) = rest.find(|c: char| c.is_ascii_alphabetic()) {
        rest = &rest[pos..];
        let name_len = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
        let name = &rest[..name_len];
        let after = rest[name_len..].trim_start();
        let Some(value_part) = after.strip_prefix('=') else {
            rest = &rest[name_len..];
            continue;
        };
        let value_part = value_part.trim_start();
        let (value, consumed) = match value_part.chars().next() {
            Some(q @ ('"' | '\'')) => {
                let inner = &value_part[1..];
                let end = inner.find(q).unwrap_or(inner.len());
                (&inner[..end], 1 + end + 1)
            }
            _ => {
                let end = value_part.find(char::is_whitespace).unwrap_or(value_part.len());
                (&value_part[..end], end)
            }
        };
        if name.eq_ignore_ascii_case(key) {
            return Some(value);
        }
        let used = attrs.len() - value_part.len() + consumed.min(value_part.len());
        rest = &attrs[used.min(attrs.len())..];
    }
    None
}

/// What a `style` attribute asks for, as far as essaypdf honours it.
#[derive(Debug, Default, Clone, Copy, PartialEq)]
pub struct CssStyle {
    /// `font-family` mapped to a role.
    pub role: Option<Role>,
    /// `font-size`.
    pub size: Option<Abs>,
    /// `text-align`.
    pub align: Option<Align>,
    /// `font-weight`.
    pub bold: Option<bool>,
    /// `height` (for an empty spacer `<div>`).
    pub height: Option<Abs>,
    /// `float: left|right`: the element runs in beside the next block.
    pub floated: bool,
    /// `font-style: italic`.
    pub italic: bool,
    /// The declarations that were ignored (`color`, `width` …), for a note.
    pub ignored: usize,
}

/// Parses a CSS declaration list. Colours and box properties are ignored: print is black
/// (spec §12) and the page geometry is essaypdf's.
pub fn parse_style(css: &str, base_size: Abs) -> CssStyle {
    let mut out = CssStyle::default();
    for decl in css.split(';') {
        let Some((prop, value)) = decl.split_once(':') else {
            continue;
        };
        let prop = prop.trim().to_ascii_lowercase();
        let value = value.trim().trim_end_matches("!important").trim();
        match prop.as_str() {
            "font-family" => {
                out.role = value
                    .split(',')
                    .map(|f| f.trim().trim_matches(|c| c == '"' || c == '\''))
                    .find_map(Role::from_font_name);
            }
            "font-size" => out.size = css_size(value, base_size),
            "text-align" => {
                out.align = match value.to_ascii_lowercase().as_str() {
                    "center" => Some(Align::Center),
                    "left" | "start" => Some(Align::Start),
                    "justify" => Some(Align::Justify),
                    _ => None,
                }
            }
            "font-weight" => {
                out.bold = match value.to_ascii_lowercase().as_str() {
                    "bold" | "bolder" | "600" | "700" | "800" | "900" => Some(true),
                    "normal" | "lighter" | "100" | "200" | "300" | "400" | "500" => Some(false),
                    _ => None,
                }
            }
            "font-style" => out.italic = value.eq_ignore_ascii_case("italic"),
            "height" | "min-height" => out.height = parse_length(value),
            "float" => out.floated = matches!(value.to_ascii_lowercase().as_str(), "left" | "right"),
            _ => out.ignored += 1,
        }
    }
    out
}

/// A CSS font size: a length, `em`/`%` of the surrounding size, or a 字号 name.
fn css_size(value: &str, base: Abs) -> Option<Abs> {
    let v = value.trim();
    if let Some(em) = v.strip_suffix("em").and_then(|n| n.trim().parse::<f64>().ok()) {
        return Some(base * em);
    }
    if let Some(pct) = v.strip_suffix('%').and_then(|n| n.trim().parse::<f64>().ok()) {
        return Some(base * (pct / 100.0));
    }
    parse_font_size(v)
}

/// Decodes character entities: named ones common in essays, numeric ones, and `&nbsp`
/// without its semicolon (Typora writes it). Unknown entities stay as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find('&') {
        out.push_str(&rest[..pos]);
        rest = &rest[pos..];
        if let Some((c, len)) = entity(rest) {
            out.push(c);
            rest = &rest[len..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

fn entity(s: &str) -> Option<(char, usize)> {
    let body = &s[1..];
    if let Some(num) = body.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits.find(|c: char| !c.is_digit(radix)).unwrap_or(digits.len());
        let c = char::from_u32(u32::from_str_radix(&digits[..len], radix).ok()?)?;
        let semi = digits[len..].starts_with(';') as usize;
        return Some((c, 1 + skip + len + semi));
    }
    const NAMED: &[(&str, char)] = &[
        ("nbsp", '\u{a0}'),
        ("amp", '&'),
        ("lt", '<'),
        ("gt", '>'),
        ("quot", '"'),
        ("apos", '\''),
        ("emsp", '\u{2003}'),
        ("ensp", '\u{2002}'),
        ("thinsp", '\u{2009}'),
        ("mdash", '—'),
        ("ndash", '–'),
        ("hellip", '…'),
        ("ldquo", '“'),
        ("rdquo", '”'),
        ("lsquo", '‘'),
        ("rsquo", '’'),
        ("middot", '·'),
        ("copy", '©'),
        ("reg", '®'),
        ("times", '×'),
        ("divide", '÷'),
        ("deg", '°'),
        ("plusmn", '±'),
    ];
    for &(name, c) in NAMED {
        if let Some(after) = body.strip_prefix(name) {
            if after.starts_with(';') {
                return Some((c, 1 + name.len() + 1));
            }
            // Browsers (and Typora) accept `&nbsp` without the semicolon.
            if name == "nbsp" {
                return Some((c, 1 + name.len()));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokenizes_the_typora_author_line() {
        let s = r#"<center><div style='height:2mm;'></div><div style="font-family:华文楷体;font-size:14pt;">电信学部</div></center>"#;
        let t = tokenize(s);
        assert_eq!(t.len(), 7);
        assert!(matches!(&t[0], Token::Open { name, .. } if name == "center"));
        assert!(matches!(&t[4], Token::Text { text: "电信学部", .. }));
        let Token::Open { attrs, .. } = &t[3] else { panic!() };
        let css = parse_style(attr(attrs, "style").unwrap(), Abs::pt(12.0));
        assert_eq!(css.role, Some(Role::Kai));
        assert_eq!(css.size, Some(Abs::pt(14.0)));
        let Token::Open { attrs, .. } = &t[1] else { panic!() };
        let css = parse_style(attr(attrs, "style").unwrap(), Abs::pt(12.0));
        assert!(css.height.unwrap().approx_eq(Abs::mm(2.0)));
    }

    #[test]
    fn a_lone_less_than_is_text() {
        let t = tokenize("a < b <br/> c");
        assert_eq!(t.len(), 3);
        assert!(matches!(&t[1], Token::Open { name, self_closing: true, .. } if name == "br"));
    }

    #[test]
    fn comments_are_dropped() {
        let t = tokenize("x<!-- note -->y");
        assert_eq!(
            t,
            vec![Token::Text { text: "x", offset: 0 }, Token::Comment, Token::Text { text: "y", offset: 14 }]
        );
    }

    #[test]
    fn style_floats_weights_and_sizes() {
        let css = parse_style("width:52px;float:left; font-family:方正公文黑体;", Abs::pt(12.0));
        assert!(css.floated);
        assert_eq!(css.role, Some(Role::Hei));
        assert_eq!(css.ignored, 1);
        let css = parse_style("font-size: 1.5em; font-weight: bold; text-align:center", Abs::pt(12.0));
        assert_eq!(css.size, Some(Abs::pt(18.0)));
        assert_eq!(css.bold, Some(true));
        assert_eq!(css.align, Some(Align::Center));
        assert_eq!(parse_style("font-size:小四", Abs::pt(10.0)).size, Some(Abs::pt(12.0)));
    }

    #[test]
    fn entities_decode() {
        assert_eq!(decode_entities("a&nbsp;b&nbspc&amp;&#x4E2D;&#25991;&bogus;"), "a\u{a0}b\u{a0}c&中文&bogus;");
    }

    #[test]
    fn attributes_in_any_quoting() {
        assert_eq!(attr(r#"href="x y" style='a:b'"#, "style"), Some("a:b"));
        assert_eq!(attr("href=u style=s", "href"), Some("u"));
        assert_eq!(attr("class=c", "style"), None);
    }
}
