import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining

extension Model {
  /// The model serialized as Keras's `serialize_keras_object(model)`:
  /// `{"module", "class_name", "config", "registered_name", "build_config"}`, with the
  /// config `Sequential.get_config` / `Functional.get_config` write (layers, and for a
  /// functional model each layer's `inbound_nodes` plus `input_layers`/`output_layers`).
  ///
  /// - Throws: for a subclassed model, whose architecture is Swift code, not a config.
  public func serializedConfig() throws -> ConfigValue {
    if case .stack(let inputShape, _) = architecture {
      return try sequentialConfig(inputShape: inputShape)
    }
    guard let graph else {
      throw SwiftKerasError(
        .invalidState,
        "model '\(name)' (\(className)) is a subclassed model; only Sequential and functional models have a config"
      )
    }
    return try functionalConfig(graph)
  }

  /// The architecture as Keras's `model.to_json()` writes it; `keras.models.model_from_json`
  /// and ``modelFromJSON(_:)`` rebuild the model from it (weights are not included).
  ///
  /// - Throws: for a subclassed model.
  public func toJSON() throws -> String {
    let data = try JSONEncoder().encode(try serializedConfig())
    return String(decoding: data, as: UTF8.self)
  }

  private func sequentialConfig(inputShape: Shape?) throws -> ConfigValue {
    var entries: [ConfigValue] = []
    if let shape = inputShape {
      entries.append(
        [
          "module": "keras.layers", "class_name": "InputLayer",
          "config": .object(
            InputLayer(shape: Array(shape.dropFirst()), name: "input_layer").getConfig()),
          "registered_name": nil,
        ])
    }
    for layer in layers {
      entries.append(try serializedLayer(layer))
    }
    var config: [String: ConfigValue] = [
      "name": .string(name), "trainable": .bool(trainable), "dtype": "float32",
      "layers": .array(entries),
    ]
    var result: [String: ConfigValue] = [
      "module": "keras", "class_name": "Sequential", "registered_name": nil,
    ]
    if let shape = inputShape {
      config["build_input_shape"] = shapeValue(shape)
      result["build_config"] = ["input_shape": shapeValue(shape)]
    }
    result["config"] = .object(config)
    return .object(result)
  }

  private func functionalConfig(_ graph: GraphMap) throws -> ConfigValue {
    let relevant = Set(graph.nodes.map { ObjectIdentifier($0) })
    // Keras renumbers each layer's nodes counting only those inside this model.
    func nodeIndex(_ node: Node) -> Int {
      node.layer.inboundNodes.filter { relevant.contains(ObjectIdentifier($0)) }
        .firstIndex { $0 === node } ?? 0
    }
    func history(_ tensor: KerasTensor) -> ConfigValue {
      [.string(tensor.node.layer.name), .int(nodeIndex(tensor.node)), .int(tensor.index)]
    }
    func tensorValue(_ tensor: KerasTensor) -> ConfigValue {
      [
        "class_name": "__keras_tensor__",
        "config": [
          "shape": shapeValue(tensor.shape), "dtype": "float32", "keras_history": history(tensor),
        ],
      ]
    }
    var layers: [ConfigValue] = []
    for layer in graph.layers {
      var entry: [String: ConfigValue]
      if let input = layer as? InputLayer {
        entry = [
          "module": "keras.layers", "class_name": "InputLayer",
          "config": .object(input.getConfig()),
          "registered_name": nil,
        ]
      } else {
        entry = try serializedLayer(layer).objectValue ?? [:]
      }
      entry["name"] = .string(layer.name)
      let nodes = layer.inboundNodes.filter {
        relevant.contains(ObjectIdentifier($0)) && !$0.inputs.isEmpty
      }
      entry["inbound_nodes"] = .array(
        nodes.map { node in
          let keywords = node.arguments.tensorKeywords
          let positional = Array(node.inputs.dropLast(keywords.count))
          var kwargs = node.arguments.options
          for (name, tensor) in zip(keywords, node.inputs.suffix(keywords.count)) {
            kwargs[name] = tensorValue(tensor)
          }
          if type(of: node.layer).takesSeparateInputs {
            // `mha(query, value)`: each tensor its own positional argument.
            return ["args": .array(positional.map(tensorValue)), "kwargs": .object(kwargs)]
          }
          let asList = positional.count > 1 || node.layer is Merge
          let argument: ConfigValue =
            asList ? .array(positional.map(tensorValue)) : tensorValue(positional[0])
          return ["args": [argument], "kwargs": .object(kwargs)]
        })
      layers.append(.object(entry))
    }
    func endpoints(_ tensors: [KerasTensor]) -> ConfigValue {
      tensors.count == 1 ? history(tensors[0]) : .array(tensors.map(history))
    }
    return [
      "module": "keras.src.models.functional", "class_name": "Functional",
      "registered_name": "Functional", "build_config": ["input_shape": nil],
      "config": [
        "name": .string(name), "trainable": .bool(trainable), "layers": .array(layers),
        "input_layers": endpoints(inputs), "output_layers": endpoints(outputs),
      ],
    ]
  }
}

/// A layer as `serialize_keras_object` writes it inside a model config, with the
/// `build_config` Keras uses to build it on load.
func serializedLayer(_ layer: Layer) throws -> ConfigValue {
  if let model = layer as? Model { return try model.serializedConfig() }
  var entry: [String: ConfigValue] = [
    "module": "keras.layers", "class_name": .string(type(of: layer).serializedClassName),
    "config": .object(layer.getConfig()), "registered_name": nil,
  ]
  if let registered = registeredName(of: layer) {
    // A custom layer: Keras looks it up by its registered name.
    entry["module"] = nil
    entry["registered_name"] = .string(registered)
  }
  if layer.built, let custom = layer.buildConfig {
    entry["build_config"] = custom
  } else if layer.built {
    let shapes = layer.builtInputShapes
    entry["build_config"] = [
      "input_shape": shapes.count == 1 ? shapeValue(shapes[0]) : .array(shapes.map(shapeValue))
    ]
  }
  return .object(entry)
}

/// A shape with `nil` extents as JSON (`[null, 784]`).
func shapeValue(_ shape: Shape) -> ConfigValue {
  .array(shape.map { $0.map { .int($0) } ?? .null })
}
