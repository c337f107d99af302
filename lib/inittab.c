/* /etc/inittab parsing: split the text into lines, split each line at its
 * first three ':' into id, runlevels and action (the process is the rest),
 * check every field, and report bad lines by number without stopping. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mica/inittab.h"

#define MSG_MAX   160 /* room for any message below */
#define QUOTE_MAX 40  /* longest field quoted in a message */
#define NFIELDS   4
#define STR(x)    #x
#define XSTR(x)   STR(x)

static const char *const action_names[] = {
    [IA_SYSINIT] = "sysinit",
    [IA_BOOT] = "boot",
    [IA_BOOTWAIT] = "bootwait",
    [IA_WAIT] = "wait",
    [IA_ONCE] = "once",
    [IA_RESPAWN] = "respawn",
    [IA_OFF] = "off",
    [IA_INITDEFAULT] = "initdefault",
    [IA_CTRLALTDEL] = "ctrlaltdel",
    [IA_POWERWAIT] = "powerwait",
    [IA_POWERFAIL] = "powerfail",
    [IA_POWEROKWAIT] = "powerokwait",
    [IA_POWERFAILNOW] = "powerfailnow",
    [IA_KBREQUEST] = "kbrequest",
    [IA_ONDEMAND] = "ondemand",
};

#define NACTIONS ((int)(sizeof(action_names) / sizeof(action_names[0])))

/* A piece of the input text: not NUL-terminated. */
struct span {
	const char *s;
	size_t n;
};

struct parser {
	struct inittab_entry *out;
	int max, count;
	inittab_bad_fn bad;
	void *ctx;
};

/* A message under construction; always NUL-terminated, silently cut. */
struct msg {
	char s[MSG_MAX];
	size_t n;
};

static void msg_put(struct msg *m, const char *s, size_t n)
{
	while (n-- && m->n + 1 < MSG_MAX)
		m->s[m->n++] = *s++;
	m->s[m->n] = '\0';
}

static void msg_str(struct msg *m, const char *s)
{
	msg_put(m, s, strlen(s));
}

