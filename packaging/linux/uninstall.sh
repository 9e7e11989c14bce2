#!/bin/sh
# Remove VOC Desktop installed by install.sh for the current user.
#
# The workspace (~/.local/share/VOC Desktop: visits, notes, backups) stays; delete it by
# hand only when its visits are no longer needed.
set -eu

app_id=io.vocdesktop.VocDesktop
data="${XDG_DATA_HOME:-$HOME/.local/share}"
bin="$HOME/.local/bin"
app="$HOME/.local/lib/voc-desktop"

for program in voc-desktop voc; do
    # only our own links: a voc of another program stays
    if [ -L "$bin/$program" ] && [ "$(readlink "$bin/$program")" = "$app/$program" ]; then
        rm -f "$bin/$program"
    fi
done
rm -f "$data/applications/$app_id.desktop" \
      "$data/metainfo/$app_id.metainfo.xml" \
      "$data/mime/packages/$app_id.xml"
rm -f "$data"/icons/hicolor/*/apps/"$app_id".png \
      "$data"/icons/hicolor/*/apps/"$app_id".svg \
      "$data"/icons/hicolor/*/mimetypes/application-x-vocbundle.png \
      "$data"/icons/hicolor/*/mimetypes/application-x-vocbundle.svg

if command -v update-mime-database >/dev/null 2>&1 && [ -d "$data/mime" ]; then
    update-mime-database "$data/mime" >/dev/null 2>&1 || true
fi
if command -v update-desktop-database >/dev/null 2>&1 && [ -d "$data/applications" ]; then
    update-desktop-database "$data/applications" >/dev/null 2>&1 || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -d "$data/icons/hicolor" ]; then
    gtk-update-icon-cache -f -t "$data/icons/hicolor" >/dev/null 2>&1 || true
fi

rm -rf "$app"
echo "VOC Desktop is removed. The workspace in $data/VOC Desktop was left as it was."
