/* /etc/inittab parsing: a realistic file, comments and blank lines, every
 * reason to reject a line (with its exact message), line ends, and the
 * entry limit. Texts are parsed from a copy that ends right before an
 * inaccessible page, so a read past len would crash the test. */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "mica/inittab.h"

#define MAX_ENTRIES 16
#define MAX_BAD     16
#define CANARY      0x5A

/* What the bad-line callback saw. */
struct bad_log {
	int n;
	int line[MAX_BAD];
	char msg[MAX_BAD][200];
};

static void log_bad(void *ctx, int line, const char *msg)
{
	struct bad_log *b = ctx;
	cr_assert_lt(b->n, MAX_BAD, "too many reports; latest: %s", msg);
	b->line[b->n] = line;
	snprintf(b->msg[b->n], sizeof(b->msg[0]), "%s", msg);
	b->n++;
}

/* Parses len bytes of text placed right before a PROT_NONE page. */
static int parse_n(const char *text, size_t len, struct inittab_entry *out, int max,
                   struct bad_log *bad)
{
	size_t pg = (size_t)sysconf(_SC_PAGESIZE);
	size_t body = (len + pg - 1) / pg * pg + pg;
	uint8_t *map =
	    mmap(NULL, body + pg, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	cr_assert_neq(map, MAP_FAILED);
	cr_assert_eq(mprotect(map + body, pg, PROT_NONE), 0);
	char *copy = (char *)map + body - len;
	memcpy(copy, text, len);
	memset(bad, 0, sizeof(*bad));
	int n = inittab_parse(copy, len, out, max, log_bad, bad);
	munmap(map, body + pg);
	return n;
}

static int parse(const char *text, struct inittab_entry *out, int max, struct bad_log *bad)
{
	return parse_n(text, strlen(text), out, max, bad);
}

static void assert_entry(const struct inittab_entry *e, const char *id, const char *rl,
                         enum inittab_action a, const char *process, int line)
{
	cr_assert_str_eq(e->id, id);
	cr_assert_str_eq(e->runlevels, rl, "id %s", id);
	cr_assert_eq(e->action, a, "id %s: action %s, expected %s", id,
	             inittab_action_name(e->action), inittab_action_name(a));
	cr_assert_str_eq(e->process, process, "id %s", id);
	cr_assert_eq(e->line, line, "id %s: line %d, expected %d", id, e->line, line);
}

/* Parses a one-line file that must be rejected with exactly msg. */
static void assert_rejected(const char *text, const char *msg)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 0, "accepted: %s", text);
	cr_assert_eq(bad.n, 1, "%d reports for: %s", bad.n, text);
	cr_assert_eq(bad.line[0], 1);
	cr_assert_str_eq(bad.msg[0], msg, "for: %s", text);
}

static const char realistic[] = "# /etc/inittab for Mica\n"
                                "#\n"
                                "# id:runlevels:action:process\n"
                                "\n"
                                "id:3:initdefault:\n"
                                "si::sysinit:/bin/mount -a\n"
                                "bw::bootwait:/bin/fsck -p\n"
                                "l3:3:wait:/etc/rc 3\n"
                                "1:2345:respawn:/bin/getty 38400 console\n"
                                "sh:S:respawn:/bin/sh\n"
                                "mo:23:once:/bin/motd /etc/issue\n"
                                "ca::ctrlaltdel:/bin/reboot\n"
                                "x9:0:off:/bin/unused\n"
                                "bt::boot:/bin/hwclock --hctosys\n";

