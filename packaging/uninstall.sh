#!/usr/bin/env bash
# Remove what install.sh put under ~/.local (or PREFIX). Your library and settings are kept:
# ~/.local/share/papershelf (or PAPERSHELF_LIBRARY) and ~/.config/Papershelf are not touched.
set -euo pipefail
PREFIX=${PREFIX:-$HOME/.local}
APP_ID=io.github.papershelf.Papershelf
lib=$PREFIX/lib/papershelf

# the link only when it is ours (a pip or pipx install may own ~/.local/bin/papershelf)
if [ -L "$PREFIX/bin/papershelf" ] && [ "$(readlink "$PREFIX/bin/papershelf")" = "$lib/papershelf" ]; then
  rm -f "$PREFIX/bin/papershelf"
fi
rm -rf "$lib"
rm -f "$PREFIX/share/applications/$APP_ID.desktop" "$PREFIX/share/metainfo/$APP_ID.metainfo.xml"
for icon in "$PREFIX"/share/icons/hicolor/*/apps/"$APP_ID".*; do
  [ -e "$icon" ] && rm -f "$icon"
done

command -v update-desktop-database >/dev/null 2>&1 \
  && update-desktop-database -q "$PREFIX/share/applications" 2>/dev/null || true
command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$PREFIX/share/icons/hicolor/index.theme" ] \
  && gtk-update-icon-cache -q -t -f "$PREFIX/share/icons/hicolor" 2>/dev/null || true
echo "Papershelf removed from $PREFIX (your library is kept)"
