import Crypto
import Foundation
import Synchronization

/// Makes the ES256 provider token (a JWT) that APNs wants in every request's authorization
/// header, and keeps it: Apple rejects a token older than an hour and throttles one renewed
/// more often than every 20 minutes, so one token serves for 50 minutes.
final class APNsTokenSigner: Sendable {
    /// How long a token is used before a fresh one is signed.
    static let lifetime: TimeInterval = 50 * 60

    private let key: P256.Signing.PrivateKey
    private let keyId: String
    private let teamId: String
    private let clock: @Sendable () -> Date
    private let cached = Mutex<(token: String, issuedAt: Date)?>(nil)

    init(key: P256.Signing.PrivateKey, keyId: String, teamId: String, clock: @escaping @Sendable () -> Date) {
        self.key = key
        self.keyId = keyId
        self.teamId = teamId
        self.clock = clock
    }

    /// The current token, signing a new one when there is none, it is 50 minutes old, or the
    /// clock went back past its issue time (Apple refuses a token issued in the future).
    func token() throws -> String {
        let now = clock()
        return try cached.withLock { cached in
            if let cached, now.timeIntervalSince(cached.issuedAt) < Self.lifetime, now >= cached.issuedAt {
                return cached.token
            }
            let token = try sign(issuedAt: now)
            cached = (token, now)
            return token
        }
    }

    /// A JWT header {alg, kid} and claims {iss, iat}, signed with the raw r‖s ECDSA signature
    /// JWS uses (not DER), each part base64url without padding.
    private func sign(issuedAt: Date) throws -> String {
        struct Header: Encodable { let alg = "ES256", kid: String }
        struct Claims: Encodable { let iss: String, iat: Int }
        let input = base64URL(jsonBody(Header(kid: keyId))) + "." + base64URL(jsonBody(Claims(iss: teamId, iat: Int(issuedAt.timeIntervalSince1970))))
        let signature = try key.signature(for: Data(input.utf8))
        return input + "." + base64URL(signature.rawRepresentation)
    }
}

/// `data` in base64url without padding (RFC 7515 §2), as JWTs carry it.
func base64URL(_ data: Data) -> String {
    data.base64EncodedString()
        .replacingOccurrences(of: "+", with: "-")
        .replacingOccurrences(of: "/", with: "_")
        .replacingOccurrences(of: "=", with: "")
}
