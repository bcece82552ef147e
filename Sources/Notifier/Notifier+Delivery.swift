import Foundation
import GRDB
import Logging

/// One attempt as the log keeps it.
public struct DeliveryAttempt: Sendable, Equatable, Codable {
    public var id: Int64
    public var messageId: Int64
    public var channel: Channel
    public var recipientName: String
    public var address: String
    public var kind: String
    public var at: Date
    public var worker: String
    public var outcome: DeliveryOutcome
    public var status: String
    public var detail: String
    public var latencyMs: Double
}

/// One channel's queue at a glance.
public struct ChannelStatus: Sendable, Equatable, Codable {
    public var channel: Channel
    /// Queued and due now.
    public var due: Int
    /// Queued but held back: backoff after a failed attempt, quiet hours, digest window, rate limit.
    public var waiting: Int
    /// Of those waiting, how many are retries (they failed at least once).
    public var retrying: Int
    /// Being sent by a worker right now (a live lease).
    public var leased: Int
    public var delivered: Int
    public var dropped: Int
    public var dead: Int
    /// Age in seconds of the oldest message not yet delivered, dropped or dead.
    public var oldestPendingAge: Double?
}

extension Notifier {
    /// Leases up to `limit` due messages of `channel` to worker `owner` until now + lease; a
    /// message whose lease ran out (its worker died) is due again. Only the worker holding the
    /// lease may settle the message, so no two workers in any process send it at once.
    public func claim(_ channel: Channel, owner: String, limit: Int, only ids: [Int64]? = nil,
                      platforms: Set<PushPlatform>? = nil) throws(NotifierError) -> [OutgoingMessage] {
        let now = clock().timeIntervalSince1970
        return try write("notify deliver") { db in
            var filter = ""
            var arguments: StatementArguments = [owner, now + configuration.lease, now, channel, now, now]
            if let ids {
                filter += " AND id IN (\(ids.map { _ in "?" }.joined(separator: ",")))"
                arguments += StatementArguments(ids)
            }
            if let platforms {
                filter += " AND platform IN (\(platforms.map { _ in "?" }.joined(separator: ",")))"
                arguments += StatementArguments(platforms.map(\.rawValue).sorted())
            }
            arguments += [limit]
            let rows = try Row.fetchAll(db, sql: """
                UPDATE notifyMessage SET state = 'leased', attempts = attempts + 1, leaseOwner = ?, leaseUntil = ?, updatedAt = ?
                WHERE id IN (SELECT id FROM notifyMessage WHERE channel = ?
                             AND ((state = 'queued' AND notBefore <= ?) OR (state = 'leased' AND leaseUntil < ?))\(filter)
                             ORDER BY notBefore, id LIMIT ?)
                RETURNING *
                """, arguments: arguments)
            return rows.map { row in
                OutgoingMessage(id: row["id"], channel: channel, address: row["address"],
                                platform: (row["platform"] as String?).flatMap(PushPlatform.init(rawValue:)), secret: row["secret"],
                                key: row["key"], kind: row["kind"], recipientId: row["recipientId"], recipientName: row["recipientName"],
                                title: row["title"], body: row["body"], link: row["link"], count: row["count"],
                                attempt: row["attempts"], createdAt: Date(timeIntervalSince1970: row["createdAt"]))
            }
        }
    }

