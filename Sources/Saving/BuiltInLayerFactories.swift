import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// `from_config` for every built-in layer, keyed by Keras class name; arguments absent
/// from a config take Keras's defaults.
let builtInLayerFactories: [String: LayerFactory] = [
  "Dense": { c in
    Dense(
      try c.int("units"), activation: try c.activation(),
      useBias: try c.bool("use_bias", default: true),
      kernelInitializer: try c.initializer("kernel_initializer", default: GlorotUniform()),
      biasInitializer: try c.initializer("bias_initializer", default: Zeros()),
      kernelRegularizer: try c.regularizer("kernel_regularizer"),
      biasRegularizer: try c.regularizer("bias_regularizer"),
      activityRegularizer: try c.regularizer("activity_regularizer"),
      kernelConstraint: try c.constraint("kernel_constraint"),
      biasConstraint: try c.constraint("bias_constraint"), name: c.name)
  },
  "Activation": { c in Activation(try c.activation(), name: c.name) },
  "ZeroPadding2D": { c in
    let (top, bottom, left, right) = try sideAmounts(c, "padding")
    return ZeroPadding2D(top: top, bottom: bottom, left: left, right: right, name: c.name)
  },
  "Cropping2D": { c in
    let (top, bottom, left, right) = try sideAmounts(c, "cropping")
    return Cropping2D(top: top, bottom: bottom, left: left, right: right, name: c.name)
  },
  "UpSampling2D": { c in
    UpSampling2D(
      IntOrTuple(try c.intOrInts("size", default: [2, 2])),
      interpolation: try c.string("interpolation", default: "nearest"), name: c.name)
  },
  "SpatialDropout2D": { c in
    SpatialDropout2D(try c.float("rate"), seed: try c.seed(), name: c.name)
  },
  "Conv1D": { c in try makeConvolution(c, rank: 1) },
  "Conv2D": { c in try makeConvolution(c, rank: 2) },
  "Conv2DTranspose": { c in
    let window = try ConvolutionWindow(c)
    return Conv2DTranspose(
      try c.int("filters"), kernelSize: window.kernelSize, strides: window.strides,
      padding: window.padding,
      outputPadding: try c.optionalInts("output_padding").map(IntOrTuple.init),
      dilationRate: window.dilation,
      activation: try c.activation(), useBias: try c.bool("use_bias", default: true),
      kernelInitializer: try c.initializer("kernel_initializer", default: GlorotUniform()),
      biasInitializer: try c.initializer("bias_initializer", default: Zeros()),
      kernelRegularizer: try c.regularizer("kernel_regularizer"),
      biasRegularizer: try c.regularizer("bias_regularizer"),
      activityRegularizer: try c.regularizer("activity_regularizer"),
      kernelConstraint: try c.constraint("kernel_constraint"),
      biasConstraint: try c.constraint("bias_constraint"), name: c.name)
  },
  "DepthwiseConv2D": { c in
    let window = try ConvolutionWindow(c)
    return DepthwiseConv2D(
      kernelSize: window.kernelSize, strides: window.strides, padding: window.padding,
      depthMultiplier: try c.int("depth_multiplier", default: 1), dilationRate: window.dilation,
      activation: try c.activation(), useBias: try c.bool("use_bias", default: true),
      depthwiseInitializer: try c.initializer("depthwise_initializer", default: GlorotUniform()),
      biasInitializer: try c.initializer("bias_initializer", default: Zeros()),
      depthwiseRegularizer: try c.regularizer("depthwise_regularizer"),
      biasRegularizer: try c.regularizer("bias_regularizer"),
      activityRegularizer: try c.regularizer("activity_regularizer"),
      depthwiseConstraint: try c.constraint("depthwise_constraint"),
      biasConstraint: try c.constraint("bias_constraint"), name: c.name)
  },
  "SeparableConv2D": { c in
    let window = try ConvolutionWindow(c)
    return SeparableConv2D(
      try c.int("filters"), kernelSize: window.kernelSize, strides: window.strides,
      padding: window.padding, depthMultiplier: try c.int("depth_multiplier", default: 1),
      dilationRate: window.dilation,
      activation: try c.activation(), useBias: try c.bool("use_bias", default: true),
      depthwiseInitializer: try c.initializer("depthwise_initializer", default: GlorotUniform()),
      pointwiseInitializer: try c.initializer("pointwise_initializer", default: GlorotUniform()),
      biasInitializer: try c.initializer("bias_initializer", default: Zeros()),
      depthwiseRegularizer: try c.regularizer("depthwise_regularizer"),
      pointwiseRegularizer: try c.regularizer("pointwise_regularizer"),
      biasRegularizer: try c.regularizer("bias_regularizer"),
      activityRegularizer: try c.regularizer("activity_regularizer"),
      depthwiseConstraint: try c.constraint("depthwise_constraint"),
      pointwiseConstraint: try c.constraint("pointwise_constraint"),
      biasConstraint: try c.constraint("bias_constraint"), name: c.name)
  },
  "MaxPooling1D": { c in
    let (size, strides, padding) = try poolingArguments(c, rank: 1)
    return MaxPooling1D(size, strides: strides, padding: padding, name: c.name)
  },
  "MaxPooling2D": { c in
    let (size, strides, padding) = try poolingArguments(c, rank: 2)
    return MaxPooling2D(size, strides: strides, padding: padding, name: c.name)
  },
  "AveragePooling1D": { c in
    let (size, strides, padding) = try poolingArguments(c, rank: 1)
    return AveragePooling1D(size, strides: strides, padding: padding, name: c.name)
  },
  "AveragePooling2D": { c in
    let (size, strides, padding) = try poolingArguments(c, rank: 2)
    return AveragePooling2D(size, strides: strides, padding: padding, name: c.name)
  },
  "GlobalMaxPooling1D": { c in
    let (format, keepdims) = try globalPoolingArguments(c)
    return GlobalMaxPooling1D(dataFormat: format, keepdims: keepdims, name: c.name)
  },
  "GlobalMaxPooling2D": { c in
    let (format, keepdims) = try globalPoolingArguments(c)
    return GlobalMaxPooling2D(dataFormat: format, keepdims: keepdims, name: c.name)
  },
  "GlobalAveragePooling2D": { c in
    let (format, keepdims) = try globalPoolingArguments(c)
    return GlobalAveragePooling2D(dataFormat: format, keepdims: keepdims, name: c.name)
  },
  "Embedding": { c in
    Embedding(
      inputDim: try c.int("input_dim"), outputDim: try c.int("output_dim"),
      embeddingsInitializer: try c.initializer("embeddings_initializer", default: RandomUniform()),
      embeddingsRegularizer: try c.regularizer("embeddings_regularizer"),
      activityRegularizer: try c.regularizer("activity_regularizer"),
      embeddingsConstraint: try c.constraint("embeddings_constraint"), name: c.name)
  },
  "Identity": { c in IdentityLayer(name: c.name) },
  "Rescaling": { c in
    // Keras writes each as a number, or a list for per-channel values.
    func values(_ key: String, default value: Float) throws -> [Float] {
      guard let entry = c.values[key], entry != .null else { return [value] }
      if let number = entry.doubleValue { return [Float(number)] }
      guard let list = entry.arrayValue?.compactMap({ $0.doubleValue }),
        list.count == entry.arrayValue?.count
      else {
        throw SwiftKerasError(
          .invalidData,
          "layer '\(c.name ?? "?")' (Rescaling): '\(key)' must be a number or a list of numbers, found \(entry)"
        )
      }
      return list.map { Float($0) }
    }
    return Rescaling(
      scale: try values("scale", default: 1), offset: try values("offset", default: 0),
      name: c.name)
  },
  "BatchNormalization": { c in
    BatchNormalization(
      axis: try c.int("axis", default: -1), momentum: try c.float("momentum", default: 0.99),
      epsilon: try c.float("epsilon", default: 1e-3), center: try c.bool("center", default: true),
      scale: try c.bool("scale", default: true),
      betaInitializer: try c.initializer("beta_initializer", default: Zeros()),
      gammaInitializer: try c.initializer("gamma_initializer", default: Ones()),
      movingMeanInitializer: try c.initializer("moving_mean_initializer", default: Zeros()),
      movingVarianceInitializer: try c.initializer("moving_variance_initializer", default: Ones()),
      betaRegularizer: try c.regularizer("beta_regularizer"),
      gammaRegularizer: try c.regularizer("gamma_regularizer"),
      betaConstraint: try c.constraint("beta_constraint"),
      gammaConstraint: try c.constraint("gamma_constraint"), name: c.name)
  },
  "LayerNormalization": { c in
    LayerNormalization(
      axes: try c.intOrInts("axis", default: [-1]), epsilon: try c.float("epsilon", default: 1e-3),
      center: try c.bool("center", default: true), scale: try c.bool("scale", default: true),
      rmsScaling: try c.bool("rms_scaling", default: false),
      betaInitializer: try c.initializer("beta_initializer", default: Zeros()),
      gammaInitializer: try c.initializer("gamma_initializer", default: Ones()),
      betaRegularizer: try c.regularizer("beta_regularizer"),
      gammaRegularizer: try c.regularizer("gamma_regularizer"),
      betaConstraint: try c.constraint("beta_constraint"),
      gammaConstraint: try c.constraint("gamma_constraint"), name: c.name)
  },
  "PReLU": { c in
    PReLU(
      alphaInitializer: try c.initializer("alpha_initializer", default: Zeros()),
      alphaRegularizer: try c.regularizer("alpha_regularizer"),
      alphaConstraint: try c.constraint("alpha_constraint"),
      sharedAxes: try c.optionalInts("shared_axes"), name: c.name)
  },
  "ReLU": { c in
    ReLU(
      maxValue: try c.optionalFloat("max_value"),
      negativeSlope: try c.float("negative_slope", default: 0),
      threshold: try c.float("threshold", default: 0), name: c.name)
  },
  "LeakyReLU": { c in
    LeakyReLU(negativeSlope: try c.float("negative_slope", default: 0.3), name: c.name)
  },
  "ELU": { c in ELU(alpha: try c.float("alpha", default: 1), name: c.name) },
  "Softmax": { c in Softmax(axis: try c.int("axis", default: -1), name: c.name) },
  "Dropout": { c in
    Dropout(
      try c.float("rate"),
      noiseShape: try c.optionalInts("noise_shape").map { $0.map { Optional($0) } },
      seed: try c.seed(), name: c.name)
  },
  "GaussianDropout": { c in GaussianDropout(try c.float("rate"), seed: try c.seed(), name: c.name)
  },
  "GaussianNoise": { c in GaussianNoise(try c.float("stddev"), seed: try c.seed(), name: c.name) },
  "ActivityRegularization": { c in
    ActivityRegularization(
      l1: try c.float("l1", default: 0), l2: try c.float("l2", default: 0), name: c.name)
  },
  "Flatten": { c in
    Flatten(dataFormat: try c.string("data_format", default: "channels_last"), name: c.name)
  },
  "Reshape": { c in Reshape(try c.ints("target_shape"), name: c.name) },
  "Permute": { c in Permute(try c.ints("dims"), name: c.name) },
  "RepeatVector": { c in RepeatVector(try c.int("n"), name: c.name) },
  "GlobalAveragePooling1D": { c in
    let (format, keepdims) = try globalPoolingArguments(c)
    return GlobalAveragePooling1D(dataFormat: format, keepdims: keepdims, name: c.name)
  },
  "Add": { c in Add(name: c.name) },
  "Subtract": { c in Subtract(name: c.name) },
  "Multiply": { c in Multiply(name: c.name) },
  "Average": { c in Average(name: c.name) },
  "Maximum": { c in Maximum(name: c.name) },
  "Minimum": { c in Minimum(name: c.name) },
  "Concatenate": { c in Concatenate(axis: try c.int("axis", default: -1), name: c.name) },
  "Dot": { c in
    if let single = c.values["axes"]?.intValue {
      return Dot(axes: single, normalize: try c.bool("normalize", default: false), name: c.name)
    }
    return Dot(
      axes: try c.ints("axes"), normalize: try c.bool("normalize", default: false), name: c.name)
  },
]

