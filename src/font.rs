//! The font book: the embedded faces, their role fallback chains (spec §10.2), glyph lookup
//! and shaping.
//!
//! Faces are `&'static [u8]` (embedded with `include_bytes!`, or a user file leaked once for
//! the life of the process), parsed lazily on first use and never copied: skrifa, harfrust
//! and krilla all read the same bytes.

use std::cell::{OnceCell, RefCell};
use std::collections::HashMap;
use std::path::Path;

use harfrust::{Direction, Feature, Language, ShapePlan, ShaperData, Tag, UnicodeBuffer};
use skrifa::raw::TableProvider;
use skrifa::{FontRef, MetadataProvider, charmap::Charmap};

use crate::style::Role;

/// Index of a face in the [`FontBook`].
pub type FaceId = usize;

/// An embedded face's bytes and name.
struct Embedded {
    name: &'static str,
    data: &'static [u8],
    bold: bool,
}

/// The faces built by `fonts/recipe/build-fonts.sh` (all SIL OFL 1.1 except the mono face,
/// DejaVu Sans Mono under the Bitstream Vera licence).
const EMBEDDED: [Embedded; 5] = [
    Embedded { name: "Noto Serif CJK SC", data: include_bytes!("../fonts/NotoSerifCJKsc-Regular.otf"), bold: false },
    Embedded { name: "Noto Sans CJK SC", data: include_bytes!("../fonts/NotoSansCJKsc-Regular.otf"), bold: false },
    Embedded { name: "Noto Sans CJK SC Bold", data: include_bytes!("../fonts/NotoSansCJKsc-Bold.otf"), bold: true },
    Embedded { name: "EssayPDF Kai", data: include_bytes!("../fonts/EssayPDFKai-Regular.ttf"), bold: false },
    Embedded { name: "DejaVu Sans Mono", data: include_bytes!("../fonts/DejaVuSansMono.ttf"), bold: false },
];

const SONG: FaceId = 0;
const HEI: FaceId = 1;
const HEI_BOLD: FaceId = 2;
const KAI: FaceId = 3;
const MONO: FaceId = 4;

/// A font that failed to load.
#[derive(Debug, thiserror::Error)]
pub enum FontError {
    /// The file could not be read.
    #[error("cannot read font file {path}: {source}")]
    Read {
        /// The path given.
        path: String,
        /// Why.
        source: std::io::Error,
    },
    /// The bytes are not a font we can parse.
    #[error("{0} is not a usable OpenType/TrueType font")]
    Parse(String),
    /// The licence forbids embedding (OS/2 fsType Restricted License bit, spec §12).
    #[error("{0} forbids embedding (OS/2 fsType restricted-licence bit set)")]
    Restricted(String),
    /// `role=path` named no role.
    #[error("unknown font role `{0}` (expected song, hei, kai or mono)")]
    UnknownRole(String),
}

/// One parsed face.
pub struct Face {
    /// A name for messages and the PDF.
    pub name: String,
    /// Whether this is a real bold face.
    pub bold: bool,
    data: &'static [u8],
    parsed: OnceCell<Parsed>,
}

/// What is parsed from a face on first use.
struct Parsed {
    font: FontRef<'static>,
    charmap: Charmap<'static>,
    shaper_data: ShaperData,
    pdf_font: krilla::text::Font,
    upem: f64,
}

impl Face {
    fn parsed(&self) -> &Parsed {
        self.parsed.get_or_init(|| {
            // Faces are checked when they enter the book, so parsing cannot fail here.
            let font = FontRef::new(self.data).expect("font checked when loaded");
            let upem = font.head().map(|h| h.units_per_em()).unwrap_or(1000) as f64;
            let pdf_font = krilla::text::Font::new(self.data.into(), 0).expect("font checked when loaded");
            Parsed { charmap: font.charmap(), shaper_data: ShaperData::new(&font), font, pdf_font, upem }
        })
    }

