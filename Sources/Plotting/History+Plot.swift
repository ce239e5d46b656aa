import Foundation
import SwiftKerasCore
import SwiftKerasModels
import SwiftKerasSaving

extension History {
  /// Writes the history as a chart: one panel per metric family (`loss` with
  /// `val_loss`, `accuracy` with `val_accuracy`, …), each with axes, ticks, a legend and
  /// the metric's name, under an overall title. A path ending in `.png` gets a PNG image,
  /// anything else SVG. The file is written atomically.
  ///
  /// ```swift
  /// let history = try model.fit(x: x, y: y, epochs: 20, validationSplit: 0.2)
  /// try history.plot(to: "history.svg")
  /// try history.plot(to: "history.png", metrics: ["accuracy"])   // one panel
  /// ```
  ///
  /// - Parameter metrics: the families to draw (`"loss"`, `"accuracy"`; each with its
  ///   `val_` curve), or nil for all of them.
  /// - Throws: ``SwiftKerasError`` when nothing was recorded, a metric was not recorded, or
  ///   the file cannot be written.
  public func plot(
    to path: String, metrics: [String]? = nil, title: String = "Training history"
  ) throws {
    let data =
      path.lowercased().hasSuffix(".png")
      ? try png(metrics: metrics, title: title)
      : Data(try svg(metrics: metrics, title: title).utf8)
    try AtomicFile.write(data, to: URL(fileURLWithPath: path))
  }

  /// The PNG image ``plot(to:metrics:title:)`` writes for a `.png` path.
  public func png(metrics: [String]? = nil, title: String = "Training history") throws -> Data {
    try chart(metrics: metrics, title: title).raster().pngData()
  }

  /// The SVG text ``plot(to:metrics:title:)`` writes.
  public func svg(metrics: [String]? = nil, title: String = "Training history") throws -> String {
    try chart(metrics: metrics, title: title).render()
  }

  private func chart(metrics: [String]?, title: String) throws -> HistoryChart {
    guard !history.isEmpty else {
      throw SwiftKerasError(.invalidState, "History.plot: nothing recorded (run fit first)")
    }
    guard let metrics else { return HistoryChart(history: history, epochs: epoch, title: title) }
    let recorded = Set(history.keys)
    for metric in metrics where !recorded.contains(metric) && !recorded.contains("val_" + metric) {
      throw SwiftKerasError(
        .invalidArgument,
        "History.plot: '\(metric)' was not recorded; recorded: \(history.keys.joined(separator: ", "))"
      )
    }
    let chosen = history.filter { key, _ in
      metrics.contains(key) || (key.hasPrefix("val_") && metrics.contains(String(key.dropFirst(4))))
    }
    return HistoryChart(history: chosen, epochs: epoch, title: title)
  }
}

/// Lays out and renders a History as SVG.
struct HistoryChart {
  let history: OrderedDictionary<String, [Float]>
  let epochs: [Int]
  let title: String

  static let panelWidth = 420.0
  static let panelHeight = 300.0
  static let margin = (left: 64.0, right: 20.0, top: 56.0, bottom: 44.0)
  static let titleHeight = 40.0
  static let trainColor = "#1f77b4"
  static let validationColor = "#ff7f0e"

  /// Metric families in display order: loss first, then the rest sorted.
  var families: [String] {
    let names = Set(history.keys.map { $0.hasPrefix("val_") ? String($0.dropFirst(4)) : $0 })
    return names.sorted { a, b in
      if a == "loss" || b == "loss" { return a == "loss" && b != "loss" }
      return a < b
    }
  }

  func render() -> String {
    let families = self.families
    let columns = min(2, max(1, families.count))
    let rows = (families.count + columns - 1) / columns
    let width = Double(columns) * HistoryChart.panelWidth
    let height = HistoryChart.titleHeight + Double(max(rows, 1)) * HistoryChart.panelHeight
    var svg = """
      <?xml version="1.0" encoding="UTF-8"?>
      <svg xmlns="http://www.w3.org/2000/svg" width="\(fmt(width))" height="\(fmt(height))" \
      viewBox="0 0 \(fmt(width)) \(fmt(height))" font-family="Helvetica, Arial, sans-serif">
      <rect width="100%" height="100%" fill="white"/>
      <text class="title" x="\(fmt(width / 2))" y="26" text-anchor="middle" font-size="18" \
      font-weight="bold">\(escape(title))</text>

      """
    for (index, family) in families.enumerated() {
      let x = Double(index % columns) * HistoryChart.panelWidth
      let y = HistoryChart.titleHeight + Double(index / columns) * HistoryChart.panelHeight
      svg += panel(family, x: x, y: y)
    }
    svg += "</svg>\n"
    return svg
  }

