import Foundation
import Testing

/// An email taken apart the way a mail reader does it, written here independently of the code
/// under test: header lines unfolded, RFC 2047 encoded-words decoded (strictly: each word must
/// hold whole UTF-8 characters), the body decoded by its Content-Transfer-Encoding.
struct MailReader {
    /// The header's physical lines, before unfolding.
    var headerLines: [String]
    /// Each field's name and unfolded (still encoded) value, in order.
    var fields: [(name: String, value: String)]
    /// The body's lines as sent.
    var bodyLines: [String]

    /// Reads `text`, with lines ended by CRLF or by LF.
    init(_ text: String) {
        var lines = text.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
        if lines.last == "" { lines.removeLast() }
        let blank = lines.firstIndex(of: "") ?? lines.endIndex
        headerLines = Array(lines[..<blank])
        bodyLines = Array(lines[min(blank + 1, lines.endIndex)...])
        fields = []
        for line in headerLines {
            if line.first == " " || line.first == "\t", !fields.isEmpty {
                fields[fields.count - 1].value += line
            } else if let colon = line.firstIndex(of: ":") {
                fields.append((String(line[..<colon]), String(line[line.index(after: colon)...].drop { $0 == " " })))
            } else {
                Issue.record("a header line that is neither a field nor a continuation: \(line)")
            }
        }
    }

    /// The values of every field called `name` (any case), unfolded but not decoded.
    func raw(_ name: String) -> [String] {
        fields.filter { $0.name.lowercased() == name.lowercased() }.map(\.value)
    }

    /// The decoded value of the only field called `name`; nil (and an issue) when there is not
    /// exactly one.
    func header(_ name: String, sourceLocation: SourceLocation = #_sourceLocation) -> String? {
        let values = raw(name)
        guard values.count == 1 else {
            Issue.record("expected one \(name) field, found \(values.count)", sourceLocation: sourceLocation)
            return nil
        }
        return Self.decodeWords(values[0])
    }

    /// The body as text, decoded by its transfer encoding, lines ended by LF.
    var body: String? {
        let encoding = raw("Content-Transfer-Encoding").first?.lowercased() ?? "7bit"
        guard encoding == "base64" else { return bodyLines.joined(separator: "\n") }
        guard let data = Data(base64Encoded: bodyLines.joined()) else { return nil }
        return String(data: data, encoding: .utf8)?.replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// `value` with its encoded-words (`=?UTF-8?B?…?=`) decoded; white space between two
    /// encoded-words is dropped (RFC 2047 §6.2). A word that does not decode stays as it is, so
    /// the comparison that follows fails and shows it.
    static func decodeWords(_ value: String) -> String {
        var out = ""
        var pendingSpace = ""
        var lastWasEncoded = false
        for token in value.split(separator: " ", omittingEmptySubsequences: false) {
            if let decoded = decodeWord(String(token)) {
                out += (lastWasEncoded ? "" : pendingSpace) + decoded
                lastWasEncoded = true
            } else {
                out += pendingSpace + token
                lastWasEncoded = false
            }
            pendingSpace = " "
        }
        return out
    }

    /// One encoded-word's text, or nil when `word` is not a well-formed UTF-8 B encoded-word of
    /// at most 75 characters holding whole characters.
    static func decodeWord(_ word: String) -> String? {
        guard word.count <= 75, word.hasPrefix("=?"), word.hasSuffix("?="), word.count >= 4 else { return nil }
        let parts = word.dropFirst(2).dropLast(2).split(separator: "?", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].uppercased() == "UTF-8", parts[1].uppercased() == "B",
              let bytes = Data(base64Encoded: String(parts[2])) else { return nil }
        return String(data: bytes, encoding: .utf8)
    }
}
