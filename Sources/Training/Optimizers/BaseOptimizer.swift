import Foundation
import SwiftKerasCore

/// The machinery every built-in optimizer shares, as Keras's `BaseOptimizer`: the
/// learning rate or schedule, the iteration counter, gradient clipping, weight decay,
/// slot variables and the `apply` loop.
///
/// A subclass declares its slots in ``slotGroups``, implements
/// ``update(variable:gradient:slots:step:)`` as one fused pass over the buffers, and adds
/// its hyperparameters in ``extraConfig()``.
///
/// ```swift
/// let sgd = SGD(learningRate: 0.1, momentum: 0.9)
/// try sgd.apply(gradients: [gradW, gradB], to: [w, b])
/// sgd.iterations   // 1
/// ```
open class BaseOptimizer: Optimizer {
  /// The optimizer's name; slot variables are named `"<variable>_<slot>"`.
  public var name: String
  /// The number of steps applied so far.
  public var iterations: Int = 0
  /// The schedule the learning rate follows, or nil for a constant rate.
  public var learningRateSchedule: LearningRateSchedule?
  private var constantLearningRate: Float
  /// Keras's `weight_decay`: before each update, `variable -= variable * weightDecay * lr`.
  public var weightDecay: Double?
  /// Keras's `clipnorm`: each gradient is rescaled so its L2 norm is at most this.
  public let clipnorm: Double?
  /// Keras's `clipvalue`: each gradient element is clipped to `[-clipvalue, clipvalue]`.
  public let clipvalue: Double?
  /// Keras's `global_clipnorm`: all gradients are rescaled so their joint L2 norm is at
  /// most this.
  public let globalClipnorm: Double?

  /// Whether ``build(variables:)`` has created the slots.
  public private(set) var isBuilt = false
  /// The variables the optimizer was built with, in order.
  public private(set) var builtVariables: [Variable] = []
  /// For each built variable, its slots in the order the ``slotGroups`` name them.
  public private(set) var slotsPerVariable: [[Variable]] = []
  private var orderedState: [Variable] = []
  private var indexByVariable: [ObjectIdentifier: Int] = [:]
  private var excludedFromDecay: Set<ObjectIdentifier> = []
  private var excludedNamesFromDecay: [String] = []

  /// Creates the shared state; subclasses call this from their initialisers.
  ///
  /// - Throws: ``SwiftKerasError`` when more than one of `clipnorm`, `clipvalue` and
  ///   `globalClipnorm` is set, as Keras.
  public init(
    learningRate: LearningRateValue, name: String, weightDecay: Double?, clipnorm: Double?,
    clipvalue: Double?, globalClipnorm: Double?
  ) throws {
    let clipCount = [clipnorm, clipvalue, globalClipnorm].filter { $0 != nil }.count
    guard clipCount <= 1 else {
      throw SwiftKerasError(
        .invalidArgument,
        "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
          + "clipnorm=\(describe(clipnorm)), clipvalue=\(describe(clipvalue)), "
          + "global_clipnorm=\(describe(globalClipnorm))")
    }
    switch learningRate {
    case .constant(let value):
      constantLearningRate = value
      learningRateSchedule = nil
    case .schedule(let schedule):
      constantLearningRate = 0
      learningRateSchedule = schedule
    }
    self.name = name
    self.weightDecay = weightDecay
    self.clipnorm = clipnorm
    self.clipvalue = clipvalue
    self.globalClipnorm = globalClipnorm
  }

  // MARK: Learning rate

  /// The learning rate of the next step: the schedule's value at ``iterations``, or the
  /// constant rate.
  ///
  /// Setting it fixes a constant rate. Keras raises a `TypeError` when the optimizer
  /// follows a schedule; here the assignment replaces the schedule instead (use
  /// ``setLearningRate(_:)`` for Keras's strict behaviour).
  public var learningRate: Float {
    get { learningRateSchedule.map { $0(step: iterations) } ?? constantLearningRate }
    set {
      learningRateSchedule = nil
      constantLearningRate = newValue
    }
  }

  /// Sets a constant learning rate, throwing as Keras does when the optimizer was
  /// created with a ``LearningRateSchedule``.
  public func setLearningRate(_ value: Float) throws {
    if let schedule = learningRateSchedule {
      throw SwiftKerasError(
        .invalidState,
        "This optimizer was created with a `LearningRateSchedule` (\(schedule.kerasClassName)) "
          + "as its `learning_rate`, hence its learning rate is not settable; create the "
          + "optimizer with a Float learning rate, or assign `learningRate` to replace the schedule."
      )
    }
    constantLearningRate = value
  }

  // MARK: Subclass hooks

  /// The slot groups created per variable, in Keras's order. Default: none.
  open var slotGroups: [SlotGroup] { [] }

