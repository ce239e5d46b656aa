/// The built-in layer classes a model config may name, as Keras's `keras.layers`
/// namespace. Each reads its own config (``Layer/init(config:)``); this list only says
/// which classes exist.
package let builtInLayerTypes: [any ConfigInitializable.Type] = [
  // Core
  Dense.self, Activation.self, Embedding.self, IdentityLayer.self,
  // Activations
  ELU.self, LeakyReLU.self, PReLU.self, ReLU.self, Softmax.self,
  // Convolutions
  Conv1D.self, Conv2D.self, Conv2DTranspose.self, DepthwiseConv2D.self, SeparableConv2D.self,
  // Pooling
  MaxPooling1D.self, MaxPooling2D.self, AveragePooling1D.self, AveragePooling2D.self,
  GlobalMaxPooling1D.self, GlobalMaxPooling2D.self, GlobalAveragePooling1D.self,
  GlobalAveragePooling2D.self,
  // Normalization
  BatchNormalization.self, LayerNormalization.self,
  // Regularization
  Dropout.self, GaussianDropout.self, GaussianNoise.self, SpatialDropout2D.self,
  ActivityRegularization.self,
  // Reshaping
  Flatten.self, Reshape.self, Permute.self, RepeatVector.self, UpSampling2D.self,
  ZeroPadding2D.self, Cropping2D.self,
  // Merging
  Add.self, Subtract.self, Multiply.self, Average.self, Maximum.self, Minimum.self,
  Concatenate.self, Dot.self,
  // Preprocessing
  Rescaling.self, Resizing.self, CenterCrop.self, Normalization.self,
  Discretization.self, CategoryEncoding.self, StringLookup.self, IntegerLookup.self,
  Hashing.self, TextVectorization.self, RandomFlip.self,
  // Recurrent
  SimpleRNN.self, LSTM.self, GRU.self, RNN.self, SimpleRNNCell.self, LSTMCell.self,
  ConvLSTM1D.self, ConvLSTM2D.self,
  GRUCell.self, StackedRNNCells.self, Bidirectional.self, TimeDistributed.self, Masking.self,
  // Attention
  EinsumDense.self, MultiHeadAttention.self, Attention.self, AdditiveAttention.self,
  GroupedQueryAttention.self,
]

/// The built-in layer class with Keras class name `className`.
package func builtInLayerType(named className: String) -> (any ConfigInitializable.Type)? {
  builtInLayerTypes.first { $0.className == className || $0.serializedClassName == className }
}
