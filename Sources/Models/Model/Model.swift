import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasTraining
import Synchronization

/// A model: layers wired into a graph, trained and evaluated as one, as `keras.Model`.
///
/// Build one with the Functional API:
///
/// ```swift
/// let a = Input(shape: [16], name: "input_a")
/// let b = Input(shape: [8], name: "input_b")
/// let merged = try Concatenate()([try Dense(32, activation: .relu)(a), try Dense(32, activation: .relu)(b)])
/// let model = try Model(inputs: [a, b], outputs: [try Dense(1, activation: .sigmoid)(merged)])
/// ```
///
/// or subclass it and override ``call(_:training:)`` (a subclassed model), or use
/// ``Sequential`` for a plain stack. A model is a layer too: call it on tensors or on
/// symbolic tensors to nest it in another model.
open class Model: Layer {
  /// The symbolic inputs (empty for a subclassed model).
  public private(set) var inputs: [KerasTensor] = []
  /// The symbolic outputs (empty for a subclassed model).
  public private(set) var outputs: [KerasTensor] = []
  package var graph: GraphMap?
  /// How the model runs, fusion included: made once from the graph or the stack and
  /// shared by every thread calling the model.
  package var plan: ExecutionPlan? {
    get { planStorage.withLock { $0 } }
    set { planStorage.withLock { $0 = newValue } }
  }
  private let planStorage = Mutex<ExecutionPlan?>(nil)
  /// Layers a subclassed model tracks (see ``track(_:)``).
  private var trackedLayers: [Layer] = []

  // Training state (see Model+Compile.swift and Model+Fit.swift).
  /// What `compile` was given; resolved into ``optimizer``, losses and metrics by the
  /// first `fit`, `evaluate` or `trainOnBatch`.
  package var compileConfiguration: CompileConfiguration?
  package var compiled: CompiledTraining?
  /// The optimizer, once compile's choice has been resolved.
  public package(set) var optimizer: (any Optimizer)?
  /// Set to true (from a callback) to end `fit` after the current batch's epoch.
  public var stopTraining = false
  /// The History of the last `fit`.
  public package(set) var history: History?
  /// Set by a callback in `onTrainBegin` to make `fit` start at this epoch instead of its
  /// `initialEpoch` (BackupAndRestore resuming an interrupted run); `fit` clears it.
  public var resumeEpoch: Int?
  /// Set with ``resumeEpoch`` to resume inside that epoch: the batches of it already
  /// trained, which `fit` reads again (same order) without training on them; `fit`
  /// clears it.
  public var resumeStep: Int?
  /// The seed of the current `fit`'s shuffling, drawn from the global generator when
  /// `fit` starts; each epoch's order is derived from it and the epoch index. A callback
  /// may replace it in `onTrainBegin` so a resumed run shuffles as the original did.
  public var shuffleSeed: UInt64 = 0
  /// Each output's loss from the last ``computeLoss(x:y:yPred:sampleWeight:)``, for the
  /// per-output loss trackers of a multi-output model.
  package var lastOutputLosses: [Tensor] = []
  /// The masks the outputs of the current training or evaluation step carry (empty when
  /// none), which ``computeLoss(x:y:yPred:sampleWeight:)`` and the metrics apply.
  package var stepOutputMasks: [Tensor?] = []
  /// Where `fit` reports the first non-finite loss or weight of a run: standard error by
  /// default, as Keras logs a warning.
  public var warn: (String) -> Void = { message in
    FileHandle.standardError.write(Data(("WARNING: " + message + "\n").utf8))
  }
  /// Set by a data-parallel `fit` around each training step.
  package var dataParallelStep: DataParallelStep?
  /// Whether a `fit` is running (a second one, from another thread, throws).
  package let fitting = Atomic<Bool>(false)
  /// Taken by `evaluate`, whose compiled metrics belong to the model.
  package let evaluation = Mutex(())

  // MARK: - Steps (override to customise training, as Keras's `train_step`)

