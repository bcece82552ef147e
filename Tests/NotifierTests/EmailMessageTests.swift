import Foundation
import Notifier
import Testing

/// The email a queued message becomes: encoded and folded headers a reader decodes back to the
/// words we meant, a body in the right transfer encoding, and no way for a title to add a header.
@Suite struct EmailMessageTests {
    /// A queued email message; 1_700_000_000 is Tue, 14 Nov 2023 22:13:20 UTC.
    func outgoing(title: String, body: String = "본문", name: String = "김민지", address: String = "minji@example.test",
                  key: String = "put:42:v3", id: Int64 = 7, link: String? = nil) -> OutgoingMessage {
        OutgoingMessage(id: id, channel: .email, address: address, key: key, kind: "put", recipientId: 1, recipientName: name,
                        title: title, body: body, link: link, createdAt: Date(timeIntervalSince1970: 1_700_000_000))
    }

    func read(_ message: OutgoingMessage, from: String = "Cairn <cairn@drive.test>",
              unsubscribe: String = "https://drive.test/unsubscribe") -> (EmailMessage, MailReader) {
        let email = EmailMessage(message, from: from, unsubscribe: unsubscribe)
        return (email, MailReader(email.text(newline: "\r\n")))
    }

    /// Every header line is 7-bit and at most 78 characters.
    func expectShortASCIILines(_ reader: MailReader, sourceLocation: SourceLocation = #_sourceLocation) {
        for line in reader.headerLines {
            #expect(line.utf8.count <= 78, "\(line.utf8.count) characters: \(line)", sourceLocation: sourceLocation)
            #expect(line.unicodeScalars.allSatisfy { $0.isASCII }, "not ASCII: \(line)", sourceLocation: sourceLocation)
        }
    }

    @Test func koreanSubjectNameAndBodyRoundTrip() throws {
        let title = "보고서.txt 편집됨"
        let message = outgoing(title: title, body: "민지 님이 보고서.txt를\n편집했습니다.", link: "https://drive.test/f/42")
        let (email, reader) = read(message)
        #expect(reader.raw("Subject").first?.hasPrefix("=?UTF-8?B?") == true)
        #expect(reader.header("Subject") == title)
        #expect(reader.header("To") == "김민지 <minji@example.test>")
        #expect(reader.header("From") == "Cairn <cairn@drive.test>")
        #expect(reader.header("Date") == "Tue, 14 Nov 2023 22:13:20 +0000")
        #expect(reader.header("MIME-Version") == "1.0")
        #expect(reader.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(reader.header("Content-Transfer-Encoding") == "base64")
        #expect(reader.header("Auto-Submitted") == "auto-generated")
        #expect(email.transferEncoding == "base64")
        #expect(reader.bodyLines.allSatisfy { $0.count <= 76 })
        #expect(reader.body == "민지 님이 보고서.txt를\n편집했습니다.\n\nOpen: https://drive.test/f/42")
        expectShortASCIILines(reader)
    }

    @Test func longSubjectsFoldIntoWordsOfWholeCharacters() throws {
        // Hangul (3 bytes), a family emoji (one character of 25 bytes) and ASCII, long enough
        // for several encoded-words.
        let title = String(repeating: "주간 보고서 👨‍👩‍👧‍👦 final-v2.docx ", count: 6).trimmingCharacters(in: .whitespaces)
        let (_, reader) = read(outgoing(title: title))
        let start = try #require(reader.headerLines.firstIndex { $0.hasPrefix("Subject:") })
        #expect(reader.headerLines[(start + 1)...].prefix { $0.hasPrefix(" ") }.count >= 3)
        let words = try #require(reader.raw("Subject").first).split(separator: " ")
        // decodeWord is strict: a word that split a character would not decode.
        #expect(words.allSatisfy { MailReader.decodeWord(String($0)) != nil })
        #expect(reader.header("Subject") == title)
        expectShortASCIILines(reader)

        let ascii = (1...30).map { "word\($0)" }.joined(separator: " ")
        let (_, plain) = read(outgoing(title: ascii))
        #expect(plain.raw("Subject") == [ascii], "plain ASCII is folded at its spaces, not encoded")
        #expect(plain.headerLines.filter { $0.hasPrefix(" ") }.count >= 2)
        expectShortASCIILines(plain)

        let oneLongWord = String(repeating: "x", count: 120)
        let (_, long) = read(outgoing(title: oneLongWord))
        #expect(long.header("Subject") == oneLongWord, "a word too long to fold is encoded, so it can be")
        expectShortASCIILines(long)
    }