  /// The geometry and data of one panel, shared by the SVG and PNG renderers.
  struct PanelLayout {
    let plotX: Double
    let plotY: Double
    let plotW: Double
    let plotH: Double
    let series: [(name: String, values: [Float], color: String)]
    let xs: [Double]
    let xRange: NiceRange
    let yRange: NiceRange

    func px(_ value: Double) -> Double {
      // Points keep 3% of the width from the frame on each side.
      plotX + plotW * (0.03 + 0.94 * (value - xRange.low) / (xRange.high - xRange.low))
    }

    func py(_ value: Double) -> Double {
      plotY + plotH - (value - yRange.low) / (yRange.high - yRange.low) * plotH
    }

    /// Legend item widths (line, gap, text) at the SVG's 11-pixel font.
    var legendItemWidths: [Double] { series.map { 30 + 6.5 * Double($0.name.count) + 14 } }
  }

  /// The layout of the panel for `family` with its top-left corner at the origin given.
  func layout(_ family: String, x originX: Double, y originY: Double) -> PanelLayout {
    let m = HistoryChart.margin
    var series: [(name: String, values: [Float], color: String)] = []
    if let train = history[family] { series.append((family, train, HistoryChart.trainColor)) }
    if let validation = history["val_" + family] {
      series.append(("val_" + family, validation, HistoryChart.validationColor))
    }
    let count = series.map { $0.values.count }.max() ?? 0
    let xs: [Double] = (0..<count).map { i in Double(i < epochs.count ? epochs[i] + 1 : i + 1) }
    let finite = series.flatMap { $0.values }.filter { $0.isFinite }.map(Double.init)
    return PanelLayout(
      plotX: originX + m.left, plotY: originY + m.top,
      plotW: HistoryChart.panelWidth - m.left - m.right,
      plotH: HistoryChart.panelHeight - m.top - m.bottom, series: series, xs: xs,
      xRange: epochRange(xs.min() ?? 1, xs.max() ?? 1),
      yRange: niceRange(finite.min() ?? 0, finite.max() ?? 1, integer: false))
  }

