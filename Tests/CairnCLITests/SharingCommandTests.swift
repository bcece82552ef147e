import Foundation
import Testing

/// share, unshare, shared, transfer and the permission exit codes, through the binary.
@Suite struct SharingCommandTests {
    @Test func aQuotaBelowWhatIsUsedIsSetAndSaysSo() throws {
        let drive = try TemporaryDrive(user: "alice")
        try drive.write("big.txt", String(repeating: "x", count: 4000))
        try drive.succeed("put", "big.txt")
        let under = try drive.succeed("user", "quota", "alice", "1M")
        #expect(under.stdout.hasPrefix("alice: "))
        let over = try drive.run("user", "quota", "alice", "1K")
        #expect(over.status == 0, "\(over)")
        #expect(over.stdout.hasSuffix("used of 1.0 KiB\n"), "\(over)")
        #expect(over.stderrLines.count == 1 && over.stderr.contains("over the quota by"), "\(over)")
        let refused = try drive.run("put", "big.txt", "/copy.txt")
        #expect(refused.status == 8, "\(refused)")
    }

    @Test func shareUseAndRevoke() throws {
        let drive = try TemporaryDrive(user: "alice")
        try drive.succeed("user", "add", "bob")
        try drive.write("team/plan.txt", "v1\n")
        try drive.succeed("put", "team", "/team")
        try drive.succeed("share", "/team", "--with", "bob", "--role", "viewer")

        let listing = try drive.succeed("--user", "bob", "ls", "/shared")
        #expect(listing.stdout == "team/\n")
        #expect(try drive.succeed("--user", "bob", "cat", "/shared/team/plan.txt").stdout == "v1\n")

        let denied = try drive.run("--user", "bob", "rm", "/shared/team/plan.txt")
        #expect(denied.status == 6, "\(denied)")
        #expect(denied.stderrLines.count == 1 && denied.stderr.contains("/shared/team/plan.txt") && denied.stderr.contains("editor"))

        let json = try drive.succeed("--user", "bob", "shared", "--json").stdout
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        let incoming = object?["sharedWithMe"] as? [[String: Any]]
        #expect(incoming?.first?["path"] as? String == "/shared/team")
        #expect(incoming?.first?["role"] as? String == "viewer")
        #expect(incoming?.first?["owner"] as? String == "alice")

        try drive.succeed("unshare", "/team", "--with", "bob")
        let gone = try drive.run("--user", "bob", "ls", "/shared/team")
        #expect(gone.status == 3, "\(gone)")
    }

    @Test func strangersCannotLearnThatAnItemExists() throws {
        let drive = try TemporaryDrive(user: "alice")
        try drive.succeed("user", "add", "mallory")
        try drive.write("secret.txt", "s\n")
        try drive.succeed("put", "secret.txt", "/secret.txt")
        let missing = try drive.run("--user", "mallory", "cat", "/shared/nothing.txt")
        let secret = try drive.run("--user", "mallory", "cat", "/shared/secret.txt")
        #expect(missing.status == 3 && secret.status == 3)
        #expect(missing.stderr.replacingOccurrences(of: "nothing.txt", with: "X") == secret.stderr.replacingOccurrences(of: "secret.txt", with: "X"))
    }

    @Test func transferMovesOwnershipAndKeepsEditorAccess() throws {
        let drive = try TemporaryDrive(user: "alice")
        try drive.succeed("user", "add", "bob")
        try drive.write("report.txt", "r\n")
        try drive.succeed("put", "report.txt", "/report.txt")
        try drive.succeed("transfer", "/report.txt", "--to", "bob")
        #expect(try drive.succeed("--user", "bob", "ls").stdout == "report.txt\n")
        #expect(try drive.succeed("ls", "/shared").stdout == "report.txt\n")
        try drive.write("report2.txt", "r2\n")
        try drive.succeed("put", "report2.txt", "/shared/report.txt")
        let refused = try drive.run("share", "/shared/report.txt", "--with", "alice", "--role", "viewer")
        #expect(refused.status == 2 || refused.status == 6, "\(refused)")
    }
}