  /// One optimisation step on `batch`, as Keras's `train_step`: forward pass,
  /// ``computeLoss(x:y:yPred:sampleWeight:)``, gradients, optimizer update, constraints and
  /// ``computeMetrics(_:yPred:loss:)``; returns the running logs. `fit` and `trainOnBatch`
  /// call it; override it to change how the model learns (see Docs/Training.md).
  open func trainStep(_ batch: TrainingBatch) throws -> Logs { try standardTrainStep(batch) }

  /// One evaluation step on `batch`, as Keras's `test_step`: forward pass, loss, metrics.
  open func testStep(_ batch: TrainingBatch) throws -> Logs { try standardTestStep(batch) }

  /// The outputs for one batch of inputs, as Keras's `predict_step`.
  open func predictStep(_ x: [Tensor]) throws -> [Tensor] {
    try callOutputs(x, training: false).map { $0.detached }
  }

  /// The total loss of a batch, as Keras's `compute_loss`: the compiled losses of every
  /// output, weighted, plus the layers' regularization penalties. Differentiable on a
  /// recording tape.
  open func computeLoss(x: [Tensor], y: [Tensor], yPred: [Tensor], sampleWeight: Tensor?) throws
    -> Tensor
  {
    try standardComputeLoss(y: y, yPred: yPred, sampleWeight: sampleWeight)
  }

  /// Creates a functional model from symbolic inputs to symbolic outputs.
  ///
  /// - Throws: when an output does not depend only on the given inputs, or layer names
  ///   repeat.
  public init(inputs: [KerasTensor], outputs: [KerasTensor], name: String? = nil) throws {
    guard !inputs.isEmpty, !outputs.isEmpty else {
      throw SwiftKerasError(
        .invalidArgument, "Model(inputs:outputs:) needs at least one input and one output")
    }
    for input in inputs where !input.shape.dropFirst().allSatisfy({ ($0 ?? 1) > 0 }) {
      throw SwiftKerasError(
        .invalidArgument,
        "Model(inputs:outputs:): input '\(input.name)' has shape \(formatShape(input.shape)), with an extent that is not positive"
      )
    }
    self.inputs = inputs
    self.outputs = outputs
    let graph = try GraphMap(inputs: inputs, outputs: outputs)
    self.graph = graph
    let plan = ExecutionPlan(graph: graph, inputs: inputs, outputs: outputs)
    super.init(name: name ?? LayerNaming.uniqueName(for: "functional"))
    self.plan = plan
    markBuilt(inputShapes: inputs.map { $0.shape })
  }

  /// Creates a functional model with one input and one output.
  public convenience init(inputs: KerasTensor, outputs: KerasTensor, name: String? = nil) throws {
    try self.init(inputs: [inputs], outputs: [outputs], name: name)
  }

  /// Creates a functional model with one input and several outputs.
  public convenience init(inputs: KerasTensor, outputs: [KerasTensor], name: String? = nil) throws {
    try self.init(inputs: [inputs], outputs: outputs, name: name)
  }

  /// Creates a functional model with several inputs and one output.
  public convenience init(inputs: [KerasTensor], outputs: KerasTensor, name: String? = nil) throws {
    try self.init(inputs: inputs, outputs: [outputs], name: name)
  }

  /// Creates an empty model for subclassing: override ``call(_:training:)``; layers held in
  /// stored properties are found automatically.
  public override init(name: String? = nil) {
    super.init(name: name)
  }

  open override class var className: String {
    self == Model.self
      ? "Functional" : String(describing: self).components(separatedBy: ".").last ?? "Model"
  }

  /// Registers a layer of a subclassed model that is not held in a stored property (one
  /// kept in a dictionary, say); layers in properties need no registration.
  @discardableResult
  public func track<L: Layer>(_ layer: L) -> L {
    trackedLayers.append(layer)
    return layer
  }

  /// The model's layers: for a functional model in graph order, input layers included.
  open var layers: [Layer] {
    if let graph { return graph.layers }
    var seen = Set<ObjectIdentifier>()
    return (trackedLayers + super.sublayers).filter { seen.insert(ObjectIdentifier($0)).inserted }
  }

