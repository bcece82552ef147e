import ArgumentParser
import DriveEngine
import Foundation

extension Role: ExpressibleByArgument {}

struct Share: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Share a file or folder you own with another user, as viewer or editor.",
        discussion: "They find it under /shared. Sharing again changes the role. A share on a folder covers everything below it.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path of an item you own.") var path: String
    @Option(name: .customLong("with"), help: "The user to share with.") var user: String
    @Option(help: "viewer (read, download, history) or editor (also change, move, delete, restore).") var role: Role

    func run() throws {
        try global.run { context in
            try context.session().share(path, with: user, role: role)
            Output.line("\(Output.escaped(path)): shared with \(Output.escaped(user)) as \(role.rawValue)")
        }
    }
}

struct Unshare: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop sharing an item with a user (at once, everywhere).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path of an item you own.") var path: String
    @Option(name: .customLong("with"), help: "The user to stop sharing with.") var user: String

    func run() throws {
        try global.run { context in
            try context.session().unshare(path, with: user)
            Output.line("\(Output.escaped(path)): no longer shared with \(Output.escaped(user))")
        }
    }
}

struct Shared: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List what you share and what is shared with you (under /shared).")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        try global.run { context in
            let overview = try context.session().sharing()
            if json {
                try Output.json(SharingJSON(overview))
                return
            }
            Output.line("Shared by me:")
            if overview.sharedByMe.isEmpty { Output.line("  (nothing)") }
            for share in overview.sharedByMe {
                Output.line("  \(Output.escaped(share.path.description))\(share.item.isFolder ? "/" : "")  with \(Output.escaped(share.userName)) as \(share.role.rawValue)")
            }
            Output.line("Shared with me:")
            if overview.sharedWithMe.isEmpty { Output.line("  (nothing)") }
            for entry in overview.sharedWithMe {
                Output.line("  \(Output.escaped(entry.path.description))\(entry.item.isFolder ? "/" : "")  from \(Output.escaped(entry.ownerName)) as \(entry.role.rawValue)")
            }
        }
    }
}

struct SharingJSON: Encodable {
    struct Outgoing: Encodable {
        var path: String
        var kind: String
        var with: String
        var role: String
    }
    struct Incoming: Encodable {
        var path: String
        var kind: String
        var owner: String
        var role: String
    }
    var sharedByMe: [Outgoing]
    var sharedWithMe: [Incoming]

    init(_ overview: SharingOverview) {
        sharedByMe = overview.sharedByMe.map {
            Outgoing(path: $0.path.description, kind: $0.item.kind.rawValue, with: $0.userName, role: $0.role.rawValue)
        }
        sharedWithMe = overview.sharedWithMe.map {
            Incoming(path: $0.path.description, kind: $0.item.kind.rawValue, owner: $0.ownerName, role: $0.role.rawValue)
        }
    }
}

struct Transfer: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Give an item you own to another user; you keep editor access.",
        discussion: "It moves to the top of their drive (renamed 'NAME (from YOU)' if the name is taken) and counts against their quota.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Drive path of an item you own.") var path: String
    @Option(help: "The new owner.") var to: String

    func run() throws {
        try global.run { context in
            let landed = try context.session().transfer(path, to: to)
            Output.line("\(Output.escaped(path)): now owned by \(Output.escaped(to)), at \(Output.escaped(landed.description)) in their drive")
        }
    }
}
