import ArgumentParser
import DriveEngine
import Foundation

/// `cairn device`: the local folders kept in sync with the drive.
struct DeviceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device", abstract: "Add, list, inspect and remove devices (local folders kept in sync).",
        discussion: """
            A device is a local folder bound to a drive folder for you. 'cairn sync NAME' makes \
            the two agree; 'cairn sync --watch NAME' keeps them so.
            """,
        subcommands: [Add.self, ListDevices.self, Status.self, Remove.self], defaultSubcommand: ListDevices.self)

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Bind a local folder to a drive folder as a new device.",
            discussion: """
                The folder is made when missing; the drive folder on the first sync. A folder \
                may belong to one device only, and never inside the store.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "A name for the device, unique among yours (e.g. laptop).") var name: String
        @Option(help: "The local folder to keep in sync.") var folder: String
        @Option(help: "The drive folder it mirrors.") var path = "/"
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let device = try context.session().addDevice(name: name, folder: folder, path: path)
                if json { return try Output.json(DeviceJSON(device)) }
                Output.line("device \(Output.escaped(device.name)): \(Output.escaped(device.folder)) <-> \(Output.escaped(device.drivePath)); run 'cairn sync \(Output.escaped(device.name))'")
            }
        }
    }

    struct ListDevices: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List your devices (the default).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let devices = try context.session().devices()
                if json { return try Output.json(devices.map(DeviceJSON.init)) }
                if devices.isEmpty { Output.line("no devices; add one with 'cairn device add NAME --folder DIR'") }
                for device in devices {
                    var line = "\(Output.escaped(device.name))\t\(Output.escaped(device.folder))\t\(Output.escaped(device.drivePath))"
                    line += "\t" + (device.lastSyncAt.map { "synced \(Output.date($0))" } ?? "never synced")
                    if let error = device.lastError { line += "\terror: \(Output.escaped(error))" }
                    Output.line(line)
                }
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show how far a device is from the drive: pending changes each way, last sync, errors.",
            discussion: "Looks at both sides without changing either. Without a name, every device of yours.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The device (default: all of yours).") var name: String?
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let session = try context.session()
                let names = try name.map { [$0] } ?? session.devices().map(\.name)
                let statuses = try names.map { try session.deviceStatus($0) }
                if json { return try Output.json(name == nil ? AnyEncodable(statuses.map(DeviceStatusJSON.init)) : AnyEncodable(DeviceStatusJSON(statuses[0]))) }
                if statuses.isEmpty { Output.line("no devices; add one with 'cairn device add NAME --folder DIR'") }
                for status in statuses {
                    let device = status.device
                    Output.line("\(Output.escaped(device.name)): \(Output.escaped(device.folder)) <-> \(Output.escaped(device.drivePath))")
                    Output.line("  last sync: " + (device.lastSyncAt.map(Output.date) ?? "never"))
                    var pending = "  pending: \(status.pendingUp) up, \(status.pendingDown) down"
                    if let oldest = status.oldestPending { pending += " (oldest \(Output.date(oldest)))" }
                    Output.line(pending)
                    if status.openConflicts > 0 { Output.line("  conflicts: \(status.openConflicts) open (see 'cairn conflicts')") }
                    if let error = device.lastError { Output.line("  last error: \(Output.escaped(error))") }
                    for skipped in status.skipped { Output.line("  skipped \(Output.escaped(skipped.path)): \(Output.escaped(skipped.reason))") }
                }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget a device. Its folder and files are left as they are; nothing on the drive changes.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The device.") var name: String

        func run() throws {
            try global.run { context in
                try context.session().removeDevice(named: name)
                Output.line("device \(Output.escaped(name)) removed; its folder was left alone")
            }
        }
    }
}

/// `cairn sync`: make device folders and the drive agree, once or continuously.
struct Sync: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sync a device (or all of yours) with the drive, both ways.",
        discussion: """
            Local changes go up first: new and changed files (only blocks the drive lacks are \
            stored), renames and moves kept as moves, deletions to the trash. An edit made from a \
            version that is no longer the head is kept as a conflict version beside it (see \
            'cairn conflicts') and the head comes down in its place. Then drive changes come down: \
            each file is written beside and renamed into place only if the local file is still \
            what was last synced. A delete against an edit keeps the edit. Names matching \
            .cairnignore (gitignore patterns) stay local on both sides. With --watch, syncs again \
            whenever the folder or the drive changes, until interrupted.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The device (default: all of yours).") var name: String?
    @Flag(help: "Keep syncing as either side changes (one device; Ctrl-C stops).") var watch = false
    @Flag(help: "Print JSON (with --watch: one object per round that changed something).") var json = false

    func run() throws {
        try global.run { context in
            let session = try context.session()
            if watch {
                let devices = try name.map { [$0] } ?? session.devices().map(\.name)
                guard devices.count == 1 else {
                    throw DriveError(.invalidArgument, "sync", "--watch", devices.isEmpty ? "you have no devices" : "--watch follows one device",
                                     hint: "name it: cairn sync --watch NAME")
                }
                try session.watch(device: devices[0]) { round in
                    switch round {
                    case .synced(let report) where report.changedAnything || !report.conflicts.isEmpty:
                        if json { try? Output.jsonLine(SyncJSON(report)) } else { printReport(report) }
                    case .synced: break
                    case .failed(let error): Output.error("cairn: \(error)")
                    }
                }
                return
            }
            let names = try name.map { [$0] } ?? session.devices().map(\.name)
            if names.isEmpty && name == nil {
                throw DriveError(.notFound, "sync", "devices", "you have no devices", hint: "add one: cairn device add NAME --folder DIR")
            }
            var reports: [SyncReport] = []
            for device in names {
                let progress = ProgressLine("sync \(device)")
                let report = try session.sync(device: device, options: progress.options)
                progress.finish()
                reports.append(report)
                if !json { printReport(report) }
            }
            if json { try Output.json(name == nil ? AnyEncodable(reports.map(SyncJSON.init)) : AnyEncodable(SyncJSON(reports[0]))) }
        }
    }

    private func printReport(_ report: SyncReport) {
        var parts: [String] = []
        if report.uploaded > 0 { parts.append("\(report.uploaded) up (\(Output.bytes(report.bytesUp)) read, \(report.newBlocks) new blocks)") }
        if report.downloaded > 0 { parts.append("\(report.downloaded) down (\(Output.bytes(report.bytesDown)))") }
        if report.movedOnDrive + report.movedLocally > 0 { parts.append("\(report.movedOnDrive + report.movedLocally) moved") }
        if report.trashedOnDrive > 0 { parts.append("\(report.trashedOnDrive) to the trash") }
        if report.deletedLocally > 0 { parts.append("\(report.deletedLocally) deleted locally") }
        if report.foldersMadeOnDrive + report.foldersMadeLocally > 0 {
            let folders = report.foldersMadeOnDrive + report.foldersMadeLocally
            parts.append(folders == 1 ? "1 folder made" : "\(folders) folders made")
        }
        if report.deferred > 0 { parts.append("\(report.deferred) changed meanwhile (next sync)") }
        Output.line("\(Output.escaped(report.device)): " + (parts.isEmpty ? "up to date" : parts.joined(separator: ", ")))
        for path in report.conflicts {
            Output.error("cairn: sync: \(Output.escaped(path)): your edit was kept as a conflict version; "
                         + "see 'cairn conflicts' and 'cairn resolve \(Output.escaped(path))'")
        }
        for skipped in report.skipped {
            Output.error("cairn: sync: skipped \(Output.escaped(skipped.path)): \(Output.escaped(skipped.reason))")
        }
    }
}

