/* Device-tree parsing per the Devicetree Specification v0.4, chapter 5
 * (flattened format): big-endian header, memory-reservation block, a
 * token stream of nodes and properties, and a strings block. Every
 * offset and length is checked against the blob before use. */
#include "dtb.h"
#include "errno.h"
#include "kstring.h"

#define FDT_MAGIC      0xd00dfeedU
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE   2
#define FDT_PROP       3
#define FDT_NOP        4
#define FDT_END        9
#define MAX_DEPTH      16

struct fdt_header {
	uint32_t magic, totalsize, off_dt_struct, off_dt_strings, off_mem_rsvmap, version,
	    last_comp_version, boot_cpuid_phys, size_dt_strings, size_dt_struct;
};

static uint32_t be32(const void *p)
{
	const uint8_t *b = p;
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint64_t be64(const void *p)
{
	return (uint64_t)be32(p) << 32 | be32((const uint8_t *)p + 4);
}

/* Reads a cells-wide big-endian number (1 or 2 cells). */
static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	return cells == 2 ? be64(p) : be32(p);
}

/* What we collect about one node while walking its properties. */
struct node {
	const char *name;
	uint32_t addr_cells, size_cells; /* for this node's children */
	const uint8_t *reg, *compat, *intr, *devtype, *status;
	uint32_t reg_len, compat_len, intr_len, devtype_len, status_len;
	uint32_t ndev;
};

struct walk {
	const uint8_t *blob;
	uint32_t size;
	const uint8_t *strings;
	uint32_t strings_len;
	struct bootinfo *bi;
	struct node stack[MAX_DEPTH];
	int depth; /* stack[depth-1] is the current node */
};

static bool str_list_has(const uint8_t *list, uint32_t len, const char *want)
{
	uint32_t i = 0;
	while (i < len) {
		const char *s = (const char *)list + i;
		size_t n = strnlen(s, len - i);
		if (strcmp(s, want) == 0)
			return true;
		i += (uint32_t)n + 1;
	}
	return false;
}

static bool name_is(const char *name, const char *base)
{
	size_t n = strlen(base);
	return strncmp(name, base, n) == 0 && (name[n] == '\0' || name[n] == '@');
}

static void copy_str(char *dst, const uint8_t *src, uint32_t len)
{
	size_t n = MIN((size_t)len, (size_t)DT_STR_MAX - 1);
	memcpy(dst, src, n);
	dst[n] = '\0';
	dst[strnlen(dst, n)] = '\0';
}

static const struct node *parent_of(const struct walk *w)
{
	return w->depth >= 2 ? &w->stack[w->depth - 2] : NULL;
}

/* Fills dev from the first reg entry and first interrupt of node n. */
static void take_dev(const struct walk *w, const struct node *n, struct dt_dev *dev)
{
	const struct node *p = parent_of(w);
	uint32_t ac = p ? p->addr_cells : 2, sc = p ? p->size_cells : 1;
	if (!n->reg || ac == 0 || ac > 2 || sc > 2 || n->reg_len < 4 * (ac + sc))
		return;
	dev->base = read_cells(n->reg, ac);
	dev->size = sc ? read_cells(n->reg + 4 * ac, sc) : 0;
	dev->irq = n->intr && n->intr_len >= 4 ? be32(n->intr) : 0;
}

static void take_ranges(const struct walk *w, const struct node *n, struct dt_range *out,
                        int *count, int max)
{
	const struct node *p = parent_of(w);
	uint32_t ac = p ? p->addr_cells : 2, sc = p ? p->size_cells : 1;
	if (!n->reg || ac == 0 || ac > 2 || sc == 0 || sc > 2)
		return;
	uint32_t step = 4 * (ac + sc);
	for (uint32_t off = 0; off + step <= n->reg_len && *count < max; off += step) {
		struct dt_range r = {read_cells(n->reg + off, ac),
		                     read_cells(n->reg + off + 4 * ac, sc)};
		if (r.size)
			out[(*count)++] = r;
	}
}

static bool has_compat(const struct node *n, const char *c)
{
	return n->compat && str_list_has(n->compat, n->compat_len, c);
}