  open override var sublayers: [Layer] { layers }

  /// Whether this model runs a functional graph (as opposed to a subclass's `call`).
  public var isFunctional: Bool { graph != nil }

  /// The layer named `name`.
  public func getLayer(name: String) throws -> Layer {
    if let layer = layers.first(where: { $0.name == name }) { return layer }
    throw SwiftKerasError(
      .invalidArgument,
      "no layer named '\(name)' in model '\(self.name)'; layers: \(layers.map { $0.name }.joined(separator: ", "))"
    )
  }

  /// The layer at `index` of ``layers``.
  public func getLayer(index: Int) throws -> Layer {
    guard layers.indices.contains(index) else {
      throw SwiftKerasError(
        .invalidArgument,
        "model '\(name)' has \(layers.count) layers; index \(index) is out of range")
    }
    return layers[index]
  }

  // MARK: - Running

  /// Runs the model on concrete inputs and returns every output.
  open override func callOutputs(_ inputs: [Tensor], training: Bool) throws -> [Tensor] {
    guard graph != nil else { return [try call(inputs, training: training)] }
    return try outputsAndMasks(inputs, training: training).outputs
  }

  /// Every output with the mask it carries (nil for none), as Keras attaches
  /// `_keras_mask` to a model's outputs; losses and metrics leave masked steps out.
  package func outputsAndMasks(_ inputs: [Tensor], masks: [Tensor?] = [], training: Bool)
    throws -> (
      outputs: [Tensor], masks: [Tensor?]
    )
  {
    guard graph != nil else {
      let outputs = try callOutputs(inputs, training: training)
      return (outputs, outputs.map { _ in nil })
    }
    guard inputs.count == self.inputs.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "model '\(name)' expects \(self.inputs.count) input(s), got \(inputs.count)")
    }
    for (symbolic, value) in zip(self.inputs, inputs) {
      guard shapeMatches(value.shape, symbolic.shape) else {
        throw SwiftKerasError(
          .shapeMismatch,
          "model '\(name)': input '\(symbolic.name)' expects shape \(formatShape(symbolic.shape)), got \(formatShape(value.shape.map { Optional($0) }))"
        )
      }
    }
    guard let plan else {
      let outputs = [try call(inputs, training: training)]
      return (outputs, [nil])
    }
    return try plan.runWithMasks(inputs, masks: masks, training: training)
  }

  open override func call(_ inputs: [Tensor], training: Bool) throws -> Tensor {
    guard graph != nil else { return try super.call(inputs, training: training) }
    return try callOutputs(inputs, training: training)[0]
  }

  open override func checkInputs(_ shapes: [[Int]]) throws {
    if graph == nil { return }
    try super.checkInputs(shapes)
  }

  open override func computeOutputShape(inputShapes: [Shape]) throws -> Shape {
    if graph != nil { return outputs[0].shape }
    return try super.computeOutputShape(inputShapes: inputShapes)
  }

  /// The output shapes of every output.
  open var outputShapes: [Shape] { outputs.map { $0.shape } }

  /// What the model is built from: a graph, a stack, or Swift code.
  package var architecture: ModelArchitecture { graph != nil ? .functional : .subclassed }

  open override func symbolicOutputShapes(inputShapes: [Shape]) throws -> [Shape] {
    isFunctional ? outputShapes : try super.symbolicOutputShapes(inputShapes: inputShapes)
  }

  /// Whether every layer knows its output shape (what summary() needs).
  open var isBuiltForSummary: Bool { graph != nil || built }

  /// The losses of every layer (regularization penalties).
  public var regularizationLosses: [Tensor] { losses }
}

/// How a model is defined, which decides its config, summary rows and output names.
package enum ModelArchitecture {
  /// A graph of layers between symbolic inputs and outputs.
  case functional
  /// A ``Sequential`` stack, with its input shape and each layer's output shape once known.
  case stack(inputShape: Shape?, layerOutputShapes: [Shape])
  /// A subclass computing its outputs in Swift code.
  case subclassed
}
