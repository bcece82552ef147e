import Foundation

/// A notification's words: a title (email subject, push title) and a body, with `{name}`
/// placeholders filled from the event's values.
public struct Template: Sendable, Equatable {
    public var title: String
    public var body: String

    public init(title: String, body: String) {
        self.title = title
        self.body = body
    }

    /// The template with every `{name}` replaced by `values[name]` (unknown names stay as typed).
    public func rendered(_ values: [String: String]) -> Template {
        Template(title: Self.fill(title, values), body: Self.fill(body, values))
    }

    /// Replaces `{name}` placeholders; works on UTF-8 bytes (fan-out fills two templates per
    /// recipient of every event, and String indexing was a tenth of its time).
    static func fill(_ text: String, _ values: [String: String]) -> String {
        let open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        guard text.utf8.contains(open) else { return text }
        let bytes = Array(text.utf8)
        var out = ""
        var literal = 0
        var index = 0
        while index < bytes.count {
            if bytes[index] == open, let end = bytes[(index + 1)...].firstIndex(of: close),
               let value = values[String(decoding: bytes[(index + 1)..<end], as: UTF8.self)] {
                out += String(decoding: bytes[literal..<index], as: UTF8.self)
                out += value
                index = end + 1
                literal = index
            } else {
                index += 1
            }
        }
        return out + String(decoding: bytes[literal...], as: UTF8.self)
    }
}

/// Templates per kind × channel: the caller's built-in set, overridden by files in a folder.
///
/// Names are `KIND.CHANNEL` (for one channel) or `KIND` (for all), and `KIND.digest.CHANNEL` /
/// `KIND.digest` for a digest that stands for several events (`{count}` is their number). An
/// override file is `FOLDER/NAME.txt`: its first line is the title, the rest (after an optional
/// blank line) the body.
public struct TemplateBook: Sendable {
    public var templates: [String: Template]

    public init(builtIn: [String: Template], overrides folder: String? = nil) {
        var templates = builtIn
        if let folder, let names = try? FileManager.default.contentsOfDirectory(atPath: folder) {
            for name in names where name.hasSuffix(".txt") {
                guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { continue }
                var lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
                guard let title = lines.first else { continue }
                lines.removeFirst()
                if lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
                while lines.last?.isEmpty == true { lines.removeLast() }
                templates[String(name.dropLast(4))] = Template(title: String(title), body: lines.joined(separator: "\n"))
            }
        }
        self.templates = templates
    }

    /// The words for `kind` on `channel` standing for `count` events, or `fallback` filled in
    /// when no template names the kind.
    public func render(kind: String, channel: Channel, count: Int, values: [String: String], fallback: Template) -> Template {
        var values = values
        values["count"] = String(count)
        let names = count > 1
            ? ["\(kind).digest.\(channel.rawValue)", "\(kind).digest", "\(kind).\(channel.rawValue)", kind]
            : ["\(kind).\(channel.rawValue)", kind]
        for name in names {
            if let template = templates[name] { return template.rendered(values) }
        }
        var plain = fallback.rendered(values)
        if count > 1 { plain.title += " (\(count) times)" }
        return plain
    }
}
