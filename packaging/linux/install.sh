#!/bin/sh
# Install VOC Desktop for the current user, under ~/.local; no root needed.
#
#   ./install.sh        (from the unpacked voc-desktop-<version>-linux-<arch> folder)
#
#   ~/.local/lib/voc-desktop/            the app folder (replaced whole on an update)
#   ~/.local/bin/voc-desktop, voc        links to the app's programs
#   ~/.local/share/applications/         the menu entry, which also opens .vocbundle files
#   ~/.local/share/icons/hicolor/        the app icon and the .vocbundle file icon
#   ~/.local/share/mime/packages/        the .vocbundle file type
#   ~/.local/share/metainfo/             the description software centres show
#
# The workspace (visits, notes, backups) lives elsewhere (~/.local/share/VOC Desktop) and is
# never touched here. ~/.local/lib/voc-desktop/uninstall.sh removes the app again.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
app_id=io.vocdesktop.VocDesktop
data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$HOME/.local/bin"
app="$HOME/.local/lib/voc-desktop"

if [ ! -x "$here/voc-desktop/voc-desktop" ] || [ ! -d "$here/share" ]; then
    echo "install.sh: run me from the unpacked folder that holds voc-desktop/ and share/" >&2
    exit 1
fi

echo "Installing VOC Desktop into $app"
mkdir -p "$HOME/.local/lib" "$bin"
# a new copy beside the old one, then swapped in, so a failed copy leaves the old app working
rm -rf "$app.new"
cp -RP "$here/voc-desktop" "$app.new"
cp "$here/uninstall.sh" "$app.new/uninstall.sh"
chmod 755 "$app.new/uninstall.sh"
rm -rf "$app"
mv "$app.new" "$app"

for program in voc-desktop voc; do
    ln -sf "$app/$program" "$bin/$program"
done

(cd "$here/share" && find . -type f) | while read -r file; do
    mkdir -p "$(dirname "$data/$file")"
    cp "$here/share/$file" "$data/$file"
    chmod 644 "$data/$file"
done

# The menu starts the app by its full path: ~/.local/bin is not on every desktop's PATH.
# Inside the quotes of an Exec value " ` $ \ take a (doubled) backslash and % is doubled.
desktop="$data/applications/$app_id.desktop"
exec_path=$(printf '%s' "$app/voc-desktop" | sed -e 's/[\\"`$]/\\\\&/g' -e 's/%/%%/g')
while IFS= read -r line; do
    case $line in
        "Exec=voc-desktop "*) printf 'Exec="%s" %s\n' "$exec_path" "${line#Exec=voc-desktop }" ;;
        *) printf '%s\n' "$line" ;;
    esac
done < "$desktop" > "$desktop.tmp"
mv "$desktop.tmp" "$desktop"

if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database "$data/mime" >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database "$data/applications" >/dev/null 2>&1 || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1; then
    gtk-update-icon-cache -f -t "$data/icons/hicolor" >/dev/null 2>&1 || true
fi

echo "VOC Desktop is installed: start it from the menu, or run voc-desktop."
case ":$PATH:" in
    *":$bin:"*) ;;
    *) echo "Note: $bin is not on your PATH; add it to run voc-desktop and voc by name." ;;
esac