Test(inittab, realistic_file_gives_every_entry_in_order)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(parse(realistic, e, MAX_ENTRIES, &bad), 10);
	cr_assert_eq(bad.n, 0, "unexpected: %s", bad.msg[0]);
	assert_entry(&e[0], "id", "3", IA_INITDEFAULT, "", 5);
	assert_entry(&e[1], "si", "", IA_SYSINIT, "/bin/mount -a", 6);
	assert_entry(&e[2], "bw", "", IA_BOOTWAIT, "/bin/fsck -p", 7);
	assert_entry(&e[3], "l3", "3", IA_WAIT, "/etc/rc 3", 8);
	assert_entry(&e[4], "1", "2345", IA_RESPAWN, "/bin/getty 38400 console", 9);
	assert_entry(&e[5], "sh", "S", IA_RESPAWN, "/bin/sh", 10);
	assert_entry(&e[6], "mo", "23", IA_ONCE, "/bin/motd /etc/issue", 11);
	assert_entry(&e[7], "ca", "", IA_CTRLALTDEL, "/bin/reboot", 12);
	assert_entry(&e[8], "x9", "0", IA_OFF, "/bin/unused", 13);
	assert_entry(&e[9], "bt", "", IA_BOOT, "/bin/hwclock --hctosys", 14);
}

Test(inittab, comments_and_blank_lines_are_skipped_but_counted)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	const char *text = "\n"
	                   "   \t \n"
	                   "# a comment: with:colons:respawn:x\n"
	                   "\t  # an indented comment\n"
	                   "#\n"
	                   "a::once:/bin/a\n"
	                   "\n"
	                   "b::once:/bin/b\n";
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 2);
	cr_assert_eq(bad.n, 0, "unexpected: %s", bad.msg[0]);
	assert_entry(&e[0], "a", "", IA_ONCE, "/bin/a", 6);
	assert_entry(&e[1], "b", "", IA_ONCE, "/bin/b", 8);
}

Test(inittab, empty_text_gives_no_entries)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(parse("", e, MAX_ENTRIES, &bad), 0);
	cr_assert_eq(parse("\n\n# only comments\n", e, MAX_ENTRIES, &bad), 0);
	cr_assert_eq(bad.n, 0);
}

Test(inittab, process_keeps_colons_spaces_and_hashes)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	const char *text = "p1:2:once:/bin/echo a:b:c  d # not a comment\n"
	                   "p2:2:once:PATH=/bin:/usr/bin /bin/sh -c 'x=1; y=2'\n"
	                   "p3:2:once::leading:colon\n";
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 3);
	cr_assert_eq(bad.n, 0, "unexpected: %s", bad.msg[0]);
	assert_entry(&e[0], "p1", "2", IA_ONCE, "/bin/echo a:b:c  d # not a comment", 1);
	assert_entry(&e[1], "p2", "2", IA_ONCE, "PATH=/bin:/usr/bin /bin/sh -c 'x=1; y=2'", 2);
	assert_entry(&e[2], "p3", "2", IA_ONCE, ":leading:colon", 3);
}

Test(inittab, leading_and_trailing_blanks_are_ignored)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(parse("  \tab:1:wait:/bin/x  y \t \n", e, MAX_ENTRIES, &bad), 1);
	assert_entry(&e[0], "ab", "1", IA_WAIT, "/bin/x  y", 1);
}

Test(inittab, last_line_without_newline_is_parsed)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(parse("a::once:/bin/a\nb:5:respawn:/bin/sh -l", e, MAX_ENTRIES, &bad), 2);
	cr_assert_eq(bad.n, 0);
	assert_entry(&e[1], "b", "5", IA_RESPAWN, "/bin/sh -l", 2);
	cr_assert_eq(parse("c::once:/bin/c", e, MAX_ENTRIES, &bad), 1);
	assert_entry(&e[0], "c", "", IA_ONCE, "/bin/c", 1);
}

Test(inittab, crlf_line_ends_are_accepted)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	const char *text = "# comment\r\n\r\nid:3:initdefault:\r\nsh:3:respawn:/bin/sh\r\n"
	                   "zz:3:bogus:/x\r\nlast::once:/bin/end\r";
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 3);
	assert_entry(&e[0], "id", "3", IA_INITDEFAULT, "", 3);
	assert_entry(&e[1], "sh", "3", IA_RESPAWN, "/bin/sh", 4);
	assert_entry(&e[2], "last", "", IA_ONCE, "/bin/end", 6);
	cr_assert_eq(bad.n, 1);
	cr_assert_str_eq(bad.msg[0], "line 5: unknown action 'bogus'");
}

