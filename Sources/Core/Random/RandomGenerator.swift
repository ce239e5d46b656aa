import Foundation
import Synchronization

/// A seedable pseudo-random generator (xoshiro256**, seeded through SplitMix64).
///
/// The same seed gives the same sequence on every machine, which is what makes seeded
/// training runs repeat exactly.
///
/// ```swift
/// var rng = RandomGenerator(seed: 42)
/// let x = Tensor.randomNormal(shape: [3, 3], generator: &rng)
/// ```
public struct RandomGenerator: RandomNumberGenerator, Sendable {
  @usableFromInline var s0: UInt64
  @usableFromInline var s1: UInt64
  @usableFromInline var s2: UInt64
  @usableFromInline var s3: UInt64

  /// The generator's whole state, to carry it to another process.
  package var state: [UInt64] {
    get { [s0, s1, s2, s3] }
    set {
      guard newValue.count == 4 else { return }
      (s0, s1, s2, s3) = (newValue[0], newValue[1], newValue[2], newValue[3])
    }
  }

  /// Creates a generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) {
    var x = seed
    func splitMix() -> UInt64 {
      x &+= 0x9E37_79B9_7F4A_7C15
      var z = x
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    s0 = splitMix()
    s1 = splitMix()
    s2 = splitMix()
    s3 = splitMix()
  }

  /// The next 64 random bits.
  @inlinable
  public mutating func next() -> UInt64 {
    Self.step(&s0, &s1, &s2, &s3)
  }

  /// One xoshiro256** step on the state `(a, b, c, d)`: the output, with the state
  /// advanced. Static over separate words so ``fillUniform(_:)`` can keep them in
  /// registers for a whole buffer.
  @inlinable
  @inline(__always)
  static func step(
    _ a: inout UInt64, _ b: inout UInt64, _ c: inout UInt64, _ d: inout UInt64
  ) -> UInt64 {
    let result = rotl(b &* 5, 7) &* 9
    let t = b << 17
    c ^= a
    d ^= b
    b ^= c
    a ^= d
    c ^= t
    d = rotl(d, 45)
    return result
  }

  @usableFromInline
  @inline(__always)
  static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A uniform float in [0, 1) with 24 random bits.
  @inlinable
  public mutating func nextUniform() -> Float {
    Float(next() >> 40) * (1.0 / 16_777_216.0)
  }

  /// Fills `buffer` with uniform floats in [0, 1), two per 64 random bits (24 bits each),
  /// with the generator's state in registers: the fast path for dropout masks.
  public mutating func fillUniform(_ buffer: UnsafeMutableBufferPointer<Float>) {
    var (a, b, c, d) = (s0, s1, s2, s3)
    let scale: Float = 1.0 / 16_777_216.0
    var i = 0
    let n = buffer.count
    while i < n {
      let result = Self.step(&a, &b, &c, &d)
      buffer[i] = Float(result >> 40) * scale
      if i + 1 < n { buffer[i + 1] = Float((result >> 8) & 0xFF_FFFF) * scale }
      i += 2
    }
    (s0, s1, s2, s3) = (a, b, c, d)
  }

  /// A standard normal float (Box–Muller).
  public mutating func nextNormal() -> Float {
    // 1 - u keeps the logarithm's argument in (0, 1].
    let u1 = 1 - Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    return Float((-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2))
  }

  /// A fresh generator seeded from this one, for handing a layer its own stream.
  public mutating func split() -> RandomGenerator { RandomGenerator(seed: next()) }
}

/// The process-wide random state behind weight initialisation, dropout and shuffling.
///
/// ``setRandomSeed(_:)`` resets it so a whole run repeats exactly.
public enum GlobalRandom {
  private static let generator = Mutex(
    RandomGenerator(seed: UInt64(UInt32.random(in: 0...UInt32.max))))

  /// Resets the global generator to a fixed seed.
  public static func seed(_ seed: UInt64) {
    generator.withLock { $0 = RandomGenerator(seed: seed) }
  }

  /// A new generator drawn from the global one.
  public static func makeGenerator() -> RandomGenerator {
    generator.withLock { $0.split() }
  }

  /// The next 64 random bits of the global generator.
  public static func next() -> UInt64 {
    generator.withLock { $0.next() }
  }
}

/// Makes weight initialisation, dropout and shuffling repeat exactly, as
/// `keras.utils.set_random_seed`.
///
/// ```swift
/// setRandomSeed(42)
/// ```
public func setRandomSeed(_ seed: UInt64) {
  GlobalRandom.seed(seed)
}
