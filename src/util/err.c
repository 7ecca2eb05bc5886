/*
 * err.c — descriptions of vaksam's error codes.
 */
#include "util/err.h"

const char *
vk_strerror(int e)
{
	static const char *const msg[VK_ERR_MAX] = {
		[0] = "success",
		[-VK_ENOMEM] = "out of memory",
		[-VK_EINVAL] = "invalid input",
		[-VK_EIO] = "input/output error",
		[-VK_ETOOBIG] = "too large",
		[-VK_EPARSE] = "parse error",
		[-VK_ENOTFOUND] = "not found",
		[-VK_EUNSUPPORTED] = "not supported",
		[-VK_EEXIST] = "already exists",
		[-VK_EPERM] = "not permitted",
		[-VK_EINTERNAL] = "internal error",
		[-VK_ESTORE] = "database error",
		[-VK_ECONFLICT] = "conflict",
	};

	if (e > 0 || e <= -VK_ERR_MAX || msg[-e] == 0)
		return "unknown error";
	return msg[-e];
}
