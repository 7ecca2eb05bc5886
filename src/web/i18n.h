/*
 * i18n.h — translations (gettext .po files, compiled to .mo and embedded).
 *
 * Message ids are English; po/sv.po holds Swedish.  The catalogue is
 * loaded once at start from the embedded .mo (so the binary finds it in
 * the build tree and installed alike) and looked up per request by
 * language, so threads serving different languages never share a locale.
 * Strings are marked vk_tr(lang, "...") for xgettext (--keyword=vk_tr:2).
 */
#ifndef VK_WEB_I18N_H
#define VK_WEB_I18N_H

#include "store/store.h" /* enum vk_lang */

/* Marks a msgid in a table for xgettext; translated where it is shown. */
#define N_(s) s

/* Loads the embedded catalogues.  0, or VK_EPARSE for a corrupt .mo. */
int vk_i18n_init(void);
void vk_i18n_free(void);
/* The translation of msgid in lang (msgid itself when there is none). */
const char *vk_tr(enum vk_lang lang, const char *msgid);
/* The language of a tag ("sv", "en", "sv-SE", "en_GB"), or -1. */
int vk_i18n_lang_tag(const char *tag);
/* The first supported language in an Accept-Language value, or -1. */
int vk_lang_from_accept(const char *header);

#endif
