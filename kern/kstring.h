/* The C string and memory functions the kernel uses. The kernel has its
 * own (kern/string.c); host unit tests use the C library's. */
#ifndef MICA_KSTRING_H
#define MICA_KSTRING_H

#ifdef HOST_TEST
#include <string.h>
#else
#include "types.h"
void *memset(void *dst, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *hay, const char *needle);
#endif

#endif
