/// Text attributes a terminal can render on a cell. Sendable option set.
public struct Attributes: OptionSet, Hashable, Sendable {
    public let rawValue: UInt8

    /// Creates attributes from their raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    /// Bold or bright text.
    public static let bold = Attributes(rawValue: 1 << 0)
    /// Dim (faint) text.
    public static let dim = Attributes(rawValue: 1 << 1)
    /// Underlined text.
    public static let underline = Attributes(rawValue: 1 << 2)
    /// Foreground and background swapped.
    public static let reverse = Attributes(rawValue: 1 << 3)
    /// Italic text (terminals without italics often show it reversed or not at all).
    public static let italic = Attributes(rawValue: 1 << 4)

    /// Every attribute with its name, in a fixed order (used by styled snapshots).
    public static let named: [(name: String, attribute: Attributes)] = [
        ("bold", .bold), ("dim", .dim), ("underline", .underline),
        ("reverse", .reverse), ("italic", .italic),
    ]
}

/// How a cell is drawn: foreground and background colour plus attributes. Value type, Sendable.
public struct Style: Hashable, Sendable {
    /// The colour of the glyph.
    public var foreground: Color
    /// The colour behind the glyph.
    public var background: Color
    /// Bold, dim, underline, reverse, italic.
    public var attributes: Attributes

    /// Creates a style; every part defaults to the terminal's plain text.
    public init(foreground: Color = .default, background: Color = .default, attributes: Attributes = []) {
        self.foreground = foreground
        self.background = background
        self.attributes = attributes
    }

    /// The terminal's default colours, no attributes.
    public static let plain = Style()

    /// This style with `attributes` added.
    public func adding(_ attributes: Attributes) -> Style {
        var copy = self
        copy.attributes.formUnion(attributes)
        return copy
    }

    /// This style with another foreground colour.
    public func foreground(_ color: Color) -> Style {
        var copy = self
        copy.foreground = color
        return copy
    }

    /// This style with another background colour.
    public func background(_ color: Color) -> Style {
        var copy = self
        copy.background = color
        return copy
    }
}

extension Style: CustomStringConvertible {
    /// A compact form such as `fg=1 bg=default bold,underline`, used in styled snapshots.
    public var description: String {
        var parts: [String] = []
        if foreground != .default { parts.append("fg=\(foreground.name)") }
        if background != .default { parts.append("bg=\(background.name)") }
        let names = Attributes.named.filter { attributes.contains($0.attribute) }.map(\.name)
        if !names.isEmpty { parts.append(names.joined(separator: ",")) }
        return parts.isEmpty ? "plain" : parts.joined(separator: " ")
    }
}

extension Color {
    fileprivate var name: String {
        switch self {
        case .default: return "default"
        case .indexed(let index): return String(index)
        }
    }
}