  func panel(_ family: String, x originX: Double, y originY: Double) -> String {
    let layout = self.layout(family, x: originX, y: originY)
    let (plotX, plotY, plotW, plotH) = (layout.plotX, layout.plotY, layout.plotW, layout.plotH)
    let (series, xs, xRange, yRange) = (layout.series, layout.xs, layout.xRange, layout.yRange)
    func px(_ value: Double) -> Double { layout.px(value) }
    func py(_ value: Double) -> Double { layout.py(value) }

    var out = "<g class=\"panel\" id=\"panel-\(escape(family))\">\n"
    out +=
      "<text class=\"panel-title\" x=\"\(fmt(plotX + plotW / 2))\" y=\"\(fmt(originY + 22))\" text-anchor=\"middle\" font-size=\"14\" font-weight=\"bold\">\(escape(family))</text>\n"
    out +=
      "<rect class=\"plot-area\" x=\"\(fmt(plotX))\" y=\"\(fmt(plotY))\" width=\"\(fmt(plotW))\" height=\"\(fmt(plotH))\" fill=\"none\" stroke=\"#444\" stroke-width=\"1\"/>\n"
    // Grid lines and ticks.
    out += "<g class=\"y-axis\" font-size=\"11\" fill=\"#333\">\n"
    for tick in yRange.ticks {
      let y = py(tick)
      out += svgLine(plotX, y, plotX + plotW, y, stroke: "#e5e5e5")
      out += svgLine(plotX - 5, y, plotX, y, stroke: "#444")
      out += tickText(plotX - 8, y + 4, anchor: "end", tickLabel(tick, step: yRange.step))
    }
    out += "</g>\n<g class=\"x-axis\" font-size=\"11\" fill=\"#333\">\n"
    for tick in xRange.ticks {
      let x = px(tick)
      out += svgLine(x, plotY + plotH, x, plotY + plotH + 5, stroke: "#444")
      out += tickText(x, plotY + plotH + 18, anchor: "middle", tickLabel(tick, step: xRange.step))
    }
    out +=
      "<text class=\"axis-label\" x=\"\(fmt(plotX + plotW / 2))\" y=\"\(fmt(plotY + plotH + 36))\" text-anchor=\"middle\" font-size=\"12\">epoch</text>\n"
    out += "</g>\n"
    // The series: polylines split at non-finite values, with markers for short runs.
    for entry in series {
      out += "<g class=\"series\" data-name=\"\(escape(entry.name))\">\n"
      var segment: [String] = []
      func flush() {
        if segment.count > 1 {
          out +=
            "<polyline fill=\"none\" stroke=\"\(entry.color)\" stroke-width=\"2\" points=\"\(segment.joined(separator: " "))\"/>\n"
        }
        segment = []
      }
      for (i, value) in entry.values.enumerated() {
        guard value.isFinite, i < xs.count else {
          flush()
          continue
        }
        let point = "\(fmt(px(xs[i]))),\(fmt(py(Double(value))))"
        segment.append(point)
        if entry.values.count <= 40 {
          out +=
            "<circle cx=\"\(fmt(px(xs[i])))\" cy=\"\(fmt(py(Double(value))))\" r=\"3\" fill=\"\(entry.color)\"/>\n"
        }
      }
      flush()
      out += "</g>\n"
    }
    // Legend: one row between the panel title and the plot area.
    out += "<g class=\"legend\" font-size=\"11\">\n"
    let itemWidths = layout.legendItemWidths
    var legendX = plotX + (plotW - itemWidths.reduce(0, +)) / 2
    let legendY = plotY - 10
    for (entry, itemWidth) in zip(series, itemWidths) {
      out +=
        svgLine(
          legendX, legendY - 4, legendX + 22, legendY - 4, stroke: entry.color,
          attributes: " stroke-width=\"2\"")
      out += "<text x=\"\(fmt(legendX + 28))\" y=\"\(fmt(legendY))\">\(escape(entry.name))</text>\n"
      legendX += itemWidth
    }
    out += "</g>\n</g>\n"
    return out
  }
}

/// An axis range rounded outwards to "nice" ticks (1, 2 or 5 × 10^k apart).
struct NiceRange {
  var low: Double
  var high: Double
  var step: Double
  var explicitTicks: [Double]? = nil
  var ticks: [Double] {
    if let explicitTicks { return explicitTicks }
    var values: [Double] = []
    var value = low
    while value <= high + step * 1e-9 {
      values.append(abs(value) < step * 1e-9 ? 0 : value)
      value += step
    }
    return values
  }
}

