import SwiftKeras
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels

/// Swift twins of the models Scripts/fixtures/models.py builds in Keras, with the same
/// layer names.
public enum ReferenceModels {
  public static func build(_ key: String) throws -> Model {
    switch key {
    case "a_seed_mlp":
      return try Sequential(
        [
          Input(shape: [784], name: "input_layer"),
          Dense(128, activation: .relu, name: "dense"),
          Dense(10, activation: .softmax, name: "dense_1"),
        ], name: "sequential")
    case "b_mnist_mlp":
      return try Sequential(
        [
          Input(shape: [28, 28], name: "input_layer"), Flatten(name: "flatten"),
          Dense(128, activation: .relu, name: "dense"), Dropout(0.2, name: "dropout"),
          Dense(10, activation: .softmax, name: "dense_1"),
        ], name: "mnist_mlp")
    case "c_bn_mlp":
      return try Sequential(
        [
          Input(shape: [20], name: "input_layer"), Dense(64, name: "dense"),
          BatchNormalization(name: "batch_normalization"),
          Activation(.relu, name: "activation"), Dense(32, useBias: false, name: "dense_1"),
          BatchNormalization(name: "batch_normalization_1"),
          Activation(.relu, name: "activation_1"), Dense(1, name: "dense_2"),
        ], name: "bn_mlp")
    case "d_two_input":
      let a = Input(shape: [16], name: "input_a")
      let b = Input(shape: [8], name: "input_b")
      let ha = try Dense(32, activation: .relu, name: "dense_a")(a)
      let hb = try Dense(32, activation: .relu, name: "dense_b")(b)
      let c = try Concatenate(name: "concat")([ha, hb])
      let out = try Dense(1, activation: .sigmoid, name: "output")(c)
      return try Model(inputs: [a, b], outputs: out, name: "two_input")
    case "e_residual":
      let x = Input(shape: [32], name: "input")
      var h = try Dense(32, activation: .relu, name: "dense_1")(x)
      h = try Dense(32, name: "dense_2")(h)
      let s = try Add(name: "add")([h, x])
      let out = try Activation(.relu, name: "relu")(s)
      return try Model(inputs: x, outputs: out, name: "residual")
    case "f_embedding":
      return try Sequential(
        [
          Input(shape: [20], name: "tokens"),
          Embedding(inputDim: 1000, outputDim: 16, name: "embedding"),
          GlobalAveragePooling1D(name: "pool"), Dense(1, name: "dense"),
        ], name: "embedding_model")
    case "g_shared":
      let a = Input(shape: [10], name: "left")
      let b = Input(shape: [10], name: "right")
      let shared = Dense(6, activation: .tanh, name: "shared_dense")
      let s = try Add(name: "add")([try shared(a), try shared(b)])
      return try Model(inputs: [a, b], outputs: s, name: "shared")
    case "h_nested":
      let innerInput = Input(shape: [8], name: "inner_input")
      var h = try Dense(16, activation: .relu, name: "inner_dense_1")(innerInput)
      h = try Dense(4, name: "inner_dense_2")(h)
      let inner = try Model(inputs: innerInput, outputs: h, name: "inner")
      let x = Input(shape: [8], name: "outer_input")
      let out = try Dense(1, name: "head")(try inner(x))
      return try Model(inputs: x, outputs: out, name: "outer")
    case "h_nested_sequential":
      let inner = try Sequential(
        [
          Input(shape: [6], name: "inner_seq_input"),
          Dense(5, activation: .relu, name: "inner_seq_dense"), Dense(3, name: "inner_seq_dense_1"),
        ], name: "inner_seq")
      return try Sequential(
        [Input(shape: [6], name: "outer_seq_input"), inner, Dense(2, name: "outer_seq_head")],
        name: "outer_seq")
    case "i_shapes":
      let x = Input(shape: [12], name: "input")
      var h = try Reshape([3, 4], name: "reshape")(x)
      h = try LayerNormalization(name: "layer_norm")(h)
      h = try PReLU(name: "prelu")(h)
      h = try Permute([2, 1], name: "permute")(h)
      h = try Flatten(name: "flatten")(h)
      h = try Dense(5, name: "dense")(h)
      let out = try RepeatVector(3, name: "repeat")(h)
      return try Model(inputs: x, outputs: out, name: "shapes")
    case "j_frozen":
      let model = try Sequential(
        [
          Input(shape: [4], name: "input_layer"),
          Dense(8, activation: .relu, name: "frozen_dense"), Dropout(0.5, name: "dropout"),
          Dense(2, name: "trainable_dense"),
        ], name: "frozen")
      try model.getLayer(name: "frozen_dense").trainable = false
      return model
    case "k_long_names":
      let x = Input(shape: [24], name: "input_with_a_rather_long_name_for_folding")
      var h = try Dense(24, name: "a_very_long_dense_layer_name_that_cannot_fit_in_one_column")(x)
      h = try Reshape([2, 3, 4], name: "reshape_to_four_dimensions")(h)
      let f = try Flatten(name: "flatten")(h)
      let ti = Input(shape: [24], name: "two_head_input")
      let two = try Model(
        inputs: ti, outputs: [try Dense(4, name: "head_a")(ti), try Dense(2, name: "head_b")(ti)],
        name: "two_heads")
      let heads = try two.callOutputs([f])
      let out = try Concatenate(name: "concatenate_both_heads_together")([
        heads[0], heads[1], heads[0],
      ])
      return try Model(inputs: x, outputs: out, name: "long_names")
    default:
      throw SwiftKerasError(.invalidArgument, "no reference model \(key)")
    }
  }
}
