import CNcurses

/// ncurses colour pairs, allocated on first use and cached: a style's foreground and
/// background are mapped into the terminal's palette and given a pair number once.
///
/// Pair 0 is the terminal's default colours (or white on black without
/// `use_default_colors`). When the terminal runs out of pairs, further combinations fall
/// back to pair 0 rather than recolouring cells already on screen. Owned by one terminal.
struct ColorPairTable {
    /// How many pairs the terminal has (`COLOR_PAIRS`); 0 without colour.
    let limit: Int
    /// Pair numbers handed out so far, by (foreground, background) palette numbers.
    private(set) var pairs: [Colors: Int] = [:]
    private var next = 1

    /// A foreground/background pair of palette numbers; -1 is the terminal's default.
    struct Colors: Hashable {
        var foreground: Int32
        var background: Int32
    }

    init(limit: Int) {
        self.limit = limit
    }

    /// The pair number for `style`, defining the pair with `initialize` the first time.
    ///
    /// - Parameters:
    ///   - paletteSize: colours available (`COLORS`); 0 means attributes only.
    ///   - defaultColors: whether -1 (the terminal's default) is a valid colour.
    ///   - initialize: defines pair number, foreground, background; returns success.
    mutating func pair(
        for style: Style, paletteSize: Int, defaultColors: Bool,
        initialize: (Int32, Int32, Int32) -> Bool = { cn_init_pair($0, $1, $2) == OK }
    ) -> Int {
        guard paletteSize > 0, limit > 1 else { return 0 }
        func number(_ color: Color, fallback: Int32) -> Int32 {
            switch color.approximated(toPaletteSize: paletteSize) {
            case .default: return defaultColors ? -1 : fallback
            case .indexed(let index): return Int32(index)
            }
        }
        let colors = Colors(
            foreground: number(style.foreground, fallback: 7),
            background: number(style.background, fallback: 0))
        if colors == (defaultColors ? Colors(foreground: -1, background: -1) : Colors(foreground: 7, background: 0)) {
            return 0
        }
        if let existing = pairs[colors] { return existing }
        guard next < limit, initialize(Int32(next), colors.foreground, colors.background) else {
            return 0
        }
        pairs[colors] = next
        next += 1
        return next - 1
    }
}
