import Foundation
import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore
@testable import SwiftKerasTraining

/// Cross-entropy of a softmax output is computed from its logits (Keras on TensorFlow
/// does the same through `_keras_logits`), so confident wrong predictions are not capped
/// by the 1e-7 clipping and the gradient is softmax − one-hot.
final class SoftmaxCrossentropyFusionTests: XCTestCase {
  func testSparseCrossentropyOfASoftmaxUsesTheLogits() throws {
    let loss = SparseCategoricalCrossentropy()
    let tape = GradientTape()
    let logits = tape.watch(Tensor([[0, 100]]))
    let value = tape.record { loss(yTrue: Tensor([0]), yPred: logits.softmax(), sampleWeight: nil) }
    // −log softmax(z)[0] = logSumExp(z) − z[0] = 100 + log(1 + e^-100) ≈ 100.
    XCTAssertEqual(value.scalar, 100, accuracy: 1e-4)
    let gradient = try XCTUnwrap(tape.gradient(of: value, wrt: logits))
    XCTAssertEqual(gradient.scalars[0], -1, accuracy: 1e-6)
    XCTAssertEqual(gradient.scalars[1], 1, accuracy: 1e-6)

    // The same probabilities not produced by softmax go through Keras's clipping:
    // −log(1e-7) = 16.118.
    let copied = Tensor(shape: [1, 2], scalars: logits.softmax().scalars)
    XCTAssertEqual(
      loss(yTrue: Tensor([0]), yPred: copied, sampleWeight: nil).scalar, 16.118, accuracy: 1e-3)
  }

  func testCategoricalCrossentropyOfASoftmaxUsesTheLogits() {
    let loss = CategoricalCrossentropy()
    let probabilities = Tensor([[0, 50, -50]]).softmax()
    let value = loss(yTrue: Tensor([[0, 0, 1]]), yPred: probabilities, sampleWeight: nil)
    XCTAssertEqual(value.scalar, 100, accuracy: 1e-3)
  }
}
