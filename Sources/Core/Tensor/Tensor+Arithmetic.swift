import CKernels
import Foundation

// Element-wise arithmetic with numpy broadcasting. Each op records its gradient on the
// active tape; broadcast inputs get their gradient summed back to their own shape.

extension Tensor {
  /// Element-wise sum with broadcasting.
  ///
  /// Disfavoured so that a literal operand (`x + 2`) picks the scalar overload.
  @_disfavoredOverload
  public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
    let (sa, sb) = (lhs.shape, rhs.shape)
    return broadcastingApply(lhs, rhs, op: "+", +).recorded(from: lhs, rhs) { g, needA, needB in
      (needA ? g.sumToShape(sa) : nil, needB ? g.sumToShape(sb) : nil)
    }
  }

  /// Element-wise difference with broadcasting.
  ///
  /// Disfavoured so that a literal operand (`x - 2`) picks the scalar overload.
  @_disfavoredOverload
  public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
    let (sa, sb) = (lhs.shape, rhs.shape)
    return broadcastingApply(lhs, rhs, op: "-", -).recorded(from: lhs, rhs) { g, needA, needB in
      (needA ? g.sumToShape(sa) : nil, needB ? (-g).sumToShape(sb) : nil)
    }
  }

  /// Element-wise product with broadcasting.
  ///
  /// Disfavoured so that a literal operand (`x * 2`) picks the scalar overload.
  @_disfavoredOverload
  public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
    broadcastingApply(lhs, rhs, op: "*", *).recorded(from: lhs, rhs) { g, needA, needB in
      (
        needA ? (g * rhs.detached).sumToShape(lhs.shape) : nil,
        needB ? (g * lhs.detached).sumToShape(rhs.shape) : nil
      )
    }
  }

  /// Element-wise quotient with broadcasting.
  ///
  /// Disfavoured so that a literal operand (`x / 2`) picks the scalar overload.
  @_disfavoredOverload
  public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
    broadcastingApply(lhs, rhs, op: "/", /).recorded(from: lhs, rhs) { g, needA, needB in
      let b = rhs.detached
      return (
        needA ? (g / b).sumToShape(lhs.shape) : nil,
        needB ? (-g * lhs.detached / (b * b)).sumToShape(rhs.shape) : nil
      )
    }
  }

  /// Negation.
  public static prefix func - (x: Tensor) -> Tensor {
    x.mapped { -$0 }.recorded(from: x) { -$0 }
  }

  /// Adds a scalar to every element.
  public static func + (lhs: Tensor, rhs: Float) -> Tensor {
    lhs.mapped { $0 + rhs }.recorded(from: lhs) { $0 }
  }
  /// Adds a scalar to every element.
  public static func + (lhs: Float, rhs: Tensor) -> Tensor { rhs + lhs }

  /// Subtracts a scalar from every element.
  public static func - (lhs: Tensor, rhs: Float) -> Tensor { lhs + (-rhs) }
  /// Subtracts every element from a scalar.
  public static func - (lhs: Float, rhs: Tensor) -> Tensor {
    rhs.mapped { lhs - $0 }.recorded(from: rhs) { -$0 }
  }

  /// Multiplies every element by a scalar.
  public static func * (lhs: Tensor, rhs: Float) -> Tensor {
    lhs.mapped { $0 * rhs }.recorded(from: lhs) { $0 * rhs }
  }
  /// Multiplies every element by a scalar.
  public static func * (lhs: Float, rhs: Tensor) -> Tensor { rhs * lhs }

  /// Divides every element by a scalar.
  public static func / (lhs: Tensor, rhs: Float) -> Tensor {
    lhs.mapped { $0 / rhs }.recorded(from: lhs) { $0 / rhs }
  }
  /// Divides a scalar by every element.
  public static func / (lhs: Float, rhs: Tensor) -> Tensor {
    rhs.mapped { lhs / $0 }.recorded(from: rhs) { g in g * (-lhs) / (rhs.detached * rhs.detached) }
  }

  /// Adds `rhs` (broadcast) into `lhs`.
  @_disfavoredOverload
  public static func += (lhs: inout Tensor, rhs: Tensor) { lhs = lhs + rhs }
  /// Subtracts `rhs` (broadcast) from `lhs`.
  @_disfavoredOverload
  public static func -= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs - rhs }
  /// Multiplies `lhs` by `rhs` (broadcast).
  @_disfavoredOverload
  public static func *= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs * rhs }
  /// Divides `lhs` by `rhs` (broadcast).
  @_disfavoredOverload
  public static func /= (lhs: inout Tensor, rhs: Tensor) { lhs = lhs / rhs }
  /// Adds a scalar to every element of `lhs`.
  public static func += (lhs: inout Tensor, rhs: Float) { lhs = lhs + rhs }
  /// Subtracts a scalar from every element of `lhs`.
  public static func -= (lhs: inout Tensor, rhs: Float) { lhs = lhs - rhs }
  /// Multiplies every element of `lhs` by a scalar.
  public static func *= (lhs: inout Tensor, rhs: Float) { lhs = lhs * rhs }
  /// Divides every element of `lhs` by a scalar.
  public static func /= (lhs: inout Tensor, rhs: Float) { lhs = lhs / rhs }
}

