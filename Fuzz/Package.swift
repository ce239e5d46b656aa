// swift-tools-version:6.0
// libFuzzer executables for SwiftKeras's file readers. Built by `make fuzz` with
// `--sanitize=fuzzer --sanitize=address`; each runs its reader (Sources/FuzzTargets) on
// generated inputs, starting from Fuzz/corpus/<name>.
import PackageDescription

let readers = ["keras", "weights", "json", "skw", "idx"]

let package = Package(
  name: "SwiftKerasFuzz",
  dependencies: [.package(name: "SwiftKeras", path: "..")],
  targets: readers.map { reader in
    .executableTarget(
      name: "fuzz-\(reader)",
      dependencies: [.product(name: "SwiftKerasFuzzTargets", package: "SwiftKeras")],
      path: "Sources/\(reader)")
  },
  swiftLanguageModes: [.v6]
)
