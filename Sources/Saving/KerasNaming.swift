import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

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
