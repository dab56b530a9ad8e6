#!/usr/bin/env bash
# Whole-process timing of the release binary on the example essay (hyperfine), then the
# in-process benchmarks. Installs hyperfine (Debian) when missing.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }
cargo build --release --quiet
out=$(mktemp -d); trap 'rm -rf "$out"' EXIT
hyperfine --warmup 3 --runs 30 "./target/release/essaypdf -q examples/essay-xinzhi.md -o $out/essay.pdf"
cargo bench --bench typeset
