#!/usr/bin/env bash
# Rebuild essaypdf's fonts/ from Debian packages (measured on Debian 12 bookworm, fonttools 4.68.0).
# (kept in the repo as essaypdf's own rebuild script; run from the repo root: bash fonts/recipe/build-fonts.sh fonts)
# usage: build-fonts.sh OUTDIR            (WITH_BOLD_KAI=1 / WITH_BOLD_SERIF=1 add optional faces)
set -euo pipefail
OUT=$(realpath -m "${1:-fonts}"); HERE=$(cd "$(dirname "$0")" && pwd)
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"
# 1. sources: Debian packages, unpacked without installing
[ "$(id -u)" = 0 ] && apt-get update -qq
python3 -c 'import fontTools' 2>/dev/null || python3 -m pip install -q 'fonttools==4.68.0'
(cd "$WORK" && apt-get download -q fonts-noto-cjk fonts-lxgw-wenkai fonts-dejavu-core && ls -1 *.deb | tee debs.txt && for d in *.deb; do dpkg-deb -x "$d" root; done)
NOTO=$WORK/root/usr/share/fonts/opentype/noto
LXGW=$WORK/root/usr/share/fonts/truetype/lxgw-wenkai
# 2. code points: ASCII, Latin-1, pinyin, punctuation/symbol blocks, every GBK character, URO, Ext-A
python3 "$HERE/unicodes.py" "$WORK" >/dev/null
U=$WORK/unicodes-B.txt
# 3. subset (horizontal-only layout features, Simplified-Chinese language systems, no vertical metrics)
sub() { python3 -m fontTools.subset "$1" --unicodes-file="$U" --output-file="$2" \
  --layout-features='ccmp,locl,calt,liga,clig,kern,mark,mkmk,halt,palt,chws,fwid,hwid,pwid' \
  --layout-scripts='DFLT,latn.dflt,latn.ZHS,hani.dflt,hani.ZHS,cyrl.dflt,grek.dflt,kana.dflt,kana.ZHS' \
  --name-IDs='*' --name-languages='*' --notdef-outline --drop-tables+=vhea,vmtx,VORG; }
ttc() { python3 "$HERE/extract_ttc.py" "$NOTO/$1" "$2" "$WORK/$3" >/dev/null; sub "$WORK/$3" "$OUT/$3"; }
ttc NotoSansCJK-Regular.ttc  'Noto Sans CJK SC'  NotoSansCJKsc-Regular.otf  &
ttc NotoSansCJK-Bold.ttc     'Noto Sans CJK SC'  NotoSansCJKsc-Bold.otf; wait
ttc NotoSerifCJK-Regular.ttc 'Noto Serif CJK SC' NotoSerifCJKsc-Regular.otf &
[ "${WITH_BOLD_SERIF:-0}" = 1 ] && ttc NotoSerifCJK-Bold.ttc 'Noto Serif CJK SC' NotoSerifCJKsc-Bold.otf; wait
# LXGW WenKai reserves the names "LXGW" and "霞鹜": a subset is a Modified Version, so it is renamed
kai() { sub "$LXGW/LXGWWenKai-$1.ttf" "$WORK/kai-$1.ttf"
        python3 "$HERE/rename_font.py" "$WORK/kai-$1.ttf" "$OUT/EssayPDFKai-$1.ttf" 'EssayPDF Kai' EssayPDFKai >/dev/null; }
kai Regular
[ "${WITH_BOLD_KAI:-0}" = 1 ] && kai Bold
# mono face for code: DejaVu Sans Mono (Bitstream Vera licence + public-domain DejaVu changes), subset to
# Latin, punctuation and symbols; CJK inside code falls back to the Hei face
python3 -m fontTools.subset "$WORK/root/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf" \
  --unicodes='U+0020-007E,U+00A0-017F,U+2000-206F,U+2190-21FF,U+2200-22FF,U+2500-257F' \
  --layout-features='*' --name-IDs='*' --notdef-outline --output-file="$OUT/DejaVuSansMono.ttf"
cp "$WORK/root/usr/share/doc/fonts-dejavu-core/copyright" "$OUT/LICENSE-DejaVu.txt"
# 4. licence texts (OFL 1.1 body taken from the packages' copyright files)
ofl() { python3 - "$1" "$2" <<'PY'
import sys
lines = open(sys.argv[1], encoding='utf-8').read().split('\n')
for i, l in enumerate(lines):
    if l.strip() == 'License: ' + sys.argv[2] and i + 1 < len(lines) and lines[i + 1].startswith(' '):
        body = []
        for m in lines[i + 1:]:
            if not m.startswith(' '): break
            body.append('' if m.strip() == '.' else m[1:])
        print('\n'.join(body).rstrip()); break
else: sys.exit('licence stanza not found')
PY
}
{ echo 'Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font Name '"'Source'"'.'
  echo '(Noto Sans CJK SC 2.004; Noto Serif CJK SC 2.001: (c) 2017-2022 Adobe.) Subset by essaypdf; see README.md.'
  echo; ofl "$WORK/root/usr/share/doc/fonts-noto-cjk/copyright" SIL-1.1; } > "$OUT/OFL-NotoCJK.txt"
{ echo 'Copyright 2021-2023 LXGW (https://github.com/lxgw/LxgwWenKai), with Reserved Font Names "霞鹜" and "LXGW".'
  echo 'Copyright 2020 The Klee Project Authors (https://github.com/fontworks-fonts/Klee).'
  echo 'EssayPDF Kai is a Modified Version (subset, renamed) of LXGW WenKai 1.250; see README.md.'
  echo; ofl "$WORK/root/usr/share/doc/fonts-lxgw-wenkai/copyright" OFL-1.1; } > "$OUT/OFL-LXGWWenKai.txt"
sed 's/^/source package: /' "$WORK/debs.txt" > "$OUT/SOURCES.txt"
(cd "$OUT" && sha256sum -- *.otf *.ttf >> SOURCES.txt && ls -l)
