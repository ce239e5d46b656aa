// HDF5's C API (Debian's libhdf5-dev installs the serial build under hdf5/serial; the
// pkg-config file "hdf5" adds that include path).
#include <hdf5.h>

// HDF5 spells these as macros that call into the library, which Swift cannot import;
// these wrappers expose them as functions.
static inline hid_t chdf5_default(void) { return H5P_DEFAULT; }
static inline hid_t chdf5_all(void) { return H5S_ALL; }
static inline hid_t chdf5_native_float(void) { return H5T_NATIVE_FLOAT; }
static inline hid_t chdf5_native_int64(void) { return H5T_NATIVE_INT64; }
static inline hid_t chdf5_c_s1(void) { return H5T_C_S1; }
static inline hid_t chdf5_link_create_plist(void) { return H5P_LINK_CREATE; }
static inline unsigned chdf5_acc_trunc(void) { return H5F_ACC_TRUNC; }
static inline unsigned chdf5_acc_rdonly(void) { return H5F_ACC_RDONLY; }
static inline size_t chdf5_variable(void) { return H5T_VARIABLE; }
/// Silences HDF5's automatic error-stack printing on stderr; errors still return < 0.
static inline void chdf5_silence_errors(void) { H5Eset_auto2(H5E_DEFAULT, NULL, NULL); }
