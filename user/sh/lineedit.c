/* Line editing at the interactive prompt: the terminal in raw mode while
 * a line is typed, cursor movement (arrows, ^A, ^E), backspace, ^U, ^C
 * and ^D, and a history of the last 100 lines on the up and down arrows.
 * Printable characters are echoed exactly as typed; the rest redraws with
 * backspaces and spaces only, so any terminal (or a test) can follow. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "sh.h"

#define HIST_MAX     100
#define LINE_MAX_LEN 4096

static char *hist[HIST_MAX];
static int nhist, hist_base; /* hist_base: number of the oldest kept, from 1 */

struct line {
	char s[LINE_MAX_LEN];
	size_t len, cur;
	int hpos;                 /* which history entry is shown: nhist is the line being typed */
	char saved[LINE_MAX_LEN]; /* the line being typed, while history is shown */
};

static void out(const char *s, size_t n)
{
	while (n > 0) {
		ssize_t w = write(2, s, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

static void back(size_t n)
{
	while (n--)
		out("\b", 1);
}

/* Rewrites from the cursor to the end, clearing `extra` old cells. */
static void redraw_tail(struct line *l, size_t extra)
{
	out(l->s + l->cur, l->len - l->cur);
	for (size_t i = 0; i < extra; i++)
		out(" ", 1);
	back(l->len - l->cur + extra);
}

static void insert(struct line *l, char c)
{
	if (l->len + 1 >= LINE_MAX_LEN)
		return;
	memmove(l->s + l->cur + 1, l->s + l->cur, l->len - l->cur);
	l->s[l->cur++] = c;
	l->len++;
	out(&c, 1);
	if (l->cur < l->len)
		redraw_tail(l, 0);
}

static void erase_before(struct line *l, size_t n)
{
	if (n > l->cur)
		n = l->cur;
	back(n);
	memmove(l->s + l->cur - n, l->s + l->cur, l->len - l->cur);
	l->cur -= n;
	l->len -= n;
	redraw_tail(l, n);
}

/* Replaces the whole line with s, cursor at its end. */
static void replace(struct line *l, const char *s)
{
	size_t old = l->len, n = strlen(s);
	back(l->cur);
	if (n >= LINE_MAX_LEN)
		n = LINE_MAX_LEN - 1;
	memcpy(l->s, s, n);
	l->len = l->cur = n;
	out(l->s, n);
	if (old > n) {
		for (size_t i = n; i < old; i++)
			out(" ", 1);
		back(old - n);
	}
}

static void history_move(struct line *l, int dir)
{
	int to = l->hpos + dir;
	if (to < 0 || to > nhist)
		return;
	if (l->hpos == nhist) {
		memcpy(l->saved, l->s, l->len);
		l->saved[l->len] = '\0';
	}
	l->hpos = to;
	replace(l, to == nhist ? l->saved : hist[to]);
}

static void move_cursor(struct line *l, size_t to)
{
	if (to < l->cur)
		back(l->cur - to);
	else
		out(l->s + l->cur, to - l->cur);
	l->cur = to;
}

static int get_byte(void)
{
	unsigned char c;
	for (;;) {
		ssize_t r = read(0, &c, 1);
		if (r == 1)
			return c;
		if (r < 0 && errno == EINTR)
			continue;
		return -1;
	}
}

/* After ESC: [A [B [C [D [H [F [3~ and the O forms. */
static void escape_seq(struct line *l)
{
	int c = get_byte();
	if (c != '[' && c != 'O')
		return;
	c = get_byte();
	if (c >= '0' && c <= '9') {
		int d = get_byte();
		if (c == '3' && d == '~' && l->cur < l->len) {
			move_cursor(l, l->cur + 1);
			erase_before(l, 1);
		}
		return;
	}
	if (c == 'A' || c == 'B')
		history_move(l, c == 'A' ? -1 : 1);
	else if (c == 'C' && l->cur < l->len)
		move_cursor(l, l->cur + 1);
	else if (c == 'D' && l->cur > 0)
		move_cursor(l, l->cur - 1);
	else if (c == 'H')
		move_cursor(l, 0);
	else if (c == 'F')
		move_cursor(l, l->len);
}

/* One key; returns 1 when the line is done, -1 at EOF, -2 for ^C. */
static int key(struct line *l, int c)
{
	switch (c) {
	case -1:
		return l->len ? 1 : -1;
	case '\r':
	case '\n':
		return 1;
	case 3: /* ^C */
		out("^C", 2);
		return -2;
	case 4: /* ^D */
		if (l->len == 0)
			return -1;
		if (l->cur < l->len) {
			move_cursor(l, l->cur + 1);
			erase_before(l, 1);
		}
		return 0;
	case 1:
		move_cursor(l, 0);
		return 0;
	case 5:
		move_cursor(l, l->len);
		return 0;
	case 2:
		if (l->cur)
			move_cursor(l, l->cur - 1);
		return 0;
	case 6:
		if (l->cur < l->len)
			move_cursor(l, l->cur + 1);
		return 0;
	case 21:
		erase_before(l, l->cur);
		return 0; /* ^U */
	case 8:
	case 127:
		erase_before(l, 1);
		return 0;
	case 27:
		escape_seq(l);
		return 0;
	default:
		if (c >= 32 || c == '\t')
			insert(l, (char)c);
		return 0;
	}
}

static char *plain(const char *prompt)
{
	char *s = NULL;
	size_t cap = 0;
	out(prompt, strlen(prompt));
	ssize_t n = getline(&s, &cap, stdin);
	if (n <= 0) {
		free(s);
		return NULL;
	}
	return s;
}

char *le_readline(const char *prompt, bool *interrupted)
{
	struct termios cooked, raw;
	*interrupted = false;
	fflush(stdout);
	if (tcgetattr(0, &cooked) < 0)
		return plain(prompt);
	raw = cooked;
	cfmakeraw(&raw);
	raw.c_oflag = cooked.c_oflag; /* keep \n -> \r\n on output */
	tcsetattr(0, TCSANOW, &raw);
	out(prompt, strlen(prompt));
	struct line *l = calloc(1, sizeof(*l));
	int rc = 0;
	if (l)
		for (l->hpos = nhist; rc == 0;)
			rc = key(l, get_byte());
	out("\n", rc == -1 ? 0 : 1);
	tcsetattr(0, TCSANOW, &cooked);
	*interrupted = rc == -2;
	char *s = NULL;
	if (l && rc != -1 && (s = malloc(l->len + 2))) {
		memcpy(s, l->s, l->len);
		s[l->len] = '\n';
		s[l->len + 1] = '\0';
	}
	free(l);
	return s;
}

void le_history_add(const char *line)
{
	if (nhist && !strcmp(hist[nhist - 1], line))
		return;
	if (nhist == HIST_MAX) {
		free(hist[0]);
		memmove(hist, hist + 1, sizeof(char *) * (HIST_MAX - 1));
		nhist--;
		hist_base++;
	}
	hist[nhist] = strdup(line);
	if (hist[nhist])
		nhist++;
}

void le_history_print(void)
{
	for (int i = 0; i < nhist; i++)
		printf("%5d  %s\n", hist_base + i + 1, hist[i]);
}

/* The number of the latest entry (0: none), and entry number n or NULL. */
int le_history_last(void)
{
	return hist_base + nhist;
}

const char *le_history_get(int n)
{
	int i = n - hist_base - 1;
	return i >= 0 && i < nhist ? hist[i] : NULL;
}
