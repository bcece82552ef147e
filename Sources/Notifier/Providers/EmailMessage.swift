#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// One queued message as an Internet email (RFC 5322 with MIME, RFC 2045–2047): plain text in
/// UTF-8, every header line 7-bit and at most 78 characters where it can be folded.
///
/// Nothing from the message reaches a header raw: control characters (CR, LF and the rest)
/// become spaces, so a title cannot start a header of its own (a `Bcc:` that `sendmail -t`
/// would obey); text that is not plain ASCII becomes RFC 2047 encoded-words.
public struct EmailMessage: Sendable, Equatable {
    /// One header field: its value on one line (encoded, not yet folded).
    public struct Field: Sendable, Equatable {
        public var name: String
        public var value: String
    }

    /// The header fields, in order.
    public var fields: [Field]
    /// "7bit" or "base64".
    public var transferEncoding: String
    /// The body's lines as sent: text lines for 7bit, base64 lines of 76 for base64.
    public var bodyLines: [String]

    /// Header lines are folded to this many characters (RFC 5322's SHOULD; 998 is the MUST).
    static let lineLimit = 78

    /// The email for `message`, sent as `from` (`Name <address>` or an address) with
    /// `unsubscribe` (a URL or mailto) as its List-Unsubscribe.
    public init(_ message: OutgoingMessage, from: String, unsubscribe: String) {
        (transferEncoding, bodyLines) = Self.body(Self.bodyText(message))
        fields = Self.headers(message, from: from, unsubscribe: unsubscribe)
            + [Field(name: "Content-Transfer-Encoding", value: transferEncoding)]
    }

    /// The whole message, every line ended by `newline`: "\r\n" on the wire, "\n" for a local
    /// program such as sendmail.
    public func text(newline: String) -> String {
        let header = fields.map { Self.fold($0, newline: newline) }.joined(separator: newline)
        return header + newline + newline + bodyLines.map { $0 + newline }.joined()
    }

