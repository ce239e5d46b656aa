import SwiftKeras
import TestSupport
import XCTest

@testable import SwiftKerasCore

/// The gradient tape: watching, variables, persistence, accumulation, unconnected sources,
/// `detached` and output-gradient seeding.
final class GradientTapeTests: XCTestCase {
  func testWatchedTensorGetsGradient() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([1, 2, 3]))
    XCTAssertTrue(tape.isWatching(x))
    let y = tape.record { (x * x).sum() }
    XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [2, 4, 6])
  }

  func testUnwatchedTensorIsNotRecorded() {
    let tape = GradientTape()
    let x = Tensor([1, 2, 3])
    XCTAssertFalse(tape.isWatching(x))
    let y = tape.record { (x * x).sum() }
    XCTAssertNil(tape.gradient(of: y, wrt: x))
    XCTAssertEqual(tape.gradient(of: y, wrt: [x], unconnected: .zero)[0]?.scalars, [0, 0, 0])
  }

  func testValueUsedTwiceAccumulates() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([3, -1]))
    // y = x * x + x + x: dy/dx = 2x + 2.
    let y = tape.record { x * x + x + x }
    XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [8, 0])
    let t2 = GradientTape()
    let z = t2.watch(Tensor([2]))
    let w = t2.record { z + z }
    XCTAssertEqual(t2.gradient(of: w, wrt: z)?.scalars, [2])
  }

  func testAccumulationDoesNotCorruptSharedGradients() {
    // x + x hands the same gradient buffer to both operands; accumulating must not write
    // into a buffer another entry still holds.
    let tape = GradientTape(persistent: true)
    let x = tape.watch(Tensor([1, 2]))
    let seed = Tensor([5, 7])
    let y = tape.record { (x + x) * 1 }
    XCTAssertEqual(tape.gradient(of: y, wrt: [x], outputGradient: seed)[0]?.scalars, [10, 14])
    XCTAssertEqual(seed.scalars, [5, 7])
    XCTAssertEqual(tape.gradient(of: y, wrt: [x], outputGradient: seed)[0]?.scalars, [10, 14])
  }

  func testTrainableVariablesAreWatchedAutomatically() {
    let w = Variable(Tensor([1, 2]), name: "w")
    let frozen = Variable(Tensor([3, 4]), name: "frozen", trainable: false)
    let tape = GradientTape()
    let loss = tape.record { (w.value * w.value * frozen.value).sum() }
    let grads = tape.gradient(of: loss, wrt: [w, frozen])
    XCTAssertEqual(grads[0]?.scalars, [6, 16])
    XCTAssertNil(grads[1])
  }

  func testNonTrainableVariableWatchedExplicitly() {
    let frozen = Variable(Tensor([3, 4]), trainable: false)
    let tape = GradientTape()
    tape.watch(frozen)
    let loss = tape.record { (frozen.value * frozen.value).sum() }
    XCTAssertEqual(tape.gradient(of: loss, wrt: [frozen])[0]?.scalars, [6, 8])
  }

  func testVariableReadTwiceSharesOneLeaf() {
    let w = Variable(Tensor([2]))
    let tape = GradientTape()
    let loss = tape.record {
      let a = w.value
      let b = w.value
      return (a * b).sum()
    }
    XCTAssertEqual(tape.gradient(of: loss, wrt: [w])[0]?.scalars, [4])
  }

  func testVariableUnconnectedGradients() {
    let used = Variable(Tensor([1, 2]))
    let unused = Variable(Tensor.ones([2, 2]))
    let tape = GradientTape(persistent: true)
    let loss = tape.record { used.value.sum() }
    XCTAssertNil(tape.gradient(of: loss, wrt: [unused])[0])
    XCTAssertEqual(tape.gradient(of: loss, wrt: [unused], unconnected: .zero)[0]?.shape, [2, 2])
    XCTAssertEqual(
      tape.gradient(of: loss, wrt: [unused], unconnected: .zero)[0]?.scalars, [0, 0, 0, 0])
    // A variable read on the tape but not used by the target.
    let tape2 = GradientTape()
    let loss2 = tape2.record { () -> Tensor in
      _ = unused.value
      return used.value.sum()
    }
    XCTAssertNil(tape2.gradient(of: loss2, wrt: [unused])[0])
  }

  func testVariableReadOutsideRecordIsNotTracked() {
    let w = Variable(Tensor([1, 2]))
    let outside = w.value
    let tape = GradientTape()
    let loss = tape.record { (outside * 2).sum() }
    XCTAssertNil(tape.gradient(of: loss, wrt: [w])[0])
    XCTAssertEqual(w.untrackedValue.scalars, [1, 2])
  }

  func testVariableAssignment() {
    let v = Variable(Tensor([1, 2]), name: "v")
    v.value = Tensor([3, 4])
    XCTAssertEqual(v.value.scalars, [3, 4])
    v.assign(Tensor.zeros([3]))
    XCTAssertEqual(v.shape, [3])
    XCTAssertEqual(v.name, "v")
    XCTAssertTrue(v.trainable)
  }

  func testPersistentTapeGivesGradientsTwice() {
    let tape = GradientTape(persistent: true)
    XCTAssertTrue(tape.persistent)
    let x = tape.watch(Tensor([1, 2]))
    let (y, z) = tape.record { ((x * x).sum(), (x * 3).sum()) }
    XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [2, 4])
    XCTAssertEqual(tape.gradient(of: z, wrt: x)?.scalars, [3, 3])
    XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [2, 4])
  }

  func testNonPersistentTapeGivesIntermediateGradients() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([1, 2]))
    let (h, y) = tape.record { () -> (Tensor, Tensor) in
      let h = x * 3
      return (h, (h * h).sum())
    }
    let grads = tape.gradient(of: y, wrt: [h, x])
    XCTAssertEqual(grads[0]?.scalars, [6, 12])
    XCTAssertEqual(grads[1]?.scalars, [18, 36])
  }

  func testNestedFunctionsChainRule() {
    func inner(_ t: Tensor) -> Tensor { exp(t) * 2 }
    func middle(_ t: Tensor) -> Tensor { inner(t * t).sum(alongAxis: 1) }
    func outer(_ t: Tensor) -> Tensor { log(middle(t)).mean() }
    let x = sampleTensor([2, 3], seed: 81, low: -1, high: 1)
    assertGradientsMatchFiniteDifferences([x], epsilon: 1e-3) { outer($0[0]) }
    // And through a tape opened inside a helper function.
    func lossAndGradient(_ w: Variable) -> Tensor? {
      let tape = GradientTape()
      let loss = tape.record { outer(w.value) }
      return tape.gradient(of: loss, wrt: [w])[0]
    }
    let w = Variable(x)
    XCTAssertEqual(lossAndGradient(w)?.shape, [2, 3])
  }

  func testDetachedStopsGradients() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([1, 2]))
    let y = tape.record { (x * x.detached).sum() }
    XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [1, 2])
    let t2 = GradientTape()
    let z = t2.watch(Tensor([1, 2]))
    XCTAssertFalse(t2.isWatching(z.detached))
    let w = t2.record { (z.detached * 5).sum() }
    XCTAssertNil(t2.gradient(of: w, wrt: z))
  }

  func testOutputGradientSeeding() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([1, 2, 3]))
    let y = tape.record { x * x }
    let g = tape.gradient(of: y, wrt: [x], outputGradient: Tensor([1, 0, -1]))
    XCTAssertEqual(g[0]?.scalars, [2, 0, -6])
  }

  func testOutputGradientSeedingForVariables() {
    let w = Variable(Tensor([1, 2, 3]))
    let tape = GradientTape()
    let y = tape.record { w.value * w.value }
    let g = tape.gradient(of: y, wrt: [w], outputGradient: Tensor([0, 1, 2]))
    XCTAssertEqual(g[0]?.scalars, [0, 4, 12])
  }

  func testGradientOfATargetWithRespectToItselfIsTheSeed() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([1, 2]))
    let y = tape.record { x * 3 }
    let grads = tape.gradient(of: y, wrt: [y, x])
    XCTAssertEqual(grads[0]?.scalars, [1, 1])
    XCTAssertEqual(grads[1]?.scalars, [3, 3])
  }

  func testNonScalarTargetIsSummed() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([[1, 2], [3, 4]]))
    let y = tape.record { x * 2 }
    XCTAssertEqual(tape.gradient(of: y, wrt: x)?.scalars, [2, 2, 2, 2])
  }

  func testTargetNotOnTapeGivesNilOrZeros() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([1, 2]))
    let y = Tensor([5]) * 2
    let grads = tape.gradient(of: y, wrt: [x], unconnected: .zero)
    XCTAssertEqual(grads[0]?.scalars, [0, 0])
    let t2 = GradientTape()
    let a = t2.watch(Tensor([1]))
    XCTAssertNil(t2.gradient(of: Tensor([1]), wrt: a))
  }

  func testSourceOfAnotherTapeIsUnconnected() {
    let t1 = GradientTape()
    let t2 = GradientTape()
    let x = t1.watch(Tensor([1, 2]))
    let y = t2.record { (x * x).sum() }
    XCTAssertNil(t2.gradient(of: y, wrt: x))
  }

  func testOperationsOutsideRecordAreNotTracked() {
    let tape = GradientTape()
    let x = tape.watch(Tensor([1, 2]))
    let y = (x * x).sum()
    XCTAssertNil(tape.gradient(of: y, wrt: x))
  }

  func testInnerTapeRecordsWhileOuterIsSuspended() {
    let outer = GradientTape()
    let inner = GradientTape()
    let x = outer.watch(Tensor([1, 2]))
    let (a, b) = outer.record { () -> (Tensor, Tensor) in
      let a = x * 2
      let b = inner.record { () -> Tensor in
        let z = inner.watch(Tensor([3]))
        return (z * z).sum()
      }
      return (a.sum(), b)
    }
    XCTAssertEqual(outer.gradient(of: a, wrt: x)?.scalars, [2, 2])
    XCTAssertNil(b.recordingTape)
    _ = b
  }

  func testGradientOfMutatedTensorIsUntracked() {
    let tape = GradientTape()
    var x = tape.watch(Tensor([1, 2]))
    x[[0]] = 5
    XCTAssertFalse(tape.isWatching(x))
  }

  func testCompositeExpressionMatchesFiniteDifferences() {
    let x = sampleTensor([4, 3], seed: 82)
    let w = sampleTensor([3, 2], seed: 83)
    let b = sampleTensor([2], seed: 84)
    assertGradientsMatchFiniteDifferences([x, w, b], epsilon: 1e-3) { xs in
      let logits = matmul(xs[0], xs[1]) + xs[2]
      return -(logits.logSoftmax() * Tensor([[1, 0], [0, 1], [1, 0], [0, 1]])).sum(alongAxis: 1)
        .mean()
        + xs[1].variance() + maximum(xs[0], 0).mean()
    }
  }
}
