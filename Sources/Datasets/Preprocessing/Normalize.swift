import Foundation
import SwiftKerasCore

/// Divides `x` by its L-`order` norm along `axis`, as `keras.utils.normalize`.
///
/// Slices whose norm is zero are left unchanged (all zeros), as in Keras. `axis: 0`
/// normalises along the first axis (Keras's NumPy path mishandles 0 as "no axis" and
/// fails to broadcast; here it means the first axis, as the documentation intends).
///
/// ```swift
/// let x = Tensor([[3, 4], [0, 0]])
/// print(try normalize(x))             // [[0.6, 0.8], [0, 0]]
/// print(try normalize(x, order: 1))   // [[0.42857143, 0.5714286], [0, 0]]
/// ```
///
/// - Parameters:
///   - axis: the axis along which norms are taken; negative counts from the end.
///   - order: the norm's order, 1 or more (2 is the Euclidean norm).
/// - Throws: ``SwiftKerasError`` `.invalidArgument` if `order` is below 1 or `axis` is
///   outside the tensor's rank.
public func normalize(_ x: Tensor, axis: Int = -1, order: Int = 2) throws -> Tensor {
  guard order >= 1 else {
    throw SwiftKerasError(
      .invalidArgument, "normalize: order must be an integer >= 1, got \(order)")
  }
  let rank = Swift.max(x.rank, 1)
  guard axis >= -rank && axis < rank else {
    throw SwiftKerasError(
      .invalidArgument, "normalize: axis \(axis) is out of range for shape \(x.shape)")
  }
  let shape = x.rank == 0 ? [1] : x.shape
  let a = axis < 0 ? axis + rank : axis
  let length = shape[a]
  let inner = shape[(a + 1)...].reduce(1, *)
  let outer = shape[..<a].reduce(1, *)
  let p = Double(order)
  return Tensor(shape: x.shape) { out in
    x.withUnsafeBufferPointer { values in
      for o in 0..<outer {
        for i in 0..<inner {
          let base = o * length * inner + i
          var total = 0.0
          for k in 0..<length {
            let v = Swift.abs(Double(values[base + k * inner]))
            switch order {
            case 1: total += v
            case 2: total += v * v
            default: total += Foundation.pow(v, p)
            }
          }
          var norm: Double
          switch order {
          case 1: norm = total
          case 2: norm = total.squareRoot()
          default: norm = Foundation.pow(total, 1 / p)
          }
          if norm == 0 { norm = 1 }
          let n = Float(norm)
          for k in 0..<length { out[base + k * inner] = values[base + k * inner] / n }
        }
      }
    }
  }
}

/// Maps every element `v` of `x` to `v * scale + offset`, as Keras's `Rescaling` layer
/// (use `scale: 1 / 255` for pixels in [0, 1], or `scale: 1 / 127.5, offset: -1` for [-1, 1]).
///
/// ```swift
/// let pixels = Tensor([0, 255])
/// print(rescale(pixels, scale: 1 / 127.5, offset: -1))   // [-1.0, 1.0]
/// ```
public func rescale(_ x: Tensor, scale: Float, offset: Float = 0) -> Tensor {
  Tensor(shape: x.shape) { out in
    x.withUnsafeBufferPointer { values in
      for i in 0..<values.count { out[i] = values[i] * scale + offset }
    }
  }
}
