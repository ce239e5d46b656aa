import CHDF5
import CHDF5Reader
import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// A thin, throwing wrapper over the parts of HDF5's C API that Keras's weight files use:
/// groups, float datasets and a string attribute per `vars` group.
///
/// Every failure of the C library becomes a ``SwiftKerasError`` naming the file and the
/// object involved; HDF5's own error printing on stderr is silenced.
final class HDF5File {
  /// Debian's HDF5 is the serial, non-thread-safe build: every use of the library goes
  /// through ``withLock(_:)``.
  private static let lock = NSRecursiveLock()

  /// Runs `body` holding the process-wide HDF5 lock.
  static func withLock<R>(_ body: () throws -> R) rethrows -> R {
    lock.lock()
    defer { lock.unlock() }
    return try body()
  }

  /// The file's path on disk, or the name standing for an in-memory file in errors.
  let path: String
  private let id: hid_t
  private var isOpen = true
  /// The bytes a file opened for reading is read from; HDF5 reads them in place until
  /// ``close()``.
  private let image: UnsafeMutableRawBufferPointer?

  private init(path: String, id: hid_t, image: UnsafeMutableRawBufferPointer? = nil) {
    self.path = path
    self.id = id
    self.image = image
  }

  deinit { close() }

  /// Flushes and closes the file; later calls do nothing.
  func close() {
    guard isOpen else { return }
    isOpen = false
    H5Fclose(id)
    image?.deallocate()
  }

  /// Creates (or truncates) a file for writing.
  static func create(at path: String) throws -> HDF5File {
    chdf5_silence_errors()
    let id = H5Fcreate(path, chdf5_acc_trunc(), chdf5_default(), chdf5_default())
    guard id >= 0 else {
      throw SwiftKerasError(.invalidArgument, "cannot create HDF5 file '\(path)'")
    }
    return HDF5File(path: path, id: id)
  }

  /// Opens an existing file read-only. Its bytes are read into memory and parsed there, as
  /// for ``open(image:name:)``.
  static func open(at path: String) throws -> HDF5File {
    guard FileManager.default.fileExists(atPath: path) else {
      throw SwiftKerasError(.invalidArgument, "no such weights file: '\(path)'")
    }
    let bytes = try readFile(path)
    guard hasSignature(bytes) else {
      throw SwiftKerasError(
        .invalidArgument, "'\(path)' is not an HDF5 file (expected a Keras .weights.h5 file)")
    }
    return try open(image: bytes, name: path)
  }

  /// Opens a file held in memory (the weights inside a `.keras` archive) read-only, without
  /// writing it anywhere; `name` stands for it in error messages.
  ///
  /// Reading goes through SwiftKeras's own in-memory driver (`CHDF5Reader`), never HDF5's
  /// file drivers: with those, libhdf5 1.10.8 crashes on some corrupt files.
  static func open(image bytes: Data, name: String) throws -> HDF5File {
    chdf5_silence_errors()
    guard hasSignature(bytes) else {
      throw SwiftKerasError(.invalidData, "'\(name)' is not an HDF5 file")
    }
    let image = UnsafeMutableRawBufferPointer.allocate(byteCount: bytes.count, alignment: 16)
    bytes.withUnsafeBytes { image.copyMemory(from: $0) }
    let id = swiftkeras_hdf5_open_memory(image.baseAddress, image.count)
    guard id >= 0 else {
      image.deallocate()
      throw SwiftKerasError(.invalidData, "cannot open HDF5 file '\(name)'")
    }
    return HDF5File(path: name, id: id, image: image)
  }

  /// Whether `bytes` start with HDF5's 8-byte signature (a superblock at offset 0, as
  /// h5py and Keras write them).
  private static func hasSignature(_ bytes: Data) -> Bool {
    let signature: [UInt8] = [0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A]
    return bytes.count >= 8 && bytes.prefix(8).elementsEqual(signature)
  }

  // MARK: - Writing

  /// Creates the group at `path` (slash-separated), with any missing parent groups.
  func createGroup(_ path: String) throws {
    let plist = H5Pcreate(chdf5_link_create_plist())
    defer { H5Pclose(plist) }
    H5Pset_create_intermediate_group(plist, 1)
    let group = H5Gcreate2(id, path, plist, chdf5_default(), chdf5_default())
    guard group >= 0 else { throw failure("cannot create group '\(path)'") }
    H5Gclose(group)
  }

