/* ext2's on-disk format, revision 1, as far as Mica reads and writes it:
 * the superblock, group descriptors, inodes and directory entries.
 * Every field is little-endian, as are Mica's CPUs (RISC-V, and x86 for
 * the host tests), so the structures are read in place. */
#ifndef MICA_FS_EXT2FMT_H
#define MICA_FS_EXT2FMT_H

#include <stddef.h>
#include <stdint.h>

#define EXT2_MAGIC               0xEF53
#define EXT2_SB_OFFSET           1024 /* bytes from the start of the device */
#define EXT2_ROOT_INO            2
#define EXT2_GOOD_OLD_FIRST_INO  11
#define EXT2_GOOD_OLD_INODE_SIZE 128
#define EXT2_NDIR                12 /* direct blocks in i_block */
#define EXT2_IND                 12 /* i_block slots of the indirect trees */
#define EXT2_DIND                13
#define EXT2_TIND                14
#define EXT2_NBLOCKS             15
#define EXT2_LINK_MAX            32000
#define EXT2_FAST_LINK           60 /* bytes of i_block: a shorter target lives there */

/* s_state */
#define EXT2_VALID_FS 0x1
#define EXT2_ERROR_FS 0x2

/* Features. */
#define EXT2_INCOMPAT_FILETYPE   0x0002
#define EXT2_RO_COMPAT_SPARSE    0x0001
#define EXT2_RO_COMPAT_LARGEFILE 0x0002
#define EXT2_INCOMPAT_SUPP       EXT2_INCOMPAT_FILETYPE
#define EXT2_RO_COMPAT_SUPP      (EXT2_RO_COMPAT_SPARSE | EXT2_RO_COMPAT_LARGEFILE)

/* i_flags */
#define EXT2_INDEX_FL 0x1000 /* hashed directory (dir_index) */

/* Directory entry file types (the filetype feature). */
#define EXT2_FT_UNKNOWN 0
#define EXT2_FT_REG     1
#define EXT2_FT_DIR     2
#define EXT2_FT_CHR     3
#define EXT2_FT_BLK     4
#define EXT2_FT_FIFO    5
#define EXT2_FT_SOCK    6
#define EXT2_FT_LNK     7

struct ext2_super {
	uint32_t s_inodes_count;
	uint32_t s_blocks_count;
	uint32_t s_r_blocks_count;
	uint32_t s_free_blocks_count;
	uint32_t s_free_inodes_count;
	uint32_t s_first_data_block;
	uint32_t s_log_block_size;
	uint32_t s_log_frag_size;
	uint32_t s_blocks_per_group;
	uint32_t s_frags_per_group;
	uint32_t s_inodes_per_group;
	uint32_t s_mtime;
	uint32_t s_wtime;
	uint16_t s_mnt_count;
	int16_t s_max_mnt_count;
	uint16_t s_magic;
	uint16_t s_state;
	uint16_t s_errors;
	uint16_t s_minor_rev_level;
	uint32_t s_lastcheck;
	uint32_t s_checkinterval;
	uint32_t s_creator_os;
	uint32_t s_rev_level;
	uint16_t s_def_resuid;
	uint16_t s_def_resgid;
	/* revision 1 */
	uint32_t s_first_ino;
	uint16_t s_inode_size;
	uint16_t s_block_group_nr;
	uint32_t s_feature_compat;
	uint32_t s_feature_incompat;
	uint32_t s_feature_ro_compat;
	uint8_t s_uuid[16];
	char s_volume_name[16];
	char s_last_mounted[64];
	uint8_t s_pad1[348 - 200];
	uint16_t s_min_extra_isize;
	uint16_t s_want_extra_isize;
};
_Static_assert(offsetof(struct ext2_super, s_magic) == 56, "ext2_super");
_Static_assert(offsetof(struct ext2_super, s_first_ino) == 84, "ext2_super");
_Static_assert(offsetof(struct ext2_super, s_last_mounted) == 136, "ext2_super");
_Static_assert(offsetof(struct ext2_super, s_want_extra_isize) == 350, "ext2_super");

struct ext2_gd {
	uint32_t bg_block_bitmap;
	uint32_t bg_inode_bitmap;
	uint32_t bg_inode_table;
	uint16_t bg_free_blocks_count;
	uint16_t bg_free_inodes_count;
	uint16_t bg_used_dirs_count;
	uint16_t bg_flags;
	uint32_t bg_reserved[3];
};
_Static_assert(sizeof(struct ext2_gd) == 32, "ext2_gd");

struct ext2_inode {
	uint16_t i_mode;
	uint16_t i_uid;
	uint32_t i_size;
	uint32_t i_atime;
	uint32_t i_ctime;
	uint32_t i_mtime;
	uint32_t i_dtime;
	uint16_t i_gid;
	uint16_t i_links_count;
	uint32_t i_blocks; /* 512-byte units, indirect blocks included */
	uint32_t i_flags;
	uint32_t i_osd1;
	uint32_t i_block[EXT2_NBLOCKS];
	uint32_t i_generation;
	uint32_t i_file_acl;
	uint32_t i_size_high; /* regular files (large_file) */
	uint32_t i_faddr;
	uint16_t i_blocks_hi;
	uint16_t i_file_acl_high;
	uint16_t i_uid_high;
	uint16_t i_gid_high;
	uint32_t i_reserved2;
	/* 256-byte inodes: */
	uint16_t i_extra_isize;
};
_Static_assert(offsetof(struct ext2_inode, i_block) == 40, "ext2_inode");
_Static_assert(offsetof(struct ext2_inode, i_uid_high) == 120, "ext2_inode");
_Static_assert(offsetof(struct ext2_inode, i_extra_isize) == 128, "ext2_inode");

struct ext2_dirent {
	uint32_t inode;
	uint16_t rec_len;
	uint8_t name_len;
	uint8_t file_type;
	char name[];
};
#define EXT2_DIRENT_HEAD 8
#define EXT2_REC_LEN(n)  ((EXT2_DIRENT_HEAD + (n) + 3) & ~3u)

/* An extended-attribute block's header (ext_attr): only its reference
 * count matters here, when an inode that shares it goes away. */
struct ext2_xattr_head {
	uint32_t h_magic; /* 0xEA020000 */
	uint32_t h_refcount;
	uint32_t h_blocks;
};
#define EXT2_XATTR_MAGIC 0xEA020000u

#endif
