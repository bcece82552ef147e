import Testing

@testable import ScreenKit

@Suite("InputDecoder")
struct InputDecoderTests {
    // Codes spelled out from ncurses' curses.h so a wrong constant in the decoder fails here.
    @Test(
        "function keys",
        arguments: [
            (0o402, Key.down), (0o403, .up), (0o404, .left), (0o405, .right),
            (0o406, .home), (0o550, .end), (0o523, .pageUp), (0o522, .pageDown),
            (0o513, .insert), (0o512, .delete), (0o407, .backspace), (0o527, .enter),
            (0o541, .backTab), (0o552, .home), (0o601, .end),
            (0o410 + 1, .function(1)), (0o410 + 12, .function(12)), (0o410 + 63, .function(63)),
        ] as [(Int32, Key)])
    func functionKeys(code: Int32, key: Key) {
        #expect(InputDecoder.decode(.functionKey(code)) == .key(key))
    }

    @Test("unknown function keys are ignored", arguments: [0o410, 0o410 + 64, 0o777, 0o633] as [Int32])
    func unknownFunctionKeys(code: Int32) {
        #expect(InputDecoder.decode(.functionKey(code)) == nil)
    }

    @Test(
        "characters and controls in raw mode",
        arguments: [
            (3, Key.ctrl("c")), (1, .ctrl("a")), (26, .ctrl("z")), (17, .ctrl("q")), (0, .ctrl(" ")),
            (28, .ctrl("\\")), (29, .ctrl("]")), (31, .ctrl("_")),
            (13, .enter), (10, .enter), (9, .tab), (8, .backspace), (127, .backspace), (27, .escape),
            (0x41, .character("A")), (0x20, .character(" ")), (0xD55C, .character("한")),
            (0x1F600, .character("😀")), (0x301, .character("\u{301}")),
        ] as [(UInt32, Key)])
    func characters(value: UInt32, key: Key) {
        #expect(InputDecoder.decode(.character(value)) == .key(key))
    }

    @Test("meaningless code points are dropped", arguments: [0x85, 0x9F, 0xD800, 0x110000] as [UInt32])
    func invalidCharacters(value: UInt32) {
        #expect(InputDecoder.decode(.character(value)) == nil)
    }

    @Test func resizeNeedsTheNewSize() {
        #expect(InputDecoder.decode(.functionKey(0o632), size: TerminalSize(width: 80, height: 24)) == .resize(width: 80, height: 24))
        #expect(InputDecoder.decode(.functionKey(0o632)) == nil)
    }

    // bstate bits for NCURSES_MOUSE_VERSION 2: button b's flags are shifted by 5 * (b - 1).
    @Test(
        "mouse reports",
        arguments: [
            (0x2, MouseAction.press(.left)), (0x1, .release(.left)), (0x4, .click(.left)),
            (0x8, .doubleClick(.left)), (0x40, .press(.middle)), (0x800, .press(.right)),
            (0x400, .release(.right)), (0x1_0000, .wheelUp), (0x20_0000, .wheelDown),
            (0x1000_0000, .move), (0x1000_0002, .press(.left)),
        ] as [(UInt32, MouseAction)])
    func mouse(state: UInt32, action: MouseAction) {
        let raw = RawMouse(x: 7, y: 3, buttonState: state)
        #expect(InputDecoder.decode(.functionKey(0o631), mouse: raw) == .mouse(MouseEvent(action, row: 3, column: 7)))
    }

    @Test func mouseWithoutAReportOrButtonsIsDropped() {
        #expect(InputDecoder.decode(.functionKey(0o631)) == nil)
        #expect(InputDecoder.decodeMouse(RawMouse(x: 0, y: 0, buttonState: 0)) == nil)
    }

    @Test func combiningRebuildsClustersTypedAPieceAtATime() {
        #expect(InputDecoder.combining("e", with: "\u{301}") == "e\u{301}")
        #expect(InputDecoder.combining("🇰", with: "🇷") == "🇰🇷")
        let joined = InputDecoder.combining("👨", with: "\u{200D}")
        #expect(joined.flatMap { InputDecoder.combining($0, with: "👩") } == "👨‍👩")
        #expect(InputDecoder.combining("a", with: "b") == nil)
        #expect(InputDecoder.combining("한", with: "글") == nil)
    }

    @Test func typingProducesOneEventPerCharacter() {
        #expect(InputEvent.typing("한글") == [.key(.character("한")), .key(.character("글"))])
    }
}
