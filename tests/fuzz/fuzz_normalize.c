/*
 * fuzz_normalize.c — feeds any bytes to every normaliser, the refanger
 * and type detection, and checks that each key is a fixed point (the key
 * of a key is itself), which is what matching relies on.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ioc/normalize.h"

static char out[VK_NORM_URL_MAX], again[VK_NORM_URL_MAX];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	enum vk_ioc_type t, t2;
	uint8_t addr[16], addr2[16], p, p2;
	size_t n, n2, hoff, hlen;
	char ip[64];
	int r;

	r = vk_refang(in, size, out, sizeof(out));
	if (r >= 0 && ((size_t)r > size || out[r] != '\0'))
		abort();

	if (vk_norm_domain(in, size, out, &n) == 0) {
		if (n != strlen(out) || n > 253 ||
		    vk_norm_domain(out, n, again, &n2) != 0 || n2 != n ||
		    memcmp(out, again, n) != 0)
			abort();
	}
	if (vk_norm_ip(in, size, &t, addr, &p) == 0) {
		vk_ip_format(t, addr, p, ip);
		if (vk_norm_ip(ip, strlen(ip), &t2, addr2, &p2) != 0 ||
		    t2 != t || p2 != p || memcmp(addr, addr2, 16) != 0)
			abort();
	}
	if (vk_norm_url(in, size, out, sizeof(out), &n, &hoff, &hlen) == 0) {
		if (n != strlen(out) || hoff + hlen > n ||
		    vk_norm_url(
			out, n, again, sizeof(again), &n2, NULL, NULL) != 0 ||
		    n2 != n || memcmp(out, again, n) != 0)
			abort();
	}
	if (vk_norm_email(in, size, out, sizeof(out), &n) == 0) {
		if (vk_norm_email(out, n, again, sizeof(again), &n2) != 0 ||
		    n2 != n || memcmp(out, again, n) != 0)
			abort();
	}
	if (size <= 128 && vk_norm_hash(in, size, &t, out) == 0 &&
	    strlen(out) != size)
		abort();
	if (vk_ioc_detect_type(in, size, &t) == 0 &&
	    (unsigned)t >= VK_IOC_FILENAME)
		abort();
	return 0;
}
