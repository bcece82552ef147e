import DriveEngine
@testable import DriveTUI
import Foundation
import ScreenKit
import Testing

/// The Conflicts view and the merge screen on a real store, through the app's loop: keys in,
/// the engine's conflicts, sides and resolutions out. minji's /합의.txt, shared with alice as an
/// editor; both took version 1, minji's edit landed first (v2), alice's was kept as conflict v3.
@MainActor
@Suite struct ConflictsAppLoopTests {
    static func makeConflict(_ drive: TestDrive) throws {
        let base = Data(MergeReducerTests.base.utf8)
        try drive.session.put(local: try drive.writeLocal("minji/합의.txt", base), to: "/합의.txt")
        try drive.session.share("/합의.txt", with: "alice", role: .editor)
        let alice = try drive.drive.session(for: "alice")
        let copy = try drive.writeLocal("alice/합의.txt", Data())
        try alice.get("/shared/합의.txt", to: copy, force: true)
        drive.clock.set(hours: 101)
        try drive.session.put(local: try drive.writeLocal("minji/합의.txt", Data(MergeReducerTests.theirs.utf8)), to: "/합의.txt")
        try Data(MergeReducerTests.mine.utf8).write(to: URL(fileURLWithPath: copy))
        drive.clock.set(hours: 102)
        try alice.put(local: copy, to: "/shared/합의.txt", onStale: .keepConflict)
    }

    @Test func resolveHunkByHunkAndWrite() async throws {
        let harness = try await Harness(width: 80, height: 24, prepare: Self.makeConflict)
        try await harness.press(.character("9"))
        #expect(harness.app.state.conflicts.entries.map(\.path.description) == ["/합의.txt"])
        harness.verify("conflicts-80x24")

        try await harness.press(.enter)
        #expect(harness.app.state.merge?.hunkCount == 2)
        harness.verify("merge-80x24")

        try await harness.press(.character("w"))
        #expect(harness.app.state.message?.text.hasPrefix("2 hunks still need a choice") == true, "nothing written yet")
        try await harness.press(.character("t"), .character("m"), .character("w"))
        #expect(harness.app.state.merge == nil)
        #expect(harness.app.state.message?.text == "Merged v3 (mine) into /합의.txt: version 4 is the head")
        #expect(try harness.drive.session.contents("/합의.txt")
                    == Data("제목\nalpha, 민지\nbeta\n감마, bob\ndelta\nepsilon, bob\n".utf8))
        #expect(try harness.drive.session.conflicts().isEmpty)
        #expect(harness.app.state.conflicts.entries.isEmpty, "the list follows")
        #expect(harness.screen.contains("No open conflicts"))
    }

    @Test func keepBothAfterAConfirm() async throws {
        let harness = try await Harness(prepare: Self.makeConflict)
        try await harness.press(.character("9"), .character("B"))
        #expect(harness.screen.contains("Keep both?"))
        try await harness.press(.character("y"))
        #expect(try harness.drive.session.contents("/합의.txt") == Data(MergeReducerTests.theirs.utf8))
        let copy = "/합의 (conflict v3 by alice).txt"
        #expect(try harness.drive.session.contents(copy) == Data(MergeReducerTests.mine.utf8))
        #expect(harness.app.state.message?.text == "Kept the head of /합의.txt; v3 is now \(copy)")
    }

    @Test func aHeadThatMovedMeanwhileIsNotDropped() async throws {
        let harness = try await Harness(prepare: Self.makeConflict)
        try await harness.press(.character("9"), .enter, .character("m"), .character("m"))
        let session = harness.drive.session
        try session.put(local: try harness.drive.writeLocal("minji/later.txt", Data("later\n".utf8)), to: "/합의.txt", onStale: .replace)
        try await harness.press(.character("w"))
        #expect(harness.app.state.message?.kind == .error)
        #expect(harness.app.state.message?.text.contains("the head moved to version 4") == true, "\(String(describing: harness.app.state.message))")
        #expect(try session.contents("/합의.txt") == Data("later\n".utf8))
        #expect(try session.conflicts().count == 1 && harness.app.state.merge?.undecidedCount == 0, "the choices stay")
    }
}
