//! Odd and hostile inputs: the pipeline reports problems but never panics, and always
//! produces a PDF unless the essay has an error.

use essaypdf::font::FontBook;
use essaypdf::source::Source;
use essaypdf::style::Style;

fn typeset(md: &str) -> essaypdf::Output {
    let fonts = FontBook::embedded();
    essaypdf::typeset(&Source::new("odd.md", md.into()), &Style::default(), &[], &fonts, false)
}

#[test]
fn odd_inputs_do_not_panic() {
    let long_word = "a".repeat(500);
    let long_han = "字".repeat(5000);
    let cases: Vec<String> = vec![
        String::new(),
        "\n\n\n".into(),
        "---\ntitle: 只有前言\n---\n".into(),
        "---\n: : :\n---\n正文。".into(),
        "# \n\n## \n\n###".into(),
        "<div><center><span style='font-size:0px'>零号字</span></center>".into(),
        "<div style=\"font-size:999pt\">巨</div>".into(),
        "<font size=9 face=\"\">怪</font>".into(),
        "</div></div></span>孤立的结束标签".into(),
        "<!-- 未闭合的注释".into(),
        "&#0;&#xFFFFFF;&#55296;实体".into(),
        format!("{long_word}\n"),
        format!("{long_han}\n"),
        "“”‘’（）《》——……？！。，、；：".repeat(50),
        "。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。。".into(),
        "（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（（".into(),
        "- \n- \n  - \n1. \n".into(),
        "> > > 深层引用\n".into(),
        "```\n\n```\n".into(),
        "```\n代码里有很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长很长的一行中文字符\n```\n".into(),
        "脚注[^a]\n\n[^a]: [^a]\n".into(),
        "[^a]: 只有定义\n".into(),
        "**参考文献:**\n\n".into(),
        "## 参考文献\n\n[1]\n\n[2] \n\n[x](http://)[]\n".into(),
        "https://example.com/".repeat(40),
        "\u{200b}\u{200d}\u{feff}零宽字符\u{0301}\u{20dd}".into(),
        "👨‍👩‍👧 表情 🇨🇳".into(),
        "한국어 텍스트와 中文 混排 עברית العربية".into(),
        "\t\t制表符\t开头\n".into(),
        "行尾有两个空格  \n下一行\\\n再下一行".into(),
        "$x^2$ 和 $$y$$".into(),
        "| 表 | 格 |\n|---|---|\n| 1 | 2 |\n".into(),
        format!("{}\n{}\n{}\n", "|列".repeat(40) + "|", "|---".repeat(40) + "|", "|很长的单元格内容".repeat(40) + "|"),
        "| 只有表头 |\n|---|\n".into(),
        "| a |\n|---|\n| 多 | 出 | 来 |\n".into(),
        "![图](a.png)".into(),
        "*[链接*](x)** ~~删除~~ `code`".into(),
        "中\r\n文\r\n".into(),
    ];
    let mut pdfs = 0;
    for md in &cases {
        let out = typeset(md);
        let has_error = out.diagnostics.iter().any(|d| d.severity == essaypdf::diag::Severity::Error);
        assert!(out.pdf.is_some() || has_error, "no PDF and no error for {md:?}");
        if let Some(pdf) = &out.pdf {
            assert!(pdf.starts_with(b"%PDF-"));
            pdfs += 1;
        }
    }
    // Only the essays with an error (the undefined footnote, the bad front matter) lack one.
    assert!(pdfs >= cases.len() - 3, "{pdfs} PDFs for {} cases", cases.len());
}
