/*
 * arena.h — a chunked bump allocator for many small strings that live and
 * die together (the indicator set's values, keys and provenance).
 *
 * Contract: a struct vk_arena is initialised with vk_arena_init(); memory
 * handed out by vk_arena_alloc() / vk_arena_strdup() stays valid and never
 * moves until vk_arena_release(), which frees it all at once.  There is no
 * per-allocation free.  No ceiling of its own: the owner bounds what it
 * stores (the indicator set stores at most a few times its input).
 */
#ifndef VK_UTIL_ARENA_H
#define VK_UTIL_ARENA_H

#include <stddef.h>

struct vk_arena_chunk;

struct vk_arena {
	struct vk_arena_chunk *head; /* newest chunk first */
	size_t used; /* bytes used in head */
	size_t total; /* bytes obtained from malloc, chunk headers included */
};

void vk_arena_init(struct vk_arena *a);
/* Frees every chunk and re-initialises a.  NULL is a no-op. */
void vk_arena_release(struct vk_arena *a);
/*
 * n bytes aligned to `align` (a power of two, at most 16), uninitialised.
 * Returns NULL on ENOMEM or size overflow; n == 0 yields a valid unique
 * pointer.
 */
void *vk_arena_alloc(struct vk_arena *a, size_t n, size_t align);
/* A NUL-terminated copy of s[0..len) (s may contain NUL bytes; the copy
 * holds all len of them).  Returns NULL on ENOMEM. */
char *vk_arena_strdup(struct vk_arena *a, const char *s, size_t len);

#endif
