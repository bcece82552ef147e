@testable import DriveEngine
@testable import DriveTUI
import ScreenKit
import Testing

/// Another process's changes reload only what their journal entries touch among what the screen
/// shows: the folder on screen when an entry is about an item in it (or may be), the Versions
/// view when about its file, the shares when about sharing. Unknown entries reload everything.
@Suite struct JournalReloadTests {
    /// minji (user 1) at the root of her drive, whose listed items have ids 2–6 and parent 1.
    static func atRoot() -> AppState { Fixtures.browsingKnowingUsers() }

    static func reloads(_ state: AppState, _ entries: JournalEntry...) -> [Effect] {
        var state = state
        return reduce(&state, .driveChanged(state.journalSequence + 1, entries: entries))
    }

    @Test func anEditOfAListedFileReloadsTheFolder() {
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.versionAdded, "/b.txt", item: 4)) == [.list(.root)])
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.pinned, "/a.txt", item: 5)) == [.list(.root)])
    }

    @Test func aNewItemReloadsTheFolderItIsIn() {
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.versionAdded, "/new.txt", item: 40)) == [.list(.root)])
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.folderCreated, "/새 폴더", item: 41)) == [.list(.root)])
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.versionAdded, "/Documents/new.txt", item: 40)).isEmpty,
                "a new file in another folder reloads nothing")
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.trashed, "/Documents/b.txt", item: 42)).isEmpty)
    }

    @Test func changesInOtherDrivesReloadNothingHere() {
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.versionAdded, "/new.txt", item: 50, owner: 2),
                             Fixtures.change(.trashed, "/x", item: 51, owner: 3, by: 3)).isEmpty)
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.unpinned, "/Documents/old.txt", item: 43)).isEmpty)
    }

    @Test func movesAndTrashesAboveReloadWhenUnsure() {
        // A move's old place is not recorded: it may have left this folder, or be a folder above it.
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.moved, "/Projects/x", item: 44, oldParent: 8, newParent: 9))
            == [.list(.root)])
        var inDocuments = Self.atRoot()
        let documents = try! DrivePath("/Documents")
        Fixtures.press(&inDocuments, .enter)
        _ = reduce(&inDocuments, .listed(documents, [Fixtures.entry("/Documents/c.txt", id: 20)]))
        #expect(Self.reloads(inDocuments, Fixtures.change(.trashed, "/Documents", item: 2)) == [.list(documents)],
                "the folder shown went to the trash")
        #expect(Self.reloads(inDocuments, Fixtures.change(.trashed, "/Projects", item: 9)).isEmpty)
    }

    @Test func sharingChangesReloadTheSharesAndSharedFolders() {
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.shared, "/x", item: 60, owner: 2, target: 1)) == [.loadSharing])
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.shared, "/x", item: 60, owner: 2, target: 3)).isEmpty,
                "a share between others")
        // Inside alice's /설계 (shared with minji), alice's paths are not minji's.
        var shared = Self.atRoot()
        var design = Fixtures.entry("/설계", id: 70, folder: true).item
        design.ownerId = 2
        _ = reduce(&shared, .sharingLoaded(SharingOverview(sharedByMe: [], sharedWithMe: [
            SharedEntry(name: "설계", item: design, role: .editor, ownerName: "alice"),
        ])))
        let folder = try! DrivePath("/shared/설계")
        _ = shared.enterFolder(folder, selecting: nil)
        _ = reduce(&shared, .listed(folder, []))
        #expect(Self.reloads(shared, Fixtures.change(.versionAdded, "/설계/new.md", item: 71, owner: 2, by: 2)) == [.list(folder)],
                "a new file of alice's may be in this folder: unsure, so reload")
        #expect(Self.reloads(shared, Fixtures.change(.versionAdded, "/x.md", item: 72, owner: 3, by: 3)).isEmpty)
        #expect(Self.reloads(shared, Fixtures.change(.trashed, "/설계", item: 70, owner: 2, by: 2)) == [.loadSharing, .list(folder)])
    }

    @Test func theVersionsViewReloadsForItsOwnFile() {
        var state = Self.atRoot()
        Fixtures.press(&state, .character("j"), .character("j"), .character("v"))
        let file = try! DrivePath("/a.txt")
        let versions = [Fixtures.version(2, head: true), Fixtures.version(1)].map { entry in
            var entry = entry
            entry.version.itemId = 5  // /a.txt's id in the listing
            return entry
        }
        _ = reduce(&state, .versionsLoaded(file, versions))
        #expect(Self.reloads(state, Fixtures.change(.versionAdded, "/a.txt", item: 5)) == [.list(.root), .loadVersions(file)])
        #expect(Self.reloads(state, Fixtures.change(.versionAdded, "/Documents/other.txt", item: 8)).isEmpty)
    }

    @Test func unknownEntriesOrUserReloadEverything() {
        #expect(Self.reloads(Fixtures.browsing(), Fixtures.change(.versionAdded, "/Documents/new.txt", item: 40))
            == [.loadSharing, .list(.root)], "before the user names arrive, this user's id is not known")
        var state = Self.atRoot()
        #expect(reduce(&state, .driveChanged(9, entries: nil)) == [.loadSharing, .list(.root)])
        #expect(Self.reloads(Self.atRoot(), Fixtures.change(.userAdded, "/", item: nil, owner: 4, by: 4)) == [.loadUsers])
    }
}
