/* Freestanding memory and string routines for the kernel. The compiler
 * may also emit calls to memset/memcpy on its own (clearing a struct on
 * the stack, at any alignment). */
#include "kstring.h"
#include "mica/memops.h"

/* The same routines user programs get (lib/memops.c, host-tested). */
void *memset(void *dst, int c, size_t n)
{
	return mica_memset(dst, c, n);
}

void *memcpy(void *dst, const void *src, size_t n)
{
	return mica_memcpy(dst, src, n);
}

void *memmove(void *dst, const void *src, size_t n)
{
	return mica_memmove(dst, src, n);
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a, *y = b;
	for (size_t i = 0; i < n; i++)
		if (x[i] != y[i])
			return x[i] - y[i];
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;
	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (uint8_t)*a - (uint8_t)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strstr(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncmp(hay, needle, n))
			return (char *)hay;
	return n ? NULL : (char *)hay;
}
