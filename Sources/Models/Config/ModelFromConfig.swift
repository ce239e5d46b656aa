import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

/// Rebuilds a model from the JSON `model.to_json()` writes (Keras's or ``Model/toJSON()``),
/// as `keras.models.model_from_json`. The weights are fresh; load them with
/// ``Model/loadWeights(from:)``.
///
/// - Throws: for invalid JSON, a config that is not a Sequential or functional model, a
///   layer class that is not supported (the error lists the supported ones; see
///   ``registerCustomLayer(name:factory:)``), or an inconsistent graph.
public func modelFromJSON(_ json: String) throws -> Model {
  let value: ConfigValue
  do {
    value = try JSONDecoder().decode(ConfigValue.self, from: Data(json.utf8))
  } catch {
    throw SwiftKerasError(.invalidData, "model JSON is not valid JSON: \(error)")
  }
  return try modelFromConfig(value)
}

/// Rebuilds a model from its serialized config (`{"class_name": "Sequential" or
/// "Functional", "config": {...}}`), as `keras.saving.deserialize_keras_object`.
///
/// - Throws: as ``modelFromJSON(_:)``.
public func modelFromConfig(_ serialized: ConfigValue) throws -> Model {
  try WeightBudget.withBudget(RuntimeOptions.current.maximumConfigWeightBytes) {
    try buildModel(fromConfig: serialized)
  }
}

/// ``modelFromConfig(_:)`` within the config weight budget.
private func buildModel(fromConfig serialized: ConfigValue) throws -> Model {
  guard let className = serialized["class_name"]?.stringValue,
    let config = serialized["config"]?.objectValue
  else {
    throw SwiftKerasError(
      .invalidData,
      "a model config needs 'class_name' and an object 'config', found \(brief(serialized))")
  }
  switch className {
  case "Sequential":
    return try sequentialFromConfig(config, buildConfig: serialized["build_config"])
  case "Functional", "Model":
    return try functionalFromConfig(config)
  default:
    throw SwiftKerasError(
      .unknownIdentifier,
      "cannot rebuild a model of class '\(className)'; only Sequential and Functional (Model) configs can be rebuilt"
    )
  }
}

private func brief(_ value: ConfigValue) -> String {
  let text = "\(value)"
  return text.count > 120 ? String(text.prefix(120)) + "…" : text
}

/// A layer (or nested model) from one entry of a model config's `layers`.
private func layerFromEntry(_ entry: ConfigValue) throws -> Layer {
  guard let className = entry["class_name"]?.stringValue else {
    throw SwiftKerasError(.invalidData, "a layer entry has no 'class_name': \(brief(entry))")
  }
  if className == "Sequential" || className == "Functional" || className == "Model" {
    return try modelFromConfig(entry)
  }
  guard let config = entry["config"]?.objectValue else {
    throw SwiftKerasError(.invalidData, "layer entry '\(className)' has no object 'config'")
  }
  let lookup = entry["registered_name"]?.stringValue.flatMap {
    LayerRegistry.shared.factory(for: $0) == nil ? nil : $0
  }
  return try LayerRegistry.shared.makeLayer(className: lookup ?? className, config: config)
}

private func shape(_ value: ConfigValue?, what: String) throws -> Shape {
  guard let array = value?.arrayValue else {
    throw SwiftKerasError(
      .invalidData, "\(what) must be a list of dimensions, found \(value.map(brief) ?? "nothing")")
  }
  return try array.map { dim in
    if dim == .null { return nil }
    guard let extent = dim.intValue, extent >= 0 else {
      throw SwiftKerasError(.invalidData, "\(what) has an invalid dimension \(dim)")
    }
    return extent
  }
}

private func inputFromConfig(_ config: [String: ConfigValue]) throws -> KerasTensor {
  let batchShape = try shape(
    config["batch_shape"] ?? config["batch_input_shape"], what: "InputLayer 'batch_shape'")
  guard !batchShape.isEmpty else {
    throw SwiftKerasError(.invalidData, "InputLayer 'batch_shape' must include the batch axis")
  }
  return Input(shape: Array(batchShape.dropFirst()), name: config["name"]?.stringValue)
}

private func sequentialFromConfig(_ config: [String: ConfigValue], buildConfig: ConfigValue?) throws
  -> Sequential
{
  guard let entries = config["layers"]?.arrayValue else {
    throw SwiftKerasError(.invalidData, "Sequential config has no 'layers' list")
  }
  let model = try Sequential(name: config["name"]?.stringValue)
  for entry in entries {
    if entry["class_name"]?.stringValue == "InputLayer" {
      try model.add(try inputFromConfig(entry["config"]?.objectValue ?? [:]))
    } else {
      try model.add(try layerFromEntry(entry))
    }
  }
  if model.inputShape == nil {
    let buildShape = config["build_input_shape"] ?? buildConfig?["input_shape"]
    if let buildShape, buildShape != .null {
      try model.build(inputShape: try shape(buildShape, what: "Sequential 'build_input_shape'"))
    }
  }
  if let trainable = config["trainable"]?.boolValue { model.trainable = trainable }
  return model
}

/// One `keras_history` reference: layer name, node index, tensor index.
private struct TensorReference: Hashable {
  let layer: String
  let node: Int
  let tensor: Int

  init(layer: String, node: Int, tensor: Int) {
    self.layer = layer
    self.node = node
    self.tensor = tensor
  }

  init(_ value: ConfigValue, context: String) throws {
    guard let parts = value.arrayValue, parts.count == 3, let layer = parts[0].stringValue,
      let node = parts[1].intValue, let tensor = parts[2].intValue
    else {
      throw SwiftKerasError(
        .invalidData,
        "\(context): expected [layer_name, node_index, tensor_index], found \(brief(value))")
    }
    self.init(layer: layer, node: node, tensor: tensor)
  }
}