struct DeviceJSON: Encodable {
    var name, folder, path: String
    var createdAt: Date
    @NullWhenAbsent var lastSyncAt: Date?
    @NullWhenAbsent var lastError: String?
    var skipped: Int

    init(_ device: Device) {
        name = device.name
        folder = device.folder
        path = device.drivePath
        createdAt = device.createdAt
        lastSyncAt = device.lastSyncAt
        lastError = device.lastError
        skipped = device.skipped
    }
}

struct DeviceStatusJSON: Encodable {
    var device: DeviceJSON
    var pendingUp, pendingDown, openConflicts: Int
    @NullWhenAbsent var oldestPending: Date?
    var skipped: [SkippedEntry]

    init(_ status: DeviceStatus) {
        device = DeviceJSON(status.device)
        pendingUp = status.pendingUp
        pendingDown = status.pendingDown
        openConflicts = status.openConflicts
        oldestPending = status.oldestPending
        skipped = status.skipped
    }
}

struct SyncJSON: Encodable {
    var device: String
    var uploaded, downloaded, trashedOnDrive, deletedLocally, movedOnDrive, movedLocally: Int
    var foldersMadeOnDrive, foldersMadeLocally, deferred, newBlocks: Int
    var bytesUp, bytesDown: Int64
    var conflicts: [String]
    var skipped: [SkippedEntry]

    init(_ r: SyncReport) {
        device = r.device
        uploaded = r.uploaded
        downloaded = r.downloaded
        trashedOnDrive = r.trashedOnDrive
        deletedLocally = r.deletedLocally
        movedOnDrive = r.movedOnDrive
        movedLocally = r.movedLocally
        foldersMadeOnDrive = r.foldersMadeOnDrive
        foldersMadeLocally = r.foldersMadeLocally
        deferred = r.deferred
        newBlocks = r.newBlocks
        bytesUp = r.bytesUp
        bytesDown = r.bytesDown
        conflicts = r.conflicts
        skipped = r.skipped
    }
}

/// One of two JSON shapes chosen at run time (an object for one device, an array for all).
struct AnyEncodable: Encodable {
    let value: any Encodable
    init(_ value: any Encodable) { self.value = value }
    func encode(to encoder: any Encoder) throws { try value.encode(to: encoder) }
}
