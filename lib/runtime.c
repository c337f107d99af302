/* Start-up and the glue picolibc needs: thread-local storage, stdio on
 * descriptors (or the kernel debug console), sbrk on anonymous memory, exit. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/cpio.h"
#include "mica/elf.h"
#include "mica/errno.h"
#include "mica/getline.h"
#include "mica/lock.h"
#include "mica/posix.h"
#include "mica/runtime.h"
#include "mica/syscall.h"

extern char __heap_start[];
#define HEAP_END ((char *)USER_MAX_VA) /* the heap may grow up to here */
extern void _init_tls(void *tls);
extern void _set_tls(void *tls);
extern void __libc_init_array(void);
int main(int argc, char **argv, char **envp);
extern char **environ;

int mica_posix;
static __thread void *ipcbuf;

/* --- stdio: three streams over descriptors 0, 1 and 2 -------------------- */

/* Programs started by pm read and write descriptors; the root task and the
 * servers have no input and write to the kernel's debug console. stdout is
 * line-buffered on a terminal and fully buffered otherwise (decided at its
 * first character); stderr is unbuffered. Threads take turns through
 * mica_stdio, a lock the holder may take again (flockfile takes it too);
 * stdin has a lock of its own, held while a read waits for input. */
#define OUT_UNDECIDED (-1)

struct outstream {
	FILE file; /* first, so a FILE * is a struct outstream * */
	int fd;
	int mode; /* _IOLBF, _IOFBF or OUT_UNDECIDED */
	size_t len;
	char buf[4096];
};

static int out_flush(FILE *f);
static int out_putc(char c, FILE *f);
static int err_putc(char c, FILE *f);
static int in_getc(FILE *f);

