import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// Keras's `naming.to_snake_case`: the name Keras gives a layer's entry in a weights file
/// (`BatchNormalization` → `batch_normalization`, `PReLU` → `p_re_lu`).
func kerasSnakeCase(_ name: String) -> String {
  func substitute(_ pattern: String, _ template: String, in text: String) -> String {
    guard let regex = try? NSRegularExpression(pattern: pattern) else { return text }
    let range = NSRange(text.startIndex..., in: text)
    return regex.stringByReplacingMatches(in: text, range: range, withTemplate: template)
  }
  var result = substitute("\\W+", "", in: name)
  result = substitute("(.)([A-Z][a-z]+)", "$1_$2", in: result)
  result = substitute("([a-z])([A-Z])", "$1_$2", in: result)
  return result.lowercased()
}

/// Hands out Keras's unique entry names within one container: `dense`, `dense_1`, ...
struct KerasUniqueNames {
  private var used: [String: Int] = [:]

  /// The next unique name for `base`.
  mutating func next(_ base: String) -> String {
    if let count = used[base] {
      used[base] = count + 1
      return "\(base)_\(count + 1)"
    }
    used[base] = 0
    return base
  }
}
