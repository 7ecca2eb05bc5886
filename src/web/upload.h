/*
 * upload.h — multipart/form-data bodies for VK_RF_UPLOAD routes.
 */
#ifndef VK_WEB_UPLOAD_H
#define VK_WEB_UPLOAD_H

#include <stddef.h>

#include "web/web.h"

/*
 * Parses req->body (Content-Type multipart/form-data with a boundary,
 * read from the connection) with libmicrohttpd's post processor: text
 * fields into req->form, files into req->uploads (req->too_many_uploads
 * set when more than VK_REQ_UPLOADS came; an upload over
 * VK_WEB_UPLOAD_FILE_MAX is kept with too_big set and no data).
 * VK_EPARSE / VK_ETOOBIG with a message for a person in err (errlen
 * bytes) for a malformed body, invalid UTF-8 in a text field, too many or
 * too long fields; VK_ENOMEM.
 */
int vk_web_parse_multipart(struct vk_req *req, char *err, size_t errlen);

#endif
