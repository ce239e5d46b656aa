import SwiftKeras

/// The gradient tape's cost per recorded operation on tiny tensors.
enum TapeBenchmark {
  /// Times in microseconds per operation.
  struct Result {
    var untaped: Double
    var taped: Double
    var backward: Double
    /// Recording overhead: taped minus untaped.
    var overhead: Double { taped - untaped }
  }

  /// Chains `operations` additions of two [4] tensors, without a tape and inside
  /// `GradientTape().record { }` with watched inputs, then backpropagates through the chain.
  @discardableResult
  static func run(operations: Int, samples: Int) -> Result {
    let a = Tensor([1, 2, 3, 4])
    let b = Tensor([0.5, 0.25, 0.125, 0.0625])

    /// `x + y + … + y`, `operations` additions.
    func chain(_ x: Tensor, _ y: Tensor) -> Tensor {
      var z = x
      for _ in 0..<operations { z = z + y }
      return z
    }
    /// The chain recorded on a fresh tape with both inputs watched.
    func recordedChain() -> (tape: GradientTape, inputs: [Tensor], output: Tensor) {
      let tape = GradientTape()
      let (wa, wb) = (tape.watch(a), tape.watch(b))
      return (tape, [wa, wb], tape.record { chain(wa, wb) })
    }

    let untaped = Measurement.bestSecondsPerCall(samples: samples) { blackHole(chain(a, b)) }
    let taped = Measurement.bestSecondsPerCall(samples: samples) {
      blackHole(recordedChain().output)
    }
    // The backward pass alone: record outside the timer, time `gradient`.
    var backwardBest = Double.infinity
    for _ in 0..<samples {
      let (tape, inputs, z) = recordedChain()
      let start = Measurement.now()
      let grads = tape.gradient(of: z, wrt: inputs)
      backwardBest = Swift.min(backwardBest, Measurement.now() - start)
      blackHole(grads)
    }

    let perOp = 1e6 / Double(operations)
    let result = Result(
      untaped: untaped * perOp, taped: taped * perOp, backward: backwardBest * perOp)
    print("## gradient tape, \(operations) chained [4] + [4] additions, best of \(samples) samples")
    print("untaped forward        \(padded(formatted(result.untaped, 3), 8)) µs/op")
    print("taped forward          \(padded(formatted(result.taped, 3), 8)) µs/op")
    print("recording overhead     \(padded(formatted(result.overhead, 3), 8)) µs/op")
    print("backward (gradient)    \(padded(formatted(result.backward, 3), 8)) µs/op")
    return result
  }
}
