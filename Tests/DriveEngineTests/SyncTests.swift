import DriveEngine
import Foundation
import GRDB
import Synchronization
import Testing

@Suite("Multi-device sync")
struct SyncTests {
    @Test func devicesAreAddedListedAndRemoved() throws {
        let scratch = try Scratch()
        let folder = try scratch.device("laptop", path: "/work")
        #expect(try scratch.session.devices().map(\.name) == ["laptop"])
        #expect(try scratch.session.devices()[0].folder == folder)
        expectDriveError(.alreadyExists) { try scratch.session.addDevice(name: "laptop", folder: scratch.path("elsewhere")) }
        expectDriveError(.alreadyExists) { try scratch.session.addDevice(name: "inner", folder: folder + "/sub") }
        expectDriveError(.invalidArgument) { try scratch.session.addDevice(name: "a/b", folder: scratch.path("x")) }
        expectDriveError(.invalidArgument) { try scratch.session.addDevice(name: "store", folder: scratch.store.path + "/in") }
        try writeText(folder + "/note.txt", "kept")
        try scratch.sync("laptop")
        try scratch.session.removeDevice(named: "laptop")
        #expect(try scratch.session.devices().isEmpty)
        #expect(try readText(folder + "/note.txt") == "kept")
        expectDriveError(.notFound) { try scratch.session.sync(device: "laptop") }
    }

