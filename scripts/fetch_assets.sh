#!/usr/bin/env bash
# Fetches the front-end packages at pinned versions with `npm pack` (no npm install: the GCDS
# package would drag Storybook in) and lays them out under static/vendor/ for Django to serve.
# gcds.css is rewritten to use the self-hosted fonts: no request leaves the machine.
set -euo pipefail
cd "$(dirname "$0")/.."

GCDS_COMPONENTS=1.3.1
GCDS_FONTS=1.1.1
HTMX=2.0.8
AXE=4.10.3
stamp="static/vendor/.versions"
# "layout" changes whenever the files copied change, so an older static/vendor is laid out again.
want="components=$GCDS_COMPONENTS fonts=$GCDS_FONTS htmx=$HTMX axe=$AXE layout=2"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then exit 0; fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "@gcds-core/components@$GCDS_COMPONENTS" "@gcds-core/fonts@$GCDS_FONTS" \
    "htmx.org@$HTMX" "axe-core@$AXE" >/dev/null 2>&1)
for tarball in "$work"/*.tgz; do
  mkdir -p "${tarball%.tgz}" && tar xzf "$tarball" -C "${tarball%.tgz}"
done

rm -rf static/vendor && mkdir -p static/vendor/gcds static/vendor/gcds-fonts static/vendor/htmx static/vendor/axe
cp "$work"/gcds-core-components-*/package/dist/gcds/* static/vendor/gcds/
# Only the font files fonts.css (below) names, and their licences: the package's own sample CSS files
# point at placeholder paths ("path/to/file/...") that collectstatic's manifest storage rejects.
fonts="$work/gcds-core-fonts-$GCDS_FONTS/package/fonts"
for face in lato/gcds-lato lato/gcds-lato-italic noto-sans/gcds-noto-sans-regular noto-sans/gcds-noto-sans-bold \
    noto-sans/gcds-noto-sans-regular-italic noto-sans-mono/gcds-noto-sans-mono; do
  mkdir -p "static/vendor/gcds-fonts/$(dirname "$face")"
  cp "$fonts/$face.woff2" "$fonts/$face.woff" "static/vendor/gcds-fonts/$(dirname "$face")/"
done
mkdir -p static/vendor/gcds-fonts/icons
cp "$fonts/icons/gcds-icons.woff" "$fonts/icons/gcds-icons.ttf" static/vendor/gcds-fonts/icons/
for family in lato noto-sans noto-sans-mono icons; do cp "$fonts/$family/LICENSE.txt" "static/vendor/gcds-fonts/$family/"; done
cp "$work"/htmx.org-*/package/dist/htmx.min.js static/vendor/htmx/
cp "$work"/axe-core-*/package/axe.min.js static/vendor/axe/

# Drop the Google Fonts import and point the icon font at our copy.
sed -i -E 's#@import url\("https://fonts\.googleapis\.com[^"]*"\);##' static/vendor/gcds/gcds.css
sed -i -E 's#https://cdn\.design-system\.canada\.ca/@gcds-core/fonts@[0-9.]+/icons/#../gcds-fonts/icons/#g' static/vendor/gcds/gcds.css
if grep -q "https://" static/vendor/gcds/gcds.css; then
  echo "gcds.css still references a remote URL:" >&2; grep -o 'https://[^)"]*' static/vendor/gcds/gcds.css >&2; exit 1
fi
cat > static/vendor/gcds-fonts/fonts.css <<'CSS'
/* Self-hosted GC Design System fonts (@gcds-core/fonts), replacing the Google Fonts import. */
@font-face { font-family: "Lato"; src: url("lato/gcds-lato.woff2") format("woff2"), url("lato/gcds-lato.woff") format("woff"); font-weight: 700; font-style: normal; font-display: swap; }
@font-face { font-family: "Lato"; src: url("lato/gcds-lato-italic.woff2") format("woff2"), url("lato/gcds-lato-italic.woff") format("woff"); font-weight: 700; font-style: italic; font-display: swap; }
@font-face { font-family: "Noto Sans"; src: url("noto-sans/gcds-noto-sans-regular.woff2") format("woff2"), url("noto-sans/gcds-noto-sans-regular.woff") format("woff"); font-weight: 400; font-style: normal; font-display: swap; }
@font-face { font-family: "Noto Sans"; src: url("noto-sans/gcds-noto-sans-bold.woff2") format("woff2"), url("noto-sans/gcds-noto-sans-bold.woff") format("woff"); font-weight: 700; font-style: normal; font-display: swap; }
@font-face { font-family: "Noto Sans"; src: url("noto-sans/gcds-noto-sans-regular-italic.woff2") format("woff2"), url("noto-sans/gcds-noto-sans-regular-italic.woff") format("woff"); font-weight: 400; font-style: italic; font-display: swap; }
@font-face { font-family: "Noto Sans Mono"; src: url("noto-sans-mono/gcds-noto-sans-mono.woff2") format("woff2"), url("noto-sans-mono/gcds-noto-sans-mono.woff") format("woff"); font-weight: 400; font-style: normal; font-display: swap; }
@font-face { font-family: "gcds-icons"; src: url("icons/gcds-icons.woff") format("woff"), url("icons/gcds-icons.ttf") format("truetype"); font-weight: normal; font-style: normal; font-display: block; }
CSS
# Fail here, not at collectstatic: every url() in a vendored stylesheet must name a file we copied.
python3 scripts/check_css_urls.py static/vendor
echo "$want" > "$stamp"
echo "front-end assets ready in static/vendor ($want)"