/// Conv1D / Conv2D from a Keras config.
private func makeConvolution(_ c: LayerConfig, rank: Int) throws -> Layer {
  let format = try c.string("data_format", default: "channels_last")
  guard format == "channels_last" else {
    throw SwiftKerasError(
      .invalidArgument,
      "layer '\(c.name ?? "?")': data_format '\(format)' is not supported; use channels_last")
  }
  let filters = try c.int("filters")
  let window = try ConvolutionWindow(c)
  let groups = try c.int("groups", default: 1)
  let activation = try c.activation()
  let useBias = try c.bool("use_bias", default: true)
  let kernelInitializer = try c.initializer("kernel_initializer", default: GlorotUniform())
  let biasInitializer = try c.initializer("bias_initializer", default: Zeros())
  if rank == 1 {
    return Conv1D(
      filters, kernelSize: window.kernelSize, strides: window.strides, padding: window.padding,
      dilationRate: window.dilation,
      groups: groups, activation: activation, useBias: useBias,
      kernelInitializer: kernelInitializer,
      biasInitializer: biasInitializer, kernelRegularizer: try c.regularizer("kernel_regularizer"),
      biasRegularizer: try c.regularizer("bias_regularizer"),
      activityRegularizer: try c.regularizer("activity_regularizer"),
      kernelConstraint: try c.constraint("kernel_constraint"),
      biasConstraint: try c.constraint("bias_constraint"), name: c.name)
  }
  return Conv2D(
    filters, kernelSize: window.kernelSize, strides: window.strides, padding: window.padding,
    dilationRate: window.dilation,
    groups: groups, activation: activation, useBias: useBias, kernelInitializer: kernelInitializer,
    biasInitializer: biasInitializer, kernelRegularizer: try c.regularizer("kernel_regularizer"),
    biasRegularizer: try c.regularizer("bias_regularizer"),
    activityRegularizer: try c.regularizer("activity_regularizer"),
    kernelConstraint: try c.constraint("kernel_constraint"),
    biasConstraint: try c.constraint("bias_constraint"), name: c.name)
}