    @Test func twoDevicesConvergeThroughEveryKindOfChange() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        try writeText(a + "/docs/plan.txt", "first plan\n")
        try writeText(a + "/docs/한글 문서.txt", "안녕하세요\n")
        try writeText(a + "/empty", "")
        try FileManager.default.createDirectory(atPath: a + "/empty folder/deeper", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: a + "/docs/link", withDestinationPath: "plan.txt")
        try FileManager.default.createSymbolicLink(atPath: a + "/outside", withDestinationPath: "/etc/hostname")
        try Data(randomBytes(300_000, seed: 1)).write(to: URL(fileURLWithPath: a + "/blob.bin"))
        let first = try scratch.sync("a")
        #expect(first.uploaded == 6)
        let down = try scratch.sync("b")
        #expect(down.downloaded == 6)
        try expectConverged(scratch, [a, b])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: b + "/outside") == "/etc/hostname")

        // Edits, a delete, a rename, a move and a new folder on b.
        try writeText(b + "/docs/plan.txt", "second plan\n")
        try FileManager.default.removeItem(atPath: b + "/empty")
        try FileManager.default.moveItem(atPath: b + "/docs/한글 문서.txt", toPath: b + "/docs/인사.txt")
        try FileManager.default.createDirectory(atPath: b + "/archive", withIntermediateDirectories: true)
        try FileManager.default.moveItem(atPath: b + "/blob.bin", toPath: b + "/archive/blob.bin")
        try FileManager.default.removeItem(atPath: b + "/empty folder/deeper")
        let up = try scratch.sync("b")
        #expect(up.uploaded == 1)
        #expect(up.movedOnDrive == 2)
        #expect(up.trashedOnDrive == 2)
        let back = try scratch.sync("a")
        #expect(back.movedLocally == 2)
        #expect(back.downloaded == 1)
        #expect(back.deletedLocally == 1)
        try expectConverged(scratch, [a, b])
        #expect(!FileManager.default.fileExists(atPath: a + "/empty folder/deeper"))
        #expect(try scratch.session.conflicts(all: true).isEmpty)
    }

    @Test func aRenameKeepsTheItemAndItsHistory() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        try writeText(a + "/old.txt", "v1")
        try scratch.sync("a")
        try writeText(a + "/old.txt", "v2 longer")
        try scratch.sync("a")
        let before = try scratch.session.item(at: "/old.txt")
        try FileManager.default.moveItem(atPath: a + "/old.txt", toPath: a + "/new.txt")
        let report = try scratch.sync("a")
        #expect(report.movedOnDrive == 1 && report.uploaded == 0 && report.trashedOnDrive == 0)
        let after = try scratch.session.item(at: "/new.txt")
        #expect(after.id == before.id)
        #expect(try scratch.session.log("/new.txt").count == 2)
        #expect(try scratch.session.trashList().isEmpty)
    }

    @Test func concurrentEditsKeepOneHeadAndOneConflictVersion() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        try writeText(a + "/notes.txt", "line one\nline two\n")
        try scratch.syncAll(["a", "b"], rounds: 1)
        try writeText(a + "/notes.txt", "line one from a\nline two\n")
        try writeText(b + "/notes.txt", "line one\nline two from b\n")
        try scratch.sync("a")
        let report = try scratch.sync("b")
        #expect(report.conflicts == ["/notes.txt"])
        // b's folder shows the head; its edit is the conflict version, not lost.
        #expect(try readText(b + "/notes.txt") == "line one from a\nline two\n")
        let conflicts = try scratch.session.conflicts()
        try #require(conflicts.count == 1)
        #expect(conflicts[0].device == "b")
        #expect(conflicts[0].base == 1 && conflicts[0].head == 2 && conflicts[0].version == 3)
        #expect(String(decoding: try scratch.session.contents("/notes.txt", version: 3), as: UTF8.self) == "line one\nline two from b\n")
        // The journal names the device; resolving by merge gives a head both devices get.
        let entry = try scratch.drive.journal(after: 0, limit: 10_000).last { $0.kind == .conflict }
        #expect(entry?.originDevice == "b")
        try scratch.session.resolveConflict("/notes.txt", merged: Data("line one from a\nline two from b\n".utf8))
        try scratch.syncAll(["a", "b"], rounds: 1)
        #expect(try readText(a + "/notes.txt") == "line one from a\nline two from b\n")
        try expectConverged(scratch, [a, b])
    }

    @Test func identicalEditsAndIdenticalNewFilesAreNoConflict() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        try writeText(a + "/same.txt", "base")
        try scratch.syncAll(["a", "b"], rounds: 1)
        try writeText(a + "/same.txt", "both wrote this")
        try writeText(b + "/same.txt", "both wrote this")
        try writeText(a + "/new.txt", "made twice")
        try writeText(b + "/new.txt", "made twice")
        try scratch.syncAll(["a", "b"])
        #expect(try scratch.session.conflicts(all: true).isEmpty)
        try expectConverged(scratch, [a, b])
    }

    @Test func twoNewFilesAtOnePathAreAConflictWithNoBase() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        try writeText(a + "/todo.txt", "a's list")
        try writeText(b + "/todo.txt", "b's list")
        try scratch.syncAll(["a", "b"])
        let conflicts = try scratch.session.conflicts()
        try #require(conflicts.count == 1)
        #expect(conflicts[0].base == nil)
        #expect(try readText(b + "/todo.txt") == "a's list")
        try expectConverged(scratch, [a, b])
    }

    @Test func aDeleteAgainstAnEditKeepsTheEditEitherWay() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        try writeText(a + "/one.txt", "one")
        try writeText(a + "/two.txt", "two")
        try scratch.syncAll(["a", "b"], rounds: 1)
        // one.txt: deleted on a, which syncs first; edited on b.
        try FileManager.default.removeItem(atPath: a + "/one.txt")
        try writeText(b + "/one.txt", "one, edited")
        // two.txt: edited on a, which syncs first; deleted on b.
        try writeText(a + "/two.txt", "two, edited")
        try FileManager.default.removeItem(atPath: b + "/two.txt")
        try scratch.sync("a")
        try scratch.sync("b")
        try scratch.syncAll(["a", "b"])
        #expect(try readText(a + "/one.txt") == "one, edited")
        #expect(try readText(b + "/two.txt") == "two, edited")
        try expectConverged(scratch, [a, b])
    }

    @Test func aVersionCapOfOneStillLosesNothing() throws {
        let scratch = try Scratch()
        try scratch.drive.setVersionCap(1)
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        try writeText(a + "/f.txt", "base\n")
        try scratch.syncAll(["a", "b"], rounds: 1)
        try writeText(a + "/f.txt", "base\nfrom a\n")
        try writeText(b + "/f.txt", "from b\nbase\n")
        try scratch.sync("a")
        try scratch.sync("b")
        let sides = try scratch.session.conflictSides("/f.txt")
        #expect(String(decoding: sides.base ?? Data(), as: UTF8.self) == "base\n")
        #expect(String(decoding: sides.mine, as: UTF8.self) == "from b\nbase\n")
        #expect(String(decoding: sides.theirs, as: UTF8.self) == "base\nfrom a\n")
    }

    @Test func anOfflineDeviceCatchesUpOnAHundredChanges() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        for i in 0..<40 { try writeText(a + "/f\(i).txt", "start \(i)") }
        try scratch.syncAll(["a", "b"], rounds: 1)
        // b goes offline: 100 changes on a, and b edits two files of its own meanwhile.
        for i in 0..<40 { try writeText(a + "/f\(i).txt", "changed \(i) on a") }
        for i in 0..<30 { try FileManager.default.removeItem(atPath: a + "/f\(i).txt") }
        for i in 0..<30 { try writeText(a + "/new/n\(i).txt", "new \(i)") }
        try scratch.sync("a")
        try writeText(b + "/f35.txt", "b's offline edit")
        try writeText(b + "/offline.txt", "made offline")
        let status = try scratch.session.deviceStatus("b")
        #expect(status.pendingDown >= 40)
        #expect(status.pendingUp == 2)
        #expect(status.oldestPending != nil)
        let report = try scratch.sync("b")
        #expect(report.conflicts == ["/f35.txt"])
        try scratch.syncAll(["a", "b"])
        try expectConverged(scratch, [a, b])
        let after = try scratch.session.deviceStatus("b")
        #expect(after.pendingUp == 0 && after.pendingDown == 0 && after.openConflicts == 1)
        #expect(after.device.lastSyncAt != nil && after.device.lastError == nil)
    }

    @Test func ignoredFilesStayLocalOnBothSides() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        try writeText(a + "/.cairnignore", "*.log\nbuild/\n/top.tmp\n!keep.log\n")
        try writeText(a + "/app.log", "noise")
        try writeText(a + "/keep.log", "kept")
        try writeText(a + "/build/out.o", "object")
        try writeText(a + "/src/top.tmp", "not anchored here")
        try writeText(a + "/top.tmp", "anchored")
        try writeText(a + "/.notes.cairn-abc.tmp", "a get's temporary file")
        try scratch.sync("a")
        try scratch.sync("b")
        #expect(try folderContents(b) == ["keep.log": "F:kept", "src": "D", "src/top.tmp": "F:not anchored here"])
        // Removing an ignored file locally never deletes anything on the drive.
        try FileManager.default.removeItem(atPath: a + "/app.log")
        #expect(try scratch.sync("a").trashedOnDrive == 0)
    }

    @Test func ignorePatternsFollowGitignore() {
        let rules = IgnoreRules("# comment\n*.o\n/dist\ndocs/**/draft*\n**/cache/\n!important.o\n\\#hash\n")
        #expect(rules.ignores(["a.o"], isFolder: false))
        #expect(rules.ignores(["src", "deep", "b.o"], isFolder: false))
        #expect(!rules.ignores(["important.o"], isFolder: false))
        #expect(rules.ignores(["dist"], isFolder: true))
        #expect(!rules.ignores(["src", "dist"], isFolder: true))
        #expect(rules.ignores(["docs", "draft1.md"], isFolder: false))
        #expect(rules.ignores(["docs", "a", "b", "draft.md"], isFolder: false))
        #expect(!rules.ignores(["docs", "final.md"], isFolder: false))
        #expect(rules.ignores(["x", "cache"], isFolder: true))
        #expect(!rules.ignores(["x", "cache"], isFolder: false))
        #expect(rules.ignores(["#hash"], isFolder: false))
        #expect(!rules.ignores(["readme.md"], isFolder: false))
        #expect(IgnoreRules("[a-c]?.txt").ignores(["b1.txt"], isFolder: false))
        #expect(!IgnoreRules("[!a-c]?.txt").ignores(["b1.txt"], isFolder: false))
        #expect(!IgnoreRules("*.txt").ignores(["dir", "sub"], isFolder: true))
        #expect(IgnoreRules().ignores([".cairnignore"], isFolder: false))
        #expect(IgnoreRules().ignores(["x", ".f.txt.cairn-1a2b.tmp"], isFolder: false))
    }

    @Test func anUnreadableFileIsSkippedAndReported() throws {
        guard getuid() != 0 else { return } // root reads everything
        let scratch = try Scratch()
        let a = try scratch.device("a")
        try writeText(a + "/ok.txt", "fine")
        try writeText(a + "/secret.txt", "locked")
        chmod(a + "/secret.txt", 0)
        defer { chmod(a + "/secret.txt", 0o644) }
        let report = try scratch.sync("a")
        #expect(report.uploaded == 1)
        #expect(report.skipped.map(\.path) == [a + "/secret.txt"])
        #expect(try scratch.session.devices()[0].skipped == 1)
    }

    @Test func aFolderRemovedOnTheDriveGoesFromEveryDevice() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        try writeText(a + "/proj/x/1.txt", "1")
        try writeText(a + "/proj/2.txt", "2")
        try scratch.syncAll(["a", "b"], rounds: 1)
        try scratch.session.trash("/proj")
        try scratch.syncAll(["a", "b"], rounds: 1)
        #expect(!FileManager.default.fileExists(atPath: a + "/proj"))
        #expect(!FileManager.default.fileExists(atPath: b + "/proj"))
        try expectConverged(scratch, [a, b])
    }

    @Test func aDeviceOfASubfolderSyncsOnlyThatFolder() throws {
        let scratch = try Scratch()
        try scratch.session.put(local: try scratch.write("top.txt", Data("outside".utf8)), to: "/top.txt")
        let a = try scratch.device("a", path: "/work/project")
        try writeText(a + "/main.swift", "print(1)")
        try scratch.sync("a")
        #expect(try scratch.session.contents("/work/project/main.swift") == Data("print(1)".utf8))
        #expect(try folderContents(a) == ["main.swift": "F:print(1)"])
    }

    @Test func aLocalFolderNamedSharedAtTheTopIsSkippedNotFatal() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        try writeText(a + "/shared/x.txt", "would be /shared/x.txt")
        try writeText(a + "/ok.txt", "fine")
        let report = try scratch.sync("a")
        #expect(report.uploaded == 1)
        #expect(report.skipped.map(\.path).sorted() == [a + "/shared", a + "/shared/x.txt"])
        #expect(try scratch.session.contents("/ok.txt") == Data("fine".utf8))
    }

    @Test func aMissingDeviceFolderIsAnErrorNotADeletion() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        try writeText(a + "/keep.txt", "keep")
        try scratch.sync("a")
        try FileManager.default.removeItem(atPath: a)
        expectDriveError(.notFound) { try scratch.session.sync(device: "a") }
        #expect(try scratch.session.contents("/keep.txt") == Data("keep".utf8))
        #expect(try scratch.session.devices()[0].lastError?.contains("missing") == true)
    }

    @Test func aViewerDeviceReceivesButSendsNothing() throws {
        let scratch = try Scratch()
        try scratch.session.makeFolder("/team")
        try scratch.session.put(local: try scratch.write("doc.txt", Data("shared doc".utf8)), to: "/team/doc.txt")
        let bob = try scratch.session(for: "bob")
        try scratch.session.share("/team", with: "bob", role: .viewer)
        let folder = try scratch.device("bobs", path: "/shared/team", session: bob)
        try scratch.sync("bobs", session: bob)
        #expect(try readText(folder + "/doc.txt") == "shared doc")
        try writeText(folder + "/mine.txt", "bob's")
        let report = try scratch.sync("bobs", session: bob)
        #expect(report.uploaded == 0)
        #expect(report.skipped.count == 1)
        expectDriveError(.notFound) { _ = try scratch.session.item(at: "/team/mine.txt") }
    }
}

