/*
 * fuzz_csv.c — the line formats (CSV, Loki, plain text) and format
 * detection through vk_ioc_load_mem.  The first byte picks the format
 * (auto, csv, loki, text); the rest is the file.  A failed strict load
 * must leave the set empty.
 */
#include <stddef.h>
#include <stdint.h>

#include "ioc/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const enum vk_ioc_format fmts[] = { VK_IOC_FMT_AUTO,
		VK_IOC_FMT_CSV, VK_IOC_FMT_LOKI, VK_IOC_FMT_TEXT };
	struct vk_ioc_load_opts opts = { 0 };
	int pass;

	if (size < 1)
		return 0;
	opts.format = fmts[data[0] % 4];
	for (pass = 0; pass < 2; pass++) {
		struct vk_ioc_set *set = vk_ioc_set_new();
		struct vk_diag d;
		int rc;

		if (set == NULL)
			return 0;
		vk_diag_init(&d);
		opts.keep_going = pass == 1;
		rc = vk_ioc_load_mem(set, "fuzz.csv", (const char *)data + 1,
		    size - 1, &opts, NULL, &d);
		if (rc != 0 && vk_ioc_set_count(set) != 0)
			__builtin_trap();
		vk_diag_release(&d);
		vk_ioc_set_free(set);
	}
	return 0;
}
