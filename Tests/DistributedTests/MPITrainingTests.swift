import Foundation
import TestSupport
import XCTest

/// Data-parallel training under `mpirun -np 2`, against the same program run as one
/// process.
final class MPITrainingTests: XCTestCase {
  private var folder: URL!

  override func setUpWithError() throws {
    folder = try makeTemporaryDirectory("mpi")
  }

  override func tearDownWithError() throws {
    try? FileManager.default.removeItem(at: folder)
  }

  private func run(_ mode: String, ranks: Int?, subfolder: String) throws -> MPIRunner.Outcome {
    try MPIRunner.run(mode, ranks: ranks, folder: folder.appendingPathComponent(subfolder))
  }

  private func maxDifference(_ a: Any?, _ b: Any?) throws -> Double {
    let left = try XCTUnwrap(a as? [Double])
    let right = try XCTUnwrap(b as? [Double])
    XCTAssertEqual(left.count, right.count)
    return zip(left, right).map { abs($0 - $1) }.max() ?? .infinity
  }

  /// 2 ranks at global batch 64 train to the weights of 1 process at batch 64, with the
  /// same History, evaluate and predict results (to float rounding of the summation order).
  func testTwoRanksMatchOneProcess() throws {
    let single = try run("equivalence", ranks: nil, subfolder: "single")
    XCTAssertEqual(single.status, 0, single.output)
    let pair = try run("equivalence", ranks: 2, subfolder: "pair")
    XCTAssertEqual(pair.status, 0, pair.output)
    let one = try single.result()
    let two = try pair.result()
    XCTAssertEqual(one["ranks"] as? Int, 1)
    XCTAssertEqual(two["ranks"] as? Int, 2)
    XCTAssertLessThan(try maxDifference(one["weights"], two["weights"]), 1e-6)
    XCTAssertLessThan(try maxDifference(one["predict"], two["predict"]), 1e-6)
    let historyOne = try XCTUnwrap(one["history"] as? [String: [Double]])
    let historyTwo = try XCTUnwrap(two["history"] as? [String: [Double]])
    XCTAssertEqual(Set(historyOne.keys), ["loss", "accuracy", "val_loss", "val_accuracy"])
    for (key, values) in historyOne {
      XCTAssertLessThan(try maxDifference(values, historyTwo[key]), 1e-6, key)
    }
    let scoresOne = try XCTUnwrap(one["evaluate"] as? [String: Double])
    let scoresTwo = try XCTUnwrap(two["evaluate"] as? [String: Double])
    for (key, value) in scoresOne {
      XCTAssertEqual(value, try XCTUnwrap(scoresTwo[key]), accuracy: 1e-6, key)
    }
  }

  /// Two "hosts" (network namespaces joined by a veth pair, one rank in each, MPI over
  /// TCP) train the seed MLP, Dropout included, to one process's weights.
  func testTwoHostsOverTCPTrainTheSeedMLPAsOneProcess() throws {
    let single = try run("seed-mlp", ranks: nil, subfolder: "single")
    XCTAssertEqual(single.status, 0, single.output)
    let hosts = try MPIRunner.runOnTwoHosts(
      "seed-mlp", folder: folder.appendingPathComponent("hosts"))
    XCTAssertEqual(hosts.status, 0, hosts.output)
    XCTAssertEqual(try hosts.result()["ranks"] as? Int, 2)
    let names = try (0..<2).map {
      try String(
        contentsOf: hosts.folder.appendingPathComponent("rank\($0)/host.txt"), encoding: .utf8)
    }
    XCTAssertEqual(names, ["sk-host-a", "sk-host-b"])
    XCTAssertLessThan(
      try maxDifference(try single.result()["weights"], try hosts.result()["weights"]), 1e-6)
  }

  /// Synchronized BatchNormalization takes its statistics over the global batch: 2 ranks
  /// match one process (moving statistics included); per-rank statistics do not.
  func testSynchronizedBatchNormalizationMatchesOneProcess() throws {
    let single = try run("sync-bn", ranks: nil, subfolder: "single")
    XCTAssertEqual(single.status, 0, single.output)
    let synchronized = try run("sync-bn", ranks: 2, subfolder: "synchronized")
    XCTAssertEqual(synchronized.status, 0, synchronized.output)
    let perRank = try run("rank-bn", ranks: 2, subfolder: "per-rank")
    XCTAssertEqual(perRank.status, 0, perRank.output)
    let reference = try single.result()["weights"]
    XCTAssertLessThan(try maxDifference(reference, try synchronized.result()["weights"]), 1e-5)
    XCTAssertGreaterThan(try maxDifference(reference, try perRank.result()["weights"]), 1e-4)
  }

  /// A Dataset pipeline (shuffle, batch, map, prefetch) trains on 2 ranks to one
  /// process's weights: every rank reads the same batches and trains on its rows.
  func testDatasetPipelineOnTwoRanksMatchesOneProcess() throws {
    let single = try run("dataset", ranks: nil, subfolder: "single")
    XCTAssertEqual(single.status, 0, single.output)
    let pair = try run("dataset", ranks: 2, subfolder: "pair")
    XCTAssertEqual(pair.status, 0, pair.output)
    XCTAssertLessThan(
      try maxDifference(try single.result()["weights"], try pair.result()["weights"]), 1e-6)
    XCTAssertLessThan(
      try maxDifference(try single.result()["loss"], try pair.result()["loss"]), 1e-6)
  }

