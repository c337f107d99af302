/* The fake kernel and transport host tests of server handlers link with
 * (test/unit/fake_sys.c). Handlers run unchanged: what they ask of the
 * system lands in these hooks and counters. */
#ifndef TEST_FAKE_SYS_H
#define TEST_FAKE_SYS_H

#include "mica/host.h"
#include "mica/server.h"

#define FAKE_MAX_SYS 64
#define FAKE_MAX_WIN 4

struct fake_sys {
	long (*syscall)(long n, long a0, long a1, long a2, long a3, long a4, long a5);
	long (*call)(long ep, struct ipc_msg *msg);
	long (*host_call)(long ep, struct host_call *c);
	/* srv_answer, when set: its result instead of the default below */
	int (*on_answer)(srv_client c, const struct srv_rep *rep, const void *data);
	unsigned calls[FAKE_MAX_SYS]; /* system calls made, by number */
	char buf[IPC_MAX];            /* host_buf() */
	/* srv_answer: the last answer, and a client that is "gone" */
	srv_client answered_to, gone;
	struct srv_rep answer;
	char answer_data[IPC_MAX];
	unsigned answers;
	/* srv_copy_out/in: the windows clients lent (len bytes at buf;
	 * writable unless ro; bad: every copy fails -EFAULT, as over
	 * unmapped memory), and the copies made */
	struct fake_window {
		srv_client client;
		char *buf;
		size_t len;
		bool ro, bad;
	} win[FAKE_MAX_WIN];
	unsigned win_copies;
};

extern struct fake_sys fake;
void fake_reset(void);

#endif
