import SwiftKerasCore
import XCTest

/// The cores the kernels may use while pipeline workers hold some.
final class ComputeThreadsTests: XCTestCase {
  func testReservedCoresAreTakenFromTheKernelsButNeverTheLastOne() {
    XCTAssertEqual(ComputeThreads.available(of: 2), 2)
    ComputeThreads.reserve()
    XCTAssertEqual(ComputeThreads.available(of: 2), 1)
    XCTAssertEqual(ComputeThreads.available(of: 8), 7)
    ComputeThreads.reserve()
    XCTAssertEqual(ComputeThreads.available(of: 2), 1)
    ComputeThreads.release()
    ComputeThreads.release()
    XCTAssertEqual(ComputeThreads.available(of: 2), 2)
  }

  func testAWorkersTimingNeverChangesAResult() {
    // A worker reserving a core mid-run changes the element-wise workers, never the
    // bits; OpenBLAS, whose rounding depends on its thread count, does not follow it.
    var generator = RandomGenerator(seed: 3)
    let a = Tensor.randomUniform(shape: [300, 300], generator: &generator)
    let b = Tensor.randomUniform(shape: [300, 300], generator: &generator)
    let wide = Tensor.randomUniform(shape: [1 << 18], generator: &generator)
    let freeProduct = matmul(a, b).scalars
    let freeExp = exp(wide).scalars
    ComputeThreads.reserve()
    let reservedProduct = matmul(a, b).scalars
    let reservedExp = exp(wide).scalars
    ComputeThreads.release()
    XCTAssertEqual(reservedProduct, freeProduct)
    XCTAssertEqual(reservedExp, freeExp)
  }

  func testARunsPipelineWorkersTakeOpenBLASThreadsForTheWholeRun() {
    XCTAssertEqual(ComputeThreads.availableForBLAS(of: 2), 2)
    ComputeThreads.withPipelineWorkers(1) {
      XCTAssertEqual(ComputeThreads.availableForBLAS(of: 2), 1)
      ComputeThreads.withPipelineWorkers(3) {
        XCTAssertEqual(ComputeThreads.availableForBLAS(of: 2), 1)
      }
    }
    XCTAssertEqual(ComputeThreads.availableForBLAS(of: 2), 2)
  }
}
