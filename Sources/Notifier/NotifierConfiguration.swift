import Foundation

/// The notifier's settings, read from an INI-style file: `[section]` lines, then `key = value`
/// lines; `#` starts a comment. Providers read their own section (`[email]`, `[apns]`, `[fcm]`,
/// `[sms]`, `[webhook]`); `[delivery]` holds the queue's own knobs.
///
/// ```
/// [delivery]
/// max-attempts = 8        # then the message is dead (see 'cairn notify retry-dead')
/// backoff-base = 2        # seconds; full jitter, doubled per attempt
/// backoff-cap = 600       # seconds
/// lease = 60              # seconds a worker holds a message it is sending
/// cli-wait = 2            # seconds a CLI command waits to deliver what it queued
/// concurrency = 4         # messages in flight per channel and process
/// ```
public struct NotifierConfiguration: Sendable, Equatable {
    /// section → key → value; keys are lower case.
    public var sections: [String: [String: String]]
    /// The file it came from, for error messages (nil when built in code).
    public var source: String?

    public init(sections: [String: [String: String]] = [:], source: String? = nil) {
        self.sections = sections
        self.source = source
    }

    /// `value` of `key` in `section`, or nil.
    public func value(_ section: String, _ key: String) -> String? {
        sections[section.lowercased()]?[key.lowercased()]
    }

    /// A number from `[delivery]`, or `fallback` when absent or not a number.
    func number(_ key: String, _ fallback: Double) -> Double {
        value("delivery", key).flatMap(Double.init).map { max(0, $0) } ?? fallback
    }

    public var maxAttempts: Int { max(1, Int(number("max-attempts", 8))) }
    public var backoffBase: Double { number("backoff-base", 2) }
    public var backoffCap: Double { number("backoff-cap", 600) }
    public var lease: Double { max(1, number("lease", 60)) }
    public var cliWait: Double { number("cli-wait", 2) }
    public var concurrency: Int { max(1, Int(number("concurrency", 4))) }

    /// Parses `text`; a line that is neither a section, a setting nor a comment is an error
    /// naming its line.
    public static func parse(_ text: String, source: String? = nil) throws(NotifierError) -> NotifierConfiguration {
        var sections: [String: [String: String]] = [:]
        var section = ""
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw)
            if let hash = line.firstIndex(of: "#"), line[..<hash].last?.isWhitespace ?? true { line = line[..<hash] }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            if trimmed.hasPrefix("[") && trimmed.hasSuffix("]") {
                section = String(trimmed.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces).lowercased()
                continue
            }
            guard let equals = trimmed.firstIndex(of: "=") else {
                throw NotifierError(.invalidArgument, "\(source ?? "config"):\(index + 1)",
                                    "'\(trimmed)' is neither '[section]' nor 'key = value'")
            }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            let value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            sections[section, default: [:]][key] = value
        }
        return NotifierConfiguration(sections: sections, source: source)
    }

    /// Reads `path`; a missing file is an empty configuration (every provider unconfigured).
    public static func load(path: String) throws(NotifierError) -> NotifierConfiguration {
        guard FileManager.default.fileExists(atPath: path) else { return NotifierConfiguration(source: path) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw NotifierError(.io, path, "cannot read the notification config")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }
}

/// A notifier failure: what failed, on which subject, and what to do.
public struct NotifierError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: Sendable, Equatable { case invalidArgument, notFound, io, busy }
    public var code: Code
    public var subject: String
    public var reason: String
    public var hint: String?

    public init(_ code: Code, _ subject: String, _ reason: String, hint: String? = nil) {
        self.code = code
        self.subject = subject
        self.reason = reason
        self.hint = hint
    }

    /// A failure of `operation` on `subject` ("token add abc: not a push token").
    public init(_ code: Code, _ operation: String, _ subject: String, _ reason: String, hint: String? = nil) {
        self.init(code, "\(operation) \(subject)", reason, hint: hint)
    }

    public var description: String {
        let head = subject.isEmpty ? reason : "\(subject): \(reason)"
        return hint.map { "\(head) (\($0))" } ?? head
    }
}
