#!/usr/bin/env bash
# Page counts of word-processing documents: ours (faxrender convert --json)
# next to LibreOffice's (soffice --convert-to pdf, then pdfinfo).
#
# Usage: scripts/office-page-counts.sh [FOLDER...]
#   default folders: ../shared/corpus/docx ../shared/corpus/odt
#   FAXRENDER: the binary (default: target-shared or target release build)
# Prints one line per .docx/.odt/.fodt and a summary (equal / within ±1 / total).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
folders=("$@")
[ ${#folders[@]} -eq 0 ] && folders=("$here/../shared/corpus/docx" "$here/../shared/corpus/odt")
. "$here/scripts/lib/office.sh"
find_faxrender "$here"
office_workspace "$here"

equal=0; near=0; total=0
printf '%-45s %6s %6s\n' document ours lo
for folder in "${folders[@]}"; do
    for f in "$folder"/*.docx "$folder"/*.odt "$folder"/*.fodt; do
        [ -f "$f" ] || continue
        name=$(basename "$f")
        ours=$("$bin" convert "$f" -o "$tmp/out.tif" --max-pages 1000 --json 2>/dev/null \
            | python3 -c 'import json,sys; print(json.load(sys.stdin)["pages"])' 2>/dev/null)
        [ -n "$ours" ] || ours=fail
        rm -f "$tmp"/pdf/*.pdf
        office_to_pdf "$f" "$tmp/pdf"
        pdf="$tmp/pdf/${name%.*}.pdf"
        lo=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
        [ -n "$lo" ] || lo=fail
        total=$((total + 1))
        mark=""
        if [ "$ours" != fail ] && [ "$lo" != fail ]; then
            diff=$((ours - lo))
            [ "$diff" -eq 0 ] && equal=$((equal + 1))
            if [ "${diff#-}" -le 1 ]; then near=$((near + 1)); else mark="  <-- off by $diff"; fi
        else
            mark="  <-- failed"
        fi
        printf '%-45s %6s %6s%s\n' "$name" "$ours" "$lo" "$mark"
    done
done
echo "summary: equal $equal / within ±1 $near / total $total"
