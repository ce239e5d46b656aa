import SwiftKerasCore

extension WeightOptions {
  /// Options from an initializer's three `xInitializer`, `xRegularizer`, `xConstraint`
  /// arguments, in that order, which every layer initializer forwards alike.
  init(
    _ initializer: any Initializer, _ regularizer: (any Regularizer)?,
    _ constraint: (any Constraint)?
  ) {
    self.init(initializer: initializer, regularizer: regularizer, constraint: constraint)
  }
}
