#!/usr/bin/env bash
# Side by side: faxrender vs Ghostscript converting the corpus PDFs to G4 fax
# TIFFs at 204x196 on Letter, one file after another, RUNS times each
# (default 3, alternating). Prints the pages, median seconds and pages/s of
# both and the ratio, and the peak memory of faxrender and its PDF workers
# (summed) on the file with the most pages.
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
fr_pass() {
  local start; start=$(now)
  for f in "${files[@]}"; do
    "$FR" convert "$f" -o "$T/fr.tif" --resolution fine --paper letter --compression g4 --max-pages 100000 2>/dev/null
  done
  echo "$(now) - $start" | bc -l
}
gs_pass() {
  local start; start=$(now)
  for f in "${files[@]}"; do
    gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=tiffg4 -r204x196 -sPAPERSIZE=letter -dFIXEDMEDIA -dPDFFitPage \
      -sOutputFile="$T/gs.tif" "$f" >/dev/null 2>&1 || true
  done
  echo "$(now) - $start" | bc -l
}
source scripts/lib/stats.sh

# RUNS passes of each tool, alternating, so that a slow spell of a shared
# machine hits both; the median pass of each is compared
RUNS="${RUNS:-3}"
fr_runs=() gs_runs=()
for _ in $(seq "$RUNS"); do
  fr_runs+=("$(fr_pass)")
  gs_runs+=("$(gs_pass)")
done
fr_s=$(printf '%s\n' "${fr_runs[@]}" | median)
gs_s=$(printf '%s\n' "${gs_runs[@]}" | median)

# peak memory of the largest file: the summed RSS of faxrender and its PDF
# workers, sampled every 20 ms (shared library pages count once per process,
# so this overstates a little)
"$FR" convert "$largest" -o "$T/fr.tif" --max-pages 100000 >/dev/null 2>&1 &
fr_pid=$!
peak_kb=0
while kill -0 "$fr_pid" 2>/dev/null; do
  sum=0
  for p in $fr_pid $(pgrep -P "$fr_pid"); do
    r=$(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    sum=$((sum + ${r:-0}))
  done
  [ "$sum" -gt "$peak_kb" ] && peak_kb=$sum
  sleep 0.02
done
wait "$fr_pid" || true

printf '%d files, %d pages\n' "${#files[@]}" "$pages"
printf 'faxrender   : %7.2f s  %7.1f pages/s  (median of %d passes: %s)\n' "$fr_s" "$(echo "$pages / $fr_s" | bc -l)" "$RUNS" "$(printf '%.2f ' "${fr_runs[@]}")"
printf 'ghostscript : %7.2f s  %7.1f pages/s  (median of %d passes: %s)\n' "$gs_s" "$(echo "$pages / $gs_s" | bc -l)" "$RUNS" "$(printf '%.2f ' "${gs_runs[@]}")"
printf 'ratio       : %7.2fx\n' "$(echo "$gs_s / $fr_s" | bc -l)"
printf 'peak memory : %d MB (faxrender and its workers, summed RSS, %s)\n' "$((peak_kb / 1024))" "$(basename "$largest")"
