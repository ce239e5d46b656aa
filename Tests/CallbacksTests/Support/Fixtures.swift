import Foundation
import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import TestSupport

/// A scalar of a fixture's `config` object.
enum ConfigScalar: Decodable {
  case number(Double)
  case flag(Bool)
  case text(String)

  init(from decoder: Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let flag = try? container.decode(Bool.self) {
      self = .flag(flag)
    } else if let number = try? container.decode(Double.self) {
      self = .number(number)
    } else {
      self = .text(try container.decode(String.self))
    }
  }

  var number: Double? { if case .number(let value) = self { return value } else { return nil } }
  var flag: Bool? { if case .flag(let value) = self { return value } else { return nil } }
  var text: String? { if case .text(let value) = self { return value } else { return nil } }
}

/// Tests/Fixtures/callbacks.json, written by Scripts/fixtures/callbacks.py.
struct CallbackFixtures: Decodable {
  struct EarlyStoppingEpoch: Decodable {
    var wait: Int
    var stop_training: Bool
    var best: Double?
    var best_epoch: Int
  }
  struct EarlyStoppingCase: Decodable {
    var name: String
    var monitor: String
    var values: [Float]
    var config: [String: ConfigScalar]
    var epochs_run: Int
    var per_epoch: [EarlyStoppingEpoch]
    var stopped_epoch: Int
    var best_epoch: Int
    var final_weight: Float
  }
  struct ReduceCase: Decodable {
    var name: String
    var monitor: String
    var values: [Float]
    var config: [String: ConfigScalar]
    var learning_rates: [Float]
    var waits: [Int]
    var cooldowns: [Int]
  }
  var keras_version: String
  var early_stopping: [EarlyStoppingCase]
  var reduce_lr_on_plateau: [ReduceCase]
  /// Monitor name → what Keras's mode="auto" resolves to: "min", "max" or "error".
  var auto_mode: [String: String]

  static func load() throws -> CallbackFixtures {
    try JSONDecoder().decode(
      CallbackFixtures.self, from: Data(contentsOf: fixtureURL("callbacks.json")))
  }
}

/// A Dense(1) model on one feature, compiled with SGD(1.0) and MSE.
func tinyModel() throws -> Sequential {
  let model = try Sequential([Input(shape: [1]), Dense(1)])
  try model.compile(optimizer: try SGD(learningRate: 1.0), loss: "mse")
  return model
}

/// Sets every weight of `model` to `value` (the epoch number, so restored weights name an
/// epoch).
func setAllWeights(_ model: Model, to value: Float) throws {
  try model.setWeights(model.getWeights().map { Tensor(repeating: value, shape: $0.shape) })
}