    /// Whether `address` can go in a To field as is: a local part and a domain of visible ASCII
    /// without the characters that would end or split an address. Anything else is refused
    /// rather than repaired.
    public static func isAddress(_ address: String) -> Bool {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty } && address.unicodeScalars.allSatisfy { scalar in
            (0x21...0x7e).contains(scalar.value) && !"<>()[],;:\\\"".unicodeScalars.contains(scalar)
        }
    }

    // MARK: Header values

    /// Every header field but Content-Transfer-Encoding.
    static func headers(_ message: OutgoingMessage, from: String, unsubscribe: String) -> [Field] {
        let unsubscribe = oneLine(unsubscribe).filter { !"<> ".contains($0) }
        let sender = splitMailbox(from)
        var fields = [
            Field(name: "From", value: mailbox(name: sender.name, address: sender.address, header: "From")),
            Field(name: "To", value: mailbox(name: message.recipientName, address: message.address, header: "To")),
            Field(name: "Subject", value: unstructured(message.title, header: "Subject")),
            Field(name: "Date", value: date(message.createdAt)),
            Field(name: "Message-ID", value: messageID(key: message.key, id: message.id)),
            Field(name: "List-Unsubscribe", value: "<\(unsubscribe)>"),
        ]
        // RFC 8058: one-click unsubscribing is a POST, to an https URL only.
        if unsubscribe.lowercased().hasPrefix("https:") {
            fields.append(Field(name: "List-Unsubscribe-Post", value: "List-Unsubscribe=One-Click"))
        }
        // RFC 3834: an automatic message; vacation responders do not answer it.
        fields.append(Field(name: "Auto-Submitted", value: "auto-generated"))
        fields.append(Field(name: "MIME-Version", value: "1.0"))
        fields.append(Field(name: "Content-Type", value: "text/plain; charset=utf-8"))
        return fields
    }

    /// `text` on one line: each run of control characters (CR, LF, tab, …) becomes one space.
    static func oneLine(_ text: String) -> String {
        text.unicodeScalars.split(whereSeparator: { $0.properties.generalCategory == .control || $0 == "\u{2028}" || $0 == "\u{2029}" })
            .map { String(String.UnicodeScalarView($0)) }.joined(separator: " ").trimmingCharacters(in: .whitespaces)
    }

    /// `Cairn <cairn@example.com>` → ("Cairn", "cairn@example.com"); a bare address has no name.
    static func splitMailbox(_ text: String) -> (name: String, address: String) {
        let text = oneLine(text)
        guard text.hasSuffix(">"), let open = text.lastIndex(of: "<") else { return ("", text) }
        var name = text[..<open].trimmingCharacters(in: .whitespaces)
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") { name = String(name.dropFirst().dropLast()) }
        return (name, String(text[text.index(after: open)..<text.index(before: text.endIndex)]))
    }

    /// A mailbox for `header`: `address` alone, or a display name (as atoms, a quoted string or
    /// encoded-words) and `<address>`.
    static func mailbox(name: String, address: String, header: String) -> String {
        let name = oneLine(name)
        let address = oneLine(address).filter { !"<> ".contains($0) }
        guard !name.isEmpty else { return address }
        if needsEncoding(name) {
            return (encodedWords(name, firstRoom: lineLimit - header.count - 2) + ["<\(address)>"]).joined(separator: " ")
        }
        let atext = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+-/=?^_`{|}~ "))
        if name.unicodeScalars.allSatisfy(atext.contains) { return "\(name) <\(address)>" }
        let quoted = name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return "\"\(quoted)\" <\(address)>"
    }

    /// Unstructured text (a subject): as it is when plain ASCII that folds, else encoded-words.
    static func unstructured(_ text: String, header: String) -> String {
        let text = oneLine(text)
        let foldable = text.split(separator: " ").allSatisfy { $0.count <= lineLimit - header.count - 2 }
        guard needsEncoding(text) || !foldable else { return text }
        return encodedWords(text, firstRoom: lineLimit - header.count - 2).joined(separator: " ")
    }

    /// Whether `text` must be encoded: not ASCII, or holding `=?`, which a reader would take for
    /// the start of an encoded-word.
    static func needsEncoding(_ text: String) -> Bool {
        !text.unicodeScalars.allSatisfy(\.isASCII) || text.contains("=?")
    }

    /// `text` as RFC 2047 encoded-words (`=?UTF-8?B?…?=`) of at most 75 characters — the first
    /// at most `firstRoom`, to fit on the header's first line — each holding whole characters,
    /// since a reader decodes each word alone.
    static func encodedWords(_ text: String, firstRoom: Int) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        for piece in pieces(text) {
            if chunk.count + piece.count > capacity(words.isEmpty ? min(firstRoom, 75) : 75), !chunk.isEmpty {
                words.append(encodedWord(chunk))
                chunk = []
            }
            chunk += piece
        }
        if !chunk.isEmpty || words.isEmpty { words.append(encodedWord(chunk)) }
        return words
    }

    /// The UTF-8 bytes of each character of `text`; a character too long for one encoded-word
    /// (a long run of combining marks) is split into its Unicode scalars.
    private static func pieces(_ text: String) -> [[UInt8]] {
        text.flatMap { character -> [[UInt8]] in
            let bytes = Array(String(character).utf8)
            return bytes.count <= capacity(75) ? [bytes] : character.unicodeScalars.map { Array(String($0).utf8) }
        }
    }

    /// How many bytes an encoded-word of at most `room` characters holds: base64 in whole
    /// quartets between `=?UTF-8?B?` and `?=`.
    private static func capacity(_ room: Int) -> Int {
        max(1, (room - 12) / 4) * 3
    }

    private static func encodedWord(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?\(Data(bytes).base64EncodedString())?="
    }

    /// `date` in RFC 5322 form, in UTC: "Tue, 14 Nov 2023 22:13:20 +0000".
    static func date(_ date: Date) -> String {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let day = String(format: "%02d", parts.tm_mday)
        let time = String(format: "%04d %02d:%02d:%02d", parts.tm_year + 1900, parts.tm_hour, parts.tm_min, parts.tm_sec)
        return "\(days[Int(parts.tm_wday)]), \(day) \(months[Int(parts.tm_mon)]) \(time) +0000"
    }

    /// `<KEY-HASH.ID@cairn>`: the same for every attempt at one queue row, so a receiver can drop
    /// a duplicate, and different for every recipient of one event. KEY is the event key cut to
    /// letters, digits and `._-` (readable in logs), HASH the FNV-1a hash of the whole key (keys
    /// that read alike stay apart), ID the row's id.
    static func messageID(key: String, id: Int64) -> String {
        var readable = ""
        for scalar in key.unicodeScalars {
            let kept = scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || "._-".unicodeScalars.contains(scalar))
            let next: Character = kept ? Character(scalar) : "_"
            // No runs of replacements, and no ".." (a dot-atom has none).
            if next == "_" && readable.last == "_" || next == "." && readable.last == "." { continue }
            readable.append(next)
        }
        readable = String(readable.prefix(24)).trimmingCharacters(in: CharacterSet(charactersIn: "."))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let hex = String(hash, radix: 16)
        let unique = String(repeating: "0", count: 16 - hex.count) + hex + ".\(id)"
        return "<\(readable.isEmpty ? "" : readable + "-")\(unique)@cairn>"
    }

    /// `field` as header lines of at most `lineLimit` characters, broken before a space (RFC
    /// 5322 folding: a reader removes the line breaks and gets the value back). A single word
    /// longer than a line (a long URL) stays whole.
    static func fold(_ field: Field, newline: String) -> String {
        var lines: [String] = []
        var line = field.name + ":"
        for word in field.value.split(separator: " ", omittingEmptySubsequences: false) {
            // Never before an empty word (two spaces in a row): a line of only white space is not allowed.
            if line.utf8.count + 1 + word.utf8.count > lineLimit, !word.isEmpty {
                lines.append(line)
                line = ""
            }
            line += " " + word
        }
        return (lines + [line]).joined(separator: newline)
    }

    // MARK: Body

    /// The body's text with LF line ends, the link (when there is one) on a line of its own.
    static func bodyText(_ message: OutgoingMessage) -> String {
        var text = message.body.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        while text.hasSuffix("\n") { text.removeLast() }
        if let link = message.link {
            text += (text.isEmpty ? "" : "\n\n") + "Open: " + oneLine(link)
        }
        return text
    }

    /// The transfer encoding and the lines to send for `text`: as they are when 7bit will do,
    /// else base64 in lines of 76.
    static func body(_ text: String) -> (encoding: String, lines: [String]) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if isSevenBit(lines) { return ("7bit", lines) }
        // The canonical form of text/* (RFC 2046) ends lines in CRLF before it is encoded.
        let encoded = Array(Data(lines.joined(separator: "\r\n").utf8).base64EncodedString().utf8)
        return ("base64", stride(from: 0, to: encoded.count, by: 76).map { start in
            String(decoding: encoded[start..<min(start + 76, encoded.count)], as: UTF8.self)
        })
    }

    /// Whether `lines` can go as 7bit (RFC 2045): ASCII without NUL, lines of at most 998 octets.
    static func isSevenBit(_ lines: [String]) -> Bool {
        lines.allSatisfy { line in line.utf8.count <= 998 && line.utf8.allSatisfy { (1...127).contains($0) } }
    }
}
