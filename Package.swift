// swift-tools-version:6.0
import PackageDescription

// Module names carry the SwiftKeras prefix so they never clash with a user's own
// `Core` or `Layers` module; the folders keep the short names.
let package = Package(
  name: "SwiftKeras",
  products: [
    .library(name: "SwiftKeras", targets: ["SwiftKeras"]),
    .executable(name: "swiftkeras-demo", targets: ["SwiftKerasDemo"]),
    .executable(name: "swiftkeras-bench", targets: ["SwiftKerasBench"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0")
  ],
  targets: [
    .systemLibrary(
      name: "COpenBLAS", path: "Sources/COpenBLAS", pkgConfig: "openblas",
      providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(
      name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
      providers: [.apt(["zlib1g-dev"])]),
    // HDF5, for Keras's .weights.h5 files (see Sources/Models/Saving).
    .systemLibrary(
      name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
      providers: [.apt(["libhdf5-dev"])]),
    // Vector kernels for the hottest training loops (see Sources/CKernels/include).
    .target(name: "CKernels", path: "Sources/CKernels"),
    .target(name: "SwiftKerasCore", dependencies: ["COpenBLAS", "CKernels"], path: "Sources/Core"),
    .target(name: "SwiftKerasLayers", dependencies: ["SwiftKerasCore"], path: "Sources/Layers"),
    .target(
      name: "SwiftKerasModels",
      // Datasets feed models (fit takes its batch order from Datasets' BatchSequence).
      dependencies: ["SwiftKerasCore", "SwiftKerasLayers", "SwiftKerasDatasets", "CHDF5"],
      path: "Sources/Models"),
    .target(
      name: "SwiftKerasCallbacks", dependencies: ["SwiftKerasCore", "SwiftKerasModels", "CZlib"],
      path: "Sources/Callbacks"),
    .target(
      name: "SwiftKerasDatasets", dependencies: ["SwiftKerasCore", "CZlib"],
      path: "Sources/Datasets"),
    .target(
      name: "SwiftKeras",
      dependencies: [
        "SwiftKerasCore", "SwiftKerasLayers", "SwiftKerasModels", "SwiftKerasCallbacks",
        "SwiftKerasDatasets",
      ],
      path: "Sources/SwiftKeras"),
    // The demo's and benchmarks' models, shared by the two executables.
    .target(name: "SwiftKerasExamples", dependencies: ["SwiftKeras"], path: "Sources/Examples"),
    .executableTarget(
      name: "SwiftKerasDemo",
      dependencies: [
        "SwiftKeras", "SwiftKerasExamples",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/Demo"),
    .executableTarget(
      name: "SwiftKerasBench",
      dependencies: [
        "SwiftKeras", "SwiftKerasExamples", "COpenBLAS",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      path: "Sources/Bench"),
    .testTarget(name: "CoreTests", dependencies: ["SwiftKerasCore"], path: "Tests/CoreTests"),
    .testTarget(
      name: "LayersTests", dependencies: ["SwiftKerasLayers", "SwiftKerasCore"],
      path: "Tests/LayersTests"),
    .testTarget(
      name: "ModelsTests",
      dependencies: ["SwiftKerasModels", "SwiftKerasLayers", "SwiftKerasCore"],
      path: "Tests/ModelsTests"),
    .testTarget(
      name: "CallbacksTests", dependencies: ["SwiftKerasCallbacks", "SwiftKerasModels", "CZlib"],
      path: "Tests/CallbacksTests"),
    .testTarget(
      name: "DatasetsTests", dependencies: ["SwiftKerasDatasets", "SwiftKerasCore"],
      path: "Tests/DatasetsTests"),
    .testTarget(name: "EndToEndTests", dependencies: ["SwiftKeras"], path: "Tests/EndToEndTests"),
  ],
  swiftLanguageModes: [.v5]
)
