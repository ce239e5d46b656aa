import SwiftKerasCore

/// A dense layer written as an einsum equation, as `keras.layers.EinsumDense`:
/// `activation(einsum(equation, inputs, kernel) + bias)`. The kernel's shape follows from
/// the equation, the input shape and `outputShape`; the bias spans the output axes named
/// in `biasAxes` (and every later output axis, with extent 1 where not named), as Keras
/// lays them out.
///
/// Equations have the form `input,kernel->output` with one letter per axis, optionally
/// with `...` leading both the input and the output (`...b,bc->...c`) or trailing them
/// (`ab...,bc->ac...`). A letter in the input and the output only is carried through
/// (the batch), one in the input and kernel only is summed over, one in the kernel and
/// output only is an output unit, and one in all three is a batch of separate products.
/// The product runs as one (batched) matrix multiplication.
///
/// ```swift
/// // MultiHeadAttention's query projection: [batch, steps, 16] -> [batch, steps, 4, 8]
/// let query = EinsumDense("abc,cde->abde", outputShape: [nil, 4, 8], biasAxes: "de")
/// let y = try query(Tensor.zeros([2, 10, 16]))   // shape [2, 10, 4, 8]
/// ```
public final class EinsumDense: Layer, ConfigInitializable {
  /// The einsum equation, e.g. `"abc,cde->abde"`.
  @Config(required: true) public var equation = ""
  /// The output shape without the batch axis; nil entries take the input's extent.
  @Config(required: true) public var outputShape: [Int?] = []
  /// The activation applied to the output.
  @Config public var activation = ActivationFunction.linear
  /// The output axes (letters of the equation's output) that get a bias; nil for none.
  @Config public var biasAxes: String? = nil
  /// The kernel's initializer (Glorot uniform by default), regularizer and constraint.
  @Config("kernel") public var kernelOptions = WeightOptions(initializer: GlorotUniform())
  /// The bias's initializer (zeros by default), regularizer and constraint.
  @Config("bias") public var biasOptions = WeightOptions(initializer: Zeros())
  /// Keras 3's quantization settings; always null here.
  @Config public var quantizationConfig = ConfigValue.null

  /// Keras's EinsumDense writes `activity_regularizer` even when unset.
  public override class var configListsActivityRegularizer: Bool { true }

  /// The kernel (after build), of the shape the equation gives.
  public private(set) var kernel: Variable?
  /// The bias (after build, when `biasAxes` is set).
  public private(set) var bias: Variable?
  /// How the product is computed, fixed at build.
  private var plan: EinsumPlan?

  /// Creates the layer with Keras's defaults.
  ///
  /// - Parameters:
  ///   - equation: `input,kernel->output`, e.g. `"abc,cd->abd"`.
  ///   - outputShape: the output shape without the batch axis (nil where it follows the
  ///     input).
  ///   - biasAxes: the output letters that get a bias, or nil for none.
  public convenience init(
    _ equation: String, outputShape: [Int?], activation: ActivationFunction = .linear,
    biasAxes: String? = nil, kernelInitializer: any Initializer = GlorotUniform(),
    biasInitializer: any Initializer = Zeros(), kernelRegularizer: (any Regularizer)? = nil,
    biasRegularizer: (any Regularizer)? = nil, activityRegularizer: (any Regularizer)? = nil,
    kernelConstraint: (any Constraint)? = nil, biasConstraint: (any Constraint)? = nil,
    name: String? = nil
  ) {
    self.init(name: name)
    self.equation = equation
    self.outputShape = outputShape
    self.activation = activation
    self.biasAxes = biasAxes
    kernelOptions = WeightOptions(kernelInitializer, kernelRegularizer, kernelConstraint)
    biasOptions = WeightOptions(biasInitializer, biasRegularizer, biasConstraint)
    self.activityRegularizer = activityRegularizer
  }

  /// Creates the layer with an output of one axis of `units`.
  public convenience init(
    _ equation: String, units: Int, activation: ActivationFunction = .linear,
    biasAxes: String? = nil, name: String? = nil
  ) {
    self.init(
      equation, outputShape: [units], activation: activation, biasAxes: biasAxes, name: name)
  }

