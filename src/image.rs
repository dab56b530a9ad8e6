//! Images for figures: read once, checked and measured here, then shared by the layout
//! (for the size) and the PDF writer (for the data).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::geom::Abs;

/// An image file ready to place.
#[derive(Clone)]
pub struct LoadedImage {
    /// The decoded image as krilla embeds it.
    pub image: krilla::image::Image,
    /// Its natural width (pixels at 96 per inch, the screen size Typora shows).
    pub width: Abs,
    /// Its natural height.
    pub height: Abs,
}

impl std::fmt::Debug for LoadedImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LoadedImage({:?} × {:?})", self.width, self.height)
    }
}

/// Where an image named in the essay is: relative paths are relative to the essay's folder
/// (as Typora resolves them); `file://` is accepted; remote URLs are not fetched.
pub fn resolve(essay: &Path, src: &str) -> Result<PathBuf, String> {
    let src = src.trim();
    if src.starts_with("http://") || src.starts_with("https://") {
        return Err("remote images are not fetched; save the image beside the essay and link it by file name".into());
    }
    let src = src.strip_prefix("file://").unwrap_or(src);
    // Markdown paths may be percent-encoded (spaces as %20).
    let decoded = percent_decode(src);
    let path = Path::new(&decoded);
    Ok(if path.is_absolute() { path.to_path_buf() } else { essay.parent().unwrap_or(Path::new(".")).join(path) })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && let Some(b) = s.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok())
        {
            out.push(b);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}

/// Reads and decodes a PNG, JPEG, GIF or WebP file.
pub fn load(path: &Path) -> Result<LoadedImage, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read image {}: {e}", path.display()))?;
    let data: krilla::Data = Arc::new(bytes.clone()).into();
    let image = match bytes.get(..12) {
        Some([0x89, b'P', b'N', b'G', ..]) => krilla::image::Image::from_png(data, true),
        Some([0xFF, 0xD8, ..]) => krilla::image::Image::from_jpeg(data, true),
        Some([b'G', b'I', b'F', ..]) => krilla::image::Image::from_gif(data, true),
        Some([b'R', b'I', b'F', b'F', _, _, _, _, b'W', b'E', b'B', b'P']) => {
            krilla::image::Image::from_webp(data, true)
        }
        _ => return Err(format!("{} is not a PNG, JPEG, GIF or WebP image", path.display())),
    }
    .map_err(|e| format!("cannot decode image {}: {e}", path.display()))?;
    let (w, h) = image.size();
    if w == 0 || h == 0 {
        return Err(format!("image {} is empty", path.display()));
    }
    // CSS pixels: 96 per inch, 0.75 pt each.
    Ok(LoadedImage { image, width: Abs::pt(w as f64 * 0.75), height: Abs::pt(h as f64 * 0.75) })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_beside_the_essay() {
        let p = resolve(Path::new("/home/s/essay.md"), "img/a%20b.png").unwrap();
        assert_eq!(p, PathBuf::from("/home/s/img/a b.png"));
        assert!(resolve(Path::new("e.md"), "https://x.cn/a.png").is_err());
        assert_eq!(resolve(Path::new("/e.md"), "file:///tmp/x.png").unwrap(), PathBuf::from("/tmp/x.png"));
    }
}
