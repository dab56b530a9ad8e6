//! End-to-end: the real binary on real essays, the PDF read back with poppler and qpdf.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_essaypdf")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("essaypdf-e2e-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(args: &[&str]) -> Output {
    Command::new(bin()).args(args).env_remove("SOURCE_DATE_EPOCH").output().expect("binary runs")
}

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd).args(args).output().unwrap_or_else(|e| panic!("{cmd} missing ({e}): run tests/run.sh"));
    assert!(out.status.success(), "{cmd} {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// The Han characters a reader sees in the Markdown: text events, with HTML tags (whose
/// attributes name fonts such as 华文楷体) and link targets left out.
fn source_han(md: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser};
    let mut out = String::new();
    let strip_tags = |s: &str, out: &mut String| {
        let mut in_tag = false;
        for c in s.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag && is_han(c) => out.push(c),
                _ => {}
            }
        }
    };
    for event in Parser::new_ext(md, Options::ENABLE_YAML_STYLE_METADATA_BLOCKS | Options::ENABLE_STRIKETHROUGH) {
        match event {
            Event::Text(t) | Event::Code(t) => out.extend(t.chars().filter(|&c| is_han(c))),
            Event::Html(t) | Event::InlineHtml(t) => strip_tags(&t, &mut out),
            _ => {}
        }
    }
    out
}

/// Whether `needle` is a subsequence of `hay` (the PDF adds heading numbers, nothing else).
fn is_subsequence(needle: &str, hay: &str) -> bool {
    let mut it = hay.chars();
    needle.chars().all(|c| it.any(|h| h == c))
}

/// Typesets `md` and checks the PDF: exit 0, A4, fonts embedded + subset + ToUnicode,
/// `qpdf --check` clean, every Han character of the source present and in order.
fn check_essay(md: &Path, tag: &str) -> PathBuf {
    let dir = temp_dir(tag);
    let pdf = dir.join("out.pdf");
    let out = run(&[md.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty());
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        let n = cols.len();
        assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "font not embedded/subset/ToUnicode: {row}");
    }
    tool("qpdf", &["--check", pdf.to_str().unwrap()]);
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("595.276 x 841.89") || info.contains("595.28 x 841.89"), "{info}");

    let text = tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]);
    let pdf_han: String = text.chars().filter(|&c| is_han(c)).collect();
    let src_han = source_han(&std::fs::read_to_string(md).unwrap());
    assert!(src_han.chars().count() > 100);
    assert!(is_subsequence(&src_han, &pdf_han), "Han characters missing or out of order");
    // Only heading numbers (一、（一）…) may be added.
    let added = pdf_han.chars().count() - src_han.chars().count();
    assert!(added < 60, "{added} Han characters added");
    pdf
}

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/essay-xinzhi.md")
}

#[test]
fn example_essay_reads_back_whole() {
    let pdf = check_essay(&example(), "example");
    let text = tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]);
    // Headings are numbered 一、二、三 and （一）…, the title is first.
    assert!(text.trim_start().starts_with("深刻理解新质生产力"));
    for heading in
        ["一、是什么新质生产力", "二、为什么要发展新质生产力", "三、如何发展新质生产力", "（一）更高素质的劳动者"]
    {
        assert!(text.contains(heading), "missing {heading}");
    }
    // No raw HTML tag is printed.
    assert!(!text.contains("<div") && !text.contains("font-family"));
}

