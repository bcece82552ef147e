import DriveTUI
import Foundation
import Testing

/// The hex summary (rows checked against `hexdump -C`).
@Suite struct HexSummaryTests {
    static let png = Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==")!

    @Test func rowsMatchHexdump() {
        let summary = HexSummary(Self.png)
        #expect(summary.size == 70)
        #expect(summary.hiddenBytes == 0)
        #expect(summary.render() == """
            00000000  89 50 4e 47 0d 0a 1a 0a  00 00 00 0d 49 48 44 52  |.PNG........IHDR|
            00000010  00 00 00 01 00 00 00 01  08 06 00 00 00 1f 15 c4  |................|
            00000020  89 00 00 00 0d 49 44 41  54 78 da 63 64 60 f8 5f  |.....IDATx.cd`._|
            00000030  0f 00 02 87 01 80 eb 47  ba 92 00 00 00 00 49 45  |.......G......IE|
            00000040  4e 44 ae 42 60 82                                 |ND.B`.|
            70 bytes

            """)
        #expect(summary.rows[4] == HexSummary.Row(offset: 64, bytes: [0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82]))
    }

    @Test func utf8BytesShowAsDotsInTheASCIIColumn() {
        let row = HexSummary(Data("hello, 세계\n".utf8)).rows[0]
        #expect(row.text == "00000000  68 65 6c 6c 6f 2c 20 ec  84 b8 ea b3 84 0a        |hello, .......|")
    }

    @Test func showsTheFirstRowsAndTheSize() {
        let data = Data((0..<1000).map { UInt8($0 % 256) })
        let summary = HexSummary(data, maxRows: 2)
        #expect(summary.rows.map(\.offset) == [0, 16])
        #expect(summary.hiddenBytes == 968)
        #expect(summary.render().hasSuffix("… 968 more bytes not shown (1000 bytes in all)\n"))
        #expect(HexSummary(Data()).render() == "0 bytes\n")
        #expect(HexSummary(Data([0x41])).render() == "00000000  41" + String(repeating: " ", count: 48) + "|A|\n1 byte\n")
    }

    @Test func offsetsGrowPastEightDigits() {
        let row = HexSummary.Row(offset: 0x1_2345_6789, bytes: [0x20])
        #expect(row.text.hasPrefix("123456789  20 "))
    }
}
