#!/usr/bin/env bash
# Converts every picture and TIFF of the shared corpus at every resolution x
# compression x paper (letter, a4), checks each output with both fax
# checkers, and checks that every bad picture/TIFF is refused (exit 1) in
# under 5 s and 500 MB. Also runs `inspect` over the corpus TIFFs next to the
# checkers. Prints one line per failure and a summary.
#   scripts/setup-tests.sh && scripts/corpus-sweep.sh [CORPUS_DIR]
set -uo pipefail
cd "$(dirname "$0")/.."
CORPUS="${1:-../shared/corpus}"
TOOLS="$(dirname "$CORPUS")/tools"
cargo build --release --quiet || exit 3
FR=target/release/faxrender
SPANDSP=target/checkers/spandsp-t4tx-check
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
ok=0 fail=0
files=$(ls "$CORPUS"/{jpg,png,gif,bmp,webp,tiff}/* 2>/dev/null)
for f in $files; do
  for res in standard fine superfine; do
    for comp in g3 g3-2d g4; do
      for paper in letter a4; do
        out="$T/out.tif"
        if ! err=$("$FR" convert "$f" -o "$out" --resolution $res --compression $comp --paper $paper 2>&1); then
          echo "FAIL convert $f $res $comp $paper: $err"; fail=$((fail+1)); continue
        fi
        if ! bash "$TOOLS/validate-fax-tiff.sh" -q "$out" >/dev/null 2>&1; then
          echo "FAIL validate $f $res $comp $paper"; fail=$((fail+1)); continue
        fi
        if ! "$SPANDSP" "$out" >/dev/null 2>&1; then
          echo "FAIL spandsp $f $res $comp $paper"; fail=$((fail+1)); continue
        fi
        ok=$((ok+1))
      done
    done
  done
done
echo "conversions: $ok passed both checkers, $fail failed"

bad_ok=0 bad_fail=0
for f in $(ls "$CORPUS"/bad/* | grep -E '\.(jpe?g|png|gif|bmp|webp|tiff?)$'); do
  /usr/bin/time -f "%e %M" -o "$T/time" "$FR" convert "$f" -o "$T/bad.tif" >"$T/out" 2>&1
  code=$?
  read -r secs kb < <(tail -1 "$T/time")
  msg=$(tail -1 "$T/out")
  printf '%-55s exit %s  %5ss %6s MB  %s\n' "$(basename "$f")" "$code" "$secs" "$((kb/1024))" "$msg"
  if [ "$code" = 1 ] && awk "BEGIN{exit !($secs < 5)}" && [ "$kb" -lt 512000 ]; then
    bad_ok=$((bad_ok+1)); else bad_fail=$((bad_fail+1)); fi
done
echo "bad files: $bad_ok refused cleanly (exit 1, <5 s, <500 MB), $bad_fail otherwise"

agree=0 disagree=0
for f in "$CORPUS"/tiff/* "$CORPUS"/bad/*.tif; do
  "$FR" inspect "$f" >/dev/null 2>&1; ours=$?
  "$SPANDSP" "$f" >/dev/null 2>&1; theirs=$?
  [ "$theirs" -ne 0 ] && theirs=1
  if [ "$ours" = "$theirs" ]; then agree=$((agree+1)); else disagree=$((disagree+1)); echo "inspect differs from SpanDSP: $(basename "$f") (ours $ours, spandsp $theirs)"; fi
done
echo "inspect: $agree agree with the SpanDSP checker, $disagree differ"
echo "$((ok+bad_ok)) passed, $((fail+bad_fail)) failed"
