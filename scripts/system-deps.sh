#!/usr/bin/env bash
# System packages the project needs: Python's venv module, a CJK font for the printed maps
# (geo/printing), PostgreSQL 15+ with PostGIS 3.
# As root on Debian/Ubuntu they are installed with apt; otherwise the exact command is printed.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

missing=()
python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || {
    echo "system-deps: Python 3.11 or newer is needed (python3 is $(python3 -V 2>&1))" >&2
    exit 1
}
python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=("python3-venv")
# Printed maps set parcel names and 四至 in Chinese: without a CJK font they cannot be made.
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] \
    || [ -e /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] \
    || missing+=("fonts-wqy-microhei")
# The tests use real clients: Debian's Chromium (the CJK font above makes its screenshots
# readable), GDAL's command-line tools, and poppler's pdftotext/pdftoppm to read printed maps.
if [ -n "${ZS_TEST_TOOLS:-}" ]; then
    command -v chromium >/dev/null || missing+=("chromium")
    command -v ogrinfo >/dev/null || missing+=("gdal-bin")
    command -v pdftoppm >/dev/null || missing+=("poppler-utils")
fi

if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "system-deps: installing ${missing[*]} with apt-get" >&2
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    else
        echo "system-deps: missing ${missing[*]}; install them with:" >&2
        echo "    sudo apt-get install -y ${missing[*]}" >&2
        exit 1
    fi
fi

# PostgreSQL + PostGIS are only needed for the private cluster.
if [ -z "${DATABASE_URL_IS_EXTERNAL:-}" ]; then
    "$here/pgcluster.sh" ensure
fi
