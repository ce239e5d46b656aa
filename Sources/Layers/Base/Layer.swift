import Foundation
import SwiftKerasCore
import Synchronization

/// The base class of every layer: a named, stateful function of tensors with weights
/// created lazily on first use, as `keras.layers.Layer`.
///
/// Subclasses override ``build(inputShape:)`` to create weights with ``addWeight(name:shape:initializer:regularizer:constraint:trainable:)``
/// and ``call(_:training:)`` to compute the output with plain tensor code; the gradient
/// tape differentiates them, so no backward code is written.
///
/// ```swift
/// final class Scale: Layer {
///   var factor: Variable!
///   override func build(inputShape: Shape) throws {
///     factor = addWeight(name: "factor", shape: [inputShape.last!!], initializer: Ones())
///   }
///   override func call(_ x: Tensor, training: Bool) throws -> Tensor { x * factor.value }
/// }
/// ```
open class Layer {
  /// The layer's unique name, e.g. `dense_1`.
  public var name: String
  /// Whether the layer's weights are updated by training. A frozen layer's weights all
  /// count as non-trainable.
  open var trainable: Bool = true
  /// Whether ``build(inputShape:)`` has run.
  public private(set) var built = false
  /// The weights in creation order (trainable and non-trainable).
  public private(set) var ownWeights: [Variable] = []
  /// Penalties added by this thread's last call (activity regularization), included in
  /// ``losses``. They belong to the call, not to the layer: two threads calling one model
  /// each see their own.
  public var callLosses: [Tensor] {
    get { CallLosses.byLayer.value[ObjectIdentifier(self)] ?? [] }
    set { CallLosses.byLayer.value[ObjectIdentifier(self)] = newValue.isEmpty ? nil : newValue }
  }
  /// The shape of one sample (no batch axis) a first layer was given, as Keras's
  /// `input_shape=`: a ``Sequential`` model starting with this layer takes it as its input.
  public var requestedInputShape: Shape?
  /// A penalty on the layer's output added to the loss (divided by the batch size, as
  /// Keras's `activity_regularizer`).
  public var activityRegularizer: (any Regularizer)?
  /// The shapes the layer was built for, batch axis nil.
  public private(set) var builtInputShapes: [Shape] = []
  /// The symbolic calls of this layer in functional graphs, in order: those still in use
  /// by a model or a symbolic tensor. The layer holds them weakly, so a graph nobody
  /// uses is freed (a node holds its layer).
  public var inboundNodes: [Node] { inboundNodeReferences.compactMap { $0.node } }
  /// Every call recorded, the released ones as empty references (positions stay).
  private var inboundNodeReferences: [WeakNode] = []

  /// Records a symbolic call of this layer and returns its position among all calls.
  package func recordInboundNode(_ node: Node) -> Int {
    inboundNodeReferences.append(WeakNode(node: node))
    return inboundNodeReferences.count - 1
  }

  private var regularizedWeights: [(Variable, any Regularizer)] = []
  /// The members found once the layer is built (they no longer change then), shared by
  /// every thread calling the layer.
  private let cachedMembers = Mutex<DiscoveredMembers?>(nil)
  /// The first problem `addWeight` met during build (an initializer that cannot fill the
  /// shape), thrown by `ensureBuilt` so a bad argument never traps.
  private var buildError: Error?
  private var constrainedWeights: [(Variable, any Constraint)] = []

  /// Creates a layer named `name`, or by Keras's rule (`dense`, `dense_1`, …) when nil.
  public init(name: String? = nil) {
    self.name = name ?? LayerNaming.uniqueName(for: snakeCase(Self.className))
  }

  /// Creates a layer from its Keras config, as `from_config`: the name, `trainable`, the
  /// activity regularizer and every ``Config`` property the class declares. Built-in layers
  /// (and a user's layer that declares only convenience initializers) inherit it, which is
  /// what ``ConfigInitializable`` asks for.
  ///
  /// - Throws: ``SwiftKerasError`` naming the class and the key of a missing required or
  ///   mistyped hyperparameter.
  public init(config: LayerConfig) throws {
    self.name = config.name ?? LayerNaming.uniqueName(for: snakeCase(Self.className))
    activityRegularizer = try config.regularizer("activity_regularizer")
    trainable = try config.bool("trainable", default: true)
    for (key, property) in configProperties(of: self) {
      try property.decode(from: config, key: key)
    }
  }

