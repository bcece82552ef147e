import ArgumentParser
import DriveEngine
import Foundation

struct Put: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Store a local file or folder in the drive.",
        discussion: """
            Putting over an existing file makes a new version. Large files upload through a \
            resumable session: run the same command again after an interruption to continue. \
            Re-putting a folder reads only files whose size or mtime changed. Symbolic links are \
            stored as links (their target text), never followed. A local file edited \
            from a version that is no longer the head (someone else's edit got there first) is \
            refused with exit 5, unless --keep-conflict keeps it as a conflict version beside the \
            head (see 'cairn conflicts' and 'cairn resolve') or --force makes it the head.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Local file or folder.") var local: String
    @Argument(help: "Drive path it becomes (default: /<basename>).") var dest: String?
    @Flag(help: "Make a locally edited file the head even if the drive moved on since you got it.") var force = false
    @Flag(help: "Keep a locally edited file whose base is no longer the head as a conflict version to resolve later.")
    var keepConflict = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        if force && keepConflict { throw ValidationError("--force and --keep-conflict cannot be used together") }
    }

    func run() throws {
        try global.run { context in
            let session = try context.session()
            let progress = ProgressLine("put")
            let report = try session.put(local: local, to: dest, onStale: force ? .replace : keepConflict ? .keepConflict : .refuse,
                                         options: progress.options)
            progress.finish()
            if json {
                try Output.json(PutJSON(report))
                return
            }
            if let resumed = report.resumedAt { Output.line("resumed at \(Output.bytes(resumed))") }
            var parts = ["\(report.filesStored) stored"]
            if report.filesUnchanged > 0 { parts.append("\(report.filesUnchanged) unchanged") }
            if report.filesSkipped > 0 { parts.append("\(report.filesSkipped) skipped (not modified)") }
            if !report.conflicts.isEmpty { parts.append("\(report.conflicts.count) kept as conflicts") }
            Output.line("\(Output.escaped(report.destination.description)): \(parts.joined(separator: ", ")); \(Output.bytes(report.bytesRead)) read, \(report.newBlocks) new blocks, \(report.sharedBlocks) shared")
            for path in report.skippedPaths {
                Output.error("cairn: put: skipped \(path): not a regular file, folder or link with a UTF-8 target")
            }
            for path in report.temporaryPaths {
                Output.error("cairn: put: skipped \(path): left by a get or sync that was killed midway; delete it")
            }
            for path in report.conflicts {
                Output.error("cairn: put: \(Output.escaped(path.description)): kept as a conflict version beside the head; "
                             + "resolve it with 'cairn resolve \(Output.escaped(path.description)) --keep mine|theirs|both'")
            }
        }
    }
}

struct PutJSON: Encodable {
    var destination: String
    var filesStored, filesUnchanged, filesSkipped, foldersCreated, newBlocks, sharedBlocks: Int
    var bytesRead: Int64
    @NullWhenAbsent var resumedAt: Int64?
    var skippedPaths: [String]
    var temporaryPaths: [String]
    var conflicts: [String]
    init(_ r: PutReport) {
        destination = r.destination.description
        filesStored = r.filesStored
        filesUnchanged = r.filesUnchanged
        filesSkipped = r.filesSkipped
        foldersCreated = r.foldersCreated
        newBlocks = r.newBlocks
        sharedBlocks = r.sharedBlocks
        bytesRead = r.bytesRead
        resumedAt = r.resumedAt
        skippedPaths = r.skippedPaths
        temporaryPaths = r.temporaryPaths
        conflicts = r.conflicts.map(\.description)
    }
}

struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a drive file or folder to the local disk.",
        discussion: """
            Refuses to replace an existing local file or folder unless --force. Writes are atomic. \
            A symbolic link is written as a link to its stored target.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path.") var path: String
    @Argument(help: "Local path it becomes (default: ./<basename>).") var local: String?
    @Option(parsing: .unconditional, help: "Write this version instead of the head.") var version: Int?
    @Flag(help: "Replace an existing local file or folder.") var force = false

    func validate() throws { try VersionNumber.check(version) }

    func run() throws {
        try global.run { context in
            let progress = ProgressLine("get")
            let report = try context.session().get(path, to: local, version: version, force: force, options: progress.options)
            progress.finish()
            Output.line("\(Output.escaped(report.destination)): \(report.files) file\(report.files == 1 ? "" : "s"), \(Output.bytes(report.bytesWritten))")
        }
    }
}

struct Cat: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a file's content to stdout.",
        discussion: "Streams block by block: memory stays small whatever the file's size.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path of a file.") var path: String
    @Option(parsing: .unconditional, help: "Print this version instead of the head.") var version: Int?

    func validate() throws { try VersionNumber.check(version) }

    func run() throws {
        try global.run { context in
            let stdout = FileHandle.standardOutput
            try context.session().stream(path, version: version) { block in try stdout.write(contentsOf: block) }
        }
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a folder.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path (default: /).") var path = "/"
    @Flag(name: .short, help: "Long listing: kind (file, folder or link), size, modified, by, versions.") var long = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try global.run { context in
            let entries = try context.session().list(path)
            if json {
                try Output.json(entries.map(EntryJSON.init))
                return
            }
            for entry in entries {
                let item = entry.item
                var name = Output.escaped(item.name) + (item.isFolder ? "/" : "")
                if let target = entry.linkTarget { name += " -> " + Output.escaped(target) }
                if long {
                    let size = item.isFolder ? "-" : Output.bytes(item.size)
                    let kind = entry.isLink ? "link" : item.kind.rawValue
                    Output.line([kind.padding(toLength: 6, withPad: " ", startingAt: 0),
                                 size.leftPadded(10), Output.date(item.modifiedAt), Output.escaped(entry.modifiedByName).padding(toLength: 10, withPad: " ", startingAt: 0),
                                 String(item.versionCount).leftPadded(4), name].joined(separator: "  "))
                } else {
                    Output.line(name)
                }
            }
        }
    }
}