/// Keras's `((top, bottom), (left, right))` amounts of ZeroPadding2D and Cropping2D.
private func sideAmounts(_ c: LayerConfig, _ key: String) throws -> (Int, Int, Int, Int) {
  let pairs = (c.values[key]?.arrayValue ?? []).map {
    ($0.arrayValue ?? []).compactMap { $0.intValue }
  }
  guard pairs.count == 2, pairs.allSatisfy({ $0.count == 2 }) else {
    throw SwiftKerasError(
      .invalidData,
      "layer '\(c.name ?? "?")': '\(key)' must be [[top, bottom], [left, right]], got \(c.values[key].map { $0.jsonString() } ?? "nothing")"
    )
  }
  return (pairs[0][0], pairs[0][1], pairs[1][0], pairs[1][1])
}

/// A window pooling layer's `pool_size`, `strides` (nil: the pool size) and `padding`.
private func poolingArguments(_ c: LayerConfig, rank: Int) throws -> (
  IntOrTuple, IntOrTuple?, String
) {
  (
    IntOrTuple(try c.intOrInts("pool_size", default: Array(repeating: 2, count: rank))),
    try c.optionalInts("strides").map(IntOrTuple.init),
    try c.string("padding", default: "valid")
  )
}

/// A global pooling layer's `data_format` and `keepdims`.
private func globalPoolingArguments(_ c: LayerConfig) throws -> (String, Bool) {
  (try c.string("data_format", default: "channels_last"), try c.bool("keepdims", default: false))
}

/// A convolution's `kernel_size`, `strides`, `padding` and `dilation_rate`.
private struct ConvolutionWindow {
  let kernelSize: IntOrTuple
  let strides: IntOrTuple
  let padding: String
  let dilation: IntOrTuple

  init(_ c: LayerConfig) throws {
    kernelSize = IntOrTuple(try c.intOrInts("kernel_size", default: []))
    strides = IntOrTuple(try c.intOrInts("strides", default: [1]))
    padding = try c.string("padding", default: "valid")
    dilation = IntOrTuple(try c.intOrInts("dilation_rate", default: [1]))
  }
}
