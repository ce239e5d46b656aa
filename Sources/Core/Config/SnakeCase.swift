/// Keras's `to_snake_case`: the layer and config names Keras derives from class and
/// argument names (`BatchNormalization` → `batch_normalization`, `GlobalAveragePooling1D`
/// → `global_average_pooling1d`, `PReLU` → `p_re_lu`, `useBias` → `use_bias`).
///
/// An underscore goes before an uppercase letter that follows a lowercase letter, and
/// before the last capital of a run that starts a capitalised word; characters other than
/// letters, digits and underscores are dropped.
package func snakeCase(_ name: String) -> String {
  let characters = Array(name.filter { $0.isLetter || $0.isNumber || $0 == "_" })
  var result = ""
  for (i, character) in characters.enumerated() {
    if character.isUppercase && i > 0 {
      let previous = characters[i - 1]
      let nextIsLowercase = i + 1 < characters.count && characters[i + 1].isLowercase
      if previous.isLowercase || (previous.isUppercase && nextIsLowercase) { result += "_" }
    }
    result += character.lowercased()
  }
  return result
}
