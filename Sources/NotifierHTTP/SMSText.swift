/// How many SMS segments a text costs. Carriers bill per segment, and a text with one character
/// outside the GSM 7-bit alphabet (Korean, an emoji, a curly quote) is sent as UCS-2 and fits
/// less than half as much in each, so the answer's detail says when a message was split.
public enum SMSText {
    /// The alphabet a text is sent in.
    public enum Encoding: String, Sendable {
        /// GSM 03.38 7-bit: 160 septets in one segment, 153 in each of several.
        case gsm7 = "GSM-7"
        /// UTF-16 code units: 70 in one segment, 67 in each of several.
        case ucs2 = "UCS-2"
    }

    /// The encoding `text` needs and how many segments it takes. A segment of several loses
    /// room to the concatenation header, and a character is never cut across two segments (an
    /// extension-table character's two septets, a surrogate pair's two units).
    public static func segments(_ text: String) -> (encoding: Encoding, segments: Int) {
        if let septets = gsmCosts(text) { return (.gsm7, count(septets, single: 160, multi: 153)) }
        return (.ucs2, count(text.unicodeScalars.map { UTF16.width($0) }, single: 70, multi: 67))
    }

    /// Each character's septets in GSM-7 (1, or 2 for the extension table), or nil when a
    /// character is in neither table.
    static func gsmCosts(_ text: String) -> [Int]? {
        var costs: [Int] = []
        for scalar in text.unicodeScalars {
            if basic.contains(scalar) {
                costs.append(1)
            } else if extended.contains(scalar) {
                costs.append(2)
            } else {
                return nil
            }
        }
        return costs
    }

    /// Segments for characters of `costs` units: one when all fit in `single`, else filled
    /// `multi` at a time without splitting a character.
    static func count(_ costs: [Int], single: Int, multi: Int) -> Int {
        guard costs.reduce(0, +) > single else { return 1 }
        var segments = 1
        var used = 0
        for cost in costs {
            if used + cost > multi {
                segments += 1
                used = 0
            }
            used += cost
        }
        return segments
    }

    /// The GSM 03.38 basic character set (the escape code 0x1B aside).
    static let basic = Set(("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)

    /// The extension table: each is sent as the escape code and a second septet.
    static let extended = Set("\u{0C}^{}\\[~]|€".unicodeScalars)
}
