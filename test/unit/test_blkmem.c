/* Memory for cached blocks: small blocks share pages, a page goes back
 * with its last block, no block is handed out twice, and running out of
 * pages gives NULL. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../servers/fs/blkmem.h"
#include "../../servers/fs/pages.h"

#define N 64

Test(blkmem, small_blocks_share_pages_and_pages_go_back)
{
	void *b[N];
	size_t before = blkmem_shared_pages();
	for (int i = 0; i < N; i++) {
		cr_assert_not_null(b[i] = blkmem_alloc(1024));
		memset(b[i], i, 1024);
	}
	cr_assert_eq(blkmem_shared_pages() - before, N / 4, "four 1 KiB blocks a page");
	for (int i = 0; i < N; i++)
		for (int j = 0; j < 1024; j++)
			cr_assert_eq(((unsigned char *)b[i])[j], i, "block %d overwritten", i);
	for (int i = 0; i < N; i += 2) /* half of each page: none goes back */
		blkmem_free(b[i], 1024);
	cr_assert_eq(blkmem_shared_pages() - before, N / 4);
	void *again = blkmem_alloc(1024); /* a freed slot is reused */
	cr_assert_eq(blkmem_shared_pages() - before, N / 4);
	blkmem_free(again, 1024);
	for (int i = 1; i < N; i += 2)
		blkmem_free(b[i], 1024);
	cr_assert_eq(blkmem_shared_pages(), before, "every page went back");
}

Test(blkmem, sizes_do_not_mix_and_pages_are_whole)
{
	void *a = blkmem_alloc(2048), *c = blkmem_alloc(512), *p = blkmem_alloc(4096);
	cr_assert(a && c && p);
	cr_assert_eq((uintptr_t)p % 4096, 0);
	cr_assert_neq((uintptr_t)a & ~4095ul, (uintptr_t)c & ~4095ul, "one size per page");
	cr_assert_null(blkmem_alloc(3000));
	cr_assert_null(blkmem_alloc(8192));
	blkmem_free(a, 2048), blkmem_free(c, 512), blkmem_free(p, 4096);
}

Test(blkmem, out_of_pages_is_null)
{
	page_budget = 1;
	void *b[4];
	for (int i = 0; i < 4; i++)
		cr_assert_not_null(b[i] = blkmem_alloc(1024));
	cr_assert_null(blkmem_alloc(1024), "a fifth needs a second page");
	page_budget = -1;
	for (int i = 0; i < 4; i++)
		blkmem_free(b[i], 1024);
}
