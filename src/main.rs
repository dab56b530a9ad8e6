//! The `essaypdf` command: arguments → style and fonts → typeset → PDF written atomically.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::Parser;

use essaypdf::diag::Severity;
use essaypdf::font::FontBook;
use essaypdf::source::Source;
use essaypdf::style::{KNOBS, Style, read_format_file};

/// Typesets a Chinese Markdown essay into a print-ready A4 PDF (classroom format: 宋体 小四
/// body, 黑体 headings, 1.5-line spacing, justified with Chinese line-breaking rules).
#[derive(Parser, Debug)]
#[command(version, about, long_about = None)]
struct Args {
    /// Markdown essays to typeset.
    #[arg(required = true, value_name = "INPUT")]
    inputs: Vec<PathBuf>,

    /// Where to write the PDF. With one input: the PDF's path (default: the input with
    /// `.pdf`), or `-` for standard output. With several inputs: a directory, each PDF
    /// named after its input.
    #[arg(short, long, value_name = "PATH")]
    output: Option<PathBuf>,

    /// Sets a format option, e.g. `-M linebreak-strictness=strict`. Repeatable.
    #[arg(short = 'M', long = "set", value_name = "KEY=VALUE", long_help = format!(
        "Sets a format option; repeatable. Options: {}.\n\
         Examples: -M punct-style=kaiming  -M body-size=五号  -M line-spacing=fixed-20\n\
         The same options can go in the essay's front matter under `format:` or in a --format-file;\n\
         -M wins over both.",
        KNOBS.join(", ")))]
    set: Vec<String>,

    /// The format preset: `classroom` (课程论文, default) or `thesis-like` (cover page,
    /// table of contents, decimal heading numbers, fixed 20 pt line spacing, the school as
    /// running head, level-1 headings on new pages).
    #[arg(long, value_name = "PRESET", default_value = "classroom")]
    format: String,

    /// A TOML file of format options (`linebreak-strictness = "strict"`, `body-size = "五号"`
    /// …), applied after the essay's front matter and before `-M`.
    #[arg(long, value_name = "FILE")]
    format_file: Option<PathBuf>,

    /// Uses a font file for a role instead of the embedded face (which stays the fallback):
    /// `song=/path/simsun.ttf`; roles are song, hei, kai, mono. Repeatable.
    #[arg(long = "font", value_name = "ROLE=PATH")]
    fonts: Vec<String>,

    /// Prints the URL of every inline link (outside the reference list) as a footnote, for
    /// paper copies (same as `-M link-footnotes=true`).
    #[arg(long)]
    link_footnotes: bool,

    /// Prints a line that sticks out of the margin (a single glyph wider than the line)
    /// with a warning instead of stopping with an error (same as `-M allow-overfull=true`).
    #[arg(long)]
    allow_overfull: bool,

    /// Treats warnings (missing glyphs, overfull lines, unsupported HTML) as errors: no PDF
    /// is written.
    #[arg(long)]
    strict: bool,

    /// Prints errors only.
    #[arg(short, long)]
    quiet: bool,
}

