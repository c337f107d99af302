/* The fake kernel and transport host tests of server handlers link with
 * (test/unit/fake_sys.c). Handlers run unchanged: what they ask of the
 * system lands in these hooks and counters. */
#ifndef TEST_FAKE_SYS_H
#define TEST_FAKE_SYS_H

#include "mica/host.h"
#include "mica/server.h"

#define FAKE_MAX_SYS 64

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
	/* srv_copy_out/in: the window of client win_client (win_len bytes
	 * at win; writable unless win_ro), and the copies made */
	srv_client win_client;
	char *win;
	size_t win_len;
	bool win_ro;
	unsigned win_copies;
};

extern struct fake_sys fake;
void fake_reset(void);

#endif
