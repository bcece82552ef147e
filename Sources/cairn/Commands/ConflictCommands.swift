import ArgumentParser
import DriveEngine
import Foundation
import TextMerge

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
        abstract: "Settle a file's conflict: keep mine, theirs or both, or merge them.",
        discussion: """
            'mine' is the conflict version (the later write), 'theirs' the head it lost to. \
            --keep mine makes the conflict version the head; --keep theirs keeps the head; \
            --keep both keeps the head and puts the conflict version beside it as \
            'NAME (conflict vN by USER).EXT'. --merge merges the two against the version both were \
            edited from (a 3-way merge of lines): changes on one side only are taken, the same change \
            on both sides once. When both sides changed the same lines (or the file is binary), on a \
            terminal it opens the merge screen of the full-screen drive, to take mine, theirs or both \
            hunk by hunk and write the result (exit 0; leaving without writing exits 5); otherwise \
            (not a terminal, or --json) it changes nothing and exits 5, naming how many hunks need a \
            person. Each resolution is a new version whose history \
            names both sides ('cairn log'). With several open conflicts on one file, the oldest \
            is settled unless --id names one (see 'cairn conflicts --json').
            """)
    @OptionGroup var global: GlobalOptions
    @OptionGroup var interface: InterfaceOptions
    @Argument(help: "Drive path of a file with a conflict.") var path: String
    @Option(help: "Which side to keep: mine, theirs or both.") var keep: Side?
    @Flag(help: "Merge both sides line by line against their common base.") var merge = false
    @Option(help: "The conflict to settle (its id in 'cairn conflicts --json').") var id: Int64?
    @Flag(help: "Print JSON.") var json = false

    enum Side: String, ExpressibleByArgument, CaseIterable {
        case mine, theirs, both
        var resolution: ConflictResolution {
            switch self { case .mine: .mine; case .theirs: .theirs; case .both: .both }
        }
    }

    func validate() throws {
        if (keep == nil) == !merge { throw ValidationError("give one of --keep mine|theirs|both or --merge") }
    }

    func run() throws {
        try global.run { context in
            guard let keep else {
                let session = try context.session()
                let person: ((ConflictInfo) throws -> Never)? = Self.opensMergeScreen(json: json) ? { conflict in
                    try interface.openMerge(session, conflict: conflict, theme: try interface.loadTheme(), context: context)
                } : nil
                let settled = try Self.merged(session, path, id: id, person: person)
                if json { try Output.json(ConflictJSON(settled)) } else {
                    Output.line("\(Output.escaped(path)): merged v\(settled.version) (mine) into the head as \(settled.result.map { "version \($0)" } ?? "a new version")")
                }
                return
            }
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

    /// Whether a merge that needs a person opens the merge screen: standard input and output are
    /// a terminal and no JSON was asked for (scripts get exit 5 instead).
    static func opensMergeScreen(json: Bool) -> Bool {
        !json && isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1
    }

    /// Merges the conflict's sides against their base; only a clean merge is written. One that
    /// needs a person (overlapping hunks, a binary file) goes to `person` when given (the merge
    /// screen), else fails as a conflict.
    static func merged(_ session: DriveSession, _ path: String, id: Int64?,
                       person: ((ConflictInfo) throws -> Never)? = nil) throws -> ConflictInfo {
        let sides = try session.conflictSides(path, id: id)
        switch Merge3.merge(base: sides.base ?? Data(), mine: sides.mine, theirs: sides.theirs) {
        case .binary:
            if let person { try person(sides.conflict) }
            throw DriveError(.conflict, "resolve", path, "a binary file cannot be merged line by line",
                             hint: "keep one side or both: --keep mine|theirs|both")
        case .text(let result):
            guard result.isClean else {
                if let person { try person(sides.conflict) }
                throw DriveError(.conflict, "resolve", path,
                                 "\(result.conflictCount) hunk\(result.conflictCount == 1 ? "" : "s") changed on both sides need a person",
                                 hint: "keep one side or both: --keep mine|theirs|both")
            }
            return try session.resolveConflict(path, merged: result.resolved(choices: []), id: sides.conflict.id)
        }
    }
}
