// Leading-dot spellings, so a parameter of type `any Initializer` or `some Initializer`
// accepts `.glorotUniform`, `.heNormal(seed: 1)`, `.constant(0.1)`.

extension Initializer where Self == GlorotUniform {
  /// ``GlorotUniform`` drawing from the generator it is given.
  public static var glorotUniform: GlorotUniform { GlorotUniform() }
  /// ``GlorotUniform`` with its own seed.
  public static func glorotUniform(seed: UInt64?) -> GlorotUniform { GlorotUniform(seed: seed) }
}

extension Initializer where Self == GlorotNormal {
  /// ``GlorotNormal`` drawing from the generator it is given.
  public static var glorotNormal: GlorotNormal { GlorotNormal() }
  /// ``GlorotNormal`` with its own seed.
  public static func glorotNormal(seed: UInt64?) -> GlorotNormal { GlorotNormal(seed: seed) }
}

extension Initializer where Self == HeUniform {
  /// ``HeUniform`` drawing from the generator it is given.
  public static var heUniform: HeUniform { HeUniform() }
  /// ``HeUniform`` with its own seed.
  public static func heUniform(seed: UInt64?) -> HeUniform { HeUniform(seed: seed) }
}

extension Initializer where Self == HeNormal {
  /// ``HeNormal`` drawing from the generator it is given.
  public static var heNormal: HeNormal { HeNormal() }
  /// ``HeNormal`` with its own seed.
  public static func heNormal(seed: UInt64?) -> HeNormal { HeNormal(seed: seed) }
}

extension Initializer where Self == LecunUniform {
  /// ``LecunUniform`` drawing from the generator it is given.
  public static var lecunUniform: LecunUniform { LecunUniform() }
  /// ``LecunUniform`` with its own seed.
  public static func lecunUniform(seed: UInt64?) -> LecunUniform { LecunUniform(seed: seed) }
}

extension Initializer where Self == LecunNormal {
  /// ``LecunNormal`` drawing from the generator it is given.
  public static var lecunNormal: LecunNormal { LecunNormal() }
  /// ``LecunNormal`` with its own seed.
  public static func lecunNormal(seed: UInt64?) -> LecunNormal { LecunNormal(seed: seed) }
}

extension Initializer where Self == Zeros {
  /// ``Zeros``.
  public static var zeros: Zeros { Zeros() }
}

extension Initializer where Self == Ones {
  /// ``Ones``.
  public static var ones: Ones { Ones() }
}

extension Initializer where Self == Constant {
  /// ``Constant`` filling with `value`.
  public static func constant(_ value: Float) -> Constant { Constant(value: value) }
}

extension Initializer where Self == Identity {
  /// ``Identity`` with gain 1.
  public static var identity: Identity { Identity() }
  /// ``Identity`` with the given gain.
  public static func identity(gain: Float) -> Identity { Identity(gain: gain) }
}

extension Initializer where Self == Orthogonal {
  /// ``Orthogonal`` with gain 1.
  public static var orthogonal: Orthogonal { Orthogonal() }
  /// ``Orthogonal`` with the given gain and seed.
  public static func orthogonal(gain: Float = 1, seed: UInt64? = nil) -> Orthogonal {
    Orthogonal(gain: gain, seed: seed)
  }
}

extension Initializer where Self == RandomNormal {
  /// ``RandomNormal`` with Keras's defaults (mean 0, stddev 0.05).
  public static var randomNormal: RandomNormal { RandomNormal() }
  /// ``RandomNormal`` with the given arguments.
  public static func randomNormal(mean: Float = 0, stddev: Float = 0.05, seed: UInt64? = nil)
    -> RandomNormal
  {
    RandomNormal(mean: mean, stddev: stddev, seed: seed)
  }
}

extension Initializer where Self == RandomUniform {
  /// ``RandomUniform`` with Keras's defaults (-0.05 to 0.05).
  public static var randomUniform: RandomUniform { RandomUniform() }
  /// ``RandomUniform`` with the given arguments.
  public static func randomUniform(
    minval: Float = -0.05, maxval: Float = 0.05, seed: UInt64? = nil
  ) -> RandomUniform {
    RandomUniform(minval: minval, maxval: maxval, seed: seed)
  }
}

extension Initializer where Self == TruncatedNormal {
  /// ``TruncatedNormal`` with Keras's defaults (mean 0, stddev 0.05).
  public static var truncatedNormal: TruncatedNormal { TruncatedNormal() }
  /// ``TruncatedNormal`` with the given arguments.
  public static func truncatedNormal(mean: Float = 0, stddev: Float = 0.05, seed: UInt64? = nil)
    -> TruncatedNormal
  {
    TruncatedNormal(mean: mean, stddev: stddev, seed: seed)
  }
}