Test(inittab, text_need_not_be_nul_terminated)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	const char text[] = "a::once:/bin/abc\nb::once:/bin/def";
	/* Only the first 15 bytes: the process is cut to "/bin/ab", b is unseen. */
	cr_assert_eq(parse_n(text, 15, e, MAX_ENTRIES, &bad), 1);
	assert_entry(&e[0], "a", "", IA_ONCE, "/bin/ab", 1);
	/* Cut inside the second line's action: that line lacks a field. */
	cr_assert_eq(parse_n(text, 20, e, MAX_ENTRIES, &bad), 1);
	cr_assert_eq(bad.n, 1);
	cr_assert_str_eq(bad.msg[0], "line 2: expected id:runlevels:action:process");
}

Test(inittab, unknown_action_is_reported_and_skipped)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	const char *text = "a::sysinit:/bin/a\n"
	                   "b::wait:/bin/b\n"
	                   "\n"
	                   "c:2:respawnn:/bin/c\n"
	                   "d:2:respawn:/bin/d\n";
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 3);
	cr_assert_eq(bad.n, 1);
	cr_assert_eq(bad.line[0], 4);
	cr_assert_str_eq(bad.msg[0], "line 4: unknown action 'respawnn'");
	assert_entry(&e[2], "d", "2", IA_RESPAWN, "/bin/d", 5);
}

Test(inittab, action_names_are_case_sensitive)
{
	assert_rejected("a::Respawn:/bin/a", "line 1: unknown action 'Respawn'");
	assert_rejected("a:: once:/bin/a", "line 1: unknown action ' once'");
}

Test(inittab, long_unknown_action_is_quoted_cut)
{
	assert_rejected("a::respawnrespawnrespawnrespawnrespawnrespawnrespawn:/bin/a",
	                "line 1: unknown action 'respawnrespawnrespawnrespawnrespawnrespa...'");
}

Test(inittab, missing_fields_are_reported)
{
	const char *msg = "line 1: expected id:runlevels:action:process";
	assert_rejected("just some words", msg);
	assert_rejected("a", msg);
	assert_rejected("a:2", msg);
	assert_rejected("a:2:respawn", msg);
	assert_rejected(":::", "line 1: empty id");
}

Test(inittab, missing_action_is_reported)
{
	assert_rejected("a:2::/bin/a", "line 1: missing action");
}

Test(inittab, bad_ids_are_reported)
{
	assert_rejected(":2:respawn:/bin/a", "line 1: empty id");
	assert_rejected("abcdefghi:2:respawn:/bin/a",
	                "line 1: id 'abcdefghi' longer than 8 characters");
	assert_rejected("a b:2:respawn:/bin/a", "line 1: bad character in id 'a b'");
	assert_rejected("a\tb:2:respawn:/bin/a", "line 1: bad character in id 'a\tb'");
	assert_rejected("a\x7f:2:respawn:/bin/a", "line 1: bad character in id 'a\x7f'");
}

Test(inittab, ids_of_one_to_eight_characters_are_accepted)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	const char *text = "1::once:/a\nab::once:/a\nabcd::once:/a\nabcdefgh::once:/a\n";
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 4);
	cr_assert_str_eq(e[0].id, "1");
	cr_assert_str_eq(e[2].id, "abcd");
	cr_assert_str_eq(e[3].id, "abcdefgh");
}

Test(inittab, bad_runlevels_are_reported)
{
	assert_rejected("a:2x:respawn:/bin/a", "line 1: bad runlevel in '2x'");
	assert_rejected("a:2 3:respawn:/bin/a", "line 1: bad runlevel in '2 3'");
	assert_rejected("a:D:respawn:/bin/a", "line 1: bad runlevel in 'D'");
	assert_rejected("a:0123456789SsABCa:respawn:/bin/a",
	                "line 1: runlevels '0123456789SsABCa' longer than 15 characters");
}

Test(inittab, every_runlevel_character_is_accepted)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(parse("a:0123456789SABC:once:/a\nb:sabc:once:/b\n", e, MAX_ENTRIES, &bad), 2);
	cr_assert_str_eq(e[0].runlevels, "0123456789SABC");
	cr_assert_str_eq(e[1].runlevels, "sabc");
}

