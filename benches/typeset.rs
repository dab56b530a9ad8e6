//! Benchmarks: `cargo bench --bench typeset`.
//!
//! - the example essay, parse → layout → PDF, in process (median of many runs);
//! - one paragraph of 5 000 … 80 000 characters through layout, to show that line breaking
//!   grows linearly with paragraph length (Knuth–Plass over prefix sums, spec §6.3).
//!
//! Under `cargo test` (no `--bench` argument) it runs each case once as a smoke test.

use std::time::{Duration, Instant};

use essaypdf::diag::Sink;
use essaypdf::font::FontBook;
use essaypdf::source::Source;
use essaypdf::style::Style;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<F: FnMut()>(iterations: usize, mut f: F) -> Duration {
    f(); // warm up: fonts parsed, caches filled
    median(
        (0..iterations)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed()
            })
            .collect(),
    )
}

/// One paragraph of about `chars` characters: Chinese prose with punctuation, Latin words,
/// numbers and a URL, no paragraph break.
fn long_paragraph(chars: usize) -> String {
    let unit = "新质生产力是一种以创新为主导，具有高科技、高效能、高质量特征的先进生产力形态。\
        它以科技创新为轴心，推动“数字经济”与实体经济融合（见《中国统计年鉴》2024年版），\
        其中研发投入增长8.1%，GDP增速达到5.2%；我们用Python和Rust处理数据——结果令人满意……";
    let mut s = String::new();
    while s.chars().count() < chars {
        s.push_str(unit);
    }
    s.push('\n');
    s
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let iterations = if bench { 30 } else { 1 };
    let fonts = FontBook::embedded();
    let style = Style::default();

    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/essay-xinzhi.md");
    let text = std::fs::read_to_string(path).unwrap();
    let source = Source::new(path, text);
    let mut size = 0;
    let t = time(iterations, || {
        let out = essaypdf::typeset(&source, &style, &[], &fonts, false);
        size = out.pdf.expect("example typesets").len();
    });
    println!("example essay, parse+layout+pdf: {:.2} ms ({size} bytes)", t.as_secs_f64() * 1e3);
    let t = time(iterations, || {
        let mut sink = Sink::default();
        essaypdf::layout(&source, &style, &[], &fonts, &mut sink);
    });
    println!("example essay, parse+layout only: {:.2} ms", t.as_secs_f64() * 1e3);

    let sizes: &[usize] = if bench { &[5_000, 10_000, 20_000, 40_000, 80_000] } else { &[2_000] };
    for &n in sizes {
        let source = Source::new("long.md", long_paragraph(n));
        let t = time(if bench { 10 } else { 1 }, || {
            let mut sink = Sink::default();
            essaypdf::layout(&source, &style, &[], &fonts, &mut sink);
        });
        println!(
            "one paragraph of {n:>6} chars: {:>8.2} ms  ({:.2} µs/char)",
            t.as_secs_f64() * 1e3,
            t.as_secs_f64() * 1e6 / n as f64
        );
    }
}
