#!/bin/sh
# update-po.sh — refresh po/vaksam.pot from the sources and merge it into
# po/sv.po.  Message ids are English; translate the new empty msgstr
# entries in po/sv.po afterwards (msgfmt --check -o /dev/null po/sv.po).
set -eu
cd "$(dirname "$0")/.."
xgettext --from-code=UTF-8 --keyword=T:2 --keyword=vk_tr:2 --keyword=N_ \
    --no-location --sort-output -o po/vaksam.pot $(find src/web -name '*.c' | sort)
msgmerge --quiet --update --backup=none --no-location --sort-output po/sv.po po/vaksam.pot
msgfmt --check --statistics -o /dev/null po/sv.po
