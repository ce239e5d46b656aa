import SwiftKerasCore

extension LossKernels {
  /// Whether every label is exactly 0 or 1, in which case hinge losses map them to −1/1.
  static func labelsAreBinary(_ yTrue: Tensor) -> Bool {
    yTrue.withUnsafeBufferPointer { buffer in buffer.allSatisfy { $0 == 0 || $0 == 1 } }
  }
}
