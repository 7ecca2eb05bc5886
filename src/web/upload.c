/*
 * upload.c — multipart/form-data bodies (VK_RF_UPLOAD routes) through
 * libmicrohttpd's post processor.
 *
 * The body is already in req->body (at most VK_WEB_UPLOAD_LIMIT bytes),
 * so the post processor is fed from memory after the upload ended.  Text
 * fields go to req->form under the same rules as urlencoded forms (valid
 * UTF-8, no NUL, VK_FORM_VALUE_MAX, VK_FORM_FIELDS_MAX); files go to
 * req->uploads, each kept up to VK_WEB_UPLOAD_FILE_MAX bytes and marked
 * too_big beyond.  What a file may be is the handler's decision
 * (incident/incident.h: vk_attach_check()).
 */
#include <microhttpd.h>
#include <stdlib.h>
#include <string.h>

#include "util/err.h"
#include "web/upload.h"

struct mp_state {
	struct vk_req *req;
	char key[VK_FORM_NAME_MAX + 1];
	int in_file; /* the current part is a file */
	struct vk_upload *file; /* NULL when dropped (too many) */
	struct vk_buf value; /* the current text field */
	int err; /* VK_E* */
	char msg[200];
};

static void
fail(struct mp_state *s, int err, const char *msg)
{
	if (s->err != 0)
		return;
	s->err = err;
	snprintf(s->msg, sizeof(s->msg), "%s", msg);
}

/* Ends the current text field: checked, then into req->form. */
static void
flush_field(struct mp_state *s)
{
	if (s->key[0] == '\0' || s->in_file)
		return;
	if (!vk_web_utf8_valid(
		s->value.data ? s->value.data : "", s->value.len, NULL) ||
	    memchr(vk_buf_str(&s->value), '\0', s->value.len) != NULL)
		fail(s, VK_EPARSE, "A form field is not valid UTF-8 text.");
	else if (s->req->form.n >= VK_FORM_FIELDS_MAX)
		fail(s, VK_ETOOBIG, "The form has too many fields.");
	else if (vk_form_add(&s->req->form, s->key, vk_buf_str(&s->value)) != 0)
		fail(s, VK_ENOMEM, "Out of memory.");
	vk_buf_reset(&s->value);
	s->key[0] = '\0';
}

static enum MHD_Result
part(void *cls, enum MHD_ValueKind kind, const char *key, const char *filename,
    const char *content_type, const char *transfer_encoding, const char *data,
    uint64_t off, size_t size)
{
	struct mp_state *s = cls;
	struct vk_req *req = s->req;
	size_t klen;

	(void)kind;
	(void)content_type;
	(void)transfer_encoding;
	if (s->err != 0)
		return MHD_NO;
	if (key == NULL || (klen = strlen(key)) == 0 ||
	    klen > VK_FORM_NAME_MAX) {
		fail(s, VK_EPARSE, "A form field has no or a too long name.");
		return MHD_NO;
	}
	if (off == 0 || strcmp(key, s->key) != 0) {
		flush_field(s);
		if (s->err != 0)
			return MHD_NO;
		memcpy(s->key, key, klen + 1);
		s->in_file = filename != NULL;
		s->file = NULL;
		if (s->in_file) {
			struct vk_upload *u;

			if (req->nuploads >= VK_REQ_UPLOADS) {
				req->too_many_uploads = 1;
				return MHD_YES;
			}
			u = &req->uploads[req->nuploads];
			memset(u, 0, sizeof(*u));
			vk_buf_init(&u->data, VK_WEB_UPLOAD_FILE_MAX);
			if ((u->filename = strdup(filename)) == NULL) {
				fail(s, VK_ENOMEM, "Out of memory.");
				return MHD_NO;
			}
			snprintf(u->field, sizeof(u->field), "%s", key);
			req->nuploads++;
			s->file = u;
		}
	}
	if (s->in_file) {
		if (s->file != NULL && !s->file->too_big && size > 0 &&
		    vk_buf_append(&s->file->data, data, size) != 0) {
			s->file->too_big = 1;
			vk_buf_release(&s->file->data);
		}
		return MHD_YES;
	}
	if (size > 0 && vk_buf_append(&s->value, data, size) != 0) {
		fail(s, VK_ETOOBIG, "A form field is too long.");
		return MHD_NO;
	}
	return MHD_YES;
}

int
vk_web_parse_multipart(struct vk_req *req, char *err, size_t errlen)
{
	struct MHD_PostProcessor *pp;
	struct mp_state s;
	int r = 0;

	memset(&s, 0, sizeof(s));
	s.req = req;
	vk_buf_init(&s.value, VK_FORM_VALUE_MAX);
	pp = MHD_create_post_processor(req->conn, 64 * 1024, part, &s);
	if (pp == NULL) {
		snprintf(
		    err, errlen, "%s", "The multipart body has no boundary.");
		vk_buf_release(&s.value);
		return VK_EPARSE;
	}
	if (MHD_post_process(pp, req->body.data ? req->body.data : "",
		req->body.len) != MHD_YES &&
	    s.err == 0)
		fail(&s, VK_EPARSE, "The multipart body is malformed.");
	/* Destroying flushes the last part; MHD_NO means it was cut. */
	if (MHD_destroy_post_processor(pp) != MHD_YES && s.err == 0)
		fail(&s, VK_EPARSE, "The multipart body ends too early.");
	if (s.err == 0)
		flush_field(&s);
	if (s.err != 0) {
		snprintf(err, errlen, "%s", s.msg);
		r = s.err;
	}
	vk_buf_release(&s.value);
	return r;
}
