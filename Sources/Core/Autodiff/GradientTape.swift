import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Where a tensor value sits on a gradient tape: the tape's id and the entry index.
@usableFromInline
struct TapeTrace: Sendable {
  @usableFromInline var tapeID: Int
  @usableFromInline var index: Int
  @usableFromInline static let untracked = TapeTrace(tapeID: 0, index: -1)

  @usableFromInline init(tapeID: Int, index: Int) {
    self.tapeID = tapeID
    self.index = index
  }
}

/// Records differentiable tensor operations and computes gradients by reverse-mode
/// automatic differentiation, in the spirit of `tf.GradientTape`.
///
/// Operations run inside ``record(_:)`` are recorded when one of their inputs is
/// watched (``watch(_:)-4m1cn``) or derives from a watched value. Trainable
/// ``Variable``s are watched automatically when read inside `record`.
///
/// ```swift
/// let tape = GradientTape()
/// let x = tape.watch(Tensor([1, 2, 3]))
/// let y = tape.record { (x * x).sum() }
/// let dx = tape.gradient(of: y, wrt: x)   // [2, 4, 6]
/// ```
///
/// A tape records on the thread that calls `record`. A non-persistent tape frees its
/// record after the first call to `gradient`; pass `persistent: true` to ask for
/// several gradients from one recording.
public final class GradientTape {
  /// How an entry passes its output gradient back to its inputs.
  @usableFromInline
  enum Backward {
    case leaf
    case unary(Int, (Tensor) -> Tensor)
    case binary(Int, Int, (Tensor) -> (Tensor?, Tensor?))
    case nary([Int], (Tensor) -> [Tensor?])
  }

  @usableFromInline
  struct Entry {
    @usableFromInline var backward: Backward
    @usableFromInline init(_ backward: Backward) { self.backward = backward }
  }

  /// Whether the tape keeps its record after computing a gradient.
  public let persistent: Bool
  @usableFromInline let id: Int
  @usableFromInline var entries: [Entry] = []
  @usableFromInline var variableLeaves: [ObjectIdentifier: Int] = [:]
  private var spent = false

  private static let nextID = Atomic<Int>(1)

  /// Creates an empty tape.
  ///
  /// - Parameter persistent: keep the record after `gradient` so it can be called again.
  public init(persistent: Bool = false) {
    self.persistent = persistent
    id = GradientTape.nextID.wrappingAdd(1, ordering: .relaxed).oldValue
    entries.reserveCapacity(64)
  }

  /// Runs `body` with this tape recording on the current thread.
  @discardableResult
  public func record<Result>(_ body: () throws -> Result) rethrows -> Result {
    TapeContext.push(self)
    defer { TapeContext.pop() }
    return try body()
  }

  /// Returns `tensor` marked as watched: operations on it are recorded.
  public func watch(_ tensor: Tensor) -> Tensor {
    if tensor.trace.tapeID == id { return tensor }
    var watched = tensor
    watched.trace = TapeTrace(tapeID: id, index: appendLeaf())
    return watched
  }

  /// Watches a variable, trainable or not, so reads of it are recorded.
  public func watch(_ variable: Variable) {
    _ = leafIndex(for: variable)
  }

  /// Whether this tape would record an operation on `tensor`.
  public func isWatching(_ tensor: Tensor) -> Bool { tensor.trace.tapeID == id }

  @usableFromInline
  func appendLeaf() -> Int {
    entries.append(Entry(.leaf))
    return entries.count - 1
  }

  @usableFromInline
  func leafIndex(for variable: Variable) -> Int {
    let key = ObjectIdentifier(variable)
    if let index = variableLeaves[key] { return index }
    let index = appendLeaf()
    variableLeaves[key] = index
    return index
  }

  @usableFromInline
  func append(_ backward: Backward) -> TapeTrace {
    entries.append(Entry(backward))
    return TapeTrace(tapeID: id, index: entries.count - 1)
  }

