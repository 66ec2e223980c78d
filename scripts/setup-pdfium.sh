#!/usr/bin/env bash
# Fetches PDFium (libpdfium.so) into .pdfium/ of the project, for PDF input.
# There is no Debian package: the library comes from the PINNED PyPI wheel
# pypdfium2 (5.15.2 ships PDFium build 8149, which pdfium-render's
# pdfium_latest binding accepts), checked against its SHA-256.
# Idempotent: returns at once when the pinned library is already there.
#   PDFIUM_DIR=/some/dir scripts/setup-pdfium.sh   # install elsewhere (Dockerfile)
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=5.15.2
BUILD=8149
WHEEL=pypdfium2-$VERSION-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
SHA256=dc31aea5b0fb9fefc9b537a65f4113980b2c40798445736a7e6565bc85161e37
DIR="${PDFIUM_DIR:-.pdfium}"
STAMP="$DIR/pypdfium2-$VERSION"

if [ -f "$DIR/libpdfium.so" ] && [ -f "$STAMP" ]; then
  echo "setup-pdfium: $DIR/libpdfium.so (PDFium $BUILD) already there"
  exit 0
fi
case "$(uname -m)" in
  x86_64) ;;
  *) echo "setup-pdfium: only x86_64 is pinned here; set FAXRENDER_PDFIUM to a libpdfium.so build $BUILD" >&2; exit 1 ;;
esac
command -v python3 >/dev/null || { echo "setup-pdfium: python3 (with pip) is needed" >&2; exit 1; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT
python3 -m pip download --quiet --disable-pip-version-check "pypdfium2==$VERSION" --no-deps \
  --only-binary=:all: --platform manylinux_2_17_x86_64 --python-version 3.11 -d "$TMP"
echo "$SHA256  $TMP/$WHEEL" | sha256sum --check --quiet
mkdir -p "$DIR"
python3 - "$TMP/$WHEEL" "$DIR" <<'PY'
import json, sys, zipfile
wheel, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(wheel) as z:
    with open(out + "/libpdfium.so", "wb") as f:
        f.write(z.read("pypdfium2_raw/libpdfium.so"))
    build = json.loads(z.read("pypdfium2_raw/version.json"))["build"]
    lic = [n for n in z.namelist() if n.endswith("BUILD_LICENSES/pdfium.txt")]
    if lic:
        with open(out + "/LICENSE-pdfium.txt", "wb") as f:
            f.write(z.read(lic[0]))
print(f"setup-pdfium: PDFium build {build} in {out}/libpdfium.so")
PY
touch "$STAMP"
