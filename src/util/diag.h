/*
 * diag.h — diagnostics with locations, for parsers and validators.
 *
 * A parser that meets bad input records what is wrong and where
 * ("feed.csv:12", "bundle.json:$.objects[3].pattern") in a struct vk_diag
 * and carries on or stops as its contract says.  The caller decides how to
 * show them.  The list has a ceiling (VK_DIAG_MAX kept, the rest counted)
 * so that a hostile file with a million bad lines cannot exhaust memory.
 */
#ifndef VK_UTIL_DIAG_H
#define VK_UTIL_DIAG_H

#include <stddef.h>
#include <stdio.h>

enum vk_diag_level { VK_DIAG_WARNING, VK_DIAG_ERROR, VK_DIAG_LEVEL_MAX };

#define VK_DIAG_MAX 1000

struct vk_diag_entry {
	enum vk_diag_level level;
	char *where; /* "file:line" or "file:$.json.path"; owned */
	char *msg; /* what is wrong and what to do; owned */
};

struct vk_diag {
	struct vk_diag_entry *v;
	size_t n, cap;
	size_t nwarn, nerr; /* counted in full, also past VK_DIAG_MAX */
};

void vk_diag_init(struct vk_diag *d);
void vk_diag_release(struct vk_diag *d);
/* Records a message; `where` may be NULL.  Never fails (drops on ENOMEM). */
void vk_diag_add(struct vk_diag *d, enum vk_diag_level level, const char *where,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
#define vk_diag_error(d, w, ...) \
	vk_diag_add((d), VK_DIAG_ERROR, (w), __VA_ARGS__)
#define vk_diag_warn(d, w, ...) \
	vk_diag_add((d), VK_DIAG_WARNING, (w), __VA_ARGS__)
/* Writes every entry as "where: error: msg" lines to fp. */
void vk_diag_print(const struct vk_diag *d, FILE *fp);

#endif
