#!/usr/bin/env bash
# Makes sure the Debian packages the project needs are present:
#   postgres  PostgreSQL server + PostGIS (skipped when DATABASE_URL is set)
#   chromium  Debian's chromium, for the browser tests
# As root, missing packages are installed; otherwise it stops with the command to run.
set -euo pipefail

need=()
for what in "$@"; do
  case "$what" in
    postgres)
      if [ -n "${DATABASE_URL:-}" ]; then continue; fi
      bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
      if [ -z "$bindir" ] || [ ! -x "$bindir/postgres" ]; then
        need+=(postgresql postgresql-contrib)
        version=$(apt-cache depends postgresql 2>/dev/null | sed -n 's/.*Depends: postgresql-\([0-9][0-9]*\)$/\1/p' | head -n 1)
        need+=("postgresql-${version:-15}-postgis-3")
      else
        version=$(basename "$(dirname "$bindir")")
        if [ ! -f "/usr/share/postgresql/$version/extension/postgis.control" ]; then
          need+=("postgresql-$version-postgis-3")
        fi
        if [ ! -f "/usr/share/postgresql/$version/extension/unaccent.control" ]; then
          need+=(postgresql-contrib)
        fi
      fi
      ;;
    chromium)
      command -v chromium >/dev/null 2>&1 || need+=(chromium)
      ;;
    venv)
      python3 -m venv --help >/dev/null 2>&1 && python3 -c 'import ensurepip' 2>/dev/null || need+=(python3-venv)
      ;;
    node)
      command -v npm >/dev/null 2>&1 || need+=(npm)
      ;;
    *) echo "system_packages.sh: unknown component $what" >&2; exit 2 ;;
  esac
done

[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Paquets Debian manquants. Installez-les puis relancez :" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "==> installation des paquets Debian : ${need[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get -o DPkg::Lock::Timeout=300 update -q
apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${need[@]}"
