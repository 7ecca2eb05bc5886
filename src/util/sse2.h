/*
 * sse2.h — byte classes of 16 bytes at once with SSE2 (the x86-64
 * baseline): each test gives 0xff in the bytes that are in the class.
 */
#ifndef VK_UTIL_SSE2_H
#define VK_UTIL_SSE2_H

#if defined(__SSE2__)
#include <emmintrin.h>

/* The bytes of x in lo .. lo + n - 1, compared unsigned: a signed compare
 * after flipping the top bit. */
static inline __m128i
vk_sse2_range(__m128i x, unsigned char lo, unsigned char n)
{
	const __m128i bias = _mm_set1_epi8((char)0x80);

	return _mm_cmplt_epi8(
	    _mm_xor_si128(_mm_sub_epi8(x, _mm_set1_epi8((char)lo)), bias),
	    _mm_set1_epi8((char)(0x80 + n)));
}

/* 0-9 */
static inline __m128i
vk_sse2_digit(__m128i x)
{
	return vk_sse2_range(x, '0', 10);
}

/* 0-9, a-f, A-F */
static inline __m128i
vk_sse2_hex(__m128i x)
{
	return _mm_or_si128(vk_sse2_digit(x),
	    vk_sse2_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 6));
}
#endif

#endif
