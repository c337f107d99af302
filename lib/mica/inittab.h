/* Parser for /etc/inittab in the SysV format "id:runlevels:action:process".
 * Pure: reads only the given text, writes only the given entries, and
 * allocates nothing, so init and the host unit tests share it. */
#ifndef MICA_INITTAB_H
#define MICA_INITTAB_H

#include <stdbool.h>
#include <stddef.h>

#define INITTAB_ID_MAX        8   /* characters in an id (SysV says 1-4) */
#define INITTAB_RUNLEVELS_MAX 15  /* characters in the runlevels field */
#define INITTAB_PROCESS_MAX   255 /* characters in the process field */

/* What init does with an entry (see inittab(5)). */
enum inittab_action {
	IA_SYSINIT,     /* run at boot, wait, before anything else */
	IA_BOOT,        /* run at boot, do not wait */
	IA_BOOTWAIT,    /* run at boot, wait */
	IA_WAIT,        /* run once on entering the runlevel, wait */
	IA_ONCE,        /* run once on entering the runlevel, do not wait */
	IA_RESPAWN,     /* restart whenever it ends */
	IA_OFF,         /* do nothing */
	IA_INITDEFAULT, /* runlevels names the default runlevel; no process */
	IA_CTRLALTDEL,  /* run on the console's Ctrl-Alt-Del (Mica has none) */
	/* parsed and ignored: Mica has no UPS, keyboard requests or A-C levels */
	IA_POWERWAIT,
	IA_POWERFAIL,
	IA_POWEROKWAIT,
	IA_POWERFAILNOW,
	IA_KBREQUEST,
	IA_ONDEMAND,
};

struct inittab_entry {
	char id[INITTAB_ID_MAX + 1];
	char runlevels[INITTAB_RUNLEVELS_MAX + 1]; /* "" means every runlevel */
	enum inittab_action action;
	char process[INITTAB_PROCESS_MAX + 1]; /* the rest of the line, verbatim */
	int line;                              /* 1-based line number in the file */
};

/* Called once per bad line with its line number and a message such as
 * "line 4: unknown action 'respawnn'"; msg lives only during the call. */
typedef void (*inittab_bad_fn)(void *ctx, int line, const char *msg);

/* Parses text (len bytes, need not be NUL-terminated; lines end in "\n"
 * or "\r\n", the last one maybe in neither). Blank lines and lines whose
 * first non-blank character is '#' are skipped; leading blanks and
 * trailing blanks are ignored. Fills out[0..max) in file order and returns
 * how many entries it stored. Every bad line (missing field, bad id or
 * runlevel, unknown action, empty process except for initdefault, a field
 * too long, a duplicate id, a NUL byte, or a valid line beyond max) is
 * skipped and reported through bad, which may be NULL. */
int inittab_parse(const char *text, size_t len, struct inittab_entry *out, int max,
                  inittab_bad_fn bad, void *ctx);

/* "sysinit", "respawn", ...; "?" for a value outside the enum. */
const char *inittab_action_name(enum inittab_action a);

/* Whether e runs in runlevel level ('0'-'9', 'S'/'s', 'A'-'C'/'a'-'c';
 * letters match either case). Empty runlevels match every valid level;
 * anything else never matches. */
bool inittab_in_runlevel(const struct inittab_entry *e, char level);

/* The level the first initdefault entry names (its first character, 's'
 * given as 'S'), or '\0' if there is none. */
char inittab_initdefault(const struct inittab_entry *tab, int n);

/* Whether init acts on entries of action a (false for the actions that
 * are parsed and ignored: ctrlaltdel, power*, kbrequest, ondemand). */
bool inittab_action_used(enum inittab_action a);

#endif
