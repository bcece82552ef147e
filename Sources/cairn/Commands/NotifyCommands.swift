import ArgumentParser
import DriveEngine
import Foundation
import Notifier

extension Channel: ExpressibleByArgument {}
extension PushPlatform: ExpressibleByArgument {}

/// `cairn notify …`: the notification system's queues, log, settings and service.
struct NotifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Send notifications, change your notification settings, see and run the delivery queues.",
        discussion: """
            Every change to a file someone else can see notifies them: an inbox entry ('cairn inbox'), and email, push, \
            SMS and webhook messages as their settings allow. Providers are set up in $XDG_CONFIG_HOME/cairn/notify.conf \
            (see cairn(1), NOTIFICATIONS).
            """,
        subcommands: [Send.self, Settings.self, Status.self, LogCommand.self, RetryDead.self, Run.self])

    struct Send: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a notification to users (the API other services use).",
            discussion: "The same --key never notifies a user twice on a channel, so a retried call is safe.")
        @OptionGroup var global: GlobalOptions
        @Option(name: .customLong("to"), help: "A user to notify (repeat for several).") var recipients: [String]
        @Option(help: "The title (email subject, push title).") var title: String
        @Option(help: "The message.") var body: String
        @Option(name: .customLong("channel"), help: "Only these channels: inbox, email, push, sms, webhook (repeat; default all).")
        var channels: [Channel] = []
        @Option(help: "Idempotency key (default: a new one).") var key: String?
        @Option(help: "Kind, for settings and templates (default: notice).") var kind = "notice"
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                let users = try recipients.map { name throws(DriveError) in try drive.user(named: name) }
                let notice = Notice(key: key ?? UUID().uuidString, kind: kind, title: title, body: body)
                let made = try drive.notifier.send(notice, to: users.map(\.recipient), channels: channels.isEmpty ? nil : Set(channels))
                let ids = made.flatMap(\.messageIds)
                let left = try context.notifications(drive).workers.drain(ids, timeout: drive.notifier.configuration.cliWait)
                if json {
                    try Output.json(SendJSON(key: notice.key, inbox: made.compactMap(\.inboxId).count, messages: ids.count, undelivered: left))
                    return
                }
                Output.line("\(notice.key): \(made.compactMap(\.inboxId).count) inbox, \(ids.count) messages queued, \(ids.count - left) sent or held")
            }
        }
    }

    struct Settings: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show or change your notification settings: channels per kind, quiet hours, digest, rate limit.",
            discussion: """
                Channels are inbox, email, push, sms, webhook; a rule is CHANNEL (every kind) or CHANNEL:KIND (kinds: put, \
                mkdir, restore, move, trash, untrash, purge, share, unshare, transfer, quota, conflict, notice). During quiet \
                hours email, push and SMS wait for the end; the inbox always receives.
                """)
        @OptionGroup var global: GlobalOptions
        @Option(help: "Quiet hours HH:MM-HH:MM in your time zone, or 'off'.") var quiet: String?
        @Option(help: "Your time zone (IANA name, e.g. Asia/Seoul).") var timeZone: String?
        @Option(help: "Fold events about one file inside this window into one message: seconds, or 30s/10m/1h, or 'off'.") var digest: String?
        @Option(help: "At most this many messages per channel per hour, or 'off'.") var rate: String?
        @Option(name: .customLong("on"), help: "Switch CHANNEL or CHANNEL:KIND on (repeatable).") var on: [String] = []
        @Option(name: .customLong("off"), help: "Switch CHANNEL or CHANNEL:KIND off (repeatable).") var off: [String] = []
        @Option(name: .customLong("default"), help: "Remove the rule for CHANNEL or CHANNEL:KIND (repeatable).") var reset: [String] = []
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let session = try context.session()
                let notifier = session.drive.notifier
                let me = session.user.id!
                var preferences = try notifier.preferences(for: me)
                try apply(to: &preferences)
                if preferences != (try notifier.preferences(for: me)) { try notifier.setPreferences(preferences, for: me) }
                for (words, enabled) in on.map({ ($0, Bool?.some(true)) }) + off.map({ ($0, Bool?.some(false)) }) + reset.map({ ($0, Bool?.none) }) {
                    let (channel, kind) = try Self.rule(words)
                    try notifier.setRule(channel, kind: kind, enabled: enabled, for: me)
                }
                try SettingsView(session: session).print(json: json)
            }
        }

        func apply(to preferences: inout Preferences) throws {
            if let quiet {
                if quiet == "off" {
                    preferences.quietStart = nil
                    preferences.quietEnd = nil
                } else {
                    let parts = quiet.split(separator: "-").map(String.init)
                    guard parts.count == 2, let start = Preferences.minutes(parts[0]), let end = Preferences.minutes(parts[1]) else {
                        throw CommandFailure(code: .invalidArgument, message: "notify settings --quiet \(quiet): expected HH:MM-HH:MM (e.g. 22:00-07:00) or off")
                    }
                    preferences.quietStart = start
                    preferences.quietEnd = end
                }
            }
            if let timeZone { preferences.timeZone = timeZone }
            if let digest { preferences.digestSeconds = try Self.seconds(digest, "--digest") }
            if let rate {
                guard rate == "off" || Int(rate).map({ $0 > 0 }) == true else {
                    throw CommandFailure(code: .invalidArgument, message: "notify settings --rate \(rate): expected a number of messages per hour or off")
                }
                preferences.ratePerHour = Int(rate) ?? 0
            }
        }

        /// "600", "30s", "10m", "1h" or "off" → seconds.
        static func seconds(_ text: String, _ option: String) throws -> Int {
            if text == "off" { return 0 }
            let units: [Character: Int] = ["s": 1, "m": 60, "h": 3600]
            var digits = Substring(text)
            var scale = 1
            if let last = digits.last, let unit = units[last] { scale = unit; digits = digits.dropLast() }
            guard let value = Int(digits), value >= 0 else {
                throw CommandFailure(code: .invalidArgument, message: "notify settings \(option) \(text): expected seconds, 30s, 10m, 1h or off")
            }
            return value * scale
        }

        /// "email" or "email:put" → the channel and the kind ("*" for every kind).
        static func rule(_ words: String) throws -> (Channel, String) {
            let parts = words.split(separator: ":", maxSplits: 1).map(String.init)
            guard let first = parts.first, let channel = Channel(rawValue: first) else {
                throw CommandFailure(code: .invalidArgument, message: "notify settings: '\(words)' is not CHANNEL or CHANNEL:KIND "
                                     + "(channels: \(Channel.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
            return (channel, parts.count == 2 ? parts[1] : "*")
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show each channel's queue: due, waiting, retrying, in flight, dead.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                _ = try drive.fanOutNotifications()
                let status = try drive.notifier.status()
                if json {
                    try Output.json(status.map(ChannelStatusJSON.init))
                    return
                }
                Output.line("channel  due  waiting  retrying  leased  delivered  dropped  dead  oldest pending")
                for row in status {
                    let age = row.oldestPendingAge.map { Self.age($0) } ?? "-"
                    Output.line([row.channel.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0), pad(row.due, 4), pad(row.waiting, 8),
                                 pad(row.retrying, 9), pad(row.leased, 7), pad(row.delivered, 10), pad(row.dropped, 8), pad(row.dead, 5),
                                 " " + age].joined(separator: " "))
                }
                if status.contains(where: { $0.dead > 0 }) {
                    Output.line("dead messages failed every attempt; see 'cairn notify log', then 'cairn notify retry-dead'")
                }
            }
        }

        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }

        static func age(_ seconds: Double) -> String {
            switch seconds {
            case ..<60: "\(Int(seconds))s"
            case ..<3600: "\(Int(seconds / 60))m"
            case ..<86_400: "\(Int(seconds / 3600))h"
            default: "\(Int(seconds / 86_400))d"
            }
        }
    }

    struct LogCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "log", abstract: "Show the latest delivery attempts and the providers' answers.")
        @OptionGroup var global: GlobalOptions
        @Option(help: "How many attempts (newest first).") var limit = 50
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                let attempts = try drive.notifier.attempts(limit: max(1, limit))
                if json {
                    try Output.json(attempts)
                    return
                }
                if attempts.isEmpty { Output.line("no delivery attempts yet") }
                for attempt in attempts {
                    Output.line("\(Output.date(attempt.at))  #\(attempt.messageId)  \(attempt.channel.rawValue)  \(Output.escaped(attempt.recipientName)) "
                                + "<\(Output.escaped(attempt.address))>  \(attempt.outcome.rawValue) \(Output.escaped(attempt.status))  "
                                + "\(Int(attempt.latencyMs)) ms\(attempt.detail.isEmpty ? "" : "  " + Output.escaped(attempt.detail))")
                }
            }
        }
    }

    struct RetryDead: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "retry-dead", abstract: "Queue dead messages again (after fixing the provider's config).")
        @OptionGroup var global: GlobalOptions
        @Option(help: "Only this channel.") var channel: Channel?

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                let count = try drive.notifier.retryDead(channel: channel)
                let ids = try drive.notifier.queuedMessageIds()
                let left = try context.notifications(drive).workers.drain(ids, timeout: drive.notifier.configuration.cliWait)
                Output.line("\(count) dead message\(count == 1 ? "" : "s") queued again; \(left) still waiting")
            }
        }
    }

    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver notifications in the foreground until interrupted (run it as a service).",
            discussion: "Fans out every change as it is committed and sends what is due; several may run at once on one store.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try global.run { context in
                let drive = try context.drive()
                let service = try context.notifications(drive)
                Output.error("cairn: delivering notifications for \(drive.location.path) (\(service.workers.channels.map(\.rawValue).joined(separator: ", "))); Ctrl-C stops")
                service.start()
                Signals.waitForInterrupt()
                service.stop()
            }
        }
    }
}

extension User {
    /// This user as a notification recipient.
    var recipient: Recipient { Recipient(id: id!, name: name, email: email, phone: phone) }
}

struct SendJSON: Encodable {
    var key: String
    var inbox: Int
    var messages: Int
    var undelivered: Int
}

struct ChannelStatusJSON: Encodable {
    var channel: String
    var due, waiting, retrying, leased, delivered, dropped, dead: Int
    @NullWhenAbsent var oldestPendingSeconds: Double?

    init(_ status: ChannelStatus) {
        channel = status.channel.rawValue
        due = status.due
        waiting = status.waiting
        retrying = status.retrying
        leased = status.leased
        delivered = status.delivered
        dropped = status.dropped
        dead = status.dead
        oldestPendingSeconds = status.oldestPendingAge
    }
}

/// Waits for SIGINT or SIGTERM (a foreground service's stop).
enum Signals {
    static func waitForInterrupt() {
        signal(SIGINT, SIG_IGN)
        signal(SIGTERM, SIG_IGN)
        let stop = DispatchSemaphore(value: 0)
        let sources = [SIGINT, SIGTERM].map { number in
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            return source
        }
        stop.wait()
        sources.forEach { $0.cancel() }
    }
}
