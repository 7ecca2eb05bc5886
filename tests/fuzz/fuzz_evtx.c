/*
 * fuzz_evtx.c — the event-log path on hostile input: the XML field
 * scanner over the raw bytes, and libevtx (through vk_evtx_scan) over the
 * same bytes as a file.
 *
 * libevtx opens files by name only (Debian ships no libbfio headers for
 * its memory handles), so the input is written to a memfd and opened as
 * /proc/self/fd/N — the same route vk_evtx_scan takes for an open file.
 * Checks: every field is NUL-terminated at its stated length, has a
 * non-empty name, and the record's strings are never NULL.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "hunt/evtx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
const char *__lsan_default_suppressions(void);

/* libevtx 20181227 (Debian 12) leaks a few hundred bytes of its XML tree
 * when a record's binary XML is malformed (libfwevt_xml_document_read
 * error path); that is the library's, not ours. */
const char *
__lsan_default_suppressions(void)
{
	return "leak:libevtx.so\n";
}

static int
check_field(
    void *arg, const struct vk_evtx_record *rec, const struct vk_evtx_field *f)
{
	(void)arg;
	if (rec->channel == NULL || rec->provider == NULL ||
	    rec->computer == NULL || rec->user_sid == NULL ||
	    memchr(rec->time, '\0', sizeof(rec->time)) == NULL)
		abort();
	if (f->name == NULL || f->name[0] == '\0' ||
	    f->value[f->value_len] != '\0')
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vk_evtx_fields fields;
	static int init;
	struct vk_evtx_stats st;
	size_t i;
	int fd;

	if (!init) {
		vk_evtx_fields_init(&fields);
		init = 1;
	}
	(void)vk_evtx_xml_parse((const char *)data, size, &fields);
	for (i = 0; i < fields.n; i++)
		if (fields.v[i].value[fields.v[i].value_len] != '\0' ||
		    fields.v[i].value_len > VK_EVTX_MAX_VALUE ||
		    fields.v[i].name[0] == '\0')
			abort();

	/* libevtx reads whole 64 KiB chunks: keep files small and fast. */
	if (size < VK_EVTX_MAGIC_LEN || size > 512 * 1024 ||
	    !vk_evtx_is_evtx(data, size))
		return 0;
	if ((fd = memfd_create("fuzz_evtx", MFD_CLOEXEC)) < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size)
		(void)vk_evtx_scan("fuzz.evtx", fd, 1, check_field, NULL, &st);
	close(fd);
	return 0;
}
