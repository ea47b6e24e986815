#!/usr/bin/env bash
# Install Papershelf for this user: the app into ~/.local/lib/papershelf, a `papershelf` link in
# ~/.local/bin, and the menu entry, icons and AppStream metadata under ~/.local/share.
# PREFIX=/some/dir ./install.sh installs there instead of ~/.local. Run it again to upgrade.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
PREFIX=${PREFIX:-$HOME/.local}
APP_ID=io.github.papershelf.Papershelf
lib=$PREFIX/lib/papershelf
[ -x "$here/papershelf/papershelf" ] || { echo "install.sh: run it from the unpacked archive" >&2; exit 1; }

mkdir -p "$PREFIX/lib" "$PREFIX/bin" "$PREFIX/share/applications" "$PREFIX/share/metainfo"
rm -rf "$lib.new"
cp -a "$here/papershelf" "$lib.new"
rm -rf "$lib"
mv "$lib.new" "$lib"
ln -sfn "$lib/papershelf" "$PREFIX/bin/papershelf"

# the menu entry starts the installed program by its full path (~/.local/bin may not be on PATH);
# a path with spaces is quoted, `%` doubled (desktop entry Exec rules)
exe=${lib//%/%%}/papershelf
case $exe in *[[:space:]]*) exe="\"$exe\"" ;; esac
while IFS= read -r line; do
  case $line in
    Exec=*) printf 'Exec=%s\n' "$exe" ;;
    TryExec=*) printf 'TryExec=%s\n' "$lib/papershelf" ;;
    *) printf '%s\n' "$line" ;;
  esac
done < "$here/share/applications/$APP_ID.desktop" > "$PREFIX/share/applications/$APP_ID.desktop"
cp "$here/share/metainfo/$APP_ID.metainfo.xml" "$PREFIX/share/metainfo/"
(cd "$here/share/icons" && find hicolor -name "$APP_ID.*" -type f) | while read -r icon; do
  mkdir -p "$PREFIX/share/icons/$(dirname "$icon")"
  cp "$here/share/icons/$icon" "$PREFIX/share/icons/$icon"
done

# refresh the caches when the tools are there (menus pick the entry up either way)
command -v update-desktop-database >/dev/null 2>&1 \
  && update-desktop-database -q "$PREFIX/share/applications" 2>/dev/null || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$PREFIX/share/icons/hicolor/index.theme" ] \
  && gtk-update-icon-cache -q -t -f "$PREFIX/share/icons/hicolor" 2>/dev/null || true

echo "Papershelf $("$lib/papershelf" --version 2>/dev/null | cut -d' ' -f2) installed in $lib"
echo "Start it from the application menu or with $PREFIX/bin/papershelf"
case ":$PATH:" in *":$PREFIX/bin:"*) ;; *) echo "(add $PREFIX/bin to PATH to type just 'papershelf')" ;; esac
echo "Remove it with ./uninstall.sh (your library in ~/.local/share/papershelf is kept)"
