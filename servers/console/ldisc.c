/* Terminal line discipline: canonical line editing with echo, ^C, ^D and
 * raw mode on the input side, ONLCR on the output side (as Linux's n_tty
 * with ICANON, ECHO, ECHOCTL, ISIG, ICRNL, IUTF8 and ONLCR). */
#include "ldisc.h"

#include <string.h>

/* What a byte of the cooked buffer is. */
enum {
	K_DATA, /* delivered to the reader */
	K_NL,   /* a line's '\n': delivered, ends the record */
	K_PUSH, /* the ^D after a partial line: ends the record, not delivered */
	K_EOF,  /* the ^D of an empty line: an empty record, read returns 0 */
};

#define TAB_WIDTH 8

/* Where echo goes: bytes past max are dropped. */
struct sink {
	char *buf;
	size_t max, n;
};

static void put(struct sink *s, char c)
{
	if (s->n < s->max)
		s->buf[s->n++] = c;
}

static void put_str(struct sink *s, const char *str)
{
	while (*str)
		put(s, *str++);
}

static bool is_ctrl(unsigned char c)
{
	return c < 0x20 || c == 0x7f;
}

/* A UTF-8 continuation byte: part of the character before it. */
static bool is_cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/* Echoes one byte as the terminal should show it: control bytes in caret
 * notation (^A), Enter as "\r\n", tab and everything else as it is. */
static void echo_char(struct sink *s, unsigned char c)
{
	if (c == '\r' || c == '\n') {
		put_str(s, "\r\n");
	} else if (c != '\t' && is_ctrl(c)) {
		put(s, '^');
		put(s, (char)(c ^ 0x40));
	} else {
		put(s, (char)c);
	}
}

/* The column after echoing c at column col. */
static unsigned advance(unsigned col, unsigned char c)
{
	if (c == '\t')
		return (col / TAB_WIDTH + 1) * TAB_WIDTH;
	if (is_ctrl(c))
		return col + 2;
	return is_cont(c) ? col : col + 1;
}

/* The column reached after echoing the first len bytes of the line. */
static unsigned line_col(const struct ldisc *l, size_t len)
{
	unsigned col = l->start_col;
	for (size_t i = 0; i < len; i++)
		col = advance(col, (unsigned char)l->line[i]);
	return col;
}

static size_t room(const struct ldisc *l)
{
	return LDISC_BUF - l->count;
}

/* Appends one byte to the cooked ring; the caller checked room. */
static void push(struct ldisc *l, char c, uint8_t kind)
{
	size_t i = (l->head + l->count) % LDISC_BUF;
	l->buf[i] = c;
	l->kind[i] = kind;
	l->count++;
}

/* Moves the line being edited to the cooked ring as data. */
static void push_line(struct ldisc *l)
{
	for (size_t i = 0; i < l->len; i++)
		push(l, l->line[i], K_DATA);
	l->len = 0;
}

/* Removes the last character of the line (a whole UTF-8 sequence, as
 * IUTF8) and echoes what takes it off the screen. */
static void erase_one(struct ldisc *l, struct sink *s)
{
	unsigned before = line_col(l, l->len);
	unsigned char c;
	do
		c = (unsigned char)l->line[--l->len];
	while (l->len > 0 && is_cont(c));
	unsigned width = before - line_col(l, l->len);
	for (unsigned i = 0; i < width; i++)
		put_str(s, c == '\t' ? "\b" : "\b \b");
}

/* Enter: the line and its '\n' become one record, if they fit. */
static void complete_line(struct ldisc *l, struct sink *s)
{
	if (room(l) < l->len + 1)
		return;
	push_line(l);
	push(l, '\n', K_NL);
	l->start_col = 0;
	put_str(s, "\r\n");
}

/* ^D: an end of file on an empty line, else the text so far becomes a
 * record without '\n' and the next line starts where the cursor is. */
