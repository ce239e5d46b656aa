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

/// The short names Keras accepts both as losses and as metrics (`"mse"`, `"MAE"`, `"bce"`,
/// …), mapped to the function they abbreviate.
let errorFunctionAliases = [
  "mse": "mean_squared_error", "MSE": "mean_squared_error",
  "mae": "mean_absolute_error", "MAE": "mean_absolute_error",
  "mape": "mean_absolute_percentage_error", "MAPE": "mean_absolute_percentage_error",
  "msle": "mean_squared_logarithmic_error", "MSLE": "mean_squared_logarithmic_error",
  "bce": "binary_crossentropy", "BCE": "binary_crossentropy",
]
