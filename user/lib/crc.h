/* The CRC of POSIX cksum: polynomial 0x04C11DB7 over the data, most
 * significant bit first, then over the length, complemented. */
#ifndef USER_LIB_CRC_H
#define USER_LIB_CRC_H

#include <stddef.h>
#include <stdint.h>

/* The register after feeding n more bytes (start from 0). */
uint32_t crc_update(uint32_t crc, const void *p, size_t n);
/* The checksum cksum prints, for a register after len bytes of data. */
uint32_t crc_finish(uint32_t crc, uint64_t len);

#endif
