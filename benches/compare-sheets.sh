#!/usr/bin/env bash
# Times `faxrender convert` against LibreOffice Calc + Ghostscript (the usual
# fax server pipeline: soffice --convert-to pdf, then gs to TIFF G4 at fax
# resolution) for every .xlsx/.xlsm/.xls/.ods in the given folders; prints
# per-document wall times, the page count of both, the ratio (theirs / ours)
# and the median ratio.
#
# LibreOffice runs with its own profile (created once, before timing), as a
# new soffice process per document: a cold start each time, as a fax server
# calling `soffice --convert-to` does.
#
# Needs soffice with Calc (apt-get install libreoffice-calc), gs and pdfinfo.
#
# Usage: benches/compare-sheets.sh [FOLDER...]
#   default folders: ../shared/corpus/xlsx ../shared/corpus/ods fixtures/sheets
#   FAXRENDER: the binary (default: $CARGO_TARGET_DIR or target/ release build)
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
folders=("$@")
[ ${#folders[@]} -eq 0 ] && folders=("$here/../shared/corpus/xlsx" "$here/../shared/corpus/ods" "$here/fixtures/sheets")
. "$here/scripts/lib/office.sh"
find_faxrender "$here"
for tool in gs pdfinfo bc; do
    command -v "$tool" >/dev/null || { echo "$tool not found" >&2; exit 2; }
done
office_workspace "$here"
# Create LibreOffice's profile once (not timed), and check Calc is there:
# without it soffice converts nothing from a spreadsheet.
printf 'a,b\n1,2\n' > "$tmp/warm.csv"
office_to_pdf "$tmp/warm.csv" "$tmp"
[ -s "$tmp/warm.pdf" ] || { echo "LibreOffice Calc is missing (soffice cannot convert a spreadsheet): apt-get install libreoffice-calc" >&2; exit 2; }

now() { date +%s.%N; }
ratios=()
printf '%-36s %8s %6s %9s %6s %7s\n' document ours_s pages office_s pages ratio
for folder in "${folders[@]}"; do
    for f in "$folder"/*.xlsx "$folder"/*.xlsm "$folder"/*.xls "$folder"/*.ods; do
        [ -f "$f" ] || continue
        name=$(basename "$f")
        t0=$(now)
        if "$bin" convert "$f" -o "$tmp/ours.tif" --max-pages 1000 --json >"$tmp/ours.json" 2>"$tmp/ours.err"; then
            ours_pages=$(sed -n 's/.*"pages": *\([0-9]*\).*/\1/p' "$tmp/ours.json" | head -1)
        else
            ours_pages="fail"
        fi
        t1=$(now)
        rm -rf "$tmp/pdf"
        # a hostile file (fixtures/sheets/repeat-bomb.ods) keeps Calc busy for
        # minutes: give each document at most $SOFFICE_TIMEOUT seconds
        office_to_pdf "$f" "$tmp/pdf" "${SOFFICE_TIMEOUT:-60}"
        theirs_pages=fail
        if gs -q -dNOPAUSE -dBATCH -dSAFER -sDEVICE=tiffg4 -r204x196 -sPAPERSIZE=letter -dFIXEDMEDIA -dPDFFitPage \
            -sOutputFile="$tmp/theirs.tif" "$tmp/pdf/${name%.*}.pdf" >/dev/null 2>&1; then
            theirs_pages=$(pdfinfo "$tmp/pdf/${name%.*}.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
        fi
        t2=$(now)
        ours=$(echo "$t1 - $t0" | bc -l)
        theirs=$(echo "$t2 - $t1" | bc -l)
        if [ "$ours_pages" = fail ] || [ "$theirs_pages" = fail ]; then
            printf '%-36s %8.3f %6s %9.3f %6s %7s  %s\n' "$name" "$ours" "$ours_pages" "$theirs" "$theirs_pages" "-" \
                "$(head -c 120 "$tmp/ours.err" | tr '\n' ' ')"
            continue
        fi
        ratio=$(echo "$theirs / $ours" | bc -l)
        ratios+=("$ratio")
        printf '%-36s %8.3f %6s %9.3f %6s %6.1fx\n' "$name" "$ours" "$ours_pages" "$theirs" "$theirs_pages" "$ratio"
    done
done
if [ ${#ratios[@]} -gt 0 ]; then
    median=$(printf '%s\n' "${ratios[@]}" | median)
    printf 'median ratio (office / faxrender): %.1fx over %d documents\n' "$median" "${#ratios[@]}"
fi
