#!/usr/bin/env bash
# Regenerates the real-world-like exports of source.txt that pdf_export_test.go
# reads. Not run by the tests or CI. Needs Debian's chromium,
# libreoffice-writer-nogui, fonts-noto-cjk, fonts-wqy-zenhei and qpdf:
#
#	cd knowledge/extract/testdata/exports && ./make.sh
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp" <<'PY'
import html, sys
lines = open("source.txt", encoding="utf-8").read().split("\n")[:4]
body = "<h1>%s</h1>" % lines[0] + "".join("<p>%s</p>" % html.escape(l) for l in lines[1:])
for name, font in [("noto", "Noto Serif CJK SC"), ("ttf", "WenQuanYi Zen Hei")]:
    open("%s/%s.html" % (sys.argv[1], name), "w", encoding="utf-8").write(
        "<html><head><meta charset='utf-8'><title>%s</title><style>body{font-family:'%s'}</style></head><body>%s</body></html>"
        % (lines[0], font, body))
PY
chrome() { chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$2" "file://$1" >/dev/null 2>&1; }
# A browser printing a page set in Noto (CFF): Type 3 fonts whose ToUnicode
# maps to Kangxi and CJK radicals ("⼈" for "人").
chrome "$tmp/noto.html" "$tmp/t3.pdf"
qpdf --object-streams=generate --recompress-flate --compression-level=9 "$tmp/t3.pdf" browser-type3.pdf
# A browser printing a TrueType face: CIDFontType2, Identity-H, as Word does.
chrome "$tmp/ttf.html" browser-cid.pdf
# LibreOffice Writer opening the text: the CJK face split into one-byte
# Type 1 subsets. (Its HTML import drops a leading <h1>.)
cp source.txt "$tmp/lo.txt"
soffice --headless --convert-to pdf --outdir "$tmp" "$tmp/lo.txt" >/dev/null 2>&1
cp "$tmp/lo.pdf" libreoffice.pdf
# Identity-H without ToUnicode, as some WPS and older exports are: glyph ids only.
qpdf --qdf --object-streams=disable browser-cid.pdf "$tmp/q.pdf"
sed 's#/ToUnicode [0-9]* 0 R#/Foo 0 0 R#' "$tmp/q.pdf" >"$tmp/q2.pdf"
fix-qdf "$tmp/q2.pdf" >"$tmp/q3.pdf"
qpdf "$tmp/q3.pdf" cid-no-tounicode.pdf
# An owner password only (AES-256), as many government notices carry to stop copying.
qpdf --encrypt "" owner 256 --extract=n -- browser-cid.pdf aes256-owner.pdf
