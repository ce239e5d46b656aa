import SwiftKerasCore

/// The collective operations data-parallel training needs, over a fixed group of
/// processes ("ranks"), as Horovod's and MPI's: all-gather, all-reduce, broadcast and a
/// barrier. Every rank must make the same calls in the same order.
///
/// ``SingleProcessCommunicator`` is the one-process group; `MPICommunicator` (module
/// `SwiftKerasDistributed`) spans the processes an `mpirun` started.
///
/// ```swift
/// var gradients: [Float] = …
/// try communicator.allReduceSum(&gradients)   // every rank now holds the same sum
/// ```
public protocol Communicator: AnyObject {
  /// This process's index in the group, from 0.
  var rank: Int { get }
  /// The number of processes in the group.
  var size: Int { get }

  /// Every rank's `values` (the same length on every rank), in rank order.
  func allGather(_ values: [Float]) throws -> [[Float]]
  /// Every rank's `values` (the same length on every rank), in rank order.
  func allGather(_ values: [Double]) throws -> [[Double]]
  /// Every rank's `values` (the same length on every rank), in rank order.
  func allGather(_ values: [Int64]) throws -> [[Int64]]
  /// Replaces `bytes` on every rank by `root`'s (the same length on every rank).
  func broadcast(_ bytes: inout [UInt8], from root: Int) throws
  /// Returns once every rank has called it.
  func barrier() throws
  /// Ends every rank of the group after printing `reason`, when this rank cannot go on
  /// and the others would wait for it forever; a one-process group returns.
  func abort(reason: String)
}

extension Communicator {
  /// Sums `values` across ranks in place, adding the ranks' contributions in rank order
  /// (0, 1, 2, …) whatever order they arrive in: every rank gets the same bits, and a run
  /// repeats bit for bit.
  public func allReduceSum(_ values: inout [Float]) throws {
    guard size > 1 else { return }
    Self.sumInRankOrder(try allGather(values), into: &values)
  }

  /// Sums `values` across ranks in place, in rank order (see ``allReduceSum(_:)-(inout [Float])``).
  public func allReduceSum(_ values: inout [Double]) throws {
    guard size > 1 else { return }
    Self.sumInRankOrder(try allGather(values), into: &values)
  }

  /// Each element the sum of the ranks' parts, added in rank order: the one summation both
  /// element types share.
  static func sumInRankOrder<T: FloatingPoint>(_ parts: [[T]], into values: inout [T]) {
    for i in values.indices {
      var sum = parts[0][i]
      for part in parts.dropFirst() { sum += part[i] }
      values[i] = sum
    }
  }

  /// Replaces `values` on every rank by `root`'s.
  public func broadcast(_ values: inout [Float], from root: Int) throws {
    var bytes = values.withUnsafeBytes { Array($0) }
    try broadcast(&bytes, from: root)
    bytes.withUnsafeBytes { raw in
      values.withUnsafeMutableBytes { $0.copyMemory(from: raw) }
    }
  }

  /// `root`'s value of `value` on every rank.
  public func broadcast(_ value: UInt64, from root: Int) throws -> UInt64 {
    var bytes = withUnsafeBytes(of: value.littleEndian) { Array($0) }
    try broadcast(&bytes, from: root)
    return UInt64(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
  }
}

/// The group of one process: every collective returns its input. What a program uses
/// when it runs without `mpirun`, so the same code trains with or without MPI.
///
/// ```swift
/// let strategy = DataParallel(communicator: SingleProcessCommunicator())
/// ```
public final class SingleProcessCommunicator: Communicator {
  /// Always 0.
  public let rank = 0
  /// Always 1.
  public let size = 1

  /// A one-process group.
  public init() {}

  /// `[values]`.
  public func allGather(_ values: [Float]) throws -> [[Float]] { [values] }
  /// `[values]`.
  public func allGather(_ values: [Double]) throws -> [[Double]] { [values] }
  /// `[values]`.
  public func allGather(_ values: [Int64]) throws -> [[Int64]] { [values] }
  /// Leaves `bytes` as they are.
  public func broadcast(_ bytes: inout [UInt8], from root: Int) throws {}
  /// Returns at once.
  public func barrier() throws {}
  /// Returns at once: the caller's error reaches its caller.
  public func abort(reason: String) {}
}