  public override func build(inputShape: Shape) throws {
    let analysis = try EinsumPlan(
      equation: equation, biasAxes: biasAxes, inputShape: inputShape, outputShape: outputShape,
      layer: "layer '\(name)' (EinsumDense)")
    var initializer = kernelOptions.initializer
    if let scaling = initializer as? any FanAxesInitializer, !scaling.hasFanAxes {
      // As Keras: the fans of a variance-scaling kernel count the input and output axes.
      initializer = scaling.withFanAxes(input: analysis.inputAxes, output: analysis.outputAxes)
    }
    kernel = addWeight(
      name: "kernel", shape: analysis.kernelShape, initializer: initializer,
      regularizer: kernelOptions.regularizer, constraint: kernelOptions.constraint)
    if let biasShape = analysis.biasShape {
      bias = addWeight(name: "bias", shape: biasShape, options: biasOptions)
    }
    plan = analysis
  }

  public override func checkInputs(_ shapes: [[Int]]) throws {
    try checkSingleInput(shapes) { $0 == self.builtInputShapes[0].count }
  }

  public override func call(_ input: Tensor, training: Bool) throws -> Tensor {
    guard let kernel, let plan else {
      throw SwiftKerasError(.invalidState, "layer '\(name)' (EinsumDense) is not built")
    }
    var output = try plan.product(input, kernel.value)
    if let bias { output = output + bias.value }
    return activation(output)
  }

  public override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    try EinsumPlan(
      equation: equation, biasAxes: biasAxes, inputShape: inputShapes[0],
      outputShape: outputShape, layer: "layer '\(name)' (EinsumDense)"
    ).fullOutputShape
  }
}

/// A variance-scaling initializer whose fan axes an EinsumDense sets, as Keras's
/// `_update_kernel_initializer`.
protocol FanAxesInitializer: Initializer {
  /// Whether input and output axes are given.
  var hasFanAxes: Bool { get }
  /// A copy counting `input` axes as the fan-in and `output` axes as the fan-out.
  func withFanAxes(input: [Int], output: [Int]) -> any Initializer
}

extension VarianceScalingPreset: FanAxesInitializer {
  var hasFanAxes: Bool { inputAxes != nil && outputAxes != nil }
  func withFanAxes(input: [Int], output: [Int]) -> any Initializer {
    var copy = self
    copy.inputAxes = input
    copy.outputAxes = output
    return copy
  }
}

extension VarianceScaling: FanAxesInitializer {
  var hasFanAxes: Bool { inputAxes != nil && outputAxes != nil }
  func withFanAxes(input: [Int], output: [Int]) -> any Initializer {
    (try? VarianceScaling(
      scale: scale, mode: mode, distribution: distribution, seed: seed, inputAxes: input,
      outputAxes: output)) ?? self
  }
}

/// An EinsumDense equation analysed for one input rank, as Keras's
/// `_analyze_einsum_string`: the kernel and bias shapes, the full output shape, and the
/// transposes and (batched) matrix product that compute it.
struct EinsumPlan {
  /// The kernel's shape.
  let kernelShape: [Int]
  /// The bias's shape, nil without bias axes.
  let biasShape: [Int]?
  /// The output shape (batch axis as given).
  let fullOutputShape: Shape
  /// The kernel axes that count as inputs and as outputs (for the initializer's fans).
  let inputAxes: [Int]
  let outputAxes: [Int]
  /// The input's letters (ellipsis expanded), the kernel's and the output's.
  private let inputLetters: [Character]
  private let kernelLetters: [Character]
  private let outputLetters: [Character]

