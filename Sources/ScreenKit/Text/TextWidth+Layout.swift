/// Where ``TextWidth/truncate(_:toWidth:ellipsis:position:)`` removes text.
public enum TruncationPosition: Sendable, Equatable {
    /// Keep the start: `"a-very-long-n…"`.
    case end
    /// Keep the start and the end, so a file extension survives: `"a-very…me.txt"`.
    case middle
}

/// How ``TextWidth/align(_:toWidth:alignment:)`` places text in a wider column.
public enum TextAlignment: Sendable, Equatable {
    /// Flush left, padded on the right.
    case leading
    /// Flush right, padded on the left.
    case trailing
    /// Centred; an odd leftover column goes to the right.
    case center
}

extension TextWidth {
    /// Shortens `text` to at most `width` columns, marking the cut with `ellipsis`.
    ///
    /// Text that already fits is returned unchanged. Otherwise the result is exactly `width`
    /// columns: it never cuts inside a grapheme cluster, and a wide character that would
    /// straddle the edge is left out and its column filled with a space after the ellipsis.
    public static func truncate(
        _ text: String, toWidth width: Int, ellipsis: String = "…",
        position: TruncationPosition = .end
    ) -> String {
        guard width > 0 else { return "" }
        guard of(text) > width else { return text }
        let ellipsisWidth = of(ellipsis)
        guard ellipsisWidth < width else {
            return truncate(ellipsis, toWidth: width, ellipsis: "")
        }
        let budget = width - ellipsisWidth
        let whole = Substring(text)
        var result: String
        var used: Int
        switch position {
        case .end:
            let head = prefix(of: whole, fitting: budget)
            result = String(head.text) + ellipsis
            used = head.width
        case .middle:
            let head = prefix(of: whole, fitting: (budget + 1) / 2)
            let tail = suffix(of: whole, fitting: budget - head.width)
            result = String(head.text) + ellipsis + String(tail.text)
            used = head.width + tail.width
        }
        used += ellipsisWidth
        result.append(String(repeating: " ", count: width - used))
        return result
    }

    /// Makes `text` exactly `width` columns: truncated with `ellipsis` when too long,
    /// padded with spaces on the right when too short.
    public static func pad(_ text: String, toWidth width: Int, ellipsis: String = "…") -> String {
        align(text, toWidth: width, alignment: .leading, ellipsis: ellipsis)
    }

    /// Makes `text` exactly `width` columns, flush right: truncated when too long.
    public static func rightAlign(_ text: String, toWidth width: Int, ellipsis: String = "…") -> String {
        align(text, toWidth: width, alignment: .trailing, ellipsis: ellipsis)
    }

    /// Makes `text` exactly `width` columns with the given alignment: truncated at the end
    /// with `ellipsis` when too long, padded with spaces when too short.
    public static func align(
        _ text: String, toWidth width: Int, alignment: TextAlignment, ellipsis: String = "…"
    ) -> String {
        guard width > 0 else { return "" }
        let current = of(text)
        if current > width {
            return truncate(text, toWidth: width, ellipsis: ellipsis)
        }
        let slack = width - current
        let left: Int
        switch alignment {
        case .leading: left = 0
        case .trailing: left = slack
        case .center: left = slack / 2
        }
        return String(repeating: " ", count: left) + text + String(repeating: " ", count: slack - left)
    }
}
