/* kvformat: the one printf engine of the kernel. No allocation, no
 * floating point; output goes through a caller-supplied putc. */
#include "kprintf.h"

struct spec {
	bool left, zero, plus, space, alt;
	int width, prec; /* prec < 0: none given */
	int len;         /* 0 int, 1 long, 2 long long, -1 short, -2 char */
};

struct out {
	putc_fn put;
	void *arg;
	int n;
};

static void emit(struct out *o, char c)
{
	o->put(o->arg, c);
	o->n++;
}

static void pad(struct out *o, char c, int count)
{
	while (count-- > 0)
		emit(o, c);
}

static void emit_str(struct out *o, const struct spec *s, const char *str)
{
	if (!str)
		str = "(null)";
	int len = 0;
	while ((s->prec < 0 || len < s->prec) && str[len])
		len++;
	if (!s->left)
		pad(o, ' ', s->width - len);
	for (int i = 0; i < len; i++)
		emit(o, str[i]);
	if (s->left)
		pad(o, ' ', s->width - len);
}

/* Prints an integer magnitude v with an optional sign/prefix. */
static void emit_num(struct out *o, const struct spec *s, uint64_t v, int base, bool upper,
                     const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char buf[24];
	int len = 0;
	if (v == 0 && s->prec != 0)
		buf[len++] = '0';
	while (v) {
		buf[len++] = digits[v % (unsigned)base];
		v /= (unsigned)base;
	}
	int plen = 0;
	while (prefix[plen])
		plen++;
	int zeros = s->prec > len ? s->prec - len : 0;
	int total = plen + zeros + len;
	if (s->zero && !s->left && s->prec < 0 && s->width > total) {
		zeros += s->width - total;
		total = s->width;
	}
	if (!s->left)
		pad(o, ' ', s->width - total);
	for (int i = 0; i < plen; i++)
		emit(o, prefix[i]);
	pad(o, '0', zeros);
	while (len)
		emit(o, buf[--len]);
	if (s->left)
		pad(o, ' ', s->width - total);
}

static const char *parse_spec(const char *f, struct spec *s, va_list *ap)
{
	*s = (struct spec){.prec = -1};
	for (;; f++) {
		if (*f == '-')
			s->left = true;
		else if (*f == '0')
			s->zero = true;
		else if (*f == '+')
			s->plus = true;
		else if (*f == ' ')
			s->space = true;
		else if (*f == '#')
			s->alt = true;
		else
			break;
	}
	if (*f == '*') {
		s->width = va_arg(*ap, int);
		if (s->width < 0) {
			s->left = true;
			s->width = -s->width;
		}
		f++;
	}
	while (*f >= '0' && *f <= '9')
		s->width = s->width * 10 + (*f++ - '0');
	if (*f == '.') {
		f++;
		s->prec = 0;
		if (*f == '*') {
			s->prec = va_arg(*ap, int);
			f++;
		}
		while (*f >= '0' && *f <= '9')
			s->prec = s->prec * 10 + (*f++ - '0');
	}
	for (;; f++) {
		if (*f == 'l')
			s->len = s->len >= 1 ? 2 : 1;
		else if (*f == 'h')
			s->len = s->len <= -1 ? -2 : -1;
		else if (*f == 'z' || *f == 't' || *f == 'j')
			s->len = 1;
		else
			break;
	}
	return f;
}

static int64_t arg_signed(const struct spec *s, va_list *ap)
{
	switch (s->len) {
	case 2:
		return va_arg(*ap, long long);
	case 1:
		return va_arg(*ap, long);
	case -1:
		return (short)va_arg(*ap, int);
	case -2:
		return (signed char)va_arg(*ap, int);
	default:
		return va_arg(*ap, int);
	}
}

static uint64_t arg_unsigned(const struct spec *s, va_list *ap)
{
	switch (s->len) {
	case 2:
		return va_arg(*ap, unsigned long long);
	case 1:
		return va_arg(*ap, unsigned long);
	case -1:
		return (unsigned short)va_arg(*ap, unsigned);
	case -2:
		return (unsigned char)va_arg(*ap, unsigned);
	default:
		return va_arg(*ap, unsigned);
	}
}

static void format_one(struct out *o, char conv, struct spec *s, va_list *ap)
{
	switch (conv) {
	case 'd':
	case 'i': {
		int64_t v = arg_signed(s, ap);
		uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;
		const char *sign = v < 0 ? "-" : s->plus ? "+" : s->space ? " " : "";
		emit_num(o, s, mag, 10, false, sign);
		break;
	}
	case 'u':
		emit_num(o, s, arg_unsigned(s, ap), 10, false, "");
		break;
	case 'o':
		emit_num(o, s, arg_unsigned(s, ap), 8, false, s->alt ? "0" : "");
		break;
	case 'x':
		emit_num(o, s, arg_unsigned(s, ap), 16, false, s->alt ? "0x" : "");
		break;
	case 'X':
		emit_num(o, s, arg_unsigned(s, ap), 16, true, s->alt ? "0X" : "");
		break;
	case 'p':
		s->len = 1;
		s->zero = true;
		if (s->width == 0)
			s->width = 18; /* 0x + 16 digits: every pointer lines up */
		emit_num(o, s, (uint64_t)(uintptr_t)va_arg(*ap, void *), 16, false, "0x");
		break;
	case 'c': {
		char c[2] = {(char)va_arg(*ap, int), 0};
		s->prec = 1;
		emit_str(o, s, c);
		break;
	}
	case 's':
		emit_str(o, s, va_arg(*ap, const char *));
		break;
	case '%':
		emit(o, '%');
		break;
	default: /* unknown conversion: show it rather than guess */
		emit(o, '%');
		if (conv)
			emit(o, conv);
	}
}

int kvformat(putc_fn put, void *arg, const char *fmt, va_list ap)
{
	struct out o = {put, arg, 0};
	va_list args;
	va_copy(args, ap);
	for (const char *f = fmt; *f; f++) {
		if (*f != '%') {
			emit(&o, *f);
			continue;
		}
		struct spec s;
		f = parse_spec(f + 1, &s, &args);
		format_one(&o, *f, &s, &args);
		if (!*f)
			break;
	}
	va_end(args);
	return o.n;
}

struct sbuf {
	char *buf;
	size_t size, pos;
};

static void sbuf_put(void *arg, char c)
{
	struct sbuf *b = arg;
	if (b->pos + 1 < b->size)
		b->buf[b->pos] = c;
	b->pos++;
}

int kvsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct sbuf b = {buf, size, 0};
	int n = kvformat(sbuf_put, &b, fmt, ap);
	if (size)
		buf[MIN(b.pos, size - 1)] = '\0';
	return n;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