  /// Whether ``getConfig()`` writes `activity_regularizer` when it is nil (Keras's
  /// convolutions do; other layers write it only when set).
  open class var configListsActivityRegularizer: Bool { false }

  /// The Keras class name used in summaries and configs, e.g. `Dense`.
  open class var className: String {
    String(describing: self).components(separatedBy: ".").last ?? "Layer"
  }

  /// The class name a config names this class by, when it differs from ``className``
  /// (Keras exports `GroupedQueryAttention` as `GroupQueryAttention`).
  open class var serializedClassName: String { className }

  /// The class name of this instance.
  public var className: String { Self.className }

  // MARK: - To override

  /// Creates the layer's weights for inputs of `inputShape` (batch axis nil).
  open func build(inputShape: Shape) throws {}

  /// Creates the weights for several inputs; by default requires exactly one.
  open func build(inputShapes: [Shape]) throws {
    guard inputShapes.count == 1 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (\(className)) expects 1 input, got \(inputShapes.count)"
      )
    }
    try build(inputShape: inputShapes[0])
  }

  /// The output for one input.
  open func call(_ input: Tensor, training: Bool) throws -> Tensor {
    throw SwiftKerasError(.invalidState, "layer '\(name)' (\(className)) does not implement call")
  }

  /// The output for several inputs; by default requires exactly one.
  open func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    guard inputs.count == 1 else {
      throw SwiftKerasError(
        .invalidArgument, "layer '\(name)' (\(className)) expects 1 input, got \(inputs.count)")
    }
    return try call(inputs[0], training: training)
  }

  /// The output shape for `inputShapes`, without running data. The default runs the
  /// layer once on zeros with unknown extents set to 1; layers override it where they can.
  open func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    let probes = inputShapes.map { Tensor.zeros($0.map { $0 ?? 1 }) }
    let output = try call(probes, training: false)
    let leadingUnknown = inputShapes.first?.first.map { $0 == nil } ?? false
    var shape: Shape = output.shape.map { Optional($0) }
    if leadingUnknown && !shape.isEmpty { shape[0] = nil }
    return shape
  }

  /// Every output for concrete `inputs`: one, unless the layer has several (a model with
  /// several outputs, a recurrent layer with `returnState`). Execution plans call it for
  /// such layers.
  open func callOutputs(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
    try prepareCall(inputs.map { $0.shape })
    return [finishCall(try call(inputs, training: training))]
  }

  /// Every output for concrete `inputs` whose first input carries `mask` (`[batch,
  /// steps]`, 1 where a step is real and 0 where it is padding), as Keras passes `mask=`
  /// to `call`. Layers that use masks (recurrent layers, `GlobalAveragePooling1D`,
  /// wrappers) override it; by default the mask is not used.
  open func callOutputs(_ inputs: [Tensor], mask: Tensor?, training: Bool) throws -> [Tensor] {
    try callOutputs(inputs, training: training)
  }

  /// Every output for `inputs` when each input carries its own mask (nil for none). By
  /// default the first input's mask goes to ``callOutputs(_:mask:training:)``; merging
  /// layers whose values depend on the masks (Keras's `Multiply`, `Maximum`, `Minimum`)
  /// override it.
  open func callOutputs(_ inputs: [Tensor], masks: [Tensor?], training: Bool) throws
    -> [Tensor]
  {
    try callOutputs(inputs, mask: masks.first ?? nil, training: training)
  }

  /// Whether the layer passes its input's mask on to its output unchanged (Keras's
  /// `supports_masking` with the default `compute_mask`). A layer that does not drops
  /// the mask: the layers after it see none.
  open var supportsMasking: Bool { false }

  /// The mask of the first output for `inputs` whose first input carries `mask`, as
  /// Keras's `compute_mask`: by default the input's mask when ``supportsMasking``, else
  /// none. Layers that make masks (`Embedding(maskZero: true)`, `Masking`) or consume
  /// them (an RNN returning only its last output) override it.
  open func computeMask(_ inputs: [Tensor], mask: Tensor?) throws -> Tensor? {
    supportsMasking ? mask : nil
  }

  /// The keyword arguments of a call this layer reads, by Keras's names
  /// (`use_causal_mask`, `return_attention_scores`, `key`, `attention_mask`): a functional
  /// node keeps those given (see ``CallArguments``) and a `.keras` config's node `kwargs`
  /// are read for them. Empty for layers whose call takes its inputs alone.
  open class var callKeywords: [String] { [] }

  /// Whether a functional node passes this layer's inputs to Keras as separate positional
  /// arguments (`mha(query, value)`) rather than as one list (`Add()([a, b])`).
  open class var takesSeparateInputs: Bool { false }

  /// Whether the layer reads the masks of all its inputs (query and value), through
  /// ``callOutputs(_:masks:arguments:training:)``, rather than the first input's alone.
  open class var readsEveryInputMask: Bool { false }

  /// Every output for concrete `inputs` carrying `masks` (one per input, nil where an
  /// input has none) with a call's keyword `arguments`, as a functional node runs it.
  /// By default the masks go to ``callOutputs(_:masks:training:)`` and the arguments are
  /// not used; attention layers override it to read the masks of query and value and
  /// their options.
  open func callOutputs(
    _ inputs: [Tensor], masks: [Tensor?], arguments: CallArguments, training: Bool
  ) throws -> [Tensor] {
    try callOutputs(inputs, masks: masks, training: training)
  }

  /// The mask of the first output for `inputs` carrying `masks` with keyword `arguments`;
  /// by default ``computeMask(_:masks:)``.
  open func computeMask(_ inputs: [Tensor], masks: [Tensor?], arguments: CallArguments) throws
    -> Tensor?
  {
    try computeMask(inputs, masks: masks)
  }

  /// The output shapes of a symbolic call with keyword `arguments` (a layer returning its
  /// attention scores has two); by default ``symbolicOutputShapes(inputShapes:)``.
  open func symbolicOutputShapes(inputShapes: [Shape], arguments: CallArguments) throws
    -> [Shape]
  {
    try symbolicOutputShapes(inputShapes: inputShapes)
  }

  /// The input shapes the layer is built for when a functional call passes inputs of
  /// `inputShapes` with keyword `arguments`: by default all of them; attention layers
  /// leave out an attention mask given by keyword.
  open func buildShapes(for inputShapes: [Shape], arguments: CallArguments) throws -> [Shape] {
    inputShapes
  }

  /// The `build_config` Keras reads to build this layer on load, or nil for Keras's
  /// default `{"input_shape": ...}` of the built input shapes. Layers whose `build` takes
  /// named shapes (`MultiHeadAttention`'s `shapes_dict`) override it.
  open var buildConfig: ConfigValue? { nil }

  /// The mask of the first output when each input carries its own mask (nil for none),
  /// as Keras's `compute_mask` with a list of masks. By default the first input's mask
  /// goes to ``computeMask(_:mask:)``; merging layers combine them.
  open func computeMask(_ inputs: [Tensor], masks: [Tensor?]) throws -> Tensor? {
    try computeMask(inputs, mask: masks.first ?? nil)
  }

  /// The files a `.keras` archive keeps for this layer beside its weights, by file name
  /// (Keras's `save_assets`: an adapted lookup's `vocabulary.txt`), stored under
  /// `assets/<the layer's weights path>/`. Empty by default.
  ///
  /// - Throws: ``SwiftKerasError`` when the layer's state cannot be saved.
  open func saveAssets() throws -> [String: [UInt8]] { [:] }

  /// Restores what ``saveAssets()`` wrote, after the weights are loaded, as Keras's
  /// `load_assets`; `file` returns a file's bytes by name, or nil when the archive has
  /// none. Nothing by default.
  ///
  /// - Throws: ``SwiftKerasError`` when a file is missing or invalid.
  open func loadAssets(_ file: (String) -> [UInt8]?) throws {}

  /// The output shapes of a call on symbolic inputs of `inputShapes`: one, unless the
  /// layer has several outputs.
  open func symbolicOutputShapes(inputShapes: [Shape]) throws -> [Shape] {
    [try computeOutputShape(inputShapes: inputShapes)]
  }

  /// The layer's configuration with Keras's key names: the name, `trainable`, `dtype` and
  /// every ``Config`` property. Layers whose config is not their hyperparameters alone
  /// (models) override it.
  open func getConfig() -> [String: ConfigValue] {
    var config: [String: ConfigValue] = [
      "name": .string(name), "trainable": .bool(trainable), "dtype": "float32",
    ]
    if activityRegularizer != nil || Self.configListsActivityRegularizer {
      config["activity_regularizer"] = activityRegularizer?.serialized ?? .null
    }
    for (key, property) in configProperties(of: self) { property.encode(into: &config, key: key) }
    return config
  }

  /// Where Keras's weights files keep this layer's nested layers, as attribute paths
  /// (`cell`, `forward_layer`, `cells/lstm_cell`), or nil to list ``sublayers`` under
  /// `layers/<snake_case class name>` as models do.
  open var savedSublayers: [(path: String, layer: Layer)]? { nil }

  /// Layers nested inside this one, for weights and summaries: by default those held in
  /// stored properties (see ``discoveredMembers``), remembered once the layer is built.
  open var sublayers: [Layer] { members.layers }

  /// The discovered members, cached after build (shapes and members no longer change).
  private var members: DiscoveredMembers {
    if let cached = cachedMembers.withLock({ $0 }) { return cached }
    let found = DiscoveredMembers(discoveredMembers)
    if built { cachedMembers.withLock { $0 = found } }
    return found
  }

  // MARK: - Weights

  /// Creates a weight and registers it with the layer, as Keras's `add_weight`.
  @discardableResult
  public func addWeight(
    name: String, shape: [Int], initializer: any Initializer,
    regularizer: (any Regularizer)? = nil, constraint: (any Constraint)? = nil,
    trainable: Bool = true
  ) -> Variable {
    var generator = GlobalRandom.makeGenerator()
    var initial: Tensor
    do {
      let what = "layer '\(self.name)' (\(className)), weight '\(name)'"
      let count = try RuntimeOptions.checkTensorSize(shape, of: what)
      try WeightBudget.charge(count * MemoryLayout<Float>.stride, for: what)
      try initializer.validate(shape: shape)
      initial = initializer(shape: shape, generator: &generator)
    } catch {
      buildError =
        buildError
        ?? SwiftKerasError(
          .invalidArgument, "layer '\(self.name)' (\(className)), weight '\(name)': \(error)")
      // Nothing of the refused shape is allocated; build throws before the layer is used.
      initial = Tensor.zeros([0])
    }
    let variable = Variable(initial, name: name, trainable: trainable)
    ownWeights.append(variable)
    if let regularizer { regularizedWeights.append((variable, regularizer)) }
    if let constraint { constrainedWeights.append((variable, constraint)) }
    return variable
  }

  /// Every weight of this layer and its sublayers, trainable ones first as Keras lists them.
  public var weights: [Variable] { trainableWeights + nonTrainableWeights }

  /// The weights that training updates.
  public var trainableWeights: [Variable] {
    guard trainable else { return [] }
    return unique(
      (ownWeights + members.variables).filter { $0.trainable }
        + sublayers.flatMap { $0.trainableWeights })
  }

  /// The weights training leaves alone (moving statistics, frozen layers).
  public var nonTrainableWeights: [Variable] {
    let mine = ownWeights + members.variables
    let own = trainable ? mine.filter { !$0.trainable } : mine
    let nested = sublayers.flatMap { trainable ? $0.nonTrainableWeights : $0.weights }
    return unique(own + nested)
  }

  private func unique(_ variables: [Variable]) -> [Variable] {
    var seen = Set<ObjectIdentifier>()
    return variables.filter { seen.insert(ObjectIdentifier($0)).inserted }
  }

  /// The weight values, in ``weights`` order.
  public func getWeights() -> [Tensor] { weights.map { $0.untrackedValue } }

  /// Replaces the weight values, in ``weights`` order; shapes must match.
  public func setWeights(_ values: [Tensor]) throws {
    let targets = weights
    guard values.count == targets.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)': setWeights expects \(targets.count) arrays, got \(values.count)")
    }
    for (variable, value) in zip(targets, values) {
      guard variable.shape == value.shape else {
        throw SwiftKerasError(
          .shapeMismatch,
          "layer '\(name)': weight '\(variable.name)' has shape \(variable.shape), got \(value.shape)"
        )
      }
    }
    for (variable, value) in zip(targets, values) { variable.value = value }
  }

  /// The number of scalars in all weights.
  public func countParams() -> Int { weights.reduce(0) { $0 + Tensor.elementCount($1.shape) } }

  /// Regularization penalties: weight regularizers (computed now, so they are
  /// differentiable on a recording tape) plus the last call's activity penalties,
  /// including those of sublayers.
  public var losses: [Tensor] {
    regularizedWeights.map { variable, regularizer in regularizer(variable.value) } + callLosses
      + sublayers.flatMap { $0.losses }
  }

  /// Applies the weights' constraints, as optimizers do after each update in Keras.
  public func applyConstraints() {
    for (variable, constraint) in constrainedWeights {
      variable.value = constraint(variable.untrackedValue)
    }
    for layer in sublayers { layer.applyConstraints() }
  }

  // MARK: - Calling

  /// Builds the layer for `inputShapes` if it is not built yet.
  public func ensureBuilt(inputShapes: [Shape]) throws {
    guard !built else { return }
    do {
      for (_, property) in configProperties(of: self) { try property.validate() }
    } catch let error as SwiftKerasError {
      throw SwiftKerasError(error.kind, "layer '\(name)' (\(className)): \(error.message)")
    }
    try build(inputShapes: inputShapes)
    if let error = buildError {
      buildError = nil
      ownWeights = []
      regularizedWeights = []
      constrainedWeights = []
      throw error
    }
    builtInputShapes = inputShapes
    built = true
  }

  /// Marks the layer built without calling build (for layers built by other means).
  public func markBuilt(inputShapes: [Shape]) {
    builtInputShapes = inputShapes
    built = true
  }

  /// Applies the layer to concrete tensors (eager execution).
  public func callAsFunction(_ input: Tensor, training: Bool = false) throws -> Tensor {
    try callAsFunction([input], training: training)
  }

  /// Applies the layer to several concrete tensors (merging layers).
  public func callAsFunction(_ inputs: [Tensor], training: Bool = false) throws -> Tensor {
    try prepareCall(inputs.map { $0.shape })
    return finishCall(try call(inputs, training: training))
  }

  /// What a call does before computing: builds the layer for `shapes` if needed, checks
  /// them and clears the last call's losses. An execution plan that computes this layer
  /// inside a fused op calls it, then ``finishCall(_:)``.
  package func prepareCall(_ shapes: [[Int]]) throws {
    try ensureBuilt(inputShapes: shapes.map { batchShape(of: $0) })
    try checkInputs(shapes)
    callLosses = []
  }

  /// What a call does after computing `output`: adds the activity penalty.
  package func finishCall(_ output: Tensor) -> Tensor {
    if let activityRegularizer {
      callLosses.append(activityRegularizer(output) / Float(max(output.shape.first ?? 1, 1)))
    }
    return output
  }

  /// Throws when concrete input shapes do not fit the shapes the layer was built for.
  open func checkInputs(_ shapes: [[Int]]) throws {
    guard builtInputShapes.count == shapes.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "layer '\(name)' (\(className)) expects \(builtInputShapes.count) input(s), got \(shapes.count)"
      )
    }
    for (shape, expected) in zip(shapes, builtInputShapes) where !shapeMatches(shape, expected) {
      throw SwiftKerasError(
        .shapeMismatch,
        "layer '\(name)' (\(className)) expects input shape \(formatShape(expected)), got \(formatShape(shape.map { Optional($0) }))"
      )
    }
  }
}

