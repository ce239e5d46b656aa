import Foundation
import Synchronization

/// The settings that tune the kernels while a program runs, as one value: read from the
/// environment when first used (so a benchmark or CI job can set them without code), and
/// settable from code. Changing them never changes a model's results beyond rounding.
///
/// ```swift
/// RuntimeOptions.current.convolutionAlgorithm = .im2col   // compare against Winograd
/// ```
///
/// | environment variable | field |
/// | --- | --- |
/// | `SWIFTKERAS_CONV_ALGORITHM=im2col` | ``convolutionAlgorithm`` |
/// | `SWIFTKERAS_WINOGRAD_TILE=2` or `4` | ``winogradTile`` |
/// | `SWIFTKERAS_BLAS_PARALLEL_THRESHOLD=n` | ``blasParallelThreshold`` |
public struct RuntimeOptions: Sendable, Equatable {
  /// How 2-D convolutions are computed (automatic by default).
  public var convolutionAlgorithm = ConvolutionAlgorithmPolicy.automatic
  /// Forces Winograd's output tile (2 or 4); nil picks per shape.
  public var winogradTile: Int?
  /// Matrix products with fewer multiply-adds than this run on one OpenBLAS thread.
  public var blasParallelThreshold = 1 << 24
  /// The largest tensor a layer weight, a metric's state or a decoded dataset may take,
  /// in bytes (4 GiB): a larger request throws before anything is allocated.
  public var maximumTensorBytes = 4 << 30
  /// The most weight bytes a model config (JSON or `.keras`) may ask for in all (1 GiB),
  /// so a few bytes of config cannot drive the process to gigabytes. Raise it to load
  /// larger models.
  public var maximumConfigWeightBytes = 1 << 30

  /// The defaults.
  public init() {}

  /// The defaults with the environment's overrides (see the table above); malformed values
  /// are ignored.
  public static func fromEnvironment(_ environment: [String: String]) -> RuntimeOptions {
    var options = RuntimeOptions()
    if environment["SWIFTKERAS_CONV_ALGORITHM"] == "im2col" {
      options.convolutionAlgorithm = .im2col
    }
    if let tile = environment["SWIFTKERAS_WINOGRAD_TILE"].flatMap(Int.init), [2, 4].contains(tile) {
      options.winogradTile = tile
    }
    if let threshold = environment["SWIFTKERAS_BLAS_PARALLEL_THRESHOLD"].flatMap(Int.init) {
      options.blasParallelThreshold = threshold
    }
    return options
  }

  private static let shared = Mutex(
    RuntimeOptions.fromEnvironment(ProcessInfo.processInfo.environment))

  /// Throws unless a tensor of `shape` is within ``maximumTensorBytes``: every extent
  /// non-negative, the element count an `Int`, its bytes within the limit.
  ///
  /// - Returns: the element count.
  public static func checkTensorSize(_ shape: [Int], of what: @autoclosure () -> String) throws
    -> Int
  {
    let limit = current.maximumTensorBytes
    guard let count = Tensor.checkedElementCount(shape),
      count <= limit / MemoryLayout<Float>.stride
    else {
      throw SwiftKerasError(
        .invalidArgument,
        "\(what()): shape \(shape) needs more than the \(limit) bytes a tensor may take (RuntimeOptions.maximumTensorBytes)"
      )
    }
    return count
  }

  /// The options in force, for every thread.
  public static var current: RuntimeOptions {
    get { shared.withLock { $0 } }
    set { shared.withLock { $0 = newValue } }
  }
}
