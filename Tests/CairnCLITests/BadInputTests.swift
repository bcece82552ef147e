import DriveEngine
import Foundation
import Testing

/// One command that must be refused: its exit code and what its one stderr line must name.
struct RefusedCommand: Sendable, CustomTestStringConvertible {
    var label: String
    var arguments: [String]
    var code: Int32
    var mentions: [String] = []
    var testDescription: String { label }
}

/// Bad input (issue 2, "Must show"): each a clear one-line error with a documented exit code,
/// nothing on stdout, and nothing changed in the store or in the local folder.
@Suite struct BadInputTests {
    static let longName = String(repeating: "n", count: 256)
    /// 86 Hangul syllables: 86 characters but 258 UTF-8 bytes.
    static let longKoreanName = String(repeating: "한", count: 86)

    static let cases: [RefusedCommand] = [
        // Missing local path.
        .init(label: "put a missing local file", arguments: ["put", "missing.txt", "/m.txt"], code: ExitStatus.notFound, mentions: ["missing.txt"]),
        .init(label: "put a missing local path below a missing folder", arguments: ["put", "no/such/dir"], code: ExitStatus.notFound,
              mentions: ["no/such/dir"]),
        // Drive paths that do not exist.
        .init(label: "get an unknown drive path", arguments: ["get", "/nope.txt", "nope.txt"], code: ExitStatus.notFound, mentions: ["/nope.txt"]),
        .init(label: "get an unknown version", arguments: ["get", "/a.txt", "v9.txt", "--version", "9"], code: ExitStatus.notFound,
              mentions: ["/a.txt"]),
        .init(label: "ls an unknown folder", arguments: ["ls", "/docs/nope"], code: ExitStatus.notFound, mentions: ["/docs/nope"]),
        .init(label: "log an unknown file", arguments: ["log", "/nope.txt"], code: ExitStatus.notFound, mentions: ["/nope.txt"]),
        .init(label: "cat an unknown file", arguments: ["cat", "/nope.txt"], code: ExitStatus.notFound, mentions: ["/nope.txt"]),
        .init(label: "rm an unknown file", arguments: ["rm", "/nope.txt"], code: ExitStatus.notFound, mentions: ["/nope.txt"]),
        .init(label: "mv an unknown file", arguments: ["mv", "/nope.txt", "/x.txt"], code: ExitStatus.notFound, mentions: ["/nope.txt"]),
        .init(label: "mv into a missing folder", arguments: ["mv", "/a.txt", "/nowhere/a.txt"], code: ExitStatus.notFound, mentions: ["/nowhere"]),
        .init(label: "mkdir below a missing folder", arguments: ["mkdir", "/nowhere/x"], code: ExitStatus.notFound, mentions: ["/nowhere"]),
        .init(label: "restore an unknown version", arguments: ["restore", "/a.txt", "--version", "9"], code: ExitStatus.notFound,
              mentions: ["/a.txt"]),
        .init(label: "pin an unknown version", arguments: ["pin", "/a.txt", "--version", "9"], code: ExitStatus.notFound, mentions: ["/a.txt"]),
        .init(label: "unpin an unknown file", arguments: ["unpin", "/nope.txt", "--version", "1"], code: ExitStatus.notFound,
              mentions: ["/nope.txt"]),
        .init(label: "trash restore what is not in the trash", arguments: ["trash", "restore", "/a.txt"], code: ExitStatus.notFound,
              mentions: ["/a.txt"]),
        .init(label: "act as an unknown user", arguments: ["--user", "nobody", "ls"], code: ExitStatus.notFound, mentions: ["nobody"]),
        // '..' and '.' in names.
        .init(label: "put to a path with '..'", arguments: ["put", "local.txt", "/docs/../a.txt"], code: ExitStatus.invalidArgument,
              mentions: ["'..'"]),
        .init(label: "put to a path with '.'", arguments: ["put", "local.txt", "/docs/./x.txt"], code: ExitStatus.invalidArgument, mentions: ["'.'"]),
        .init(label: "get a path with '..'", arguments: ["get", "/../a.txt", "x.txt"], code: ExitStatus.invalidArgument, mentions: ["'..'"]),
        .init(label: "mkdir '..'", arguments: ["mkdir", "/docs/.."], code: ExitStatus.invalidArgument, mentions: ["'..'"]),
        .init(label: "mv to '..'", arguments: ["mv", "/a.txt", "/docs/.."], code: ExitStatus.invalidArgument, mentions: ["'..'"]),
        .init(label: "ls '..'", arguments: ["ls", "/.."], code: ExitStatus.invalidArgument, mentions: ["'..'"]),
        .init(label: "rm '..'", arguments: ["rm", "/docs/.."], code: ExitStatus.invalidArgument, mentions: ["'..'"]),
        // Names over 255 bytes.
        .init(label: "put to a 256-byte name", arguments: ["put", "local.txt", "/" + longName], code: ExitStatus.invalidArgument,
              mentions: ["256 bytes", "255"]),
        .init(label: "put to an 86-syllable Korean name (258 bytes)", arguments: ["put", "local.txt", "/docs/" + longKoreanName],
              code: ExitStatus.invalidArgument, mentions: ["258 bytes", "255"]),
        .init(label: "mkdir a 256-byte name", arguments: ["mkdir", "/docs/" + longName], code: ExitStatus.invalidArgument, mentions: ["255"]),
        .init(label: "mv to a 256-byte name", arguments: ["mv", "/a.txt", "/" + longName], code: ExitStatus.invalidArgument, mentions: ["255"]),
        // Kinds that do not fit.
        .init(label: "put a folder onto a file", arguments: ["put", "folder", "/a.txt"], code: ExitStatus.invalidArgument, mentions: ["/a.txt"]),
        .init(label: "put a file onto a folder", arguments: ["put", "local.txt", "/docs"], code: ExitStatus.invalidArgument, mentions: ["/docs"]),
        .init(label: "put a file below a file", arguments: ["put", "local.txt", "/a.txt/inner.txt"], code: ExitStatus.invalidArgument,
              mentions: ["/a.txt"]),
        .init(label: "put a file onto the root", arguments: ["put", "local.txt", "/"], code: ExitStatus.invalidArgument),
        .init(label: "log a folder", arguments: ["log", "/docs"], code: ExitStatus.invalidArgument, mentions: ["/docs"]),
        .init(label: "get a folder with --version", arguments: ["get", "/docs", "d", "--version", "1"], code: ExitStatus.invalidArgument,
              mentions: ["/docs"]),
        .init(label: "get the root without a local path", arguments: ["get", "/"], code: ExitStatus.invalidArgument),
        .init(label: "mv a folder into itself", arguments: ["mv", "/docs", "/docs/inner"], code: ExitStatus.invalidArgument, mentions: ["/docs"]),
        .init(label: "rm the root", arguments: ["rm", "/"], code: ExitStatus.invalidArgument),
        .init(label: "user add with a bad name", arguments: ["user", "add", "bad name"], code: ExitStatus.invalidArgument, mentions: ["bad name"]),
        .init(label: "user add with a bad email", arguments: ["user", "add", "bob", "--email", "not-an-email"], code: ExitStatus.invalidArgument,
              mentions: ["not-an-email"]),
        // Sizes whose bytes do not fit in 64 bits (the multiplication used to trap).
        .init(label: "user quota that overflows", arguments: ["user", "quota", "tester", "8388608T"], code: ExitStatus.invalidArgument,
              mentions: ["8388608T", "too large"]),
        .init(label: "user add with a quota that overflows", arguments: ["user", "add", "bob", "--quota", "9999999999G"],
              code: ExitStatus.invalidArgument, mentions: ["9999999999G", "too large"]),
        .init(label: "user quota with too many digits", arguments: ["user", "quota", "tester", "99999999999999999999T"],
              code: ExitStatus.invalidArgument, mentions: ["99999999999999999999T"]),
        // Things that exist already.
        .init(label: "get onto an existing local file without --force", arguments: ["get", "/a.txt", "existing.txt"],
              code: ExitStatus.alreadyExists, mentions: ["existing.txt", "--force"]),
        .init(label: "get a folder onto an existing local folder without --force", arguments: ["get", "/docs", "localdir"],
              code: ExitStatus.alreadyExists, mentions: ["localdir", "--force"]),
        .init(label: "get a file onto a local folder even with --force", arguments: ["get", "/a.txt", "localdir", "--force"],
              code: ExitStatus.alreadyExists, mentions: ["localdir"]),
        .init(label: "get into a missing local folder", arguments: ["get", "/a.txt", "no/such/dir/a.txt"], code: ExitStatus.notFound,
              mentions: ["no/such/dir"]),
        .init(label: "mkdir an existing file", arguments: ["mkdir", "/a.txt"], code: ExitStatus.alreadyExists, mentions: ["/a.txt"]),
        .init(label: "mkdir an existing folder", arguments: ["mkdir", "/docs"], code: ExitStatus.alreadyExists, mentions: ["/docs"]),
        .init(label: "mv onto an existing file", arguments: ["mv", "/a.txt", "/docs/메모.txt"], code: ExitStatus.alreadyExists,
              mentions: ["/docs/메모.txt"]),
        .init(label: "user add an existing user", arguments: ["user", "add", "tester"], code: ExitStatus.alreadyExists, mentions: ["tester"]),
        .init(label: "init over an existing store", arguments: ["init"], code: ExitStatus.alreadyExists),
    ]

