/* Terminal line discipline of the console server: turns bytes typed on the
 * UART into what readers get (line editing, echo, ^C, ^D) and output into
 * what the terminal needs (ONLCR). Pure logic: no I/O, no allocation. */
#ifndef MICA_LDISC_H
#define MICA_LDISC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LDISC_LINE_MAX 256  /* one line being edited, including its '\n' */
#define LDISC_BUF      1024 /* cooked input waiting to be read */
#define LDISC_ECHO_MAX 2048 /* largest echo of one input byte (^U over 255 tabs) */
#define LDISC_SIGINT   2    /* ldisc_input's answers: the signal the byte generates */
#define LDISC_SIGQUIT  3
#define LDISC_SIGTSTP  20

/* Input bytes with a meaning in canonical mode (termios VERASE, VKILL...). */
#define LDISC_INTR  0x03 /* ^C: SIGINT when isig */
#define LDISC_QUIT  0x1c /* ^\: SIGQUIT when isig */
#define LDISC_SUSP  0x1a /* ^Z: SIGTSTP when isig */
#define LDISC_EOF   0x04 /* ^D: end of file, or push the partial line */
#define LDISC_BS    0x08 /* ^H: erase, like DEL */
#define LDISC_KILL  0x15 /* ^U: erase the whole line */
#define LDISC_ERASE 0x7f /* DEL: erase one character */

/*
 * The modes are plain fields the server may set in any combination (like
 * the termios ICANON, ECHO and ISIG bits); ldisc_set_raw sets all three.
 * start_col is the terminal column where the line being edited begins; it
 * only matters for erasing a tab, starts at 0 and is reset by Enter and
 * ^C. A server that writes a prompt may set it to the prompt's width.
 * Everything else is private.
 */
struct ldisc {
	bool canon, echo, isig;
	unsigned start_col;
	/* the line being edited (canonical mode) */
	char line[LDISC_LINE_MAX];
	size_t len;
	/* cooked input, a ring; kind[] tells data bytes from record ends */
	char buf[LDISC_BUF];
	uint8_t kind[LDISC_BUF];
	size_t head, count;
};

/* Canonical mode, echo and isig on, nothing buffered. */
void ldisc_init(struct ldisc *l);

/*
 * Handles one byte from the terminal. The bytes to echo back are written
 * to echo[0..echo_max) and counted in *necho (necho may be NULL); echo
 * that does not fit is dropped, LDISC_ECHO_MAX always fits. Returns
 * the signal the byte generated (with isig: ^C LDISC_SIGINT, ^\\
 * LDISC_SIGQUIT, ^Z LDISC_SIGTSTP), else 0.
 *
 * Canonical mode: printable bytes, tab, UTF-8 and other control bytes
 * (echoed as ^X) join the line; '\r' or '\n' completes it as "...\n"
 * (echo "\r\n"); DEL or ^H erases one character (a UTF-8 sequence counts
 * as one; echo "\b \b" per column it used, "\b" per column for a tab);
 * ^U erases the line; ^C with isig discards the line, echoes "^C\r\n"
 * (completed lines stay queued); ^D on an empty line queues an end of
 * file, after some text it hands the text to the reader without '\n'
 * (^D is never echoed). A line keeps LDISC_LINE_MAX - 1 bytes: further
 * bytes are dropped, Enter still completes it. Enter, ^D and raw bytes
 * that do not fit in the cooked buffer are dropped without echo.
 * Non-canonical mode: every byte (but ^C with isig) is readable at once.
 */
int ldisc_input(struct ldisc *l, char c, char *echo, size_t echo_max, size_t *necho);

/*
 * Reads at most n bytes of cooked input into buf. Returns the count; 0
 * means end of file (a ^D typed at the start of a line, consumed by this
 * read) or n == 0 (nothing consumed); -1 means nothing is ready (defer the
 * reader until ldisc_readable). A read never goes past the end of a
 * record: a completed line (its '\n' included), a ^D-pushed partial line,
 * or an end of file; so in canonical mode a read returns at most one line.
 * Bytes typed in non-canonical mode are not records and flow together.
 */
long ldisc_read(struct ldisc *l, char *buf, size_t n);

/* True when ldisc_read would not return -1. */
bool ldisc_readable(const struct ldisc *l);

/*
 * Output processing (ONLCR): copies in[0..n) to out turning each "\n"
 * into "\r\n". Stops before overflowing max (never splits "\r\n");
 * returns the bytes written to out and stores in *used how many bytes of
 * in were consumed.
 */
size_t ldisc_output(const char *in, size_t n, char *out, size_t max, size_t *used);

/*
 * raw: canonical mode, echo and isig off; the line being edited, if any,
 * becomes readable as it is. !raw: all three back on (ldisc_init's mode);
 * unread input stays queued.
 */
void ldisc_set_raw(struct ldisc *l, bool raw);

#endif