@Suite("Multi-device sync, more")
struct SyncMoreTests {
    @Test func pruneKeepsWhatADeviceNeedsToSeeADeletion() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        try writeText(a + "/gone.txt", "bye")
        try scratch.sync("a")
        try FileManager.default.removeItem(atPath: a + "/gone.txt")
        _ = try scratch.drive.prune()
        #expect(try scratch.sync("a").trashedOnDrive == 1)
        #expect(try scratch.session.trashList().map(\.path.description) == ["/gone.txt"])
    }

    @Test func threeDevicesAgreeOnAHundredMebibyteFileAndItsEdit() throws {
        let scratch = try Scratch(chunker: .standard)
        let folders = try ["a", "b", "c"].map { try scratch.device($0) }
        var big = randomBytes(100 << 20, seed: 42)
        try big.write(to: URL(fileURLWithPath: folders[0] + "/big.bin"))
        try scratch.syncAll(["a", "b", "c"], rounds: 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: folders[2] + "/big.bin")) == big)
        // Ten bytes in the middle on c: only the blocks around them are new.
        big.insert(contentsOf: Data("0123456789".utf8), at: 50 << 20)
        try big.write(to: URL(fileURLWithPath: folders[2] + "/big.bin"))
        let report = try scratch.sync("c")
        #expect(report.uploaded == 1)
        #expect(report.newBlocks <= 3, "\(report.newBlocks) new blocks")
        try scratch.syncAll(["a", "b"], rounds: 1)
        for folder in folders {
            #expect(try Data(contentsOf: URL(fileURLWithPath: folder + "/big.bin")) == big)
        }
    }

    @Test func aCopyOfANewerVersionWhoseRecordWasLostIsNoConflict() throws {
        // A sync killed after renaming version 2 into place, before recording it: the folder
        // holds v2's bytes, the record still says v1; meanwhile v3 became the head.
        let scratch = try Scratch()
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        try writeText(a + "/f.txt", "v1")
        try scratch.syncAll(["a", "b"], rounds: 1)
        try writeText(a + "/f.txt", "v2, longer")
        try scratch.sync("a")
        try writeText(b + "/f.txt", "v2, longer")
        try writeText(a + "/f.txt", "v3")
        try scratch.sync("a")
        let report = try scratch.sync("b")
        #expect(report.conflicts.isEmpty)
        #expect(try scratch.session.conflicts(all: true).isEmpty)
        #expect(try readText(b + "/f.txt") == "v3")
    }

    @Test func aLocalChangeDuringTheDownloadIsNeverOverwritten() throws {
        let scratch = try Scratch()
        let a = try scratch.device("a")
        let b = try scratch.device("b")
        try writeText(a + "/f.bin", "one")
        try scratch.syncAll(["a", "b"], rounds: 1)
        // A large file is written in batches, reporting progress before its rename.
        try randomBytes(33 << 20, seed: 7).write(to: URL(fileURLWithPath: a + "/f.bin"))
        try scratch.sync("a")
        // b's file changes after b's sync looked at it, before the rename: the check declines.
        let typed = Mutex(false)
        let target = b + "/f.bin"
        let options = TransferOptions(progress: { progress in
            guard progress.filesDone == 0, progress.bytesDone > 0 else { return }
            typed.withLock { done in
                if !done { try? writeText(target, "b typed this meanwhile") }
                done = true
            }
        })
        let report = try scratch.session.sync(device: "b", options: options)
        #expect(typed.withLock { $0 })
        #expect(report.deferred == 1 && report.downloaded == 0, "\(report)")
        #expect(try readText(target) == "b typed this meanwhile")
        // The next syncs settle it: b's text is kept as a conflict version; both get the head.
        try scratch.syncAll(["b", "a"])
        #expect(try scratch.session.conflicts().count == 1)
        #expect(try scratch.session.contents("/f.bin", version: 3) == Data("b typed this meanwhile".utf8))
        try expectConverged(scratch, [a, b])
    }
}
