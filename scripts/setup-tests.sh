#!/usr/bin/env bash
# Installs what the tests need on Debian and builds the SpanDSP fax checker.
#   libtiff-tools : tiffinfo/tiffcp/tiffdump (cross-checks, validate-fax-tiff.sh)
#   libspandsp-dev: SpanDSP, to check our TIFFs exactly as Asterisk/FreeSWITCH read them
#   poppler-utils, ghostscript: the receive tests read our PDFs back (pdfimages, gs)
#   libreoffice-writer, python3-uno, bubblewrap: legacy .doc through the warm,
#     sandboxed LibreOffice pool (the -nogui build aborts on UNO loads of some
#     files, so the regular writer package)
#   PDFium (scripts/setup-pdfium.sh): PDF input, tests/pdf.rs and the PDF golden pages
# The checkers' sources live in ../shared/tools (FAXRENDER_SHARED overrides).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends \
  libtiff-tools libspandsp-dev libtiff-dev pkg-config gcc poppler-utils ghostscript \
  libreoffice-writer python3-uno bubblewrap >/dev/null
SHARED="${FAXRENDER_SHARED:-../shared}"
mkdir -p target/checkers
gcc -O2 -Wall -o target/checkers/spandsp-t4tx-check "$SHARED/tools/spandsp-t4tx-check.c" \
  $(pkg-config --cflags --libs spandsp) -ltiff
# PDFium for PDF input (pinned wheel, into .pdfium/)
scripts/setup-pdfium.sh
echo "setup-tests: checkers ready (target/checkers/spandsp-t4tx-check, $SHARED/tools/validate-fax-tiff.sh)"
# The service's browser test (tests/browser, run by tests/service.rs): headless
# Chromium from Debian, driven by playwright-core (no browser download).
# Node.js and npm only where missing: a machine with NodeSource's nodejs (which
# carries its own npm) cannot take Debian's npm package (they conflict).
command -v chromium >/dev/null || $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
command -v npm >/dev/null || $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
(cd tests/browser && npm ci --no-audit --no-fund --silent)
echo "setup-tests: chromium and playwright-core ready (tests/browser)"
# The downloaded .deb archives (LibreOffice, Chromium: hundreds of MB) are not
# needed once installed; a CI machine's disk is small.
$SUDO apt-get clean
