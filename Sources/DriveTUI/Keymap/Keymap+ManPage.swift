extension Keymap {
    /// The KEYS section of cairn(1), generated from the binding table: `man/cairn.1` holds
    /// exactly this text, and a test checks that it does. roff, one `.SS` per context.
    public static func manPageKeysSection() -> String {
        var lines = [
            ".SH KEYS",
            "Running",
            ".B cairn",
            "with no command opens the full-screen drive.",
            "Every key is listed by pressing",
            ".B ?",
            "in the program; the mouse wheel scrolls lists and a click selects a row.",
        ]
        for (context, group) in bindingsByContext() {
            lines.append(".SS \(roff(context.rawValue))")
            for binding in group {
                lines.append(".TP")
                lines.append(".B \(roff(binding.keyLabel))")
                lines.append(roff(binding.summary) + ".")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Escapes text for roff: backslashes, minus signs, and a leading dot or quote.
    static func roff(_ text: String) -> String {
        var escaped = text.replacingOccurrences(of: "\\", with: "\\e").replacingOccurrences(of: "-", with: "\\-")
        if escaped.hasPrefix(".") || escaped.hasPrefix("'") { escaped = "\\&" + escaped }
        return escaped
    }
}
