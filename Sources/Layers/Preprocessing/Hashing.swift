import SwiftKerasCore

/// Hashes values into `numBins` buckets, as `keras.layers.Hashing`: each value is
/// written as a string (numbers are first truncated to integers, so `3.7` hashes as
/// `"3"`, as Keras casts to int64) and bucketed by FarmHash's `Fingerprint64` modulo
/// the bucket count, as TensorFlow's `to_hash_bucket_fast`. With `maskValue`, bucket 0
/// is reserved for it and the others shift by one. Outputs are bucket indices (`int`) or
/// `one_hot`, `multi_hot` or `count` rows of `numBins`.
///
/// Strings come in a ``StringTensor`` (before the model); numbers in a ``Tensor``, so the
/// layer also runs inside a model.
///
/// ```swift
/// let hashing = Hashing(numBins: 3)
/// try hashing(["A", "B", "C", "D", "E"] as StringTensor)   // Keras's buckets
/// ```
///
/// Keras's `salt` (SipHash through `to_hash_bucket_strong`) is not implemented: a salted
/// layer throws when called.
public final class Hashing: Layer, ConfigInitializable {
  /// The number of buckets, the mask's included.
  @Config(required: true) public var numBins = 0
  /// The value hashed to bucket 0 (a string or a number), or null.
  @Config public var maskValue = ConfigValue.null
  /// Keras's salt for a keyed hash; only null.
  @Config public var salt = ConfigValue.null
  /// `int`, `one_hot`, `multi_hot` or `count`.
  @Config public var outputMode = "int"
  /// Keras's sparse outputs; only `false`.
  @Config public var sparse = false

  /// Creates the layer; `maskValue` is a string or a number when set.
  public convenience init(
    numBins: Int, maskValue: ConfigValue = .null, outputMode: String = "int",
    name: String? = nil
  ) {
    self.init(name: name)
    self.numBins = numBins
    self.maskValue = maskValue
    self.outputMode = outputMode
  }

  /// Keras writes an integer dtype for `int` outputs (and refuses a float one).
  public override func getConfig() -> [String: ConfigValue] {
    var config = super.getConfig()
    config["dtype"] = outputMode == "int" ? "int64" : "float32"
    return config
  }

  private func check() throws {
    guard numBins > 0 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (Hashing): num_bins must be positive, got \(numBins)")
    }
    guard ["int", "one_hot", "multi_hot", "count"].contains(outputMode) else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Hashing): output_mode must be int, one_hot, multi_hot or count, got '\(outputMode)'"
      )
    }
    guard salt == .null, !sparse else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (Hashing): salt (a keyed SipHash) and sparse outputs are not implemented"
      )
    }
  }

  /// Buckets of the values' string forms; `isMask` says which values are the mask.
  private func buckets(_ strings: [String], isMask: [Bool], shape: [Int]) throws -> Tensor {
    try check()
    let masked = maskValue != .null && numBins > 1
    let bins = masked ? numBins - 1 : numBins
    let indices = zip(strings, isMask).map { string, mask -> Float in
      if masked && mask { return 0 }
      return Float(FarmHash.bucket(string, of: bins) + (masked ? 1 : 0))
    }
    var encodedShape = shape
    if outputMode == "one_hot" && shape.last == 1 { encodedShape.removeLast() }
    return try CategoricalOutput.encode(
      Tensor(shape: encodedShape, scalars: indices), mode: outputMode, depth: numBins,
      layer: name, kind: "Hashing")
  }

  /// The buckets of strings.
  public func callAsFunction(_ input: StringTensor) throws -> Tensor {
    let mask = maskValue.stringValue
    return try buckets(
      input.values, isMask: input.values.map { $0 == mask }, shape: input.shape)
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    guard shapes.count == 1 else {
      throw SwiftKerasError(
        .shapeMismatch, "layer '\(name)' (Hashing) takes one input, got \(shapes.count)")
    }
  }

  public override func build(inputShape: Shape) throws { try check() }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    let mask = maskValue.doubleValue
    let strings = try input.scalars.map { value -> String in
      guard value.isFinite, abs(value) < 9.2e18 else {
        throw SwiftKerasError(
          .invalidArgument, "layer '\(name)' (Hashing) cannot hash the number \(value)")
      }
      return String(Int64(value))
    }
    return try buckets(
      strings, isMask: input.scalars.map { mask != nil && Double($0) == mask },
      shape: input.shape)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let shape = inputShapes[0]
    if outputMode == "int" { return shape }
    if shape.isEmpty { return [numBins] }
    if outputMode == "one_hot" && shape.last != 1 { return shape + [numBins] }
    return Array(shape.dropLast()) + [numBins]
  }
}
