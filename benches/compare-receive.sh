#!/usr/bin/env bash
# Receive path, side by side: `faxrender receive` (reads every page, decodes
# it with our codec to verify it, writes the PDF) against libtiff's
# `tiff2pdf` (no verification) over every TIFF of a corpus folder, one
# process per file as a fax server runs them. Prints both times and the ratio.
#   apt-get install libtiff-tools hyperfine
#   benches/compare-receive.sh [CORPUS_DIR]     (default ../shared/corpus/tiff)
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS="$(realpath "${1:-../shared/corpus/tiff}")"
command -v tiff2pdf >/dev/null || { echo "needs tiff2pdf (apt-get install libtiff-tools)"; exit 2; }
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 2; }
cargo build --release --quiet
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# A private copy: another build in a shared target dir must not swap the binary mid-run.
cp "${CARGO_TARGET_DIR:-target}/release/faxrender" "$T/faxrender"
files=("$CORPUS"/*.tif "$CORPUS"/*.tiff)
files=($(for f in "${files[@]}"; do [ -f "$f" ] && echo "$f"; done))
echo "corpus: $CORPUS (${#files[@]} files, $(cat "${files[@]}" | wc -c) bytes)"
printf '%s\n' "${files[@]}" > "$T/list"

# Exit statuses are ignored (a file either tool refuses costs it the same try).
cat > "$T/fr.sh" <<SH
while read -r f; do "$T/faxrender" receive "\$f" -o "$T/fr.pdf" 2>/dev/null || true; done < "$T/list"
SH
cat > "$T/t2p.sh" <<SH
while read -r f; do tiff2pdf -o "$T/t2p.pdf" "\$f" 2>/dev/null || true; done < "$T/list"
SH
hyperfine --warmup 2 --runs "${RUNS:-10}" --export-json "$T/times.json" \
  -n "faxrender receive" "bash $T/fr.sh" \
  -n "tiff2pdf" "bash $T/t2p.sh"
python3 - "$T/times.json" <<'PY'
import json, sys
r = {x["command"]: x["mean"] for x in json.load(open(sys.argv[1]))["results"]}
fr, t2p = r["faxrender receive"], r["tiff2pdf"]
print(f"faxrender receive {fr*1000:.1f} ms, tiff2pdf {t2p*1000:.1f} ms per corpus pass")
print(f"ratio tiff2pdf/faxrender = {t2p/fr:.2f} ({'faxrender faster' if fr <= t2p else 'tiff2pdf faster'})")
PY
