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
    // The data-parallel scenarios DistributedTests runs under mpirun.
    .executable(name: "swiftkeras-mpi-check", targets: ["SwiftKerasMPICheck"]),
    // The readers' fuzz entry points, for the libFuzzer executables under Fuzz/.
    .library(name: "SwiftKerasFuzzTargets", targets: ["SwiftKerasFuzzTargets"]),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    .package(url: "https://github.com/apple/swift-collections", from: "1.1.0"),
    // A streaming RFC 4180 CSV reader, for Dataset.csv (quotes, embedded newlines, BOMs).
    .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.0"),
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
    // Open MPI, for data-parallel training across processes (module SwiftKerasDistributed).
    .systemLibrary(
      name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
      providers: [.apt(["libopenmpi-dev", "openmpi-bin"])]),
    // SwiftKeras's read-only in-memory HDF5 file driver (see include/memory_file.h for why
    // HDF5's own drivers are not used for reading).
    .target(name: "CHDF5Reader", dependencies: ["CHDF5"], path: "Sources/CHDF5Reader"),
    // PNG and JPEG decoding for imageDatasetFromDirectory (see Sources/Datasets/Images).
    .systemLibrary(
      name: "CPNG", path: "Sources/CPNG", pkgConfig: "libpng",
      providers: [.apt(["libpng-dev"])]),
    .systemLibrary(
      name: "CTurboJPEG", path: "Sources/CTurboJPEG", pkgConfig: "libturbojpeg",
      providers: [.apt(["libturbojpeg0-dev"])]),
    // Vector kernels for the hottest training loops (see Sources/CKernels/include).
    .target(name: "CKernels", path: "Sources/CKernels"),
    // The tensor engine: Tensor, kernels, autodiff, random numbers, activations,
    // initializers, config values and errors.
    .target(name: "SwiftKerasCore", dependencies: ["COpenBLAS", "CKernels"], path: "Sources/Core"),
    // Reading data: the Dataset pipeline and its sources (tensors, CSV, images, text, time
    // series, IDX files and the MNIST loaders), batching.
    .target(
      name: "SwiftKerasDatasets",
      dependencies: [
        "SwiftKerasCore", "CZlib", "CPNG", "CTurboJPEG",
        .product(name: "CSV", package: "CSV.swift"),
      ],
      path: "Sources/Datasets"),
    // The Layer base class, the built-in layers and the symbolic graph they are called on.
    .target(name: "SwiftKerasLayers", dependencies: ["SwiftKerasCore"], path: "Sources/Layers"),
    // What training needs besides a model: losses, metrics, optimizers, schedules.
    .target(
      name: "SwiftKerasTraining", dependencies: ["SwiftKerasCore", "SwiftKerasDatasets"],
      path: "Sources/Training"),
    // Models: Sequential and functional graphs, summary(), compile/fit/evaluate/predict.
    .target(
      name: "SwiftKerasModels",
      dependencies: [
        "SwiftKerasCore", "SwiftKerasLayers", "SwiftKerasTraining",
        .product(name: "OrderedCollections", package: "swift-collections"),
      ],
      path: "Sources/Models"),
    // Files: .keras archives, .weights.h5, JSON configs, .skw checkpoints, atomic writes.
    .target(
      name: "SwiftKerasSaving",
      dependencies: [
        "SwiftKerasCore", "SwiftKerasLayers", "SwiftKerasTraining", "SwiftKerasModels", "CHDF5",
        "CHDF5Reader", "CZlib",
      ],
      path: "Sources/Saving"),
    .target(
      name: "SwiftKerasCallbacks",
      dependencies: [
        "SwiftKerasCore", "SwiftKerasTraining", "SwiftKerasModels", "SwiftKerasSaving",
      ],
      path: "Sources/Callbacks"),
    // Data-parallel training over MPI: the MPI communicator and DataParallel.mpi().
    .target(
      name: "SwiftKerasDistributed",
      dependencies: ["SwiftKerasCore", "SwiftKerasTraining", "SwiftKerasModels", "CMPI"],
      path: "Sources/Distributed"),
    // Training curves as SVG and PNG.
    .target(
      name: "SwiftKerasPlotting",
      dependencies: ["SwiftKerasCore", "SwiftKerasModels", "SwiftKerasSaving", "CZlib"],
      path: "Sources/Plotting"),
    .target(
      name: "SwiftKeras",
      dependencies: [
        "SwiftKerasCore", "SwiftKerasDatasets", "SwiftKerasLayers", "SwiftKerasTraining",
        "SwiftKerasModels", "SwiftKerasSaving", "SwiftKerasCallbacks", "SwiftKerasPlotting",
        "SwiftKerasDistributed",
      ],
      path: "Sources/SwiftKeras"),
    // The demo's and benchmarks' models, shared by the two executables.
    .target(name: "SwiftKerasExamples", dependencies: ["SwiftKeras"], path: "Sources/Examples"),
    .target(
      name: "SwiftKerasFuzzTargets", dependencies: ["SwiftKeras"], path: "Sources/FuzzTargets"),
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
    .executableTarget(
      name: "SwiftKerasMPICheck", dependencies: ["SwiftKeras", "SwiftKerasExamples"],
      path: "Sources/MPICheck"),
    // What every test target shares: fixture paths, finite-difference checks, references.
    .target(
      name: "TestSupport", dependencies: ["SwiftKeras"],
      path: "Tests/TestSupport"),
    .testTarget(
      name: "CoreTests", dependencies: ["SwiftKeras", "TestSupport", "SwiftKerasCore", "CKernels"],
      path: "Tests/CoreTests"),
    .testTarget(
      name: "DatasetsTests",
      dependencies: ["SwiftKeras", "TestSupport", "SwiftKerasDatasets", "CZlib"],
      path: "Tests/DatasetsTests"),
    .testTarget(
      name: "LayersTests", dependencies: ["SwiftKeras", "TestSupport", "SwiftKerasLayers"],
      path: "Tests/LayersTests"),
    .testTarget(
      name: "TrainingTests",
      dependencies: ["SwiftKeras", "TestSupport", "SwiftKerasTraining", "CKernels"],
      path: "Tests/TrainingTests"),
    .testTarget(
      name: "ModelsTests", dependencies: ["SwiftKeras", "TestSupport", "SwiftKerasModels"],
      path: "Tests/ModelsTests"),
    .testTarget(
      name: "SavingTests",
      dependencies: ["SwiftKeras", "TestSupport", "SwiftKerasSaving", "CHDF5"],
      path: "Tests/SavingTests"),
    .testTarget(
      name: "CallbacksTests",
      dependencies: ["SwiftKeras", "TestSupport", "SwiftKerasCallbacks", "CZlib"],
      path: "Tests/CallbacksTests"),
    .testTarget(
      name: "PlottingTests",
      dependencies: ["SwiftKeras", "TestSupport", "SwiftKerasPlotting", "CZlib"],
      path: "Tests/PlottingTests"),
    // Runs swiftkeras-mpi-check under mpirun (it must be built first, as `swift test` does).
    .testTarget(
      name: "DistributedTests", dependencies: ["SwiftKeras", "TestSupport"],
      path: "Tests/DistributedTests"),
    .testTarget(
      name: "EndToEndTests",
      dependencies: ["SwiftKeras", "TestSupport", "SwiftKerasFuzzTargets", "SwiftKerasExamples"],
      path: "Tests/EndToEndTests"),
  ],
  swiftLanguageModes: [.v6]
)
