import ArgumentParser

/// The root command of `swiftkeras-bench`: one subcommand per benchmark family.
///
/// Add a family by writing a `ParsableCommand` in its own file and listing it in
/// `subcommands` below.
struct SwiftKerasBench: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "swiftkeras-bench",
    abstract:
      "Benchmarks of SwiftKeras. Build in release mode: swift run -c release swiftkeras-bench core",
    subcommands: [
      CoreBenchmark.self, DatasetsBenchmark.self, MLPBenchmark.self, CNNBenchmark.self,
      ConvBenchmark.self, PipelineBenchmark.self, KillTest.self, SaveLoop.self,
      DistributedBenchmark.self, LSTMBenchmark.self, TransformerBenchmark.self,
    ]
  )
}