    @Test func aTitleCannotAddAHeader() throws {
        let (email, reader) = read(outgoing(title: "Report\r\nBcc: victim@example.test\r\n\r\nforged body",
                                            name: "Mallory\nCc: other@example.test", link: "https://x.test/\r\nBcc: y@example.test"))
        #expect(reader.raw("Bcc").isEmpty)
        #expect(reader.raw("Cc").isEmpty)
        #expect(!email.fields.contains { ["bcc", "cc"].contains($0.name.lowercased()) })
        #expect(reader.header("Subject") == "Report Bcc: victim@example.test forged body")
        #expect(reader.header("To") == "\"Mallory Cc: other@example.test\" <minji@example.test>")
        #expect(reader.body == "본문\n\nOpen: https://x.test/ Bcc: y@example.test")
        #expect(!EmailMessage.isAddress("minji@example.test\r\nBcc: victim@example.test"))
        #expect(!EmailMessage.isAddress("Minji <minji@example.test>"))
        #expect(!EmailMessage.isAddress("minji"))
        #expect(EmailMessage.isAddress("minji+cairn@mail.example.test"))
    }

    @Test func plainASCIIGoesAs7bit() throws {
        let (email, reader) = read(outgoing(title: "report.txt edited", body: "bob edited report.txt\r\n.\r\nbye", name: "Bob Smith",
                                            link: "https://drive.test/f/9"))
        #expect(email.transferEncoding == "7bit")
        #expect(reader.header("Content-Transfer-Encoding") == "7bit")
        #expect(reader.raw("Subject") == ["report.txt edited"])
        #expect(reader.raw("To") == ["Bob Smith <minji@example.test>"])
        #expect(reader.bodyLines == ["bob edited report.txt", ".", "bye", "", "Open: https://drive.test/f/9"])
    }

    @Test func displayNamesAreQuotedOrEncodedWhenTheyMustBe() throws {
        #expect(read(outgoing(title: "t", name: "Doe, John")).1.raw("To") == ["\"Doe, John\" <minji@example.test>"])
        #expect(read(outgoing(title: "t", name: "A \"B\" C")).1.raw("To") == ["\"A \\\"B\\\" C\" <minji@example.test>"])
        #expect(read(outgoing(title: "t", name: "")).1.raw("To") == ["minji@example.test"])
        // Text that looks like an encoded-word is encoded, so no reader decodes what we did not encode.
        let tricky = read(outgoing(title: "=?UTF-8?B?SGk=?=", name: "=?UTF-8?B?SGk=?="))
        #expect(tricky.1.header("Subject") == "=?UTF-8?B?SGk=?=")
        #expect(tricky.1.header("To") == "=?UTF-8?B?SGk=?= <minji@example.test>")
        let sender = read(outgoing(title: "t"), from: "\"Cairn 드라이브\" <cairn@drive.test>").1
        #expect(sender.header("From") == "Cairn 드라이브 <cairn@drive.test>")
    }

    @Test func messageIDIsStableDistinctAndADotAtom() throws {
        func messageID(key: String, id: Int64) -> String {
            read(outgoing(title: "t", key: key, id: id)).1.raw("Message-ID").first ?? ""
        }
        #expect(messageID(key: "put:42:v3", id: 7) == messageID(key: "put:42:v3", id: 7))
        #expect(messageID(key: "put:42:v3", id: 7) != messageID(key: "put:42:v3", id: 8))
        #expect(messageID(key: "a/b", id: 7) != messageID(key: "a:b", id: 7), "keys that read alike stay apart")
        let shape = /<put_42_v3-[0-9a-f]{16}\.7@cairn>/
        #expect(messageID(key: "put:42:v3", id: 7).wholeMatch(of: shape) != nil)
        for key in ["..보고서..txt..", "<>\"\r\n@", "", String(repeating: "long key ", count: 20)] {
            let id = messageID(key: key, id: 123)
            #expect(id.wholeMatch(of: /<[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*@cairn>/) != nil, "not a dot-atom: \(id)")
            #expect(id.count <= 78 - "Message-ID: ".count)
        }
    }

    @Test func oneClickUnsubscribeOnlyForHTTPS() throws {
        let https = read(outgoing(title: "t"), unsubscribe: "https://drive.test/unsubscribe?u=1").1
        #expect(https.header("List-Unsubscribe") == "<https://drive.test/unsubscribe?u=1>")
        #expect(https.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click")
        let mailto = read(outgoing(title: "t"), unsubscribe: "<mailto:cairn@drive.test?subject=unsubscribe>").1
        #expect(mailto.header("List-Unsubscribe") == "<mailto:cairn@drive.test?subject=unsubscribe>")
        #expect(mailto.raw("List-Unsubscribe-Post").isEmpty)
    }

    @Test func linesEndAsAskedAndOnlySo() throws {
        let email = EmailMessage(outgoing(title: "보고서", body: "a\nb"), from: "cairn@drive.test", unsubscribe: "mailto:x@drive.test")
        let local = email.text(newline: "\n")
        #expect(!local.contains("\r"))
        let wire = email.text(newline: "\r\n")
        #expect(wire.replacingOccurrences(of: "\r\n", with: "").allSatisfy { $0 != "\n" && $0 != "\r" })
        #expect(wire.replacingOccurrences(of: "\r\n", with: "\n") == local)
    }
}
