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

/// 1 when the link `name` (a path from `loc`) is an external link into another file, 0
/// when it is not, -1 when it cannot be read. H5Lget_info is a macro on newer HDF5s, so
/// the call is made here.
static inline int chdf5_link_is_external(hid_t loc, const char *name) {
  H5L_info_t info;
  if (H5Lget_info(loc, name, &info, H5P_DEFAULT) < 0) return -1;
  return info.type == H5L_TYPE_EXTERNAL ? 1 : 0;
}

/// Why a dataset's data would come from outside the file, or 0 when it does not: 1 for
/// external raw storage, 2 for a virtual dataset, 3 for a filter other than deflate,
/// shuffle or Fletcher-32 (a user-defined filter runs plugin code); -1 on error.
static inline int chdf5_dataset_storage_problem(hid_t dataset) {
  hid_t plist = H5Dget_create_plist(dataset);
  if (plist < 0) return -1;
  int problem = 0;
  if (H5Pget_external_count(plist) > 0) {
    problem = 1;
  } else if (H5Pget_layout(plist) == H5D_VIRTUAL) {
    problem = 2;
  } else {
    int count = H5Pget_nfilters(plist);
    for (int i = 0; i < count && problem == 0; i++) {
      unsigned flags = 0, config = 0;
      size_t elements = 0;
      H5Z_filter_t filter =
          H5Pget_filter2(plist, (unsigned)i, &flags, &elements, NULL, 0, NULL, &config);
      if (filter != H5Z_FILTER_DEFLATE && filter != H5Z_FILTER_SHUFFLE &&
          filter != H5Z_FILTER_FLETCHER32)
        problem = 3;
    }
  }
  H5Pclose(plist);
  return problem;
}
