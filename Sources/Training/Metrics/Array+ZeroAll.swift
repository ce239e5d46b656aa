import SwiftKerasCore

extension Array where Element == Double {
  /// Sets every count to zero, keeping the count of counts (a metric's reset).
  mutating func zeroAll() {
    for i in indices { self[i] = 0 }
  }
}
