import Foundation

/// How the UI writes sizes, dates and ratios: short, fixed-width friendly, and the same in
/// every view. Pure; dates are formatted in an explicit time zone so snapshots are stable.
public enum Formatting {
    /// "0 B", "999 B", "1.5 KiB", "15 KiB", "1023 MiB": at most 8 columns.
    public static func bytes(_ count: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        guard count >= 1024 else { return "\(count) B" }
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        let number = value < 10 ? String(format: "%.1f", value) : String(Int(value.rounded(.down)))
        return "\(number) \(units[unit])"
    }

    /// "2025-03-01 14:03" in `timeZone` (16 columns).
    public static func date(_ date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        func two(_ value: Int?) -> String {
            let value = value ?? 0
            return value < 10 ? "0\(value)" : "\(value)"
        }
        return "\(parts.year ?? 0)-\(two(parts.month))-\(two(parts.day)) \(two(parts.hour)):\(two(parts.minute))"
    }

    /// "3.2×".
    public static func ratio(_ value: Double) -> String {
        String(format: "%.1f×", value)
    }

    /// "12 items", "1 item".
    public static func count(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// The first `length` hex digits of `data`, with "…" when there are more.
    public static func hex(_ data: Data, length: Int = 16) -> String {
        let text = data.map { String(format: "%02x", $0) }.joined()
        return text.count > length ? String(text.prefix(length)) + "…" : text
    }
}
