import Foundation
import Testing

/// Guards around commands: several paths are checked before any changes, init makes the user it
/// is asked for, an explicit store is never made by accident, names cannot drive the terminal,
/// and usage mistakes name the command to get help on.
@Suite struct CommandGuardTests {
    // MARK: rm with several paths

    /// A drive with /a.txt, /b.txt and /docs/c.txt.
    private func threeFiles(user: String = "tester") throws -> TemporaryDrive {
        let drive = try TemporaryDrive(user: user)
        try drive.write("local.txt", "x\n")
        try drive.succeed("put", "local.txt", "/a.txt")
        try drive.succeed("put", "local.txt", "/b.txt")
        try drive.succeed("mkdir", "/docs")
        try drive.succeed("put", "local.txt", "/docs/c.txt")
        return drive
    }

    @Test(arguments: [
        (["rm", "/a.txt", "/nope", "/b.txt"], ExitStatus.notFound, "/nope"),
        (["rm", "/a.txt", "/b.txt", "/docs/nope.txt"], ExitStatus.notFound, "/docs/nope.txt"),
        (["rm", "/a.txt", "/"], ExitStatus.invalidArgument, "root"),
        (["rm", "/a.txt", "/docs/.."], ExitStatus.invalidArgument, "'..'"),
    ])
    func rmChangesNothingWhenAnyPathIsWrong(_ arguments: [String], _ code: Int32, _ mention: String) throws {
        let drive = try threeFiles()
        let before = try drive.snapshot()
        let result = try drive.run(arguments)
        result.expectFailure(code, mentioning: ["rm ", mention])
        #expect(try drive.snapshot() == before)
        #expect(try drive.succeed("trash", "list").stdout.isEmpty)
    }

    @Test func rmOfSeveralPathsSaysNothingWasMoved() throws {
        let drive = try threeFiles()
        let result = try drive.run("rm", "/a.txt", "/nope", "/b.txt")
        result.expectFailure(ExitStatus.notFound, mentioning: ["rm /nope: ", "nothing was moved to the trash"])
    }

    @Test func rmOfRepeatedAndNestedPathsTrashesEachOnce() throws {
        let drive = try threeFiles()
        try drive.succeed("rm", "/a.txt", "/a.txt", "/docs", "/docs/c.txt", "b.txt")
        #expect(try drive.succeed("ls").stdout.isEmpty)
        let trashed = try drive.succeed("trash", "list", "--json").jsonObjects().compactMap { $0["path"] as? String }
        #expect(trashed.sorted() == ["/a.txt", "/b.txt", "/docs"])
    }

    @Test func rmChecksRolesOfEveryPathFirst() throws {
        let drive = try threeFiles(user: "alice")
        try drive.succeed("user", "add", "bob")
        try drive.succeed("share", "/docs", "--with", "bob", "--role", "editor")
        let before = try drive.snapshot()
        // bob may delete /shared/docs/c.txt (editor) but not the share itself (owner only).
        let result = try drive.run("--user", "bob", "rm", "/shared/docs/c.txt", "/shared/docs")
        result.expectFailure(ExitStatus.permissionDenied, mentioning: ["/shared/docs", "owner"])
        #expect(try drive.snapshot() == before)
        try drive.succeed("--user", "bob", "rm", "/shared/docs/c.txt")
    }

    // MARK: init and the first user

    @Test func initWithAnExplicitUserMakesThatUserFirst() throws {
        let drive = try TemporaryDrive()
        let store = drive.root.appendingPathComponent("zed-store").path
        let made = try drive.run(["--store", store, "--user", "zed", "init"])
        made.expectSuccess()
        #expect(made.stdout == "created store \(store) for user zed\n")
        let users = try drive.succeed("--store", store, "--user", "zed", "user", "list", "--json").jsonObjects()
        #expect(users.compactMap { $0["name"] as? String } == ["zed"])
        try drive.succeed("--store", store, "--user", "zed", "mkdir", "/mine")
    }

    @Test func aCommandNeverAddsTheLoginUserToAStoreMadeForOthers() throws {
        let drive = try TemporaryDrive()
        let store = drive.root.appendingPathComponent("zed-only").path
        try drive.succeed("--store", store, "--user", "zed", "init")
        let asAlice: [String: String?] = ["USER": "alice", "CAIRN_USER": nil, "CAIRN_STORE": store]
        let listed = try drive.run(["user", "list"], environment: asAlice)
        listed.expectFailure(ExitStatus.notFound, mentioning: ["user alice: no such user in this store", "--user NAME (one of zed)"])
        let users = try drive.succeed("--store", store, "--user", "zed", "user", "list", "--json").jsonObjects()
        #expect(users.compactMap { $0["name"] as? String } == ["zed"])
    }

