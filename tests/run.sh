#!/usr/bin/env bash
# Runs essaypdf's whole test suite. The end-to-end tests read the PDFs back with poppler
# (pdftotext, pdffonts) and qpdf; they are installed here when missing (Debian).
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pdftotext >/dev/null || ! command -v pdffonts >/dev/null || ! command -v qpdf >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils qpdf >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq poppler-utils qpdf >/dev/null
  fi
fi
cargo test --release --all-targets