    /// Records `answer` to `message`'s attempt and settles it: delivered, dropped (the address
    /// disabled when invalid), queued again after backoff, or dead past the attempt cap. Nothing
    /// changes when `owner` no longer holds the lease (it ran out and another worker took it).
    public func settle(_ message: OutgoingMessage, owner: String, answer: ProviderAnswer, latency: Double) throws(NotifierError) {
        let now = clock()
        let at = now.timeIntervalSince1970
        var state = "queued"
        var notBefore = at
        switch answer.outcome {
        case .delivered: state = "delivered"
        case .drop, .addressInvalid: state = "dropped"
        case .retry, .configuration:
            if message.attempt >= configuration.maxAttempts {
                state = "dead"
            } else {
                notBefore = at + (answer.retryAfter.map { min($0, 86_400) } ?? backoff(attempt: message.attempt))
            }
        }
        let summary = "\(answer.outcome.rawValue) \(answer.status)\(answer.detail.isEmpty ? "" : ": " + answer.detail)"
        try write("notify deliver") { db in
            try db.execute(sql: """
                UPDATE notifyMessage SET state = ?, notBefore = ?, heldFor = ?, leaseOwner = NULL, leaseUntil = NULL, updatedAt = ?, lastAnswer = ?
                WHERE id = ? AND state = 'leased' AND leaseOwner = ?
                """, arguments: [state, notBefore, state == "queued" ? "retry" : nil, at, summary, message.id, owner])
            guard db.changesCount > 0 else { return }
            try db.execute(sql: """
                INSERT INTO notifyAttempt (messageId, channel, at, worker, outcome, status, detail, latencyMs) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [message.id, message.channel, at, owner, answer.outcome.rawValue, answer.status, answer.detail, latency * 1000])
            if answer.outcome == .addressInvalid, message.channel == .push || message.channel == .webhook {
                try disable(db, recipient: message.recipientId, channel: message.channel, address: message.address,
                            reason: "\(answer.status) \(answer.detail)")
            }
        }
        let metadata: Logger.Metadata = ["id": "\(message.id)", "channel": "\(message.channel.rawValue)", "to": "\(message.address)",
                                         "attempt": "\(message.attempt)", "latency_ms": "\(Int(latency * 1000))"]
        switch state {
        case "delivered": log.info("delivered", metadata: metadata)
        case "dead": log.error("dead after \(message.attempt) attempts: \(summary)", metadata: metadata)
        case "dropped": log.warning("dropped: \(summary)", metadata: metadata)
        default: log.warning("will retry: \(summary)", metadata: metadata)
        }
    }

    /// Full-jitter exponential backoff: a random wait in [0, min(cap, base × 2^(attempt−1))].
    func backoff(attempt: Int) -> Double {
        let ceiling = min(configuration.backoffCap, configuration.backoffBase * pow(2, Double(min(attempt - 1, 40))))
        return Double.random(in: 0...max(ceiling, 0.001))
    }

    /// The earliest time a queued message of `channels` becomes due (nil when none is queued).
    public func nextDue(_ channels: [Channel]) throws(NotifierError) -> Date? {
        try read("notify status") { db in
            try Double.fetchOne(db, sql: """
                SELECT MIN(CASE state WHEN 'queued' THEN notBefore ELSE leaseUntil END) FROM notifyMessage
                WHERE state IN ('queued', 'leased') AND channel IN (\(channels.map { "'\($0.rawValue)'" }.joined(separator: ",")))
                """).map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Each channel's queue.
    public func status() throws(NotifierError) -> [ChannelStatus] {
        let now = clock().timeIntervalSince1970
        return try read("notify status") { db in
            try Channel.queued.map { channel in
                let row = try Row.fetchOne(db, sql: """
                    SELECT
                      COUNT(*) FILTER (WHERE state = 'queued' AND notBefore <= ?2) AS due,
                      COUNT(*) FILTER (WHERE state = 'queued' AND notBefore > ?2) AS waiting,
                      COUNT(*) FILTER (WHERE state = 'queued' AND notBefore > ?2 AND attempts > 0) AS retrying,
                      COUNT(*) FILTER (WHERE state = 'leased' AND leaseUntil >= ?2) AS leased,
                      COUNT(*) FILTER (WHERE state = 'delivered') AS delivered,
                      COUNT(*) FILTER (WHERE state = 'dropped') AS dropped,
                      COUNT(*) FILTER (WHERE state = 'dead') AS dead,
                      MIN(createdAt) FILTER (WHERE state IN ('queued', 'leased')) AS oldest
                    FROM notifyMessage WHERE channel = ?1
                    """, arguments: [channel, now])!
                return ChannelStatus(channel: channel, due: row["due"], waiting: row["waiting"], retrying: row["retrying"],
                                     leased: row["leased"], delivered: row["delivered"], dropped: row["dropped"], dead: row["dead"],
                                     oldestPendingAge: (row["oldest"] as Double?).map { max(0, now - $0) })
            }
        }
    }

    /// The latest `limit` attempts, newest first (only `recipient`'s when given).
    public func attempts(limit: Int = 50, recipient: Int64? = nil) throws(NotifierError) -> [DeliveryAttempt] {
        try read("notify log") { db in
            try Row.fetchAll(db, sql: """
                SELECT a.*, m.recipientName, m.address, m.kind FROM notifyAttempt a JOIN notifyMessage m ON m.id = a.messageId
                WHERE ?1 IS NULL OR m.recipientId = ?1 ORDER BY a.id DESC LIMIT ?2
                """, arguments: [recipient, limit]).map { row in
                DeliveryAttempt(id: row["id"], messageId: row["messageId"], channel: row["channel"], recipientName: row["recipientName"],
                                address: row["address"], kind: row["kind"], at: Date(timeIntervalSince1970: row["at"]), worker: row["worker"],
                                outcome: DeliveryOutcome(rawValue: row["outcome"]) ?? .retry, status: row["status"], detail: row["detail"],
                                latencyMs: row["latencyMs"])
            }
        }
    }

    /// Puts dead messages (of `channel`, or all) back in their queue with a fresh attempt count;
    /// returns how many.
    @discardableResult
    public func retryDead(channel: Channel? = nil) throws(NotifierError) -> Int {
        let now = clock().timeIntervalSince1970
        return try write("notify retry-dead") { db in
            try db.execute(sql: """
                UPDATE notifyMessage SET state = 'queued', attempts = 0, notBefore = ?1, heldFor = NULL, updatedAt = ?1
                WHERE state = 'dead' AND (?2 IS NULL OR channel = ?2)
                """, arguments: [now, channel])
            return db.changesCount
        }
    }
}

extension Notifier {
    /// Every queued message's id (what a retry of dead messages waits for).
    public func queuedMessageIds() throws(NotifierError) -> [Int64] {
        try read("notify status") { db in try Int64.fetchAll(db, sql: "SELECT id FROM notifyMessage WHERE state = 'queued'") }
    }
}
