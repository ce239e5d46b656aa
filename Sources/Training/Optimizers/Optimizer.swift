import SwiftKerasCore

/// Something that updates variables from their gradients: the `optimizer` of
/// `model.compile`, as `keras.optimizers.Optimizer`.
///
/// Every built-in optimizer (``SGD``, ``Adam``, ``AdamW``, ``RMSprop``, ``Adagrad``,
/// ``Adadelta``, ``Adamax``, ``Nadam``, ``Lion``) follows Keras 3's update rules,
/// defaults and order of operations exactly: gradients are clipped, weight decay is
/// applied, the update runs, and ``iterations`` is incremented.
///
/// ```swift
/// let optimizer: Optimizer = try Adam(learningRate: 1e-3)   // or try makeOptimizer("adam")
/// try optimizer.apply(gradients: grads, to: model.trainableVariables)
/// optimizer.learningRate *= 0.1          // e.g. from a callback
/// ```
///
/// The typed shorthands (`.adam(learningRate:)`, `.sgd(momentum:)`, …) resolve where a
/// concrete or generic optimizer type is expected (`some Optimizer`, `T: Optimizer`);
/// Swift does not allow them where the type is the existential `any Optimizer`.
public protocol Optimizer: AnyObject, OptimizerConvertible {
  /// The optimizer's name, e.g. `"adam"`; slot variables are named after it.
  var name: String { get set }

  /// The learning rate used by the next step.
  ///
  /// With a ``LearningRateSchedule`` this is the schedule's value at ``iterations``.
  /// Setting it fixes a constant rate (see ``BaseOptimizer/learningRate`` for how a
  /// schedule is handled).
  var learningRate: Float { get set }

  /// The number of steps applied so far (Keras's `optimizer.iterations`).
  var iterations: Int { get set }

  /// Creates the slot variables (momentums, velocities, …) for `variables`.
  ///
  /// ``apply(gradients:to:)`` builds on first use; call this directly to restore a
  /// saved state before the first step. Calling it again does nothing.
  func build(variables: [Variable]) throws

  /// Applies one step: each non-nil `gradients[i]` updates `variables[i]` in place.
  ///
  /// - Throws: ``SwiftKerasError`` when the counts differ, a gradient's shape differs
  ///   from its variable's, every gradient is nil, or a variable is not one the
  ///   optimizer was built with.
  func apply(gradients: [Tensor?], to variables: [Variable]) throws

  /// The optimizer's slot variables in Keras's order (`optimizer.variables` without
  /// `iteration` and `learning_rate`); empty before ``build(variables:)``.
  ///
  /// Together with ``iterations`` and ``learningRate`` they are the whole training
  /// state: saving their values and restoring them resumes training exactly.
  func stateVariables() -> [Variable]

  /// Restores the values of ``stateVariables()`` (same order and shapes), after
  /// ``build(variables:)``; set ``iterations`` too to resume a run exactly.
  ///
  /// - Throws: ``SwiftKerasError`` when the optimizer is not built or the values do not
  ///   match its state variables.
  func loadStateValues(_ values: [Tensor]) throws

  /// The configuration with Keras's keys (`"learning_rate"`, `"beta_1"`, …).
  func getConfig() -> ConfigValue
}

extension Optimizer {
  /// The Keras class name written when the optimizer is serialized (`"Adam"`,
  /// `"RMSprop"`): the Swift type's name, which for built-in optimizers is Keras's.
  public var kerasClassName: String { String(describing: type(of: self)) }

  /// The optimizer as Keras serializes it in a `.keras` file's `compile_config`:
  /// `{"module": "keras.optimizers", "class_name": …, "config": …, "registered_name": null}`.
  public func serialized() -> ConfigValue {
    [
      "module": "keras.optimizers",
      "class_name": .string(kerasClassName),
      "config": getConfig(),
      "registered_name": nil,
    ]
  }
}
