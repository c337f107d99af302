/* Start-up and the glue picolibc needs: thread-local storage, stdio on
 * the kernel debug console, sbrk on anonymous memory, exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/cpio.h"
#include "mica/elf.h"
#include "mica/errno.h"
#include "mica/posix.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

extern char __tls_base[], __heap_start[];
#define HEAP_END ((char *)USER_MAX_VA) /* the heap may grow up to here */
extern void _init_tls(void *tls);
extern void _set_tls(void *tls);
extern void __libc_init_array(void);
int main(int argc, char **argv, char **envp);
extern char **environ;

int mica_posix;
static void *ipcbuf;

/* --- stdio: a line buffer flushed to SYS_DEBUG_WRITE ---------------------- */

static char outbuf[256];
static size_t outlen;

/* Programs started by pm write to the console server; the root task and
 * the servers use the kernel's debug console. */
static int out_flush(FILE *f)
{
	(void)f;
	if (outlen && mica_posix)
		write(1, outbuf, outlen);
	else if (outlen)
		mica_debug_write(outbuf, outlen);
	outlen = 0;
	return 0;
}

static int out_putc(char c, FILE *f)
{
	outbuf[outlen++] = c;
	if (c == '\n' || outlen == sizeof(outbuf))
		out_flush(f);
	return (unsigned char)c;
}

static char inbuf[256];
static size_t inpos, inlen;

static int in_getc(FILE *f)
{
	(void)f;
	if (!mica_posix)
		return EOF; /* no console input for the root task */
	if (inpos == inlen) {
		out_flush(stdout); /* a prompt shows before we wait */
		ssize_t n = read(0, inbuf, sizeof(inbuf));
		if (n <= 0)
			return EOF;
		inpos = 0, inlen = (size_t)n;
	}
	return (unsigned char)inbuf[inpos++];
}

/* stderr: unbuffered, to descriptor 2. */
static int err_putc(char c, FILE *f)
{
	(void)f;
	if (mica_posix) {
		out_flush(stdout); /* keep the two streams in order on a terminal */
		write(2, &c, 1);
	} else {
		mica_debug_write(&c, 1);
	}
	return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(out_putc, in_getc, out_flush, _FDEV_SETUP_RW);
static FILE errors = FDEV_SETUP_STREAM(err_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &console;
FILE *const stdout = &console;
FILE *const stderr = &errors;

/* --- memory ------------------------------------------------------------- */

static char *brk_cur = __heap_start, *brk_mapped = __heap_start;

/* Programs started by pm ask it to move the break (brk lives there);
 * the root task and the servers map their heap pages themselves. */
void *sbrk(ptrdiff_t incr)
{
	char *old = brk_cur, *want = brk_cur + incr;
	if (mica_posix) {
		if (mica_pm_brk((unsigned long)want) != (long)(unsigned long)want)
			return (void *)-1;
		brk_cur = want;
		return old;
	}
	if (want < __heap_start || want > HEAP_END)
		return (void *)-1;
	if (want > brk_mapped) {
		unsigned long top = ((unsigned long)want + 4095) & ~4095ul;
		if (mica_vm_map(HANDLE_SELF, (unsigned long)brk_mapped,
		                top - (unsigned long)brk_mapped, PROT_READ_ | PROT_WRITE_) < 0)
			return (void *)-1;
		brk_mapped = (char *)top;
	}
	brk_cur = want;
	return old;
}

void *mica_ipcbuf(void)
{
	if (ipcbuf)
		return ipcbuf;
	unsigned long va = USER_IPCBUF_BASE; /* main thread; others pick their own */
	if (mica_vm_map(HANDLE_SELF, va, IPC_MAX, PROT_READ_ | PROT_WRITE_) < 0 ||
	    mica_ipc_buffer((void *)va) < 0)
		return NULL;
	return ipcbuf = (void *)va;
}

void _exit(int status)
{
	out_flush(stdout);
	if (mica_posix)
		mica_pm_exit(status);
	mica_exit(status);
}

__attribute__((noreturn)) void __mica_start(unsigned long a0, unsigned long a1, unsigned long a2,
                                            unsigned long *sp)
{
	static char *no_args[] = {"", NULL}, *no_env[] = {NULL};
	int argc = 1;
	char **argv = no_args;
	environ = no_env;
	mica_start_arg[0] = a0, mica_start_arg[1] = a1, mica_start_arg[2] = a2;
	if (a0 == MICA_START_POSIX && a1 == 0) { /* Linux layout: argc, argv..., 0, envp..., 0 */
		mica_posix = 1;
		argc = (int)sp[0];
		argv = (char **)&sp[1];
		environ = argv + argc + 1;
	}
	_init_tls(__tls_base);
	_set_tls(__tls_base);
	__libc_init_array();
	exit(main(argc, argv, environ));
}

/* --- spawning ----------------------------------------------------------- */

long mica_spawn(const void *elf, size_t size, const struct spawn_opts *o, const char **why)
{
	struct elf_image img;
	*why = "";
	if (elf_parse(elf, size, USER_MIN_VA, USER_MAX_VA, &img, why))
		return -ENOEXEC;
	long task = mica_task_create(o->name, o->super_ep, o->badge, o->flags);
	if (task < 0)
		return task;
	long err = mica_load_image(task, elf, &img);
	for (int i = 0; err >= 0 && i < o->ngrant; i++)
		err = mica_handle_grant(task, o->grant[i], 0, RIGHT_ALL);
	if (err >= 0)
		err = mica_thread_create(task, (void *)img.entry, (void *)USER_STACK_TOP, o->arg,
		                         o->prio ? o->prio : PRIO_DEFAULT);
	if (err < 0) {
		mica_task_kill(task, err);
		mica_handle_close(task);
		return err;
	}
	return task;
}
