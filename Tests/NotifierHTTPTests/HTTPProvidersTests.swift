import Crypto
import Foundation
import Notifier
@testable import NotifierHTTP
import Testing

/// Which providers a config file makes, and the one-line errors for a broken section.
@Suite struct HTTPProvidersTests {
    /// A folder with an APNs key file, for a config with every section filled in. The providers
    /// are made in its methods, while the key file exists.
    final class Folder {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-http-config-\(UUID().uuidString)")
        var keyFile: String { url.appendingPathComponent("key.p8").path }

        init() throws {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
            try Data(P256.Signing.PrivateKey().pemRepresentation.utf8).write(to: URL(fileURLWithPath: keyFile))
        }

        deinit { try? FileManager.default.removeItem(at: url) }

        /// The providers of the full config with `changes` ("section.key": value) made: a nil
        /// value removes the key.
        func providers(_ changes: [String: String?] = [:]) throws -> [any NotificationProvider] {
            var sections: [String: [String: String]] = [
                "apns": ["topic": "com.example.cairn", "team-id": "TEAM123456", "key-id": "KEY1234567", "key-file": keyFile],
                "fcm": ["project": "cairn-test", "token": "ya29.token"],
                "sms": ["account": "AC0123", "auth-token": "s3cret", "from": "+15005550006"],
            ]
            for (name, value) in changes {
                let parts = name.split(separator: ".").map(String.init)
                sections[parts[0], default: [:]][parts[1]] = value
            }
            let text = sections.map { name, values in
                "[\(name)]\n" + values.map { "\($0) = \($1)" }.joined(separator: "\n")
            }.joined(separator: "\n")
            return try HTTPProviders.make(NotifierConfiguration.parse(text, source: "notify.conf"))
        }

        /// The message of the error making the providers with `changes` throws.
        func failure(_ changes: [String: String?]) -> String? {
            do {
                _ = try providers(changes)
                return nil
            } catch let error as NotifierError where error.code == .invalidArgument {
                return error.description
            } catch {
                return "unexpected: \(error)"
            }
        }
    }

    @Test func withoutSectionsOnlyWebhooksAreSent() throws {
        let providers = try HTTPProviders.make(NotifierConfiguration())
        #expect(providers.map(\.channel) == [.webhook])
    }

    @Test func eachConfiguredSectionMakesItsProvider() throws {
        let providers = try Folder().providers()
        #expect(providers.map(\.channel) == [.push, .push, .sms, .webhook])
        #expect(providers[0].handles(outgoing(.push, to: "t", platform: .ios)))
        #expect(!providers[0].handles(outgoing(.push, to: "t", platform: .android)))
        #expect(providers[1].handles(outgoing(.push, to: "t", platform: .android)))
        #expect(!providers[1].handles(outgoing(.push, to: "t", platform: .ios)))
        #expect(providers[2].handles(outgoing(.sms, to: "+1")) && !providers[2].handles(outgoing(.email, to: "a@b")))
    }

    @Test(arguments: [
        ("apns.topic", "notify.conf [apns] topic: missing (the app's bundle id)"),
        ("apns.team-id", "notify.conf [apns] team-id: missing (the Apple developer team id)"),
        ("apns.key-id", "notify.conf [apns] key-id: missing (the id of the APNs signing key)"),
        ("apns.key-file", "notify.conf [apns] key-file: missing (the APNs signing key, a .p8 file)"),
        ("fcm.project", "notify.conf [fcm] project: missing (the Firebase project id)"),
        ("fcm.token", "notify.conf [fcm] token: missing (an OAuth 2 access token, or token-file naming a file with one)"),
        ("sms.account", "notify.conf [sms] account: missing (the account SID)"),
        ("sms.auth-token", "notify.conf [sms] auth-token: missing (the account's auth token)"),
        ("sms.from", "notify.conf [sms] from: missing (the sending phone number)"),
    ])
    func aMissingKeyIsNamed(key: String, message: String) throws {
        #expect(try Folder().failure([key: nil]) == message)
    }

    @Test func badValuesAreNamed() throws {
        let folder = try Folder()
        let junk = folder.url.appendingPathComponent("junk.p8").path
        try Data("not a key".utf8).write(to: URL(fileURLWithPath: junk))
        let cases: [(String, String, String)] = [
            ("apns.key-file", "/nonexistent/key.p8", "notify.conf [apns] key-file: cannot read /nonexistent/key.p8"),
            ("apns.key-file", junk, "notify.conf [apns] key-file: not a PEM PKCS#8 P-256 key (an APNs .p8 file)"),
            ("apns.ca-file", "/nonexistent/ca.pem", "notify.conf [apns] ca-file: cannot read /nonexistent/ca.pem"),
            ("apns.ca-file", junk, "notify.conf [apns] ca-file: no PEM certificate in it"),
            ("apns.environment", "staging", "notify.conf [apns] environment: 'staging' is neither production nor development"),
            ("fcm.url", "ftp://example.com", "notify.conf [fcm] url: 'ftp://example.com' is not an http(s) URL"),
            ("sms.timeout", "soon", "notify.conf [sms] timeout: 'soon' is not a positive number of seconds"),
            ("webhook.timeout", "-1", "notify.conf [webhook] timeout: '-1' is not a positive number of seconds"),
        ]
        for (key, value, message) in cases {
            #expect(folder.failure([key: value]) == message)
        }
        #expect(folder.failure(["fcm.token": nil, "fcm.token-file": "/nonexistent/token"])
                == "notify.conf [fcm] token-file: cannot read /nonexistent/token")
    }
}
