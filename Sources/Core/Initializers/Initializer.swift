/// A rule for the starting values of a weight, as `keras.initializers.Initializer`.
///
/// ```swift
/// var rng = RandomGenerator(seed: 0)
/// let kernel = GlorotUniform()(shape: [784, 128], generator: &rng)
/// let bias = Zeros()(shape: [128], generator: &rng)
/// let fromConfig = try makeInitializer("he_normal")
/// ```
///
/// An initializer created with a `seed` draws from its own `RandomGenerator(seed:)` and
/// ignores the generator it is given, so it returns the same values on every call, as a
/// Keras initializer seeded with an integer does.
public protocol Initializer {
  /// Returns a tensor of `shape` holding the initial values, drawing any randomness
  /// from `generator` (unless the initializer has its own seed).
  ///
  /// - Precondition: ``validate(shape:)`` accepts `shape`.
  func callAsFunction(shape: [Int], generator: inout RandomGenerator) -> Tensor

  /// Keras's class name, such as `"GlorotUniform"`.
  var name: String { get }

  /// The arguments under Keras's config keys, as `Initializer.get_config()`.
  func getConfig() -> ConfigValue

  /// Checks that the initializer can fill a tensor of `shape`.
  ///
  /// - Throws: ``SwiftKerasError`` when it cannot (an orthogonal initializer for a
  ///   vector, an identity initializer for anything but a matrix, a negative extent).
  func validate(shape: [Int]) throws
}

extension Initializer {
  /// Accepts every shape without negative extents.
  public func validate(shape: [Int]) throws {
    try checkExtents(shape, initializer: name)
  }

  /// Returns a tensor of `shape` holding the initial values, drawing any randomness from
  /// the global generator (see ``setRandomSeed(_:)``).
  public func callAsFunction(shape: [Int]) -> Tensor {
    var generator = GlobalRandom.makeGenerator()
    return self(shape: shape, generator: &generator)
  }

  /// The initializer as Keras serializes it inside a layer config:
  /// `{"module": "keras.initializers", "class_name": …, "config": …, "registered_name": null}`.
  public func serialized() -> ConfigValue {
    [
      "module": "keras.initializers", "class_name": .string(name), "config": getConfig(),
      "registered_name": nil,
    ]
  }
}

/// Throws unless every extent of `shape` is non-negative.
func checkExtents(_ shape: [Int], initializer: String) throws {
  if shape.contains(where: { $0 < 0 }) {
    throw SwiftKerasError(
      .invalidArgument, "\(initializer): shape \(shape) has a negative extent")
  }
}

/// The number of input and output units of a weight of `shape`, as Keras's `compute_fans`.
///
/// A scalar counts as `(1, 1)`, a vector of `n` as `(n, n)`, a matrix `[in, out]` as
/// `(in, out)`. A convolution kernel `[k₁, …, kₙ, in, out]` multiplies both by the
/// receptive field `k₁ × … × kₙ`. When both `inputAxes` and `outputAxes` are given, the
/// fans are the products of the extents along those axes instead.
public func computeFans(
  _ shape: [Int], inputAxes: [Int]? = nil, outputAxes: [Int]? = nil
) -> (fanIn: Int, fanOut: Int) {
  if let inputAxes, let outputAxes {
    func extent(_ axis: Int) -> Int {
      let a = axis < 0 ? axis + shape.count : axis
      return a >= 0 && a < shape.count ? shape[a] : 1
    }
    return (
      saturatingProduct(inputAxes.map(extent)), saturatingProduct(outputAxes.map(extent))
    )
  }
  switch shape.count {
  case 0: return (1, 1)
  case 1: return (shape[0], shape[0])
  case 2: return (shape[0], shape[1])
  default:
    let receptive = saturatingProduct(shape.dropLast(2))
    return (
      saturatingProduct([shape[shape.count - 2], receptive]),
      saturatingProduct([shape[shape.count - 1], receptive])
    )
  }
}

/// The product of `values`, or `Int.max` where it would overflow (fans only scale a
/// variance, and shapes too large to allocate are refused before any initializer runs).
private func saturatingProduct<C: Collection<Int>>(_ values: C) -> Int {
  var product = 1
  for value in values {
    let (next, overflow) = product.multipliedReportingOverflow(by: value)
    if overflow { return Int.max }
    product = next
  }
  return product
}

extension ConfigValue {
  /// A float argument as Keras would write it: `0.05` rather than `0.05000000074505806`.
  static func number(_ value: Float) -> ConfigValue {
    .double(Double(value.description) ?? Double(value))
  }

  /// A seed, or `null` for none.
  static func seed(_ seed: UInt64?) -> ConfigValue {
    seed.map { .int(Int(truncatingIfNeeded: $0)) } ?? .null
  }

  /// A list of axes, or `null` for none.
  static func axes(_ axes: [Int]?) -> ConfigValue {
    axes.map { .array($0.map { .int($0) }) } ?? .null
  }
}

/// Runs `body` on a fresh generator seeded with `seed`, or on `generator` when `seed` is nil.
@inline(__always)
func drawing<R>(
  seed: UInt64?, from generator: inout RandomGenerator, _ body: (inout RandomGenerator) -> R
) -> R {
  guard let seed else { return body(&generator) }
  var own = RandomGenerator(seed: seed)
  return body(&own)
}
