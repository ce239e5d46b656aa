// The named variance-scaling initializers of Keras: Glorot, He and LeCun, each uniform
// or truncated normal. Each is a ``VarianceScalingPreset`` with its rule.

/// The rule of ``GlorotUniform``: scale 1, mode `.fanAvg`, distribution `.uniform`.
public enum GlorotUniformRule: VarianceScalingRule {
  /// `("GlorotUniform", 1, .fanAvg, .uniform)`.
  public static let rule = VarianceScalingRuleValues(
    className: "GlorotUniform", scale: 1, mode: .fanAvg, distribution: .uniform)
}

/// Values drawn from uniform in `[-limit, limit)` with `limit = sqrt(6 / (fanIn + fanOut))`, as `keras.initializers.GlorotUniform`
/// (a ``VarianceScalingPreset`` with scale 1, mode `.fanAvg`, distribution `.uniform`).
public typealias GlorotUniform = VarianceScalingPreset<GlorotUniformRule>

/// The rule of ``GlorotNormal``: scale 1, mode `.fanAvg`, distribution `.truncatedNormal`.
public enum GlorotNormalRule: VarianceScalingRule {
  /// `("GlorotNormal", 1, .fanAvg, .truncatedNormal)`.
  public static let rule = VarianceScalingRuleValues(
    className: "GlorotNormal", scale: 1, mode: .fanAvg, distribution: .truncatedNormal)
}

/// Values drawn from a truncated normal with standard deviation `sqrt(2 / (fanIn + fanOut))` after truncation, as `keras.initializers.GlorotNormal`
/// (a ``VarianceScalingPreset`` with scale 1, mode `.fanAvg`, distribution `.truncatedNormal`).
public typealias GlorotNormal = VarianceScalingPreset<GlorotNormalRule>

/// The rule of ``HeUniform``: scale 2, mode `.fanIn`, distribution `.uniform`.
public enum HeUniformRule: VarianceScalingRule {
  /// `("HeUniform", 2, .fanIn, .uniform)`.
  public static let rule = VarianceScalingRuleValues(
    className: "HeUniform", scale: 2, mode: .fanIn, distribution: .uniform)
}

/// Values drawn from uniform in `[-limit, limit)` with `limit = sqrt(6 / fanIn)`, as `keras.initializers.HeUniform`
/// (a ``VarianceScalingPreset`` with scale 2, mode `.fanIn`, distribution `.uniform`).
public typealias HeUniform = VarianceScalingPreset<HeUniformRule>

/// The rule of ``HeNormal``: scale 2, mode `.fanIn`, distribution `.truncatedNormal`.
public enum HeNormalRule: VarianceScalingRule {
  /// `("HeNormal", 2, .fanIn, .truncatedNormal)`.
  public static let rule = VarianceScalingRuleValues(
    className: "HeNormal", scale: 2, mode: .fanIn, distribution: .truncatedNormal)
}

/// Values drawn from a truncated normal with standard deviation `sqrt(2 / fanIn)` after truncation, as `keras.initializers.HeNormal`
/// (a ``VarianceScalingPreset`` with scale 2, mode `.fanIn`, distribution `.truncatedNormal`).
public typealias HeNormal = VarianceScalingPreset<HeNormalRule>

/// The rule of ``LecunUniform``: scale 1, mode `.fanIn`, distribution `.uniform`.
public enum LecunUniformRule: VarianceScalingRule {
  /// `("LecunUniform", 1, .fanIn, .uniform)`.
  public static let rule = VarianceScalingRuleValues(
    className: "LecunUniform", scale: 1, mode: .fanIn, distribution: .uniform)
}

/// Values drawn from uniform in `[-limit, limit)` with `limit = sqrt(3 / fanIn)`, as `keras.initializers.LecunUniform`
/// (a ``VarianceScalingPreset`` with scale 1, mode `.fanIn`, distribution `.uniform`).
public typealias LecunUniform = VarianceScalingPreset<LecunUniformRule>

/// The rule of ``LecunNormal``: scale 1, mode `.fanIn`, distribution `.truncatedNormal`.
public enum LecunNormalRule: VarianceScalingRule {
  /// `("LecunNormal", 1, .fanIn, .truncatedNormal)`.
  public static let rule = VarianceScalingRuleValues(
    className: "LecunNormal", scale: 1, mode: .fanIn, distribution: .truncatedNormal)
}

/// Values drawn from a truncated normal with standard deviation `sqrt(1 / fanIn)` after truncation, as `keras.initializers.LecunNormal`
/// (a ``VarianceScalingPreset`` with scale 1, mode `.fanIn`, distribution `.truncatedNormal`).
public typealias LecunNormal = VarianceScalingPreset<LecunNormalRule>
