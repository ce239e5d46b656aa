import Foundation
import SwiftKerasCore
import SwiftKerasLayers
import SwiftKerasModels
import SwiftKerasTraining

/// Moves a finished temporary file over `destination` in one step, so readers never see a
/// half-written file; removes the temporary file when that fails.
func commitAtomically(temporary: String, to destination: String) throws {
  guard rename(temporary, destination) == 0 else {
    let reason = String(cString: strerror(errno))
    try? FileManager.default.removeItem(atPath: temporary)
    throw SwiftKerasError(
      .io, "cannot move the finished file into place at '\(destination)': \(reason)")
  }
}

/// A temporary path next to `destination` (same directory, so a rename is atomic).
func temporaryPath(beside destination: String) -> String {
  let url = URL(fileURLWithPath: destination)
  let directory = url.deletingLastPathComponent().path
  return "\(directory)/.\(url.lastPathComponent).\(UUID().uuidString).tmp"
}
