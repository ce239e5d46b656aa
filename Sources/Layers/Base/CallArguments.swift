import SwiftKerasCore

/// The keyword arguments of one layer call beyond its positional inputs, as Keras keeps
/// them in a functional node's `kwargs`: options (`use_causal_mask: true`) and the names
/// of the trailing inputs that were passed by keyword (`key`, `attention_mask`).
///
/// ```swift
/// let arguments = CallArguments(options: ["use_causal_mask": true])
/// let outputs = try attention.callOutputs([x, x], arguments: arguments)
/// ```
public struct CallArguments: Sendable {
  /// The non-tensor keyword arguments by Keras name.
  public var options: [String: ConfigValue]
  /// The Keras names of the last `tensorKeywords.count` inputs, which were given by
  /// keyword; the inputs before them are positional.
  public var tensorKeywords: [String]

  /// Arguments with `options` and keyword tensors named `tensorKeywords`.
  public init(options: [String: ConfigValue] = [:], tensorKeywords: [String] = []) {
    self.options = options
    self.tensorKeywords = tensorKeywords
  }

  /// No keyword arguments.
  public static let none = CallArguments()

  /// Whether there are neither options nor keyword tensors.
  public var isEmpty: Bool { options.isEmpty && tensorKeywords.isEmpty }

  /// The boolean option `name`, or `default` when it is absent or null.
  ///
  /// - Throws: ``SwiftKerasError`` when the option is not a boolean.
  public func bool(_ name: String, default value: Bool = false) throws -> Bool {
    guard let option = options[name], option != .null else { return value }
    guard let flag = option.boolValue else {
      throw SwiftKerasError(
        .invalidArgument, "call argument '\(name)' must be a boolean, got \(option)")
    }
    return flag
  }

  /// The positional inputs and the keyword inputs by name, split from `inputs`.
  ///
  /// - Throws: ``SwiftKerasError`` when there are fewer inputs than keyword names.
  public func split<T>(_ inputs: [T]) throws -> (positional: [T], keyword: [String: T]) {
    guard inputs.count >= tensorKeywords.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "a call with keyword tensors \(tensorKeywords) got only \(inputs.count) input(s)")
    }
    let count = inputs.count - tensorKeywords.count
    var keyword: [String: T] = [:]
    for (name, value) in zip(tensorKeywords, inputs[count...]) { keyword[name] = value }
    return (Array(inputs[..<count]), keyword)
  }
}
