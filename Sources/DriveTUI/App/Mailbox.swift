import Foundation

/// What wakes the app's loop: input waiting on the terminal, or an action from background
/// work (effect results, journal changes).
public enum Message: Sendable, Equatable {
    /// The terminal has input (or a resize) to read.
    case inputReady
    /// An action to reduce.
    case action(Action)
}

/// The one queue every message to the UI loop goes through: posted from any thread, taken
/// in batches on the main actor, so the loop renders once per batch.
///
/// Thread-safe via `lock`, which guards the pending messages and the waiting loop. Bounded:
/// past `limit` pending messages the oldest progress reports are dropped first (a newer one
/// supersedes them), so a flood from the background cannot grow memory without end.
public final class Mailbox: @unchecked Sendable {
    private let lock = NSLock()
    private var pending: [Message] = []  // guarded by lock
    private var waiter: CheckedContinuation<[Message], Never>?  // guarded by lock
    private let limit: Int

    /// An empty mailbox holding at most `limit` messages.
    public init(limit: Int = 10_000) {
        self.limit = limit
    }

    /// Posts a message and wakes the loop if it is waiting. Any thread.
    public func post(_ message: Message) {
        let resumed: (CheckedContinuation<[Message], Never>, [Message])? = lock.withLock {
            pending.append(message)
            if pending.count > limit {
                if let index = pending.firstIndex(where: { if case .action(.jobProgress) = $0 { true } else { false } }) {
                    pending.remove(at: index)
                } else {
                    pending.removeFirst()
                }
            }
            guard let waiter else { return nil }
            self.waiter = nil
            defer { pending = [] }
            return (waiter, pending)
        }
        if let (waiter, messages) = resumed { waiter.resume(returning: messages) }
    }

    /// Waits until at least one message is there, then returns all that are.
    public func take() async -> [Message] {
        await withCheckedContinuation { continuation in
            let ready: [Message]? = lock.withLock {
                guard pending.isEmpty else {
                    defer { pending = [] }
                    return pending
                }
                waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The messages waiting now, without waiting.
    public func drain() -> [Message] {
        lock.withLock {
            defer { pending = [] }
            return pending
        }
    }
}
