/*
 * evtx.h — Windows event logs (.evtx) for `vaksam hunt`.
 *
 * A file is an event log when it begins with the magic "ElfFile\0"
 * (whatever its name).  It is read through libevtx; every record's XML
 * rendering is taken apart by a small bounded XML scanner into named
 * fields (vk_evtx_xml_parse), and each field's value is handed to the
 * caller, who matches it as a log line — so domains, addresses, hashes,
 * URLs and e-mail addresses mean the same in event logs as in text logs.
 *
 * Field names (docs/formats.md, "Hunt output"):
 *   EventData.<Name>          <Data Name="Name">value</Data>
 *   EventData.Data            <Data> without a Name
 *   UserData.<Elem>.<Child>   nested elements of UserData, by path
 *   System.<Elem>             e.g. System.Computer, System.Channel
 *   System.<Elem>.<Attr>      e.g. System.Provider.Name,
 *                              System.Security.UserID
 * Empty values are not fields.  Records that libevtx cannot read are
 * skipped and counted; a damaged file never stops the sweep.
 */
#ifndef VK_HUNT_EVTX_H
#define VK_HUNT_EVTX_H

#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

#define VK_EVTX_MAGIC "ElfFile"
#define VK_EVTX_MAGIC_LEN 8 /* including its NUL */

/* 1 when the first n bytes of a file (n >= 8 needed) are an event log's. */
int vk_evtx_is_evtx(const void *head, size_t n);

/* One field of a record.  Pointers valid during the callback only. */
struct vk_evtx_field {
	const char *name; /* NUL-terminated */
	const char *value; /* value_len bytes, NUL-terminated, entities
			    * decoded */
	size_t value_len;
};

/* The fields of one record's XML, in document order. */
struct vk_evtx_fields {
	struct vk_evtx_field *v;
	size_t n, cap;
	/* internals: storage of names and values, open elements */
	struct vk_buf text;
	struct vk_evtx_level *stack;
	size_t *offs; /* name and value offsets while parsing */
};

#define VK_EVTX_MAX_FIELDS 4096 /* per record */
#define VK_EVTX_MAX_DEPTH 32
#define VK_EVTX_MAX_VALUE (1u << 20) /* longer values are cut */

void vk_evtx_fields_init(struct vk_evtx_fields *f);
void vk_evtx_fields_release(struct vk_evtx_fields *f);

/*
 * Parses one record's XML (len bytes, any bytes) into f (emptied first;
 * its memory is reused between records).  Never reads outside the input.
 * Returns 0; VK_EPARSE when the XML is malformed (the fields found before
 * the fault are kept in f); VK_ETOOBIG when a limit above was reached (the
 * fields up to it are kept); VK_ENOMEM.
 */
int vk_evtx_xml_parse(const char *xml, size_t len, struct vk_evtx_fields *f);

/* What a hit in an event log says about its record. */
struct vk_evtx_record {
	uint64_t record; /* EventRecordID */
	uint32_t event_id;
	int recovered; /* 1: a deleted record libevtx recovered */
	const char *channel; /* "" when absent */
	const char *provider;
	const char *computer;
	const char *user_sid;
	char time[40]; /* TimeCreated, UTC, ISO 8601 ("…Z"); "" if none */
};

/* Per field; a non-zero return stops the file and is returned. */
typedef int (*vk_evtx_field_fn)(
    void *arg, const struct vk_evtx_record *rec, const struct vk_evtx_field *f);

struct vk_evtx_stats {
	uint64_t records; /* records read */
	uint64_t recovered; /* of which recovered */
	uint64_t damaged; /* records skipped: unreadable or bad XML */
	uint64_t recovered_unreadable; /* recovered records not readable */
	uint64_t fields; /* fields handed to the callback */
	int corrupted; /* libevtx flagged the file as corrupted (chunks
			* lost: a truncated file, bad checksums) */
};

/*
 * Reads every record of the event log at `path` (with recovered != 0 also
 * the deleted records libevtx recovers) and calls fn for every field of
 * every readable record.  `fd`, when >= 0, is an open descriptor of the
 * same file that is read instead of reopening the path (through
 * /proc/self/fd), so that the file checked is the file opened.
 * *stats is filled also on failure.  Returns 0; VK_EPARSE when the file is
 * not a readable event log (its header is damaged); VK_ENOMEM; or fn's
 * non-zero return.
 */
int vk_evtx_scan(const char *path, int fd, int recovered, vk_evtx_field_fn fn,
    void *arg, struct vk_evtx_stats *stats);

#endif