/* Called when a node ends: classify it by where it is and what it is. */
static void finish_node(struct walk *w)
{
	struct node *n = &w->stack[w->depth - 1];
	struct bootinfo *bi = w->bi;
	const struct node *p = parent_of(w);

	/* status absent, "okay" or "ok": the node is in use. */
	if (n->status && !str_list_has(n->status, n->status_len, "okay") &&
	    !str_list_has(n->status, n->status_len, "ok"))
		return;
	if (n->devtype && str_list_has(n->devtype, n->devtype_len, "memory"))
		take_ranges(w, n, bi->mem, &bi->nmem, DT_MAX_MEM);
	else if (p && name_is(p->name, "reserved-memory") && w->depth == 3)
		take_ranges(w, n, bi->resv, &bi->nresv, DT_MAX_RESV);
	else if (has_compat(n, "ns16550a") && !bi->uart.size)
		take_dev(w, n, &bi->uart);
	else if ((has_compat(n, "riscv,plic0") || has_compat(n, "sifive,plic-1.0.0")) &&
	         !bi->plic.size) {
		take_dev(w, n, &bi->plic);
		bi->plic_ndev = n->ndev;
	} else if ((has_compat(n, "sifive,test0") || has_compat(n, "sifive,test1")) &&
	           !bi->test.size)
		take_dev(w, n, &bi->test);
	else if (has_compat(n, "google,goldfish-rtc") && !bi->rtc.size)
		take_dev(w, n, &bi->rtc);
	else if (has_compat(n, "virtio,mmio") && bi->nvirtio < DT_MAX_VIRTIO)
		take_dev(w, n, &bi->virtio[bi->nvirtio++]);
	else if (p && name_is(p->name, "cpus") && name_is(n->name, "cpu") && n->reg &&
	         n->reg_len >= 4 && bi->nharts < DT_MAX_HARTS)
		bi->harts[bi->nharts++] = be32(n->reg + n->reg_len - 4);
}

/* Properties that matter on their own, wherever they appear. */
static void take_prop(struct walk *w, const char *pname, const uint8_t *val, uint32_t len)
{
	struct node *n = &w->stack[w->depth - 1];
	struct bootinfo *bi = w->bi;
	bool at_chosen = w->depth == 2 && name_is(n->name, "chosen");

	if (!strcmp(pname, "#address-cells") && len == 4)
		n->addr_cells = be32(val);
	else if (!strcmp(pname, "#size-cells") && len == 4)
		n->size_cells = be32(val);
	else if (!strcmp(pname, "reg"))
		n->reg = val, n->reg_len = len;
	else if (!strcmp(pname, "compatible"))
		n->compat = val, n->compat_len = len;
	else if (!strcmp(pname, "interrupts"))
		n->intr = val, n->intr_len = len;
	else if (!strcmp(pname, "device_type"))
		n->devtype = val, n->devtype_len = len;
	else if (!strcmp(pname, "status"))
		n->status = val, n->status_len = len;
	else if (!strcmp(pname, "riscv,ndev") && len == 4)
		n->ndev = be32(val);
	else if (!strcmp(pname, "timebase-frequency") && (len == 4 || len == 8))
		bi->timebase_hz = len == 4 ? be32(val) : be64(val);
	else if (!strcmp(pname, "riscv,isa") && !bi->isa[0])
		copy_str(bi->isa, val, len);
	else if (at_chosen && !strcmp(pname, "bootargs"))
		copy_str(bi->bootargs, val, len);
	else if (at_chosen && !strcmp(pname, "linux,initrd-start") && (len == 4 || len == 8))
		bi->initrd_start = len == 4 ? be32(val) : be64(val);
	else if (at_chosen && !strcmp(pname, "linux,initrd-end") && (len == 4 || len == 8))
		bi->initrd_end = len == 4 ? be32(val) : be64(val);
}

static int begin_node(struct walk *w, uint32_t *off, uint32_t end)
{
	const char *name = (const char *)w->blob + *off;
	size_t n = strnlen(name, end - *off);
	if (*off + n >= end || w->depth >= MAX_DEPTH)
		return -EINVAL;
	w->stack[w->depth++] = (struct node){.name = name, .addr_cells = 2, .size_cells = 1};
	*off = (uint32_t)ALIGN_UP(*off + n + 1, 4);
	return 0;
}

