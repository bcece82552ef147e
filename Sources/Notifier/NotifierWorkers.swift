import Foundation
import GRDB
import Synchronization

/// Delivers queued messages through the providers this process has, on Dispatch queues: one
/// concurrent queue per channel, at most `configuration.concurrency` messages in flight on each.
///
/// Every process that opens the store may run workers at once (a TUI, a CLI command, `cairn
/// notify run`): each message is leased to one worker before it is sent, so none is sent twice
/// while its lease holds. `start` runs a loop per channel in the background until `stop`;
/// `drain` delivers given messages in the caller's thread for a bounded time (a short command).
public final class NotifierWorkers: Sendable {
    public let notifier: Notifier
    let providers: [any NotificationProvider]
    /// This process's worker name in leases and the log: host, pid and a random tag.
    public let owner: String
    private let queues: [Channel: DispatchQueue]
    private let wake = NSCondition()
    private let running = Mutex(false)
    private let pokes = Mutex(0)

    public init(notifier: Notifier, providers: [any NotificationProvider]) {
        self.notifier = notifier
        self.providers = providers
        let host = ProcessInfo.processInfo.hostName
        self.owner = "\(host):\(getpid()):\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        var queues: [Channel: DispatchQueue] = [:]
        for channel in Channel.queued {
            queues[channel] = DispatchQueue(label: "cairn.notify.\(channel.rawValue)", attributes: .concurrent)
        }
        self.queues = queues
    }

    /// The channels some provider of this process sends.
    public var channels: [Channel] { Channel.queued.filter { channel in providers.contains { $0.channel == channel } } }

    /// For push, the platforms this process has a provider for (a message for another platform
    /// is left to a process that has one); nil for other channels.
    private func platforms(_ channel: Channel) -> Set<PushPlatform>? {
        guard channel == .push else { return nil }
        return Set(PushPlatform.allCases.filter { platform in
            let probe = OutgoingMessage(id: 0, channel: .push, address: "", platform: platform, key: "", kind: "", recipientId: 0,
                                        recipientName: "", title: "", body: "", createdAt: Date())
            return providers.contains { $0.handles(probe) }
        })
    }

    /// Claims and sends one round of due messages of `channel` (only `ids` when given) and
    /// waits for their answers; returns how many were sent.
    @discardableResult
    public func deliverDue(_ channel: Channel, only ids: [Int64]? = nil) -> Int {
        guard let queue = queues[channel] else { return 0 }
        let claimed: [OutgoingMessage]
        do {
            claimed = try notifier.claim(channel, owner: owner, limit: notifier.configuration.concurrency, only: ids,
                                         platforms: platforms(channel))
        } catch {
            notifier.log.warning("cannot claim \(channel.rawValue) messages: \(error)")
            return 0
        }
        let group = DispatchGroup()
        for message in claimed {
            queue.async(group: group) { [self] in
                let started = DispatchTime.now().uptimeNanoseconds
                let answer = providers.first { $0.handles(message) }?.deliver(message)
                    ?? ProviderAnswer(.configuration, status: "no provider", detail: "no provider for \(message.channel.rawValue) here")
                let latency = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
                do {
                    try notifier.settle(message, owner: owner, answer: answer, latency: latency)
                } catch {
                    // The lease runs out and the message is sent again: at least once, never lost.
                    notifier.log.error("cannot record the answer for message \(message.id): \(error)")
                }
            }
        }
        group.wait()
        return claimed.count
    }

    /// Delivers messages `ids` until each is settled or held for later (backoff, quiet hours,
    /// digest), or `timeout` seconds pass; returns how many that this process could send are
    /// still waiting to be sent now. A message whose channel (or push platform) has no provider
    /// here is left to a process that has one, without waiting. The deadline holds even while a
    /// provider hangs: that message stays leased, and if this process exits, its lease runs out
    /// and another worker sends it.
    public func drain(_ ids: [Int64], timeout: Double) -> Int {
        guard !ids.isEmpty, !channels.isEmpty else { return 0 }
        guard timeout > 0 else { return pending(ids).count }
        let deadline = Date().addingTimeInterval(timeout)
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread { [self] in
            var open = ids
            while !open.isEmpty && Date() < deadline {
                for channel in channels { deliverDue(channel, only: open) }
                open = pending(open)
                if !open.isEmpty { Thread.sleep(forTimeInterval: 0.02) }
            }
            finished.signal()
        }
        thread.start()
        _ = finished.wait(timeout: .now() + max(0, timeout))
        return pending(ids).count
    }

    /// Of messages `ids`, those this process could send that are due now or in flight.
    private func pending(_ ids: [Int64]) -> [Int64] {
        guard let states = try? notifier.dueStates(of: ids) else { return ids }
        let pushPlatforms = platforms(.push) ?? []
        return states.filter { _, state in
            state.due && channels.contains(state.channel) && (state.channel != .push || state.platform.map(pushPlatforms.contains) == true)
        }.map(\.key)
    }

    /// Starts a loop per channel in the background. A loop sleeps until its next message is
    /// due (at most 5 s) or `poke` wakes it: the host pokes whenever its store is written, so a
    /// message another process queued goes out at once.
    public func start() {
        let first = running.withLock { was in
            defer { was = true }
            return !was
        }
        guard first else { return }
        for channel in channels {
            let thread = Thread { [self] in loop(channel) }
            thread.name = "cairn.notify.\(channel.rawValue)"
            thread.start()
        }
    }

    /// Stops the loops after their current round (messages in flight finish and are recorded).
    public func stop() {
        running.withLock { $0 = false }
        poke()
    }

    /// Wakes the loops: something was queued.
    public func poke() {
        wake.lock()
        pokes.withLock { $0 += 1 }
        wake.broadcast()
        wake.unlock()
    }

    private func loop(_ channel: Channel) {
        while running.withLock({ $0 }) {
            let seen = pokes.withLock { $0 }
            if deliverDue(channel) > 0 { continue }
            let next = (try? notifier.nextDue([channel])) ?? nil
            let until = min(next ?? .distantFuture, Date().addingTimeInterval(5))
            wake.lock()
            if pokes.withLock({ $0 }) == seen && running.withLock({ $0 }) { _ = wake.wait(until: until) }
            wake.unlock()
        }
    }
}

extension Notifier {
    /// For messages `ids`: whether each is still to be sent now (queued and due, or leased), and
    /// its channel and platform.
    func dueStates(of ids: [Int64]) throws(NotifierError) -> [Int64: (due: Bool, channel: Channel, platform: PushPlatform?)] {
        let now = clock().timeIntervalSince1970
        return try read("notify status") { db in
            var states: [Int64: (due: Bool, channel: Channel, platform: PushPlatform?)] = [:]
            for start in stride(from: 0, to: ids.count, by: 500) {
                let part = Array(ids[start..<min(start + 500, ids.count)])
                let sql = "SELECT id, state, notBefore, channel, platform FROM notifyMessage WHERE id IN (\(part.map { _ in "?" }.joined(separator: ",")))"
                for row in try Row.fetchAll(db, sql: sql, arguments: StatementArguments(part)) {
                    let state: String = row["state"]
                    let due = state == "leased" || (state == "queued" && (row["notBefore"] as Double) <= now)
                    states[row["id"]] = (due, row["channel"], (row["platform"] as String?).flatMap(PushPlatform.init(rawValue:)))
                }
            }
            return states
        }
    }
}
