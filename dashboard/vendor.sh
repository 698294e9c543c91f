#!/usr/bin/env bash
# Front-end libraries the maps need, taken from the npm registry and served by the app
# itself at /app/static/vendor/ (folium would load them from public CDNs, which many
# ministry networks, and these machines, do not reach).
set -euo pipefail
cd "$(dirname "$0")"
dest=static/vendor
packages=(leaflet@1.9.3 jquery@3.7.1 bootstrap@5.2.2 @fortawesome/fontawesome-free@6.2.0 leaflet.awesome-markers@2.0.5)
stamp="$dest/.packages"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "${packages[*]}" ]; then exit 0; fi
echo "==> bibliothèques front-end (npm) : ${packages[*]}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "${packages[@]}" >/dev/null)
rm -rf "$dest" && mkdir -p "$dest"
for tgz in "$tmp"/*.tgz; do
  name=$(basename "$tgz" .tgz)
  name=${name%-*}               # drop the version
  mkdir -p "$dest/$name"
  tar -xzf "$tgz" -C "$dest/$name" --strip-components=1
done
echo "${packages[*]}" > "$stamp"
