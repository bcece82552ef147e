import DriveEngine
import Foundation
import Testing

/// The demo drive: what it promises the UI and the README (users, names, histories, pin,
/// restore, trash), built fast and the same every time for the same clock.
@Suite struct DemoDriveTests {
    /// A fixed "now": the demo's history ends shortly before it.
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    /// A fresh folder for one store, removed when the test ends.
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-demo-test-\(UUID().uuidString)")
        deinit { try? FileManager.default.removeItem(at: url) }
    }

    static func build(_ folder: Folder) throws -> Drive {
        try DemoDrive.build(at: folder.url.appendingPathComponent("store"), clock: { DemoDriveTests.now })
    }

    @Test func sharesGoBothWays() throws {
        let folder = Folder()
        let drive = try Self.build(folder)
        let minji = try drive.session(for: DemoDrive.mainUser).sharing()
        #expect(minji.sharedByMe.map(\.userName).sorted() == ["alice", "bob"])
        #expect(Set(minji.sharedWithMe.map(\.ownerName)) == ["alice", "junho"])
        let alice = try drive.session(for: "alice")
        #expect(try alice.list("/shared/문서").map(\.path.name).contains("alice 메모.md"))
        #expect(try alice.log("/shared/문서/alice 메모.md").first?.authorName == "alice")
    }

    @Test func hasUsersWithContactsAndAMainUser() throws {
        let folder = Folder()
        let drive = try Self.build(folder)
        let users = try drive.users()
        #expect(Set(users.map(\.name)) == Set(DemoDrive.users))
        #expect(DemoDrive.users.first == DemoDrive.mainUser)
        let minji = try drive.user(named: DemoDrive.mainUser)
        #expect(minji.displayName == "김민지")
        #expect(minji.email == "minji@example.com")
        #expect(minji.phone != nil)
        for name in DemoDrive.users where name != DemoDrive.mainUser {
            #expect(try !drive.session(for: name).list("/").isEmpty, "\(name) has files of their own")
        }
    }

    @Test func treeMixesKoreanAndEnglishNamesWithBinaryAndEmptyFiles() throws {
        let folder = Folder()
        let session = try Self.build(folder).session(for: DemoDrive.mainUser)

        #expect(try session.list("/").map(\.path.name) == ["Backup", "Projects", "문서", "사진", "할 일.txt"])
        #expect(try session.list(DemoDrive.koreanFolder).map(\.path.name) == ["alice 메모.md", "빈 파일.txt", "예산.csv", "회의록.md"])
        #expect(try session.item(at: DemoDrive.emptyFile).size == 0)

        let icon = try session.contents(DemoDrive.binaryFile)
        #expect(icon.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(icon.contains(0))

        // The copy of the photo shares every block; its edit shares all but the last.
        let copy = try session.log("/Backup/성산일출봉 (사본).jpg")[0].version
        #expect(copy.blockCount > 1)
        #expect(copy.newBlocks == 0)
        let edit = try session.log("/사진/제주도/성산일출봉.jpg")[0].version
        #expect(edit.newBlocks >= 1 && edit.sharedBlocks >= 1)
    }

    @Test func historiesHaveSeveralVersionsAPinAndARestore() throws {
        let folder = Folder()
        let session = try Self.build(folder).session(for: DemoDrive.mainUser)

        let notes = try session.log(DemoDrive.meetingNotes)
        #expect(notes.map(\.version.number) == [4, 3, 2, 1])
        #expect(notes.map(\.version.pinned) == [false, false, true, false])
        #expect(notes.allSatisfy { $0.authorName == DemoDrive.mainUser })
        #expect(zip(notes, notes.dropFirst()).allSatisfy { $0.version.createdAt > $1.version.createdAt })
        let first = String(decoding: try session.contents(DemoDrive.meetingNotes, version: 1), as: UTF8.self)
        let last = String(decoding: try session.contents(DemoDrive.meetingNotes), as: UTF8.self)
        #expect(first.hasPrefix("# 주간 회의록"))
        #expect(first != last)

        #expect(try session.log(DemoDrive.swiftSource).count == 3)

        let readme = try session.log(DemoDrive.restoredFile)
        #expect(readme.map(\.version.number) == [3, 2, 1])
        #expect(readme[0].version.restoredFrom == 1)
        #expect(readme[0].version.digest == readme[2].version.digest)

        // Renamed after its first version: the history follows the item.
        #expect(try session.log("/문서/예산.csv").count == 2)
    }

    @Test func oneItemIsInTheTrashAndCanBeRestored() throws {
        let folder = Folder()
        let session = try Self.build(folder).session(for: DemoDrive.mainUser)
        let trash = try session.trashList()
        #expect(trash.map(\.path.description) == [DemoDrive.trashedFile])
        try session.untrash(DemoDrive.trashedFile)
        #expect(try session.item(at: DemoDrive.trashedFile).size > 0)
    }

    @Test func historyIsInThePastAndLaterChangesUseTheLiveClock() throws {
        let folder = Folder()
        let drive = try Self.build(folder)
        let session = try drive.session(for: DemoDrive.mainUser)
        let times = try drive.journal(after: 0).map(\.at)
        #expect(times == times.sorted(), "the journal's times follow its order")
        #expect(times.first! >= Self.now.addingTimeInterval(-15 * 86400))
        #expect(times.last! < Self.now)

        let restored = try session.restore(DemoDrive.meetingNotes, version: 1)
        #expect(restored.createdAt == Self.now)
    }

    @Test func sameClockGivesTheSameDrive() throws {
        let one = try Self.fingerprint(Self.build(Folder()))
        let two = try Self.fingerprint(Self.build(Folder()))
        #expect(one == two)
        #expect(one.count > 20)
    }

    @Test func refusesAFolderThatHoldsAStore() throws {
        let folder = Folder()
        _ = try Self.build(folder)
        expectDriveError(.alreadyExists) { _ = try Self.build(folder) }
    }

    /// Every user's tree, versions and trash, as lines.
    static func fingerprint(_ drive: Drive) throws -> [String] {
        var lines: [String] = []
        for user in try drive.users() {
            let session = DriveSession(drive: drive, user: user)
            var folders = ["/"]
            while let folder = folders.popLast() {
                for entry in try session.list(folder) {
                    let item = entry.item
                    lines.append("\(user.name) \(entry.path) \(item.kind) \(item.size) \(item.modifiedAt.timeIntervalSince1970) \(entry.modifiedByName)")
                    if item.isFolder {
                        folders.append(entry.path.description)
                    } else {
                        for version in try session.log(entry.path.description) {
                            let v = version.version
                            lines.append("  v\(v.number) \(v.size) \(v.createdAt.timeIntervalSince1970) \(v.digest.base64EncodedString()) "
                                + "\(v.pinned) \(v.restoredFrom.map(String.init) ?? "-") \(version.authorName)")
                        }
                    }
                }
            }
            lines += try session.trashList().map { "\(user.name) trash \($0.path) \($0.item.trashedAt!.timeIntervalSince1970)" }
        }
        return lines
    }
}
