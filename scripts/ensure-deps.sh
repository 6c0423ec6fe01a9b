#!/usr/bin/env bash
# Finds, or installs (as root, with apt), what TVPB needs beyond npm:
#   chromium       PDF rendering and browser tests
#   poppler-utils  pdftotext / pdffonts / pdfinfo / pdfsig used by the document tests
#   postgresql-15  the second database the test suite runs on
#   python3        its zipfile module checks the organisation export's zip in a test
# Without root it prints the exact command to run instead.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || need+=(chromium)
command -v pdftotext >/dev/null 2>&1 || need+=(poppler-utils)
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15 postgresql-contrib)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${need[*]} (Debian packages)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  echo "TVPB needs these Debian packages: ${need[*]}" >&2
  echo "Install them with:  sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
