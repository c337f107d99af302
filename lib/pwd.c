/* The user and group databases: getpw*, getgr* and getlogin over
 * /etc/passwd and /etc/group (lines parsed by lib/pwparse.c; malformed
 * ones are skipped, lines of any length are read). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mica/pwparse.h"

#define PASSWD "/etc/passwd"
#define GROUP  "/etc/group"

/* What a lookup looks for: a name, or else an id. */
struct key {
	const char *name;
	unsigned id;
};

/* One entry of either file, parsed the same way. */
struct ent {
	bool group;
	struct passwd pw;
	struct group gr;
};

static int parse(struct ent *e, const char *line, char *buf, size_t n)
{
	return e->group ? gr_parse(line, &e->gr, buf, n) : pw_parse(line, &e->pw, buf, n);
}

static bool matches(const struct ent *e, const struct key *k)
{
	if (k->name)
		return !strcmp(e->group ? e->gr.gr_name : e->pw.pw_name, k->name);
	return (e->group ? (unsigned)e->gr.gr_gid : (unsigned)e->pw.pw_uid) == k->id;
}

/* Room to parse a line into: its bytes and a member array. */
static size_t room_for(const char *line)
{
	return strlen(line) + 16 + (strlen(line) / 2 + 2) * sizeof(char *);
}

/* The next well-formed line of f into e (strings in buf[0..n)): 0, ENOENT
 * at the end, ERANGE if buf is too small, ENOMEM. With k, only a line
 * that matches. */
static int next_ent(FILE *f, const struct key *k, struct ent *e, char *buf, size_t n)
{
	char *line = NULL, *tmp;
	size_t cap = 0;
	ssize_t len;
	int err = ENOENT;
	while ((len = getline(&line, &cap, f)) >= 0) {
		if (len && line[len - 1] == '\n')
			line[len - 1] = '\0';
		if (!(tmp = malloc(room_for(line)))) {
			err = ENOMEM;
			break;
		}
		int r = parse(e, line, tmp, room_for(line));
		bool hit = r == 0 && (!k || matches(e, k));
		free(tmp);
		if (hit) {
			err = parse(e, line, buf, n) == 0 ? 0 : ERANGE;
			break;
		}
	}
	free(line);
	return err;
}

/* A whole-file lookup into the caller's buffer (the *_r functions). */
static int lookup_r(const char *path, const struct key *k, struct ent *e, char *buf, size_t n,
                    void **result)
{
	*result = NULL;
	FILE *f = fopen(path, "r");
	if (!f)
		return errno == ENOENT ? 0 : errno;
	int err = next_ent(f, k, e, buf, n);
	fclose(f);
	if (err == 0)
		*result = e->group ? (void *)&e->gr : (void *)&e->pw;
	return err == ENOENT ? 0 : err;
}

/* The same into a static buffer that grows (getpwnam and kin). */
static void *lookup(const char *path, const struct key *k, struct ent *e)
{
	static char *buf;
	static size_t cap = 256;
	void *res;
	for (;;) {
		if (!buf && !(buf = malloc(cap)))
			return errno = ENOMEM, NULL;
		int err = lookup_r(path, k, e, buf, cap, &res);
		if (err != ERANGE) {
			if (err)
				errno = err;
			return res;
		}
		free(buf), buf = NULL, cap *= 2;
	}
}

int getpwnam_r(const char *name, struct passwd *pw, char *buf, size_t n, struct passwd **res)
{
	struct ent e = {.group = false};
	struct key k = {.name = name};
	int err = lookup_r(PASSWD, &k, &e, buf, n, (void **)res);
	if (*res)
		*pw = e.pw, *res = pw;
	return err;
}

int getpwuid_r(uid_t uid, struct passwd *pw, char *buf, size_t n, struct passwd **res)
{
	struct ent e = {.group = false};
	struct key k = {.id = (unsigned)uid};
	int err = lookup_r(PASSWD, &k, &e, buf, n, (void **)res);
	if (*res)
		*pw = e.pw, *res = pw;
	return err;
}

int getgrnam_r(const char *name, struct group *gr, char *buf, size_t n, struct group **res)
{
	struct ent e = {.group = true};
	struct key k = {.name = name};
	int err = lookup_r(GROUP, &k, &e, buf, n, (void **)res);
	if (*res)
		*gr = e.gr, *res = gr;
	return err;
}

int getgrgid_r(gid_t gid, struct group *gr, char *buf, size_t n, struct group **res)
{
	struct ent e = {.group = true};
	struct key k = {.id = (unsigned)gid};
	int err = lookup_r(GROUP, &k, &e, buf, n, (void **)res);
	if (*res)
		*gr = e.gr, *res = gr;
	return err;
}

static struct ent pw_ent = {.group = false}, gr_ent = {.group = true};

struct passwd *getpwnam(const char *name)
{
	struct key k = {.name = name};
	return lookup(PASSWD, &k, &pw_ent);
}

struct passwd *getpwuid(uid_t uid)
{
	struct key k = {.id = (unsigned)uid};
	return lookup(PASSWD, &k, &pw_ent);
}

struct group *getgrnam(const char *name)
{
	struct key k = {.name = name};
	return lookup(GROUP, &k, &gr_ent);
}

struct group *getgrgid(gid_t gid)
{
	struct key k = {.id = (unsigned)gid};
	return lookup(GROUP, &k, &gr_ent);
}

/* --- walking a file: getpwent, getgrent ----------------------------------- */

struct walk {
	const char *path;
	FILE *f;
	char *buf;
	size_t cap;
};

static struct walk pw_walk = {.path = PASSWD}, gr_walk = {.path = GROUP};

static void *walk_next(struct walk *w, struct ent *e)
{
	if (!w->f && !(w->f = fopen(w->path, "r")))
		return NULL;
	for (;;) {
		if (!w->buf && !(w->buf = malloc(w->cap = w->cap ? w->cap : 256)))
			return errno = ENOMEM, NULL;
		long at = ftell(w->f);
		int err = next_ent(w->f, NULL, e, w->buf, w->cap);
		if (err == 0)
			return e->group ? (void *)&e->gr : (void *)&e->pw;
		if (err != ERANGE || fseek(w->f, at, SEEK_SET) < 0)
			return NULL;
		free(w->buf), w->buf = NULL, w->cap *= 2; /* that line again, with room */
	}
}

static void walk_end(struct walk *w)
{
	if (w->f)
		fclose(w->f);
	w->f = NULL;
}

struct passwd *getpwent(void)
{
	return walk_next(&pw_walk, &pw_ent);
}

void setpwent(void)
{
	walk_end(&pw_walk);
}

void endpwent(void)
{
	walk_end(&pw_walk);
}

struct group *getgrent(void)
{
	return walk_next(&gr_walk, &gr_ent);
}

void setgrent(void)
{
	walk_end(&gr_walk);
}

void endgrent(void)
{
	walk_end(&gr_walk);
}

/* $USER if set (as glibc's fallback does without utmp), else the name
 * of the real uid. */
char *getlogin(void)
{
	static char name[64];
	const char *u = getenv("USER");
	struct passwd *pw;
	if (!u || !*u) {
		if (!(pw = getpwuid(getuid())))
			return errno = ENXIO, NULL;
		u = pw->pw_name;
	}
	snprintf(name, sizeof(name), "%s", u);
	return name;
}

int getlogin_r(char *buf, size_t n)
{
	const char *u = getlogin();
	if (!u)
		return errno;
	if (strlen(u) >= n)
		return ERANGE;
	memcpy(buf, u, strlen(u) + 1);
	return 0;
}
