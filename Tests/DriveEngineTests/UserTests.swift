import DriveEngine
import Foundation
import Testing

/// Each user has a drive of their own; blocks are shared across users, trees and trash are not.
@Suite struct UserTests {
    /// alice and bob over one store, and a local file of `data`.
    func twoUsers(_ data: Data) throws -> (Scratch, alice: DriveSession, bob: DriveSession, local: String) {
        let scratch = try Scratch()
        return (scratch, scratch.session, try scratch.session(for: "bob"), try scratch.write("shared.bin", data))
    }

    @Test func twoUsersHaveSeparateTrees() throws {
        let data = randomBytes(80_000, seed: 1)
        let (scratch, alice, bob, local) = try twoUsers(data)

        try alice.put(local: local, to: "/docs/shared.bin")
        try alice.makeFolder("/alice only")
        #expect(try bob.list("/").isEmpty)
        expectDriveError(.notFound) { _ = try bob.item(at: "/docs/shared.bin") }
        expectDriveError(.notFound) { try bob.get("/docs/shared.bin", to: scratch.path("bob.bin")) }

        // The same path and content in bob's drive: a separate item, no new block.
        let blocks = try alice.stats().blocks
        let report = try bob.put(local: local, to: "/docs/shared.bin")
        #expect(report.filesStored == 1)
        #expect(report.newBlocks == 0)
        #expect(try bob.stats().blocks == blocks)
        #expect(try bob.item(at: "/docs/shared.bin").id != alice.item(at: "/docs/shared.bin").id)
        #expect(try bob.log("/docs/shared.bin").map(\.authorName) == ["bob"])
        #expect(try bob.list("/").map(\.path.name) == ["docs"])
        #expect(try alice.list("/").map(\.path.name) == ["alice only", "docs"])

        // bob's changes stay in bob's drive.
        try bob.put(local: try scratch.write("other.txt", Data("bob".utf8)), to: "/docs/shared.bin")
        try bob.move("/docs", to: "/papers")
        #expect(try bob.versionNumbers("/papers/shared.bin") == [2, 1])
        #expect(try alice.versionNumbers("/docs/shared.bin") == [1])
        #expect(try alice.contents("/docs/shared.bin") == data)
    }

    @Test func trashIsPerUserAndEmptyingItKeepsOthersBlocks() throws {
        let data = randomBytes(80_000, seed: 2)
        let (scratch, alice, bob, local) = try twoUsers(data)
        try alice.put(local: local, to: "/same.bin")
        try bob.put(local: local, to: "/same.bin")
        try alice.trash("/same.bin")
        #expect(try bob.trashList().isEmpty)
        #expect(try alice.trashList().count == 1)

        try bob.trash("/same.bin")
        try bob.emptyTrash()
        #expect(try alice.trashList().count == 1) // alice's trash is hers to empty
        try alice.untrash("/same.bin")
        #expect(try alice.contents("/same.bin") == data)
        #expect(try scratch.drive.verify().isHealthy)
        expectDriveError(.notFound) { _ = try bob.item(at: "/same.bin") }
    }

    @Test func verifyNamesTheOwnerOfEachAffectedPath() throws {
        let scratch = try Scratch()
        let bob = try scratch.session(for: "bob")
        let local = try scratch.write("b.bin", randomBytes(10_000, seed: 3))
        try scratch.session.put(local: local, to: "/a.bin")
        try bob.put(local: local, to: "/b.bin")
        let block = try scratch.storedBlock(0, of: "/b.bin", session: bob)
        try scratch.flipByte(at: block.offset + block.length - 1, in: block.pack)
        let problems = try scratch.drive.verify().problems
        #expect(problems.map(\.block) == [block.hex])
        #expect(problems.first?.affected == ["alice:/a.bin (version 1)", "bob:/b.bin (version 1)"])
        expectDriveError(.corrupted) { _ = try bob.contents("/b.bin") }
    }

    @Test func userNamesAndContactInfo() throws {
        let scratch = try Scratch()
        let drive = scratch.drive
        expectDriveError(.alreadyExists) { try drive.addUser(name: "alice") }
        expectDriveError(.invalidArgument) { try drive.addUser(name: "") }
        expectDriveError(.invalidArgument) { try drive.addUser(name: "has space") }
        expectDriveError(.invalidArgument) { try drive.addUser(name: "-dash") }
        expectDriveError(.invalidArgument) { try drive.addUser(name: ".") }
        expectDriveError(.invalidArgument) { try drive.addUser(name: "..") }
        try drive.addUser(name: "j.doe")
        expectDriveError(.invalidArgument) { try drive.addUser(name: "carol", email: "not-an-email") }
        expectDriveError(.invalidArgument) { try drive.addUser(name: "carol", phone: "call me") }
        expectDriveError(.notFound) { _ = try drive.session(for: "nobody") }
        try drive.addUser(name: "민수", displayName: "Minsu Kim", email: "minsu@example.com", phone: "+82 10-1234-5678")
        let minsu = try drive.user(named: "민수")
        #expect(minsu.displayName == "Minsu Kim")
        #expect(minsu.phone == "+82 10-1234-5678")
        #expect(try drive.users().map(\.name) == ["alice", "j.doe", "민수"])
    }
}

/// Contact info can change after a user is added, and notifications follow it.
@Suite struct UserContactTests {
    @Test func contactInfoChangesAndBadInputChangesNothing() throws {
        let scratch = try Scratch()
        try scratch.drive.addUser(name: "bob")
        let changed = try scratch.drive.setContact(user: "bob", displayName: "Bob Lee", email: "bob@example.com", phone: "+82 10-0000-0000")
        #expect(changed.email == "bob@example.com" && changed.displayName == "Bob Lee")
        expectDriveError(.invalidArgument) { try scratch.drive.setContact(user: "bob", email: "not an address") }
        expectDriveError(.notFound) { try scratch.drive.setContact(user: "nobody", email: "x@example.com") }
        #expect(try scratch.drive.user(named: "bob").email == "bob@example.com")
        let removed = try scratch.drive.setContact(user: "bob", phone: "")
        #expect(removed.phone == nil && removed.email == "bob@example.com")
    }
}
