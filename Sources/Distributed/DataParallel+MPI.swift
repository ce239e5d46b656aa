import SwiftKerasModels
import SwiftKerasTraining

extension DataParallel {
  /// Data-parallel training over the ranks `mpirun` started (one rank without it).
  ///
  /// ```swift
  /// let strategy = try DataParallel.mpi()
  /// try model.fit(x: xTrain, y: yTrain, batchSize: 256, epochs: 5, distribution: strategy)
  /// ```
  ///
  /// - Parameters:
  ///   - bucketBytes: the most gradient bytes summed by one collective.
  ///   - timeout: how long a collective may wait for the other ranks before the job is
  ///     ended (a rank has stopped or hangs).
  /// - Throws: ``SwiftKerasError`` when MPI cannot start.
  public static func mpi(bucketBytes: Int = 16 << 20, timeout: Duration = .seconds(120)) throws
    -> DataParallel
  {
    DataParallel(
      communicator: try MPICommunicator.world(timeout: timeout), bucketBytes: bucketBytes)
  }
}
