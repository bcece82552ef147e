import Foundation
import Testing

/// put, get, cat, ls, mkdir, mv, rm, trash and gc through the command line, Korean names included.
@Suite struct FileCommandTests {
    /// Every file and folder below `root`, relative path → content (folders map to nil).
    static func tree(_ root: URL) throws -> [String: Data?] {
        var result: [String: Data?] = [:]
        for path in FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? [] {
            let url = root.appendingPathComponent(path)
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder)
            result[path] = isFolder.boolValue ? .some(nil) : try Data(contentsOf: url)
        }
        return result
    }

    /// Local names a get may leave behind only if it wrote non-atomically.
    static func leftoverTemporaries(_ root: URL) -> [String] {
        (FileManager.default.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).filter { $0.contains(".cairn-") }
    }

    @Test func folderTreeWithKoreanEmojiAndSpacesRoundTrips() throws {
        let drive = try TemporaryDrive()
        let report = "분기 보고서\nquarterly report\n"
        try drive.write("tree/문서/보고서 2026.txt", report)
        try drive.write("tree/문서/빈 파일.txt", "")
        try drive.write("tree/사진/😀 smile.bin", SeededBytes.data(count: 300_000, seed: 7))
        try drive.write("tree/deep/a/b/c/d/e/f/g/h/깊은 곳.txt", "deep\n")
        try drive.write("tree/한 글/같은 내용.txt", report)
        try FileManager.default.createDirectory(at: drive.local("tree/빈 폴더"), withIntermediateDirectories: true)

        let put = try drive.succeed("put", "tree", "/내 드라이브")
        #expect(put.stdout.hasPrefix("/내 드라이브: 5 stored"), "\(put)")
        #expect(put.stdout.contains("1 shared"), "identical files share their block: \(put)")
        #expect(Set(try drive.succeed("ls", "/내 드라이브").stdoutLines) == ["deep/", "문서/", "사진/", "한 글/", "빈 폴더/"])
        #expect(try drive.succeed("ls", "/내 드라이브/문서").stdoutLines == ["보고서 2026.txt", "빈 파일.txt"])
        #expect(try drive.succeed("cat", "/내 드라이브/한 글/같은 내용.txt").stdout == report)

        let get = try drive.succeed("get", "/내 드라이브", "restored")
        #expect(get.stdout.contains("5 files"), "\(get)")
        #expect(try Self.tree(drive.local("restored")) == Self.tree(drive.local("tree")))
        #expect(Self.leftoverTemporaries(drive.work).isEmpty)

        // Re-putting reads only what changed (size or mtime).
        let again = try drive.succeed("put", "tree", "/내 드라이브", "--json").jsonObject()
        #expect(again["filesSkipped"] as? Int == 5 && again["filesStored"] as? Int == 0 && again["bytesRead"] as? Int == 0, "\(again)")
        try drive.write("tree/문서/보고서 2026.txt", report + "수정됨\n")
        let changed = try drive.succeed("put", "tree", "/내 드라이브", "--json").jsonObject()
        #expect(changed["filesStored"] as? Int == 1 && changed["filesSkipped"] as? Int == 4, "\(changed)")
        #expect(try drive.succeed("log", "--json", "/내 드라이브/문서/보고서 2026.txt").jsonObjects().count == 2)

        // Refused without --force, replaced with it.
        try drive.run("get", "/내 드라이브", "restored").expectFailure(ExitStatus.alreadyExists, mentioning: ["restored"])
        try drive.succeed("get", "/내 드라이브", "restored", "--force")
        #expect(try Self.tree(drive.local("restored")) == Self.tree(drive.local("tree")))
        try drive.succeed("verify")
    }

    @Test func getRefusesAnExistingLocalFileUnlessForced() throws {
        let drive = try TemporaryDrive()
        try drive.write("a.txt", "from the drive\n")
        try drive.succeed("put", "a.txt", "/a.txt")
        try drive.write("local.txt", "precious\n")

        try drive.run("get", "/a.txt", "local.txt").expectFailure(ExitStatus.alreadyExists, mentioning: ["local.txt", "--force"])
        #expect(try drive.read("local.txt") == Data("precious\n".utf8))

        let forced = try drive.succeed("get", "/a.txt", "local.txt", "--force")
        #expect(forced.stdout == drive.local("local.txt").path + ": 1 file, 15 B\n")
        #expect(try drive.read("local.txt") == Data("from the drive\n".utf8))
        #expect(Self.leftoverTemporaries(drive.work).isEmpty)
    }

    @Test func defaultDestinationsAndTheStoreOption() throws {
        let drive = try TemporaryDrive()
        try drive.write("회의록.txt", "회의 내용\n")
        #expect(try drive.succeed("put", "회의록.txt").stdout.hasPrefix("/회의록.txt: 1 stored"))
        try FileManager.default.removeItem(at: drive.local("회의록.txt"))
        try drive.succeed("get", "/회의록.txt")
        #expect(try drive.read("회의록.txt") == Data("회의 내용\n".utf8))

        // --store before or after the command name, with no CAIRN_STORE.
        let noEnvironment: [String: String?] = ["CAIRN_STORE": nil]
        let before = try drive.run(["--store", drive.store.path, "ls"], environment: noEnvironment)
        let after = try drive.run(["ls", "--store", drive.store.path], environment: noEnvironment)
        before.expectSuccess()
        after.expectSuccess()
        #expect(before.stdout == "회의록.txt\n" && after.stdout == before.stdout)
        // Without either, the default store under $XDG_DATA_HOME is used (and is empty).
        let fallback = try drive.run(["ls"], environment: noEnvironment)
        fallback.expectSuccess()
        #expect(fallback.stdout.isEmpty)
        #expect(FileManager.default.fileExists(atPath: drive.root.appendingPathComponent("home/data/cairn/meta.sqlite").path))
    }

    @Test func mkdirMoveRemoveAndTrash() throws {
        let drive = try TemporaryDrive()
        try drive.write("파일.txt", "내용\n")
        #expect(try drive.succeed("mkdir", "/작업").stdout.isEmpty)
        try drive.run("mkdir", "/x/y/z").expectFailure(ExitStatus.notFound, mentioning: ["/x/y"])
        try drive.succeed("mkdir", "-p", "/x/y/z")
        try drive.succeed("mkdir", "-p", "/x/y/z")
        try drive.succeed("put", "파일.txt", "/작업/파일.txt")

        try drive.succeed("mv", "/작업/파일.txt", "/작업/새 이름.txt")
        #expect(try drive.succeed("ls", "/작업").stdout == "새 이름.txt\n")
        try drive.succeed("mv", "/작업/새 이름.txt", "/x")
        #expect(try drive.succeed("ls", "/x").stdoutLines == ["y/", "새 이름.txt"])
        try drive.succeed("mv", "/x", "/작업")
        #expect(try drive.succeed("ls", "/작업/x").stdoutLines == ["y/", "새 이름.txt"])
        #expect(try drive.succeed("cat", "/작업/x/새 이름.txt").stdout == "내용\n")

        // rm moves to the trash; trash restore puts it back where it was.
        try drive.succeed("rm", "/작업/x/새 이름.txt", "/작업/x/y")
        #expect(try drive.succeed("ls", "/작업/x").stdout.isEmpty)
        #expect(Set(try drive.succeed("trash", "list", "--json").jsonObjects().compactMap { $0["path"] as? String })
            == ["/작업/x/새 이름.txt", "/작업/x/y"])
        #expect(try drive.succeed("trash").stdoutLines.count == 2)
        try drive.succeed("trash", "restore", "/작업/x/y")
        #expect(try drive.succeed("ls", "/작업/x/y").stdout == "z/\n")
        try drive.succeed("trash", "restore", "/작업/x/새 이름.txt")
        #expect(try drive.succeed("cat", "/작업/x/새 이름.txt").stdout == "내용\n")

        // Emptying the trash purges for good and frees the blocks nothing else uses.
        try drive.succeed("rm", "/작업")
        #expect(try drive.succeed("ls").stdout == "")
        #expect(try drive.succeed("trash", "empty").stdout == "purged 5 items\n")
        #expect(try drive.succeed("trash", "list", "--json").jsonObjects().isEmpty)
        let stats = try drive.succeed("stats", "--json").jsonObject()
        #expect(stats["blocks"] as? Int == 0 && stats["logicalBytes"] as? Int == 0, "\(stats)")
        try drive.run("trash", "restore", "/작업").expectFailure(ExitStatus.notFound, mentioning: ["/작업"])
        try drive.succeed("verify")
    }

    @Test func gcKeepsBlocksOfLiveTrashedAndOldVersions() throws {
        let drive = try TemporaryDrive()
        try drive.write("keep.txt", "version one\n")
        try drive.write("trashed.txt", "in the trash\n")
        try drive.succeed("put", "keep.txt")
        try drive.succeed("put", "trashed.txt")
        try drive.write("keep.txt", "version two\n")
        try drive.succeed("put", "keep.txt")
        try drive.succeed("rm", "/trashed.txt")

        #expect(try drive.succeed("gc").stdout.hasPrefix("removed 0 blocks"))
        #expect(try drive.succeed("verify").stdout.hasPrefix("ok: 3 blocks"))
        #expect(try drive.succeed("cat", "/keep.txt", "--version", "1").stdout == "version one\n")
        try drive.succeed("trash", "restore", "/trashed.txt")
        #expect(try drive.succeed("cat", "/trashed.txt").stdout == "in the trash\n")
    }

    /// cat streams block by block (issue 10): a file of a hundred-odd blocks comes out whole and
    /// in order.
    @Test func catOfAFileOfManyBlocks() throws {
        let drive = try TemporaryDrive(initArguments: ["--chunk-min", "2048", "--chunk-avg", "8192", "--chunk-max", "32768"])
        let text = (0..<40_000).map { "line \($0) of a long text file\n" }.joined()
        try drive.write("long.txt", text)
        try drive.succeed("put", "long.txt", "/long.txt")
        let result = try drive.succeed("cat", "/long.txt")
        #expect(result.stdout.utf8.count == text.utf8.count)
        #expect(result.stdout == text)
    }

    /// gc prunes the files cache and the journal and says so, in words and in JSON (issue 10).
    @Test func gcPrunesTheFilesCacheAndTheJournal() throws {
        let drive = try TemporaryDrive()
        for name in ["a", "b", "c"] {
            try drive.write("\(name).txt", "\(name)\n")
            try drive.succeed("put", "\(name).txt")
        }
        try FileManager.default.removeItem(at: drive.local("b.txt"))
        let first = try drive.succeed("gc", "--json").jsonObject()
        #expect(first["localFilesRemoved"] as? Int == 1, "\(first)")
        #expect(first["journalEntriesRemoved"] as? Int == 0, "\(first)")
        #expect(first["blocksRemoved"] as? Int == 0, "\(first)")

        let all = try drive.succeed("gc", "--journal-days", "0", "--journal-entries", "1", "--json").jsonObject()
        // The user added on first use and three puts: all but the newest go.
        #expect(all["journalEntriesRemoved"] as? Int == 3, "\(all)")
        #expect(all["localFilesRemoved"] as? Int == 0, "\(all)")

        let text = try drive.succeed("gc")
        #expect(text.stdoutLines.last == "pruned 0 journal entries and 0 files-cache records", "\(text)")
        try drive.run("gc", "--journal-entries", "0").expectFailure(ExitStatus.invalidArgument, mentioning: ["journal"])
        #expect(try drive.succeed("cat", "/a.txt").stdout == "a\n")
    }
}
