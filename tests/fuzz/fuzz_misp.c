/*
 * fuzz_misp.c — MISP events through vk_ioc_load_mem, strict and with
 * --keep-going; a failed strict load must leave the set empty.
 */
#include <stddef.h>
#include <stdint.h>

#include "ioc/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vk_ioc_load_opts opts = { .format = VK_IOC_FMT_MISP };
	int pass;

	for (pass = 0; pass < 2; pass++) {
		struct vk_ioc_set *set = vk_ioc_set_new();
		struct vk_diag d;
		int rc;

		if (set == NULL)
			return 0;
		vk_diag_init(&d);
		opts.keep_going = pass == 1;
		rc = vk_ioc_load_mem(set, "fuzz.json", (const char *)data, size,
		    &opts, NULL, &d);
		if (rc != 0 && vk_ioc_set_count(set) != 0)
			__builtin_trap();
		vk_diag_release(&d);
		vk_ioc_set_free(set);
	}
	return 0;
}
