import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving
import SwiftKerasTraining

/// Whether a monitored quantity should go down or up, as the `mode` argument of Keras's
/// EarlyStopping, ModelCheckpoint and ReduceLROnPlateau.
public enum MonitorMode: String, Sendable, CaseIterable {
  /// Inferred from the monitored name (see ``MonitorCallback``).
  case auto
  /// Lower is better.
  case min
  /// Higher is better.
  case max
}
