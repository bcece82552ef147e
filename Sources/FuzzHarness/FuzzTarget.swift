/// The parsers of untrusted input that Cairn fuzzes, each with a harness that feeds it one input
/// and checks what must hold whatever the input: no crash, no allocation beyond the parser's
/// bound, and the parser's own round-trip and range properties.
///
/// The same harnesses run under libFuzzer (`cairn-fuzz`, built with `-sanitize=fuzzer`) and as a
/// seeded mutation test inside `swift test` (``FuzzCampaign``).
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// `BlockCodec.decode` (header, raw and deflate payloads) and `encode` round trips.
    case blockCodec = "block-codec"
    /// `PackRecordReader`: the records of a pack file.
    case packRecords = "pack-records"
    /// `InputDecoder`: ncurses characters, key codes and mouse reports.
    case inputDecoder = "input-decoder"
    /// `ThemeFile.parse`: theme text files.
    case themeFile = "theme-file"
    /// `DriveCommand.split` and `parse`: the `:` command line.
    case commandLine = "command-line"

    /// Runs the harness on one input; throws the first property it finds broken.
    public func run(_ input: UnsafeRawBufferPointer) throws(FuzzFailure) {
        switch self {
        case .blockCodec: try BlockHarness.codec(input)
        case .packRecords: try BlockHarness.packRecords(input)
        case .inputDecoder: try InputDecoderHarness.run(input)
        case .themeFile: try TextHarness.themeFile(input)
        case .commandLine: try TextHarness.commandLine(input)
        }
    }

    /// Runs the harness on one input held in an array.
    public func run(_ input: [UInt8]) throws(FuzzFailure) {
        let outcome = input.withUnsafeBytes { raw in Result { () throws(FuzzFailure) in try run(raw) } }
        try outcome.get()
    }

    /// The corpus folder name: the raw value.
    public var folderName: String { rawValue }

    /// Words worth splicing into inputs for this target: magic numbers, boundary lengths,
    /// keywords. The in-process mutator uses them where libFuzzer would learn them.
    public var dictionary: [[UInt8]] {
        switch self {
        case .blockCodec:
            [[0x43, 0x42, 0x01, 0x00], [0x43, 0x42, 0x01, 0x01], [0xFF, 0xFF, 0xFF, 0xFF],
             [0x00, 0x00, 0x01, 0x00], [0x01, 0x00, 0x01, 0x00], [0x03, 0x00]]
        case .packRecords:
            [Array("CAIRNPK1".utf8), [0xFF, 0xFF, 0xFF, 0xFF], [0x00, 0x10, 0x00, 0x00],
             [0x01, 0x10, 0x00, 0x00], [0x08, 0x00, 0x00, 0x00]]
        case .inputDecoder:
            [[0x00, 0x01, 0x00, 0x00], [0xFF, 0xFF, 0x10, 0x00], [0x00, 0xD8, 0x00, 0x00],
             [0x9A, 0x01, 0x00, 0x00], [0x08, 0x01, 0x00, 0x00], [0x01, 0x03, 0x00, 0x00]]
        case .themeFile:
            ["row = ", "fg:", "bg:", "#", "#ff8800", "bold", "default", "bright-white", "255", "256",
             "\n", " # ", "=", "top-bar"].map { Array($0.utf8) }
        case .commandLine:
            ["'", "\"", "\\", " ", "\t", "--", "--version", "--version=", "v2", "-p", "get ", "put ",
             "restore ", "mv ", "mkdir ", "cd ", "\u{301}", "é", "🇫🇷"].map { Array($0.utf8) }
        }
    }
}

/// A property a harness found broken. Sendable.
public struct FuzzFailure: Error, CustomStringConvertible, Sendable {
    /// What broke.
    public var description: String

    /// Creates a failure.
    public init(_ description: String) {
        self.description = description
    }

    /// Throws `message` unless `condition` holds.
    static func check(_ condition: Bool, _ message: @autoclosure () -> String) throws(FuzzFailure) {
        if !condition { throw FuzzFailure(message()) }
    }
}
