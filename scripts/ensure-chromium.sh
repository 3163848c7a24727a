#!/usr/bin/env bash
# Make sure Debian's Chromium is installed: the browser tests drive it headless through Playwright
# (Playwright's own browser download is neither used nor needed).
# A CJK font too, so that the pages' Chinese renders in screenshots instead of empty boxes.
set -euo pipefail
have_browser=0
for candidate in chromium chromium-browser; do
  if command -v "$candidate" >/dev/null 2>&1; then have_browser=1; fi
done
have_font=0
if command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q .; then have_font=1; fi
[ "$have_browser" = 1 ] && [ "$have_font" = 1 ] && exit 0
echo "ensure-chromium: installing Debian's chromium and a CJK font (fonts-wqy-zenhei)" >&2
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }
as_root apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-zenhei >/dev/null
