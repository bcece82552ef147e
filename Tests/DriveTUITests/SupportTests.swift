import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// Text fields, cursors, paths, completion, formatting, previews.
@Suite struct SupportTests {
    @Test func textFieldEditsByCharacterCluster() {
        var field = TextField("보고서")
        field.apply(.deleteBackward)
        #expect(field.text == "보고")
        field.apply(.home)
        field.apply(.insert("👍"))
        field.apply(.end)
        field.apply(.insertText(" 최종"))
        #expect(field.text == "👍보고 최종")
        field.apply(.deleteWord)
        #expect(field.text == "👍보고 ")
        field.apply(.left)
        field.apply(.clear)
        #expect(field.text == " ")
        #expect(field.cursor == 0)
    }

    @Test func listCursorKeepsTheSelectionVisible() {
        var cursor = ListCursor()
        cursor.move(by: 15, count: 100, visibleRows: 10)
        #expect(cursor == ListCursor(selected: 15, top: 6))
        cursor.move(by: -20, count: 100, visibleRows: 10)
        #expect(cursor == ListCursor(selected: 0, top: 0))
        cursor.select(99, count: 100, visibleRows: 10)
        cursor.clamp(count: 5, visibleRows: 10)
        #expect(cursor == ListCursor(selected: 4, top: 0))
        cursor.clamp(count: 0, visibleRows: 10)
        #expect(cursor == ListCursor(selected: 0, top: 0))
    }

    @Test func drivePathsResolveLikeAShell() throws {
        let folder = try DrivePath("/a/b")
        #expect(try PathResolution.drivePath("c", from: folder, operation: "mv").description == "/a/b/c")
        #expect(try PathResolution.drivePath("../c/./d", from: folder, operation: "mv").description == "/a/c/d")
        #expect(try PathResolution.drivePath("/x", from: folder, operation: "mv").description == "/x")
        #expect(try PathResolution.drivePath("../../..", from: folder, operation: "mv").isRoot)
    }

    @Test func localPathsExpandHomeAndDots() {
        #expect(PathResolution.localPath("~/a/../b/", directory: "/w", home: "/h") == "/h/b")
        #expect(PathResolution.localPath("x", directory: "/w", home: "/h") == "/w/x")
        #expect(PathResolution.localPath("/", directory: "/w", home: "/h") == "/")
        #expect(PathResolution.versionedName("report.txt", version: 2) == "report.v2.txt")
        #expect(PathResolution.versionedName("Makefile", version: 3) == "Makefile.v3")
        #expect(PathResolution.versionedName(".bashrc", version: 1) == ".bashrc.v1")
    }

    @Test func localPathCompletion() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-complete-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("사진 모음"), withIntermediateDirectories: true)
        for name in ["report-1.txt", "report-2.txt", ".hidden"] {
            _ = FileManager.default.createFile(atPath: folder.appendingPathComponent(name).path, contents: Data())
        }
        let base = folder.path + "/"
        let several = LocalPathCompletion.complete(base + "re", directory: "/", home: "/")
        #expect(several.text == base + "report-")
        #expect(several.candidates == ["report-1.txt", "report-2.txt"])
        #expect(LocalPathCompletion.complete(base + "사", directory: "/", home: "/").text == base + "사진 모음/")
        #expect(LocalPathCompletion.complete("re", directory: folder.path, home: "/").text == "report-")
        #expect(LocalPathCompletion.complete(base, directory: "/", home: "/").candidates.count == 3)
        #expect(LocalPathCompletion.complete(base + ".h", directory: "/", home: "/").text == base + ".hidden")
        #expect(LocalPathCompletion.complete(base + "zz", directory: "/", home: "/").candidates.isEmpty)
    }

    @Test func formatting() {
        #expect(Formatting.bytes(0) == "0 B")
        #expect(Formatting.bytes(1023) == "1023 B")
        #expect(Formatting.bytes(1536) == "1.5 KiB")
        #expect(Formatting.bytes(15 * 1024 * 1024) == "15 MiB")
        #expect(Formatting.date(Fixtures.start, in: TimeZone(identifier: "UTC")!) == "2025-03-01 09:00")
        #expect(Formatting.date(Fixtures.start, in: TimeZone(identifier: "Asia/Seoul")!) == "2025-03-01 18:00")
        #expect(Formatting.hex(Data([0xAB, 0x01]), length: 16) == "ab01")
    }

    @Test func commandLineWords() {
        #expect(DriveCommand.split(#"put "my file" a\ b 'c d'"#) == .success(["put", "my file", "a b", "c d"]))
        #expect(DriveCommand.split("mv 'open") == .failure(CommandLineError("a quote is not closed")))
        // Found by the command-line fuzz harness: a quote or space followed by a combining mark
        // formed one grapheme cluster, so it neither quoted nor separated.
        #expect(DriveCommand.split("mv '\u{301}a' b") == .success(["mv", "\u{301}a", "b"]))
        #expect(DriveCommand.split("rm a \u{301}b") == .success(["rm", "a", "\u{301}b"]))
        #expect(DriveCommand.split("rm a\\\u{301}b") == .success(["rm", "a\u{301}b"]))
        #expect(DriveCommand.parse("restore a.txt x") == .failure(CommandLineError("'x' is not a version number")))
        #expect(DriveCommand.parse("mv a") == .failure(CommandLineError("usage: mv SOURCE DEST")))
        #expect(DriveCommand.parse("mv my file.txt /x") == .failure(CommandLineError("usage: mv SOURCE DEST (quote a name with spaces: \"my file.txt\")")))
        #expect(DriveCommand.parse("mv \"my file.txt\" /x") == .success(.move("my file.txt", "/x")))
    }

    @Test func previewsExpandTabsAndShowBinaryAsHex() {
        let path = try! DrivePath("/a.txt")
        let text = PagerContent.preview(of: path, version: 2, data: Data("a\tb\r\nc\n".utf8), size: 7)
        #expect(text.lines.map(\.text) == ["a   b", "c"])
        #expect(text.title == "/a.txt · version 2")
        let binary = PagerContent.preview(of: path, version: nil, data: Data([0, 1, 2]), size: 3)
        #expect(binary.lines.first?.text.hasPrefix("Binary file") == true)
        let same = PagerContent.diff(of: path, old: 1, new: 2, oldData: Data("x\n".utf8), newData: Data("x\n".utf8))
        #expect(same.lines.first?.text.hasPrefix("No changes") == true)
        let diff = PagerContent.diff(of: path, old: 1, new: 2, oldData: Data("x\n".utf8), newData: Data("y\n".utf8))
        #expect(diff.lines.map(\.role) == [.diffHeader, .diffHeader, .diffHunk, .diffRemoved, .diffAdded])
    }
}
