/// The channels an image is decoded to, as Keras's `color_mode`.
public enum ColorMode: Sendable {
  /// One channel.
  case grayscale
  /// Three channels, red, green, blue.
  case rgb
  /// Four channels, with alpha.
  case rgba

  /// The number of channels.
  public var channels: Int {
    switch self {
    case .grayscale: return 1
    case .rgb: return 3
    case .rgba: return 4
    }
  }
}
