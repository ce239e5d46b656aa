/// How the current data-parallel training step sums values across its ranks, set on the
/// training thread by data-parallel `fit`. Core knows no communicator: the closure does
/// the collective.
package final class CrossReplicaContext: @unchecked Sendable {
  /// This rank's share of the global batch's rows, by which data-parallel training scales
  /// its gradients after the backward pass.
  package let share: Float
  /// Returns the element-wise sum of `values` over every rank (the same on every rank).
  package let sum: ([Float]) -> [Float]

  package init(share: Float, sum: @escaping ([Float]) -> [Float]) {
    self.share = share
    self.sum = sum
  }

  /// This thread's context, nil outside data-parallel training steps.
  package static let current = ThreadLocal<CrossReplicaContext?>({ nil })
}

/// `x` summed element-wise over every data-parallel rank, differentiably: the value a
/// layer needs for statistics over the global batch (synchronized BatchNormalization).
/// Outside data-parallel training it is `x`.
///
/// Its gradient sums the ranks' upstream gradients, each weighted by its rank's share of
/// the batch and divided by this rank's share, because data-parallel training multiplies
/// each rank's whole gradient by its share afterwards.
public func crossReplicaSum(_ x: Tensor) -> Tensor {
  guard let context = CrossReplicaContext.current.value else { return x }
  let summed = Tensor(shape: x.shape, scalars: context.sum(x.scalars))
  return summed.recorded(from: x) { gradient in
    guard context.share > 0 else { return gradient * 0 }
    let weighted = context.sum((gradient * context.share).scalars)
    return Tensor(shape: gradient.shape, scalars: weighted) / context.share
  }
}
