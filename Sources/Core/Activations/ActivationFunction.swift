/// An activation function, as a value: what layers take for their `activation`
/// argument, with Keras's string identifiers.
///
/// ```swift
/// let dense = Dense(128, activation: .relu)
/// let fromConfig = try ActivationFunction("gelu")     // Keras's identifiers; unknown ones throw
/// let custom = ActivationFunction.custom(name: "scaled_tanh") { 1.7159 * tanh($0 * 2 / 3) }
/// let y = ActivationFunction.softmax(logits)          // call it like a function
/// ```
///
/// ``name`` is the identifier Keras's `activations.serialize` writes, so `.swish` is
/// `"silu"` and `.hardSwish` is `"hard_silu"`. Two activations compare equal when their
/// names are equal.
public enum ActivationFunction: Sendable {
  /// The identity, `"linear"`.
  case linear
  /// `max(x, 0)`, `"relu"`.
  case relu
  /// `min(max(x, 0), 6)`, `"relu6"`.
  case relu6
  /// `1 / (1 + exp(-x))`, `"sigmoid"`.
  case sigmoid
  /// The hyperbolic tangent, `"tanh"`.
  case tanh
  /// The softmax over the last axis, `"softmax"`.
  case softmax
  /// The log-softmax over the last axis, `"log_softmax"`.
  case logSoftmax
  /// The exact (erf) Gaussian error linear unit, `"gelu"`.
  case gelu
  /// `x` for `x > 0`, else `0.2 * x`, `"leaky_relu"`.
  case leakyRelu
  /// The exponential linear unit with alpha 1, `"elu"`.
  case elu
  /// The scaled exponential linear unit, `"selu"`.
  case selu
  /// `log(1 + exp(x))`, `"softplus"`.
  case softplus
  /// `x / (1 + |x|)`, `"softsign"`.
  case softsign
  /// `x * sigmoid(x)`, `"silu"` (also accepted as `"swish"`).
  case silu
  /// `relu6(x + 3) / 6`, `"hard_sigmoid"`.
  case hardSigmoid
  /// `x * hard_sigmoid(x)`, `"hard_silu"` (also accepted as `"hard_swish"`).
  case hardSilu
  /// `exp(x)`, `"exponential"`.
  case exponential
  /// The continuously differentiable ELU with alpha 1, `"celu"`.
  case celu
  /// `x` limited to `[-1, 1]`, `"hard_tanh"`.
  case hardTanh
  /// `log(sigmoid(x))`, `"log_sigmoid"`.
  case logSigmoid
  /// `x * tanh(softplus(x))`, `"mish"`.
  case mish
  /// `x - tanh(x)`, `"tanh_shrink"`.
  case tanhShrink
  /// `(x + sqrt(x² + 4)) / 2`, `"squareplus"`.
  case squareplus
  /// The piecewise-quadratic smooth ReLU, `"sparse_plus"`.
  case sparsePlus
  /// The piecewise-linear sigmoid reaching 0 at -1 and 1 at 1, `"sparse_sigmoid"`.
  case sparseSigmoid
  /// `x ∓ 0.5` outside `[-0.5, 0.5]`, 0 inside, `"soft_shrink"`.
  case softShrink
  /// `x` outside `[-0.5, 0.5]`, 0 inside, `"hard_shrink"`.
  case hardShrink
  /// Any function of a tensor, under the name it is saved with.
  case custom(name: String, @Sendable (Tensor) -> Tensor)
  /// A string that named no activation (`Dense(8, activation: "rleu")`); the layer
  /// holding it throws when it is built, listing the valid names.
  case unknown(String)

  /// `x * sigmoid(x)`; the same activation as ``silu``.
  public static var swish: ActivationFunction { .silu }

  /// `x * hard_sigmoid(x)`; the same activation as ``hardSilu``.
  public static var hardSwish: ActivationFunction { .hardSilu }

  /// The built-in activations, in Keras's naming.
  public static let builtIns: [ActivationFunction] = [
    .linear, .relu, .relu6, .sigmoid, .tanh, .softmax, .logSoftmax, .gelu, .leakyRelu, .elu,
    .selu, .softplus, .softsign, .silu, .hardSigmoid, .hardSilu, .exponential, .celu, .hardTanh,
    .logSigmoid, .mish, .tanhShrink, .squareplus, .sparsePlus, .sparseSigmoid, .softShrink,
    .hardShrink,
  ]

  /// Aliases Keras accepts besides the serialized names.
  private static let aliases: [String: ActivationFunction] = [
    "swish": .silu, "hard_swish": .hardSilu,
  ]

