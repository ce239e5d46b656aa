import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// Where each layer's variables live in a Keras 3 weights file, as `saving_lib` lays them
/// out: a layer at path `p` keeps its variables as datasets `p/vars/0`, `p/vars/1`, ...
/// (trainable ones first, in creation order), the group `p/vars` carries the layer's name
/// in its `name` attribute, and a Sequential or functional model's layers sit under
/// `p/layers/<snake_case class name>` (`dense`, `dense_1`, ... in ``Model/layers`` order).
/// The top-level model's own group is `vars`.
struct WeightsLayout {
  /// One layer's entry: its group path (empty for the top level) and its variables.
  struct Entry {
    /// The entry's path, e.g. `layers/dense_1` (empty for the model itself).
    let path: String
    /// The layer whose variables these are.
    let layer: Layer
    /// The layer's own variables in Keras order.
    let variables: [Variable]

    /// The path of the group holding the datasets.
    var varsPath: String { path.isEmpty ? "vars" : "\(path)/vars" }
  }

  /// Every layer's entry, parents before children; a layer shared twice appears once.
  private(set) var entries: [Entry] = []

  /// Lays out `model` and everything nested inside it.
  init(model: Layer) {
    var visited = Set<ObjectIdentifier>()
    visit(model, path: "", visited: &visited)
  }

  private mutating func visit(_ layer: Layer, path: String, visited: inout Set<ObjectIdentifier>) {
    guard visited.insert(ObjectIdentifier(layer)).inserted else { return }
    // Keras stores `_trainable_variables + _non_trainable_variables`, whatever the
    // layer's `trainable` flag says.
    let own = layer.ownWeights.filter { $0.trainable } + layer.ownWeights.filter { !$0.trainable }
    entries.append(Entry(path: path, layer: layer, variables: own))
    if let named = layer.savedSublayers {
      // Wrappers and recurrent layers keep nested layers under their attribute names.
      for (child, sublayer) in named {
        visit(sublayer, path: path.isEmpty ? child : "\(path)/\(child)", visited: &visited)
      }
      return
    }
    let children = (layer as? Model)?.layers ?? layer.sublayers
    guard !children.isEmpty else { return }
    var names = KerasUniqueNames()
    let container = path.isEmpty ? "layers" : "\(path)/layers"
    for child in children {
      visit(
        child, path: "\(container)/\(names.next(snakeCase(child.className)))",
        visited: &visited)
    }
  }

  /// Writes every entry to `file`.
  func write(to file: HDF5File) throws {
    for entry in entries {
      try file.createGroup(entry.varsPath)
      try file.setStringAttribute("name", entry.layer.name, on: entry.varsPath)
      for (index, variable) in entry.variables.enumerated() {
        let path = "\(entry.varsPath)/\(index)"
        let value = variable.untrackedValue
        switch variable.storedType {
        case .float32: try file.writeDataset(path, value)
        case .int64:
          // Integer variables (Normalization's count) keep Keras's int64 dtype, so Keras
          // reads them back into its own int64 variables unchanged.
          try file.writeInt64Dataset(
            path, shape: value.shape,
            value.scalars.map { $0.isFinite ? Int64(exactly: $0.rounded()) ?? 0 : 0 })
        }
      }
    }
  }

  /// Reads a value for every variable from `file`, checking names of datasets, counts
  /// and shapes; nothing is assigned, so a failure leaves the model untouched.
  func read(from file: HDF5File) throws -> [(Variable, Tensor)] {
    var values: [(Variable, Tensor)] = []
    for entry in entries {
      let describe = "layer '\(entry.layer.name)' (\(entry.layer.className)) at '\(entry.varsPath)'"
      guard file.exists(entry.varsPath) else {
        if entry.variables.isEmpty { continue }
        throw SwiftKerasError(
          .invalidData,
          "weights file '\(file.path)' has no weights for \(describe); expected \(entry.variables.count) arrays"
        )
      }
      let stored = try file.children(of: entry.varsPath)
      guard stored.count == entry.variables.count else {
        throw SwiftKerasError(
          .invalidData,
          "weights file '\(file.path)': \(describe) expects \(entry.variables.count) arrays, the file has \(stored.count)"
        )
      }
      for (index, variable) in entry.variables.enumerated() {
        let datasetPath = "\(entry.varsPath)/\(index)"
        guard stored.contains(String(index)) else {
          throw SwiftKerasError(
            .invalidData,
            "weights file '\(file.path)': \(describe) is missing dataset '\(datasetPath)'")
        }
        values.append((variable, try file.readDataset(datasetPath, expectedShape: variable.shape)))
      }
    }
    return values
  }
}
