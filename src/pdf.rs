//! Writing the finished layout as PDF with krilla: CID fonts subset and embedded with
//! ToUnicode maps, explicit glyph positions, link annotations, outline, metadata.

use krilla::Document;
use krilla::action::LinkAction;
use krilla::annotation::{Annotation, LinkAnnotation, Target};
use krilla::destination::XyzDestination;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::{DateTime, Metadata};
use krilla::outline::{Outline, OutlineNode};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{GlyphId, KrillaGlyph};

use crate::font::FontBook;
use crate::frame::{FrameItem, LinkTarget, OutlineEntry, PagedDocument, TextRun};

/// A failure of the PDF writer (a bug or an unusable font, never the essay's fault).
#[derive(Debug, thiserror::Error)]
#[error("the PDF writer failed: {0}")]
pub struct PdfError(String);

/// How the PDF is stamped.
#[derive(Debug, Clone, Default)]
pub struct PdfOptions {
    /// Creation date, from front matter or `SOURCE_DATE_EPOCH`; no date otherwise, so the
    /// same input always gives the same bytes.
    pub date: Option<DateTime>,
}

/// Writes the document; returns the PDF's bytes.
pub fn write(doc: &PagedDocument, fonts: &FontBook, options: &PdfOptions) -> Result<Vec<u8>, PdfError> {
    let settings = krilla::SerializeSettings { enable_tagging: false, ..Default::default() };
    let mut pdf = Document::new_with(settings);
    let (w, h) = (doc.width.to_f32(), doc.height.to_f32());
    for page in &doc.pages {
        let settings = PageSettings::from_wh(w, h).ok_or_else(|| PdfError("invalid page size".into()))?;
        let mut p = pdf.start_page_with(settings);
        let mut links = Vec::new();
        {
            let mut surface = p.surface();
            for item in &page.items {
                match item {
                    FrameItem::Text(run) => draw_run(&mut surface, run, fonts),
                    FrameItem::Rule { from, length, thickness } => {
                        let half = thickness.to_f32() / 2.0;
                        if let Some(rect) = Rect::from_xywh(
                            from.x.to_f32(),
                            from.y.to_f32() - half,
                            length.to_f32(),
                            thickness.to_f32(),
                        ) {
                            let mut pb = PathBuilder::new();
                            pb.push_rect(rect);
                            if let Some(path) = pb.finish() {
                                surface.set_fill(Some(Fill::default()));
                                surface.set_stroke(None);
                                surface.draw_path(&path);
                            }
                        }
                    }
                    FrameItem::Link { rect_origin, width, height, target } => {
                        links.push((*rect_origin, *width, *height, target.clone()));
                    }
                    FrameItem::Image { origin, width, height, index } => {
                        let (Some(image), Some(size)) =
                            (doc.images.get(*index), krilla::geom::Size::from_wh(width.to_f32(), height.to_f32()))
                        else {
                            continue;
                        };
                        surface.push_transform(&krilla::geom::Transform::from_translate(
                            origin.x.to_f32(),
                            origin.y.to_f32(),
                        ));
                        surface.draw_image(image.clone(), size);
                        surface.pop();
                    }
                }
            }
            surface.finish();
        }
        for (origin, width, height, target) in links {
            let Some(rect) =
                Rect::from_xywh(origin.x.to_f32(), origin.y.to_f32(), width.to_f32().max(0.1), height.to_f32())
            else {
                continue;
            };
            let (target, alt) = match target {
                LinkTarget::Url(url) => (Target::Action(LinkAction::new(url.clone()).into()), Some(url)),
                LinkTarget::Page(page, y) => {
                    let dest = XyzDestination::new(page, Point::from_xy(0.0, y.to_f32()));
                    (Target::Destination(dest.into()), None)
                }
            };
            p.add_annotation(Annotation::new_link(LinkAnnotation::new(rect, target), alt));
        }
        p.finish();
    }
    pdf.set_outline(outline(&doc.outline));
    let mut meta = Metadata::new().language("zh-CN".into()).creator("essaypdf".into());
    if let Some(title) = &doc.meta.title {
        meta = meta.title(title.clone());
    }
    if let Some(author) = &doc.meta.author {
        meta = meta.authors(vec![author.clone()]);
    }
    if let Some(date) = options.date {
        meta = meta.creation_date(date);
    }
    pdf.set_metadata(meta);
    let bytes = pdf.finish().map_err(|e| PdfError(format!("{e:?}")))?;
    add_viewer_preferences(bytes, doc.duplex)
}

