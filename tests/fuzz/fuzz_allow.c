/*
 * fuzz_allow.c — the allow-list reader (warninglist JSON and plain lists)
 * on any bytes, then the list applied to a small fixed indicator set.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ioc/allow.h"
#include "ioc/ioc.h"
#include "util/diag.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const iocs[] = {
	"evil.se",
	"a.b.evil.se",
	"1.2.3.4",
	"10.0.0.0/8",
	"2001:db8::1",
	"2001:db8::/32",
	"http://evil.se:8080/a?b=c",
	"https://[2001:db8::2]/x",
	"user@mail.evil.se",
	"d41d8cd98f00b204e9800998ecf8427e",
	"da39a3ee5e6b4b0d3255bfef95601890afd80709",
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vk_allow *a = vk_allow_new();
	struct vk_ioc_set *set = vk_ioc_set_new();
	struct vk_diag d;
	size_t i;
	long n;

	vk_diag_init(&d);
	if (a == NULL || set == NULL)
		abort();
	for (i = 0; i < sizeof(iocs) / sizeof(iocs[0]); i++)
		if (vk_ioc_set_add(set, VK_IOC_TYPE_MAX, iocs[i],
			strlen(iocs[i]), 0, NULL, NULL) != 0)
			abort();
	vk_ioc_set_add(
	    set, VK_IOC_FILENAME, (const char *)data, size, 0, NULL, NULL);
	if (vk_allow_load_mem(a, "fuzz.json", (const char *)data, size, &d) ==
	    0) {
		if (vk_allow_count(a) != 1 || vk_allow_name(a, 0) == NULL)
			abort();
		n = vk_allow_apply(a, set);
		if (n < 0 || (size_t)n > vk_ioc_set_count(set))
			abort();
	} else if (vk_allow_count(a) != 0 || d.nerr == 0) {
		abort();
	}
	vk_diag_release(&d);
	vk_ioc_set_free(set);
	vk_allow_free(a);
	return 0;
}
