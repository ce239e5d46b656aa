#ifndef SWIFTKERAS_HDF5_MEMORY_FILE_H
#define SWIFTKERAS_HDF5_MEMORY_FILE_H

#include <stddef.h>
#include <stdint.h>

/// Opens the HDF5 file held in `length` bytes at `image` read-only through SwiftKeras's own
/// in-memory file driver, and returns its file id (< 0 on failure). The bytes are not
/// copied: they must stay valid and unchanged until the file is closed.
///
/// Why a driver of our own rather than HDF5's core driver: the core and sec2 drivers turn on
/// HDF5's metadata accumulator, and libhdf5 1.10.8 leaves that accumulator pointing at NULL
/// after a failed allocation (a corrupt heap size asks for exabytes), then copies from it
/// on the next read: a crash no caller can prevent. This driver does not advertise
/// metadata accumulation, so every read goes straight to a bounds-checked copy from
/// `image`, and an absurd size fails HDF5's end-of-allocation check instead.
int64_t swiftkeras_hdf5_open_memory(const void *image, size_t length);

#endif
