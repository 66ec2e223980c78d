# Helpers for the scripts that run faxrender next to LibreOffice, sourced by
# benches/compare-office.sh, benches/compare-sheets.sh and
# scripts/office-page-counts.sh (not a script of its own).
#
#   find_faxrender ROOT        sets $bin: $FAXRENDER, else the release build in
#                              $CARGO_TARGET_DIR or ROOT/target; exits 2 if none
#   office_workspace ROOT      sets $tmp (removed on exit) and $profile, a
#                              LibreOffice profile of our own (soffice refuses to
#                              run beside another instance using the same one), and
#                              gives LibreOffice the fonts in ROOT/fonts (below)
#   office_to_pdf FILE DIR [S] soffice --convert-to pdf into DIR, with our
#                              profile, for at most S seconds (default 120: a
#                              hostile file can keep LibreOffice busy for minutes)
#   median                     from stats.sh (sourced here)

source "$(dirname "${BASH_SOURCE[0]}")/stats.sh"

find_faxrender() {
    bin=${FAXRENDER:-}
    local candidate
    for candidate in "$bin" "${CARGO_TARGET_DIR:-}/release/faxrender" "$1/target/release/faxrender"; do
        [ -n "$candidate" ] && [ -x "$candidate" ] && { bin=$candidate; return 0; }
    done
    echo "faxrender binary not found (build with cargo build --release or set FAXRENDER)" >&2
    exit 2
}

office_workspace() {
    command -v soffice >/dev/null || { echo "soffice not found: install LibreOffice (apt-get install libreoffice-writer libreoffice-calc)" >&2; exit 2; }
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    profile="file://$tmp/lo-profile"
    # LibreOffice gets the metric-compatible fonts we lay out with
    # (Liberation, Carlito, Caladea), as a normal install has them
    # (libreoffice-common recommends fonts-liberation2, the libreoffice
    # metapackage fonts-crosextra-carlito and -caladea). Without them fontconfig hands it Nimbus Roman
    # for Times New Roman: the same widths but a 14.4 pt line at 12 pt
    # instead of about 13.3 pt, which alone adds pages to long documents.
    cat > "$tmp/fonts.conf" <<CONF
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <dir>$1/fonts</dir>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <cachedir>$tmp/fontconfig-cache</cachedir>
</fontconfig>
CONF
    export FONTCONFIG_FILE="$tmp/fonts.conf"
}

office_to_pdf() {
    timeout "${3:-120}" soffice -env:UserInstallation="$profile" --headless --convert-to pdf \
        --outdir "$2" "$1" >/dev/null 2>&1
}

