/// How many elements a ``Dataset`` yields, as `tf.data.Dataset.cardinality()`.
public enum DatasetCardinality: Equatable, Sendable {
  /// Exactly this many.
  case finite(Int)
  /// Without end (``Dataset/repeat(_:)`` with no count over a non-empty dataset).
  case infinite
  /// Not known before iterating (after ``Dataset/filter(_:)``, or a stream).
  case unknown

  /// The count when finite.
  public var count: Int? {
    if case .finite(let n) = self { return n }
    return nil
  }
}
