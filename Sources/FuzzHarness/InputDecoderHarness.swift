import CNcurses
import ScreenKit

/// Harness for the terminal input decoder: the input is a stream of raw ncurses results
/// (characters, key codes, mouse reports, resizes, grapheme continuations), each a kind byte
/// then little-endian fields, decoded in turn with the properties each kind must keep.
enum InputDecoderHarness {
    static func run(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        var bytes = ByteCursor(input)
        var previous: Character = "a"
        while let kind = bytes.byte() {
            switch kind % 5 {
            case 0:
                let value = bytes.uint32()
                let key = InputDecoder.decodeCharacter(value)
                try FuzzFailure.check(InputDecoder.decode(.character(value)) == key.map(InputEvent.key),
                                      "decode and decodeCharacter disagree on \(value)")
                if value >= 0xA0 || (0x20..<0x7F).contains(value), let scalar = Unicode.Scalar(value) {
                    try FuzzFailure.check(key == .character(Character(scalar)), "printable \(value) decoded as \(String(describing: key))")
                    previous = Character(scalar)
                }
            case 1:
                let code = Int32(bitPattern: bytes.uint32())
                let event = InputDecoder.decode(.functionKey(code))
                if code > KEY_F0 && code <= KEY_F0 + 63 {
                    try FuzzFailure.check(event == .key(.function(Int(code - KEY_F0))), "key code \(code) decoded as \(String(describing: event))")
                }
                if code == KEY_MOUSE || code == KEY_RESIZE {
                    try FuzzFailure.check(event == nil, "key code \(code) without its report decoded as \(String(describing: event))")
                }
            case 2:
                let mouse = RawMouse(x: Int(Int32(bitPattern: bytes.uint32())), y: Int(Int32(bitPattern: bytes.uint32())),
                                     buttonState: bytes.uint32())
                let event = InputDecoder.decode(.functionKey(KEY_MOUSE), mouse: mouse)
                try FuzzFailure.check(event == InputDecoder.decodeMouse(mouse).map(InputEvent.mouse), "decode and decodeMouse disagree")
                if let decoded = InputDecoder.decodeMouse(mouse) {
                    try FuzzFailure.check(decoded.row == mouse.y && decoded.column == mouse.x, "mouse report moved to another cell")
                }
                if mouse.buttonState == 0 {
                    try FuzzFailure.check(event == nil, "a report with no button bits decoded as \(String(describing: event))")
                }
            case 3:
                let size = TerminalSize(width: Int(Int32(bitPattern: bytes.uint32())), height: Int(Int32(bitPattern: bytes.uint32())))
                let event = InputDecoder.decode(.functionKey(KEY_RESIZE), size: size)
                try FuzzFailure.check(event == .resize(width: size.width, height: size.height), "resize decoded as \(String(describing: event))")
            default:
                guard let scalar = Unicode.Scalar(bytes.uint32()) else { continue }
                if let combined = InputDecoder.combining(previous, with: scalar) {
                    let expected = Array(previous.unicodeScalars) + [scalar]
                    try FuzzFailure.check(Array(combined.unicodeScalars) == expected, "combining lost or added scalars")
                    previous = combined
                } else {
                    previous = Character(scalar)
                }
            }
        }
    }
}

/// Reads little-endian fields from fuzz input; missing bytes read as zero.
struct ByteCursor {
    private let bytes: UnsafeRawBufferPointer
    private var position = 0

    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// The next byte, or nil at the end.
    mutating func byte() -> UInt8? {
        guard position < bytes.count else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    /// The next four bytes as a little-endian value.
    mutating func uint32() -> UInt32 {
        var value: UInt32 = 0
        for shift in stride(from: 0, to: 32, by: 8) { value |= UInt32(byte() ?? 0) << UInt32(shift) }
        return value
    }
}
