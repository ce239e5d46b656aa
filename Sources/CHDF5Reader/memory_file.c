#include "memory_file.h"

#include <hdf5.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  const unsigned char *image;
  size_t length;
} memory_file_info;

typedef struct {
  H5FD_t base;  // must come first: HDF5 reads the public fields through this prefix
  memory_file_info info;
  haddr_t end_of_allocation;
  unsigned offset_size;  // bytes of a file address, from the superblock
  unsigned length_size;  // bytes of a length, from the superblock
} memory_file;

/// The little-endian unsigned integer of `width` bytes at `position`, or UINT64_MAX when
/// it does not lie inside the image.
static uint64_t read_unsigned(const memory_file *file, uint64_t position, unsigned width) {
  if (width == 0 || width > 8 || position > file->info.length ||
      width > file->info.length - position)
    return UINT64_MAX;
  uint64_t value = 0;
  for (unsigned i = 0; i < width; i++)
    value |= (uint64_t)file->info.image[position + i] << (8 * i);
  return value;
}

/// Whether the local heap whose prefix ("HEAP") starts at `address` has a free list that
/// libhdf5 1.10.8 can walk: every block inside the data segment and no cycle. A cycle
/// makes that version allocate a list entry per step forever (found by fuzz-weights).
static int local_heap_is_sound(const memory_file *file, uint64_t address) {
  unsigned length = file->length_size, offset = file->offset_size;
  uint64_t segment_size = read_unsigned(file, address + 8, length);
  uint64_t block = read_unsigned(file, address + 8 + length, length);
  uint64_t segment = read_unsigned(file, address + 8 + 2 * length, offset);
  if (segment_size == UINT64_MAX || block == UINT64_MAX || segment == UINT64_MAX) return 0;
  uint64_t none = length == 8 ? UINT64_MAX : (((uint64_t)1 << (8 * length)) - 1);
  // A free block holds its successor's offset and its own size: 2 lengths at least.
  uint64_t most_blocks = segment_size / (2 * length) + 1;
  for (uint64_t steps = 0; block != 1 && block != none; steps++) {
    if (steps > most_blocks || block > segment_size || 2 * length > segment_size - block)
      return 0;
    block = read_unsigned(file, segment + block, length);
    if (block == UINT64_MAX) return 0;
  }
  return 1;
}

static H5FD_t *memory_file_open(const char *name, unsigned flags, hid_t access, haddr_t maxaddr) {
  (void)name;
  (void)maxaddr;
  if (flags & (H5F_ACC_RDWR | H5F_ACC_TRUNC | H5F_ACC_CREAT)) return NULL;  // read-only
  const memory_file_info *info = H5Pget_driver_info(access);
  if (info == NULL || info->image == NULL) return NULL;
  memory_file *file = calloc(1, sizeof(memory_file));
  if (file == NULL) return NULL;
  file->info = *info;
  // Address and length sizes: bytes 13-14 of a version 0/1 superblock, 9-10 of 2/3.
  file->offset_size = file->length_size = 8;
  if (info->length > 14) {
    unsigned version = info->image[8];
    unsigned at = version < 2 ? 13 : 9;
    file->offset_size = info->image[at];
    file->length_size = info->image[at + 1];
  }
  return &file->base;
}

static herr_t memory_file_close(H5FD_t *file) {
  free(file);
  return 0;
}

static int memory_file_compare(const H5FD_t *a, const H5FD_t *b) {
  const unsigned char *left = ((const memory_file *)a)->info.image;
  const unsigned char *right = ((const memory_file *)b)->info.image;
  return left < right ? -1 : (left > right ? 1 : 0);
}

static herr_t memory_file_query(const H5FD_t *file, unsigned long *flags) {
  (void)file;
  // Deliberately no H5FD_FEAT_ACCUMULATE_METADATA (see memory_file.h) and no aggregation:
  // the file is only ever read.
  *flags = 0;
  return 0;
}

static haddr_t memory_file_get_eoa(const H5FD_t *file, H5FD_mem_t type) {
  (void)type;
  return ((const memory_file *)file)->end_of_allocation;
}

static herr_t memory_file_set_eoa(H5FD_t *file, H5FD_mem_t type, haddr_t address) {
  (void)type;
  ((memory_file *)file)->end_of_allocation = address;
  return 0;
}

static haddr_t memory_file_get_eof(const H5FD_t *file, H5FD_mem_t type) {
  (void)type;
  return (haddr_t)((const memory_file *)file)->info.length;
}

static herr_t memory_file_read(
    H5FD_t *base, H5FD_mem_t type, hid_t transfer, haddr_t address, size_t size, void *buffer) {
  (void)transfer;
  const memory_file *file = (const memory_file *)base;
  if (buffer == NULL && size > 0) return -1;
  if (address == HADDR_UNDEF || address > file->end_of_allocation ||
      size > file->end_of_allocation - address)
    return -1;
  if (type == H5FD_MEM_LHEAP && address <= file->info.length && file->info.length - address >= 8 &&
      memcmp(file->info.image + address, "HEAP", 4) == 0 && !local_heap_is_sound(file, address))
    return -1;
  // As the sec2 driver does, bytes between the end of the image and the end of the
  // allocated address space read as zeros.
  size_t available = address < file->info.length ? file->info.length - (size_t)address : 0;
  size_t copied = size < available ? size : available;
  if (copied > 0) memcpy(buffer, file->info.image + address, copied);
  if (copied < size) memset((unsigned char *)buffer + copied, 0, size - copied);
  return 0;
}

static herr_t memory_file_write(
    H5FD_t *file, H5FD_mem_t type, hid_t transfer, haddr_t address, size_t size,
    const void *buffer) {
  (void)file;
  (void)type;
  (void)transfer;
  (void)address;
  (void)size;
  (void)buffer;
  return -1;
}

static const H5FD_class_t memory_file_class = {
    .name = "swiftkeras-memory",
    .maxaddr = (haddr_t)(((uint64_t)1 << 62) - 1),
    .fc_degree = H5F_CLOSE_WEAK,
    .fapl_size = sizeof(memory_file_info),
    .open = memory_file_open,
    .close = memory_file_close,
    .cmp = memory_file_compare,
    .query = memory_file_query,
    .get_eoa = memory_file_get_eoa,
    .set_eoa = memory_file_set_eoa,
    .get_eof = memory_file_get_eof,
    .read = memory_file_read,
    .write = memory_file_write,
    .fl_map = H5FD_FLMAP_DICHOTOMY,
};

int64_t swiftkeras_hdf5_open_memory(const void *image, size_t length) {
  // Callers hold SwiftKeras's process-wide HDF5 lock, so registering once is race-free.
  static hid_t driver = -1;
  if (driver < 0) driver = H5FDregister(&memory_file_class);
  if (driver < 0 || image == NULL) return -1;
  hid_t access = H5Pcreate(H5P_FILE_ACCESS);
  if (access < 0) return -1;
  memory_file_info info = {image, length};
  hid_t file = -1;
  if (H5Pset_driver(access, driver, &info) >= 0)
    file = H5Fopen("swiftkeras-in-memory.h5", H5F_ACC_RDONLY, access);
  H5Pclose(access);
  return file;
}