    @Test func initTakesTheUserFromCairnUser() throws {
        let drive = try TemporaryDrive()
        let store = drive.root.appendingPathComponent("env-store").path
        let made = try drive.run(["init"], environment: ["CAIRN_STORE": store, "CAIRN_USER": "민지"])
        made.expectSuccess()
        #expect(made.stdout.hasSuffix("for user 민지\n"), "\(made)")
        let users = try drive.run(["user", "list", "--json"], environment: ["CAIRN_STORE": store, "CAIRN_USER": "민지"])
        #expect(try users.jsonObjects().compactMap { $0["name"] as? String } == ["민지"])
    }

    @Test func initWithABadUserNameLeavesNoStore() throws {
        let drive = try TemporaryDrive()
        let store = drive.root.appendingPathComponent("bad-user-store")
        let result = try drive.run(["--store", store.path, "--user", "bad name", "init"])
        result.expectFailure(ExitStatus.invalidArgument, mentioning: ["bad name"])
        #expect(!FileManager.default.fileExists(atPath: store.path))
    }

    /// The CLI used to check a first user's name with a rule of its own that let dots-only names
    /// through, which the engine refuses: init then left a store behind with no user. One rule now.
    @Test(arguments: [".", "..", "..."])
    func initWithADotsOnlyUserNameLeavesNoStore(_ name: String) throws {
        let drive = try TemporaryDrive()
        let store = drive.root.appendingPathComponent("dots-user-store")
        let result = try drive.run(["--store", store.path, "--user", name, "init"])
        result.expectFailure(ExitStatus.invalidArgument, mentioning: ["user \(name):", "not only dots", "--user NAME"])
        #expect(!FileManager.default.fileExists(atPath: store.path))
    }

    // MARK: Explicit stores are never created by accident

    static let commandsOnAStore: [[String]] = [
        ["ls"], ["ls", "-l", "/"], ["put", "local.txt"], ["stats"], ["verify"], ["gc"], ["user", "list"], ["user", "add", "bob"],
        ["trash", "list"], ["shared"], ["log", "/a.txt"], ["mkdir", "/x"],
    ]

    @Test(arguments: commandsOnAStore)
    func anExplicitStoreThatDoesNotExistIsNotFound(_ command: [String]) throws {
        let drive = try TemporaryDrive()
        try drive.write("local.txt", "x\n")
        let missing = drive.root.appendingPathComponent("typo/deep").path
        let viaOption = try drive.run(["--store", missing] + command)
        viaOption.expectFailure(ExitStatus.notFound, mentioning: ["no store at \(missing)", "cairn --store \(missing) init"])
        #expect(viaOption.stderr == "cairn: no store at \(missing); create it with 'cairn --store \(missing) init'\n")
        let viaEnvironment = try drive.run(command, environment: ["CAIRN_STORE": missing])
        viaEnvironment.expectFailure(ExitStatus.notFound, mentioning: ["no store at \(missing)"])
        #expect(!FileManager.default.fileExists(atPath: drive.root.appendingPathComponent("typo").path))
        // An existing empty folder is no store either.
        let empty = drive.root.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try drive.run(["--store", empty.path] + command).expectFailure(ExitStatus.notFound, mentioning: ["no store at"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: empty.path).isEmpty)
    }

    @Test func initCreatesAnExplicitStoreAndThenItWorks() throws {
        let drive = try TemporaryDrive()
        let store = drive.root.appendingPathComponent("new/deep/store").path
        try drive.succeed("--store", store, "init")
        #expect(try drive.succeed("--store", store, "ls").stdout.isEmpty)
    }

    @Test func aStorePathThatIsAFileIsSaidPlainly() throws {
        let drive = try TemporaryDrive()
        let file = try drive.write("plain.txt", "not a store\n")
        for command in [["ls"], ["init"], ["stats"]] {
            let result = try drive.run(["--store", file.path] + command)
            result.expectFailure(ExitStatus.invalidArgument, mentioning: ["\(file.path) is a file, not a store folder"])
            #expect(!result.stderr.contains("could not be completed"), "\(result)")
        }
        let below = try drive.run(["--store", file.path + "/store", "init"])
        below.expectFailure(ExitStatus.invalidArgument, mentioning: ["is a file, not a store folder"])
        #expect(try drive.read("plain.txt") == Data("not a store\n".utf8))
    }

    // MARK: Control characters in names

