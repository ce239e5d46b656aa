/// The heap buffer behind a ``Tensor``: a 64-byte aligned block of `Float`s.
///
/// Tensors share a storage until one of them writes, at which point the writer
/// copies (copy-on-write). The storage itself never changes size.
@usableFromInline
package final class TensorStorage {
  @usableFromInline package let count: Int
  @usableFromInline package let base: UnsafeMutablePointer<Float>

  /// Allocates uninitialised room for `count` floats.
  @usableFromInline
  package init(uninitializedCount count: Int) {
    self.count = count
    // 64-byte alignment lets SIMD loads and OpenBLAS kernels run on aligned data.
    let raw = BufferPool.allocate(bytes: Swift.max(count, 1) * MemoryLayout<Float>.stride)
    base = raw.bindMemory(to: Float.self, capacity: Swift.max(count, 1))
  }

  @usableFromInline
  package convenience init(repeating value: Float, count: Int) {
    self.init(uninitializedCount: count)
    base.initialize(repeating: value, count: count)
  }

  @usableFromInline
  package func copy() -> TensorStorage {
    let result = TensorStorage(uninitializedCount: count)
    result.base.update(from: base, count: count)
    return result
  }

  deinit {
    BufferPool.release(
      UnsafeMutableRawPointer(base), bytes: Swift.max(count, 1) * MemoryLayout<Float>.stride)
  }
}