func niceRange(_ minimum: Double, _ maximum: Double, integer: Bool, targetTicks: Double = 5)
  -> NiceRange
{
  var low = minimum
  var high = maximum
  if high - low < 1e-12 {
    let pad = integer ? 1 : max(abs(low) * 0.1, 1e-3)
    low -= pad
    high += pad
    if integer { low = max(low, 0) }
  }
  let raw = (high - low) / targetTicks
  let magnitude = pow(10, floor(log10(raw)))
  let fraction = raw / magnitude
  var step = (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * magnitude
  if integer { step = max(1, step.rounded()) }
  return NiceRange(low: floor(low / step) * step, high: ceil(high / step) * step, step: step)
}

/// The epoch axis: exactly the epochs run, with integer ticks 1, 2 or 5 × 10^k apart
/// (and the first epoch).
func epochRange(_ first: Double, _ last: Double) -> NiceRange {
  let low = first
  let high = last > first ? last : first + 1
  let step = niceRange(low, high, integer: true).step
  return NiceRange(low: low, high: high, step: step, explicitTicks: epochTicks(low, high, step))
}

func epochTicks(_ low: Double, _ high: Double, _ step: Double) -> [Double] {
  var ticks: [Double] = [low]
  var value = (floor(low / step) + 1) * step
  while value <= high + 1e-9 {
    if value - low >= step * 0.5 { ticks.append(value) }
    value += step
  }
  return ticks
}

/// A tick label with as many decimals as the step needs.
func tickLabel(_ value: Double, step: Double) -> String {
  let decimals = max(
    0, Int(-floor(log10(step)) + (step / pow(10, floor(log10(step))) >= 0.999 ? 0 : 1)))
  return String(format: "%.\(min(decimals, 8))f", value)
}

/// Two decimals, enough for pixel coordinates.
func fmt(_ value: Double) -> String { String(format: "%.2f", value) }

/// An SVG `<line>` from `(x1, y1)` to `(x2, y2)`, with any further `attributes`.
func svgLine(
  _ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
  attributes: String = ""
) -> String {
  "<line x1=\"\(fmt(x1))\" y1=\"\(fmt(y1))\" x2=\"\(fmt(x2))\" y2=\"\(fmt(y2))\" stroke=\"\(stroke)\"\(attributes)/>"
}

/// An axis tick's label at `(x, y)`, on a line of its own.
func tickText(_ x: Double, _ y: Double, anchor: String, _ label: String) -> String {
  "<text class=\"tick\" x=\"\(fmt(x))\" y=\"\(fmt(y))\" text-anchor=\"\(anchor)\">\(label)</text>\n"
}

/// XML text escaping.
func escape(_ text: String) -> String {
  text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
    .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
}

extension HistoryChart {
  /// The chart drawn into pixels with the SVG's layout, for PNG output.
  func raster() -> RasterImage {
    let families = self.families
    let columns = min(2, max(1, families.count))
    let rows = (families.count + columns - 1) / columns
    var image = RasterImage(
      width: Int(Double(columns) * HistoryChart.panelWidth),
      height: Int(HistoryChart.titleHeight + Double(max(rows, 1)) * HistoryChart.panelHeight))
    image.text(title, x: Double(image.width) / 2, y: 30, scale: 2, anchor: .middle, bold: true)
    for (index, family) in families.enumerated() {
      let layout = self.layout(
        family, x: Double(index % columns) * HistoryChart.panelWidth,
        y: HistoryChart.titleHeight + Double(index / columns) * HistoryChart.panelHeight)
      let originY = layout.plotY - HistoryChart.margin.top
      let bottom = layout.plotY + layout.plotH
      image.text(
        family, x: layout.plotX + layout.plotW / 2, y: originY + 22, scale: 2, anchor: .middle)
      for tick in layout.yRange.ticks {
        let y = layout.py(tick)
        image.line(layout.plotX, y, layout.plotX + layout.plotW, y, color: "#e5e5e5")
        image.line(layout.plotX - 5, y, layout.plotX, y, color: "#444444")
        image.text(
          tickLabel(tick, step: layout.yRange.step), x: layout.plotX - 8, y: y + 3, anchor: .end)
      }
      for tick in layout.xRange.ticks {
        let x = layout.px(tick)
        image.line(x, bottom, x, bottom + 5, color: "#444444")
        image.text(tickLabel(tick, step: layout.xRange.step), x: x, y: bottom + 16, anchor: .middle)
      }
      image.text("epoch", x: layout.plotX + layout.plotW / 2, y: bottom + 34, anchor: .middle)
      image.strokeRect(
        x: layout.plotX, y: layout.plotY, width: layout.plotW, height: layout.plotH,
        color: "#444444")
      for entry in layout.series {
        var previous: (Double, Double)?
        for (i, value) in entry.values.enumerated() {
          guard value.isFinite, i < layout.xs.count else {
            previous = nil
            continue
          }
          let point = (layout.px(layout.xs[i]), layout.py(Double(value)))
          if let previous {
            image.line(previous.0, previous.1, point.0, point.1, color: entry.color, thickness: 2)
          }
          if entry.values.count <= 40 {
            image.disc(cx: point.0, cy: point.1, radius: 3, color: entry.color)
          }
          previous = point
        }
      }
      var legendX = layout.plotX + (layout.plotW - layout.legendItemWidths.reduce(0, +)) / 2
      let legendY = layout.plotY - 10
      for (entry, itemWidth) in zip(layout.series, layout.legendItemWidths) {
        image.line(
          legendX, legendY - 4, legendX + 22, legendY - 4, color: entry.color, thickness: 2)
        image.text(entry.name, x: legendX + 28, y: legendY)
        legendX += itemWidth
      }
    }
    return image
  }
}
