/* A fake kernel for host tests of server handlers: the system calls a
 * handler makes (mica/syscall.h without a trap) go to hooks a test sets;
 * with no hook they fail with -ENOSYS. host_buf, srv_answer and friends
 * are the transport's: a test-side transport keeps what handlers send.
 * The runtime's helpers a server uses (boot archive, boot arguments,
 * loading an image) find nothing here. */
#include <string.h>

#include "fake_sys.h"
#include "mica/errno.h"
#include "mica/runtime.h"

struct fake_sys fake;

long mica_syscall(long n, long x0, long x1, long x2, long x3, long x4, long x5)
{
	fake.calls[n < FAKE_MAX_SYS ? n : 0]++;
	return fake.syscall ? fake.syscall(n, x0, x1, x2, x3, x4, x5) : -ENOSYS;
}

long mica_call(long ep, struct ipc_msg *msg)
{
	return fake.call ? fake.call(ep, msg) : -ENOSYS;
}

long mica_recv(long ep, long timeout_us, struct ipc_msg *msg)
{
	(void)ep, (void)timeout_us, (void)msg;
	return -ENOSYS;
}

long mica_reply_recv(long ep, unsigned long token, struct ipc_msg *msg)
{
	(void)ep, (void)token, (void)msg;
	return -ENOSYS;
}

/* The transports' dispatch (lib/server.c's, which holds the receive
 * loop and cannot build here): the handler for req, or -ENOSYS. */

void *host_buf(void)
{
	return fake.buf;
}

long host_call(long ep, struct host_call *c)
{
	return fake.host_call ? fake.host_call(ep, c) : -EPIPE;
}

long host_spawn_server(const struct host_server *o)
{
	(void)o;
	return -ENOENT;
}

void *host_page_alloc(void)
{
	return NULL;
}

void host_page_free(void *page)
{
	(void)page;
}

volatile void *host_mmio(unsigned long pa, size_t len)
{
	(void)pa, (void)len;
	return NULL;
}

int srv_answer(struct server *s, srv_client c, const struct srv_rep *rep, const void *data)
{
	(void)s;
	if (fake.on_answer)
		return fake.on_answer(c, rep, data);
	if (fake.gone == c && c)
		return -ESRCH;
	fake.answered_to = c;
	fake.answer = *rep;
	if (rep->len && data)
		memcpy(fake.answer_data, data,
		       rep->len < sizeof(fake.answer_data) ? rep->len : sizeof(fake.answer_data));
	fake.answers++;
	return 0;
}

bool srv_waiting(struct server *s, srv_client c)
{
	(void)s;
	return c && c != fake.gone;
}

/* Where c's window has off..off+len (checked as the kernel checks a
 * window), or NULL and *err. */
static char *fake_window(srv_client c, size_t off, size_t len, bool out, int *err)
{
	struct fake_window *w = NULL;
	for (int i = 0; i < FAKE_MAX_WIN; i++)
		if (c && fake.win[i].client == c && c != fake.gone)
			w = &fake.win[i];
	*err = !w                                             ? -ESRCH
	       : off > w->len || len > w->len - off || w->bad ? -EFAULT
	       : out && w->ro                                 ? -EPERM
	                                                      : 0;
	if (*err)
		return NULL;
	fake.win_copies++;
	return w->buf + off;
}

int srv_copy_out(struct server *s, srv_client c, size_t off, const void *src, size_t len)
{
	(void)s;
	int err;
	char *at = fake_window(c, off, len, true, &err);
	if (at)
		memmove(at, src, len);
	return err;
}

int srv_copy_in(struct server *s, srv_client c, size_t off, void *dst, size_t len)
{
	(void)s;
	int err;
	char *at = fake_window(c, off, len, false, &err);
	if (at)
		memmove(dst, at, len);
	return err;
}

void fake_reset(void)
{
	memset(&fake, 0, sizeof(fake));
}

/* --- the runtime's helpers ----------------------------------------------- */

unsigned long mica_start_arg[3];

int mica_archive_find(const char *path, const void **data, size_t *size)
{
	(void)path, (void)data, (void)size;
	return -ENOENT;
}

int mica_bootarg(const char *key, char *out, size_t outsz)
{
	(void)key, (void)out, (void)outsz;
	return -ENOENT;
}

long mica_load_image(long task, const void *file, const struct elf_image *img)
{
	(void)task, (void)file, (void)img;
	return 0;
}

long mica_spawn(const void *elf, size_t size, const struct spawn_opts *o, const char **why)
{
	(void)elf, (void)size, (void)o;
	*why = "no spawning in host tests";
	return -ENOSYS;
}
