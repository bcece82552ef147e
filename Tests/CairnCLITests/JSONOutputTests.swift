import Foundation
import Testing

/// `--json` output is a contract for scripts (issue 2, Operations): it parses, and carries the
/// documented camelCase keys with values of the right kind.
@Suite struct JSONOutputTests {
    static func date(_ value: Any?) -> Date? {
        (value as? String).flatMap { try? Date.ISO8601FormatStyle().parse($0) }
    }

    static func expectKeys(_ object: [String: Any], _ keys: [String], sourceLocation: SourceLocation = #_sourceLocation) {
        let missing = keys.filter { object[$0] == nil }
        #expect(missing.isEmpty, "missing keys \(missing) in \(object)", sourceLocation: sourceLocation)
    }

    @Test func lsHasNamePathKindSizeModifiedVersionsLinkTarget() throws {
        let drive = try TemporaryDrive()
        try drive.write("보고서.txt", "ten bytes\n")
        try drive.succeed("mkdir", "/사진")
        try drive.succeed("put", "보고서.txt")
        try drive.succeed("put", "보고서.txt", "/사진/copy.txt")

        let entries = try drive.succeed("ls", "--json").jsonObjects()
        #expect(entries.count == 2)
        for entry in entries {
            Self.expectKeys(entry, ["name", "path", "kind", "size", "modified", "modifiedBy", "versions", "linkTarget"])
            #expect(entry["linkTarget"] is NSNull, "no links here: \(entry)")
        }
        let folder = try #require(entries.first { $0["kind"] as? String == "folder" })
        let file = try #require(entries.first { $0["kind"] as? String == "file" })
        #expect(folder["name"] as? String == "사진")
        #expect(folder["path"] as? String == "/사진")
        #expect(folder["versions"] as? Int == 0)
        #expect(file["name"] as? String == "보고서.txt")
        #expect(file["path"] as? String == "/보고서.txt")
        #expect(file["size"] as? Int == 10)
        #expect(file["versions"] as? Int == 1)
        let modified = try #require(Self.date(file["modified"]), "modified is not an ISO 8601 date: \(file)")
        #expect(abs(modified.timeIntervalSinceNow) < 600)
        // Folders first, as in the text listing.
        #expect(entries.first?["kind"] as? String == "folder")

        let nested = try drive.succeed("ls", "--json", "/사진").jsonObjects()
        #expect(nested.map { $0["path"] as? String } == ["/사진/copy.txt"])
        #expect(try drive.succeed("ls", "--json", "/사진/copy.txt").jsonObjects().map { $0["name"] as? String } == ["copy.txt"])
    }

    @Test func emptyFolderListsAsAnEmptyArray() throws {
        let drive = try TemporaryDrive()
        #expect(try drive.succeed("ls", "--json").jsonObjects().isEmpty)
        #expect(try drive.succeed("trash", "list", "--json").jsonObjects().isEmpty)
    }

    @Test func logHasVersionSizeDigestAuthorCreatedAtPinnedNewAndSharedBlocks() throws {
        let drive = try TemporaryDrive()
        try drive.write("notes.txt", "first\n")
        try drive.succeed("put", "notes.txt")
        try drive.write("notes.txt", "second version\n")
        try drive.succeed("put", "notes.txt")

        let versions = try drive.succeed("log", "--json", "/notes.txt").jsonObjects()
        #expect(versions.count == 2)
        for version in versions {
            Self.expectKeys(version, ["version", "size", "digest", "author", "createdAt", "pinned", "head", "newBlocks", "sharedBlocks",
                                      "restoredFrom", "linkTarget", "state", "base", "mergedFrom"])
            #expect(version["restoredFrom"] is NSNull, "a key without a value is null, not left out: \(version)")
            #expect(version["linkTarget"] is NSNull, "\(version)")
            #expect(version["author"] as? String == "tester")
            #expect(version["pinned"] as? Bool == false)
            let digest = try #require(version["digest"] as? String)
            #expect(digest.count == 64 && digest.allSatisfy { "0123456789abcdef".contains($0) }, "digest: \(digest)")
            #expect(Self.date(version["createdAt"]) != nil, "createdAt: \(version)")
            let blocks = (version["newBlocks"] as? Int ?? -1) + (version["sharedBlocks"] as? Int ?? -1)
            #expect(blocks == 1, "one block each: \(version)")
        }
        // Newest first.
        #expect(versions.map { $0["version"] as? Int } == [2, 1])
        #expect(versions.map { $0["size"] as? Int } == [15, 6])
        #expect(versions[0]["digest"] as? String != versions[1]["digest"] as? String)
    }