Test(inittab, empty_process_is_an_error_except_for_initdefault)
{
	assert_rejected("a:2:respawn:", "line 1: empty process for action 'respawn'");
	assert_rejected("a::sysinit:   ", "line 1: empty process for action 'sysinit'");
	assert_rejected("a:2:once:\r", "line 1: empty process for action 'once'");
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(parse("id:5:initdefault:\nix:3:initdefault:ignored", e, 2, &bad), 2);
	assert_entry(&e[0], "id", "5", IA_INITDEFAULT, "", 1);
	assert_entry(&e[1], "ix", "3", IA_INITDEFAULT, "ignored", 2);
}

Test(inittab, initdefault_needs_a_runlevel)
{
	assert_rejected("id::initdefault:", "line 1: initdefault needs a runlevel");
}

Test(inittab, process_of_255_characters_fits_and_256_does_not)
{
	char text[300];
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	memcpy(text, "a::once:", 8);
	memset(text + 8, 'p', 255);
	text[8 + 255] = '\0';
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 1);
	cr_assert_eq(strlen(e[0].process), 255);
	cr_assert_eq(e[0].process[254], 'p');
	text[8 + 255] = 'q';
	text[8 + 256] = '\0';
	assert_rejected(text, "line 1: process longer than 255 characters");
}

Test(inittab, duplicate_id_is_reported_and_first_kept)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(
	    parse("sh::once:/bin/one\nsh::respawn:/bin/two\nsx::once:/x\n", e, MAX_ENTRIES, &bad),
	    2);
	assert_entry(&e[0], "sh", "", IA_ONCE, "/bin/one", 1);
	assert_entry(&e[1], "sx", "", IA_ONCE, "/x", 3);
	cr_assert_eq(bad.n, 1);
	cr_assert_str_eq(bad.msg[0], "line 2: duplicate id 'sh'");
}

Test(inittab, nul_byte_in_a_line_is_reported)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	const char text[] = "a::once:/bin/a\0b\nb::once:/bin/b\n";
	cr_assert_eq(parse_n(text, sizeof(text) - 1, e, MAX_ENTRIES, &bad), 1);
	assert_entry(&e[0], "b", "", IA_ONCE, "/bin/b", 2);
	cr_assert_eq(bad.n, 1);
	cr_assert_str_eq(bad.msg[0], "line 1: NUL byte in line");
}

Test(inittab, every_bad_line_is_reported_once_in_order)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	const char *text = "ok1::once:/a\n"
	                   "broken\n"
	                   "x:2:nope:/b\n"
	                   "ok2::once:/c\n"
	                   "y:Q:once:/d\n"
	                   "z:2:wait:\n";
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 2);
	cr_assert_str_eq(e[1].id, "ok2");
	cr_assert_eq(bad.n, 4);
	int lines[] = {2, 3, 5, 6};
	for (int i = 0; i < 4; i++)
		cr_assert_eq(bad.line[i], lines[i], "report %d: %s", i, bad.msg[i]);
	cr_assert_str_eq(bad.msg[2], "line 5: bad runlevel in 'Q'");
}

Test(inittab, line_numbers_past_one_thousand)
{
	static char text[1300];
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	memset(text, '\n', 1234);
	strcpy(text + 1234, "late::once:/x\nbad\n");
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 1);
	cr_assert_eq(e[0].line, 1235);
	cr_assert_eq(bad.n, 1);
	cr_assert_eq(bad.line[0], 1236);
	cr_assert_str_eq(bad.msg[0], "line 1236: expected id:runlevels:action:process");
}

Test(inittab, null_callback_is_allowed)
{
	struct inittab_entry e[MAX_ENTRIES];
	const char *text = "bad line\na::once:/a\n";
	cr_assert_eq(inittab_parse(text, strlen(text), e, MAX_ENTRIES, NULL, NULL), 1);
	cr_assert_str_eq(e[0].id, "a");
}

