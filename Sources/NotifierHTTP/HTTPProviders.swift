import Foundation
import Notifier

/// Builds this module's providers from the notifier's config file, so a host adds every HTTP
/// channel with one call and keeps the HTTP stack out of `Notifier` itself.
public enum HTTPProviders {
    /// A provider for each configured section (`[apns]`, `[fcm]`, `[sms]`) and always one for
    /// webhooks, which carry their own URL and secret. A configured section that lacks a key, or
    /// names a key file that cannot be read, fails the whole call with a one-line message naming
    /// the section and key: a typo shows when the host starts, not as messages piling up.
    public static func make(_ configuration: NotifierConfiguration) throws(NotifierError) -> [any NotificationProvider] {
        var providers: [any NotificationProvider] = []
        let apns = ProviderSection("apns", configuration)
        if apns.isConfigured { providers.append(try APNsProvider(apns)) }
        let fcm = ProviderSection("fcm", configuration)
        if fcm.isConfigured { providers.append(try FCMProvider(fcm)) }
        let sms = ProviderSection("sms", configuration)
        if sms.isConfigured { providers.append(try SMSProvider(sms)) }
        providers.append(try WebhookProvider(ProviderSection("webhook", configuration)))
        return providers
    }
}

/// One provider's `[section]` of the config file. Every error it throws names the file, the
/// section and the key, so the message alone says what to fix.
struct ProviderSection: Sendable {
    let name: String
    let values: [String: String]
    let source: String
    /// Whether the file has the section at all (an absent section means "not used here").
    let isConfigured: Bool

    init(_ name: String, _ configuration: NotifierConfiguration) {
        self.name = name
        self.values = configuration.sections[name] ?? [:]
        self.source = configuration.source ?? "notify config"
        self.isConfigured = configuration.sections[name] != nil
    }

    /// The value of `key`, or nil when absent or empty.
    func optional(_ key: String) -> String? {
        values[key].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The value of `key`; its absence is an error that says what the key is for.
    func required(_ key: String, _ meaning: String) throws(NotifierError) -> String {
        guard let value = optional(key) else { throw error(key, "missing (\(meaning))") }
        return value
    }

    /// The contents of the file `key` names (a key or certificate the provider needs).
    func file(_ key: String, _ meaning: String) throws(NotifierError) -> Data {
        let path = try required(key, meaning)
        guard let data = FileManager.default.contents(atPath: path) else { throw error(key, "cannot read \(path)") }
        return data
    }

    /// The service's base URL: `key url`, or `fallback`; without a trailing slash, so paths are
    /// appended as they are written in the service's documentation.
    func baseURL(_ fallback: String) throws(NotifierError) -> String {
        let url = optional("url") ?? fallback
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
              parsed.host?.isEmpty == false else {
            throw error("url", "'\(url)' is not an http(s) URL")
        }
        return url.hasSuffix("/") ? String(url.dropLast()) : url
    }

    /// Seconds one request may take (`timeout`, default 10): a hung service must not hold a
    /// worker, and its message is retried.
    func timeout() throws(NotifierError) -> TimeInterval {
        guard let text = optional("timeout") else { return 10 }
        guard let seconds = Double(text), seconds > 0, seconds.isFinite else {
            throw error("timeout", "'\(text)' is not a positive number of seconds")
        }
        return seconds
    }

    /// An error about `key` of this section.
    func error(_ key: String, _ reason: String) -> NotifierError {
        NotifierError(.invalidArgument, "\(source) [\(name)] \(key)", reason)
    }
}
