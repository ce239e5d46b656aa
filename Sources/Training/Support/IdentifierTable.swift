import SwiftKerasCore

/// Keras's string lookup for a family of objects (losses, metrics): every snake-case key
/// and its class name resolve to the key, then every alias to the key it stands for.
///
/// ```swift
/// identifierTable(classes: ["mean_squared_error": "MeanSquaredError"],
///                 aliases: ["mse": "mean_squared_error"])
/// // ["mean_squared_error": …, "MeanSquaredError": …, "mse": "mean_squared_error"]
/// ```
func identifierTable(classes: [String: String], aliases: [String: String]) -> [String: String] {
  var table: [String: String] = [:]
  for (key, className) in classes {
    table[key] = key
    table[className] = key
  }
  for (alias, key) in aliases { table[alias] = key }
  return table
}