/// Adds `/ViewerPreferences << /PrintScaling /None /Duplex /Simplex >>` to the catalog, so
/// print dialogs default to 100 % on single-sided paper (spec §12); `/DuplexFlipLongEdge`
/// for a two-sided document. krilla has no setting
/// for it; its catalog is the last object before the cross-reference table, so the entry
/// is inserted there and only `startxref` moves. Any other layout is refused rather than
/// risking a corrupt file.
fn add_viewer_preferences(mut pdf: Vec<u8>, duplex: bool) -> Result<Vec<u8>, PdfError> {
    let entry: &[u8] = if duplex {
        b"/ViewerPreferences<</PrintScaling/None/Duplex/DuplexFlipLongEdge>>"
    } else {
        b"/ViewerPreferences<</PrintScaling/None/Duplex/Simplex>>"
    };
    let unexpected = || PdfError("unexpected catalog layout; cannot add viewer preferences".into());
    let find_last = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).rposition(|w| w == needle);
    let xref = find_last(&pdf, b"\nxref\n").ok_or_else(unexpected)?;
    let obj_end = find_last(&pdf[..xref], b">>\nendobj").ok_or_else(unexpected)?;
    if obj_end + b">>\nendobj".len() != xref {
        return Err(unexpected());
    }
    let obj_start = find_last(&pdf[..obj_end], b" 0 obj\n<<").ok_or_else(unexpected)?;
    if find_last(&pdf[obj_start..obj_end], b"/Type/Catalog").is_none() {
        return Err(unexpected());
    }
    let startxref = find_last(&pdf, b"startxref\n").ok_or_else(unexpected)? + b"startxref\n".len();
    let digits_end =
        pdf[startxref..].iter().position(|b| !b.is_ascii_digit()).map(|n| startxref + n).ok_or_else(unexpected)?;
    let old: usize =
        std::str::from_utf8(&pdf[startxref..digits_end]).ok().and_then(|s| s.parse().ok()).ok_or_else(unexpected)?;
    if old != xref + 1 {
        return Err(unexpected());
    }
    pdf.splice(startxref..digits_end, (old + entry.len()).to_string().into_bytes());
    pdf.splice(obj_end..obj_end, entry.iter().copied());
    Ok(pdf)
}

/// Draws one glyph run; each glyph's advance is the distance to the next glyph's origin,
/// so justification and punctuation cells come out exactly as laid out.
fn draw_run(surface: &mut krilla::surface::Surface<'_>, run: &TextRun, fonts: &FontBook) {
    let Some(first) = run.glyphs.first() else {
        return;
    };
    let size = run.size.to_f32();
    let glyphs: Vec<KrillaGlyph> = run
        .glyphs
        .iter()
        .enumerate()
        .map(|(i, g)| {
            let advance = run.glyphs.get(i + 1).map_or(g.advance, |next| next.x - g.x);
            KrillaGlyph::new(
                GlyphId::new(g.id),
                advance.to_f32() / size,
                g.x_offset.to_f32() / size,
                -g.y_offset.to_f32() / size,
                0.0,
                g.range.clone(),
                None,
            )
        })
        .collect();
    let font = fonts.face(run.face).pdf_font();
    surface.set_fill(Some(Fill::default()));
    if run.synthetic_bold {
        // Synthetic bold (spec §10.2): fill and stroke, 0.02 em.
        surface.set_stroke(Some(Stroke { width: size * 0.02, ..Default::default() }));
    } else {
        surface.set_stroke(None);
    }
    surface.draw_glyphs(Point::from_xy(first.x.to_f32(), run.baseline.to_f32()), &glyphs, font, &run.text, size, false);
    surface.set_stroke(None);
}

/// Nests the flat list of entries by level: an entry's children are the entries after it
/// with a deeper level.
fn outline(entries: &[OutlineEntry]) -> Outline {
    fn node(entries: &[OutlineEntry], i: usize) -> (OutlineNode, usize) {
        let e = &entries[i];
        let dest = XyzDestination::new(e.page, Point::from_xy(0.0, e.y.to_f32()));
        let mut n = OutlineNode::new(e.title.clone(), dest);
        let mut k = i + 1;
        while k < entries.len() && entries[k].level > e.level {
            let (child, next) = node(entries, k);
            n.push_child(child);
            k = next;
        }
        (n, k)
    }
    let mut out = Outline::new();
    let mut i = 0;
    while i < entries.len() {
        let (n, next) = node(entries, i);
        out.push_child(n);
        i = next;
    }
    out
}

/// The creation date: `SOURCE_DATE_EPOCH` (reproducible builds) wins, then a front-matter
/// `date` of the form `YYYY-MM-DD`.
pub fn creation_date(front_matter: Option<&str>) -> Option<DateTime> {
    if let Some(secs) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()) {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        return Some(
            DateTime::new(y as u16)
                .month(m)
                .day(d)
                .hour((rem / 3600) as u8)
                .minute((rem % 3600 / 60) as u8)
                .second((rem % 60) as u8)
                .utc_offset_hour(0)
                .utc_offset_minute(0),
        );
    }
    let date = front_matter?;
    let mut parts = date.trim().split(['-', '/', '.']);
    let y: u16 = parts.next()?.parse().ok()?;
    let m: u8 = parts.next()?.parse().ok()?;
    let d: u8 = parts.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| DateTime::new(y).month(m).day(d))
}

/// Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
fn civil_from_days(z: i64) -> (i64, u8, u8) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = yoe + era * 400 + (m <= 2) as i64;
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_800), (2024, 3, 18));
    }
}