static void end_of_file(struct ldisc *l)
{
	if (room(l) < l->len + 1)
		return;
	if (l->len == 0) {
		push(l, LDISC_EOF, K_EOF);
		return;
	}
	unsigned col = line_col(l, l->len);
	push_line(l);
	push(l, LDISC_EOF, K_PUSH);
	l->start_col = col;
}

static void canon_input(struct ldisc *l, unsigned char c, struct sink *s)
{
	switch (c) {
	case '\r':
	case '\n':
		complete_line(l, s);
		break;
	case LDISC_ERASE:
	case LDISC_BS:
		if (l->len > 0)
			erase_one(l, s);
		break;
	case LDISC_KILL:
		while (l->len > 0)
			erase_one(l, s);
		break;
	case LDISC_EOF:
		end_of_file(l);
		break;
	default:
		if (l->len < LDISC_LINE_MAX - 1) {
			l->line[l->len++] = (char)c;
			echo_char(s, c);
		}
	}
}

void ldisc_init(struct ldisc *l)
{
	memset(l, 0, sizeof(*l));
	l->canon = l->echo = l->isig = true;
}

int ldisc_input(struct ldisc *l, char c, char *echo, size_t echo_max, size_t *necho)
{
	struct sink s = {echo, echo && l->echo ? echo_max : 0, 0};
	unsigned char uc = (unsigned char)c;
	int sig = 0;

	if (l->isig && (uc == LDISC_INTR || uc == LDISC_QUIT || uc == LDISC_SUSP)) {
		l->len = 0; /* the line being edited goes, as with ^C */
		l->start_col = 0;
		put_str(&s, uc == LDISC_INTR ? "^C\r\n" : uc == LDISC_QUIT ? "^\\\r\n" : "^Z\r\n");
		sig = uc == LDISC_INTR   ? LDISC_SIGINT
		      : uc == LDISC_QUIT ? LDISC_SIGQUIT
		                         : LDISC_SIGTSTP;
	} else if (l->canon) {
		canon_input(l, uc, &s);
	} else if (room(l) > 0) {
		push(l, c, K_DATA);
		echo_char(&s, uc);
	}
	if (necho)
		*necho = s.n;
	return sig;
}

/* Takes the byte at the head of the cooked ring; returns its kind. */
static uint8_t pop(struct ldisc *l, char *c)
{
	uint8_t kind = l->kind[l->head];
	*c = l->buf[l->head];
	l->head = (l->head + 1) % LDISC_BUF;
	l->count--;
	return kind;
}

long ldisc_read(struct ldisc *l, char *buf, size_t n)
{
	char c;
	size_t got = 0;
	uint8_t kind = K_DATA;

	if (n == 0)
		return 0;
	if (l->count == 0)
		return -1;
	if (l->kind[l->head] == K_EOF) {
		pop(l, &c);
		return 0;
	}
	/* A ^D of K_PUSH is never at the head: the read that takes the last
	 * byte before it takes it too, so a record always starts with data. */
	while (l->count > 0 && got < n && kind == K_DATA && l->kind[l->head] != K_EOF) {
		kind = pop(l, &c);
		if (kind != K_PUSH)
			buf[got++] = c;
	}
	if (kind == K_DATA && l->count > 0 && l->kind[l->head] == K_PUSH)
		pop(l, &c);
	return (long)got;
}

bool ldisc_readable(const struct ldisc *l)
{
	return l->count > 0;
}

size_t ldisc_output(const char *in, size_t n, char *out, size_t max, size_t *used)
{
	size_t i = 0, o = 0;

	for (; i < n; i++) {
		if (in[i] == '\n') {
			if (max - o < 2)
				break;
			out[o++] = '\r';
		} else if (o == max) {
			break;
		}
		out[o++] = in[i];
	}
	if (used)
		*used = i;
	return o;
}

void ldisc_set_raw(struct ldisc *l, bool raw)
{
	if (raw && l->canon) {
		if (l->len > room(l))
			l->len = room(l);
		push_line(l);
	}
	l->canon = l->echo = l->isig = !raw;
}
