/* Small stdio pieces picolibc 1.8 lacks: stream locks (one for every
 * stream, the lock the standard streams take for each character), the
 * _unlocked forms, fgetpos/fsetpos over ftello/fseeko, and the XSI
 * timezone variables. */
#include <stdio.h>
#include <time.h>

#include "mica/lock.h"
#include "mica/runtime.h"

long timezone;
int daylight;

void flockfile(FILE *f)
{
	(void)f;
	mica_rlock_take(&mica_stdio);
}

int ftrylockfile(FILE *f)
{
	(void)f;
	return mica_rlock_try(&mica_stdio) ? 0 : -1;
}

void funlockfile(FILE *f)
{
	(void)f;
	mica_rlock_give(&mica_stdio);
}

int getc_unlocked(FILE *f)
{
	return getc(f);
}

int getchar_unlocked(void)
{
	return getchar();
}

int putc_unlocked(int c, FILE *f)
{
	return putc(c, f);
}

int putchar_unlocked(int c)
{
	return putchar(c);
}

int fgetpos(FILE *f, fpos_t *pos)
{
	off_t at = ftello(f);
	if (at < 0)
		return -1;
	*pos = at;
	return 0;
}

int fsetpos(FILE *f, fpos_t *pos)
{
	return fseeko(f, (off_t)*pos, SEEK_SET);
}
