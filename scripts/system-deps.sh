#!/usr/bin/env bash
# Installs the Debian packages minsheng needs beyond Python:
#   chromium            browser tests (Playwright drives it; no browser is downloaded)
#   fonts-wqy-microhei  Chinese glyphs in PDFs (checklists, posters)
#   libpango-1.0-0 libpangoft2-1.0-0   WeasyPrint's text layout
#   wrk                 load generator for bench/intake.py (only with the argument "bench")
# Does nothing when all are present; needs root (or sudo) otherwise.
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi "WenQuanYi\|Noto Sans CJK" || need+=(fonts-wqy-microhei)
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || need+=(libpango-1.0-0 libpangoft2-1.0-0)
[ "${1:-}" = bench ] && ! command -v wrk >/dev/null && need+=(wrk)
[ ${#need[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${need[*]}"
SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" fontconfig >/dev/null
