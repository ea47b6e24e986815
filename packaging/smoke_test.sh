#!/usr/bin/env bash
# Smoke-test a built bundle in a clean environment (no venv, no source tree, offscreen Qt):
#   packaging/smoke_test.sh [BUNDLE_DIR] [ARCHIVE.tar.gz]
# BUNDLE_DIR defaults to dist/papershelf. With an archive, also unpack it and run its
# install.sh and uninstall.sh against a scratch prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
bundle=$(cd "${1:-dist/papershelf}" && pwd)
archive=${2:-}
exe=$bundle/papershelf
[ -x "$exe" ] || { echo "smoke test: no bundle at $exe (run make package)" >&2; exit 1; }
expected=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ok() { printf '  ok  %s\n' "$*"; }
fail() { printf 'FAIL  %s\n' "$*" >&2; exit 1; }
# the bundle must run on its own: no PYTHONPATH, no venv, no display, an empty HOME
run() { env -i HOME="$tmp" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen "$@"; }

# a PNG of at least 1200x800, read from its header with the standard library
check_png() {
  python3 - "$1" <<'EOF'
import struct
import sys

with open(sys.argv[1], "rb") as f:
    head = f.read(24)
if head[:8] != b"\x89PNG\r\n\x1a\n" or head[12:16] != b"IHDR":
    sys.exit(f"{sys.argv[1]}: not a PNG")
width, height = struct.unpack(">II", head[16:24])
if width < 1200 or height < 800:
    sys.exit(f"{sys.argv[1]}: {width}x{height}, expected at least 1200x800")
print(f"{width}x{height}")
EOF
}

# a one-page PDF with one line of text (xref offsets computed, so PDFium needs no repair)
write_pdf() {
  python3 - "$1" "$2" <<'EOF'
import sys

text = sys.argv[2].encode("latin-1")
stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792]"
    b" /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
]
out, offsets = bytearray(b"%PDF-1.4\n"), []
for number, body in enumerate(objects, 1):
    offsets.append(len(out))
    out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
with open(sys.argv[1], "wb") as f:
    f.write(out)
EOF
}

echo "smoke test: $bundle"
version=$(run "$exe" --version) || fail "--version exits non-zero"
[ "$version" = "papershelf $expected" ] || fail "--version says '$version', expected 'papershelf $expected'"
ok "--version: $version"

# the window icon, found by app/resources_path.py under sys._MEIPASS
for size in 16 32 48 64 128 256 512; do
  [ -f "$bundle/_internal/app/resources/icons/papershelf-$size.png" ] \
    || fail "the bundle has no app/resources/icons/papershelf-$size.png"
done
ok "window icon: app/resources/icons, 7 sizes"

# an empty library: the first-run window
run "$exe" --library "$tmp/empty" --screenshot "$tmp/empty.png" >"$tmp/log" 2>&1 \
  || { cat "$tmp/log" >&2; fail "--screenshot on an empty library"; }
size=$(check_png "$tmp/empty.png") || fail "--screenshot on an empty library: bad PNG"
ok "--screenshot, empty library: $size"