#[test]
fn punctuation_dense_essay_reads_back_whole() {
    check_essay(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/essays/punctuation-dense.md"), "dense");
}

#[test]
fn output_is_deterministic() {
    let dir = temp_dir("det");
    let (a, b) = (dir.join("a.pdf"), dir.join("b.pdf"));
    for p in [&a, &b] {
        assert!(run(&[example().to_str().unwrap(), "-o", p.to_str().unwrap()]).status.success());
    }
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
}

#[test]
fn typed_space_gives_identical_pdf() {
    // Spec §13 case 7.
    let dir = temp_dir("space");
    let mut pdfs = Vec::new();
    for (i, text) in ["我们使用 Python 编写程序。\n", "我们使用Python编写程序。\n"].iter().enumerate()
    {
        let md = dir.join(format!("{i}.md"));
        std::fs::write(&md, text).unwrap();
        let pdf = dir.join(format!("{i}.pdf"));
        assert!(run(&[md.to_str().unwrap(), "-o", pdf.to_str().unwrap()]).status.success());
        pdfs.push(std::fs::read(pdf).unwrap());
    }
    assert_eq!(pdfs[0], pdfs[1]);
}

#[test]
fn missing_input_is_exit_2_naming_the_path() {
    let dir = temp_dir("missing");
    let pdf = dir.join("x.pdf");
    let out = run(&["no/such/essay.md", "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no/such/essay.md"));
    assert!(!pdf.exists());
}

#[test]
fn unwritable_output_is_exit_2_and_leaves_nothing() {
    let dir = temp_dir("unwritable");
    let target = dir.join("missing-dir").join("x.pdf");
    let out = run(&[example().to_str().unwrap(), "-o", target.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("missing-dir"));
    // Writing over a directory fails too, and no temporary file is left behind.
    let out = run(&[example().to_str().unwrap(), "-o", dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().filter_map(|e| e.ok()).collect();
    assert!(leftovers.iter().all(|e| !e.file_name().to_string_lossy().ends_with(".tmp")), "{leftovers:?}");
}

#[test]
fn missing_glyph_is_reported_and_fatal_under_strict() {
    let dir = temp_dir("glyph");
    let md = dir.join("e.md");
    std::fs::write(&md, "第一行。\n\n这里有一个表情😀字符。\n").unwrap();
    let pdf = dir.join("e.pdf");
    let out = run(&[md.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("e.md:3:") && err.contains("U+1F600"), "{err}");
    std::fs::remove_file(&pdf).unwrap();
    let out = run(&["--strict", md.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!pdf.exists());
}

#[test]
fn bad_option_names_the_key() {
    let out = run(&[example().to_str().unwrap(), "-M", "punct-style=wide"]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("punct-style") && err.contains("quanjiao"), "{err}");
}

#[test]
fn batch_writes_one_pdf_per_input() {
    let dir = temp_dir("batch");
    let dense = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/essays/punctuation-dense.md");
    let out = run(&["-q", example().to_str().unwrap(), dense.to_str().unwrap(), "-o", dir.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(dir.join("essay-xinzhi.pdf").exists() && dir.join("punctuation-dense.pdf").exists());
}

#[test]
fn links_outline_and_metadata() {
    let pdf = check_essay(&example(), "links");
    let bytes = std::fs::read(&pdf).unwrap();
    let count = |needle: &[u8]| bytes.windows(needle.len()).filter(|w| w == &needle).count();
    // 38 references, each a link (a link broken over two lines gives two areas).
    assert!(count(b"/URI") >= 38, "{} links", count(b"/URI"));
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    assert!(info.contains("深刻理解新质生产力"), "{info}");
    assert!(info.contains("李宇轩"), "{info}");
    // One bookmark per heading: the title, 3 sections, 14 sub-sections, and 参考文献 (a bold
    // paragraph in the source, recognised as the references heading).
    let outline = tool("qpdf", &["--json", "--json-key=outlines", pdf.to_str().unwrap()]);
    assert_eq!(outline.matches("\"title\"").count(), 19, "{outline}");
}

#[test]
fn prints_at_100_percent_in_black() {
    let pdf = check_essay(&example(), "print");
    let qdf = tool("qpdf", &["--qdf", "--object-streams=disable", pdf.to_str().unwrap(), "-"]);
    assert!(qdf.contains("/PrintScaling /None"), "no /PrintScaling /None");
    // Text and rules are DeviceGray black: no RGB or CMYK colour operators.
    for op in [" rg\n", " RG\n", " k\n", " K\n", " scn\n"] {
        assert!(!qdf.contains(op), "colour operator {op:?} found");
    }
    // Links have no visible border.
    assert_eq!(
        qdf.matches("/Subtype /Link").count(),
        qdf.matches("/Border [\n    0\n    0\n    0\n  ]").count().max(qdf.matches("/Border [ 0 0 0 ]").count())
    );
}

#[test]
fn references_print_labels_titles_dates_and_urls() {
    let pdf = check_essay(&example(), "refs");
    let text = tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]).replace('\n', "");
    assert!(text.contains("参考文献[1] 新华社：深刻把握发展新质生产力的实践要求[EB/OL]. (2024-03-07). http://www.locpg.gov.cn/jsdt/2024-03/07/c_1212339319.htm."), "{text}");
    assert!(
        text.contains(
            "[7] 新质生产力（生产力的类型）_百度百科[EB/OL]. https://baike.baidu.com/item/新质生产力/63458194."
        )
    );
    assert!(text.contains("[38] "));
    assert!(!text.contains("[1. "), "the author's numbers became labels");
}

#[test]
fn bad_front_matter_value_names_key_file_and_line() {
    let dir = temp_dir("fm-bad");
    let md = dir.join("essay.md");
    std::fs::write(&md, "---\ntitle: 题目\nformat:\n  linebreaks: simple\n  punct-style: wide\n---\n\n正文。\n")
        .unwrap();
    let out = run(&[md.to_str().unwrap(), "-o", dir.join("x.pdf").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("essay.md:5:3: error") && err.contains("punct-style") && err.contains("quanjiao"), "{err}");
    assert!(!dir.join("x.pdf").exists());
    // An unknown key is a warning, not an error.
    std::fs::write(&md, "---\ntitle: 题目\nsupervisor: 张三\n---\n\n正文。\n").unwrap();
    let out = run(&[md.to_str().unwrap(), "-o", dir.join("y.pdf").to_str().unwrap()]);
    assert!(out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("essay.md:3:1: warning: unknown front matter key `supervisor`")
    );
}

#[test]
fn bad_format_file_value_names_file_and_line() {
    let dir = temp_dir("toml-bad");
    let toml = dir.join("school.toml");
    std::fs::write(&toml, "# 学院要求\nbody-size = \"小四\"\nline-spacing = \"double\"\n").unwrap();
    let out = run(&[
        example().to_str().unwrap(),
        "--format-file",
        toml.to_str().unwrap(),
        "-o",
        dir.join("x.pdf").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("school.toml:3:") && err.contains("line-spacing"), "{err}");
    // A good file applies: 五号 body on the thesis-like preset.
    std::fs::write(&toml, "body-size = \"五号\"\n").unwrap();
    let pdf = dir.join("ok.pdf");
    let out = run(&[
        "--format",
        "thesis-like",
        "--format-file",
        toml.to_str().unwrap(),
        example().to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]);
    assert!(text.contains("1.1 更高素质的劳动者"), "decimal numbering of thesis-like");
}

#[test]
fn thesis_preset_has_cover_header_and_page_total() {
    let dir = temp_dir("thesis");
    let md = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/essays/footnotes.md");
    let pdf = dir.join("t.pdf");
    let out = run(&[
        "--format",
        "thesis-like",
        "-M",
        "page-number=of-total",
        md.to_str().unwrap(),
        "-o",
        pdf.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cover = tool("pdftotext", &["-f", "1", "-l", "1", "-layout", pdf.to_str().unwrap(), "-"]);
    assert!(cover.contains("学号：20240001") || cover.contains("号：20240001"), "{cover}");
    assert!(!cover.contains("第 1 页"), "the cover is unnumbered");
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    let pages: usize = info.lines().find_map(|l| l.strip_prefix("Pages:")).unwrap().trim().parse().unwrap();
    // Page 2: the table of contents, every level-1 heading with its page number.
    let toc: String = tool("pdftotext", &["-f", "2", "-l", "2", "-raw", pdf.to_str().unwrap(), "-"])
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '·')
        .collect();
    assert!(toc.starts_with("目录") && toc.contains("引言1") && toc.contains("一、概念与特征2"), "{toc}");
    // Each entry is a link into the document.
    let qdf = tool("qpdf", &["--qdf", "--object-streams=disable", pdf.to_str().unwrap(), "-"]);
    assert!(qdf.matches("/Dest ").count() >= 4, "目录 entries link to their headings");
    // Page 3 is the body's page 1, with the running head and the page total.
    let p3 = tool("pdftotext", &["-f", "3", "-l", "3", "-layout", pdf.to_str().unwrap(), "-"]);
    assert!(p3.contains("某大学经济学院"), "running head: {p3}");
    let compact: String = p3.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(compact.contains(&format!("第1页共{}页", pages - 2)), "{p3}");
}

#[test]
fn instructor_checks_warn_about_missing_details() {
    let dir = temp_dir("checks");
    let md = dir.join("e.md");
    std::fs::write(&md, "没有标题的一段正文。\n").unwrap();
    let out = run(&[md.to_str().unwrap(), "-o", dir.join("e.pdf").to_str().unwrap()]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    for what in ["no title", "no author", "no student number"] {
        assert!(err.contains(what), "{what}: {err}");
    }
    // The example names all three (its author line carries the 学号).
    let out = run(&[example().to_str().unwrap(), "-o", dir.join("x.pdf").to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("no title") && !err.contains("no author") && !err.contains("no student number"), "{err}");
}

#[test]
fn dash_writes_the_pdf_to_stdout() {
    let out = run(&["-q", example().to_str().unwrap(), "-o", "-"]);
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"%PDF-") && out.stdout.ends_with(b"%%EOF"));
}

#[test]
fn an_overfull_line_is_an_error_unless_allowed() {
    let dir = temp_dir("overfull");
    let md = dir.join("big.md");
    std::fs::write(&md, "<span style=\"font-size:600pt\">巨</span>\n").unwrap();
    let pdf = dir.join("big.pdf");
    let out = run(&[md.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("big.md:1:") && err.contains("sticks out of the margin"), "{err}");
    assert!(!pdf.exists());
    let out = run(&["--allow-overfull", md.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success() && pdf.exists());
}

/// Writes a grey `w × h` PNG.
fn write_png(path: &Path, w: u32, h: u32) {
    let file = std::fs::File::create(path).unwrap();
    let mut encoder = png::Encoder::new(std::io::BufWriter::new(file), w, h);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().unwrap();
    let data: Vec<u8> = (0..w * h).map(|i| (i % 251) as u8).collect();
    writer.write_image_data(&data).unwrap();
}

#[test]
fn figures_are_embedded_with_numbered_captions() {
    let dir = temp_dir("figures");
    write_png(&dir.join("wide.png"), 2000, 500);
    write_png(&dir.join("small.png"), 120, 80);
    let md = dir.join("fig.md");
    std::fs::write(&md, "# 图的测试\n\n正文。\n\n![研发投入的变化](wide.png)\n\n中间的文字。<img src=\"small.png\" style=\"zoom:50%;\" alt=\"小图\"/>之后。\n").unwrap();
    let pdf = dir.join("fig.pdf");
    let out = run(&[md.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let list = tool("pdfimages", &["-list", pdf.to_str().unwrap()]);
    let rows: Vec<&str> = list.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{list}");
    assert!(rows[0].contains("2000") && rows[0].contains("500"), "{list}");
    let text: String = tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]).split_whitespace().collect();
    assert!(text.contains("图1研发投入的变化") && text.contains("图2小图"), "{text}");
    assert!(text.contains("中间的文字。") && text.contains("之后。"));
    // The wide image is scaled to the text width (155 mm ≈ 439 pt): about 150 dpi.
    let ppi: f64 = rows[0].split_whitespace().nth(12).unwrap().parse().unwrap();
    assert!((ppi - 2000.0 / (439.37 / 72.0)).abs() < 3.0, "{list}");
}

#[test]
fn a_missing_image_is_an_error_naming_its_line() {
    let dir = temp_dir("noimage");
    let md = dir.join("e.md");
    std::fs::write(&md, "# 题\n\n正文。\n\n![图](nothere.png)\n").unwrap();
    let pdf = dir.join("e.pdf");
    let out = run(&[md.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("e.md:5:1: error: cannot read image") && err.contains("nothere.png"), "{err}");
    assert!(!pdf.exists());
}

#[test]
fn tables_are_three_line_tables_with_captions_above() {
    let dir = temp_dir("table");
    let md = dir.join("t.md");
    std::fs::write(
        &md,
        "# 表格\n\n正文。\n\n表1 各地区数据\n\n| 地区 | 增速 | 说明 |\n|:--|--:|---|\n| 东部 | 5.2% | 数字经济快速发展 |\n| 西部 | 6.1% | 基础设施 |\n\n表后正文。\n",
    )
    .unwrap();
    let pdf = dir.join("t.pdf");
    let out = run(&[md.to_str().unwrap(), "-o", pdf.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text: String = tool("pdftotext", &["-raw", pdf.to_str().unwrap(), "-"]).split_whitespace().collect();
    // The caption stands above the header row, the cells in reading order.
    assert!(text.contains("表1各地区数据地区增速说明东部5.2%数字经济快速发展西部6.1%基础设施表后正文。"), "{text}");
    // Three rules: 1 pt above the header, 0.5 pt under it, 1 pt under the last row.
    let qdf = tool("qpdf", &["--qdf", "--object-streams=disable", pdf.to_str().unwrap(), "-"]);
    // (krilla draws a filled rule as a moveto/lineto path: one content line each.)
    let rules = qdf.lines().filter(|l| l.contains(" m ") && l.trim_end().ends_with(" l") && !l.contains("BT")).count();
    assert_eq!(rules, 3, "three rules");
}
