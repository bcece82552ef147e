import Foundation
import Notifier
@testable import NotifierHTTP
import Testing

/// The Twilio-style SMS provider against a real local server, and the segment counter.
@Suite struct SMSTests {
    static let path = "/2010-04-01/Accounts/AC0123456789/Messages.json"

    static func section(_ server: TestServer) -> String {
        """
        [sms]
        url = \(server.url)
        account = AC0123456789
        auth-token = s3cret
        from = +15005550006
        timeout = 5
        """
    }

    /// The form fields of a recorded x-www-form-urlencoded body.
    static func form(_ body: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: body.split(separator: "&").map { field in
            let parts = field.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        })
    }

    @Test func requestIsAFormPostWithBasicAuth() throws {
        let server = try TestServer()
        try server.plan([Self.path: [Reply(201, #"{"sid":"SM1","status":"queued"}"#)]])
        let providers = try HTTPProviders.make(NotifierConfiguration.parse(Self.section(server)))
        let message = outgoing(.sms, to: "+821012345678")
        let sms = try provider(for: message, in: providers)

        #expect(sms.deliver(message) == ProviderAnswer(.delivered, status: "201"))
        let request = try #require(try server.requests().first)
        #expect(request.method == "POST" && request.path == Self.path)
        #expect(request.headers["authorization"] == "Basic " + Data("AC0123456789:s3cret".utf8).base64EncodedString())
        #expect(request.headers["content-type"] == "application/x-www-form-urlencoded")
        #expect(request.body.contains("To=%2B821012345678"), "a '+' is escaped, not sent as a space")
        #expect(Self.form(request.body) == ["To": "+821012345678", "From": "+15005550006", "Body": "bob put report.txt: in /docs"])
    }

    @Test func aLongTextIsDeliveredAndTheSplitIsSaid() throws {
        let server = try TestServer()
        try server.plan([Self.path: [Reply(201)]])
        let providers = try HTTPProviders.make(NotifierConfiguration.parse(Self.section(server)))
        var message = outgoing(.sms, to: "+821012345678")
        message.title = "보고서"
        message.body = String(repeating: "안녕하세요 ", count: 14)
        let sms = try provider(for: message, in: providers)

        let answer = sms.deliver(message)
        #expect(answer.outcome == .delivered)
        #expect(answer.detail == "split into 2 segments (UCS-2)")
        #expect(Self.form(try #require(try server.requests().first).body)["Body"] == "보고서: " + message.body)
    }

    @Test func answersAreClassifiedByStatusAndTwilioCode() throws {
        let server = try TestServer()
        func failure(_ code: Int) -> String { #"{"code":\#(code),"message":"words","status":400}"# }
        let replies: [(Reply, ProviderAnswer)] = [
            (Reply(400, failure(21211)), ProviderAnswer(.addressInvalid, status: "400", detail: "21211: words")),
            (Reply(400, failure(21614)), ProviderAnswer(.addressInvalid, status: "400", detail: "21614: words")),
            (Reply(400, failure(21617)), ProviderAnswer(.drop, status: "400", detail: "21617: words")),
            (Reply(401, failure(20003)), ProviderAnswer(.configuration, status: "401", detail: "20003: words")),
            (Reply(429, failure(20429), headers: ["retry-after": "2"]), ProviderAnswer(.retry, status: "429", detail: "20429: words", retryAfter: 2)),
            (Reply(500, "{}"), ProviderAnswer(.retry, status: "500")),
            (Reply(503, "{}", headers: ["retry-after": "9"]), ProviderAnswer(.retry, status: "503", retryAfter: 9)),
            (Reply(201, #"{"sid":"SM1"}"#), ProviderAnswer(.delivered, status: "201")),
        ]
        try server.plan([Self.path: replies.map(\.0)])
        let providers = try HTTPProviders.make(NotifierConfiguration.parse(Self.section(server)))
        let message = outgoing(.sms, to: "+821012345678")
        let sms = try provider(for: message, in: providers)
        for (_, expected) in replies { #expect(sms.deliver(message) == expected) }
        #expect(try server.requests().count == replies.count)
    }
}

/// GSM-7 and UCS-2 segment counts, without a network.
@Suite struct SMSTextTests {
    @Test func plainTextFits160SeptetsThen153PerSegment() {
        #expect(SMSText.segments(String(repeating: "a", count: 160)) == (.gsm7, 1))
        #expect(SMSText.segments(String(repeating: "a", count: 161)) == (.gsm7, 2))
        #expect(SMSText.segments(String(repeating: "a", count: 306)) == (.gsm7, 2))
        #expect(SMSText.segments(String(repeating: "a", count: 307)) == (.gsm7, 3))
        #expect(SMSText.segments("") == (.gsm7, 1))
        #expect(SMSText.segments("Ça coute 5 £, à Zürich? ¿Sì! @home_Δ\r\n") == (.gsm7, 1))
        #expect(SMSText.segments("¿Sí?").encoding == .ucs2, "'í' is not in GSM 03.38 (only 'ì' is)")
    }

    @Test func extensionCharactersCountTwoAndAreNeverSplit() {
        #expect(SMSText.segments(String(repeating: "€", count: 80)) == (.gsm7, 1))
        #expect(SMSText.segments(String(repeating: "€", count: 81)) == (.gsm7, 2))
        #expect(SMSText.segments(String(repeating: "a", count: 159) + "[") == (.gsm7, 2))
        // 152 + 2 + 152 septets: 306 would fill two segments, but '€' cannot straddle them.
        let straddling = String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152)
        #expect(SMSText.segments(straddling) == (.gsm7, 3))
    }

    @Test func otherScriptsAreUCS2With70Then67Units() {
        #expect(SMSText.segments("안녕하세요") == (.ucs2, 1))
        #expect(SMSText.segments(String(repeating: "가", count: 70)) == (.ucs2, 1))
        #expect(SMSText.segments(String(repeating: "가", count: 71)) == (.ucs2, 2))
        #expect(SMSText.segments(String(repeating: "가", count: 135)) == (.ucs2, 3))
        // An emoji is a surrogate pair: two units.
        #expect(SMSText.segments(String(repeating: "😀", count: 35)) == (.ucs2, 1))
        #expect(SMSText.segments(String(repeating: "😀", count: 36)) == (.ucs2, 2))
        #expect(SMSText.segments("a" + "\u{201C}quoted\u{201D}").encoding == .ucs2)
    }
}
