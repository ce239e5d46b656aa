import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import TestSupport
import XCTest

final class PreprocessingLayerTests: XCTestCase {
  func testRescalingMatchesKeras() throws {
    try checkAgainstKeras("rescaling", Rescaling(1.0 / 255))
    try checkAgainstKeras("rescaling_offset", Rescaling(2, offset: -1))
    try checkAgainstKeras(
      "rescaling_per_channel", Rescaling(scale: [0.5, 2, 1], offset: [0, 1, -1]))
  }

  func testRescalingGradientsMatchFiniteDifferences() throws {
    var generator = RandomGenerator(seed: 2)
    let x = Tensor.randomNormal(shape: [2, 3, 3], generator: &generator)
    try assertLayerGradientsMatchFiniteDifferences(
      Rescaling(scale: [0.5, -2, 3], offset: [1, 0, -1]), [x])
  }

  func testRescalingRejectsValuesThatDoNotFitTheLastAxis() {
    let layer = Rescaling(scale: [1, 2], offset: [0])
    XCTAssertThrowsError(try layer(Tensor.zeros([2, 3]))) { error in
      XCTAssertTrue("\(error)".contains("scale"), "\(error)")
    }
    XCTAssertNoThrow(try Rescaling(scale: [1, 2])(Tensor.zeros([4, 2])))
  }
}
