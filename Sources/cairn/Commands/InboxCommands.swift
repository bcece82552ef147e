import ArgumentParser
import DriveEngine
import Foundation
import Notifier

/// `cairn inbox`: your notifications, newest first.
struct InboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inbox", abstract: "Show your notifications; mark them read; archive them.",
        subcommands: [Show.self, Read.self, Unread.self, Archive.self], defaultSubcommand: Show.self)

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List your notifications, newest first (the default).")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Only unread ones.") var unread = false
        @Flag(help: "Archived ones instead.") var archived = false
        @Option(help: "Only this kind (repeatable): put, share, trash, notice, …") var kind: [String] = []
        @Option(help: "At most this many.") var limit = 100
        @Flag(help: "Keep printing new notifications as they arrive (Ctrl-C stops).") var follow = false
        @Flag(help: "Print JSON (with --follow: one object per line).") var json = false

        func run() throws {
            try global.run { context in
                let session = try context.session()
                let drive = session.drive
                _ = try drive.fanOutNotifications()
                let kinds = kind.isEmpty ? nil : Set(kind)
                let entries = try drive.notifier.inbox(for: session.user.id!, unreadOnly: unread, archived: archived, kinds: kinds,
                                                       limit: max(1, limit))
                if json && !follow {
                    try Output.json(entries.map(InboxEntryJSON.init))
                } else {
                    if entries.isEmpty && !follow { Output.line(unread ? "no unread notifications" : "no notifications") }
                    for entry in entries.reversed() { try print(entry) }
                }
                guard follow else { return }
                var latest = try entries.map(\.id).max() ?? (drive.notifier.inboxSummary(for: session.user.id!).latestId)
                while true {
                    drive.waitForWrite(seconds: 1)
                    _ = try drive.fanOutNotifications()
                    let fresh = try drive.notifier.inbox(for: session.user.id!, unreadOnly: unread, kinds: kinds, afterId: latest)
                    for entry in fresh.reversed() { try print(entry) }
                    latest = max(latest, fresh.map(\.id).max() ?? latest)
                }
            }
        }

        func print(_ entry: InboxEntry) throws {
            if json { return try Output.jsonLine(InboxEntryJSON(entry)) }
            let mark = entry.isRead ? " " : "•"
            Output.line("\(mark) \(entry.id)\t\(Output.date(entry.createdAt))\t\(Output.escaped(entry.title))\t\(Output.escaped(entry.body))")
        }
    }

    struct Read: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a notification read (or all with --all).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The notification's number (from 'cairn inbox').") var id: Int64?
        @Flag(help: "Every unread notification.") var all = false

        func validate() throws {
            guard (id == nil) != !all else { throw ValidationError("give a notification number or --all") }
        }

        func run() throws {
            try global.run { context in
                let session = try context.session()
                if all {
                    let count = try session.drive.notifier.markAllRead(for: session.user.id!)
                    Output.line("marked \(count) notification\(count == 1 ? "" : "s") read")
                } else if let id {
                    try session.drive.notifier.markRead(id, for: session.user.id!)
                    Output.line("\(id): read")
                }
            }
        }
    }

    struct Unread: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark a notification unread again.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The notification's number.") var id: Int64

        func run() throws {
            try global.run { context in
                let session = try context.session()
                try session.drive.notifier.markRead(id, read: false, for: session.user.id!)
                Output.line("\(id): unread")
            }
        }
    }

    struct Archive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Archive a notification (it leaves the inbox; see it with 'cairn inbox --archived').")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The notification's number.") var id: Int64
        @Flag(help: "Bring an archived notification back instead.") var undo = false

        func run() throws {
            try global.run { context in
                let session = try context.session()
                try session.drive.notifier.archive(id, unarchive: undo, for: session.user.id!)
                Output.line("\(id): \(undo ? "back in the inbox" : "archived")")
            }
        }
    }
}

struct InboxEntryJSON: Encodable {
    var id: Int64
    var kind: String
    var title: String
    var body: String
    @NullWhenAbsent var link: String?
    var createdAt: Date
    var read: Bool
    var archived: Bool