extension Layer: CustomStringConvertible {
  public var description: String { "<\(className) name=\(name), built=\(built)>" }
}

/// A layer class that can be rebuilt from its Keras config alone: a final class whose
/// initializers are all convenience initializers inherits ``Layer/init(config:)`` and
/// conforms by declaring it. ``modelFromJSON(_:)`` and `loadModel(from:)` rebuild such
/// classes by name, with no registration.
///
/// ```swift
/// public final class Scale: Layer, ConfigInitializable {
///   @Config public var factor: Float = 1
///   public convenience init(factor: Float) {
///     self.init(name: nil)
///     self.factor = factor
///   }
/// }
/// ```
public protocol ConfigInitializable: Layer {
  /// The layer its config describes.
  init(config: LayerConfig) throws
}

/// Each thread's activity penalties of its last call, by layer.
private enum CallLosses {
  static let byLayer = ThreadLocal<[ObjectIdentifier: [Tensor]]> { [:] }
}

/// The layers and variables found in a layer's stored properties; never changed once made.
private final class DiscoveredMembers: @unchecked Sendable {
  let layers: [Layer]
  let variables: [Variable]
  init(_ found: (layers: [Layer], variables: [Variable])) {
    (layers, variables) = found
  }
}

/// A node the layer does not keep alive.
private struct WeakNode {
  weak var node: Node?
}