    /// A drive holding /a.txt and /docs/메모.txt, and local files to put and to collide with.
    static func fixture() throws -> TemporaryDrive {
        let drive = try TemporaryDrive()
        try drive.write("a.txt", "drive copy of a\n")
        try drive.write("메모.txt", "메모 내용\n")
        try drive.succeed("put", "a.txt", "/a.txt")
        try drive.succeed("mkdir", "/docs")
        try drive.succeed("put", "메모.txt", "/docs/메모.txt")
        try FileManager.default.removeItem(at: drive.local("a.txt"))
        try FileManager.default.removeItem(at: drive.local("메모.txt"))
        try drive.write("local.txt", "a local file\n")
        try drive.write("folder/inside.txt", "inside a local folder\n")
        try drive.write("existing.txt", "precious local data\n")
        try drive.write("localdir/keep.txt", "keep me\n")
        return drive
    }

    @Test(arguments: cases)
    func refusedWithOneLineAndNothingChanged(_ command: RefusedCommand) throws {
        let drive = try Self.fixture()
        let storeBefore = try drive.snapshot()
        let localBefore = try localState(drive)
        let result = try drive.run(command.arguments)
        result.expectFailure(command.code, mentioning: command.mentions)
        #expect(try drive.snapshot() == storeBefore, "the store changed after: \(result)")
        #expect(try localState(drive) == localBefore, "the local folder changed after: \(result)")
    }