  /// The gradients of `target` with respect to each of `sources`.
  ///
  /// A non-scalar target is summed first, as TensorFlow does. A source the target does
  /// not depend on gets `nil` (or zeros with `unconnected: .zero`).
  ///
  /// - Parameter outputGradient: the gradient flowing into `target`; ones by default.
  public func gradient(
    of target: Tensor, wrt sources: [Tensor], outputGradient: Tensor? = nil,
    unconnected: UnconnectedGradients = .none
  ) -> [Tensor?] {
    let indices = sources.map { $0.trace.tapeID == id ? $0.trace.index : -1 }
    let grads = backpropagate(from: target, outputGradient: outputGradient, needed: indices)
    return zip(indices, sources).map { index, source in
      let g = index >= 0 ? grads[index] : nil
      if g == nil && unconnected == .zero { return Tensor(repeating: 0, shape: source.shape) }
      return g
    }
  }

  /// The gradient of `target` with respect to one source.
  public func gradient(
    of target: Tensor, wrt source: Tensor, unconnected: UnconnectedGradients = .none
  ) -> Tensor? {
    gradient(of: target, wrt: [source], unconnected: unconnected)[0]
  }

  /// The gradients of `target` with respect to each variable (nil where unconnected).
  ///
  /// - Parameter outputGradient: the gradient flowing into `target`; ones by default.
  public func gradient(
    of target: Tensor, wrt variables: [Variable], outputGradient: Tensor? = nil,
    unconnected: UnconnectedGradients = .none
  ) -> [Tensor?] {
    let indices = variables.map { variableLeaves[ObjectIdentifier($0)] ?? -1 }
    let grads = backpropagate(from: target, outputGradient: outputGradient, needed: indices)
    return zip(indices, variables).map { index, variable in
      let g = index >= 0 ? grads[index] : nil
      if g == nil && unconnected == .zero {
        return Tensor(repeating: 0, shape: variable.value.shape)
      }
      return g
    }
  }

  private func backpropagate(from target: Tensor, outputGradient: Tensor?, needed: [Int])
    -> [Tensor?]
  {
    precondition(!spent, "GradientTape.gradient: a non-persistent tape can be used only once")
    var grads = [Tensor?](repeating: nil, count: entries.count)
    guard target.trace.tapeID == id, target.trace.index >= 0 else { return grads }
    if let seed = outputGradient {
      precondition(
        seed.shape == target.shape,
        "GradientTape.gradient: output gradient shape \(seed.shape) does not match target shape \(target.shape)"
      )
      grads[target.trace.index] = seed.detached
    } else {
      grads[target.trace.index] = Tensor(repeating: 1, shape: target.shape)
    }
    let lowest = needed.filter { $0 >= 0 }.min() ?? target.trace.index
    // A non-persistent tape frees each gradient once passed on, except those asked for
    // (a source may be an intermediate value, not only a leaf).
    let keep = Set(needed)
    // Backward closures use tensor ops themselves; nothing may be recorded meanwhile.
    TapeContext.push(nil)
    defer { TapeContext.pop() }
    var index = target.trace.index
    while index >= lowest {
      if let g = grads[index] {
        switch entries[index].backward {
        case .leaf: break
        case .unary(let input, let backward):
          if !persistent && !keep.contains(index) { grads[index] = nil }
          GradientTape.accumulate(&grads, input, backward(g))
        case .binary(let a, let b, let backward):
          if !persistent && !keep.contains(index) { grads[index] = nil }
          let (ga, gb) = backward(g)
          if let ga { GradientTape.accumulate(&grads, a, ga) }
          if let gb { GradientTape.accumulate(&grads, b, gb) }
        case .nary(let inputs, let backward):
          if !persistent && !keep.contains(index) { grads[index] = nil }
          for (input, gi) in zip(inputs, backward(g)) {
            if let gi { GradientTape.accumulate(&grads, input, gi) }
          }
        }
      }
      index -= 1
    }
    if !persistent {
      spent = true
      entries = []
    }
    return grads
  }

