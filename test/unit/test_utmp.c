/* lib/include/utmp.h promises glibc's 64-bit struct utmp (its
 * _Static_asserts pin 384 bytes, ut_user at 44, ut_tv at 340): the
 * host's <utmp.h> must agree, so Linux tools read Mica's utmp and wtmp. */
#include <criterion/criterion.h>
#include <stddef.h>
#include <utmp.h>

Test(utmp, the_host_layout_is_the_one_mica_writes)
{
	cr_assert_eq(sizeof(struct utmp), 384);
	cr_assert_eq(offsetof(struct utmp, ut_pid), 4);
	cr_assert_eq(offsetof(struct utmp, ut_line), 8);
	cr_assert_eq(offsetof(struct utmp, ut_id), 40);
	cr_assert_eq(offsetof(struct utmp, ut_user), 44);
	cr_assert_eq(offsetof(struct utmp, ut_host), 76);
	cr_assert_eq(offsetof(struct utmp, ut_tv), 340);
	cr_assert_eq(USER_PROCESS, 7);
	cr_assert_eq(DEAD_PROCESS, 8);
	cr_assert_eq(BOOT_TIME, 2);
}