    @Test func statsHasLogicalStoredBlocksDedupAndCompression() throws {
        let drive = try TemporaryDrive()
        let text = String(repeating: "Cairn stores every block once. 블록은 한 번만 저장됩니다.\n", count: 4000)
        try drive.write("book.txt", text)
        try drive.succeed("put", "book.txt", "/one.txt")
        try drive.succeed("put", "book.txt", "/two.txt")

        let stats = try drive.succeed("stats", "--json").jsonObject()
        Self.expectKeys(stats, ["logicalBytes", "storedBytes", "blocks", "dedupRatio", "compressionRatio"])
        let size = text.utf8.count
        #expect(stats["logicalBytes"] as? Int == 2 * size)
        #expect(stats["blocks"] as? Int == 1)
        #expect(stats["dedupRatio"] as? Double == 2)
        let stored = try #require(stats["storedBytes"] as? Int)
        #expect(stored > 0 && stored < size / 4, "repetitive text compresses: \(stats)")
        let compression = try #require(stats["compressionRatio"] as? Double)
        #expect(compression > 4, "\(stats)")
    }

    @Test func userListHasNameDisplayNameEmailPhone() throws {
        let drive = try TemporaryDrive()
        try drive.succeed("user", "add", "alice", "--display-name", "앨리스", "--email", "alice@example.org", "--phone", "+82 10-1234-5678")
        let users = try drive.succeed("user", "list", "--json").jsonObjects()
        #expect(users.compactMap { $0["name"] as? String }.sorted() == ["alice", "tester"])
        let alice = try #require(users.first { $0["name"] as? String == "alice" })
        Self.expectKeys(alice, ["name", "displayName", "email", "phone", "createdAt"])
        #expect(alice["displayName"] as? String == "앨리스")
        #expect(alice["email"] as? String == "alice@example.org")
        #expect(alice["phone"] as? String == "+82 10-1234-5678")
        let tester = try #require(users.first { $0["name"] as? String == "tester" })
        Self.expectKeys(tester, ["email", "phone"])
        #expect(tester["email"] is NSNull && tester["phone"] is NSNull, "\(tester)")
        // The default subcommand of `user` is `list`.
        #expect(try drive.succeed("user").stdoutLines.count == 2)
    }

    @Test func putTrashAndVerifyPrintJSON() throws {
        let drive = try TemporaryDrive()
        try drive.write("tree/a.txt", "a\n")
        try drive.write("tree/b/c.txt", "c\n")
        let put = try drive.succeed("put", "tree", "--json").jsonObject()
        Self.expectKeys(put, ["destination", "filesStored", "filesUnchanged", "filesSkipped", "foldersCreated", "bytesRead", "newBlocks",
                              "sharedBlocks", "resumedAt", "skippedPaths", "temporaryPaths", "conflicts"])
        #expect(put["resumedAt"] is NSNull, "\(put)")
        #expect(put["destination"] as? String == "/tree")
        #expect(put["filesStored"] as? Int == 2)
        #expect(put["bytesRead"] as? Int == 4)

        try drive.succeed("rm", "/tree/b")
        let trash = try drive.succeed("trash", "list", "--json").jsonObjects()
        #expect(trash.count == 1)
        Self.expectKeys(trash[0], ["name", "path", "kind", "trashedAt"])
        #expect(trash[0]["path"] as? String == "/tree/b")
        #expect(trash[0]["kind"] as? String == "folder")

        let verify = try drive.succeed("verify", "--json").jsonObject()
        #expect(verify["ok"] as? Bool == true)
        #expect(verify["blocksChecked"] as? Int == 2)
        #expect((verify["problems"] as? [Any])?.isEmpty == true)
    }
}