    init(_ entry: InboxEntry) {
        id = entry.id
        kind = entry.kind
        title = entry.title
        body = entry.body
        link = entry.link
        createdAt = entry.createdAt
        read = entry.isRead
        archived = entry.archivedAt != nil
    }
}

/// `cairn notify settings`' report: preferences, rules and where messages go.
struct SettingsView {
    let session: DriveSession

    func print(json: Bool) throws {
        let notifier = session.drive.notifier
        let me = session.user.id!
        let preferences = try notifier.preferences(for: me)
        let rules = try notifier.rules(for: me)
        let tokens = try notifier.registeredAddresses(for: me, channel: .push)
        let hooks = try notifier.registeredAddresses(for: me, channel: .webhook)
        if json {
            try Output.json(SettingsJSON(user: session.user, preferences: preferences, rules: rules, tokens: tokens, webhooks: hooks))
            return
        }
        let quiet = preferences.quietStart.map { "\(Preferences.clock($0))-\(Preferences.clock(preferences.quietEnd ?? $0))" } ?? "off"
        Output.line("user:        \(Output.escaped(session.user.name))")
        Output.line("quiet hours: \(quiet) (\(preferences.timeZone ?? "UTC"))")
        Output.line("digest:      \(preferences.digestSeconds == 0 ? "off" : "\(preferences.digestSeconds)s")")
        Output.line("rate limit:  \(preferences.ratePerHour == 0 ? "off" : "\(preferences.ratePerHour) per channel per hour")")
        Output.line("email:       \(Output.escaped(session.user.email ?? "-"))")
        Output.line("sms:         \(Output.escaped(session.user.phone ?? "-"))")
        for token in tokens {
            Output.line("push:        \(token.platform?.rawValue ?? "?") \(Output.escaped(token.address))\(token.disabledAt == nil ? "" : " (disabled: \(Output.escaped(token.disabledReason ?? "")))")")
        }
        for hook in hooks {
            Output.line("webhook:     \(Output.escaped(hook.address))\(hook.disabledAt == nil ? "" : " (disabled: \(Output.escaped(hook.disabledReason ?? "")))")")
        }
        Output.line("rules:       \(rules.isEmpty ? "every channel on for every kind" : rules.map { "\($0.channel.rawValue)\($0.kind == "*" ? "" : ":" + $0.kind) \($0.enabled ? "on" : "off")" }.joined(separator: ", "))")
    }
}

struct SettingsJSON: Encodable {
    struct Rule: Encodable {
        var channel: String
        var kind: String
        var enabled: Bool
    }
    var user: String
    @NullWhenAbsent var quietHours: String?
    var timeZone: String
    var digestSeconds: Int
    var ratePerHour: Int
    @NullWhenAbsent var email: String?
    @NullWhenAbsent var phone: String?
    var rules: [Rule]
    var pushTokens: [AddressJSON]
    var webhooks: [AddressJSON]

    init(user: User, preferences: Preferences, rules: [ChannelRule], tokens: [RegisteredAddress], webhooks: [RegisteredAddress]) {
        self.user = user.name
        quietHours = preferences.quietStart.map { "\(Preferences.clock($0))-\(Preferences.clock(preferences.quietEnd ?? $0))" }
        timeZone = preferences.timeZone ?? "UTC"
        digestSeconds = preferences.digestSeconds
        ratePerHour = preferences.ratePerHour
        email = user.email
        phone = user.phone
        self.rules = rules.map { Rule(channel: $0.channel.rawValue, kind: $0.kind, enabled: $0.enabled) }
        pushTokens = tokens.map(AddressJSON.init)
        self.webhooks = webhooks.map(AddressJSON.init)
    }
}

struct AddressJSON: Encodable {
    var id: Int64
    var address: String
    @NullWhenAbsent var platform: String?
    @NullWhenAbsent var secret: String?
    var createdAt: Date
    @NullWhenAbsent var disabledAt: Date?
    @NullWhenAbsent var disabledReason: String?

    init(_ address: RegisteredAddress) {
        id = address.id
        self.address = address.address
        platform = address.platform?.rawValue
        secret = address.secret
        createdAt = address.createdAt
        disabledAt = address.disabledAt
        disabledReason = address.disabledReason
    }
}