  /// Optimizer-wide state variables created at build after the per-variable slots
  /// (Nadam's `u_product`). Default: none.
  open func makeGlobalState() -> [Variable] { [] }

  /// Called once per step, after clipping and before the per-variable updates (Keras's
  /// `_backend_update_step`). Default: nothing.
  open func prepareStep(learningRate: Float) {}

  /// Updates `variable` in place from `gradient`, using and updating `slots` (the
  /// variable's slots in ``slotGroups`` order). Implementations apply
  /// ``OptimizerStep/gradient(_:)`` and ``OptimizerStep/decayed(_:)`` to each element in
  /// the same pass.
  open func update(variable: Variable, gradient: Tensor, slots: [Variable], step: OptimizerStep) {
    preconditionFailure("\(type(of: self)) must override update(variable:gradient:slots:step:)")
  }

  /// The subclass's hyperparameters, merged into ``getConfig()``. Default: none.
  open func extraConfig() -> [String: ConfigValue] { [:] }

  // MARK: Building and state

  /// Creates the slots for `variables` (once; later calls do nothing), as Keras's `build`.
  public func build(variables: [Variable]) throws {
    guard !isBuilt else { return }
    let groups = slotGroups
    builtVariables = variables
    indexByVariable = [:]
    for (i, variable) in variables.enumerated() { indexByVariable[ObjectIdentifier(variable)] = i }
    slotsPerVariable = Array(repeating: [], count: variables.count)
    orderedState = []
    for group in groups {
      for (i, variable) in variables.enumerated() {
        for slotName in group.names {
          let slot = Variable(
            Tensor(repeating: group.initialValue, shape: variable.shape),
            name: "\(variable.name)_\(slotName)", trainable: false)
          slotsPerVariable[i].append(slot)
          orderedState.append(slot)
        }
      }
    }
    orderedState.append(contentsOf: makeGlobalState())
    isBuilt = true
  }

  /// The slot variables in Keras's order (then any optimizer-wide state).
  public func stateVariables() -> [Variable] { orderedState }

  /// Restores slot values saved from ``stateVariables()`` (same order and shapes).
  ///
  /// - Throws: ``SwiftKerasError`` when the optimizer is not built or the values do not
  ///   match its state.
  public func loadStateValues(_ values: [Tensor]) throws {
    guard isBuilt else {
      throw SwiftKerasError(
        .invalidState,
        "optimizer '\(name)' is not built; call build(variables:) before loading its state")
    }
    guard values.count == orderedState.count else {
      throw SwiftKerasError(
        .shapeMismatch,
        "optimizer '\(name)' has \(orderedState.count) state variables, got \(values.count) values")
    }
    for (variable, value) in zip(orderedState, values) where variable.shape != value.shape {
      throw SwiftKerasError(
        .shapeMismatch,
        "optimizer '\(name)': state variable '\(variable.name)' has shape \(variable.shape), "
          + "got a value of shape \(value.shape)")
    }
    for (variable, value) in zip(orderedState, values) { variable.value = value }
  }

  /// Excludes variables from weight decay, as Keras's `exclude_from_weight_decay`:
  /// the given variables, and every variable whose name contains one of `names`.
  ///
  /// - Throws: ``SwiftKerasError`` once the optimizer is built, as Keras.
  public func excludeFromWeightDecay(variables: [Variable] = [], names: [String] = []) throws {
    guard !isBuilt else {
      throw SwiftKerasError(
        .invalidState,
        "`exclude_from_weight_decay()` can only be configured before the optimizer is built.")
    }
    excludedFromDecay = Set(variables.map { ObjectIdentifier($0) })
    excludedNamesFromDecay = names
  }

  private func usesWeightDecay(_ variable: Variable) -> Bool {
    if excludedFromDecay.contains(ObjectIdentifier(variable)) { return false }
    return !excludedNamesFromDecay.contains { variable.name.contains($0) }
  }

  // MARK: Applying gradients

