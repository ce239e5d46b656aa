import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// How often a callback saves: at each epoch end, or every N training batches (Keras's
/// `save_freq="epoch"` or an integer).
public enum SaveFrequency: Equatable, Sendable {
  /// At the end of every epoch.
  case epoch
  /// After every N batches (counted across epochs).
  case batches(Int)
}