  private static func accumulate(_ grads: inout [Tensor?], _ index: Int, _ g: Tensor) {
    guard index >= 0 else { return }
    if var existing = grads[index] {
      // Dropping the slot's reference first lets the sum reuse the buffer when unshared.
      grads[index] = nil
      existing.addInPlace(g)
      grads[index] = existing
    } else {
      grads[index] = g
    }
  }
}

/// What ``GradientTape/gradient(of:wrt:outputGradient:unconnected:)`` returns for a source
/// the target does not depend on.
public enum UnconnectedGradients: Sendable {
  /// `nil`, as TensorFlow's default.
  case none
  /// A tensor of zeros with the source's shape.
  case zero
}

/// The stack of recording tapes of the current thread.
@usableFromInline
enum TapeContext {
  final class Stack {
    var tapes: [GradientTape?] = []
  }

  // A pthread key: the standard library has no thread-local storage of its own.
  private static let key: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key) { pointer in
      guard let pointer else { return }
      Unmanaged<AnyObject>.fromOpaque(pointer).release()
    }
    return key
  }()

  private static var stack: Stack {
    if let pointer = pthread_getspecific(key) {
      return Unmanaged<Stack>.fromOpaque(pointer).takeUnretainedValue()
    }
    let stack = Stack()
    pthread_setspecific(key, Unmanaged.passRetained(stack).toOpaque())
    return stack
  }

  static func push(_ tape: GradientTape?) { stack.tapes.append(tape) }
  static func pop() { stack.tapes.removeLast() }

  /// The tape recording on this thread, if any (nil while a gradient is computed).
  @usableFromInline
  static var current: GradientTape? {
    guard let pointer = pthread_getspecific(key) else { return nil }
    let stack = Unmanaged<Stack>.fromOpaque(pointer).takeUnretainedValue()
    return stack.tapes.last ?? nil
  }
}

extension Tensor {
  /// The recording tape if it tracks this value.
  @usableFromInline
  package var recordingTape: GradientTape? {
    guard trace.tapeID != 0, let tape = TapeContext.current, tape.id == trace.tapeID else {
      return nil
    }
    return tape
  }

  /// Records `self` as the output of a one-input op whose input is `input`.
  @usableFromInline
  package func recorded(from input: Tensor, _ backward: @escaping (Tensor) -> Tensor) -> Tensor {
    guard let tape = input.recordingTape else { return self }
    var result = self
    result.trace = tape.append(.unary(input.trace.index, backward))
    return result
  }

  /// Records `self` as the output of a two-input op. The backward closure is told which
  /// inputs need a gradient and may return nil for the others.
  @usableFromInline
  package func recorded(
    from a: Tensor, _ b: Tensor,
    _ backward: @escaping (_ grad: Tensor, _ needA: Bool, _ needB: Bool) -> (Tensor?, Tensor?)
  ) -> Tensor {
    guard let tape = TapeContext.current else { return self }
    let needA = a.trace.tapeID == tape.id
    let needB = b.trace.tapeID == tape.id
    guard needA || needB else { return self }
    var result = self
    result.trace = tape.append(
      .binary(
        needA ? a.trace.index : -1, needB ? b.trace.index : -1,
        { backward($0, needA, needB) }))
    return result
  }

  /// Records `self` as the output of an op with any number of inputs.
  @usableFromInline
  package func recorded(from inputs: [Tensor], _ backward: @escaping (Tensor) -> [Tensor?])
    -> Tensor
  {
    guard let tape = TapeContext.current else { return self }
    let indices = inputs.map { $0.trace.tapeID == tape.id ? $0.trace.index : -1 }
    guard indices.contains(where: { $0 >= 0 }) else { return self }
    var result = self
    result.trace = tape.append(.nary(indices, backward))
    return result
  }
}
