extension Tensor {
  /// Whether every element is finite (no NaN, no infinity).
  public var isFinite: Bool {
    withUnsafeBufferPointer { buffer in buffer.allSatisfy { $0.isFinite } }
  }
}
