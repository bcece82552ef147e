@testable import DriveEngine
@testable import DriveTUI
import ScreenKit
import Testing

/// The browser's part of the reducer: pure state in, state and effects out.
@Suite struct BrowserReducerTests {
    @Test func startingLoadsUsersSharesTheRootTheInboxCountAndTheDevices() {
        #expect(AppState.startEffects == [.loadUsers, .loadSharing, .list(.root), .countInbox, .loadDevices])
    }

    @Test func foldersComeFirstThenNamesIgnoringCase() {
        let state = Fixtures.browsing()
        #expect(Fixtures.names(state) == ["Documents", "사진", "a.txt", "b.txt", "한글.md"])
        #expect(state.browser.selectedEntry?.item.name == "Documents")
    }

    @Test func sortingByEachColumnAndAgainReverses() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("o"), .character("s"))
        #expect(Fixtures.names(state) == ["Documents", "사진", "b.txt", "한글.md", "a.txt"])
        Fixtures.press(&state, .character("o"), .character("s"))
        #expect(Fixtures.names(state) == ["Documents", "사진", "a.txt", "한글.md", "b.txt"])
        Fixtures.press(&state, .character("o"), .character("m"))
        #expect(Fixtures.names(state).suffix(3) == ["a.txt", "한글.md", "b.txt"])
        Fixtures.press(&state, .character("o"), .character("v"))
        #expect(Fixtures.names(state).suffix(3) == ["a.txt", "b.txt", "한글.md"])
        Fixtures.press(&state, .character("o"), .character("b"))
        #expect(Fixtures.names(state).suffix(3).first == "a.txt")  // alice before minji
    }

    @Test func theFirstKeyOfASortWaitsForTheSecond() {
        var state = Fixtures.browsing()
        let effects = Fixtures.press(&state, .character("o"))
        #expect(effects.isEmpty)
        #expect(state.pendingKeys == [.character("o")])
        #expect(Keymap.hints(in: state).map(\.keys) == ["n", "s", "m", "b", "v"])
        Fixtures.press(&state, .character("z"))
        #expect(state.pendingKeys.isEmpty)
    }

    @Test func selectionStaysOnTheSameItemAcrossSortAndRefresh() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("j"), .character("j"), .character("j"))
        #expect(state.browser.selectedEntry?.item.name == "b.txt")
        Fixtures.press(&state, .character("o"), .character("s"))
        #expect(state.browser.selectedEntry?.item.name == "b.txt")
        // A refresh where another process added a file before it.
        let refreshed = Fixtures.rootEntries + [Fixtures.entry("/0.txt", id: 9)]
        _ = reduce(&state, .listed(.root, refreshed))
        #expect(state.browser.selectedEntry?.item.name == "b.txt")
        // And one where it went away: the selection stays at its row.
        let row = state.browser.cursor.selected
        _ = reduce(&state, .listed(.root, refreshed.filter { $0.item.name != "b.txt" }))
        #expect(state.browser.cursor.selected == row)
    }

    @Test func movingLoadsTheDetailsOfFilesOnly() {
        var state = Fixtures.browsing()
        #expect(Fixtures.press(&state, .character("j")).isEmpty)  // 사진, a folder
        #expect(Fixtures.press(&state, .down) == [.loadDetails(try! DrivePath("/a.txt"))])
        #expect(Fixtures.press(&state, .character("k"), .character("j")) == [.loadDetails(try! DrivePath("/a.txt"))])
        _ = reduce(&state, .detailsLoaded(try! DrivePath("/a.txt"), [Fixtures.version(1, head: true)]))
        #expect(state.browser.details.versions?.count == 1)
        _ = reduce(&state, .detailsLoaded(try! DrivePath("/b.txt"), []))  // stale: ignored
        #expect(state.browser.details.path == (try! DrivePath("/a.txt")))
    }

    @Test func aBigFolderShowsItsFirstEntriesUntilAllArrive() {
        var state = Fixtures.browsing()
        let big = try! DrivePath("/Documents")
        let all = (0..<500).map { Fixtures.entry(String(format: "/Documents/f%03d.txt", $0), id: 100 + Int64($0)) }
        // Coming back up from a file that is not among the first entries.
        _ = state.enterFolder(big, selecting: .name("f400.txt"))
        #expect(reduce(&state, .listedFirst(big, Array(all.prefix(300)))) == [.loadDetails(try! DrivePath("/Documents/f000.txt"))])
        #expect(state.browser.isPartial && !state.browser.isLoading)
        #expect(Fixtures.names(state).prefix(2) == ["f000.txt", "f001.txt"])
        #expect(StatusLineView.summary(state).hasPrefix("the first 300 items, reading the rest…"))
        _ = reduce(&state, .listed(big, all))
        #expect(!state.browser.isPartial)
        #expect(state.browser.selectedEntry?.item.name == "f400.txt", "the item to select is found once all arrived")
        #expect(StatusLineView.summary(state).hasPrefix("500 items"))

        // Moved to by hand while the rest loads: the selection stays there.
        _ = state.enterFolder(big, selecting: nil)
        _ = reduce(&state, .listedFirst(big, Array(all.prefix(300))))
        Fixtures.press(&state, .character("j"), .character("j"))
        _ = reduce(&state, .listed(big, all))
        #expect(state.browser.selectedEntry?.item.name == "f002.txt")

        // A refresh of a folder on screen, or a folder sorted other than by name, waits for all.
        let shown = state.browser.entries
        #expect(reduce(&state, .listedFirst(big, Array(all.prefix(1)))).isEmpty)
        #expect(state.browser.entries == shown)
        Fixtures.press(&state, .character("o"), .character("s"))
        _ = state.enterFolder(big, selecting: nil)
        _ = reduce(&state, .listedFirst(big, Array(all.prefix(300))))
        #expect(state.browser.isLoading && state.browser.entries.isEmpty)
        // A late first part of a folder left already is dropped too.
        _ = reduce(&state, .listed(big, all))
        _ = state.enterFolder(.root, selecting: nil)
        _ = reduce(&state, .listedFirst(big, Array(all.prefix(300))))
        #expect(state.browser.entries.isEmpty)
    }

    @Test func enterOpensAFolderAndBackspaceComesBackToIt() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("j"))
        let documents = try! DrivePath("/사진")
        #expect(Fixtures.press(&state, .enter) == [.list(documents)])
        #expect(state.browser.folder == documents)
        #expect(state.browser.isLoading)
        _ = reduce(&state, .listed(documents, [Fixtures.entry("/사진/x.png", id: 20)]))
        #expect(Fixtures.press(&state, .backspace) == [.list(.root)])
        _ = reduce(&state, .listed(.root, Fixtures.rootEntries))
        #expect(state.browser.selectedEntry?.item.name == "사진")
        #expect(Fixtures.press(&state, .character("h")).isEmpty)
        #expect(state.message?.text == "This is the top of My Drive")
    }

    @Test func enterOnAFilePreviewsIt() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .end)
        #expect(Fixtures.press(&state, .enter) == [.preview(try! DrivePath("/한글.md"), version: nil)])
        _ = reduce(&state, .pagerReady(PagerContent(title: "t", lines: [PagerLine("x")])))
        #expect(state.pager != nil)
        Fixtures.press(&state, .character("q"))
        #expect(state.pager == nil)
        #expect(!state.shouldQuit)
    }

    @Test func filterNarrowsAsYouTypeAndEscClearsIt() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("/"), .character("T"))
        #expect(Fixtures.names(state) == ["Documents", "a.txt", "b.txt"])
        Fixtures.press(&state, .backspace, .character("a"), .character("."))
        #expect(Fixtures.names(state) == ["a.txt"])
        #expect(state.browser.selectedEntry?.item.name == "a.txt")
        Fixtures.press(&state, .enter)  // keep the filter
        #expect(state.browser.filterField == nil)
        #expect(state.browser.filter == "a.")
        Fixtures.press(&state, .escape)
        #expect(state.browser.filter.isEmpty)
        #expect(Fixtures.names(state).count == 5)
        #expect(state.browser.selectedEntry?.item.name == "a.txt")
    }

    @Test func byteWiseContains() {
        #expect(BrowserState.contains("보고서 최종.txt", Array("최종".utf8)))
        #expect(BrowserState.contains("abc", []))
        #expect(!BrowserState.contains("ab", Array("abc".utf8)))
        #expect(BrowserState.contains("aab", Array("ab".utf8)))
        #expect(!BrowserState.contains("보고서", Array("서x".utf8)))
    }

    @Test func filterMatchesHangul() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("/"), .character("한"))
        #expect(Fixtures.names(state) == ["한글.md"])
    }

    @Test func operationsAskFirstAndThenAct() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("n"))
        guard case .prompt(let prompt)? = state.dialog else { Issue.record("no prompt"); return }
        #expect(prompt.purpose == .newFolder(in: .root))
        Fixtures.press(&state, .character("새"), .character(" "), .character("폴"))
        #expect(Fixtures.press(&state, .enter) == [.makeFolder(try! DrivePath("/새 폴"))])
        #expect(state.dialog == nil)

        Fixtures.press(&state, .character("j"), .character("j"), .character("R"))
        Fixtures.press(&state, .ctrl("u"))
        for character in "c.txt" { Fixtures.press(&state, .character(character)) }
        #expect(Fixtures.press(&state, .enter) == [.move(try! DrivePath("/a.txt"), to: try! DrivePath("/c.txt"))])
        // Renaming to the same name does nothing (the engine refuses a move onto itself).
        Fixtures.press(&state, .character("R"))
        guard case .prompt(let rename)? = state.dialog else { Issue.record("no prompt"); return }
        #expect(rename.field.text == "a.txt")
        #expect(Fixtures.press(&state, .enter).isEmpty)
        #expect(state.dialog == nil && state.message == nil)

        Fixtures.press(&state, .character("m"))
        Fixtures.press(&state, .ctrl("u"))
        for character in "/Documents" { Fixtures.press(&state, .character(character)) }
        #expect(Fixtures.press(&state, .enter) == [.moveInto(try! DrivePath("/a.txt"), folder: try! DrivePath("/Documents"))],
                "the move dialog never renames")

        #expect(Fixtures.press(&state, .delete) == [.trash(try! DrivePath("/a.txt"))])
    }

    @Test func aRefusedMoveSaysWhyAndChangesNothing() {
        var state = Fixtures.browsing()
        #expect(reduce(&state, .refused("no folder /nope: type an existing folder")).isEmpty, "nothing to reload")
        #expect(state.message == StatusMessage("no folder /nope: type an existing folder", kind: .error))
    }

    @Test func downloadingOverALocalFileAsksAndThenForces() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("j"), .character("j"), .character("D"))
        let file = try! DrivePath("/a.txt")
        #expect(Fixtures.press(&state, .enter) == [.get(job: 1, file, local: "/home/minji/a.txt", version: nil)])
        _ = reduce(&state, .localTargetExists(job: 1, file, local: "/home/minji/a.txt", target: "/home/minji/a.txt",
                                              isFolder: false, version: nil))
        #expect(state.job == nil)
        guard case .confirm(let confirm)? = state.dialog else { Issue.record("no confirm"); return }
        #expect(confirm.message.first == "Replace /home/minji/a.txt?")
        #expect(confirm.operation == .replaceLocal(file, local: "/home/minji/a.txt", version: nil))
        #expect(Fixtures.press(&state, .character("n")).isEmpty)
        #expect(state.dialog == nil)
        Fixtures.press(&state, .character("D"))
        #expect(Fixtures.press(&state, .enter) == [.get(job: 2, file, local: "/home/minji/a.txt", version: nil)])
        _ = reduce(&state, .localTargetExists(job: 2, file, local: "/home/minji/a.txt", target: "/home/minji/a.txt",
                                              isFolder: false, version: nil))
        #expect(Fixtures.press(&state, .character("y"))
                == [.get(job: 3, file, local: "/home/minji/a.txt", version: nil, force: true)])
        #expect(state.job?.id == 3)
    }

    @Test func aBadNameIsRefusedBeforeTheEngineSeesIt() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("n"), .character("."), .character("."))
        #expect(Fixtures.press(&state, .enter).isEmpty)
        #expect(state.message?.kind == .error)
    }

    @Test func addingRunsAsAJobWithProgressAndEscCancelsIt() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .character("a"), .ctrl("u"))
        for character in "~/photos" { Fixtures.press(&state, .character(character)) }
        #expect(Fixtures.press(&state, .enter) == [.put(job: 1, local: "/home/minji/photos", to: try! DrivePath("/photos"))])
        #expect(state.job?.title == "Adding photos")
        #expect(Fixtures.press(&state, .character("a")).isEmpty)  // one transfer at a time
        #expect(state.message?.text.contains("Wait for") == true)
        _ = reduce(&state, .jobProgress(1, TransferProgressSnapshot(bytesDone: 5, bytesTotal: 10, filesDone: 1, filesTotal: 2)))
        #expect(state.job?.progress.fraction == 0.5)
        #expect(Fixtures.press(&state, .escape) == [.cancelJob(1)])
        #expect(state.job?.isCancelling == true)
        let effects = reduce(&state, .jobFailed(1, DriveError(.cancelled, "put", "/photos", "cancelled")))
        #expect(state.job == nil)
        #expect(state.message?.text.hasPrefix("Cancelled") == true)
        #expect(effects == [.loadSharing, .list(.root)])
    }

    @Test func disabledBindingsSayWhy() {
        var state = Fixtures.browsing()
        #expect(Keymap.action(for: .character("v"), in: state) == .explain("Folders have no versions; select a file"))
        _ = reduce(&state, .listed(.root, []))
        #expect(Keymap.action(for: .character("x"), in: state) == .explain("This folder is empty"))
        #expect(Keymap.hints(in: state).contains { $0.keys == "x" && $0.isDisabled })
    }

    @Test func theShownFolderVanishingGoesUp() {
        var state = Fixtures.browsing()
        Fixtures.press(&state, .enter)
        let gone = DriveError(.notFound, "ls", "/Documents", "no such file or folder")
        #expect(reduce(&state, .failed(gone)) == [.list(.root)])
        #expect(state.message?.kind == .error)
    }

    @Test func anotherProcessChangingTheDriveReloadsOnce() {
        var state = Fixtures.browsing()
        #expect(reduce(&state, .driveChanged(7, entries: nil)) == [.loadSharing, .list(.root)])
        #expect(reduce(&state, .driveChanged(7, entries: nil)).isEmpty)
    }
}
