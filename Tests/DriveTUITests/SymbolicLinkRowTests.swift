import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// A symbolic link in My Drive: its row reads `name -> target` (wide Korean characters taking
/// two columns, a long target cut like a long name, the other columns in place), and the Details
/// pane and the preview say it is a link and where it points.
@MainActor
@Suite struct SymbolicLinkRowTests {
    static let longTarget = "/mnt/archive/" + String(repeating: "아주 긴 경로/", count: 8) + "끝.txt"

    /// The test drive with two links at the root: 보고서 링크 → Documents/보고서.txt, and one whose
    /// target is far wider than the row.
    func harness(width: Int = 140, height: Int = 30) async throws -> Harness {
        try await Harness(width: width, height: height) { drive in
            let folder = drive.local.appendingPathComponent("links")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for (name, target) in [("보고서 링크", "Documents/보고서.txt"), ("long link", Self.longTarget)] {
                try FileManager.default.createSymbolicLink(atPath: folder.path + "/" + name, withDestinationPath: target)
                try drive.session.put(local: folder.path + "/" + name, to: "/" + name)
            }
        }
    }

    /// The screen line holding `text`.
    func line(containing text: String, in screen: String) throws -> String {
        try #require(screen.split(separator: "\n").map(String.init).first { $0.contains(text) }, "no line with \(text) in\n\(screen)")
    }

    /// The display column where `text` starts in `line` (wide characters count two).
    func column(of text: String, in line: String) throws -> Int {
        let range = try #require(line.range(of: text), "\(text) not in \(line)")
        return TextWidth.of(String(line[..<range.lowerBound]))
    }

    @Test func theRowShowsNameArrowTargetWithTheColumnsInPlace() async throws {
        let harness = try await harness()
        let screen = harness.screen
        let header = try line(containing: "Modified", in: screen)
        let plain = try line(containing: "README.md", in: screen)
        let link = try line(containing: "보고서 링크 -> Documents/보고서.txt", in: screen)
        #expect(try column(of: "2025-", in: link) == column(of: "Modified", in: header), "\(link)")
        #expect(try column(of: "2025-", in: link) == column(of: "2025-", in: plain))
        #expect(try column(of: "0 B", in: link) == column(of: "35 B", in: plain) + 1)
        #expect(try column(of: "││", in: link) == column(of: "││", in: plain), "the row is as wide as the others:\n\(link)\n\(plain)")

        // Cut at the end like a long name, with the size and date still where they belong.
        let long = try line(containing: "long link -> /mnt/archive/", in: screen)
        #expect(long.contains("…") && !long.contains("끝.txt"), "\(long)")
        #expect(try column(of: "2025-", in: long) == column(of: "Modified", in: header), "\(long)")
        #expect(try column(of: "││", in: long) == column(of: "││", in: plain))
    }

    @Test func detailsAndPreviewSayItIsALinkAndWhereItPoints() async throws {
        let harness = try await harness()
        try await selectKoreanLink(harness)
        let screen = harness.screen
        #expect(screen.contains("kind      symbolic link"), "\(screen)")
        #expect(screen.contains("target    Documents/보고서.txt"), "\(screen)")
        #expect(!screen.contains("digest"), "a link has no content to describe:\n\(screen)")

        try await harness.press(.enter)
        #expect(harness.screen.contains("Symbolic link to:"), "\(harness.screen)")
        #expect(try line(containing: "Documents/보고서.txt", in: harness.screen).contains("Documents/보고서.txt"))
        #expect(!harness.screen.contains("분기 보고서"), "the preview does not follow the link:\n\(harness.screen)")
    }

    @Test func theVersionsViewShowsEachVersionsTarget() async throws {
        let harness = try await Harness(width: 140) { drive in
            let local = drive.local.appendingPathComponent("링크").path
            for target in ["Documents/보고서.txt", "Documents/notes.md"] {
                try? FileManager.default.removeItem(atPath: local)
                try FileManager.default.createSymbolicLink(atPath: local, withDestinationPath: target)
                try drive.session.put(local: local, to: "/링크")
            }
        }
        for _ in 0..<8 where !harness.screen.contains("name      링크") {
            try await harness.press(.character("j"))
        }
        try await harness.press(.character("v"))
        let screen = harness.screen
        #expect(try line(containing: "v2", in: screen).contains("link -> Documents/notes.md · head"), "\(screen)")
        #expect(try line(containing: "v1", in: screen).contains("link -> Documents/보고서.txt"), "\(screen)")
        #expect(screen.contains("kind      symbolic link") && screen.contains("target    Documents/notes.md"), "\(screen)")
        #expect(!screen.contains("digest"), "\(screen)")
    }

    @Test func nameCellOfALinkAFileAndAFolder() {
        var link = Fixtures.entry("/링크", id: 9)
        link.linkTarget = "../사진"
        #expect(BrowserView.nameCell(link) == "링크 -> ../사진")
        #expect(BrowserView.nameCell(Fixtures.entry("/a.txt", id: 5)) == "a.txt")
        #expect(BrowserView.nameCell(Fixtures.entry("/사진", id: 3, folder: true)) == "사진/")
    }

    /// At the usual 100×30 both names are cut, and the Details pane shows the selected link.
    @Test func linksAtTheRootGolden() async throws {
        let harness = try await harness(width: 100)
        try await selectKoreanLink(harness)
        harness.verify("browser-links")
    }

    /// Moves the cursor down to 보고서 링크 (the Details pane names it then).
    func selectKoreanLink(_ harness: Harness) async throws {
        for _ in 0..<8 where !harness.screen.contains("name      보고서 링크") {
            try await harness.press(.character("j"))
        }
        try #require(harness.screen.contains("name      보고서 링크"), "\(harness.screen)")
    }
}
