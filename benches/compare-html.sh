#!/usr/bin/env bash
# Times `faxrender convert` against WeasyPrint + Ghostscript (HTML -> PDF ->
# TIFF G4 at the fax resolution) for every HTML file under a folder (the
# shared corpus by default), one run each; prints per-document times and
# the median ratio (target: faxrender at least 5x faster).
#
# usage: benches/compare-html.sh [CORPUS_DIR] [FAXRENDER_BINARY]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
source "$here/scripts/lib/stats.sh"
corpus=${1:-$here/../shared/corpus/html}
bin=${2:-${CARGO_TARGET_DIR:-$here/target}/release/faxrender}
command -v weasyprint >/dev/null || { echo "weasyprint is not installed" >&2; exit 2; }
command -v gs >/dev/null || { echo "ghostscript (gs) is not installed" >&2; exit 2; }
[ -x "$bin" ] || { echo "build first: cargo build --release ($bin missing)" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
ratios=()
printf '%-44s %10s %10s %8s\n' document faxrender weasy+gs ratio
while IFS= read -r -d '' f; do
    name=$(basename "$f")
    t0=$(now)
    "$bin" convert "$f" -o "$tmp/ours.tif" >/dev/null 2>&1 || { echo "$name: faxrender failed" >&2; continue; }
    t1=$(now)
    weasyprint "$f" "$tmp/w.pdf" >/dev/null 2>&1 || { echo "$name: weasyprint failed" >&2; continue; }
    gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=tiffg4 -r204x196 -sPAPERSIZE=letter -dFIXEDMEDIA -dPDFFitPage \
        -sOutputFile="$tmp/w.tif" "$tmp/w.pdf" >/dev/null 2>&1 || { echo "$name: gs failed" >&2; continue; }
    t2=$(now)
    ours=$(echo "$t1 - $t0" | bc -l)
    theirs=$(echo "$t2 - $t1" | bc -l)
    ratio=$(echo "$theirs / $ours" | bc -l)
    ratios+=("$ratio")
    printf '%-44s %9.3fs %9.3fs %7.1fx\n' "${name:0:44}" "$ours" "$theirs" "$ratio"
done < <(find "$corpus" -name '*.html' -print0 | sort -z)
[ ${#ratios[@]} -gt 0 ] || { echo "no HTML documents under $corpus" >&2; exit 1; }
median=$(printf '%s\n' "${ratios[@]}" | median)
printf 'median ratio (weasyprint+gs / faxrender): %.1fx over %d documents (target >= 5x)\n' "$median" "${#ratios[@]}"
