#!/usr/bin/env bash
# Times `faxrender convert` against LibreOffice + Ghostscript (the usual fax
# server pipeline: soffice --convert-to pdf, then gs to TIFF G4 at fax
# resolution) for every .docx/.odt/.fodt in the corpus; prints per-document
# wall times and the median ratio (theirs / ours).
#
# Usage: benches/compare-office.sh [FOLDER...]
#   default folders: ../shared/corpus/docx ../shared/corpus/odt
#   FAXRENDER: the binary (default: $CARGO_TARGET_DIR or target/ release build)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
folders=("$@")
[ ${#folders[@]} -eq 0 ] && folders=("$here/../shared/corpus/docx" "$here/../shared/corpus/odt")
. "$here/scripts/lib/office.sh"
find_faxrender "$here"
office_workspace "$here"
# Warm LibreOffice's profile once so the first document does not pay for it.
echo warm > "$tmp/warm.txt"
office_to_pdf "$tmp/warm.txt" "$tmp"

now() { date +%s.%N; }
ratios=()
printf '%-45s %10s %10s %8s\n' document ours_s office_s ratio
for folder in "${folders[@]}"; do
    for f in "$folder"/*.docx "$folder"/*.odt "$folder"/*.fodt; do
        [ -f "$f" ] || continue
        name=$(basename "$f")
        t0=$(now)
        "$bin" convert "$f" -o "$tmp/ours.tif" --max-pages 1000 >/dev/null 2>&1 || { echo "$name: faxrender failed"; continue; }
        t1=$(now)
        rm -rf "$tmp/pdf"
        office_to_pdf "$f" "$tmp/pdf"
        gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=tiffg4 -r204x196 -sPAPERSIZE=letter -dFIXEDMEDIA -dPDFFitPage \
            -sOutputFile="$tmp/theirs.tif" "$tmp/pdf/${name%.*}.pdf" >/dev/null 2>&1 || { echo "$name: office pipeline failed"; continue; }
        t2=$(now)
        ours=$(echo "$t1 - $t0" | bc -l)
        theirs=$(echo "$t2 - $t1" | bc -l)
        ratio=$(echo "$theirs / $ours" | bc -l)
        ratios+=("$ratio")
        printf '%-45s %10.3f %10.3f %7.1fx\n' "$name" "$ours" "$theirs" "$ratio"
    done
done
if [ ${#ratios[@]} -gt 0 ]; then
    median=$(printf '%s\n' "${ratios[@]}" | median)
    printf 'median ratio (office / faxrender): %.1fx over %d documents\n' "$median" "${#ratios[@]}"
fi
