import Foundation
import SwiftKerasFuzzTargets

/// libFuzzer's entry point: one input for the `json` reader.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> CInt {
  FuzzTargets.json(Data(bytes: bytes, count: count))
  return 0
}
