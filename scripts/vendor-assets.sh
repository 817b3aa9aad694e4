#!/usr/bin/env bash
# Vendor the map's front-end libraries from the npm registry into static/vendor/, with their
# licences, so that the page loads nothing from outside the service (no CDN at run time).
# Run it again to update; the result is committed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
LEAFLET_VERSION=1.9.4
GCOORD_VERSION=1.0.7

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm init -y >/dev/null && npm install --silent --no-audit --no-fund \
    "leaflet@$LEAFLET_VERSION" "gcoord@$GCOORD_VERSION" >/dev/null)

vendor="$here/static/vendor"
rm -rf "$vendor/leaflet" "$vendor/gcoord"
mkdir -p "$vendor/leaflet/images" "$vendor/gcoord"
src="$work/node_modules/leaflet"
cp "$src/dist/leaflet.js" "$src/dist/leaflet.js.map" "$src/dist/leaflet.css" "$vendor/leaflet/"
cp "$src/dist/images/"*.png "$vendor/leaflet/images/"
cp "$src/LICENSE" "$vendor/leaflet/LICENSE"
src="$work/node_modules/gcoord"
cp "$src/dist/gcoord.global.prod.js" "$vendor/gcoord/gcoord.js" 2>/dev/null \
    || cp "$src/dist/gcoord.js" "$vendor/gcoord/gcoord.js"
cp "$src/LICENSE" "$vendor/gcoord/LICENSE"
cat > "$vendor/README.md" <<NOTE
Vendored by scripts/vendor-assets.sh from the npm registry; do not edit by hand.

| library | version | licence |
|---|---|---|
| leaflet | $LEAFLET_VERSION | BSD-2-Clause (leaflet/LICENSE) |
| gcoord | $GCOORD_VERSION | MIT (gcoord/LICENSE) |
NOTE
echo "vendored leaflet $LEAFLET_VERSION and gcoord $GCOORD_VERSION into static/vendor/"
