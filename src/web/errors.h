/*
 * errors.h — the one registry of API error codes.
 *
 * Every error the JSON API returns is {"code": <number>, "name": <string>,
 * "message": <text in the caller's language>, "details": <object|null>}
 * with the code, name, HTTP status and both messages from vk_web_errors[]
 * (errors.c).  docs/api.md lists the same table; test_router checks that
 * every code appears there.  Codes are stable: add, never renumber.
 */
#ifndef VK_WEB_ERRORS_H
#define VK_WEB_ERRORS_H

enum vk_web_error {
	VK_WE_BAD_REQUEST = 1000,
	VK_WE_BODY_TOO_LARGE = 1001,
	VK_WE_UNSUPPORTED_MEDIA_TYPE = 1002,
	VK_WE_MALFORMED_JSON = 1003,
	VK_WE_INVALID_UTF8 = 1004,
	VK_WE_INVALID_FIELD = 1005,
	VK_WE_BAD_PATH = 1006,
	VK_WE_UNAUTHENTICATED = 1100,
	VK_WE_FORBIDDEN = 1101,
	VK_WE_CSRF = 1102,
	VK_WE_LOGIN_FAILED = 1103,
	VK_WE_THROTTLED = 1104,
	VK_WE_PASSWORD_POLICY = 1105,
	VK_WE_NOT_FOUND = 1200,
	VK_WE_METHOD_NOT_ALLOWED = 1201,
	VK_WE_CONFLICT = 1202,
	VK_WE_INTERNAL = 1300,
	VK_WE_STORE_UNAVAILABLE = 1301,
};

struct vk_web_error_def {
	enum vk_web_error code;
	const char *name; /* "body_too_large" */
	unsigned http; /* 413 */
	const char *en; /* message in English */
	const char *sv; /* message in Swedish */
};

extern const struct vk_web_error_def vk_web_errors[];
extern const unsigned vk_web_nerrors;

/* The registry row for code, or the row of VK_WE_INTERNAL. */
const struct vk_web_error_def *vk_web_error_find(enum vk_web_error code);

#endif
