/// NumPy's legacy `np.random.RandomState(seed).shuffle(array)` for a 1-D array: the
/// Mersenne Twister (MT19937) seeded by `init_genrand` and a Fisher–Yates shuffle drawing
/// each index by masked rejection sampling (`random_interval`).
///
/// Keras shuffles the files of `image_dataset_from_directory` (and the text and
/// time-series sources) this way before its validation split, so the same seed puts the
/// same files in the training and validation subsets here as in Keras.
package struct LegacyNumpyShuffle {
  private var state = [UInt32](repeating: 0, count: 624)
  private var index = 624

  /// A generator seeded as `np.random.RandomState(seed)` (seeds above 2³² - 1 keep their
  /// low 32 bits; NumPy refuses them).
  package init(seed: UInt64) {
    state[0] = UInt32(truncatingIfNeeded: seed)
    for i in 1..<624 {
      let previous = state[i - 1]
      state[i] = 1_812_433_253 &* (previous ^ (previous >> 30)) &+ UInt32(i)
    }
  }

  private mutating func twist() {
    for i in 0..<624 {
      let y = (state[i] & 0x8000_0000) | (state[(i + 1) % 624] & 0x7FFF_FFFF)
      var next = state[(i + 397) % 624] ^ (y >> 1)
      if y & 1 != 0 { next ^= 0x9908_B0DF }
      state[i] = next
    }
    index = 0
  }

  /// The next 32 random bits (`genrand_int32`).
  mutating func nextUInt32() -> UInt32 {
    if index >= 624 { twist() }
    var y = state[index]
    index += 1
    y ^= y >> 11
    y ^= (y << 7) & 0x9D2C_5680
    y ^= (y << 15) & 0xEFC6_0000
    y ^= y >> 18
    return y
  }

  /// A uniform integer in `0...max` (`random_interval`), for `max` below 2³².
  mutating func interval(_ max: UInt32) -> UInt32 {
    if max == 0 { return 0 }
    var mask = max
    mask |= mask >> 1
    mask |= mask >> 2
    mask |= mask >> 4
    mask |= mask >> 8
    mask |= mask >> 16
    while true {
      let value = nextUInt32() & mask
      if value <= max { return value }
    }
  }

  /// Shuffles `array` in place as `RandomState.shuffle` does.
  package mutating func shuffle<T>(_ array: inout [T]) {
    var i = array.count - 1
    while i > 0 {
      let j = Int(interval(UInt32(truncatingIfNeeded: i)))
      array.swapAt(i, j)
      i -= 1
    }
  }
}
