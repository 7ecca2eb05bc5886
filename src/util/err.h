/*
 * err.h — vaksam's error codes.
 *
 * Functions of the core library return int: 0 on success or a negative
 * VK_E* code.  The codes say what kind of failure it was; the message for a
 * person (with a location) travels separately, in a struct vk_diag.
 */
#ifndef VK_UTIL_ERR_H
#define VK_UTIL_ERR_H

enum vk_err {
	VK_OK = 0,
	VK_ENOMEM = -1, /* out of memory */
	VK_EINVAL = -2, /* invalid argument or input */
	VK_EIO = -3, /* read or write failed (errno set) */
	VK_ETOOBIG = -4, /* a size ceiling was reached */
	VK_EPARSE = -5, /* input is not in the expected format */
	VK_ENOTFOUND = -6, /* no such thing */
	VK_EUNSUPPORTED = -7, /* understood, but vaksam cannot do it */
	VK_EEXIST = -8, /* already exists */
	VK_EPERM = -9, /* not allowed */
	VK_EINTERNAL = -10, /* a bug or a library failure */
	VK_ESTORE = -11, /* the database failed */
	VK_ECONFLICT = -12, /* state changed meanwhile / constraint */
	VK_ERR_MAX = 13
};

/* A short English description of code `e` (never NULL). */
const char *vk_strerror(int e);

#endif
