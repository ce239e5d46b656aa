/// `a * b`, or nil when it overflows: shape arithmetic on values from files and arguments.
package func checkedMultiply(_ a: Int, _ b: Int) -> Int? {
  let (product, overflow) = a.multipliedReportingOverflow(by: b)
  return overflow ? nil : product
}

/// `a + b`, or nil when it overflows.
package func checkedAdd(_ a: Int, _ b: Int) -> Int? {
  let (sum, overflow) = a.addingReportingOverflow(b)
  return overflow ? nil : sum
}