// MARK: - Element-wise functions

/// e raised to each element.
public func exp(_ x: Tensor) -> Tensor {
  let y = Tensor(shape: x.shape) { out in
    guard let base = out.baseAddress else { return }
    let source = x.storage.base
    ParallelChunks.forEach(count: out.count, minimumPerChunk: 1 << 16) { range in
      sk_exp(source + range.lowerBound, base + range.lowerBound, range.count)
    }
  }
  return y.recorded(from: x) { $0 * y.detached }
}

/// The natural logarithm of each element.
public func log(_ x: Tensor) -> Tensor {
  x.mapped { Foundation.log($0) }.recorded(from: x) { $0 / x.detached }
}

/// The square root of each element.
public func sqrt(_ x: Tensor) -> Tensor {
  let y = x.mapped { $0.squareRoot() }
  return y.recorded(from: x) { $0 / (2 * y.detached) }
}

/// The square of each element.
public func square(_ x: Tensor) -> Tensor {
  x.mapped { $0 * $0 }.recorded(from: x) { $0 * 2 * x.detached }
}

/// Each element raised to a scalar power.
public func pow(_ x: Tensor, _ exponent: Float) -> Tensor {
  x.mapped { Foundation.pow($0, exponent) }.recorded(from: x) { g in
    let xd = x.detached
    return g * exponent * xd.mapped { Foundation.pow($0, exponent - 1) }
  }
}

/// Each element of `x` raised to the matching element of `y`, with broadcasting.
///
/// A literal exponent (`pow(x, 2)`) picks the scalar overload.
@_disfavoredOverload
public func pow(_ x: Tensor, _ y: Tensor) -> Tensor {
  let z = Tensor.broadcastingApply(x, y, op: "pow") { Foundation.pow($0, $1) }
  return z.recorded(from: x, y) { g, needA, needB in
    let (xd, yd) = (x.detached, y.detached)
    let gx = needA ? (g * yd * pow(xd, yd - 1)).sumToShape(x.shape) : nil
    // d/dy x^y = x^y log x; zero where x == 0 (as TensorFlow does).
    let gy =
      needB
      ? (g * z.detached
        * Tensor.broadcastingApply(xd, xd, op: "log") { a, _ in a > 0 ? Foundation.log(a) : 0 })
        .sumToShape(y.shape) : nil
    return (gx, gy)
  }
}

/// The absolute value of each element.
public func abs(_ x: Tensor) -> Tensor {
  x.mapped { Swift.abs($0) }.recorded(from: x) { $0 * sign(x.detached) }
}

/// -1, 0 or 1 by the sign of each element (gradient zero).
public func sign(_ x: Tensor) -> Tensor {
  x.mapped { $0 > 0 ? 1 : ($0 < 0 ? -1 : 0) }
}

/// Each element limited to `[lower, upper]`; the gradient passes only inside the range.
public func clip(_ x: Tensor, _ lower: Float, _ upper: Float) -> Tensor {
  x.mapped { Swift.min(Swift.max($0, lower), upper) }.recorded(from: x) { g in
    g * x.detached.mapped { $0 >= lower && $0 <= upper ? 1 : 0 }
  }
}

/// The larger of two tensors, element-wise with broadcasting. Ties send the gradient to `x`.
///
/// A literal second argument (`maximum(x, 0)`) picks the scalar overload.
@_disfavoredOverload
public func maximum(_ x: Tensor, _ y: Tensor) -> Tensor {
  Tensor.broadcastingApply(x, y, op: "maximum") { Swift.max($0, $1) }.recorded(from: x, y) {
    g, needA, needB in
    let mask = Tensor.broadcastingApply(x.detached, y.detached, op: "maximum") { $0 >= $1 ? 1 : 0 }
    return (
      needA ? (g * mask).sumToShape(x.shape) : nil,
      needB ? (g * (1 - mask)).sumToShape(y.shape) : nil
    )
  }
}

