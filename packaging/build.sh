#!/usr/bin/env bash
# Build the Papershelf bundle (dist/papershelf/) and its archive
# (dist/papershelf-<version>-linux-x86_64.tar.gz) from a clean virtual environment, validate the
# desktop metadata, and smoke-test the result. Run by `make package`; any failure exits non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
APP_ID=io.github.papershelf.Papershelf
WORK=$ROOT/build/package          # everything this script writes besides dist/
VENV=$WORK/venv
started=$(date +%s)
step() { printf '\n==> %s\n' "$*"; }

VERSION=$("$PYTHON" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
ARCH=$(uname -m)
NAME=papershelf-$VERSION
ARCHIVE=dist/$NAME-linux-$ARCH.tar.gz

step "Tools: desktop-file-utils, appstream"
# another apt/dpkg run (a second build, unattended upgrades) may hold the lock for a while
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  bash packaging/ensure-debs.sh python3-venv desktop-file-utils appstream && break
  [ "$attempt" = 10 ] && { echo "packaging: cannot install the validation tools" >&2; exit 1; }
  echo "(retrying in 20 s)"; sleep 20
done

step "Validate the desktop entry and the AppStream metainfo"
desktop-file-validate "packaging/$APP_ID.desktop"
appstreamcli validate --no-net --explain "packaging/$APP_ID.metainfo.xml"

step "Clean virtual environment: build/package/venv, pip install . pyinstaller"
rm -rf "$WORK" build/lib build/bdist.* dist/papershelf "$ARCHIVE"
mkdir -p "$WORK" dist
"$PYTHON" -m venv "$VENV"
pip() {  # quiet, minus the notes about local index folders that do not exist on this machine
  "$VENV/bin/python" -m pip -q --disable-pip-version-check "$@" \
    2> >(grep -v -e 'is ignored: it is neither a file nor a directory' >&2)
}
pip install --upgrade pip
pip install . pyinstaller
rm -rf build/lib build/bdist.*   # setuptools' leftovers from building the wheel
# the bundle must be made from the installed package, not from the source tree
installed=$(cd "$WORK" && "$VENV/bin/python" -c 'import app; print(app.__file__)')
case $installed in
  "$VENV"/*) echo "app from $installed" ;;
  *) echo "packaging: app imports from $installed, not from the clean venv" >&2; exit 1 ;;
esac

step "PyInstaller: dist/papershelf/"
(cd "$WORK" && "$VENV/bin/pyinstaller" --noconfirm --clean --log-level WARN \
  --distpath "$ROOT/dist" --workpath "$WORK/pyinstaller" "$ROOT/packaging/papershelf.spec")
echo "left out $(grep -c . "$WORK/pyinstaller/papershelf/trimmed.txt") files" \
  "(list: build/package/pyinstaller/papershelf/trimmed.txt)"

step "Every bundled library finds the bundled libraries it links to"
internal=dist/papershelf/_internal
missing=$(find "$internal" -name '*.so*' -type f -print0 \
  | LD_LIBRARY_PATH=$internal xargs -0 -n 50 ldd 2>/dev/null \
  | grep 'not found' | awk '{print $1}' | sort -u || true)
bundled=$(grep -E '^(libQt6|libicu|libpyside|libshiboken|libpython)' <<<"$missing" || true)
if [ -n "$bundled" ]; then
  echo "packaging: trimmed too much; these are linked but not bundled:" >&2
  echo "$bundled" >&2
  exit 1
fi
[ -z "$missing" ] || echo "system libraries not on this machine (optional plugins): ${missing//$'\n'/ }"

step "Archive: $ARCHIVE"
stage=$WORK/stage/$NAME
mkdir -p "$stage/share/applications" "$stage/share/metainfo" "$stage/share/icons/hicolor/scalable/apps"
cp -a dist/papershelf "$stage/papershelf"
cp "packaging/$APP_ID.desktop" "$stage/share/applications/"
cp "packaging/$APP_ID.metainfo.xml" "$stage/share/metainfo/"
cp resources/papershelf.svg "$stage/share/icons/hicolor/scalable/apps/$APP_ID.svg"
for png in app/resources/icons/papershelf-*.png; do
  size=${png##*-}; size=${size%.png}
  mkdir -p "$stage/share/icons/hicolor/${size}x${size}/apps"
  cp "$png" "$stage/share/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
install -m 755 packaging/install.sh packaging/uninstall.sh "$stage/"
cp LICENSE "$stage/" 2>/dev/null || true
tar -C "$WORK/stage" --owner=0 --group=0 --numeric-owner -czf "$ARCHIVE" "$NAME"

step "Smoke test"
bash packaging/smoke_test.sh dist/papershelf "$ARCHIVE"

step "Done in $(( $(date +%s) - started )) s"
echo "bundle:  dist/papershelf/  $(du -sh dist/papershelf | cut -f1)"
echo "archive: $ARCHIVE  $(du -h "$ARCHIVE" | cut -f1)"