static struct outstream out = {
    .file = FDEV_SETUP_STREAM(out_putc, NULL, out_flush, _FDEV_SETUP_WRITE),
    .fd = 1,
    .mode = OUT_UNDECIDED,
};
static FILE in = FDEV_SETUP_STREAM(NULL, in_getc, NULL, _FDEV_SETUP_READ);
static FILE err = FDEV_SETUP_STREAM(err_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdin = &in;
FILE *const stdout = &out.file;
FILE *const stderr = &err;
struct mica_rlock mica_stdio;
static int in_lock;
int mica_threaded; /* see mica/lock.h */

/* The standard streams' lock, once there are threads: whether taken. */
static bool stdio_take(void)
{
	if (!mica_threaded)
		return false;
	mica_rlock_take(&mica_stdio);
	return true;
}

static void stdio_give(bool held)
{
	if (held)
		mica_rlock_give(&mica_stdio);
}

/* Writes all of buf to fd (or the debug console); 0, or -1 on an error. */
static int write_all(int fd, const char *buf, size_t len)
{
	if (!mica_posix) {
		mica_debug_write(buf, len);
		return 0;
	}
	while (len) {
		ssize_t n = write(fd, buf, len);
		if (n <= 0)
			return -1;
		buf += n, len -= (size_t)n;
	}
	return 0;
}

/* Nothing is stored when there is nothing to write: a forked child's
 * _exit would otherwise copy the page the stream is on. */
static int flush_locked(struct outstream *s)
{
	if (!s->len)
		return 0;
	int r = write_all(s->fd, s->buf, s->len);
	s->len = 0;
	return r;
}

static int out_flush(FILE *f)
{
	bool held = stdio_take();
	int r = flush_locked((struct outstream *)f);
	stdio_give(held);
	return r;
}

/* With threads: held across fork, stdout flushed first (or the child
 * would write it again). */
void mica_stdio_fork(int take)
{
	if (take) {
		mica_rlock_take(&mica_stdio);
		flush_locked(&out);
	} else {
		mica_rlock_give(&mica_stdio);
	}
}

/* Line buffering for the debug console and terminals, full otherwise. */
static int out_mode(struct outstream *s)
{
	if (s->mode == OUT_UNDECIDED)
		s->mode = !mica_posix || isatty(s->fd) ? _IOLBF : _IOFBF;
	return s->mode;
}

static int out_putc(char c, FILE *f)
{
	struct outstream *s = (struct outstream *)f;
	int r = (unsigned char)c;
	bool held = stdio_take();
	s->buf[s->len++] = c;
	if (s->len == sizeof(s->buf) || (c == '\n' && out_mode(s) == _IOLBF))
		r = flush_locked(s) < 0 ? _FDEV_ERR : r;
	stdio_give(held);
	return r;
}

/* stderr: unbuffered, to descriptor 2, after what stdout holds (so the two
 * streams keep their order on a terminal). */
static int err_putc(char c, FILE *f)
{
	(void)f;
	bool held = stdio_take();
	flush_locked(&out);
	int r = write_all(2, &c, 1) < 0 ? _FDEV_ERR : (unsigned char)c;
	stdio_give(held);
	return r;
}

static char inbuf[1024];
static size_t inpos, inlen;

/* The next byte of descriptor 0; _FDEV_EOF at its end, _FDEV_ERR on an
 * error. A line-buffered stdout is flushed first, so a prompt shows. */
static int in_getc(FILE *f)
{
	(void)f;
	if (!mica_posix)
		return _FDEV_EOF; /* no console input for the root task */
	int c = 0;
	bool held = mica_rt_lock(&in_lock);
	if (inpos == inlen) {
		if (out.mode != _IOFBF)
			out_flush(stdout);
		ssize_t n = read(0, inbuf, sizeof(inbuf));
		if (n <= 0)
			c = n < 0 ? _FDEV_ERR : _FDEV_EOF;
		else
			inpos = 0, inlen = (size_t)n;
	}
	if (!c)
		c = (unsigned char)inbuf[inpos++];
	if (held)
		mica_unlock(&in_lock);
	return c;
}

/* POSIX getline and getdelim, on lib/getline.c. */
ssize_t getdelim(char **restrict lineptr, size_t *restrict n, int delim, FILE *restrict f)
{
	return mica_getdelim(lineptr, n, delim, f);
}

ssize_t getline(char **restrict lineptr, size_t *restrict n, FILE *restrict f)
{
	return mica_getdelim(lineptr, n, '\n', f);
}

/* --- memory ------------------------------------------------------------- */

static char *brk_cur = __heap_start, *brk_mapped = __heap_start;

/* Programs started by pm ask it to move the break (brk lives there);
 * the root task and the servers map their heap pages themselves. */
void *sbrk(ptrdiff_t incr)
{
	char *old = brk_cur, *want = brk_cur + incr;
	if (!incr)
		return old; /* no need to ask */
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
		                top - (unsigned long)brk_mapped,
		                PROT_READ_ | PROT_WRITE_ | PROT_LAZY_) < 0)
			return (void *)-1;
		brk_mapped = (char *)top;
	}
	/* Shrinking gives the pages back: the heap counts on memory past the
	 * break coming back as zero (calloc does not clear it). */
	unsigned long keep = ((unsigned long)want + 4095) & ~4095ul;
	if (keep < (unsigned long)brk_mapped) {
		if (mica_vm_unmap(HANDLE_SELF, keep, (unsigned long)brk_mapped - keep) == 0)
			brk_mapped = (char *)keep;
		else
			memset(want, 0, (size_t)(brk_mapped - want));
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

long mica_ipcbuf_set(void *va)
{
	long r = mica_ipc_buffer(va);
	ipcbuf = r < 0 ? NULL : va;
	return r;
}

/* stdout is flushed unless another thread holds it (blocked writing:
 * waiting for it could be forever). */
void _exit(int status)
{
	if (!mica_threaded) {
		flush_locked(&out);
	} else if (mica_rlock_try(&mica_stdio)) {
		flush_locked(&out);
		mica_rlock_give(&mica_stdio);
	}
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
	_init_tls(__tls_main);
	_set_tls(__tls_main);
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
