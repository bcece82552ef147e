import ArgumentParser
import DriveEngine
import Foundation

struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List a file's versions, newest first.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path of a file.") var path: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try global.run { context in
            let entries = try context.session().log(path)
            if json {
                try Output.json(entries.map(VersionJSON.init))
                return
            }
            for entry in entries {
                let v = entry.version
                let content = v.linkTarget.map { "link -> " + Output.escaped($0) } ?? "\(v.newBlocks) new / \(v.sharedBlocks) shared blocks"
                var line = ["v\(v.number)".padding(toLength: 5, withPad: " ", startingAt: 0), Output.date(v.createdAt),
                            Output.escaped(entry.authorName).padding(toLength: 10, withPad: " ", startingAt: 0), Output.bytes(v.size).leftPadded(10),
                            content].joined(separator: "  ")
                if v.pinned { line += "  pinned" }
                if let from = v.restoredFrom { line += "  restored from v\(from)" }
                if v.isConflict { line += "  conflict" + (entry.baseNumber.map { " (edited from v\($0))" } ?? "") }
                if let other = entry.mergedFromNumber { line += "  resolves conflict v\(other)" }
                if entry.isHead { line += "  (head)" }
                Output.line(line)
            }
        }
    }
}

struct VersionJSON: Encodable {
    var version: Int
    var size: Int64
    var digest: String
    var author: String
    var createdAt: Date
    var pinned: Bool
    var head: Bool
    var newBlocks: Int
    var sharedBlocks: Int
    @NullWhenAbsent var restoredFrom: Int?
    /// "committed", or "conflict" for a write from a stale base kept beside the head.
    var state: String
    @NullWhenAbsent var base: Int?
    @NullWhenAbsent var mergedFrom: Int?
    /// The target when the version is a symbolic link; null for content.
    @NullWhenAbsent var linkTarget: String?
    init(_ entry: VersionEntry) {
        version = entry.version.number
        size = entry.version.size
        digest = entry.version.digest.map { String(format: "%02x", $0) }.joined()
        author = entry.authorName
        createdAt = entry.version.createdAt
        pinned = entry.version.pinned
        head = entry.isHead
        newBlocks = entry.version.newBlocks
        sharedBlocks = entry.version.sharedBlocks
        restoredFrom = entry.version.restoredFrom
        state = entry.version.state
        base = entry.baseNumber
        mergedFrom = entry.mergedFromNumber
        linkTarget = entry.version.linkTarget
    }
}

struct Restore: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Make a new head version with the content of an older one (a link's target, for a link).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path of a file.") var path: String
    @Option(parsing: .unconditional, help: "The version to restore.") var version: Int

    func validate() throws { try VersionNumber.check(version) }

    func run() throws {
        try global.run { context in
            let made = try context.session().restore(path, version: version)
            Output.line("\(Output.escaped(path)): version \(made.number) restored from version \(version)")
        }
    }
}

struct Pin: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Keep a version forever (the version cap never drops it).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path of a file.") var path: String
    @Option(parsing: .unconditional, help: "The version to pin.") var version: Int

    func validate() throws { try VersionNumber.check(version) }

    func run() throws {
        try global.run { context in try context.session().pin(path, version: version, pinned: true) }
    }
}

struct Unpin: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Let the version cap drop a version again.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path of a file.") var path: String
    @Option(parsing: .unconditional, help: "The version to unpin.") var version: Int

    func validate() throws { try VersionNumber.check(version) }

    func run() throws {
        try global.run { context in try context.session().pin(path, version: version, pinned: false) }
    }
}

/// `--version N` of get, cat, restore, pin and unpin: versions count from 1, so zero or a
/// negative number is a usage error (exit 64) rather than "Missing value" or "no version 0".
enum VersionNumber {
    static func check(_ version: Int?) throws {
        if let version, version < 1 { throw ValidationError("--version must be a positive number, not \(version)") }
    }
}
