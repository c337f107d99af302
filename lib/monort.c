/* The C runtime of servers linked into the kernel (mono): what
 * lib/runtime.c gives a user-mode server, over kernel services instead
 * of system calls: stdout and stderr on the kernel console, malloc's
 * memory from the kernel heap (kern/mono.c). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void console_write(const char *buf, size_t len); /* kern/console.c */
void *kheap_sbrk(long incr);                     /* kern/mono.c */
void panic(const char *fmt, ...) __attribute__((noreturn));

static char line[256];
static size_t len;

static int out_flush(FILE *f)
{
	(void)f;
	if (len)
		console_write(line, len);
	len = 0;
	return 0;
}

static int out_putc(char c, FILE *f)
{
	line[len++] = c;
	if (c == '\n' || len == sizeof(line))
		out_flush(f);
	return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(out_putc, NULL, out_flush, _FDEV_SETUP_WRITE);
FILE *const stdin = NULL;
FILE *const stdout = &console;
FILE *const stderr = &console;

void *sbrk(ptrdiff_t incr)
{
	return kheap_sbrk((long)incr);
}

void _exit(int status)
{
	panic("a server inside the kernel called exit(%d)", status);
}

void abort(void)
{
	panic("a server inside the kernel called abort()");
}
