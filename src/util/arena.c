/*
 * arena.c — chunked bump allocator.
 */
#include "util/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* 64 KiB chunks: big enough that malloc overhead vanishes, small enough
 * that an almost empty set stays small. */
#define VK_ARENA_CHUNK (64 * 1024)

struct vk_arena_chunk {
	struct vk_arena_chunk *next;
	size_t size; /* usable bytes in mem[] */
	_Alignas(16) unsigned char mem[];
};

void
vk_arena_init(struct vk_arena *a)
{
	a->head = NULL;
	a->used = 0;
	a->total = 0;
}

void
vk_arena_release(struct vk_arena *a)
{
	struct vk_arena_chunk *c, *next;

	if (a == NULL)
		return;
	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	vk_arena_init(a);
}

void *
vk_arena_alloc(struct vk_arena *a, size_t n, size_t align)
{
	struct vk_arena_chunk *c;
	size_t off, size;

	if (align == 0 || align > 16 || (align & (align - 1)) != 0)
		return NULL;
	if (n == 0)
		n = 1;
	if (a->head != NULL) {
		off = (a->used + align - 1) & ~(align - 1);
		if (off <= a->head->size && n <= a->head->size - off) {
			a->used = off + n;
			return a->head->mem + off;
		}
	}
	if (n > SIZE_MAX - sizeof(*c) - 16)
		return NULL;
	/* A request larger than a quarter chunk gets a chunk of its own
	 * size; the rest of the current chunk is given up, which wastes at
	 * most a chunk per large request. */
	size = n > VK_ARENA_CHUNK / 4 ? n : VK_ARENA_CHUNK;
	if ((c = malloc(sizeof(*c) + size)) == NULL)
		return NULL;
	c->size = size;
	c->next = a->head;
	a->head = c;
	a->used = n;
	a->total += sizeof(*c) + size;
	return c->mem;
}

char *
vk_arena_strdup(struct vk_arena *a, const char *s, size_t len)
{
	char *p;

	if (len == SIZE_MAX)
		return NULL;
	if ((p = vk_arena_alloc(a, len + 1, 1)) == NULL)
		return NULL;
	if (len > 0)
		memcpy(p, s, len);
	p[len] = '\0';
	return p;
}
