#!/usr/bin/env bash
# Side by side: faxrender vs ImageMagick doing the same work, picture documents
# to a G4 TIFF fax page at 204x196 (letter, 1728x2156): decode, gray, fit,
# halftone (photo) or threshold (text), G4, TIFF. Prints times and the ratio.
#   apt-get install imagemagick hyperfine
#   benches/compare-imagemagick.sh
set -euo pipefail
cd "$(dirname "$0")/.."
IM=/usr/bin/convert   # the real ImageMagick 6 (not a wrapper earlier in PATH)
command -v hyperfine >/dev/null || { echo "needs hyperfine (apt-get install hyperfine)"; exit 2; }
[ -x "$IM" ] || { echo "needs ImageMagick (apt-get install imagemagick)"; exit 2; }
cargo build --release --quiet
FR=target/release/faxrender
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
photo=fixtures/examples/photo.jpg
text=fixtures/examples/document-screenshot.png
# Ten documents in one job: where faxrender's page parallelism counts.
photos=$(for i in $(seq 10); do printf '%s ' "$photo"; done)

# ImageMagick's pipeline for one page: $1 input, $2 dither operator, $3 output.
cat >"$T/im_page" <<SH
#!/bin/sh
exec "$IM" "\$1" -colorspace Gray -resize 1700x2130 -gravity center -background white -extent 1728x2156 \\
  \$2 -type bilevel -density 204x196 -units PixelsPerInch -compress Group4 "\$3"
SH
# The same for many documents, one after another (ImageMagick has no page parallelism).
cat >"$T/im_many" <<SH
#!/bin/sh
i=0
for f in "\$@"; do i=\$((i+1)); "$T/im_page" "\$f" "-ordered-dither h8x8a" "$T/im-\$i.tif" || exit 1; done
SH
chmod +x "$T/im_page" "$T/im_many"
im_page="$T/im_page"

hyperfine --warmup 2 --runs 10 --export-markdown "$T/photo.md" \
  -n "faxrender photo" "$FR convert $photo -o $T/fr.tif" \
  -n "imagemagick photo" "$im_page $photo '-ordered-dither h8x8a' $T/im.tif"
hyperfine --warmup 2 --runs 10 --export-markdown "$T/text.md" \
  -n "faxrender text" "$FR convert $text -o $T/fr.tif" \
  -n "imagemagick text" "$im_page $text '-threshold 60%' $T/im.tif"
hyperfine --warmup 1 --runs 5 --export-markdown "$T/ten.md" \
  -n "faxrender 10 photos" "$FR convert $photos -o $T/fr.tif" \
  -n "imagemagick 10 photos" "$T/im_many $photos"
cat "$T"/photo.md "$T"/text.md "$T"/ten.md
