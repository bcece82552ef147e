import Foundation
import Testing
import TextMerge

/// Binary detection: a NUL byte or invalid UTF-8 in the first 8 KiB, as git decides.
@Suite struct LooksBinaryTests {
    @Test func textIsNotBinary() {
        #expect(!looksBinary(Data()))
        #expect(!looksBinary(Data("plain ASCII\n".utf8)))
        #expect(!looksBinary(Data("# 회의록\n참석: 김민지 🎉\r\n".utf8)))
    }

    @Test func nulOrInvalidUTF8IsBinary() {
        #expect(looksBinary(Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D]))) // a PNG's start
        #expect(looksBinary(Data("text\0with a NUL".utf8)))
        #expect(looksBinary(Data([0x61, 0xFF, 0x62])))          // never valid in UTF-8
        #expect(looksBinary(Data([0xC0, 0xAF])))                // overlong "/"
        #expect(looksBinary(Data([0xED, 0xA0, 0x80])))          // a UTF-16 surrogate
        #expect(looksBinary(Data([0xF4, 0x90, 0x80, 0x80])))    // past U+10FFFF
        #expect(looksBinary(Data([0x61, 0x80])))                // a lone continuation byte
        #expect(looksBinary(Data("한".utf8).prefix(2)))        // the data ends inside a character
    }

    /// Only the first 8 KiB are looked at; a character cut by that limit is still text.
    @Test func looksOnlyAtTheFirstEightKiB() {
        var late = Data(repeating: 0x61, count: 8192)
        late.append(0)
        #expect(!looksBinary(late))

        var cut = Data(repeating: 0x61, count: 8191)
        cut.append(contentsOf: Array("한글".utf8)) // "한" straddles byte 8192
        #expect(!looksBinary(cut))
        #expect(looksBinary(cut.prefix(8193)))      // … unless the data itself ends there
    }
}
