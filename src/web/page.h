/*
 * page.h — the frame every HTML page shares.
 *
 * vk_page_begin() writes the document head, the skip link, the header
 * with the navigation the caller's role may use (decided by the same
 * route table as access itself) and opens <main>; the handler writes its
 * content with the HTML writer; vk_page_end() closes and sets the
 * response.  Text comes from vk_tr(); nothing is written unescaped.
 */
#ifndef VK_WEB_PAGE_H
#define VK_WEB_PAGE_H

#include "web/html.h"
#include "web/web.h"

/* Starts a page titled `title` (already translated) into req->out. */
int vk_page_begin(struct vk_req *req, struct vk_html *h, const char *title);
/* Finishes the page with HTTP status `status`. */
int vk_page_end(struct vk_req *req, struct vk_html *h, unsigned status);
/* The hidden CSRF field for a form of this session. */
int vk_page_csrf(struct vk_req *req, struct vk_html *h);
/* A notice box: kind "ok" or "error"; text escaped. */
int vk_page_notice(struct vk_html *h, const char *kind, const char *text);
/* An error page with the message of the registry and an extra sentence. */
int vk_page_error(
    struct vk_req *req, unsigned status, const char *msg, const char *detail);
/* Can the caller GET this path (for showing links)? */
int vk_page_can(const struct vk_req *req, const char *path);
/* The organisation name (setting org.name, cached briefly). */
void vk_page_org_name(struct vk_req *req, char *buf, size_t n);
/* Forget the cached organisation name (after the settings change). */
void vk_page_org_forget(void);
/* A labelled input: <label for=name>label</label><input ...>. */
int vk_page_field(struct vk_html *h, const char *name, const char *label,
    const char *type, const char *value, const char *autocomplete,
    int required);
/* "2026-11-27 20:31:05 UTC" for a store time. */
void vk_page_time(int64_t us, char *buf, size_t n);
/* "2026-11-27T20:31:05.123456Z" for a store time. */
void vk_page_time_iso(int64_t us, char *buf, size_t n);

#endif
