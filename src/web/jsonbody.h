/*
 * jsonbody.h — request bodies: JSON for the API, urlencoded for forms.
 *
 * vk_json_body_parse() is the pure part (fuzzed by fuzz_json_body): it
 * checks the media type (application/json, optional charset=utf-8), that
 * the bytes are UTF-8, and parses with jansson refusing duplicate keys;
 * the top level must be an object.  On failure it gives the registry
 * code and a details object: {"offset": N} for bad UTF-8, {"line": L,
 * "column": C, "position": P, "error": "..."} for bad JSON.
 */
#ifndef VK_WEB_JSONBODY_H
#define VK_WEB_JSONBODY_H

#include <stddef.h>

#include <jansson.h>

#include "web/errors.h"

struct vk_req;

/* 0 and *out (caller decrefs), or VK_EPARSE with *code and *details
 * (caller decrefs; may be NULL). */
int vk_json_body_parse(const char *content_type, const char *body, size_t len,
    json_t **out, enum vk_web_error *code, json_t **details);
/* Is content_type application/json (parameters allowed)? */
int vk_json_media_type(const char *content_type);
/*
 * Parses req->body into req->json (JSON routes) or req->form (HTML
 * routes).  Returns 0, or non-zero after writing a 4xx response.
 */
int vk_web_parse_body(struct vk_req *req);

#endif
