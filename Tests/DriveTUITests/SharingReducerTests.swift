@testable import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// The sharing views, the share dialog and roles, through the keymap and the reducer.
@Suite struct SharingReducerTests {
    static let shared = try! DrivePath("/shared")
    static let design = try! DrivePath("/shared/Design")
    static let korean = try! DrivePath("/shared/한국어 폴더")
    static let documents = try! DrivePath("/Documents")

    /// An item owned by user `owner` (an id).
    static func item(_ name: String, id: Int64, owner: Int64, folder: Bool = true) -> Item {
        Item(id: id, parentId: 90, ownerId: owner, name: name, kind: folder ? .folder : .file,
             createdAt: Fixtures.start, modifiedAt: Fixtures.start, modifiedBy: owner, headVersionId: folder ? nil : id,
             size: folder ? 0 : 42, versionCount: folder ? 0 : 2)
    }

    /// alice shares Design with minji as viewer, junho 한국어 폴더 as editor, and a file as viewer;
    /// minji shares /Documents with alice (editor) and bob (viewer).
    static let overview = SharingOverview(
        sharedByMe: [
            OutgoingShare(path: documents, item: Fixtures.rootEntries[0].item, userName: "alice", role: .editor),
            OutgoingShare(path: documents, item: Fixtures.rootEntries[0].item, userName: "bob", role: .viewer),
        ],
        sharedWithMe: [
            SharedEntry(name: "Design", item: item("Design", id: 50, owner: 2), role: .viewer, ownerName: "alice"),
            SharedEntry(name: "plan.md", item: item("plan.md", id: 51, owner: 2, folder: false), role: .viewer,
                        ownerName: "alice"),
            SharedEntry(name: "한국어 폴더", item: item("한국어 폴더", id: 52, owner: 4), role: .editor, ownerName: "junho"),
        ])

    /// Browsing the root with the users and shares loaded.
    static func browsing() -> AppState {
        var state = Fixtures.browsing()
        _ = reduce(&state, .usersLoaded([1: "minji", 2: "alice", 3: "bob", 4: "junho"]))
        _ = reduce(&state, .sharingLoaded(overview))
        return state
    }

    /// Browsing `folder` (inside a share) with one file and one folder in it.
    static func inside(_ folder: DrivePath) -> AppState {
        var state = browsing()
        _ = reduce(&state, .listed(folder, []))
        state.browser.folder = folder
        _ = reduce(&state, .listed(folder, [
            Fixtures.entry(folder.appending("sub").description, id: 60, folder: true),
            Fixtures.entry(folder.appending("logo.png").description, id: 61),
        ]))
        return state
    }

    @Test func sharedWithMeLoadsAndEnterOpensInTheBrowser() {
        var state = Fixtures.browsing()
        #expect(Fixtures.press(&state, .character("6")) == [.loadSharing])
        #expect(state.view == .sharedWithMe)
        #expect(state.isLoading, "keys wait for the first overview")
        _ = reduce(&state, .sharingLoaded(Self.overview))
        #expect(!state.isLoading)
        #expect(state.sharing.selectedWithMe?.name == "Design")
        #expect(Fixtures.press(&state, .enter) == [.list(Self.design)])
        #expect(state.view == .drive)
        #expect(state.browser.folder == Self.design)

        Fixtures.press(&state, .character("6"), .character("j"))
        #expect(state.sharing.selectedWithMe?.name == "plan.md")
        #expect(Fixtures.press(&state, .character("v")) == [.loadVersions(try! DrivePath("/shared/plan.md"))])
        Fixtures.press(&state, .character("6"))
        #expect(Fixtures.press(&state, .enter) == [.list(Self.shared)], "a file is shown selected in /shared")
        #expect(state.browser.pendingSelection == .name("plan.md"))
    }

    @Test func sharedByMeShowsTheItemAndRevokesAfterAConfirm() {
        var state = Self.browsing()
        #expect(Fixtures.press(&state, .character("7")) == [.loadSharing])
        #expect(!state.isLoading, "the overview is already there")
        Fixtures.press(&state, .character("j"))
        #expect(state.sharing.selectedByMe?.userName == "bob")
        #expect(Fixtures.press(&state, .character("x")).isEmpty)
        guard case .confirm(let confirm)? = state.dialog else { Issue.record("no confirm"); return }
        #expect(confirm.message.joined(separator: " ").contains("bob (viewer) loses access"))
        #expect(Fixtures.press(&state, .character("y")) == [.unshare(Self.documents, with: "bob")])
        #expect(Fixtures.press(&state, .enter) == [.list(.root)])
        #expect(state.view == .drive)
        #expect(state.browser.pendingSelection == .item(2))
    }

