#!/usr/bin/env bash
# export.sh — render the hand-written line drawings in content/images/exercises/
# to the PNGs the blog article uses in content/images/blog/.
#
# Each SVG becomes an 800x600 PNG on a white background. Only rsvg-convert is
# needed (Debian: apt-get install librsvg2-bin). rsvg-convert ignores the CSS
# animations some drawings carry, so the PNG shows each drawing's still pose.
# The same SVG and the same librsvg version give byte-identical PNGs.
#
# Convention for the SVGs: the still pose is drawn with presentation attributes
# only; <style> holds nothing but the animations (off under
# prefers-reduced-motion: reduce). The site's Content-Security-Policy blocks
# inline style when an SVG is opened on its own, and the drawing must still be
# right then.
#
# Run from anywhere: bash tools/drawings/export.sh  (or: go generate ./tools/drawings)
set -euo pipefail

if ! command -v rsvg-convert >/dev/null 2>&1; then
	echo "export.sh: rsvg-convert not found; install it with: apt-get install librsvg2-bin" >&2
	exit 1
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
src=$root/content/images/exercises
dst=$root/content/images/blog
mkdir -p "$dst"

# source drawing -> PNG name referenced by content/blog/5-bedste-oevelser-til-spinalstenose.md
while read -r svg png; do
	rsvg-convert --width 800 --height 600 --background-color '#ffffff' \
		--format png --output "$dst/$png.png" "$src/$svg.svg"
	echo "content/images/exercises/$svg.svg -> content/images/blog/$png.png"
done <<'LIST'
intro spinalstenose_intro
anatomi spinalstenose_anatomi
siddende-cykling spinalstenose_1
laendesiddende-stilling spinalstenose_2
gaaende-med-pauser spinalstenose_3
knae-til-bryst spinalstenose_4
kattestraek spinalstenose_5
LIST