fn main() -> ExitCode {
    let args = Args::parse();
    match run(&args) {
        Ok(code) => code,
        Err(err) => {
            if let Some(io) = err.downcast_ref::<std::io::Error>()
                && io.kind() == std::io::ErrorKind::BrokenPipe
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("essaypdf: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs the command; `Err` is a usage or environment failure (exit code 2).
fn run(args: &Args) -> anyhow::Result<ExitCode> {
    let style = Style::preset(&args.format).map_err(anyhow::Error::msg).context("`--format`")?;
    // Settings after the essay's own front matter: the format file, then `-M`, in order.
    let mut overrides: Vec<(String, String)> = Vec::new();
    let mut check = style.clone();
    if let Some(path) = &args.format_file {
        let text = fs::read_to_string(path).with_context(|| format!("cannot read format file {}", path.display()))?;
        for (key, value, line) in read_format_file(&text).map_err(|e| anyhow::anyhow!("{}:{e}", path.display()))? {
            check.set(&key, &value).map_err(|e| anyhow::anyhow!("{}:{line}: {e}", path.display()))?;
            overrides.push((key, value));
        }
    }
    if args.allow_overfull {
        overrides.push(("allow-overfull".into(), "true".into()));
    }
    if args.link_footnotes {
        overrides.push(("link-footnotes".into(), "true".into()));
    }
    for setting in &args.set {
        let (key, value) = setting.split_once('=').with_context(|| format!("`-M {setting}`: expected KEY=VALUE"))?;
        check.set(key.trim(), value).map_err(anyhow::Error::msg).with_context(|| format!("`-M {setting}`"))?;
        overrides.push((key.trim().to_string(), value.to_string()));
    }
    let mut fonts = FontBook::embedded();
    for spec in &args.fonts {
        fonts.add_user_font(spec).with_context(|| format!("`--font {spec}`"))?;
    }
    let several = args.inputs.len() > 1;
    if several && let Some(dir) = &args.output {
        fs::create_dir_all(dir).with_context(|| format!("cannot create output directory {}", dir.display()))?;
    }
    let mut essay_errors = false;
    for input in &args.inputs {
        let output = match (&args.output, several) {
            (Some(path), false) => path.clone(),
            (Some(dir), true) => dir.join(pdf_name(input)),
            (None, _) => input.with_extension("pdf"),
        };
        if !convert(input, &output, &style, &overrides, &fonts, args)? {
            essay_errors = true;
        }
    }
    Ok(if essay_errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn pdf_name(input: &Path) -> PathBuf {
    PathBuf::from(input.file_stem().unwrap_or_default()).with_extension("pdf")
}

/// Converts one essay; `Ok(false)` when the essay has errors (no PDF written).
fn convert(
    input: &Path,
    output: &Path,
    style: &Style,
    overrides: &[(String, String)],
    fonts: &FontBook,
    args: &Args,
) -> anyhow::Result<bool> {
    let text = fs::read(input).with_context(|| format!("cannot read {}", input.display()))?;
    let text = String::from_utf8(text).map_err(|e| {
        anyhow::anyhow!(
            "{} is not UTF-8 (byte {}); save it as UTF-8 and try again",
            input.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let source = Source::new(input, text);
    let out = essaypdf::typeset(&source, style, overrides, fonts, args.strict);
    let mut stderr = std::io::stderr().lock();
    for d in &out.diagnostics {
        if d.severity == Severity::Error || !args.quiet {
            writeln!(stderr, "{}", d.render(&source))?;
        }
    }
    let Some(pdf) = out.pdf else {
        let errors = out.diagnostics.iter().filter(|d| d.severity == Severity::Error).count();
        let what = if errors > 0 { format!("{errors} error(s)") } else { "warnings under --strict".into() };
        writeln!(stderr, "{}: no PDF written ({what})", input.display())?;
        return Ok(false);
    };
    if output == Path::new("-") {
        let mut stdout = std::io::stdout().lock();
        stdout.write_all(&pdf)?;
        stdout.flush()?;
    } else {
        write_atomically(output, &pdf)?;
    }
    if !args.quiet {
        writeln!(
            stderr,
            "{} → {}: {} pages, {} 汉字 + {} Latin words, {} bytes",
            input.display(),
            output.display(),
            out.pages,
            out.han_chars,
            out.latin_words,
            pdf.len()
        )?;
    }
    Ok(true)
}

/// Writes to a temporary file beside the target, then renames it into place, so a failure
/// never leaves a partial PDF.
fn write_atomically(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    if !dir.is_dir() {
        bail!("cannot write {}: directory {} does not exist", path.display(), dir.display());
    }
    let name = path.file_name().with_context(|| format!("cannot write {}: not a file path", path.display()))?;
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let result = (|| -> std::io::Result<()> {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if let Err(err) = result {
        let _ = fs::remove_file(&tmp);
        return Err(err).with_context(|| format!("cannot write {}", path.display()));
    }
    Ok(())
}
