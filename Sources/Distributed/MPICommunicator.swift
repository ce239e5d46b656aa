import CMPI
import Foundation
import SwiftKerasCore
import SwiftKerasTraining
import Synchronization

/// The ranks an `mpirun` started, as one ``Communicator`` over Open MPI's
/// `MPI_COMM_WORLD`. A program started without `mpirun` is a group of one, so the same
/// program runs with and without it.
///
/// ```swift
/// let world = try MPICommunicator.world()
/// print("rank \(world.rank) of \(world.size)")
/// ```
///
/// A collective that has not completed after ``timeout`` means another rank has stopped
/// or hangs: the communicator then prints which operation waited and ends every rank
/// (`MPI_Abort`), so a job never hangs. Open MPI itself ends the job when a rank dies.
public final class MPICommunicator: Communicator, @unchecked Sendable {
  /// This process's rank in `MPI_COMM_WORLD`.
  public let rank: Int
  /// The number of ranks.
  public let size: Int
  /// How long one collective may wait for the other ranks before the job is ended.
  public let timeout: Duration

  /// When the running collective started (monotonic nanoseconds), 0 when none runs.
  private let operationStart = Atomic<UInt64>(0)
  private let operationName = Mutex<String>("")

  private static let shared = Mutex<MPICommunicator?>(nil)

  private init(rank: Int, size: Int, timeout: Duration) {
    self.rank = rank
    self.size = size
    self.timeout = timeout
  }

  /// The communicator of all ranks, starting MPI on first use (and ending it at exit).
  ///
  /// - Parameter timeout: how long a collective may wait for the other ranks (2 minutes
  ///   by default); only the first call's value is used.
  /// - Throws: ``SwiftKerasError`` when MPI cannot start.
  public static func world(timeout: Duration = .seconds(120)) throws -> MPICommunicator {
    try shared.withLock { shared in
      if let shared { return shared }
      var rank: Int32 = 0
      var size: Int32 = 0
      let status = skmpi_init(&rank, &size)
      guard status == 0 else {
        throw SwiftKerasError(.io, "MPI could not start: \(describe(status))")
      }
      atexit { skmpi_finalize() }
      let world = MPICommunicator(rank: Int(rank), size: Int(size), timeout: timeout)
      world.startWatchdog()
      shared = world
      return world
    }
  }

  /// Every rank's `values`, in rank order.
  public func allGather(_ values: [Float]) throws -> [[Float]] {
    try gather(values, "allGather") { skmpi_allgather_floats($0, $1, $2) }
  }

  /// Every rank's `values`, in rank order.
  public func allGather(_ values: [Double]) throws -> [[Double]] {
    try gather(values, "allGather") { skmpi_allgather_doubles($0, $1, $2) }
  }

  /// Every rank's `values`, in rank order.
  public func allGather(_ values: [Int64]) throws -> [[Int64]] {
    try gather(values, "allGather") { skmpi_allgather_int64($0, $1, $2) }
  }

  /// Replaces `bytes` by rank `root`'s.
  public func broadcast(_ bytes: inout [UInt8], from root: Int) throws {
    guard root >= 0 && root < size else {
      throw SwiftKerasError(.invalidArgument, "broadcast: no rank \(root) among \(size)")
    }
    var offset = 0
    repeat {
      let count = Swift.min(bytes.count - offset, Self.chunk)
      try bytes.withUnsafeMutableBytes { buffer in
        try run("broadcast") {
          skmpi_broadcast_bytes(buffer.baseAddress.map { $0 + offset }, Int32(count), Int32(root))
        }
      }
      offset += count
    } while offset < bytes.count
  }

  /// Returns once every rank has called it.
  public func barrier() throws {
    try run("barrier") { skmpi_barrier() }
  }

  /// Prints `reason` and ends every rank (`MPI_Abort`); the other ranks may be waiting
  /// in a collective this rank will never reach.
  public func abort(reason: String) {
    FileHandle.standardError.write(
      Data("SwiftKeras: rank \(rank) of \(size): \(reason); ending every rank.\n".utf8))
    skmpi_abort(1)
  }

  // MARK: - Plumbing

  /// MPI counts are 32-bit: longer buffers go in chunks of this many elements.
  private static let chunk = 1 << 28

  private func gather<T: Numeric>(
    _ values: [T], _ name: String,
    _ call: (UnsafePointer<T>, UnsafeMutablePointer<T>, Int32) -> Int32
  ) throws -> [[T]] {
    var result = [[T]](repeating: [], count: size)
    var offset = 0
    repeat {
      let count = Swift.min(values.count - offset, Self.chunk)
      var received = [T](repeating: 0, count: count * size)
      if count > 0 {
        try values.withUnsafeBufferPointer { sent in
          try received.withUnsafeMutableBufferPointer { into in
            // Non-nil: both buffers hold at least one element here.
            guard let source = sent.baseAddress, let target = into.baseAddress else { return }
            try run(name) { call(source + offset, target, Int32(count)) }
          }
        }
      } else {
        // Every rank still takes part, so an empty gather never leaves another waiting.
        try run(name) { skmpi_barrier() }
      }
      for r in 0..<size { result[r] += received[(r * count)..<((r + 1) * count)] }
      offset += count
    } while offset < values.count
    return result
  }

  /// Runs one collective under the watchdog and turns an MPI error into a thrown one.
  private func run(_ name: String, _ body: () -> Int32) throws {
    operationName.withLock { $0 = name }
    operationStart.store(DispatchTime.now().uptimeNanoseconds, ordering: .releasing)
    let status = body()
    operationStart.store(0, ordering: .releasing)
    guard status == 0 else {
      throw SwiftKerasError(.io, "MPI \(name) failed on rank \(rank): \(Self.describe(status))")
    }
  }

  private func startWatchdog() {
    let limit =
      UInt64(timeout.components.seconds) * 1_000_000_000
      + UInt64(timeout.components.attoseconds / 1_000_000_000)
    let thread = Thread { [self] in
      while true {
        Thread.sleep(forTimeInterval: 0.25)
        let started = operationStart.load(ordering: .acquiring)
        guard started != 0, DispatchTime.now().uptimeNanoseconds - started > limit else { continue }
        let name = operationName.withLock { $0 }
        FileHandle.standardError.write(
          Data(
            "SwiftKeras: rank \(rank): MPI \(name) waited more than \(timeout) for the other ranks; another rank has stopped or hangs. Ending the job.\n"
              .utf8))
        skmpi_abort(3)
      }
    }
    thread.name = "swiftkeras-mpi-watchdog"
    thread.start()
  }

  private static func describe(_ code: Int32) -> String {
    var text = [CChar](repeating: 0, count: 512)
    skmpi_error_string(code, &text, Int32(text.count))
    return String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
  }
}
