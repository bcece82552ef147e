import DriveEngine
import Foundation
import Testing

/// A share below a shared folder may raise the role it inherits, never lower or repeat it;
/// refusals name the role with the right article.
@Suite struct ShareRoleTests {
    /// alice owns /문서/예산.csv and /문서/sub/deep.txt; /문서 is shared with bob as editor.
    func drive() throws -> Scratch {
        let scratch = try Scratch()
        try scratch.session.put(local: try scratch.write("b.csv", Data("1,2".utf8)), to: "/문서/예산.csv")
        try scratch.session.put(local: try scratch.write("d.txt", Data("deep".utf8)), to: "/문서/sub/deep.txt")
        _ = try scratch.session(for: "bob")
        _ = try scratch.session(for: "carol")
        try scratch.session.share("/문서", with: "bob", role: .editor)
        try scratch.session.share("/문서", with: "carol", role: .viewer)
        return scratch
    }

    @Test func aShareBelowCannotLowerAnInheritedRole() throws {
        let scratch = try drive()
        let seq = try scratch.drive.latestSequence()
        let before = try scratch.session.sharing()
        let error = expectDriveError(.invalidArgument) { try scratch.session.share("/문서/예산.csv", with: "bob", role: .viewer) }
        #expect(error?.reason == "bob already has editor on /문서/예산.csv through /문서; a share below can only raise a role")
        expectDriveError(.invalidArgument) { try scratch.session.share("/문서/sub/deep.txt", with: "bob", role: .viewer) }
        #expect(try scratch.drive.latestSequence() == seq)
        #expect(try scratch.session.sharing() == before)
        #expect(try scratch.session(for: "bob").list("/shared/문서").first { $0.path.name == "예산.csv" }?.role == .editor)
    }

    @Test func anEqualRoleAddsNothingAndIsRefused() throws {
        let scratch = try drive()
        let seq = try scratch.drive.latestSequence()
        let error = expectDriveError(.invalidArgument) { try scratch.session.share("/문서/sub", with: "carol", role: .viewer) }
        #expect(error?.reason.hasPrefix("carol already has viewer on /문서/sub through /문서") == true)
        expectDriveError(.invalidArgument) { try scratch.session.share("/문서/sub/deep.txt", with: "bob", role: .editor) }
        #expect(try scratch.drive.latestSequence() == seq)
    }

    @Test func aShareBelowMayRaiseTheRole() throws {
        let scratch = try drive()
        try scratch.session.share("/문서/sub", with: "carol", role: .editor)
        #expect(try scratch.session(for: "carol").list("/shared/문서").first { $0.path.name == "sub" }?.role == .editor)
        // Unrelated items and other users are unaffected by the check.
        _ = try scratch.session(for: "erin")
        try scratch.session.share("/문서/예산.csv", with: "erin", role: .viewer)
    }

    @Test func refusalsUseTheRightArticle() throws {
        let scratch = try drive()
        let bob = try scratch.session(for: "bob")
        let carol = try scratch.session(for: "carol")
        let asEditor = expectDriveError(.permissionDenied) { try bob.share("/shared/문서/예산.csv", with: "carol", role: .editor) }
        #expect(asEditor?.reason == "this needs the owner role; you are an editor")
        let asViewer = expectDriveError(.permissionDenied) { try carol.trash("/shared/문서/예산.csv") }
        #expect(asViewer?.reason == "this needs the editor role; you are a viewer")
        #expect(Role.owner.withArticle == "an owner")
    }
}
