import SwiftKerasCore

/// Sliding windows over a time series, as Keras's
/// `keras.utils.timeseries_dataset_from_array`.
///
/// Window `i` starts at position `p = i × sequenceStride` and holds the rows
/// `startIndex + p, startIndex + p + samplingRate, …` (`sequenceLength` of them); its
/// target is `targets[startIndex + p]`. Windows end before `endIndex`.
///
/// ```swift
/// // Predict the value 10 steps after each window of 10.
/// let series = Tensor(shape: [100, 1], scalars: (0..<100).map(Float.init))
/// let windows = try timeseriesDatasetFromArray(
///   series[rows: 0..<90], targets: series[rows: 10..<100].reshaped(to: [90]), sequenceLength: 10)
/// ```
///
/// - Parameters:
///   - data: the series, time along the first axis.
///   - targets: one target per time step, or nil for windows alone.
///   - batchSize: windows per batch (128 as Keras), nil for single windows.
///   - shuffle, seed: shuffle the windows each pass.
/// - Throws: ``SwiftKerasError`` `.invalidArgument` for the arguments Keras rejects.
public func timeseriesDatasetFromArray(
  _ data: Tensor, targets: Tensor?, sequenceLength: Int, sequenceStride: Int = 1,
  samplingRate: Int = 1, batchSize: Int? = 128, shuffle: Bool = false, seed: UInt64? = nil,
  startIndex: Int? = nil, endIndex: Int? = nil
) throws -> Dataset {
  let context = "timeseriesDatasetFromArray"
  guard data.rank >= 1 else {
    throw SwiftKerasError(.invalidArgument, "\(context): data must have a time axis, got a scalar")
  }
  let length = data.shape[0]
  func check(_ condition: Bool, _ message: String) throws {
    if !condition { throw SwiftKerasError(.invalidArgument, "\(context): \(message)") }
  }
  if let startIndex {
    try check(startIndex >= 0, "startIndex must be 0 or greater, got \(startIndex)")
    try check(
      startIndex < length, "startIndex (\(startIndex)) must be lower than the data length \(length)"
    )
  }
  if let endIndex {
    if let startIndex {
      try check(
        endIndex > startIndex,
        "endIndex (\(endIndex)) must be higher than startIndex (\(startIndex))")
    }
    try check(
      endIndex < length, "endIndex (\(endIndex)) must be lower than the data length \(length)")
    try check(endIndex > 0, "endIndex must be higher than 0, got \(endIndex)")
  }
  try check(sequenceLength > 0, "sequenceLength must be positive, got \(sequenceLength)")
  try check(
    samplingRate > 0 && samplingRate < length,
    "samplingRate must be in 1..<\(length), got \(samplingRate)")
  try check(
    sequenceStride > 0 && sequenceStride < length,
    "sequenceStride must be in 1..<\(length), got \(sequenceStride)")
  if let batchSize { try check(batchSize > 0, "batchSize must be positive, got \(batchSize)") }
  // One batch of windows must fit the tensor size limit, checked before anything is read.
  _ = try RuntimeOptions.checkTensorSize(
    [batchSize ?? 1, sequenceLength] + Array(data.shape.dropFirst()), of: context)
  let start = startIndex ?? 0
  let end = endIndex ?? length
  let (span, overflow) = (sequenceLength - 1).multipliedReportingOverflow(by: samplingRate)
  try check(!overflow, "sequenceLength × samplingRate overflows")
  var windowCount = end - start - span
  if let targets {
    try check(targets.rank >= 1, "targets must have a time axis")
    windowCount = min(windowCount, targets.shape[0])
  }
  let starts = windowCount > 0 ? Array(stride(from: 0, to: windowCount, by: sequenceStride)) : []
  if let targets, let last = starts.last {
    try check(
      start + last < targets.shape[0],
      "targets has \(targets.shape[0]) rows; window \(starts.count - 1) needs row \(start + last)")
  }
  let source = TimeseriesSource(
    data: data, targets: targets, starts: starts, offset: start, length: sequenceLength,
    rate: samplingRate)
  var dataset = Dataset(source, isBatched: false)
  if shuffle { dataset = dataset.shuffle(seed: seed) }
  if let batchSize { dataset = dataset.batch(batchSize) }
  return dataset
}

/// The windows of a series, read by index (a window is gathered when a pass reaches it).
final class TimeseriesSource: DatasetNode, @unchecked Sendable {
  let data: Tensor
  let targets: Tensor?
  let starts: [Int]
  let offset: Int
  let length: Int
  let rate: Int
  init(data: Tensor, targets: Tensor?, starts: [Int], offset: Int, length: Int, rate: Int) {
    self.data = data
    self.targets = targets
    self.starts = starts
    self.offset = offset
    self.length = length
    self.rate = rate
  }
  var depth: Int { 1 }
  var cardinality: DatasetCardinality { .finite(starts.count) }

  private func rows(_ window: Int) -> [Int] {
    let first = offset + starts[window]
    return (0..<length).map { first + $0 * rate }
  }

  func randomAccess(_ context: IterationContext) throws -> RandomAccessElements? {
    let (data, targets) = (self.data, self.targets)
    let element = { [self] (i: Int) -> DatasetElement in
      DatasetElement(
        x: [DataArray(data.gathering(rows: rows(i)))],
        y: targets.map { [DataArray($0[offset + starts[i]])] } ?? [])
    }
    return RandomAccessElements(
      count: starts.count, element: element,
      batch: { [self] indices in
        let windows = data.gathering(rows: indices.flatMap { rows($0) })
        let shape = [indices.count, length] + Array(data.shape.dropFirst())
        return DatasetElement(
          x: [DataArray(windows.reshaped(to: shape))],
          y: targets.map { [DataArray($0.gathering(rows: indices.map { offset + starts[$0] }))] }
            ?? [])
      })
  }

  func makeIterator(_ context: IterationContext) throws -> DatasetIterator {
    try randomAccess(context)?.iterator() ?? DatasetIterator()
  }
}