static void msg_int(struct msg *m, int v)
{
	char digits[12];
	size_t i = sizeof(digits);
	unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
	do {
		digits[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		digits[--i] = '-';
	msg_put(m, digits + i, sizeof(digits) - i);
}

/* Appends 'field', cut to QUOTE_MAX characters with "..." if longer. */
static void msg_quoted(struct msg *m, struct span f)
{
	msg_str(m, "'");
	msg_put(m, f.s, f.n < QUOTE_MAX ? f.n : QUOTE_MAX);
	msg_str(m, f.n > QUOTE_MAX ? "...'" : "'");
}

/* Reports "line N: <what>[ 'field'][<tail>]" through the callback. */
static void report(const struct parser *p, int line, const char *what, const struct span *field,
                   const char *tail)
{
	if (!p->bad)
		return;
	struct msg m = {.n = 0};
	msg_str(&m, "line ");
	msg_int(&m, line);
	msg_str(&m, ": ");
	msg_str(&m, what);
	if (field) {
		msg_str(&m, " ");
		msg_quoted(&m, *field);
	}
	if (tail)
		msg_str(&m, tail);
	p->bad(p->ctx, line, m.s);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_runlevel(char c)
{
	return (c >= '0' && c <= '9') || c == 'S' || c == 's' || (c >= 'A' && c <= 'C') ||
	       (c >= 'a' && c <= 'c');
}

static char fold(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 'a' + 'A') : c;
}

/* Drops leading and trailing blanks (and the '\r' of a CRLF line end). */
static struct span trim(struct span l)
{
	while (l.n && is_blank(l.s[0])) {
		l.s++;
		l.n--;
	}
	while (l.n && is_blank(l.s[l.n - 1]))
		l.n--;
	return l;
}

/* Splits l at its first three ':' into f[0..3]; false if it has fewer. */
static bool split_fields(struct span l, struct span f[NFIELDS])
{
	for (int i = 0; i < NFIELDS - 1; i++) {
		const char *colon = memchr(l.s, ':', l.n);
		if (!colon)
			return false;
		f[i] = (struct span){l.s, (size_t)(colon - l.s)};
		l.n -= f[i].n + 1;
		l.s = colon + 1;
	}
	f[NFIELDS - 1] = l;
	return true;
}

static void copy_field(char *dst, struct span f)
{
	memcpy(dst, f.s, f.n);
	dst[f.n] = '\0';
}

static int find_action(struct span f)
{
	for (int a = 0; a < NACTIONS; a++)
		if (strlen(action_names[a]) == f.n && memcmp(action_names[a], f.s, f.n) == 0)
			return a;
	return -1;
}

/* Checks the id field; reports and returns false if it is bad. */
static bool check_id(const struct parser *p, int line, struct span id)
{
	if (id.n == 0) {
		report(p, line, "empty id", NULL, NULL);
		return false;
	}
	if (id.n > INITTAB_ID_MAX) {
		report(p, line, "id", &id, " longer than " XSTR(INITTAB_ID_MAX) " characters");
		return false;
	}
	for (size_t i = 0; i < id.n; i++) {
		if (id.s[i] <= ' ' || id.s[i] > '~') {
			report(p, line, "bad character in id", &id, NULL);
			return false;
		}
	}
	return true;
}

static bool check_runlevels(const struct parser *p, int line, struct span rl)
{
	if (rl.n > INITTAB_RUNLEVELS_MAX) {
		report(p, line, "runlevels", &rl,
		       " longer than " XSTR(INITTAB_RUNLEVELS_MAX) " characters");
		return false;
	}
	for (size_t i = 0; i < rl.n; i++) {
		if (!is_runlevel(rl.s[i])) {
			report(p, line, "bad runlevel in", &rl, NULL);
			return false;
		}
	}
	return true;
}

/* Checks the action and process together (initdefault differs); returns
 * the action, or -1 after reporting. */
static int check_action(const struct parser *p, int line, struct span f[NFIELDS])
{
	int a = find_action(f[2]);
	if (f[2].n == 0)
		report(p, line, "missing action", NULL, NULL);
	else if (a < 0)
		report(p, line, "unknown action", &f[2], NULL);
	else if (a == IA_INITDEFAULT && f[1].n == 0)
		report(p, line, "initdefault needs a runlevel", NULL, NULL);
	else if (a != IA_INITDEFAULT && f[3].n == 0)
		report(p, line, "empty process for action", &f[2], NULL);
	else if (f[3].n > INITTAB_PROCESS_MAX)
		report(p, line, "process longer than " XSTR(INITTAB_PROCESS_MAX) " characters",
		       NULL, NULL);
	else
		return a;
	return -1;
}

static bool id_taken(const struct parser *p, struct span id)
{
	for (int i = 0; i < p->count; i++)
		if (strlen(p->out[i].id) == id.n && memcmp(p->out[i].id, id.s, id.n) == 0)
			return true;
	return false;
}

/* Validates one trimmed, non-comment line and stores it if there is room. */
static void parse_entry(struct parser *p, int line, struct span l)
{
	struct span f[NFIELDS];
	if (memchr(l.s, '\0', l.n)) {
		report(p, line, "NUL byte in line", NULL, NULL);
		return;
	}
	if (!split_fields(l, f)) {
		report(p, line, "expected id:runlevels:action:process", NULL, NULL);
		return;
	}
	if (!check_id(p, line, f[0]) || !check_runlevels(p, line, f[1]))
		return;
	int a = check_action(p, line, f);
	if (a < 0)
		return;
	if (id_taken(p, f[0])) {
		report(p, line, "duplicate id", &f[0], NULL);
		return;
	}
	if (p->count >= p->max) {
		report(p, line, "too many entries", NULL, NULL);
		return;
	}
	struct inittab_entry *e = &p->out[p->count++];
	copy_field(e->id, f[0]);
	copy_field(e->runlevels, f[1]);
	e->action = (enum inittab_action)a;
	copy_field(e->process, f[3]);
	e->line = line;
}

int inittab_parse(const char *text, size_t len, struct inittab_entry *out, int max,
                  inittab_bad_fn bad, void *ctx)
{
	struct parser p = {.out = out, .max = out && max > 0 ? max : 0, .bad = bad, .ctx = ctx};
	size_t pos = 0;
	int line = 0;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct span l = trim((struct span){text + pos, end - pos});
		line++;
		if (l.n && l.s[0] != '#')
			parse_entry(&p, line, l);
		pos = end + 1;
	}
	return p.count;
}

const char *inittab_action_name(enum inittab_action a)
{
	return (int)a >= 0 && (int)a < NACTIONS ? action_names[a] : "?";
}

bool inittab_in_runlevel(const struct inittab_entry *e, char level)
{
	if (!is_runlevel(level))
		return false;
	if (e->runlevels[0] == '\0')
		return true;
	for (const char *r = e->runlevels; *r; r++)
		if (fold(*r) == fold(level))
			return true;
	return false;
}

char inittab_initdefault(const struct inittab_entry *tab, int n)
{
	for (int i = 0; i < n; i++)
		if (tab[i].action == IA_INITDEFAULT && tab[i].runlevels[0])
			return fold(tab[i].runlevels[0]);
	return '\0';
}

bool inittab_action_used(enum inittab_action a)
{
	return a <= IA_INITDEFAULT;
}
