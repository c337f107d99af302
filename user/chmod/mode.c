/* chmod's mode operand, octal or symbolic (see mode.h). */
#include "mode.h"

#include <string.h>

static int octal(const char *s, unsigned *out)
{
	unsigned v = 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			return -1;
		v = v * 8 + (unsigned)(*s - '0');
		if (v > 07777)
			return -1;
	}
	*out = v;
	return 0;
}

/* The bits one who-letter covers; 0 if c is none. */
static unsigned who_bits(char c)
{
	return c == 'u' ? 04700 : c == 'g' ? 02070 : c == 'o' ? 01007 : c == 'a' ? 07777 : 0;
}

/* The permission letters at *sp (or a copy of u, g or o of m), as bits
 * for all three classes. */
static unsigned perm_bits(const char **sp, unsigned m, bool is_dir)
{
	const char *s = *sp;
	unsigned p = 0;
	if (*s == 'u' || *s == 'g' || *s == 'o') {
		unsigned src = *s == 'u' ? (m >> 6) & 7 : *s == 'g' ? (m >> 3) & 7 : m & 7;
		*sp = s + 1;
		return src * 0111;
	}
	for (;; s++) {
		if (*s == 'r')
			p |= 0444;
		else if (*s == 'w')
			p |= 0222;
		else if (*s == 'x')
			p |= 0111;
		else if (*s == 'X')
			p |= (is_dir || (m & 0111)) ? 0111 : 0;
		else if (*s == 's')
			p |= 06000;
		else if (*s == 't')
			p |= 01000;
		else
			break;
	}
	*sp = s;
	return p;
}

/* One clause "who op perm [op perm]..." at *sp applied to *m. */
static int clause(const char **sp, unsigned *m, bool is_dir, unsigned umask)
{
	const char *s = *sp;
	unsigned who = 0;
	for (; who_bits(*s); s++)
		who |= who_bits(*s);
	bool masked = !who;
	if (masked)
		who = 07777;
	if (*s != '+' && *s != '-' && *s != '=')
		return -1;
	while (*s == '+' || *s == '-' || *s == '=') {
		char op = *s++;
		unsigned bits = perm_bits(&s, *m, is_dir) & who;
		if (masked)
			bits &= ~umask;
		if (op == '+')
			*m |= bits;
		else if (op == '-')
			*m &= ~bits;
		else
			*m = (*m & ~(masked ? 0777u : who)) | bits;
	}
	*sp = s;
	return 0;
}

int mode_apply(const char *spec, unsigned old, bool is_dir, unsigned umask, unsigned *out)
{
	if (!spec || !*spec)
		return -1;
	if (*spec >= '0' && *spec <= '7')
		return octal(spec, out);
	unsigned m = old & 07777;
	const char *s = spec;
	for (;;) {
		if (clause(&s, &m, is_dir, umask))
			return -1;
		if (!*s)
			break;
		if (*s++ != ',')
			return -1;
	}
	*out = m;
	return 0;
}

bool mode_valid(const char *spec)
{
	unsigned m;
	return mode_apply(spec, 0, false, 0, &m) == 0;
}