  /// Attaches a variable-length UTF-8 string attribute, as h5py writes Python strings.
  func setStringAttribute(_ name: String, _ value: String, on objectPath: String) throws {
    let object = H5Oopen(id, objectPath, chdf5_default())
    guard object >= 0 else { throw failure("cannot open '\(objectPath)'") }
    defer { H5Oclose(object) }
    let type = H5Tcopy(chdf5_c_s1())
    defer { H5Tclose(type) }
    H5Tset_size(type, chdf5_variable())
    H5Tset_cset(type, H5T_CSET_UTF8)
    let space = H5Screate(H5S_SCALAR)
    defer { H5Sclose(space) }
    let attribute = H5Acreate2(object, name, type, space, chdf5_default(), chdf5_default())
    guard attribute >= 0 else {
      throw failure("cannot create attribute '\(name)' on '\(objectPath)'")
    }
    defer { H5Aclose(attribute) }
    let status = value.withCString { cString -> herr_t in
      var pointer: UnsafePointer<CChar>? = cString
      return H5Awrite(attribute, type, &pointer)
    }
    guard status >= 0 else { throw failure("cannot write attribute '\(name)' on '\(objectPath)'") }
  }

  /// Writes `tensor` as a float32 dataset at `path` (its group must exist).
  func writeDataset(_ path: String, _ tensor: Tensor) throws {
    let dims = tensor.shape.map { hsize_t($0) }
    let space =
      dims.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil)
    guard space >= 0 else { throw failure("cannot create a dataspace for '\(path)'") }
    defer { H5Sclose(space) }
    let dataset = H5Dcreate2(
      id, path, chdf5_native_float(), space, chdf5_default(), chdf5_default(), chdf5_default())
    guard dataset >= 0 else { throw failure("cannot create dataset '\(path)'") }
    defer { H5Dclose(dataset) }
    let scalars = tensor.scalars
    let status = scalars.withUnsafeBufferPointer { buffer in
      H5Dwrite(
        dataset, chdf5_native_float(), chdf5_all(), chdf5_all(), chdf5_default(), buffer.baseAddress
      )
    }
    guard status >= 0 else { throw failure("cannot write dataset '\(path)'") }
  }

  /// Writes an int64 scalar dataset (Keras stores `optimizer.iterations` so).
  func writeInt64Scalar(_ path: String, _ value: Int64) throws {
    try writeInt64Dataset(path, shape: [], [value])
  }

  /// Writes `values` as an int64 dataset of `shape` at `path` (its group must exist), as
  /// Keras stores its integer variables.
  func writeInt64Dataset(_ path: String, shape: [Int], _ values: [Int64]) throws {
    let dims = shape.map { hsize_t($0) }
    let space =
      dims.isEmpty ? H5Screate(H5S_SCALAR) : H5Screate_simple(Int32(dims.count), dims, nil)
    guard space >= 0 else { throw failure("cannot create a dataspace for '\(path)'") }
    defer { H5Sclose(space) }
    let dataset = H5Dcreate2(
      id, path, chdf5_native_int64(), space, chdf5_default(), chdf5_default(), chdf5_default())
    guard dataset >= 0 else { throw failure("cannot create dataset '\(path)'") }
    defer { H5Dclose(dataset) }
    let status = values.withUnsafeBufferPointer { buffer in
      H5Dwrite(
        dataset, chdf5_native_int64(), chdf5_all(), chdf5_all(), chdf5_default(), buffer.baseAddress
      )
    }
    guard status >= 0 else { throw failure("cannot write dataset '\(path)'") }
  }

  // MARK: - Reading

  /// Whether a link (group or dataset) exists at `path`, checking each parent in turn.
  func exists(_ path: String) -> Bool {
    for prefix in linkPrefixes(of: path) where H5Lexists(id, prefix, chdf5_default()) <= 0 {
      return false
    }
    return true
  }

  /// The names of the links directly inside the group at `path`, sorted.
  func children(of path: String) throws -> [String] {
    let group = H5Gopen2(id, path, chdf5_default())
    guard group >= 0 else { throw failure("'\(path)' is not a group") }
    defer { H5Gclose(group) }
    var info = H5G_info_t()
    guard H5Gget_info(group, &info) >= 0 else { throw failure("cannot list group '\(path)'") }
    var names: [String] = []
    for index in 0..<info.nlinks {
      let length = H5Lget_name_by_idx(
        group, ".", H5_INDEX_NAME, H5_ITER_INC, index, nil, 0, chdf5_default())
      guard length >= 0, length < 4096 else {
        throw failure("cannot read a link name in '\(path)'")
      }
      var buffer = [CChar](repeating: 0, count: Int(length) + 1)
      H5Lget_name_by_idx(
        group, ".", H5_INDEX_NAME, H5_ITER_INC, index, &buffer, buffer.count, chdf5_default())
      names.append(String(cString: buffer))
    }
    return names.sorted()
  }

  /// The shape of the dataset at `path`.
  func datasetShape(_ path: String) throws -> [Int] {
    let dataset = try openDataset(path)
    defer { H5Dclose(dataset) }
    return try shape(of: dataset, path: path)
  }

  /// Opens the dataset at `path`, refusing anything that reads outside this file: an
  /// external link on the way, external raw storage, a virtual dataset, a plugin filter.
  private func openDataset(_ path: String) throws -> hid_t {
    for prefix in linkPrefixes(of: path) {
      if chdf5_link_is_external(id, prefix) == 1 {
        throw SwiftKerasError(
          .invalidData,
          "HDF5 file '\(self.path)': '\(prefix)' is an external link to another file; refused")
      }
    }
    let dataset = H5Dopen2(id, path, chdf5_default())
    guard dataset >= 0 else { throw failure("'\(path)' is not a dataset") }
    let reasons = [
      1: "stores its data in an external file", 2: "is a virtual dataset made of other files",
      3: "needs a filter other than deflate, shuffle or Fletcher-32",
    ]
    let problem = chdf5_dataset_storage_problem(dataset)
    guard problem == 0 else {
      H5Dclose(dataset)
      throw SwiftKerasError(
        .invalidData,
        "HDF5 file '\(self.path)': dataset '\(path)' \(reasons[Int(problem)] ?? "has unreadable storage properties"); refused"
      )
    }
    return dataset
  }

  private func shape(of dataset: hid_t, path: String) throws -> [Int] {
    let space = H5Dget_space(dataset)
    guard space >= 0 else { throw failure("cannot read the shape of '\(path)'") }
    defer { H5Sclose(space) }
    let rank = H5Sget_simple_extent_ndims(space)
    guard rank >= 0, rank <= 32 else { throw failure("dataset '\(path)' has an unreadable rank") }
    var dims = [hsize_t](repeating: 0, count: Int(rank))
    guard H5Sget_simple_extent_dims(space, &dims, nil) >= 0 else {
      throw failure("cannot read the shape of '\(path)'")
    }
    return try dims.map { dim in
      guard dim <= hsize_t(Int32.max) else { throw failure("dataset '\(path)' is too large") }
      return Int(dim)
    }
  }

  /// Reads the numeric dataset at `path` as float32; its shape must be `expectedShape`,
  /// checked before anything is read.
  func readDataset(_ path: String, expectedShape: [Int]) throws -> Tensor {
    let dataset = try openDataset(path)
    defer { H5Dclose(dataset) }
    let found = try shape(of: dataset, path: path)
    guard found == expectedShape else {
      throw SwiftKerasError(
        .shapeMismatch,
        "weights file '\(self.path)': dataset '\(path)' has shape \(found), expected \(expectedShape)"
      )
    }
    let type = H5Dget_type(dataset)
    guard type >= 0 else { throw failure("cannot read the type of '\(path)'") }
    defer { H5Tclose(type) }
    let typeClass = H5Tget_class(type)
    guard typeClass == H5T_FLOAT || typeClass == H5T_INTEGER else {
      throw failure("dataset '\(path)' is not numeric")
    }
    let count = try RuntimeOptions.checkTensorSize(expectedShape, of: "dataset '\(path)'")
    var scalars = [Float](repeating: 0, count: count)
    let status = scalars.withUnsafeMutableBufferPointer { buffer in
      H5Dread(
        dataset, chdf5_native_float(), chdf5_all(), chdf5_all(), chdf5_default(), buffer.baseAddress
      )
    }
    guard status >= 0 else { throw failure("cannot read dataset '\(path)'") }
    return Tensor(shape: expectedShape, scalars: scalars)
  }

  /// Each link on the way to `path`, from the first group down: `a`, `a/b`, `a/b/c`.
  private func linkPrefixes(of path: String) -> [String] {
    var prefix = ""
    return path.split(separator: "/").map { component in
      prefix += prefix.isEmpty ? String(component) : "/\(component)"
      return prefix
    }
  }

  private func failure(_ message: String) -> SwiftKerasError {
    SwiftKerasError(.invalidArgument, "HDF5 file '\(path)': \(message)")
  }
}