  /// Every sample is trained on exactly once per epoch, by exactly one rank.
  func testShardingCoversEverySampleOncePerEpoch() throws {
    let outcome = try run("sharding", ranks: 2, subfolder: "sharding")
    XCTAssertEqual(outcome.status, 0, outcome.output)
    let result = try outcome.result()
    let features = try XCTUnwrap(result["firstFeatures"] as? [Double])
    let sampleOf = Dictionary(uniqueKeysWithValues: features.enumerated().map { ($1, $0) })
    XCTAssertEqual(sampleOf.count, 501, "feature 0 identifies a sample")
    let perRank = try XCTUnwrap(result["seen"] as? [[Double]])
    XCTAssertEqual(perRank.count, 2)
    var epochsByRank: [[[Int]]] = []
    for values in perRank {
      var epochs: [[Int]] = [[]]
      for value in values where value != -2 {
        if value == -1 {
          epochs.append([])
        } else {
          epochs[epochs.count - 1].append(try XCTUnwrap(sampleOf[value]))
        }
      }
      epochsByRank.append(Array(epochs.dropLast()))
    }
    for epoch in 0..<2 {
      let zero = epochsByRank[0][epoch]
      let one = epochsByRank[1][epoch]
      XCTAssertEqual((zero + one).sorted(), Array(0..<501), "epoch \(epoch)")
      XCTAssertLessThanOrEqual(abs(zero.count - one.count), 8, "even shares")
    }
  }

  /// ModelCheckpoint, CSVLogger, TensorBoard and the progress bar run on rank 0 only.
  func testOnlyRankZeroWritesFiles() throws {
    let outcome = try run("files", ranks: 2, subfolder: "files")
    XCTAssertEqual(outcome.status, 0, outcome.output)
    let manager = FileManager.default
    let rank0 = outcome.folder.appendingPathComponent("rank0")
    let rank1 = outcome.folder.appendingPathComponent("rank1")
    for name in ["log.csv", "model.keras", "tensorboard"] {
      XCTAssertTrue(manager.fileExists(atPath: rank0.appendingPathComponent(name).path), name)
    }
    XCTAssertEqual(try manager.contentsOfDirectory(atPath: rank1.path), [])
    XCTAssertEqual(outcome.output.components(separatedBy: "Epoch 1/2").count - 1, 1)
    // ReduceLROnPlateau reduces once (epoch 2) on both ranks, but prints on rank 0 only.
    XCTAssertEqual(
      outcome.output.components(separatedBy: "ReduceLROnPlateau reducing").count - 1, 1,
      outcome.output)
  }

  /// Ranks that load different data refuse to start, with the same error on every rank.
  func testMismatchedDataThrowsAtStart() throws {
    let outcome = try run("mismatch", ranks: 2, subfolder: "mismatch")
    XCTAssertEqual(outcome.status, 0, outcome.output)
    let error = try XCTUnwrap(try outcome.result()["error"] as? String)
    XCTAssertTrue(error.contains("rank 1 has samples 400 but rank 0 has 501"), error)
  }

  /// A rank killed mid-fit ends the whole run, with an error, in well under 30 s.
  func testKilledRankEndsTheRun() throws {
    let outcome = try run("kill", ranks: 2, subfolder: "kill")
    XCTAssertNotEqual(outcome.status, 0)
    XCTAssertLessThan(outcome.seconds, 30)
    XCTAssertTrue(outcome.output.contains("signal 9"), outcome.output)
  }

  /// A rank whose fit throws ends every rank with its reason.
  func testThrowingRankEndsTheRunWithItsError() throws {
    let outcome = try run("throw", ranks: 2, subfolder: "throw")
    XCTAssertNotEqual(outcome.status, 0)
    XCTAssertLessThan(outcome.seconds, 30)
    XCTAssertTrue(
      outcome.output.contains("rank 1 of 2: fit failed: rank 1 fails on purpose at batch 3"),
      outcome.output)
  }

  /// BackupAndRestore resumes a 2-rank run killed after epoch 2 to the weights of an
  /// uninterrupted run, bit for bit.
  func testBackupAndRestoreResumesAfterKill() throws {
    let whole = try run("backup", ranks: 2, subfolder: "whole")
    XCTAssertEqual(whole.status, 0, whole.output)
    let killed = try run("backup-interrupted", ranks: 2, subfolder: "resumed")
    XCTAssertNotEqual(killed.status, 0)
    let resumed = try run("backup", ranks: 2, subfolder: "resumed")
    XCTAssertEqual(resumed.status, 0, resumed.output)
    XCTAssertEqual(try resumed.result()["epochs"] as? [Int], [2, 3])
    XCTAssertEqual(
      try maxDifference(try whole.result()["weights"], try resumed.result()["weights"]), 0)
  }
}