    /// Whether the face maps the character to a glyph.
    pub fn has_char(&self, c: char) -> bool {
        self.parsed().charmap.map(c).is_some()
    }

    /// The face as krilla embeds it.
    pub fn pdf_font(&self) -> krilla::text::Font {
        self.parsed().pdf_font.clone()
    }
}

/// One shaped glyph; lengths are in em of the font size.
#[derive(Copy, Clone, Debug)]
pub struct ShapedGlyph {
    /// Glyph id in the face.
    pub id: u32,
    /// Byte offset of the glyph's cluster in the shaped text.
    pub cluster: u32,
    /// Advance in em.
    pub advance: f64,
    /// Horizontal offset in em.
    pub x_offset: f64,
    /// Vertical offset in em (up is positive).
    pub y_offset: f64,
}

/// Which OpenType width feature to apply when shaping.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Width {
    /// The face's default forms.
    Default,
    /// `fwid`: full-width forms (Noto's em dash is 0.89 em otherwise).
    Full,
    /// `pwid`: proportional forms (a line-start opening quote whose box starts at its ink).
    Proportional,
}

/// The faces and the fallback chain of every role.
pub struct FontBook {
    faces: Vec<Face>,
    /// Fallback chains: index = role (Song, Hei, Kai, Mono) × 2 + bold.
    chains: [Vec<FaceId>; 8],
    /// Shape plans, by (face, CJK script, width feature).
    plans: RefCell<HashMap<(FaceId, bool, Width), ShapePlan>>,
}

fn chain_index(role: Role, bold: bool) -> usize {
    let r = match role {
        Role::Song => 0,
        Role::Hei => 1,
        Role::Kai => 2,
        Role::Mono => 3,
    };
    r * 2 + bold as usize
}

impl FontBook {
    /// The book of embedded faces with the fallback chains of spec §10.2:
    /// 宋体 → 黑体 → 楷体; 黑体 → 宋体 → 楷体; 楷体 → 宋体 → 黑体; mono → 黑体 (CJK in code).
    pub fn embedded() -> FontBook {
        let faces = EMBEDDED
            .iter()
            .map(|e| Face { name: e.name.into(), bold: e.bold, data: e.data, parsed: OnceCell::new() })
            .collect();
        let chains = [
            vec![SONG, HEI, KAI],
            vec![SONG, HEI, KAI],
            vec![HEI, SONG, KAI],
            vec![HEI_BOLD, HEI, SONG, KAI],
            vec![KAI, SONG, HEI],
            vec![KAI, SONG, HEI],
            vec![MONO, HEI, SONG, KAI],
            vec![MONO, HEI, SONG, KAI],
        ];
        FontBook { faces, chains, plans: RefCell::default() }
    }

    /// Puts a user's font file at the head of a role's chain (`song=/path/simsun.ttf`).
    /// The embedded faces stay behind it as fallbacks.
    pub fn add_user_font(&mut self, spec: &str) -> Result<(), FontError> {
        let (role, path) = spec.split_once('=').ok_or_else(|| FontError::UnknownRole(spec.into()))?;
        let role = match role.trim() {
            "song" | "宋体" => Role::Song,
            "hei" | "黑体" => Role::Hei,
            "kai" | "楷体" => Role::Kai,
            "mono" => Role::Mono,
            other => return Err(FontError::UnknownRole(other.into())),
        };
        let path = Path::new(path.trim());
        let shown = path.display().to_string();
        let bytes = std::fs::read(path).map_err(|source| FontError::Read { path: shown.clone(), source })?;
        // The CLI runs once per process; the bytes live as long as the book.
        let data: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let font = FontRef::new(data).map_err(|_| FontError::Parse(shown.clone()))?;
        if krilla::text::Font::new(data.into(), 0).is_none() {
            return Err(FontError::Parse(shown));
        }
        let fs_type = font.os2().map(|os2| os2.fs_type()).unwrap_or(0);
        if fs_type & 0x0002 != 0 {
            return Err(FontError::Restricted(shown));
        }
        let name = font
            .localized_strings(skrifa::string::StringId::FAMILY_NAME)
            .english_or_first()
            .map(|s| s.to_string())
            .unwrap_or(shown);
        let id = self.faces.len();
        self.faces.push(Face { name, bold: false, data, parsed: OnceCell::new() });
        for bold in [false, true] {
            self.chains[chain_index(role, bold)].insert(0, id);
        }
        Ok(())
    }

