/*
 * form.h — application/x-www-form-urlencoded bodies and query strings.
 *
 * vk_form_parse() splits "a=1&b=x+y%21" into decoded name/value pairs
 * ('+' is a space, %XX a byte).  It refuses, with a message naming the
 * field: a bad percent escape, a decoded NUL, invalid UTF-8, a name longer
 * than VK_FORM_NAME_MAX, a value longer than VK_FORM_VALUE_MAX and more
 * than VK_FORM_FIELDS_MAX fields.  Empty pieces ("a=1&&b=2") are skipped;
 * a piece without '=' is a field with an empty value.
 */
#ifndef VK_WEB_FORM_H
#define VK_WEB_FORM_H

#include <stddef.h>

#define VK_FORM_NAME_MAX 128
#define VK_FORM_VALUE_MAX (64 * 1024)
#define VK_FORM_FIELDS_MAX 256

struct vk_form_field {
	char *name;
	char *value;
};

struct vk_form {
	struct vk_form_field *v;
	size_t n;
};

/*
 * Parses len bytes at s into *out (initialised here; release with
 * vk_form_release even on failure).  On failure returns VK_EPARSE or
 * VK_ETOOBIG and, when err is not NULL, writes a message for a person into
 * err (errlen bytes) naming the field.
 */
int vk_form_parse(
    const char *s, size_t len, struct vk_form *out, char *err, size_t errlen);
/* Adds a decoded pair (copied); used for query arguments. */
int vk_form_add(struct vk_form *f, const char *name, const char *value);
void vk_form_release(struct vk_form *f);
/* The value of the first field `name`, or NULL. */
const char *vk_form_get(const struct vk_form *f, const char *name);
/* How many fields are called `name`. */
size_t vk_form_count(const struct vk_form *f, const char *name);

/*
 * Percent-decodes n bytes of s into a new NUL-terminated string *out
 * (caller frees); plus != 0 turns '+' into a space.  VK_EPARSE on a bad
 * escape, a NUL byte or invalid UTF-8 in the result.
 */
int vk_url_decode(const char *s, size_t n, int plus, char **out);
/* Is s[0..n) valid UTF-8 (no overlongs, no surrogates)? */
int vk_web_utf8_valid(const char *s, size_t n, size_t *bad_at);

#endif
