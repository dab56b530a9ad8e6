#!/usr/bin/env bash
# Typesets every essay in examples/ and tests/essays/ with the release binary and checks
# the metrics of ../shared/tools/pdfcheck.py (run ../shared/tools/setup.sh once first).
set -euo pipefail
cd "$(dirname "$0")/.."
tools=../shared/tools
cargo build --release --quiet
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
passed=0
failed=0
for md in examples/*.md tests/essays/*.md; do
  [ -f "$md" ] || continue
  name=$(basename "$md" .md)
  before=$status
  ./target/release/essaypdf -q "$md" -o "$out/$name.pdf"
  python3 "$tools/pdfcheck.py" "$md" "$out/$name.pdf" --json > "$out/$name.json"
  python3 - "$md" "$out/$name.json" <<'PY' || status=1
import json, sys
md, path = sys.argv[1], sys.argv[2]
m = json.load(open(path))["metrics"]
want = {
    "a4": lambda v: v is True, "qpdf_ok": lambda v: v is True,
    "fonts_not_embedded": lambda v: v == 0, "fonts_not_subset": lambda v: v == 0,
    "fonts_without_tounicode": lambda v: v == 0, "han_missing": lambda v: v == 0,
    "han_order_ratio": lambda v: v >= 0.999, "kinsoku_violations": lambda v: v == 0,
    "chars_outside_margins": lambda v: v == 0, "ragged_midparagraph_lines": lambda v: v == 0,
    "pdf_bytes": lambda v: v <= 400000,
}
# Footnotes print at the foot of each page, not at the end where the source keeps them,
# so the order of Han characters is only compared for essays without footnotes.
if "[^" in open(md, encoding="utf-8").read():
    del want["han_order_ratio"]
bad = [f"{k}={m.get(k)}" for k, ok in want.items() if not ok(m.get(k))]
print(f"{md}: " + ("ok " if not bad else "FAILED " + " ".join(bad) + " ") +
      " ".join(f"{k}={m[k]}" for k in ("pages", "pdf_bytes", "han_gap_em_p50_p95_max", "link_annotations", "outline_entries")))
sys.exit(1 if bad else 0)
PY
  python3 "$tools/pagecheck.py" "$md" "$out/$name.pdf" || status=1
  if [ "$status" = "$before" ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
if python3 "$tools/formatcheck.py" "$out/essay-xinzhi.pdf"; then passed=$((passed + 1)); else failed=$((failed + 1)); status=1; fi
echo "measure: $passed passed, $failed failed"
exit $status
