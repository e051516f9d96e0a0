#!/usr/bin/env bash
# Install the one-folder desktop build (dist/planner/) for the current user, with its menu
# entry and icon, so planner starts from the desktop menu; or remove all of it again.
#
#   packaging/install-desktop.sh [BUILD_DIR]     install (default BUILD_DIR: dist/planner)
#   packaging/install-desktop.sh --uninstall     remove what an install put in place
#
# Writes only under the user's own folders (no root needed):
#   $PLANNER_APP_HOME (default ~/.local/opt/planner)      the app folder, copied from BUILD_DIR
#   $XDG_DATA_HOME/applications/planner.desktop          the menu entry
#   $XDG_DATA_HOME/icons/hicolor/<size>/apps/planner.*   the icon, PNG sizes and SVG
# The user's planner database (in $XDG_DATA_HOME/planner) is never touched.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
data_home="${XDG_DATA_HOME:-$HOME/.local/share}"
app_home="${PLANNER_APP_HOME:-$HOME/.local/opt/planner}"
entry="$data_home/applications/planner.desktop"
icons="$data_home/icons/hicolor"
sizes=(16 32 48 64 128 256 512)

refresh_menus() {
    # Desktop environments pick the entry up by themselves; these only speed it up.
    if command -v update-desktop-database >/dev/null; then
        update-desktop-database -q "$data_home/applications" 2>/dev/null || true
    fi
    if command -v gtk-update-icon-cache >/dev/null; then
        gtk-update-icon-cache -q -t "$icons" 2>/dev/null || true
    fi
}

uninstall_app() {
    rm -f "$entry" "$icons/scalable/apps/planner.svg"
    for size in "${sizes[@]}"; do
        rm -f "$icons/${size}x${size}/apps/planner.png"
    done
    rm -rf "$app_home"
    refresh_menus
    echo "removed the planner app, its menu entry and icons (your database is kept)"
}

install_app() {
    local build="${1:-$here/../dist/planner}"
    if [[ ! -x "$build/planner" ]]; then
        echo "install-desktop: no one-folder build at $build (run packaging/build.sh first)" >&2
        exit 2
    fi
    build="$(cd "$build" && pwd)"
    rm -rf "$app_home"
    mkdir -p "$(dirname "$app_home")"
    cp -a "$build" "$app_home"
    for size in "${sizes[@]}"; do
        install -D -m 0644 "$here/icons/planner-$size.png" "$icons/${size}x${size}/apps/planner.png"
    done
    install -D -m 0644 "$here/icons/planner.svg" "$icons/scalable/apps/planner.svg"
    mkdir -p "$(dirname "$entry")"
    sed -e "s|^Exec=.*|Exec=\"$app_home/planner\"|" -e "s|^TryExec=.*|TryExec=$app_home/planner|" \
        "$here/planner.desktop" >"$entry"
    chmod 0644 "$entry"
    refresh_menus
    echo "installed $app_home/planner with its menu entry $entry"
}

case "${1:-}" in
    --uninstall) uninstall_app ;;
    -h | --help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//' ;;
    *) install_app "$@" ;;
esac