    static let evilName = "evil\u{1B}]0;pwned\u{07}\u{1B}[31mred\nsecond\trow\u{7F}\u{85}end"
    static let evilShown = "evil\\e]0;pwned\\x07\\e[31mred\\nsecond\\trow\\x7f\\u{85}end"

    @Test func textOutputEscapesControlCharactersAndJSONKeepsThem() throws {
        let drive = try TemporaryDrive(user: "alice")
        try drive.succeed("user", "add", "bob")
        try drive.write("local.txt", "x\n")
        try drive.succeed("mkdir", "/" + Self.evilName)
        try drive.succeed("put", "local.txt", "/" + Self.evilName + "/" + Self.evilName)
        try drive.succeed("share", "/" + Self.evilName, "--with", "bob", "--role", "editor")

        let plain = try drive.succeed("ls")
        #expect(plain.stdout == Self.evilShown + "/\n")
        let long = try drive.succeed("ls", "-l", "/" + Self.evilName)
        #expect(long.stdoutLines.count == 1 && long.stdout.hasSuffix("  " + Self.evilShown + "\n"), "\(long)")
        let shared = try drive.succeed("--user", "bob", "shared").stdout
        #expect(shared.contains("  /shared/" + Self.evilShown + "/  from alice as editor\n"), "\(shared)")
        #expect(try drive.succeed("--user", "bob", "ls", "/shared").stdout == Self.evilShown + "/\n")
        try drive.write("local.txt", "y\n")
        let put = try drive.succeed("put", "local.txt", "/" + Self.evilName + "/" + Self.evilName)
        #expect(put.stdoutLines.count == 1 && put.stdout.hasPrefix("/\(Self.evilShown)/\(Self.evilShown): "), "\(put)")
        #expect(try drive.succeed("log", "/" + Self.evilName + "/" + Self.evilName).stdoutLines.count == 2)
        try drive.succeed("rm", "/" + Self.evilName)
        #expect(try drive.succeed("trash", "list").stdout.hasSuffix("  /" + Self.evilShown + "/\n"))

        for output in [plain.stdout, long.stdout, shared, put.stdout] {
            #expect(!output.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x7F || $0.value == 0x85 })
        }
        // JSON stays exact.
        let trash = try drive.succeed("trash", "list", "--json").jsonObjects()
        #expect(trash.first?["name"] as? String == Self.evilName)
        // An error naming such a path is still one line.
        let missing = try drive.run("cat", "/" + Self.evilName + "/nope")
        missing.expectFailure(ExitStatus.notFound, mentioning: [Self.evilShown])
    }

    // MARK: Usage mistakes

    @Test(arguments: [
        (["rmdir", "/docs"], "cairn: unknown command 'rmdir'; see 'cairn --help'\n"),
        (["--store", "/tmp/x", "--user", "me", "rmdir"], "cairn: unknown command 'rmdir'; see 'cairn --help'\n"),
        (["trash", "bogus"], "cairn: unknown command 'trash bogus'; see 'cairn trash --help'\n"),
    ])
    func unknownCommandsAreNamed(_ arguments: [String], _ stderr: String) throws {
        let drive = try TemporaryDrive()
        let before = try drive.snapshot()
        let result = try drive.run(arguments)
        result.expectFailure(ExitStatus.usage)
        #expect(result.stderr == stderr, "\(result)")
        #expect(try drive.snapshot() == before)
    }

    @Test(arguments: [
        ["get", "/a.txt", "copy.txt", "--version", "-1"], ["get", "/a.txt", "copy.txt", "--version", "0"], ["cat", "/a.txt", "--version", "-2"],
        ["restore", "/a.txt", "--version", "0"], ["pin", "/a.txt", "--version", "-1"], ["unpin", "/a.txt", "--version=-1"],
    ])
    func versionNumbersMustBePositive(_ arguments: [String]) throws {
        let drive = try threeFiles()
        let before = try drive.snapshot()
        let result = try drive.run(arguments)
        result.expectFailure(ExitStatus.usage, mentioning: ["--version must be a positive number", "see 'cairn \(arguments[0]) --help'"])
        #expect(try drive.snapshot() == before)
        #expect(!drive.exists("copy.txt"))
    }

    @Test(arguments: [
        (["ls", "--bogus"], "cairn ls --help"), (["trash", "purge"], "cairn trash purge --help"),
        (["user", "add"], "cairn user add --help"), (["--bogus"], "cairn --help"),
    ])
    func usageMistakesPointToTheCommandsHelp(_ arguments: [String], _ help: String) throws {
        let drive = try TemporaryDrive()
        let result = try drive.run(arguments)
        result.expectFailure(ExitStatus.usage, mentioning: ["(see '\(help)')"])
    }
}
