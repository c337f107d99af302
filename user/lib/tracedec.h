/* What trace's decoders share (tracefmt.c, tracefs.c, tracepm.c): the
 * line being written and the pieces of a request. Internal to them. */
#ifndef USER_LIB_TRACEDEC_H
#define USER_LIB_TRACEDEC_H

#include <stdbool.h>
#include <stddef.h>

#include "mica/proto/fs.h"
#include "mica/proto/pm.h"
#include "tracefmt.h"

enum { SRV_NONE = -1, SRV_PM = SLOT_PM, SRV_CON = SLOT_CONSOLE, SRV_FS = SLOT_FS };

/* Arguments are appended with their commas; td_xsep starts those known
 * only at exit (the split). Without the exit, writing stops there. */
struct out {
	struct tf_text *t;
	size_t pos;
	int nargs;
	bool split, done, stop;
};

void td_put(struct out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void td_sep(struct out *o);  /* ", " before every argument but the first */
void td_xsep(struct out *o); /* the same, and from here on the exit's part */
void td_start(struct out *o, const char *name);
void td_quote(struct out *o, const void *s, size_t n, size_t max, bool more);
/* A NUL-terminated string at off in d (len bytes), whole; the offset after it. */
size_t td_path(struct out *o, const unsigned char *d, size_t len, size_t off);
void td_num(struct out *o, long v);
void td_ptr(struct out *o, unsigned long v);
/* Flag names joined by |, then what is left in hex; zero: zero. */
struct flag {
	unsigned long bit;
	const char *name;
};
void td_flags(struct out *o, unsigned long v, const struct flag *f, const char *zero);
/* The end: ") = 3", ") = -1 ENOENT (...)", hex for addresses. */
void td_ret(struct out *o, long r, bool hex);
void td_no_return(struct out *o); /* ") = ?" */

/* A request's registers: tag, m0..m3 and window at entry, m0..m3 of the reply. */
#define TAG(c)   ((c)->in.a[1])
#define M(c, i)  ((c)->in.a[2 + (i)])
#define WIN(c)   ((c)->in.a[6])
#define RM(c, i) ((c)->out.a[2 + (i)])

int td_server(const struct tf_call *c); /* SRV_*: which server it calls */
unsigned td_op(const struct tf_call *c);
long td_result(const struct tf_call *c);    /* the reply's label, or the call's error */
long td_result_m0(const struct tf_call *c); /* a label 0 leaves it in m0 */
void td_fd(struct out *o, long fd);
/* The first path, after its directory descriptor if m[base] names one. */
void td_path_arg(struct out *o, const struct tf_call *c, int base);
void td_generic(struct out *o, const struct tf_call *c, const char *server);

/* The requests, by server (tracefs.c, tracepm.c). */
void td_fs(struct out *o, const struct tf_call *c);
void td_rw(struct out *o, const struct tf_call *c, bool is_read, long fd); /* read, write */
/* Bytes of a buffer (kept of total), cut at TF_STRMAX. */
void td_data(struct out *o, const unsigned char *d, size_t kept, long total);
void td_pm(struct out *o, const struct tf_call *c);
void td_con(struct out *o, const struct tf_call *c);

#endif
