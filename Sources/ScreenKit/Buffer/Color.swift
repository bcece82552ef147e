/// A terminal colour: the terminal's default, or an index into the 256-colour xterm palette.
///
/// Indices 0–7 are the basic colours, 8–15 their bright variants, 16–231 a 6×6×6 RGB cube
/// and 232–255 a grey ramp. Value type, Sendable.
public enum Color: Hashable, Sendable {
    /// The terminal's own foreground or background colour.
    case `default`
    /// A palette index, 0–255.
    case indexed(UInt8)

    /// Palette index 0.
    public static let black = Color.indexed(0)
    /// Palette index 1.
    public static let red = Color.indexed(1)
    /// Palette index 2.
    public static let green = Color.indexed(2)
    /// Palette index 3.
    public static let yellow = Color.indexed(3)
    /// Palette index 4.
    public static let blue = Color.indexed(4)
    /// Palette index 5.
    public static let magenta = Color.indexed(5)
    /// Palette index 6.
    public static let cyan = Color.indexed(6)
    /// Palette index 7.
    public static let white = Color.indexed(7)
    /// Palette index 8.
    public static let brightBlack = Color.indexed(8)

    /// The colour from the 6×6×6 cube nearest to an RGB value (each component 0–255).
    public static func rgb(_ red: UInt8, _ green: UInt8, _ blue: UInt8) -> Color {
        func level(_ component: UInt8) -> Int {
            let value = Int(component)
            return value < 48 ? 0 : value < 115 ? 1 : (value - 35) / 40
        }
        return .indexed(UInt8(16 + 36 * level(red) + 6 * level(green) + level(blue)))
    }

    /// This colour mapped into a palette of `paletteSize` colours (as reported by the
    /// terminal's `COLORS`): unchanged when it fits, otherwise the nearest of the first 8 or
    /// 16 colours by RGB distance; `.default` when the terminal has no colour at all.
    public func approximated(toPaletteSize paletteSize: Int) -> Color {
        guard case .indexed(let index) = self else { return self }
        if Int(index) < paletteSize { return self }
        guard paletteSize >= 8 else { return .default }
        let candidates = paletteSize >= 16 ? 16 : 8
        let target = Color.rgbComponents(ofIndex: index)
        var best = 0
        var bestDistance = Int.max
        for candidate in 0..<candidates {
            let rgb = Color.rgbComponents(ofIndex: UInt8(candidate))
            let distance = (0..<3).reduce(0) { sum, axis in
                let delta = rgb[axis] - target[axis]
                return sum + delta * delta
            }
            if distance < bestDistance {
                best = candidate
                bestDistance = distance
            }
        }
        return .indexed(UInt8(best))
    }

    /// The xterm default RGB value of a palette index, as `[red, green, blue]`.
    static func rgbComponents(ofIndex index: UInt8) -> [Int] {
        switch index {
        case 0..<16:
            return basicPalette[Int(index)]
        case 16..<232:
            let cube = Int(index) - 16
            let levels = [0, 95, 135, 175, 215, 255]
            return [levels[cube / 36], levels[cube / 6 % 6], levels[cube % 6]]
        default:
            let grey = 8 + (Int(index) - 232) * 10
            return [grey, grey, grey]
        }
    }

    private static let basicPalette: [[Int]] = [
        [0, 0, 0], [205, 0, 0], [0, 205, 0], [205, 205, 0],
        [0, 0, 238], [205, 0, 205], [0, 205, 205], [229, 229, 229],
        [127, 127, 127], [255, 0, 0], [0, 255, 0], [255, 255, 0],
        [92, 92, 255], [255, 0, 255], [0, 255, 255], [255, 255, 255],
    ]
}