static int prop(struct walk *w, uint32_t *off, uint32_t end)
{
	if (*off + 8 > end || w->depth == 0)
		return -EINVAL;
	uint32_t len = be32(w->blob + *off), nameoff = be32(w->blob + *off + 4);
	*off += 8;
	if (len > end - *off || nameoff >= w->strings_len)
		return -EINVAL;
	const char *pname = (const char *)w->strings + nameoff;
	if (strnlen(pname, w->strings_len - nameoff) == w->strings_len - nameoff)
		return -EINVAL;
	take_prop(w, pname, w->blob + *off, len);
	*off = (uint32_t)ALIGN_UP(*off + len, 4);
	return 0;
}

static int walk_structs(struct walk *w, uint32_t off, uint32_t end)
{
	while (off + 4 <= end) {
		uint32_t tok = be32(w->blob + off);
		off += 4;
		int err = 0;
		switch (tok) {
		case FDT_BEGIN_NODE:
			err = begin_node(w, &off, end);
			break;
		case FDT_PROP:
			err = prop(w, &off, end);
			break;
		case FDT_NOP:
			break;
		case FDT_END_NODE:
			if (w->depth == 0)
				return -EINVAL;
			finish_node(w);
			w->depth--;
			break;
		case FDT_END:
			return w->depth == 0 ? 0 : -EINVAL;
		default:
			return -EINVAL;
		}
		if (err)
			return err;
	}
	return -EINVAL; /* ran off the end without FDT_END */
}

static int read_memreserve(struct walk *w, uint32_t off)
{
	for (;; off += 16) {
		if (off + 16 > w->size)
			return -EINVAL;
		uint64_t base = be64(w->blob + off), size = be64(w->blob + off + 8);
		if (base == 0 && size == 0)
			return 0;
		if (w->bi->nresv < DT_MAX_RESV)
			w->bi->resv[w->bi->nresv++] = (struct dt_range){base, size};
	}
}

uint32_t dtb_total_size(const void *fdt)
{
	const struct fdt_header *h = fdt;
	return be32(&h->magic) == FDT_MAGIC ? be32(&h->totalsize) : 0;
}

int dtb_parse(const void *fdt, size_t max_size, struct bootinfo *bi)
{
	const struct fdt_header *h = fdt;
	memset(bi, 0, sizeof(*bi));
	if (max_size < sizeof(*h) || be32(&h->magic) != FDT_MAGIC)
		return -EINVAL;
	uint32_t size = be32(&h->totalsize);
	uint32_t st_off = be32(&h->off_dt_struct), st_len = be32(&h->size_dt_struct);
	uint32_t str_off = be32(&h->off_dt_strings), str_len = be32(&h->size_dt_strings);
	uint32_t rsv_off = be32(&h->off_mem_rsvmap);
	if (size > max_size || size < sizeof(*h) || be32(&h->version) < 16 || st_off > size ||
	    st_len > size - st_off || str_off > size || str_len > size - str_off ||
	    rsv_off > size || (st_off | rsv_off) % 4)
		return -EINVAL;

	struct walk w = {.blob = fdt,
	                 .size = size,
	                 .strings = (const uint8_t *)fdt + str_off,
	                 .strings_len = str_len,
	                 .bi = bi};
	bi->dtb_size = size;
	int err = read_memreserve(&w, rsv_off);
	if (!err)
		err = walk_structs(&w, st_off, st_off + st_len);
	if (!err && bi->initrd_end < bi->initrd_start)
		err = -EINVAL;
	return err;
}

bool dtb_isa_has(const struct bootinfo *bi, const char *ext)
{
	/* "rv64imafdch_zicsr_..._sstc": single letters after rv64, then
	 * multi-letter extensions separated by underscores. */
	size_t n = strlen(ext);
	if (strlen(bi->isa) < 4)
		return false;
	if (n == 1) {
		for (const char *p = bi->isa + 4; *p && *p != '_'; p++)
			if (*p == ext[0])
				return true;
		return false;
	}
	for (const char *p = strchr(bi->isa, '_'); p; p = strchr(p + 1, '_'))
		if (!strncmp(p + 1, ext, n) && (p[1 + n] == '\0' || p[1 + n] == '_'))
			return true;
	return false;
}
