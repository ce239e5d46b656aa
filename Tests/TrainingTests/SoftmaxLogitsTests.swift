import SwiftKeras
import SwiftKerasCore
import TestSupport
import XCTest

/// A softmax output carries its logits, so cross-entropy on it is computed from the
/// logits as Keras does on TensorFlow; a tensor merely derived from it does not.
final class SoftmaxLogitsTests: XCTestCase {
  func testCrossEntropyOnASoftmaxOutputUsesTheLogits() throws {
    // Probabilities this confident clip at 1e-7 when taken at face value.
    let logits = Tensor([[40, 0, 0], [0, 0, 40]])
    let labels = Tensor([1, 2])
    let probabilities = logits.softmax()
    XCTAssertEqual(probabilities.softmaxLogits?.scalars, logits.scalars)
    let loss = SparseCategoricalCrossentropy()
    let fromSoftmax = loss(yTrue: labels, yPred: probabilities, sampleWeight: nil).scalars[0]
    let fromLogits = SparseCategoricalCrossentropy(fromLogits: true)(
      yTrue: labels, yPred: logits, sampleWeight: nil
    ).scalars[0]
    XCTAssertEqual(fromSoftmax, fromLogits, accuracy: 1e-4)
    XCTAssertEqual(fromSoftmax, 20, accuracy: 1e-3)  // (40 + 0) / 2: no clipping

    let copy = probabilities.reshaped(to: [3, 2]).reshaped(to: [2, 3])
    XCTAssertNil(copy.softmaxLogits)
    let clipped = loss(yTrue: labels, yPred: copy, sampleWeight: nil).scalars[0]
    XCTAssertLessThan(clipped, 17, "taken at face value, the probabilities clip at 1e-7")
  }
}