    /// The comparison above means something: a command that does change the store changes the snapshot.
    @Test func snapshotNoticesEveryKindOfChange() throws {
        let drive = try Self.fixture()
        var last = try drive.snapshot()
        for command in [["mkdir", "/docs/new"], ["put", "local.txt", "/a.txt"], ["pin", "/a.txt", "--version", "1"], ["rm", "/docs/new"]] {
            try drive.run(command).expectSuccess()
            let now = try drive.snapshot()
            #expect(now != last, "snapshot missed: cairn \(command.joined(separator: " "))")
            last = now
        }
    }

    /// Root reads any file, so this runs only as an unprivileged user.
    @Test(.enabled(if: getuid() != 0, "root can read a mode-000 file"))
    func unreadableLocalFileIsRefusedAndNothingStored() throws {
        let drive = try Self.fixture()
        let secret = try drive.write("folder/secret.txt", "no reading\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o000], ofItemAtPath: secret.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: secret.path) }
        let before = try drive.snapshot()
        try drive.run("put", "folder/secret.txt", "/secret.txt").expectFailure(ExitStatus.permissionDenied, mentioning: ["secret.txt"])
        try drive.run("put", "folder", "/folder").expectFailure(ExitStatus.permissionDenied, mentioning: ["secret.txt"])
        #expect(try drive.snapshot() == before)
    }

    /// A NUL byte cannot reach `cairn` through argv (C strings end at it) and no local file name
    /// can hold one, so the path parser every command uses is checked directly.
    @Test func nulInANameIsRefusedByThePathParser() throws {
        #expect {
            _ = try DrivePath("/docs/a\u{0}b.txt", operation: "put")
        } throws: { error in
            (error as? DriveError)?.code == .invalidArgument && "\(error)".contains("NUL")
        }
        #expect(throws: DriveError.self) { _ = try DrivePath.validName("a\u{0}b", operation: "mkdir") }
    }

    /// 85 Hangul syllables are exactly 255 UTF-8 bytes: the limit counts bytes and includes 255.
    @Test func nameOfExactly255BytesIsAccepted() throws {
        let drive = try TemporaryDrive()
        let name = String(repeating: "한", count: 85)
        #expect(name.utf8.count == 255)
        try drive.write("local.txt", "x")
        try drive.succeed("put", "local.txt", "/" + name)
        let listing = try drive.succeed("ls", "--json").jsonObjects()
        #expect(listing.map { $0["name"] as? String } == [name])
    }

    /// Every file below the working folder with its content: a refused get must leave it alone.
    func localState(_ drive: TemporaryDrive) throws -> [String: Data] {
        var state: [String: Data] = [:]
        let files = FileManager.default.enumerator(atPath: drive.work.path)?.allObjects as? [String] ?? []
        for file in files {
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: drive.local(file).path, isDirectory: &isFolder)
            state[file] = isFolder.boolValue ? Data("folder".utf8) : try drive.read(file)
        }
        return state
    }
}
