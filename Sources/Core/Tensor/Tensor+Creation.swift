extension Tensor {
  /// A tensor of zeros.
  public static func zeros(_ shape: [Int]) -> Tensor { Tensor(repeating: 0, shape: shape) }

  /// A tensor of ones.
  public static func ones(_ shape: [Int]) -> Tensor { Tensor(repeating: 1, shape: shape) }

  /// A tensor of zeros, labelled like ``randomNormal(shape:mean:stddev:)``.
  public static func zeros(shape: [Int]) -> Tensor { zeros(shape) }

  /// A tensor of ones, labelled like ``randomNormal(shape:mean:stddev:)``.
  public static func ones(shape: [Int]) -> Tensor { ones(shape) }

  /// A tensor filled with `value`.
  public static func filled(_ shape: [Int], with value: Float) -> Tensor {
    Tensor(repeating: value, shape: shape)
  }

  /// A tensor of zeros shaped like `other`.
  public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }

  /// A tensor of ones shaped like `other`.
  public static func ones(like other: Tensor) -> Tensor { ones(other.shape) }

  /// `start, start + step, …` up to but excluding `end`, as `np.arange`.
  public static func range(_ start: Float = 0, _ end: Float, step: Float = 1) -> Tensor {
    precondition(step != 0, "Tensor.range: step must not be zero")
    let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
    return Tensor(shape: [n]) { out in
      for i in 0..<n { out[i] = start + Float(i) * step }
    }
  }

  /// `0, 1, …, n - 1`.
  public static func range(_ n: Int) -> Tensor { range(0, Float(n)) }

  /// `count` evenly spaced values from `start` to `end` inclusive, as `np.linspace`.
  public static func linspace(_ start: Float, _ end: Float, count: Int) -> Tensor {
    Tensor(shape: [count]) { out in
      let step = count > 1 ? (end - start) / Float(count - 1) : 0
      for i in 0..<count { out[i] = start + Float(i) * step }
    }
  }

  /// The identity matrix of size `n`.
  public static func eye(_ n: Int) -> Tensor {
    var result = zeros([n, n])
    result.withUnsafeMutableBufferPointer { buffer in
      for i in 0..<n { buffer[i * n + i] = 1 }
    }
    return result
  }

  /// Uniform values in `[minval, maxval)`.
  public static func randomUniform(
    shape: [Int], minval: Float = 0, maxval: Float = 1, generator: inout RandomGenerator
  ) -> Tensor {
    let width = maxval - minval
    return Tensor(shape: shape) { out in
      for i in 0..<out.count { out[i] = minval + width * generator.nextUniform() }
    }
  }

  /// Normal values with the given mean and standard deviation.
  public static func randomNormal(
    shape: [Int], mean: Float = 0, stddev: Float = 1, generator: inout RandomGenerator
  ) -> Tensor {
    Tensor(shape: shape) { out in
      for i in 0..<out.count { out[i] = mean + stddev * generator.nextNormal() }
    }
  }

  /// Normal values redrawn until within two standard deviations of the mean, as Keras's
  /// `TruncatedNormal` (its `stddev` is that of the untruncated normal).
  public static func truncatedNormal(
    shape: [Int], mean: Float = 0, stddev: Float = 1, generator: inout RandomGenerator
  ) -> Tensor {
    Tensor(shape: shape) { out in
      for i in 0..<out.count {
        var z = generator.nextNormal()
        while Swift.abs(z) > 2 { z = generator.nextNormal() }
        out[i] = mean + stddev * z
      }
    }
  }

  /// Uniform values from the global generator (see ``setRandomSeed(_:)``).
  public static func randomUniform(shape: [Int], minval: Float = 0, maxval: Float = 1) -> Tensor {
    var generator = GlobalRandom.makeGenerator()
    return randomUniform(shape: shape, minval: minval, maxval: maxval, generator: &generator)
  }

  /// Normal values from the global generator (see ``setRandomSeed(_:)``).
  public static func randomNormal(shape: [Int], mean: Float = 0, stddev: Float = 1) -> Tensor {
    var generator = GlobalRandom.makeGenerator()
    return randomNormal(shape: shape, mean: mean, stddev: stddev, generator: &generator)
  }

  /// Truncated normal values from the global generator (see ``setRandomSeed(_:)``).
  public static func truncatedNormal(shape: [Int], mean: Float = 0, stddev: Float = 1) -> Tensor {
    var generator = GlobalRandom.makeGenerator()
    return truncatedNormal(shape: shape, mean: mean, stddev: stddev, generator: &generator)
  }
}
