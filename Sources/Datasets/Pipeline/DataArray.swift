import SwiftKerasCore

/// One array of a dataset element: float values (a ``Tensor``), bytes, or strings.
///
/// Bytes are how images and IDX files stay in memory: one byte per pixel instead of four.
/// They become floats only when a batch is formed (``Dataset/batch(_:dropRemainder:)``),
/// so a map or a `Rescaling` layer sees a float batch. Strings are what
/// `textDatasetFromDirectory`
/// yields; a model cannot take them directly.
public struct DataArray: @unchecked Sendable {
  /// How the values are held.
  public enum Storage {
    /// Float values.
    case float(Tensor)
    /// Bytes `offset..<offset + count` of a shared block, row-major.
    case bytes(ByteBlock, offset: Int)
    /// Strings, row-major.
    case strings([String])
  }

  /// The extent of each axis.
  public let shape: [Int]
  /// The values.
  public let storage: Storage

  /// A float array (no copy: tensors share their buffer).
  public init(_ tensor: Tensor) {
    shape = tensor.shape
    storage = .float(tensor)
  }

  /// A byte array of `shape` viewing `block` from `offset`.
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidArgument` if the view runs past the block.
  public init(shape: [Int], bytes block: ByteBlock, offset: Int = 0) throws {
    guard let count = Tensor.checkedElementCount(shape), offset >= 0,
      offset <= block.bytes.count, count <= block.bytes.count - offset
    else {
      throw SwiftKerasError(
        .invalidArgument,
        "DataArray: shape \(shape) from byte \(offset) does not fit a block of \(block.bytes.count) bytes"
      )
    }
    self.shape = shape
    storage = .bytes(block, offset: offset)
  }

  /// A string array of `shape`.
  ///
  /// - Throws: ``SwiftKerasError`` `.shapeMismatch` if the count does not fit the shape.
  public init(shape: [Int], strings: [String]) throws {
    guard Tensor.checkedElementCount(shape) == strings.count else {
      throw SwiftKerasError(
        .shapeMismatch, "DataArray: shape \(shape) does not hold \(strings.count) strings")
    }
    self.shape = shape
    storage = .strings(strings)
  }

  /// The number of values.
  public var count: Int { Tensor.checkedElementCount(shape) ?? 0 }

  /// Whether the values are strings.
  public var isStrings: Bool {
    if case .strings = storage { return true }
    return false
  }

  /// The values as floats (bytes convert exactly, 0...255).
  ///
  /// - Throws: ``SwiftKerasError`` `.invalidArgument` for strings, which need a lookup first.
  public func tensor() throws -> Tensor {
    switch storage {
    case .float(let tensor): return tensor
    case .bytes(let block, let offset):
      return block.bytes.withUnsafeBufferPointer { source in
        Tensor(shape: shape) { out in
          guard let from = source.baseAddress, let to = out.baseAddress else { return }
          DataArray.convert(from + offset, to, count: out.count)
        }
      }
    case .strings:
      throw SwiftKerasError(
        .invalidArgument,
        "a dataset array of strings (shape \(shape)) cannot be used as a tensor; map the strings to numbers first"
      )
    }
  }

  /// The strings, or nil for numbers.
  public var strings: [String]? {
    if case .strings(let values) = storage { return values }
    return nil
  }

  /// The number of rows along the first axis (0 for a scalar).
  var rowCount: Int { shape.first ?? 0 }

  /// Row `index` along the first axis, without the axis.
  func row(_ index: Int) -> DataArray {
    let rowShape = Array(shape.dropFirst())
    let rowSize = Tensor.checkedElementCount(rowShape) ?? 0
    switch storage {
    case .float(let tensor):
      return DataArray(tensor[index])
    case .bytes(let block, let offset):
      return DataArray(unchecked: rowShape, .bytes(block, offset: offset + index * rowSize))
    case .strings(let values):
      return DataArray(
        unchecked: rowShape,
        .strings(Array(values[(index * rowSize)..<((index + 1) * rowSize)])))
    }
  }

  /// The rows at `indices` as one batch: bytes become floats here.
  func gatherRows(_ indices: [Int]) -> DataArray {
    let rowShape = Array(shape.dropFirst())
    let rowSize = Tensor.checkedElementCount(rowShape) ?? 0
    switch storage {
    case .float(let tensor):
      return DataArray(tensor.gathering(rows: indices))
    case .bytes(let block, let offset):
      let tensor = block.bytes.withUnsafeBufferPointer { source in
        Tensor(shape: [indices.count] + rowShape) { out in
          guard let from = source.baseAddress, let to = out.baseAddress else { return }
          for (row, index) in indices.enumerated() {
            DataArray.convert(from + offset + index * rowSize, to + row * rowSize, count: rowSize)
          }
        }
      }
      return DataArray(tensor)
    case .strings(let values):
      return DataArray(
        unchecked: [indices.count] + rowShape,
        .strings(indices.flatMap { values[($0 * rowSize)..<(($0 + 1) * rowSize)] }))
    }
  }

  /// Stacks equally shaped arrays along a new first axis: bytes become floats here.
  ///
  /// - Throws: ``SwiftKerasError`` `.shapeMismatch` if shapes or kinds differ.
  static func stack(_ arrays: [DataArray], context: String) throws -> DataArray {
    guard let first = arrays.first else {
      throw SwiftKerasError(.invalidArgument, "\(context): no elements to batch")
    }
    for (i, array) in arrays.enumerated() where array.shape != first.shape {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(context): element \(i) has shape \(array.shape) but element 0 has \(first.shape); batch elements must have equal shapes (resize or pad them first)"
      )
    }
    let shape = [arrays.count] + first.shape
    if first.isStrings {
      var values: [String] = []
      for (i, array) in arrays.enumerated() {
        guard let strings = array.strings else {
          throw SwiftKerasError(
            .shapeMismatch, "\(context): element \(i) holds numbers but element 0 strings")
        }
        values += strings
      }
      return DataArray(unchecked: shape, .strings(values))
    }
    let size = first.count
    _ = try RuntimeOptions.checkTensorSize(shape, of: context)
    var tensors: [Tensor] = []
    tensors.reserveCapacity(arrays.count)
    for (i, array) in arrays.enumerated() {
      guard !array.isStrings else {
        throw SwiftKerasError(
          .shapeMismatch, "\(context): element \(i) holds strings but element 0 numbers")
      }
      tensors.append(try array.tensor())
    }
    let stacked = Tensor(shape: shape) { out in
      for (i, tensor) in tensors.enumerated() {
        tensor.withUnsafeBufferPointer { source in
          for j in 0..<size { out[i * size + j] = source[j] }
        }
      }
    }
    return DataArray(stacked)
  }

  /// The rows of `arrays` one after the other (for concatenating batches).
  static func concatenateRows(_ arrays: [DataArray], context: String) throws -> DataArray {
    guard let first = arrays.first else {
      throw SwiftKerasError(.invalidArgument, "\(context): nothing to concatenate")
    }
    if arrays.count == 1 { return first }
    let rows = arrays.flatMap { array in (0..<array.rowCount).map { array.row($0) } }
    return try stack(rows, context: context)
  }

  /// Bytes to floats over plain pointers, a loop the compiler vectorises.
  @inline(__always)
  private static func convert(
    _ source: UnsafePointer<UInt8>, _ target: UnsafeMutablePointer<Float>, count: Int
  ) {
    for i in 0..<count { target[i] = Float(source[i]) }
  }

  private init(unchecked shape: [Int], _ storage: Storage) {
    self.shape = shape
    self.storage = storage
  }
}

/// Bytes shared by many ``DataArray`` views (a whole IDX file, a decoded image), never
/// written after creation.
public final class ByteBlock: Sendable {
  /// The bytes.
  public let bytes: [UInt8]

  /// Wraps `bytes`.
  public init(_ bytes: [UInt8]) { self.bytes = bytes }
}
