//! Reference tests of the first page (spec §10.3) for both ways of writing the title
//! block: Typora HTML (the example essay) and YAML front matter. `ESSAYPDF_UPDATE=1 cargo
//! test --test first_page` rewrites the references; review the diff (and the PNGs) before
//! committing.

use std::path::{Path, PathBuf};
use std::process::Command;

use essaypdf::diag::Sink;
use essaypdf::font::FontBook;
use essaypdf::frame::FrameItem;
use essaypdf::source::Source;
use essaypdf::style::Style;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn update() -> bool {
    std::env::var_os("ESSAYPDF_UPDATE").is_some()
}

/// Page 1 as text: one line per baseline with its position, size, face and text.
fn first_page_text(md: &Path) -> String {
    let fonts = FontBook::embedded();
    let mut sink = Sink::default();
    let text = std::fs::read_to_string(md).unwrap();
    let doc = essaypdf::layout(&Source::new(md, text), &Style::default(), &[], &fonts, &mut sink);
    let mut lines: Vec<(i64, f64, f64, String)> = Vec::new();
    for item in &doc.pages[0].items {
        let FrameItem::Text(run) = item else { continue };
        let (Some(first), Some(last)) = (run.glyphs.first(), run.glyphs.last()) else { continue };
        let y = ((run.baseline - run.rise).to_pt() * 10.0).round() as i64;
        let face = &fonts.face(run.face).name;
        let piece =
            format!("[{face} {:.1}{}]{}", run.size.to_pt(), if run.synthetic_bold { " bold" } else { "" }, run.text);
        let (x0, x1) = (first.x.to_pt(), (last.x + last.advance).to_pt());
        match lines.iter_mut().find(|l| l.0 == y) {
            Some(l) => {
                l.1 = l.1.min(x0);
                l.2 = l.2.max(x1);
                l.3.push_str(&piece);
            }
            None => lines.push((y, x0, x1, piece)),
        }
    }
    lines.sort_by_key(|l| l.0);
    lines.iter().map(|(y, x0, x1, t)| format!("y={:.1} x={x0:.1}..{x1:.1} {t}\n", *y as f64 / 10.0)).collect()
}

fn check_text(name: &str, md: &Path) {
    let got = first_page_text(md);
    let path = Path::new(ROOT).join(format!("tests/ref/text/{name}.txt"));
    if update() {
        std::fs::write(&path, &got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_default();
    if got != want {
        for (i, (g, w)) in got.lines().zip(want.lines()).enumerate() {
            if g != w {
                panic!("{name}: line {} differs\n  got:  {g}\n  want: {w}", i + 1);
            }
        }
        panic!("{name}: {} lines, want {}", got.lines().count(), want.lines().count());
    }
}

/// Renders page 1 of the essay's PDF to a small grey PNG with poppler.
fn render(name: &str, md: &Path) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("essaypdf-first-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = dir.join("p.pdf");
    let status = Command::new(env!("CARGO_BIN_EXE_essaypdf")).arg("-q").arg(md).arg("-o").arg(&pdf).status().unwrap();
    assert!(status.success());
    let prefix = dir.join("p");
    let status = Command::new("pdftoppm")
        .args(["-r", "20", "-gray", "-png", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&prefix)
        .status()
        .expect("pdftoppm (poppler-utils) is needed: run tests/run.sh");
    assert!(status.success());
    dir.join("p.png")
}

fn decode(path: &Path) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(path).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    buf.truncate(info.buffer_size());
    let channels = info.color_type.samples();
    let grey = buf.chunks(channels).map(|px| px[0]).collect();
    (info.width, info.height, grey)
}

fn check_image(name: &str, md: &Path) {
    let got = render(name, md);
    let path = Path::new(ROOT).join(format!("tests/ref/render/{name}.png"));
    if update() {
        std::fs::copy(&got, &path).unwrap();
        return;
    }
    let (w1, h1, a) = decode(&got);
    let (w2, h2, b) = decode(&path);
    assert_eq!((w1, h1), (w2, h2), "{name}: image size");
    // Rasterisers differ in antialiasing by a few levels; a moved line differs by far more.
    let differing = a.iter().zip(&b).filter(|(x, y)| x.abs_diff(**y) > 48).count();
    assert!(differing * 1000 < a.len(), "{name}: {differing} of {} pixels differ (kept at {})", a.len(), got.display());
}

#[test]
fn first_page_from_typora_html() {
    let md = Path::new(ROOT).join("examples/essay-xinzhi.md");
    check_text("first-page-html", &md);
    check_image("first-page-html", &md);
}

#[test]
fn first_page_from_front_matter() {
    let md = Path::new(ROOT).join("tests/essays/essay-xinzhi-frontmatter.md");
    check_text("first-page-frontmatter", &md);
    check_image("first-page-frontmatter", &md);
}

#[test]
fn both_forms_give_the_same_block() {
    let html = first_page_text(&Path::new(ROOT).join("examples/essay-xinzhi.md"));
    let fm = first_page_text(&Path::new(ROOT).join("tests/essays/essay-xinzhi-frontmatter.md"));
    let (h, f): (Vec<&str>, Vec<&str>) = (html.lines().collect(), fm.lines().collect());
    // Title and abstract lines are identical, in place, font and text; only the author
    // line's own text (and the 14 pt its HTML asks for) differs.
    assert_eq!(h[0], f[0], "title");
    assert!(h[0].contains("Noto Sans CJK SC Bold 18.0"), "{}", h[0]);
    for (a, b) in h.iter().zip(&f).skip(2).take(15) {
        assert_eq!(a, b);
    }
    assert!(h[1].contains("EssayPDF Kai 14.0") && f[1].contains("EssayPDF Kai 12.0"), "{}\n{}", h[1], f[1]);
    assert!(h[2].starts_with("y=") && h[2].contains("[Noto Sans CJK SC 12.0]摘要：[EssayPDF Kai 12.0]"), "{}", h[2]);
}