Test(inittab, entries_beyond_max_are_reported_and_not_written)
{
	struct inittab_entry e[5];
	struct bad_log bad;
	memset(e, CANARY, sizeof(e));
	const char *text = "a::once:/a\nbad\nb::once:/b\nc::once:/c\nd::once:/d\ne::once:/e\n";
	cr_assert_eq(parse(text, e, 3, &bad), 3);
	cr_assert_str_eq(e[2].id, "c");
	const uint8_t *rest = (const uint8_t *)&e[3];
	for (size_t i = 0; i < 2 * sizeof(e[0]); i++)
		cr_assert_eq(rest[i], CANARY, "entry %zu written at byte %zu", 3 + i / sizeof(e[0]),
		             i % sizeof(e[0]));
	cr_assert_eq(bad.n, 3);
	cr_assert_str_eq(bad.msg[1], "line 5: too many entries");
	cr_assert_str_eq(bad.msg[2], "line 6: too many entries");
}

Test(inittab, max_zero_stores_nothing_but_still_checks)
{
	struct bad_log bad;
	cr_assert_eq(parse("a::once:/a\nb::bad:/b\n", NULL, 0, &bad), 0);
	cr_assert_eq(bad.n, 2);
	cr_assert_str_eq(bad.msg[0], "line 1: too many entries");
	cr_assert_str_eq(bad.msg[1], "line 2: unknown action 'bad'");
	struct inittab_entry e[1];
	cr_assert_eq(parse("a::once:/a\n", e, -1, &bad), 0);
	cr_assert_eq(bad.n, 1);
}

Test(inittab, action_names_round_trip_through_the_parser)
{
	for (int a = IA_SYSINIT; a <= IA_CTRLALTDEL; a++) {
		char text[64];
		struct inittab_entry e[1];
		struct bad_log bad;
		snprintf(text, sizeof(text), "x:2:%s:/bin/x", inittab_action_name(a));
		cr_assert_eq(parse(text, e, 1, &bad), 1, "%s", text);
		cr_assert_eq(e[0].action, (enum inittab_action)a, "%s", text);
	}
	cr_assert_str_eq(inittab_action_name(IA_RESPAWN), "respawn");
	cr_assert_str_eq(inittab_action_name(IA_CTRLALTDEL), "ctrlaltdel");
	cr_assert_str_eq(inittab_action_name((enum inittab_action)99), "?");
	cr_assert_str_eq(inittab_action_name((enum inittab_action) - 1), "?");
}

Test(inittab, runlevel_membership)
{
	struct inittab_entry e = {.runlevels = "235S", .action = IA_RESPAWN};
	cr_assert(inittab_in_runlevel(&e, '2'));
	cr_assert(inittab_in_runlevel(&e, '5'));
	cr_assert(inittab_in_runlevel(&e, 'S'));
	cr_assert(inittab_in_runlevel(&e, 's'), "S and s are the same level");
	cr_assert_not(inittab_in_runlevel(&e, '1'));
	cr_assert_not(inittab_in_runlevel(&e, '4'));
	cr_assert_not(inittab_in_runlevel(&e, '\0'));
	struct inittab_entry lower = {.runlevels = "a"};
	cr_assert(inittab_in_runlevel(&lower, 'A'));
	cr_assert_not(inittab_in_runlevel(&lower, 'b'));
}

Test(inittab, empty_runlevels_match_every_valid_level)
{
	struct inittab_entry e = {.runlevels = ""};
	const char *levels = "0123456789SsABCabc";
	for (const char *l = levels; *l; l++)
		cr_assert(inittab_in_runlevel(&e, *l), "level %c", *l);
	cr_assert_not(inittab_in_runlevel(&e, '\0'));
	cr_assert_not(inittab_in_runlevel(&e, 'x'));
	cr_assert_not(inittab_in_runlevel(&e, ' '));
}

