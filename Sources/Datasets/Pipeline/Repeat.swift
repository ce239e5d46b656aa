import SwiftKerasCore

/// The passes of the stages before it, one after the other.
final class RepeatNode: DatasetNode, @unchecked Sendable {
  let upstream: any DatasetNode
  let times: Int?
  init(_ upstream: any DatasetNode, times: Int?) {
    self.upstream = upstream
    self.times = times
  }
  var depth: Int { upstream.depth + 1 }
  var cardinality: DatasetCardinality {
    switch (upstream.cardinality, times) {
    case (.finite(0), _): return .finite(0)
    case (.finite(let n), .some(let times)):
      let (product, overflow) = n.multipliedReportingOverflow(by: times)
      return overflow ? .infinite : .finite(product)
    case (.finite, nil), (.infinite, _): return .infinite
    case (.unknown, .some(0)): return .finite(0)
    case (.unknown, _): return .unknown
    }
  }
  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    let upstream = self.upstream
    let times = self.times
    var repetition = 0
    var current: DatasetIterator?
    var emptyPass = true
    return ClosureIterator {
      while true {
        if times.map({ repetition >= $0 }) ?? false { return nil }
        if current == nil {
          // Each repetition is a new pass: shuffles before it draw a new order, as
          // tf.data's reshuffle_each_iteration.
          current = try upstream.iterator(context.repetition(repetition))
          emptyPass = true
        }
        if let element = try current?.next() {
          emptyPass = false
          return element
        }
        current = nil
        repetition += 1
        // An endless repeat of an empty dataset would spin forever: end it instead.
        if emptyPass { return nil }
      }
    }
  }
}

extension Dataset {
  /// The dataset `times` times over, or without end when nil, as
  /// `tf.data.Dataset.repeat`; each repetition reshuffles the shuffles before it. Give
  /// `fit` a `stepsPerEpoch` for an endless dataset.
  public func `repeat`(_ times: Int? = nil) -> Dataset {
    if let times, times < 0 {
      return appendingFailure("Dataset.repeat: times must not be negative, got \(times)")
    }
    return appending(RepeatNode(node, times: times))
  }
}
