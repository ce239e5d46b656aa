// Open MPI's C API (Debian's libopenmpi-dev; the pkg-config file "ompi-c" adds the paths).
#include <mpi.h>
#include <stdint.h>

// MPI spells its communicators, types and operations as macros over library globals, which
// Swift cannot import; these wrappers are the few calls SwiftKeras's communicator makes.
// Each returns MPI_SUCCESS (0) or an MPI error code: errors are returned, not fatal.

/// Starts MPI (once; a program started without mpirun becomes a one-rank "singleton") and
/// reports this process's rank and the number of ranks.
static inline int skmpi_init(int *rank, int *size) {
  int started = 0;
  MPI_Initialized(&started);
  if (!started) {
    int provided = 0;
    int status = MPI_Init_thread(NULL, NULL, MPI_THREAD_SERIALIZED, &provided);
    if (status != MPI_SUCCESS) return status;
  }
  MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_RETURN);
  int status = MPI_Comm_rank(MPI_COMM_WORLD, rank);
  if (status != MPI_SUCCESS) return status;
  return MPI_Comm_size(MPI_COMM_WORLD, size);
}

/// Ends MPI if it was started and not yet ended.
static inline void skmpi_finalize(void) {
  int started = 0, finished = 0;
  MPI_Initialized(&started);
  MPI_Finalized(&finished);
  if (started && !finished) MPI_Finalize();
}

/// Ends every rank of the job with `code` (used when a collective never completes).
static inline void skmpi_abort(int code) { MPI_Abort(MPI_COMM_WORLD, code); }

static inline int skmpi_barrier(void) { return MPI_Barrier(MPI_COMM_WORLD); }

/// Every rank's `count` floats, concatenated in rank order into `received`.
static inline int skmpi_allgather_floats(const float *sent, float *received, int count) {
  return MPI_Allgather(sent, count, MPI_FLOAT, received, count, MPI_FLOAT, MPI_COMM_WORLD);
}

/// Every rank's `count` doubles, concatenated in rank order into `received`.
static inline int skmpi_allgather_doubles(const double *sent, double *received, int count) {
  return MPI_Allgather(sent, count, MPI_DOUBLE, received, count, MPI_DOUBLE, MPI_COMM_WORLD);
}

/// Every rank's `count` 64-bit integers, concatenated in rank order into `received`.
static inline int skmpi_allgather_int64(const int64_t *sent, int64_t *received, int count) {
  return MPI_Allgather(
      sent, count, MPI_INT64_T, received, count, MPI_INT64_T, MPI_COMM_WORLD);
}

/// Sums `count` floats across ranks in place with MPI's own algorithm.
static inline int skmpi_allreduce_sum_floats(float *values, int count) {
  return MPI_Allreduce(MPI_IN_PLACE, values, count, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
}

/// Sends `count` bytes from `root` to every rank.
static inline int skmpi_broadcast_bytes(void *bytes, int count, int root) {
  return MPI_Bcast(bytes, count, MPI_BYTE, root, MPI_COMM_WORLD);
}

/// MPI's description of an error code, into `text` (at most `capacity` bytes).
static inline void skmpi_error_string(int code, char *text, int capacity) {
  int length = 0;
  char message[MPI_MAX_ERROR_STRING];
  if (MPI_Error_string(code, message, &length) != MPI_SUCCESS) length = 0;
  if (capacity <= 0) return;
  if (length >= capacity) length = capacity - 1;
  for (int i = 0; i < length; i++) text[i] = message[i];
  text[length] = 0;
}
