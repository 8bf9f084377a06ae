#!/usr/bin/env bash
# Installs what the browser tests need on a fresh Debian machine, and does nothing that is
# already done: Debian's Chromium (Playwright never downloads a browser here), Japanese fonts
# for readable screenshots, pdftotext (poppler-utils), Java for the Nu HTML Checker when there
# is none, and the pinned npm packages (axe-core, vanilla-cookieconsent). Also gettext, whose
# msgfmt checks the PO files `policygen translate export` writes (tests/unit, tests/test_translate.py).
# And what PDFs are made with (tests/test_pdf.py): Pango and HarfBuzz's subsetter, which
# WeasyPrint loads, and the fonts the theme's PDFs name: Noto Sans CJK for Japanese, Chinese and
# Korean, Noto Sans, Noto Naskh Arabic, Noto Sans Thai and the other scripts' from fonts-noto-core.
# The Python side comes with the project: pip install -e '.[test]'.
set -euo pipefail
cd "$(dirname "$0")/../.."

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

packages=(chromium fonts-noto-cjk poppler-utils gettext)
packages+=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core)
if ! command -v java >/dev/null 2>&1; then
  packages+=(default-jre-headless)
fi
missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  $sudo apt-get update -q
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi

npm ci --prefix tests/browser --no-audit --no-fund
npm ci --prefix examples/consent --no-audit --no-fund
