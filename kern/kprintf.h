/* Formatted output. kvformat is the freestanding printf core (host-tested);
 * kprintf sends to the boot console with a "[seconds.micros] " prefix at
 * the start of every line, like Linux's dmesg. */
#ifndef MICA_KPRINTF_H
#define MICA_KPRINTF_H

#include "types.h"

typedef void (*putc_fn)(void *arg, char c);

/* Formats: %d %i %u %x %X %o %p %s %c %%, flags '-' '0' ' ' '+',
 * width and precision (also '*'), length modifiers hh h l ll z t.
 * Returns the number of characters produced. */
int kvformat(putc_fn put, void *arg, const char *fmt, va_list ap);
int ksnprintf(char *buf, size_t size, const char *fmt, ...) PRINTF_LIKE(3, 4);
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

int kprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
void console_set_timebase(uint64_t hz);
void console_break_lock(void);
/* Raw bytes (user programs' debug output): no stamps added. */
void console_write(const char *buf, size_t len);
/* The log ring: everything the console printed, the last KLOG_SIZE bytes.
 * Copies up to len bytes starting back bytes before the end; returns the
 * count (0 if back reaches before the oldest byte kept). With dst NULL:
 * how many bytes are kept. */
#define KLOG_SIZE (16 * 1024)
size_t console_log_read(char *dst, size_t len, size_t back);

#endif
