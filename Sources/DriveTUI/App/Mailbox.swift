import Foundation
import Synchronization

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
/// Thread-safe: `state` (a `Mutex`) holds the pending messages and the waiting loop. Bounded:
/// past `limit` pending messages the oldest progress reports are dropped first (a newer one
/// supersedes them), so a flood from the background cannot grow memory without end.
public final class Mailbox: Sendable {
    private let state = Mutex(State())
    private let limit: Int

    private struct State {
        var pending: [Message] = []
        var waiter: CheckedContinuation<[Message], Never>?
    }

    /// An empty mailbox holding at most `limit` messages.
    public init(limit: Int = 10_000) {
        self.limit = limit
    }

    /// Posts a message and wakes the loop if it is waiting. Any thread.
    public func post(_ message: Message) {
        let limit = self.limit
        let resumed: (CheckedContinuation<[Message], Never>, [Message])? = state.withLock { state in
            state.pending.append(message)
            if state.pending.count > limit {
                if let index = state.pending.firstIndex(where: { if case .action(.jobProgress) = $0 { true } else { false } }) {
                    state.pending.remove(at: index)
                } else {
                    state.pending.removeFirst()
                }
            }
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            defer { state.pending = [] }
            return (waiter, state.pending)
        }
        if let (waiter, messages) = resumed { waiter.resume(returning: messages) }
    }

    /// Waits until at least one message is there, then returns all that are.
    public func take() async -> [Message] {
        await withCheckedContinuation { continuation in
            let ready: [Message]? = state.withLock { state in
                guard state.pending.isEmpty else {
                    defer { state.pending = [] }
                    return state.pending
                }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// The messages waiting now, without waiting.
    public func drain() -> [Message] {
        state.withLock { state in
            defer { state.pending = [] }
            return state.pending
        }
    }
}