Test(inittab, actions_mica_ignores_are_parsed_not_errors)
{
	const char *text = "ca::ctrlaltdel:/bin/poweroff\n"
	                   "pf::powerfail:/bin/echo power failing\n"
	                   "pw::powerwait:/bin/echo power waiting\n"
	                   "po::powerokwait:/bin/echo power ok\n"
	                   "pn::powerfailnow:/bin/echo power now\n"
	                   "kb::kbrequest:/bin/echo key\n"
	                   "od:A:ondemand:/bin/echo on demand\n"
	                   "bo::boot:/bin/echo boot\n"
	                   "bw::bootwait:/bin/echo bootwait\n";
	static const enum inittab_action want[] = {IA_CTRLALTDEL,  IA_POWERFAIL,    IA_POWERWAIT,
	                                           IA_POWEROKWAIT, IA_POWERFAILNOW, IA_KBREQUEST,
	                                           IA_ONDEMAND,    IA_BOOT,         IA_BOOTWAIT};
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 9);
	cr_assert_eq(bad.n, 0, "reported: %s", bad.msg[0]);
	for (int i = 0; i < 9; i++) {
		cr_assert_eq(e[i].action, want[i], "line %d: %s", i + 1,
		             inittab_action_name(e[i].action));
		cr_assert_eq(e[i].line, i + 1);
	}
	cr_assert_str_eq(inittab_action_name(IA_POWERFAILNOW), "powerfailnow");
	cr_assert_str_eq(inittab_action_name(IA_ONDEMAND), "ondemand");
	for (int i = 0; i < 7; i++)
		cr_assert_not(inittab_action_used(want[i]), "%s is acted on",
		              inittab_action_name(want[i]));
	cr_assert(inittab_action_used(IA_BOOT) && inittab_action_used(IA_BOOTWAIT));
	cr_assert(inittab_action_used(IA_RESPAWN) && inittab_action_used(IA_SYSINIT));
}

Test(inittab, bad_lines_among_runlevel_entries_are_skipped_alone)
{
	const char *text = "id:3:initdefault:\n"
	                   "sh:2345:respawn:/bin/sh\n"
	                   "x1:2:respwan:/bin/a\n"
	                   "su:S1:respawn:/bin/sh\n"
	                   "x2:7Q:once:/bin/b\n"
	                   "gt:4:respawn:/bin/getty\n"
	                   "x3:2:once\n";
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(parse(text, e, MAX_ENTRIES, &bad), 4);
	cr_assert_eq(bad.n, 3);
	cr_assert_str_eq(bad.msg[0], "line 3: unknown action 'respwan'");
	cr_assert_str_eq(bad.msg[1], "line 5: bad runlevel in '7Q'");
	cr_assert_str_eq(bad.msg[2], "line 7: expected id:runlevels:action:process");
	assert_entry(&e[1], "sh", "2345", IA_RESPAWN, "/bin/sh", 2);
	assert_entry(&e[2], "su", "S1", IA_RESPAWN, "/bin/sh", 4);
	assert_entry(&e[3], "gt", "4", IA_RESPAWN, "/bin/getty", 6);
	/* who runs where */
	cr_assert(inittab_in_runlevel(&e[1], '3') && !inittab_in_runlevel(&e[1], '1'));
	cr_assert(inittab_in_runlevel(&e[2], '1') && inittab_in_runlevel(&e[2], 's'));
	cr_assert(!inittab_in_runlevel(&e[2], '3') && !inittab_in_runlevel(&e[3], '0'));
	cr_assert_eq(inittab_initdefault(e, 4), '3');
}

Test(inittab, initdefault_is_the_first_and_s_folds)
{
	struct inittab_entry e[MAX_ENTRIES];
	struct bad_log bad;
	cr_assert_eq(parse("sh:2:respawn:/bin/sh\n", e, MAX_ENTRIES, &bad), 1);
	cr_assert_eq(inittab_initdefault(e, 1), '\0', "no initdefault entry");
	cr_assert_eq(parse("a:s:initdefault:\nb:5:initdefault:\n", e, MAX_ENTRIES, &bad), 2);
	cr_assert_eq(inittab_initdefault(e, 2), 'S');
	cr_assert_eq(parse("a:35:initdefault:\n", e, MAX_ENTRIES, &bad), 1);
	cr_assert_eq(inittab_initdefault(e, 1), '3', "first character of the field");
	cr_assert_eq(inittab_initdefault(e, 0), '\0');
}
