/// Shell-style completion: what several candidates have in common. Pure.
enum Completion {
    /// The longest start every string in `strings` shares ("" for none).
    static func commonPrefix(of strings: [String]) -> String {
        guard var common = strings.first else { return "" }
        for string in strings.dropFirst() {
            while !string.hasPrefix(common) { common.removeLast() }
        }
        return common
    }
}
