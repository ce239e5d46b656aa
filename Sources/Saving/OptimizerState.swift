import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// An optimizer's state in Keras's HDF5 layout: group `optimizer/vars` named after the
/// optimizer, dataset `0` the iteration count (int64), `1` the learning rate, then the
/// slot variables (momentums, velocities, ...) in Keras's order.
enum OptimizerState {
  /// The group holding the optimizer's datasets.
  static let varsPath = "optimizer/vars"

  /// Writes `optimizer`'s state; an optimizer that has not been built yet has no slots,
  /// so only the iteration count and learning rate are written.
  static func write(_ optimizer: any Optimizer, to file: HDF5File) throws {
    try file.createGroup(varsPath)
    try file.setStringAttribute("name", optimizer.name, on: varsPath)
    try file.writeInt64Scalar("\(varsPath)/0", Int64(optimizer.iterations))
    try file.writeDataset("\(varsPath)/1", Tensor(optimizer.learningRate))
    for (index, variable) in optimizer.stateVariables().enumerated() {
      try file.writeDataset("\(varsPath)/\(index + 2)", variable.untrackedValue)
    }
  }

  /// Builds `optimizer` for `variables` and restores the state saved in `file`.
  ///
  /// - Throws: when the file's slot count or shapes do not match the optimizer's.
  static func read(into optimizer: any Optimizer, variables: [Variable], from file: HDF5File) throws
  {
    guard file.exists(varsPath) else { return }
    try optimizer.build(variables: variables)
    let slots = optimizer.stateVariables()
    let stored = try file.children(of: varsPath)
    guard stored.count == slots.count + 2 else {
      throw SwiftKerasError(
        .invalidData,
        "'\(file.path)': optimizer '\(optimizer.name)' has \(slots.count + 2) variables for this model, the file has \(stored.count)"
      )
    }
    let iterations = try file.readDataset("\(varsPath)/0", expectedShape: [])
    let learningRate = try file.readDataset("\(varsPath)/1", expectedShape: [])
    let values = try slots.enumerated().map { index, slot in
      try file.readDataset("\(varsPath)/\(index + 2)", expectedShape: slot.shape)
    }
    try optimizer.loadStateValues(values)
    let count = iterations.scalars[0]
    guard let exact = Int(exactly: count.rounded(.towardZero)), exact >= 0 else {
      throw SwiftKerasError(
        .invalidData, "'\(file.path)': optimizer iteration count \(count) is invalid")
    }
    optimizer.iterations = exact
    optimizer.learningRate = learningRate.scalars[0]
  }
}
