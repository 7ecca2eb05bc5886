/*
 * normalize.h — turning indicator and log text into matching keys.
 *
 * The rules are written down in docs/matching.md; each has a test in
 * tests/unit/test_normalize.c.  All functions here are pure, are
 * thread-safe, and accept any bytes (they fail with VK_EINVAL rather than
 * misread).  They allocate nothing, with one exception: converting a
 * non-ASCII (internationalised) domain name to its A-label form goes
 * through libidn2, which allocates temporarily (freed before returning).
 * ASCII input never reaches libidn2.
 */
#ifndef VK_IOC_NORMALIZE_H
#define VK_IOC_NORMALIZE_H

#include <stddef.h>
#include <stdint.h>

#include "ioc/ioc.h"

/* Longest normalised domain (RFC 1035: 253 octets + slack) and URL. */
#define VK_NORM_DOMAIN_MAX 256
#define VK_NORM_URL_MAX 8192

/*
 * Undoes defanging: hxxp/hxxps/fxp → http/https/ftp, "[.]" "(.)" "{.}"
 * "[dot]" "(dot)" → ".", "[:]" → ":", "[@]" "[at]" "(at)" → "@",
 * "[://]" → "://" (all without regard to case; the schemes only where a
 * scheme can stand, followed by ":" or "[").  Writes at most cap-1 bytes
 * and a NUL to out; returns the output length (never more than len), or
 * VK_ETOOBIG if it did not fit.
 */
int vk_refang(const char *in, size_t len, char *out, size_t cap);

/*
 * Domain: lower case, one trailing dot dropped, internationalised labels
 * converted to A-labels (libidn2, UTS#46 non-transitional), every label
 * 1..63 LDH characters (underscore allowed, as in real DNS names), at least
 * two labels.  Writes the key (NUL-terminated) to out[VK_NORM_DOMAIN_MAX]
 * and its length to *outlen.
 */
int vk_norm_domain(const char *in, size_t len, char *out, size_t *outlen);

/*
 * IPv4 or IPv6 address with an optional "/prefix".  IPv4 only in the
 * dotted-quad form with decimal parts 0..255 (no leading zeros beyond a
 * single "0"); IPv6 in every RFC 4291 spelling (compressed, expanded,
 * mixed with a dotted quad), with an optional zone ("%eth0") ignored.
 * IPv4-mapped IPv6 (::ffff:a.b.c.d) yields the IPv4 address.  The address
 * is masked to the prefix.  *type is VK_IOC_IPV4 or VK_IOC_IPV6.
 * A prefix larger than the family allows is VK_EINVAL.
 */
int vk_norm_ip(const char *in, size_t len, enum vk_ioc_type *type,
    uint8_t addr[16], uint8_t *prefix);
/* The canonical text of an address/prefix (RFC 5952 for IPv6; "/p" only
 * when p is less than the full length) into out[64]. */
void vk_ip_format(
    enum vk_ioc_type type, const uint8_t addr[16], uint8_t prefix, char *out);

/*
 * URL: scheme and host lower-cased, host normalised as a domain or IP
 * (IPv6 in brackets, canonical), default port (http 80, https 443, ftp 21)
 * dropped, percent-encoded unreserved characters (ALPHA DIGIT - . _ ~)
 * decoded, other percent-escapes upper-cased, an empty path becomes "/",
 * the fragment dropped, user information ("user:pass@") dropped; bytes
 * that cannot stand in a URL and a '%' that starts no escape are
 * percent-encoded.  A value without "scheme://" is VK_EINVAL; so is a host
 * that is neither a domain nor an address.  VK_ETOOBIG when the key does
 * not fit in cap bytes (with its NUL).  On success the host's offset and
 * length within out (without an IPv6 host's brackets) are returned in
 * *host_off / *host_len (either may be NULL).
 */
int vk_norm_url(const char *in, size_t len, char *out, size_t cap,
    size_t *outlen, size_t *host_off, size_t *host_len);

/* E-mail address: a dot-atom local part (quoted local parts are
 * VK_EINVAL), the whole address lower-cased, the domain normalised as by
 * vk_norm_domain.  Writes to out (cap bytes; VK_ETOOBIG if too small). */
int vk_norm_email(
    const char *in, size_t len, char *out, size_t cap, size_t *outlen);

/* Hash: hex digits only, length 32/40/64/128 → MD5/SHA-1/SHA-256/SHA-512,
 * lower-cased into out (cap >= 129). */
int vk_norm_hash(const char *in, size_t len, enum vk_ioc_type *type, char *out);

/*
 * Detects the type of a refanged value: a URL (has "scheme://"), an e-mail
 * address, an IPv4/IPv6 address or range, a hash by length, a domain.
 * Returns VK_EINVAL when it is none of them.
 */
int vk_ioc_detect_type(const char *in, size_t len, enum vk_ioc_type *type);

/*
 * The same, also writing the normalised value into out (cap bytes, at
 * least VK_NORM_DOMAIN_MAX; a URL or an e-mail address that does not fit
 * is VK_EINVAL) with its length; for an address also its bytes and prefix
 * (out holds vk_ip_format()'s text).  Detecting a type is normalising as
 * each candidate: this does it once.
 */
int vk_ioc_detect_norm(const char *in, size_t len, enum vk_ioc_type *type,
    char *out, size_t cap, size_t *outlen, uint8_t addr[16], uint8_t *prefix);

#endif