    @Test func theRoleOfTheSelection() {
        var state = Self.browsing()
        #expect(state.role(of: state.browser.selectedEntry!) == .owner)
        state = Self.inside(Self.design)
        #expect(state.role(at: Self.design) == .viewer)
        #expect(state.role(of: state.browser.selectedEntry!) == .viewer)
        #expect(state.role(at: Self.shared) == nil, "/shared itself is no item")
        state = Self.inside(Self.korean)
        #expect(state.role(of: state.browser.selectedEntry!) == .editor)
    }

    @Test func aRoleAShareBelowMayRaiseIsLeftToTheEngine() {
        // alice also shares a folder with minji as editor: it may be inside Design.
        var overview = Self.overview
        overview.sharedWithMe.append(SharedEntry(name: "inner", item: Self.item("inner", id: 53, owner: 2), role: .editor,
                                                 ownerName: "alice"))
        var state = Self.inside(Self.design)
        _ = reduce(&state, .sharingLoaded(overview))
        #expect(state.role(at: Self.design) == .viewer, "the share itself: its own role")
        #expect(state.role(of: state.browser.selectedEntry!) == nil)
        #expect(Keymap.action(for: .character("x"), in: state) == .trashItem, "not refused: the engine decides")
        #expect(state.role(at: Self.korean.appending("x")) == .editor, "junho shares nothing else")
    }