# the command line end to end: BibTeX (TeX accents), RIS, a Markdown note, search, HTML export
cat >"$tmp/papers.bib" <<'EOF'
@article{schrodinger2020,
  title = {Pruning Attention Heads in Transformers},
  author = {Schr{\"o}dinger, Erwin and Ng, Andrew},
  year = {2020},
  journal = {Journal of Smoke Tests},
  doi = {10.1234/smoke.2020},
  keywords = {pruning, transformers}
}
EOF
cat >"$tmp/papers.ris" <<'EOF'
TY  - JOUR
AU  - Lovelace, Ada
TI  - Notes on the Analytical Engine
PY  - 1843
DO  - 10.1234/smoke.1843
ER  - 
EOF
lib=$tmp/lib
run "$exe" --library "$lib" import "$tmp/papers.bib" "$tmp/papers.ris" >/dev/null \
  || fail "import BibTeX and RIS"
run "$exe" --library "$lib" note schrodinger2020 --text $'**Read** the *ablation*:\n\n- one\n- two' \
  >/dev/null || fail "note"
hits=$(run "$exe" --library "$lib" search 'pruned' --json) || fail "search"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); sys.exit(0 if d["total"] == 1 else d)' "$hits" \
  || fail "search 'pruned' (stemming) did not find the paper: $hits"
run "$exe" --library "$lib" export --all --format html -o "$tmp/out.html" >/dev/null || fail "export html"
grep -q '<strong>Read</strong>' "$tmp/out.html" || fail "export html: the Markdown note is not rendered"
grep -q 'Schrödinger' "$tmp/out.html" || fail "export html: TeX accents not decoded"
ok "import, note, search, export: $(run "$exe" --library "$lib" stats --json | tr -d ' \n')"

# a PDF: its text is read by PDFium (pypdfium2_raw's libpdfium.so) in a *spawned* worker, i.e.
# the bundle's executable started again; without multiprocessing.freeze_support() in the
# launcher that child would run the command line instead and the text would never arrive
write_pdf "$tmp/airships.pdf" "Zeppelin aerodynamics of rigid airships" || fail "write a test PDF"
pdflib=$tmp/pdflib
run "$exe" --library "$pdflib" import "$tmp/airships.pdf" >"$tmp/log" 2>&1 \
  || { cat "$tmp/log" >&2; fail "import a PDF"; }
if grep -E 'Traceback|usage:|error:' "$tmp/log" >&2; then fail "import a PDF printed errors"; fi
hits=$(run "$exe" --library "$pdflib" search 'zeppelins' --json) || fail "search the PDF text"
python3 -c 'import json,sys; d=json.loads(sys.argv[1]); h=d["hits"]
sys.exit(0 if d["total"] == 1 and h[0]["id"] == 1 and h[0]["page"] == 1 else d)' "$hits" \
  || fail "search 'zeppelins' did not find page 1 of the PDF: $hits"
files=$(run "$exe" --library "$pdflib" files 1 --json) || fail "files 1 --json"
python3 -c 'import json,sys; f=json.loads(sys.argv[1])
sys.exit(0 if [(x["name"], x["pages"], x["text"]) for x in f] == [("airships.pdf", 1, "indexed")]
         else f)' "$files" || fail "files 1: the PDF's text is not indexed: $files"
ok "PDF import (spawned PDFium worker), text search with page 1, files: text indexed"

# a highlight found by PDFium's character boxes, and a copy of the PDF with it as an annotation,
# written by PDFium in another spawned process
run "$exe" --library "$pdflib" highlight 1 --page 1 --text "rigid airships" --color green \
  >"$tmp/log" 2>&1 || { cat "$tmp/log" >&2; fail "highlight"; }
run "$exe" --library "$pdflib" export-pdf 1 -o "$tmp/annotated.pdf" >"$tmp/log" 2>&1 \
  || { cat "$tmp/log" >&2; fail "export-pdf"; }
grep -q "with 1 highlight" "$tmp/log" || fail "export-pdf: $(cat "$tmp/log")"
grep -aq "/Highlight" "$tmp/annotated.pdf" || fail "export-pdf: no Highlight annotation in the copy"
ok "highlight and export-pdf (a spawned PDFium writer)"

# the window on that library (exactly as a user with no environment would start it)
env -i HOME="$tmp" PATH=/usr/bin:/bin QT_QPA_PLATFORM=offscreen \
  "$exe" --library "$lib" --screenshot "$tmp/out.png" >"$tmp/log" 2>&1 \
  || { cat "$tmp/log" >&2; fail "--screenshot"; }
size=$(check_png "$tmp/out.png") || fail "--screenshot: bad PNG"
ok "--screenshot: $size"
if grep -E 'Traceback|Could not load|Cannot load library' "$tmp/log" >&2; then
  fail "--screenshot printed errors"
fi

if [ -n "$archive" ]; then
  echo "smoke test: $archive"
  mkdir "$tmp/unpack"
  tar -C "$tmp/unpack" -xzf "$archive"
  top=$(find "$tmp/unpack" -mindepth 1 -maxdepth 1 -type d)
  prefix=$tmp/root/usr   # a /usr-like tree, so appstreamcli validate-tree can check it
  app_id=io.github.papershelf.Papershelf
  PREFIX=$prefix bash "$top/install.sh" >/dev/null || fail "install.sh"
  for file in bin/papershelf lib/papershelf/papershelf "share/applications/$app_id.desktop" \
      "share/metainfo/$app_id.metainfo.xml" "share/icons/hicolor/scalable/apps/$app_id.svg" \
      "share/icons/hicolor/16x16/apps/$app_id.png" "share/icons/hicolor/512x512/apps/$app_id.png"; do
    [ -e "$prefix/$file" ] || fail "install.sh did not install $file"
  done
  grep -qx "Exec=$prefix/lib/papershelf/papershelf" "$prefix/share/applications/$app_id.desktop" \
    || fail "installed desktop entry does not start the installed program"
  if command -v desktop-file-validate >/dev/null; then
    desktop-file-validate "$prefix/share/applications/$app_id.desktop" | grep -v hint: || true
    desktop-file-validate "$prefix/share/applications/$app_id.desktop" >/dev/null \
      || fail "installed desktop entry is invalid"
  fi
  if command -v appstreamcli >/dev/null; then
    appstreamcli validate-tree --no-net "$tmp/root" >"$tmp/log" 2>&1 \
      || { cat "$tmp/log" >&2; fail "appstreamcli validate-tree on the installed files"; }
  fi
  version=$(run "$prefix/bin/papershelf" --version) || fail "installed papershelf (via the bin link)"
  [ "$version" = "papershelf $expected" ] || fail "installed papershelf --version says '$version'"
  rm -rf "$top"   # the installed copy must not depend on the unpacked archive
  run "$prefix/bin/papershelf" --version >/dev/null || fail "installed copy needs the unpacked archive"
  ok "install.sh into a scratch prefix; ~/.local/bin link runs: $version"
  tar -C "$tmp/unpack" -xzf "$archive"
  PREFIX=$prefix bash "$top/uninstall.sh" >/dev/null || fail "uninstall.sh"
  left=$(find "$prefix" \( -type f -o -type l \) ! -name mimeinfo.cache ! -name icon-theme.cache | sed "s|^$prefix/||")
  [ -z "$left" ] || fail "uninstall.sh left: $left"
  ok "uninstall.sh removes everything it installed"
fi
echo "smoke test passed"