    /// A face by id.
    pub fn face(&self, id: FaceId) -> &Face {
        &self.faces[id]
    }

    /// The fallback chain of a role.
    pub fn chain(&self, role: Role, bold: bool) -> &[FaceId] {
        &self.chains[chain_index(role, bold)]
    }

    /// The first face of the role's chain that has the character, if any.
    pub fn select(&self, role: Role, bold: bool, c: char) -> Option<FaceId> {
        self.chain(role, bold).iter().copied().find(|&f| self.faces[f].has_char(c))
    }

    /// Shapes `text` in one face. `cjk` selects script `hani` and language `ZHS` (mainland
    /// glyph forms, spec §4.1); `width` picks full-width (`fwid`: `——` becomes one 2-em
    /// rule) or proportional (`pwid`) forms.
    pub fn shape(&self, face: FaceId, text: &str, cjk: bool, width: Width) -> Vec<ShapedGlyph> {
        let p = self.faces[face].parsed();
        let shaper = p.shaper_data.shaper(&p.font).build();
        let mut buffer = UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(Direction::LeftToRight);
        let language: Language = "zh-Hans".parse().expect("valid language tag");
        buffer.set_language(language);
        if cjk {
            buffer.set_script(harfrust::script::HAN);
        } else {
            buffer.set_script(harfrust::script::LATIN);
        }
        let feature = |tag: &[u8; 4]| [Feature { tag: Tag::new(tag), value: 1, start: 0, end: u32::MAX }];
        let (fwid, pwid) = (feature(b"fwid"), feature(b"pwid"));
        let features: &[Feature] = match width {
            Width::Default => &[],
            Width::Full => &fwid,
            Width::Proportional => &pwid,
        };
        let mut plans = self.plans.borrow_mut();
        let plan = plans.entry((face, cjk, width)).or_insert_with(|| {
            ShapePlan::new(&shaper, buffer.direction(), Some(buffer.script()), buffer.language().as_ref(), features)
        });
        let out = shaper.shape(buffer, harfrust::ShapeOptions::new().plan(Some(plan)).features(features));
        let upem = p.upem;
        out.glyph_infos()
            .iter()
            .zip(out.glyph_positions())
            .map(|(info, pos)| ShapedGlyph {
                id: info.glyph_id,
                cluster: info.cluster,
                advance: pos.x_advance as f64 / upem,
                x_offset: pos.x_offset as f64 / upem,
                y_offset: pos.y_offset as f64 / upem,
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_fall_back_per_role() {
        let book = FontBook::embedded();
        // Noto's Latin lacks ł; the Kai face has it (notes: part of the fallback chain).
        assert_eq!(book.select(Role::Song, false, '新'), Some(SONG));
        assert_eq!(book.select(Role::Mono, false, '新'), Some(HEI));
        assert_eq!(book.select(Role::Song, false, '\u{1F600}'), None);
    }

    #[test]
    fn fwid_makes_dashes_full_width() {
        let book = FontBook::embedded();
        // hmtx says 0.89 em; the zh-Hans forms are 1 em (notes: PDF-AND-FONTS.md).
        for face in [SONG, HEI, KAI] {
            let wide = book.shape(face, "—", true, Width::Full);
            assert!((wide[0].advance - 1.0).abs() < 1e-6, "{face}: {wide:?}");
        }
        // Noto ligates —— into one continuous 2-em rule (spec §4.1).
        let pair = book.shape(SONG, "——", true, Width::Full);
        assert_eq!(pair.len(), 1, "{pair:?}");
        assert!((pair[0].advance - 2.0).abs() < 1e-6);
    }
}
