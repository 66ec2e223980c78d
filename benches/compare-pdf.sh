#!/usr/bin/env bash
# Side by side: faxrender vs Ghostscript converting the corpus PDFs to G4 fax
# TIFFs at 204x196 on Letter, one file after another, in one run. Prints the
# pages, seconds and pages/s of both and the ratio, and faxrender's peak
# memory on the file with the most pages (parent and workers: /usr/bin/time's figure is
# the largest single process).
#   apt-get install ghostscript poppler-utils; scripts/setup-pdfium.sh
#   benches/compare-pdf.sh [PDF_DIR]      (default ../shared/corpus/pdf)
#   FAXRENDER_BIN=path/to/faxrender benches/compare-pdf.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DIR="${1:-${FAXRENDER_SHARED:-../shared}/corpus/pdf}"
command -v gs >/dev/null || { echo "needs Ghostscript (apt-get install ghostscript)"; exit 2; }
command -v pdfinfo >/dev/null || { echo "needs pdfinfo (apt-get install poppler-utils)"; exit 2; }
scripts/setup-pdfium.sh >/dev/null
# FAXRENDER_BIN: a faxrender binary already built (else: cargo build --release)
if [ -n "${FAXRENDER_BIN:-}" ]; then FR="$FAXRENDER_BIN"; else cargo build --release --quiet; FR=target/release/faxrender; fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

files=()
pages=0
largest="" most=0
for f in "$DIR"/*.pdf; do
  n=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/{print $2}')
  # both tools must be able to open it (an encrypted file is skipped)
  [ -n "$n" ] || continue
  files+=("$f")
  pages=$((pages + n))
  if [ "$n" -gt "$most" ]; then most=$n; largest=$f; fi
done

now() { date +%s.%N; }
start=$(now)
for f in "${files[@]}"; do
  "$FR" convert "$f" -o "$T/fr.tif" --resolution fine --paper letter --compression g4 --max-pages 100000 2>/dev/null
done
fr_s=$(echo "$(now) - $start" | bc -l)

start=$(now)
for f in "${files[@]}"; do
  gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=tiffg4 -r204x196 -sPAPERSIZE=letter -dFIXEDMEDIA -dPDFFitPage \
    -sOutputFile="$T/gs.tif" "$f" >/dev/null 2>&1 || true
done
gs_s=$(echo "$(now) - $start" | bc -l)

mem=$( { /usr/bin/time -f "%M" "$FR" convert "$largest" -o "$T/fr.tif" --max-pages 100000 2>&1 >/dev/null; } | tail -1)

printf '%d files, %d pages\n' "${#files[@]}" "$pages"
printf 'faxrender   : %7.2f s  %7.1f pages/s\n' "$fr_s" "$(echo "$pages / $fr_s" | bc -l)"
printf 'ghostscript : %7.2f s  %7.1f pages/s\n' "$gs_s" "$(echo "$pages / $gs_s" | bc -l)"
printf 'ratio       : %7.2fx\n' "$(echo "$gs_s / $fr_s" | bc -l)"
printf 'peak memory : %d MB (faxrender, %s)\n' "$((mem / 1024))" "$(basename "$largest")"
