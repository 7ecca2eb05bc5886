/*
 * server.h — starting and stopping the HTTP server.
 */
#ifndef VK_WEB_SERVER_H
#define VK_WEB_SERVER_H

#include "web/web.h"

/*
 * Starts listening on cfg->listen with a thread pool, connection limits,
 * timeouts and (when cfg->tls_cert is set) TLS.  *out (free with
 * vk_web_stop) gets the server; *url (static, may be NULL) the address
 * people should open, with the real port when cfg->listen ends in ":0".
 * Errors go to d: VK_EINVAL (bad address), VK_EUNSUPPORTED (TLS without
 * support), VK_EIO (cannot listen, cannot read certificate files).
 */
int vk_web_start(struct vk_web_config *cfg, struct vk_store *store,
    struct vk_web **out, char *url, size_t urlsize, struct vk_diag *d);
/*
 * Stops accepting, lets in-flight requests finish (up to `grace`
 * seconds), then stops and frees everything.  NULL is a no-op.  The
 * store is the caller's to close afterwards.
 */
void vk_web_stop(struct vk_web *w, unsigned grace);

#endif
