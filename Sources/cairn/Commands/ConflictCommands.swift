import ArgumentParser
import DriveEngine
import Foundation

struct Conflicts: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List edits kept as conflicts beside their file's head.",
        discussion: """
            A write made from a version that is no longer the head (two people, or two devices, \
            edited the same version) is kept as a conflict version: the first writer stays the \
            head and nothing is lost. Each line: the file, the conflict version and who wrote it, \
            the version it was edited from, the head it lost to, and when. Settle one with \
            'cairn resolve'.
            """)
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Show resolved conflicts too.") var all = false
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try global.run { context in
            let conflicts = try context.session().conflicts(all: all)
            if json {
                try Output.json(conflicts.map(ConflictJSON.init))
                return
            }
            if conflicts.isEmpty {
                Output.line(all ? "no conflicts" : "no open conflicts")
                return
            }
            for conflict in conflicts {
                var line = "\(Output.escaped(conflict.path.description))  v\(conflict.version) by \(Output.escaped(conflict.author))"
                line += conflict.base.map { " (edited from v\($0))" } ?? " (no common base)"
                line += " vs head v\(conflict.head)  \(Output.date(conflict.createdAt))"
                if let device = conflict.device { line += "  from \(Output.escaped(device))" }
                if let how = conflict.resolution {
                    line += "  resolved: \(how.rawValue)" + (conflict.result.map { " (v\($0))" } ?? "")
                    if let by = conflict.resolvedBy { line += " by \(Output.escaped(by))" }
                }
                Output.line(line)
            }
        }
    }
}

struct ConflictJSON: Encodable {
    var id: Int64
    var path: String
    var version: Int
    var head: Int
    @NullWhenAbsent var base: Int?
    var author: String
    @NullWhenAbsent var device: String?
    var createdAt: Date
    var open: Bool
    @NullWhenAbsent var resolution: String?
    @NullWhenAbsent var resolvedAt: Date?
    @NullWhenAbsent var resolvedBy: String?
    @NullWhenAbsent var result: Int?
    @NullWhenAbsent var copyPath: String?

    init(_ c: ConflictInfo) {
        id = c.id
        path = c.path.description
        version = c.version
        head = c.head
        base = c.base
        author = c.author
        device = c.device
        createdAt = c.createdAt
        open = c.isOpen
        resolution = c.resolution?.rawValue
        resolvedAt = c.resolvedAt
        resolvedBy = c.resolvedBy
        result = c.result
        copyPath = c.copyPath?.description
    }
}

struct Resolve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Settle a file's conflict: keep mine, theirs or both.",
        discussion: """
            'mine' is the conflict version (the later write), 'theirs' the head it lost to. \
            --keep mine makes the conflict version the head; --keep theirs keeps the head; \
            --keep both keeps the head and puts the conflict version beside it as \
            'NAME (conflict vN by USER).EXT'. Each resolution is a new version whose history \
            names both sides ('cairn log'). With several open conflicts on one file, the oldest \
            is settled unless --id names one (see 'cairn conflicts --json').
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path of a file with a conflict.") var path: String
    @Option(help: "Which side to keep: mine, theirs or both.") var keep: Side
    @Option(help: "The conflict to settle (its id in 'cairn conflicts --json').") var id: Int64?
    @Flag(help: "Print JSON.") var json = false

    enum Side: String, ExpressibleByArgument, CaseIterable {
        case mine, theirs, both
        var resolution: ConflictResolution {
            switch self { case .mine: .mine; case .theirs: .theirs; case .both: .both }
        }
    }

    func run() throws {
        try global.run { context in
            let settled = try context.session().resolveConflict(path, keep: keep.resolution, id: id)
            if json {
                try Output.json(ConflictJSON(settled))
                return
            }
            let made = settled.result.map { "version \($0)" } ?? "a new version"
            switch keep {
            case .mine: Output.line("\(Output.escaped(path)): kept v\(settled.version) (mine) as \(made)")
            case .theirs: Output.line("\(Output.escaped(path)): kept the head (theirs) as \(made)")
            case .both:
                Output.line("\(Output.escaped(path)): kept the head; v\(settled.version) is now \(Output.escaped(settled.copyPath?.description ?? "a copy"))")
            }
        }
    }
}