/// The smaller of two tensors, element-wise with broadcasting. Ties send the gradient to `x`.
///
/// A literal second argument (`minimum(x, 1)`) picks the scalar overload.
@_disfavoredOverload
public func minimum(_ x: Tensor, _ y: Tensor) -> Tensor {
  Tensor.broadcastingApply(x, y, op: "minimum") { Swift.min($0, $1) }.recorded(from: x, y) {
    g, needA, needB in
    let mask = Tensor.broadcastingApply(x.detached, y.detached, op: "minimum") { $0 <= $1 ? 1 : 0 }
    return (
      needA ? (g * mask).sumToShape(x.shape) : nil,
      needB ? (g * (1 - mask)).sumToShape(y.shape) : nil
    )
  }
}

/// The larger of each element and a scalar.
public func maximum(_ x: Tensor, _ y: Float) -> Tensor { maximum(x, Tensor(y)) }
/// The smaller of each element and a scalar.
public func minimum(_ x: Tensor, _ y: Float) -> Tensor { minimum(x, Tensor(y)) }

/// Picks from `x` where `condition` is non-zero and from `y` elsewhere, with broadcasting.
public func `where`(_ condition: Tensor, _ x: Tensor, _ y: Tensor) -> Tensor {
  let xy = Broadcasting.checkedShape(x.shape, y.shape, op: "where")
  let outShape = Broadcasting.checkedShape(condition.shape, xy, op: "where")
  let c = condition.broadcast(toShape: outShape).detached
  let mask = c.mapped { $0 != 0 ? 1 : 0 }
  let xb = x.detached.broadcast(toShape: outShape)
  let yb = y.detached.broadcast(toShape: outShape)
  let out = Tensor.broadcastingApply(mask, xb, op: "where") { $0 != 0 ? $1 : 0 }
    .adding(elementwise: Tensor.broadcastingApply(mask, yb, op: "where") { $0 != 0 ? 0 : $1 })
  return out.recorded(from: x, y) { g, needA, needB in
    (
      needA ? (g * mask).sumToShape(x.shape) : nil,
      needB ? (g * (1 - mask)).sumToShape(y.shape) : nil
    )
  }
}

extension Tensor {
  /// Untracked same-shape sum, for kernels.
  func adding(elementwise other: Tensor) -> Tensor { zipped(with: other, +) }
}

// MARK: - Comparisons (not differentiable; 1 where true, 0 where false)

extension Tensor {
  /// 1 where `lhs > rhs`, else 0 (broadcasting).
  @_disfavoredOverload
  public static func .> (lhs: Tensor, rhs: Tensor) -> Tensor {
    broadcastingApply(lhs, rhs, op: ".>") { $0 > $1 ? 1 : 0 }
  }
  /// 1 where `lhs < rhs`, else 0 (broadcasting).
  @_disfavoredOverload
  public static func .< (lhs: Tensor, rhs: Tensor) -> Tensor {
    broadcastingApply(lhs, rhs, op: ".<") { $0 < $1 ? 1 : 0 }
  }
  /// 1 where `lhs >= rhs`, else 0 (broadcasting).
  @_disfavoredOverload
  public static func .>= (lhs: Tensor, rhs: Tensor) -> Tensor {
    broadcastingApply(lhs, rhs, op: ".>=") { $0 >= $1 ? 1 : 0 }
  }
  /// 1 where `lhs <= rhs`, else 0 (broadcasting).
  @_disfavoredOverload
  public static func .<= (lhs: Tensor, rhs: Tensor) -> Tensor {
    broadcastingApply(lhs, rhs, op: ".<=") { $0 <= $1 ? 1 : 0 }
  }
  /// 1 where `lhs == rhs`, else 0 (broadcasting).
  @_disfavoredOverload
  public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor {
    broadcastingApply(lhs, rhs, op: ".==") { $0 == $1 ? 1 : 0 }
  }
  /// 1 where `lhs != rhs`, else 0 (broadcasting).
  @_disfavoredOverload
  public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor {
    broadcastingApply(lhs, rhs, op: ".!=") { $0 != $1 ? 1 : 0 }
  }
  /// 1 where `lhs > rhs`, else 0.
  public static func .> (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 > rhs ? 1 : 0 } }
  /// 1 where `lhs < rhs`, else 0.
  public static func .< (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 < rhs ? 1 : 0 } }
  /// 1 where `lhs >= rhs`, else 0.
  public static func .>= (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 >= rhs ? 1 : 0 } }
  /// 1 where `lhs <= rhs`, else 0.
  public static func .<= (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 <= rhs ? 1 : 0 } }
  /// 1 where `lhs == rhs`, else 0.
  public static func .== (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 == rhs ? 1 : 0 } }
  /// 1 where `lhs != rhs`, else 0.
  public static func .!= (lhs: Tensor, rhs: Float) -> Tensor { lhs.mapped { $0 != rhs ? 1 : 0 } }
}