    @Test func aViewerSeesEditingKeysDimmedAndIsRefused() {
        let state = Self.inside(Self.design)
        let logo = "/shared/Design/sub"
        #expect(Keymap.action(for: .character("x"), in: state)
                == .explain("Moving to the trash needs editor: you are a viewer of \(logo)"))
        #expect(Keymap.action(for: .character("R"), in: state) == .explain("Renaming needs editor: you are a viewer of \(logo)"))
        #expect(Keymap.action(for: .character("a"), in: state)
                == .explain("Adding here needs editor: you are a viewer of /shared/Design"))
        #expect(Keymap.action(for: .character("s"), in: state) == .explain("Sharing needs owner: you are a viewer of \(logo)"))
        #expect(Keymap.action(for: .character("D"), in: state) == .download)
        #expect(Keymap.action(for: .enter, in: state) == .open)
        let hints = Keymap.hints(in: state)
        for key in ["a", "n", "R", "m", "x", "s"] {
            #expect(hints.contains { $0.keys == key && $0.isDisabled }, "\(key) is dimmed")
        }
        for key in ["Enter", "D", "/"] {
            #expect(hints.contains { $0.keys == key && !$0.isDisabled }, "\(key) is not dimmed")
        }
        #expect(StatusLineView.summary(state).hasSuffix("viewer of Design, shared by alice: dimmed keys need editor"))
    }

    @Test func anEditorEditsButOnlyTheOwnerRenamesOrSharesTheShareItself() {
        var state = Self.inside(Self.korean)
        #expect(Keymap.action(for: .character("x"), in: state) == .trashItem)
        #expect(Keymap.action(for: .character("n"), in: state) == .newFolder)
        #expect(Keymap.action(for: .character("s"), in: state)
                == .explain("Sharing needs owner: you are an editor of /shared/한국어 폴더/sub"))
        // In /shared, the share itself: renaming or deleting it needs its owner.
        _ = reduce(&state, .listed(Self.korean.parent, []))
        state.browser.folder = Self.shared
        var top = Fixtures.entry("/shared/한국어 폴더", id: 52, folder: true)
        top.role = .editor
        _ = reduce(&state, .listed(Self.shared, [top]))
        #expect(Keymap.action(for: .character("x"), in: state)
                == .explain("Moving to the trash needs owner: you are an editor of /shared/한국어 폴더"))
        #expect(Keymap.action(for: .character("n"), in: state)
                == .explain("/shared only lists what others share with you: open a shared folder to add to it"))
    }

    @Test func versionsOfASharedFileAsAViewer() {
        var state = Self.inside(Self.design)
        Fixtures.press(&state, .character("j"), .character("v"))
        let file = Self.design.appending("logo.png")
        _ = reduce(&state, .versionsLoaded(file, [Fixtures.version(2, head: true), Fixtures.version(1)]))
        #expect(Keymap.action(for: .character("p"), in: state) == .explain("Pinning needs editor: you are a viewer of \(file)"))
        #expect(Keymap.action(for: .character("d"), in: state) == .diffVersion)
        Fixtures.press(&state, .character("j"))
        #expect(Keymap.action(for: .character("r"), in: state)
                == .explain("Restoring a version needs editor: you are a viewer of \(file)"))
    }

    @Test func onlyTheOwnerOpensTheShareDialog() {
        var state = Self.browsing()
        #expect(Fixtures.press(&state, .character("s")) == [.loadUsers, .loadSharing])
        guard case .share(let share)? = state.dialog else { Issue.record("no share dialog"); return }
        #expect(share.path == Self.documents)
        #expect(share.users == ["alice", "bob", "junho"], "everyone but me")
        #expect(share.shares.map(\.userName) == ["alice", "bob"])
        // Not the owner: refused with a message, also when the action comes another way.
        state = Self.inside(Self.korean)
        #expect(reduce(&state, .openShareDialog).isEmpty)
        #expect(state.dialog == nil)
        #expect(state.message?.text == "Sharing needs owner: you are an editor of /shared/한국어 폴더/sub")
    }

    @Test func theDialogCompletesAUserPicksARoleAndShares() {
        var state = Self.browsing()
        Fixtures.press(&state, .character("j"), .character("j"), .character("s"))  // a.txt
        Fixtures.press(&state, .tab)
        guard case .share(let share)? = state.dialog else { Issue.record("no share dialog"); return }
        #expect(share.completions == ["alice", "bob", "junho"], "Tab on nothing lists everyone")
        Fixtures.press(&state, .character("J"), .tab)
        guard case .share(let completed)? = state.dialog else { Issue.record("no share dialog"); return }
        #expect(completed.field.text == "junho")
        Fixtures.press(&state, .ctrl("u"), .character("z"), .tab)
        #expect(state.message?.text == "No user’s name starts with ‘z’")
        #expect(Fixtures.press(&state, .enter).isEmpty)
        #expect(state.message?.text == "No user is called ‘z’ (Tab lists them)")
        #expect(state.dialog != nil, "what was typed is kept")
        Fixtures.press(&state, .backspace, .character("b"), .tab, .down)
        #expect(Keymap.activeContexts(in: state) == [.shareRows, .shareDialog])
        Fixtures.press(&state, .character(" "))
        guard case .share(let chosen)? = state.dialog else { Issue.record("no share dialog"); return }
        #expect(chosen.role == .editor)
        #expect(chosen.field.text == "bob")
        #expect(Fixtures.press(&state, .enter) == [.share(try! DrivePath("/a.txt"), with: "bob", role: .editor)])
        #expect(state.dialog == nil)
    }

    @Test func theDialogChangesAndRevokesExistingShares() {
        var state = Self.browsing()
        Fixtures.press(&state, .character("s"), .down, .down)
        #expect(Keymap.action(for: .character("x"), in: state) == .revokeShare)
        #expect(Fixtures.press(&state, .character(" ")) == [.share(Self.documents, with: "alice", role: .viewer)])
        Fixtures.press(&state, .character("j"), .character("j"))
        guard case .share(let share)? = state.dialog else { Issue.record("no share dialog"); return }
        #expect(share.focus == .share(1), "the last row stops the cursor")
        // Revoking asks first, as in Shared by me; either answer comes back to the dialog.
        #expect(Fixtures.press(&state, .delete).isEmpty)
        guard case .confirm(let confirm)? = state.dialog else { Issue.record("no confirm"); return }
        #expect(confirm.title == "Stop sharing?")
        #expect(confirm.message.joined(separator: " ").contains("bob (viewer) loses access"))
        #expect(Fixtures.press(&state, .character("n")).isEmpty)
        #expect(state.dialog == .share(share))
        Fixtures.press(&state, .character("x"))
        #expect(Fixtures.press(&state, .character("y")) == [.unshare(Self.documents, with: "bob")])
        #expect(state.dialog == .share(share))
        var after = Self.overview
        after.sharedByMe.removeLast()
        _ = reduce(&state, .sharingLoaded(after))
        guard case .share(let updated)? = state.dialog else { Issue.record("no share dialog"); return }
        #expect(updated.shares.map(\.userName) == ["alice"])
        #expect(updated.focus == .share(0))
        Fixtures.press(&state, .up)
        #expect(Keymap.action(for: .character("x"), in: state) == .explain("Select a share with ↓ first"))
        Fixtures.press(&state, .up, .escape)
        #expect(state.dialog == nil)
    }

    @Test func aShareThatGoesAwayTakesTheUserBackToSharedWithMe() {
        var state = Self.inside(Self.design.appending("sub"))
        var after = Self.overview
        after.sharedWithMe.removeFirst()
        #expect(reduce(&state, .sharingLoaded(after)) == [.list(Self.shared)])
        #expect(state.view == .sharedWithMe)
        #expect(state.message?.text == "alice stopped sharing ‘Design’ with you: back to Shared with me")
        // The reload that was already on its way fails: dropped, the message stays.
        let late = DriveError(.notFound, "ls", "/shared/Design/sub", "no such file or folder")
        #expect(reduce(&state, .failed(late)).isEmpty)
        #expect(state.message?.text.hasPrefix("alice stopped sharing") == true)
        #expect(state.view == .sharedWithMe)
    }

    @Test func aShareRenamedByItsOwnerIsFollowed() {
        var state = Self.inside(Self.design.appending("sub"))
        var after = Self.overview
        after.sharedWithMe[0].name = "Design 2"
        after.sharedWithMe[0].item.name = "Design 2"
        #expect(reduce(&state, .sharingLoaded(after)) == [.list(try! DrivePath("/shared/Design 2/sub"))])
        #expect(state.view == .drive)
        #expect(state.message?.text == "‘Design’ is now shared with you as ‘Design 2’")
    }

    @Test func aListingInAShareThatIsNotThereReturnsToSharedWithMe() {
        var state = Self.browsing()
        Fixtures.press(&state, .character(":"))
        for character in "cd /shared/Gone/x" { Fixtures.press(&state, .character(character)) }
        #expect(Fixtures.press(&state, .enter) == [.list(try! DrivePath("/shared/Gone/x"))])
        let gone = DriveError(.notFound, "ls", "/shared/Gone/x", "no such file or folder")
        #expect(reduce(&state, .failed(gone)) == [.list(Self.shared)])
        #expect(state.view == .sharedWithMe)
        #expect(state.message?.text == "‘Gone’ is not shared with you any more: back to Shared with me")
        // Other failures under /shared are the engine's to tell.
        let denied = DriveError(.permissionDenied, "rm", "/shared/Design/a", "this needs the editor role; you are a viewer")
        #expect(reduce(&state, .failed(denied)).isEmpty)
        #expect(state.message?.kind == .error)
        #expect(state.message?.text == denied.description)
    }

    @Test func tabsShortenWhenTheyDoNotFit() {
        #expect(ChromeView.tabLabels(shown: .drive, width: 130).suffix(3) == [" 8 Inbox ", " 9 Conflicts ", " 0 Devices "])
        #expect(ChromeView.tabLabels(shown: .drive, width: 120).suffix(3) == [" 8 Inbox ", " 9 Conflicts ", " 0 Devices "])
        #expect(ChromeView.tabLabels(shown: .drive, width: 110).suffix(3) == [" 8 Inbox ", " 9 Conflicts ", " 0 "])
        #expect(ChromeView.tabLabels(shown: .drive, width: 100).suffix(2) == [" 9 ", " 0 "])
        #expect(ChromeView.tabLabels(shown: .drive, width: 80).suffix(5) == [" 6 ", " 7 ", " 8 ", " 9 ", " 0 "],
                "the farthest views lose their names first")
        #expect(ChromeView.tabLabels(shown: .conflicts, width: 80).prefix(3) == [" 1 ", " 2 ", " 3 "])
        #expect(ChromeView.tabLabels(shown: .conflicts, width: 80).suffix(2) == [" 9 Conflicts ", " 0 Devices "])
        #expect(ChromeView.tabLabels(shown: .devices, width: 80).last == " 0 Devices ")
        let narrow = ChromeView.tabLabels(shown: .sharedWithMe, width: 66)
        #expect(narrow == [" 1 ", " 2 ", " 3 ", " 4 ", " 5 Help ", " 6 With me ", " 7 By me ", " 8 ", " 9 ", " 0 "],
                "on a tie, the view to the right loses its name first")
    }
}