/// The tensor references of one inbound node's arguments (positional ones first, then
/// those of the layer's ``Layer/callKeywords`` given by keyword) and the call's keyword
/// arguments.
private func nodeArguments(_ node: ConfigValue, layer: String, keywords: [String]) throws -> (
  references: [TensorReference], arguments: CallArguments
) {
  let context = "inbound node of layer '\(layer)'"
  guard let args = node["args"]?.arrayValue else {
    throw SwiftKerasError(.invalidData, "\(context) has no 'args'")
  }
  func isTensor(_ value: ConfigValue) -> Bool {
    value["class_name"]?.stringValue == "__keras_tensor__"
  }
  func reference(_ tensor: ConfigValue) throws -> TensorReference {
    guard let history = tensor["config"]?["keras_history"] else {
      throw SwiftKerasError(
        .invalidData, "\(context): argument is not a Keras tensor: \(brief(tensor))")
    }
    return try TensorReference(history, context: context)
  }
  var references: [TensorReference]
  if let list = args.first?.arrayValue {
    references = try list.map(reference)
  } else if keywords.isEmpty {
    guard let first = args.first else {
      throw SwiftKerasError(.invalidData, "\(context) has no 'args'")
    }
    references = [try reference(first)]
  } else {
    references = try args.filter(isTensor).map(reference)
  }
  var arguments = CallArguments()
  let kwargs = node["kwargs"]?.objectValue ?? [:]
  for name in keywords {
    guard let value = kwargs[name], value != .null else { continue }
    if isTensor(value) {
      references.append(try reference(value))
      arguments.tensorKeywords.append(name)
    } else {
      arguments.options[name] = value
    }
  }
  guard !references.isEmpty else {
    throw SwiftKerasError(.invalidData, "\(context) has no tensor arguments")
  }
  return (references, arguments)
}

/// Endpoints (`input_layers`, `output_layers`): one reference or a list of them.
private func endpoints(_ value: ConfigValue?, what: String) throws -> [TensorReference] {
  guard let array = value?.arrayValue, !array.isEmpty else {
    throw SwiftKerasError(.invalidData, "functional config needs a non-empty '\(what)'")
  }
  if array[0].arrayValue == nil { return [try TensorReference(.array(array), context: what)] }
  return try array.map { try TensorReference($0, context: what) }
}

private func functionalFromConfig(_ config: [String: ConfigValue]) throws -> Model {
  guard let entries = config["layers"]?.arrayValue else {
    throw SwiftKerasError(.invalidData, "functional config has no 'layers' list")
  }
  var tensors: [TensorReference: KerasTensor] = [:]
  var pending: [(layer: Layer, name: String, nodes: [ConfigValue], done: Int)] = []
  var names = Set<String>()
  for entry in entries {
    guard let name = entry["name"]?.stringValue ?? entry["config"]?["name"]?.stringValue else {
      throw SwiftKerasError(.invalidData, "a layer entry of the functional config has no 'name'")
    }
    guard names.insert(name).inserted else {
      throw SwiftKerasError(
        .invalidData, "layer name '\(name)' appears twice in the functional config")
    }
    if entry["class_name"]?.stringValue == "InputLayer" {
      var inputConfig = entry["config"]?.objectValue ?? [:]
      inputConfig["name"] = .string(name)
      tensors[TensorReference(layer: name, node: 0, tensor: 0)] = try inputFromConfig(inputConfig)
      continue
    }
    let layer = try layerFromEntry(entry)
    pending.append((layer, name, entry["inbound_nodes"]?.arrayValue ?? [], 0))
  }
  // Call layers in rounds, each node once its inputs exist, as Keras's
  // functional_from_config does.
  var progress = true
  while progress {
    progress = false
    for index in pending.indices {
      while pending[index].done < pending[index].nodes.count {
        let item = pending[index]
        let (references, arguments) = try nodeArguments(
          item.nodes[item.done], layer: item.name,
          keywords: type(of: item.layer).callKeywords)
        let inputs = references.compactMap { tensors[$0] }
        guard inputs.count == references.count else { break }
        let outputs = try item.layer.callOutputs(inputs, arguments: arguments)
        for (position, output) in outputs.enumerated() {
          tensors[TensorReference(layer: item.name, node: item.done, tensor: position)] = output
        }
        pending[index].done += 1
        progress = true
      }
    }
  }
  if let stuck = pending.first(where: { $0.done < $0.nodes.count }) {
    throw SwiftKerasError(
      .invalidData,
      "functional config: layer '\(stuck.name)' reads tensors no layer produces (node \(stuck.done) of \(stuck.nodes.count))"
    )
  }
  func resolve(_ references: [TensorReference], what: String) throws -> [KerasTensor] {
    try references.map { reference in
      guard let tensor = tensors[reference] else {
        throw SwiftKerasError(
          .invalidData,
          "functional config: \(what) refers to '\(reference.layer)' node \(reference.node) tensor \(reference.tensor), which does not exist"
        )
      }
      return tensor
    }
  }
  let inputs = try resolve(
    try endpoints(config["input_layers"], what: "input_layers"), what: "input_layers")
  let outputs = try resolve(
    try endpoints(config["output_layers"], what: "output_layers"), what: "output_layers")
  let model = try Model(inputs: inputs, outputs: outputs, name: config["name"]?.stringValue)
  if let trainable = config["trainable"]?.boolValue { model.trainable = trainable }
  return model
}
