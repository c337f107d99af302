/* lib/pwparse.c: /etc/passwd and /etc/group lines, good and malformed,
 * short buffers and long lines. */
#include <criterion/criterion.h>
#include <string.h>

#include "mica/pwparse.h"

Test(pwparse, a_passwd_line_fills_every_field)
{
	struct passwd pw;
	char buf[256];
	cr_assert_eq(
	    pw_parse("ann:x:1000:100:Ann Example,,,:/home/ann:/bin/sh", &pw, buf, sizeof(buf)), 0);
	cr_assert_str_eq(pw.pw_name, "ann");
	cr_assert_str_eq(pw.pw_passwd, "x");
	cr_assert_eq(pw.pw_uid, 1000);
	cr_assert_eq(pw.pw_gid, 100);
	cr_assert_str_eq(pw.pw_gecos, "Ann Example,,,");
	cr_assert_str_eq(pw.pw_dir, "/home/ann");
	cr_assert_str_eq(pw.pw_shell, "/bin/sh");
	cr_assert(pw.pw_name >= buf && pw.pw_name < buf + sizeof(buf), "strings live in buf");
}

Test(pwparse, empty_fields_are_kept_empty)
{
	struct passwd pw;
	char buf[64];
	cr_assert_eq(pw_parse("root::0:0:::", &pw, buf, sizeof(buf)), 0);
	cr_assert_str_eq(pw.pw_passwd, "");
	cr_assert_str_eq(pw.pw_shell, "");
}

Test(pwparse, malformed_passwd_lines_are_refused)
{
	struct passwd pw;
	char buf[256];
	const char *bad[] = {"",
	                     "# a comment",
	                     "ann:x:1000:100:Ann:/home/ann",          /* 6 fields */
	                     "ann:x:1000:100:Ann:/home/ann:/bin/sh:", /* 8 */
	                     "ann:x:10a0:100:Ann:/home/ann:/bin/sh",
	                     "ann:x:1000:-1:Ann:/home/ann:/bin/sh",
	                     "ann:x::100:Ann:/home/ann:/bin/sh",
	                     ":x:1000:100:Ann:/home/ann:/bin/sh",
	                     "ann:x:99999999999:100:Ann:/home/ann:/bin/sh"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(pw_parse(bad[i], &pw, buf, sizeof(buf)), -1, "%s", bad[i]);
}

Test(pwparse, a_short_buffer_is_told_apart_from_a_bad_line)
{
	struct passwd pw;
	char buf[8];
	cr_assert_eq(pw_parse("root:x:0:0:root:/root:/bin/sh", &pw, buf, sizeof(buf)), -2);
}

Test(pwparse, long_lines_parse_whole)
{
	static char line[6000], buf[7000];
	struct passwd pw;
	memset(line, 0, sizeof(line));
	strcpy(line, "long:x:5:5:");
	memset(line + strlen(line), 'g', 5000);
	strcat(line, ":/home/long:/bin/sh");
	cr_assert_eq(pw_parse(line, &pw, buf, sizeof(buf)), 0);
	cr_assert_eq(strlen(pw.pw_gecos), 5000);
	cr_assert_str_eq(pw.pw_shell, "/bin/sh");
}

Test(pwparse, a_group_line_lists_its_members)
{
	struct group gr;
	char buf[256];
	cr_assert_eq(gr_parse("wheel:x:10:root,ann,bob", &gr, buf, sizeof(buf)), 0);
	cr_assert_str_eq(gr.gr_name, "wheel");
	cr_assert_eq(gr.gr_gid, 10);
	cr_assert_str_eq(gr.gr_mem[0], "root");
	cr_assert_str_eq(gr.gr_mem[1], "ann");
	cr_assert_str_eq(gr.gr_mem[2], "bob");
	cr_assert_null(gr.gr_mem[3]);
	cr_assert_eq(gr_parse("root:x:0:", &gr, buf, sizeof(buf)), 0);
	cr_assert_null(gr.gr_mem[0], "no members");
}

Test(pwparse, malformed_group_lines_and_short_buffers)
{
	struct group gr;
	char buf[256], small[24];
	cr_assert_eq(gr_parse("wheel:x:10", &gr, buf, sizeof(buf)), -1);
	cr_assert_eq(gr_parse("wheel:x:ten:", &gr, buf, sizeof(buf)), -1);
	cr_assert_eq(gr_parse("wheel:x:10:a:b", &gr, buf, sizeof(buf)), -1);
	cr_assert_eq(gr_parse("wheel:x:10:root,ann", &gr, small, sizeof(small)), -2,
	             "the strings fit, the member array does not");
}

Test(pwparse, a_shadow_line_fills_every_field)
{
	struct spwd sp;
	char buf[256];
	cr_assert_eq(sp_parse("ann:$6$s$h:20422:0:99999:7:::", &sp, buf, sizeof(buf)), 0);
	cr_assert_str_eq(sp.sp_namp, "ann");
	cr_assert_str_eq(sp.sp_pwdp, "$6$s$h");
	cr_assert_eq(sp.sp_lstchg, 20422);
	cr_assert_eq(sp.sp_min, 0);
	cr_assert_eq(sp.sp_max, 99999);
	cr_assert_eq(sp.sp_warn, 7);
	cr_assert_eq(sp.sp_inact, -1, "empty day fields read -1");
	cr_assert_eq(sp.sp_expire, -1);
	cr_assert_eq(sp_parse("root:!::::::: ", &sp, buf, sizeof(buf)), 0);
	cr_assert_str_eq(sp.sp_pwdp, "!");
}

Test(pwparse, malformed_shadow_lines_are_refused)
{
	struct spwd sp;
	char buf[256];
	const char *bad[] = {"",
	                     "garbage without fields",
	                     "user:::x:y",
	                     ":h:1:0:99999:7:::",
	                     "ann:h:1:0:99999:7::",
	                     "ann:h:1:0:99999:7::::",
	                     "ann:h:-1:0:99999:7:::",
	                     "ann:h:1x:0:99999:7:::"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(sp_parse(bad[i], &sp, buf, sizeof(buf)), -1, "%s", bad[i]);
	cr_assert_eq(sp_parse("ann:$6$salt$hash:1:0:99999:7:::", &sp, buf, 8), -2);
}
