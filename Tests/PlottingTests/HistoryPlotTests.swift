import Foundation
import SwiftKeras
import SwiftKerasCallbacks
import SwiftKerasCore
import SwiftKerasModels
import TestSupport
import XCTest

@testable import SwiftKerasPlotting

#if canImport(FoundationXML)
  import FoundationXML
#endif

final class HistoryPlotTests: XCTestCase {
  /// Collects elements and their attributes and text from an XML document.
  final class Collector: NSObject, XMLParserDelegate {
    var elements: [(name: String, attributes: [String: String])] = []
    var texts: [String] = []
    var groupStack: [String] = []
    var panelTexts: [String: [String]] = [:]
    private var currentText = ""

    func parser(
      _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
      elements.append((elementName, attributeDict))
      if elementName == "g" {
        groupStack.append(attributeDict["id"] ?? attributeDict["class"] ?? "")
      }
      currentText = ""
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { currentText += string }

    func parser(
      _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
      qualifiedName qName: String?
    ) {
      if elementName == "text" {
        texts.append(currentText)
        if let panel = groupStack.first(where: { $0.hasPrefix("panel-") }) {
          panelTexts[panel, default: []].append(currentText)
        }
      }
      if elementName == "g" { groupStack.removeLast() }
      currentText = ""
    }
  }

  func makeHistory() -> History {
    let history = History()
    history.onTrainBegin(logs: [:])
    let loss: [Float] = [1.2, 0.8, 0.6, 0.5, 0.45]
    let accuracy: [Float] = [0.4, 0.6, 0.7, 0.75, 0.8]
    for epoch in 0..<5 {
      history.onEpochEnd(
        epoch,
        logs: [
          "loss": loss[epoch], "val_loss": loss[epoch] + 0.1, "accuracy": accuracy[epoch],
          "val_accuracy": accuracy[epoch] - 0.05, "learning_rate": epoch == 2 ? .nan : 0.01,
        ])
    }
    return history
  }

  func testSVGIsValidXMLWithOnePanelPerFamily() throws {
    let directory = try makeTemporaryDirectory("plot")
    defer { try? FileManager.default.removeItem(at: directory) }
    let url = directory.appendingPathComponent("history.svg")
    try makeHistory().plot(to: url.path, title: "Run <1> & co")
    let parser = try XCTUnwrap(XMLParser(contentsOf: url))
    let collector = Collector()
    parser.delegate = collector
    XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")

    XCTAssertEqual(collector.elements.first?.name, "svg")
    XCTAssertEqual(collector.elements.first?.attributes["xmlns"], "http://www.w3.org/2000/svg")
    XCTAssertTrue(collector.texts.contains("Run <1> & co"))
    let panels = collector.elements.filter { $0.name == "g" && $0.attributes["class"] == "panel" }
    XCTAssertEqual(
      panels.compactMap { $0.attributes["id"] },
      ["panel-loss", "panel-accuracy", "panel-learning_rate"])
    let series = collector.elements.filter { $0.name == "g" && $0.attributes["class"] == "series" }
    XCTAssertEqual(
      series.compactMap { $0.attributes["data-name"] },
      ["loss", "val_loss", "accuracy", "val_accuracy", "learning_rate"])
    // 4 full lines plus learning_rate split by its NaN into two 2-point pieces.
    XCTAssertEqual(collector.elements.filter { $0.name == "polyline" }.count, 6)
    XCTAssertEqual(collector.elements.filter { $0.name == "circle" }.count, 4 * 5 + 4)
    // Each panel names its metric, labels the x axis, shows epochs 1…5 and a legend.
    let lossTexts = try XCTUnwrap(collector.panelTexts["panel-loss"])
    XCTAssertEqual(lossTexts.first, "loss")
    XCTAssertTrue(lossTexts.contains("epoch"))
    for epoch in 1...5 { XCTAssertTrue(lossTexts.contains(String(epoch)), "tick \(epoch)") }
    XCTAssertTrue(lossTexts.contains("val_loss"))
    // y ticks for loss span 0.45…1.3 with a nice step of 0.2: 0.4 … 1.4.
    XCTAssertTrue(lossTexts.contains("0.4") && lossTexts.contains("1.4"), "\(lossTexts)")
  }

  func testPlotOfAnEmptyHistoryThrows() {
    XCTAssertThrowsError(try History().plot(to: "/tmp/never-written.svg"))
  }
}