  /// Applies one step, as Keras's `optimizer.apply(grads, variables)`: nil gradients are
  /// skipped (their variables are neither decayed nor updated), gradients are clipped,
  /// weight decay is applied, each variable is updated in place, then ``iterations``
  /// increases by one. An empty list does nothing.
  public func apply(gradients: [Tensor?], to variables: [Variable]) throws {
    guard gradients.count == variables.count else {
      throw SwiftKerasError(
        .invalidArgument,
        "optimizer '\(name)': got \(gradients.count) gradients for \(variables.count) variables")
    }
    if gradients.isEmpty { return }
    try build(variables: variables)
    var indices: [Int] = []
    indices.reserveCapacity(variables.count)
    for (variable, gradient) in zip(variables, gradients) {
      guard let index = indexByVariable[ObjectIdentifier(variable)] else {
        throw SwiftKerasError(
          .invalidState,
          "optimizer '\(name)': unknown variable '\(variable.name)'; this optimizer can only be "
            + "called for the variables it was built with")
      }
      indices.append(index)
      if let gradient, gradient.shape != variable.shape {
        throw SwiftKerasError(
          .shapeMismatch,
          "optimizer '\(name)': gradient of shape \(gradient.shape) does not match variable "
            + "'\(variable.name)' of shape \(variable.shape)")
      }
    }
    guard gradients.contains(where: { $0 != nil }) else {
      throw SwiftKerasError(.invalidArgument, "No gradients provided for any variable.")
    }

    let rate = learningRate
    var globalScale: Float?
    if clipnorm == nil, let limit = globalClipnorm, limit > 0 {
      var total: Double = 0
      for gradient in gradients { if let gradient { total += squaredNorm(gradient) } }
      let norm = Float(total.squareRoot())
      // Keras: clip_norm * min(1 / norm, 1 / clip_norm) + (norm - norm).
      globalScale = Float(limit) * Swift.min(1 / norm, Float(1 / limit)) + (norm - norm)
    }
    let decay = weightDecay.map { Float($0) }
    prepareStep(learningRate: rate)
    for (k, gradient) in gradients.enumerated() {
      guard let gradient else { continue }
      let variable = variables[k]
      let clipping: OptimizerStep.Clipping
      if let limit = clipnorm, limit > 0 {
        let norm = Float(squaredNorm(gradient).squareRoot())
        clipping = .byNorm(numerator: Float(limit), denominator: Swift.max(norm, Float(limit)))
      } else if let scale = globalScale {
        clipping = .byScale(scale)
      } else if let limit = clipvalue, limit > 0 {
        clipping = .byValue(Float(limit))
      } else {
        clipping = .none
      }
      let step = OptimizerStep(
        learningRate: rate, iteration: iterations,
        weightDecay: usesWeightDecay(variable) ? decay : nil, clipping: clipping)
      update(
        variable: variable, gradient: gradient, slots: slotsPerVariable[indices[k]], step: step)
    }
    iterations += 1
  }

  private func squaredNorm(_ tensor: Tensor) -> Double {
    tensor.withUnsafeBufferPointer { buffer in
      var sum: Double = 0
      for x in buffer { sum += Double(x) * Double(x) }
      return sum
    }
  }

  // MARK: Config

  /// The configuration with Keras's keys: the base optimizer's keys (`name`,
  /// `learning_rate` — a number or a serialized schedule —, `weight_decay`, `clipnorm`,
  /// `global_clipnorm`, `clipvalue`, `use_ema`, …) and the subclass's ``extraConfig()``.
  public func getConfig() -> ConfigValue {
    var config: [String: ConfigValue] = [
      "name": .string(name),
      "learning_rate": learningRateSchedule?.serialized() ?? .double(Double(constantLearningRate)),
      "weight_decay": optional(weightDecay),
      "clipnorm": optional(clipnorm),
      "global_clipnorm": optional(globalClipnorm),
      "clipvalue": optional(clipvalue),
      "use_ema": false,
      "ema_momentum": 0.99,
      "ema_overwrite_frequency": nil,
      "loss_scale_factor": nil,
      "gradient_accumulation_steps": nil,
    ]
    config.merge(extraConfig()) { _, new in new }
    return .object(config)
  }
}

private func optional(_ value: Double?) -> ConfigValue {
  value.map { .double($0) } ?? .null
}

private func describe(_ value: Double?) -> String {
  value.map { "\($0)" } ?? "None"
}

extension BaseOptimizer {
  /// Gives a fused update the gradient's elements and the variable's and its slot's
  /// elements to write, the nesting every one-slot update needs.
  public func withBuffers(
    _ variable: Variable, _ gradient: Tensor, _ slot: Variable,
    _ body: (
      UnsafeBufferPointer<Float>, inout UnsafeMutableBufferPointer<Float>,
      inout UnsafeMutableBufferPointer<Float>
    ) -> Void
  ) {
    gradient.withUnsafeBufferPointer { g in
      variable.update { w in
        slot.update { a in body(g, &w, &a) }
      }
    }
  }

  /// The same for an update with two slots.
  public func withBuffers(
    _ variable: Variable, _ gradient: Tensor, _ first: Variable, _ second: Variable,
    _ body: (
      UnsafeBufferPointer<Float>, inout UnsafeMutableBufferPointer<Float>,
      inout UnsafeMutableBufferPointer<Float>, inout UnsafeMutableBufferPointer<Float>
    ) -> Void
  ) {
    withBuffers(variable, gradient, first) { g, w, a in
      second.update { b in body(g, &w, &a, &b) }
    }
  }
}