struct EntryJSON: Encodable {
    var name: String
    var path: String
    var kind: String
    var size: Int64
    var modified: Date
    var modifiedBy: String
    var versions: Int
    /// The target of a file whose head version is a symbolic link; null for anything else.
    @NullWhenAbsent var linkTarget: String?
    init(_ entry: Entry) {
        name = entry.item.name
        path = entry.path.description
        kind = entry.item.kind.rawValue
        size = entry.item.size
        modified = entry.item.modifiedAt
        modifiedBy = entry.modifiedByName
        versions = entry.item.versionCount
        linkTarget = entry.linkTarget
    }
}

extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

struct MakeFolder: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "mkdir", abstract: "Make a folder.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path.") var path: String
    @Flag(name: .short, help: "Make missing parent folders too; an existing folder is fine.") var parents = false

    func run() throws {
        try global.run { context in _ = try context.session().makeFolder(path, parents: parents) }
    }
}

struct Move: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mv", abstract: "Rename or move a file or folder (into DST when it is a folder).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path.") var source: String
    @Argument(help: "New drive path, or an existing folder.") var destination: String

    func run() throws {
        try global.run { context in _ = try context.session().move(source, to: destination) }
    }
}

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rm", abstract: "Move files or folders to the trash.",
        discussion: "Every path is checked first: if any is missing, the root, or not yours to delete, nothing is moved.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive paths.") var paths: [String]

    func run() throws {
        try global.run { context in
            let session = try context.session()
            for path in try Self.checked(paths, session) { try session.trash(path.description) }
        }
    }

    /// The paths to trash, each checked before anything changes: it parses, is not the root,
    /// exists for this user and their role allows deleting it. Repeats, and paths inside
    /// another one given (they go to the trash with it), are dropped.
    static func checked(_ texts: [String], _ session: DriveSession) throws -> [DrivePath] {
        let untouched = texts.count > 1 ? "nothing was moved to the trash" : ""
        func failing(_ error: DriveError) -> DriveError {
            var error = error
            error.operation = "rm"
            if !untouched.isEmpty { error.hint = error.hint.isEmpty ? untouched : "\(error.hint); \(untouched)" }
            return error
        }
        var paths: [DrivePath] = []
        do {
            for text in texts {
                let path = try DrivePath(text, operation: "rm")
                if path.isRoot { throw DriveError(.invalidArgument, "rm", "/", "the root folder cannot be removed") }
                _ = try session.item(at: path.description)
                if let (needed, role) = try missingRole(path, session) {
                    throw DriveError(.permissionDenied, "rm", path.description, "this needs the \(needed.rawValue) role; you are a \(role.rawValue)",
                                     hint: "ask its owner for access")
                }
                paths.append(path)
            }
        } catch let error as DriveError {
            throw failing(error)
        }
        let unique = Set(paths)
        return paths.enumerated().filter { index, path in
            paths.firstIndex(of: path) == index && !unique.contains { $0 != path && path.isWithin($0) }
        }.map(\.element)
    }

    /// Below /shared, the role deleting `path` needs when this user's role there is less
    /// (the top of a share needs its owner; anything below it an editor); nil when allowed.
    private static func missingRole(_ path: DrivePath, _ session: DriveSession) throws -> (needed: Role, role: Role)? {
        guard path.components.first == DriveSession.sharedRoot, path.components.count >= 2 else { return nil }
        let needed: Role = path.components.count == 2 ? .owner : .editor
        let entry = try session.list(path.parent.description).first { $0.item.name == path.name }
        guard let role = entry?.role else { return nil }
        return role < needed ? (needed, role) : nil
    }
}

struct TrashCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trash", abstract: "List, restore or empty the trash.",
        subcommands: [ListTrash.self, RestoreTrash.self, PurgeTrash.self, EmptyTrash.self], defaultSubcommand: ListTrash.self)

    struct ListTrash: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the trash, most recent first.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let entries = try context.session().trashList()
                if json {
                    try Output.json(entries.map(TrashJSON.init))
                    return
                }
                for entry in entries {
                    Output.line("\(Output.date(entry.item.trashedAt ?? entry.item.modifiedAt))  \(Output.escaped(entry.path.description))\(entry.item.isFolder ? "/" : "")")
                }
            }
        }
    }

    struct RestoreTrash: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "restore", abstract: "Put a trashed item back where it was.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The path it had (see 'cairn trash list').") var path: String

        func run() throws {
            try global.run { context in _ = try context.session().untrash(path) }
        }
    }

    struct PurgeTrash: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "purge", abstract: "Delete one trashed item for good.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The path it had (see 'cairn trash list').") var path: String

        func run() throws {
            try global.run { context in try context.session().purge(path) }
        }
    }

    struct EmptyTrash: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "empty", abstract: "Delete everything in the trash for good.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try global.run { context in
                let count = try context.session().emptyTrash()
                Output.line("purged \(count) item\(count == 1 ? "" : "s")")
            }
        }
    }
}

struct TrashJSON: Encodable {
    var name: String
    var path: String
    var kind: String
    var size: Int64
    @NullWhenAbsent var trashedAt: Date?
    init(_ entry: Entry) {
        name = entry.item.name
        path = entry.path.description
        kind = entry.item.kind.rawValue
        size = entry.item.size
        trashedAt = entry.item.trashedAt
    }
}