  /// Every string ``init(_:)`` accepts.
  public static var identifiers: [String] {
    (builtIns.map(\.name) + aliases.keys).sorted()
  }

  /// The activation with Keras's identifier `identifier` (`"relu"`, `"gelu"`,
  /// `"swish"`, …), as `keras.activations.get`.
  ///
  /// - Throws: ``SwiftKerasError`` listing the valid identifiers when `identifier` names
  ///   no activation.
  public init(_ identifier: String) throws {
    if let alias = ActivationFunction.aliases[identifier] {
      self = alias
      return
    }
    guard let match = ActivationFunction.builtIns.first(where: { $0.name == identifier }) else {
      throw SwiftKerasError.unknownIdentifier(
        identifier, kind: "activation", valid: ActivationFunction.identifiers)
    }
    self = match
  }

  /// Keras's identifier for this activation, as `keras.activations.serialize` writes it.
  public var name: String {
    switch self {
    case .linear: return "linear"
    case .relu: return "relu"
    case .relu6: return "relu6"
    case .sigmoid: return "sigmoid"
    case .tanh: return "tanh"
    case .softmax: return "softmax"
    case .logSoftmax: return "log_softmax"
    case .gelu: return "gelu"
    case .leakyRelu: return "leaky_relu"
    case .elu: return "elu"
    case .selu: return "selu"
    case .softplus: return "softplus"
    case .softsign: return "softsign"
    case .silu: return "silu"
    case .hardSigmoid: return "hard_sigmoid"
    case .hardSilu: return "hard_silu"
    case .exponential: return "exponential"
    case .celu: return "celu"
    case .hardTanh: return "hard_tanh"
    case .logSigmoid: return "log_sigmoid"
    case .mish: return "mish"
    case .tanhShrink: return "tanh_shrink"
    case .squareplus: return "squareplus"
    case .sparsePlus: return "sparse_plus"
    case .sparseSigmoid: return "sparse_sigmoid"
    case .softShrink: return "soft_shrink"
    case .hardShrink: return "hard_shrink"
    case .unknown(let name): return name
    case .custom(let name, _): return name
    }
  }

  /// Applies the activation to `x`.
  public func callAsFunction(_ x: Tensor) -> Tensor {
    switch self {
    case .linear: return x
    case .relu: return SwiftKerasCore.relu(x)
    case .relu6: return SwiftKerasCore.relu6(x)
    case .sigmoid: return SwiftKerasCore.sigmoid(x)
    case .tanh: return SwiftKerasCore.tanh(x)
    case .softmax: return x.softmax(alongAxis: -1)
    case .logSoftmax: return x.logSoftmax(alongAxis: -1)
    case .gelu: return SwiftKerasCore.gelu(x, approximate: false)
    case .leakyRelu: return SwiftKerasCore.leakyRelu(x, negativeSlope: 0.2)
    case .elu: return SwiftKerasCore.elu(x, alpha: 1)
    case .selu: return SwiftKerasCore.selu(x)
    case .softplus: return SwiftKerasCore.softplus(x)
    case .softsign: return SwiftKerasCore.softsign(x)
    case .silu: return SwiftKerasCore.silu(x)
    case .hardSigmoid: return SwiftKerasCore.hardSigmoid(x)
    case .hardSilu: return SwiftKerasCore.hardSilu(x)
    case .exponential: return SwiftKerasCore.exponential(x)
    case .celu: return SwiftKerasCore.celu(x, alpha: 1)
    case .hardTanh: return SwiftKerasCore.hardTanh(x)
    case .logSigmoid: return SwiftKerasCore.logSigmoid(x)
    case .mish: return SwiftKerasCore.mish(x)
    case .tanhShrink: return SwiftKerasCore.tanhShrink(x)
    case .squareplus: return SwiftKerasCore.squareplus(x, b: 4)
    case .sparsePlus: return SwiftKerasCore.sparsePlus(x)
    case .sparseSigmoid: return SwiftKerasCore.sparseSigmoid(x)
    case .softShrink: return SwiftKerasCore.softShrink(x, threshold: 0.5)
    case .hardShrink: return SwiftKerasCore.hardShrink(x, threshold: 0.5)
    case .unknown: return x
    case .custom(_, let body): return body(x)
    }
  }
}

extension ActivationFunction: Equatable {
  /// Activations are equal when their Keras identifiers are equal.
  public static func == (lhs: ActivationFunction, rhs: ActivationFunction) -> Bool {
    lhs.name == rhs.name
  }
}

extension ActivationFunction: CustomStringConvertible {
  /// The Keras identifier.
  public var description: String { name }
}