  init(
    equation: String, biasAxes: String?, inputShape: Shape, outputShape partial: [Int?],
    layer: String
  ) throws {
    func unsupported(_ why: String) -> SwiftKerasError {
      SwiftKerasError(
        .invalidArgument,
        "\(layer): equation '\(equation)' is not supported: \(why); expected the form 'ab,bc->ac', '...b,bc->...c' or 'ab...,bc->ac...'"
      )
    }
    let sides = equation.replacingOccurrences(of: " ", with: "").components(separatedBy: "->")
    guard sides.count == 2 else { throw unsupported("it needs exactly one '->'") }
    let operands = sides[0].components(separatedBy: ",")
    guard operands.count == 2 else { throw unsupported("it needs two operands") }
    var inputSpec = operands[0]
    let weightSpec = operands[1]
    var outputSpec = sides[1]
    var leftElided = false
    var rightElided = false
    if inputSpec.hasPrefix("..."), outputSpec.hasPrefix("...") {
      leftElided = true
      inputSpec.removeFirst(3)
      outputSpec.removeFirst(3)
    } else if inputSpec.hasSuffix("..."), outputSpec.hasSuffix("..."), inputSpec.count >= 5 {
      rightElided = true
      inputSpec.removeLast(3)
      outputSpec.removeLast(3)
    }
    for spec in [inputSpec, weightSpec, outputSpec] {
      guard !spec.isEmpty, spec.allSatisfy({ $0.isASCII && $0.isLetter }) else {
        throw unsupported("'\(spec)' is not a string of letters")
      }
      guard Set(spec).count == spec.count else {
        throw unsupported("'\(spec)' repeats a letter")
      }
    }
    let elided = inputShape.count - inputSpec.count
    guard elided >= 0, elided == 0 || leftElided || rightElided else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(layer): input of rank \(inputShape.count) does not fit the equation '\(equation)' (input '\(inputSpec)')"
      )
    }
    // Keras's output shape: the batch, then the given extents, with the elided axes.
    var output: Shape = [inputShape.first ?? nil] + partial
    if elided > 0 && leftElided {
      for i in 1..<elided { output.insert(inputShape[i], at: 1) }
    } else if elided > 0 && rightElided {
      for i in (inputShape.count - elided)..<inputShape.count { output.append(inputShape[i]) }
    }
    let input = Array(inputSpec)
    let weight = Array(weightSpec)
    let outputChars = Array(outputSpec)
    func inputIndex(_ c: Character) -> Int? {
      input.firstIndex(of: c).map { leftElided ? $0 + elided : $0 }
    }
    func outputIndex(_ c: Character) -> Int? {
      outputChars.firstIndex(of: c).map { leftElided ? $0 + elided : $0 }
    }
    guard output.count == outputChars.count + (leftElided || rightElided ? elided : 0) else {
      throw SwiftKerasError(
        .shapeMismatch,
        "\(layer): outputShape \(formatShape(partial)) has \(partial.count) axes but the equation's output '\(outputSpec)' needs \(outputChars.count - 1)"
      )
    }
    for c in input {
      if let i = inputIndex(c), let o = outputIndex(c), let extent = output[o],
        extent != inputShape[i]
      {
        throw SwiftKerasError(
          .shapeMismatch,
          "\(layer): axis '\(c)' has extent \(inputShape[i].map(String.init) ?? "None") in the input but \(extent) in outputShape"
        )
      }
      if !weight.contains(c) && !outputChars.contains(c) {
        throw unsupported("input axis '\(c)' is summed away without the kernel")
      }
    }
    for c in outputChars where !input.contains(c) && !weight.contains(c) {
      throw SwiftKerasError(
        .invalidArgument,
        "\(layer): output axis '\(c)' of '\(equation)' is in neither the input nor the kernel")
    }
    var kernelShape: [Int] = []
    var inputAxes: [Int] = []
    var outputAxes: [Int] = []
    for (k, c) in weight.enumerated() {
      let extent: Int?
      if let o = outputIndex(c) {
        extent = output[o]
        outputAxes.append(k)
      } else if let i = inputIndex(c) {
        extent = inputShape[i]
        inputAxes.append(k)
      } else {
        throw SwiftKerasError(
          .invalidArgument,
          "\(layer): kernel axis '\(c)' of '\(equation)' is in neither the input nor the output")
      }
      guard let extent, extent > 0 else {
        throw SwiftKerasError(
          .shapeMismatch,
          "\(layer): kernel axis '\(c)' needs a known positive extent, got \(extent.map(String.init) ?? "None") (input shape \(formatShape(inputShape)), outputShape \(formatShape(partial)))"
        )
      }
      kernelShape.append(extent)
    }
    _ = try RuntimeOptions.checkTensorSize(kernelShape, of: "\(layer), kernel")
    var biasShape: [Int]?
    if let biasAxes {
      for c in biasAxes where !outputChars.contains(c) {
        throw SwiftKerasError(
          .invalidArgument,
          "\(layer): bias axis '\(c)' is not part of the output '\(outputSpec)'")
      }
      guard let first = biasAxes.compactMap({ outputChars.firstIndex(of: $0) }).min() else {
        throw SwiftKerasError(.invalidArgument, "\(layer): biasAxes must not be empty")
      }
      var shape: [Int] = []
      for c in outputChars[first...] {
        if biasAxes.contains(c) {
          guard let o = outputIndex(c), let extent = output[o] else {
            throw SwiftKerasError(
              .shapeMismatch, "\(layer): bias axis '\(c)' needs a known extent")
          }
          shape.append(extent)
        } else {
          shape.append(1)
        }
      }
      if rightElided { shape += [Int](repeating: 1, count: elided) }
      biasShape = shape
    }
    // The ellipsis as letters of their own, for the product.
    let used = Set(input + weight + outputChars)
    let spare = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz").filter {
      !used.contains($0)
    }
    guard spare.count >= elided else { throw unsupported("too many axes") }
    let extra = Array(spare.prefix(elided))
    inputLetters = leftElided ? extra + input : input + extra
    outputLetters = leftElided ? extra + outputChars : outputChars + extra
    kernelLetters = weight
    self.kernelShape = kernelShape
    self.biasShape = biasShape
    fullOutputShape = output
    self.inputAxes = inputAxes
    self.outputAxes = outputAxes
  }

  /// `einsum(equation, x, kernel)`: the input's shared (S), free (F) and summed (C)
  /// axes and the kernel's S, C and output (N) axes are each gathered by one transpose,
  /// multiplied as `[S, F, C] × [S, C, N]` in one batched product, and put in the output's
  /// order.
  func product(_ x: Tensor, _ kernel: Tensor) throws -> Tensor {
    let shared = inputLetters.filter { kernelLetters.contains($0) && outputLetters.contains($0) }
    let free = inputLetters.filter { !kernelLetters.contains($0) }
    let summed = inputLetters.filter { kernelLetters.contains($0) && !outputLetters.contains($0) }
    let units = kernelLetters.filter { !inputLetters.contains($0) }
    func extent(_ c: Character) -> Int {
      if let i = inputLetters.firstIndex(of: c) { return x.shape[i] }
      return kernel.shape[kernelLetters.firstIndex(of: c)!]
    }
    func size(_ letters: [Character]) throws -> Int {
      try letters.reduce(1) { total, c in
        guard let product = checkedMultiply(total, extent(c)) else {
          throw SwiftKerasError(.invalidArgument, "EinsumDense: the product's size overflows")
        }
        return product
      }
    }
    let (s, f, c, n) = (try size(shared), try size(free), try size(summed), try size(units))
    let xOrder = (shared + free + summed).map { inputLetters.firstIndex(of: $0)! }
    let kOrder = (shared + summed + units).map { kernelLetters.firstIndex(of: $0)! }
    let a = x.transposed(permutation: xOrder)
    let b = kernel.transposed(permutation: kOrder)
    let result =
      shared.isEmpty
      ? matmul(a.reshaped(to: [f, c]), b.reshaped(to: [c, n]))
      : matmul(a.reshaped(to: [s, f, c]), b.reshaped(to: [s, c, n]))
    let produced = shared + free + units
    let unflattened = result.reshaped(to: produced.map(extent))
    let order = outputLetters.map { produced.firstIndex(of: $0)! }
    return unflattened.transposed(permutation: order)
  }
}
