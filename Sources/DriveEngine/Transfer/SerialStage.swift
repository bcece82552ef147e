import Dispatch
import Synchronization

/// Runs work in order on a serial queue, in the background: at most one item waits behind the
/// one running, so the submitter works at most one item ahead. The first failure stops every
/// later item and is rethrown by `submit` or `finish`. Thread-safe: the failure is a `Mutex`.
final class SerialStage: Sendable {
    private let queue: DispatchQueue
    private let slots = DispatchSemaphore(value: 1)
    private let failure = WriteFailure()

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Queues `work` (waiting while another item is queued already); rethrows an earlier failure instead.
    func submit(_ work: @escaping @Sendable () throws -> Void) throws {
        try rethrowFailure()
        slots.wait()
        queue.async { [self] in
            defer { slots.signal() }
            guard failure.error == nil else { return }
            do { try work() } catch { failure.record(error) }
        }
    }

    /// Rethrows the first failure so far, without waiting.
    func rethrowFailure() throws {
        if let error = failure.error { throw error }
    }

    /// Waits for every queued item; rethrows the first failure.
    func finish() throws {
        waitForAll()
        try rethrowFailure()
    }

    /// Waits for every queued item, whatever happened.
    func waitForAll() {
        queue.sync {}
    }
}

/// The first error of a background write. Thread-safe: it is a `Mutex`.
final class WriteFailure: Sendable {
    private let first = Mutex<(any Error)?>(nil)

    var error: (any Error)? { first.withLock { $0 } }
    func record(_ error: any Error) { first.withLock { if $0 == nil { $0 = error } } }
}

/// Work started on another thread at once, its result taken later (`value` waits for it): for
/// two independent reads of one operation, such as a folder and the database, side by side.
final class BackgroundWork<T>: @unchecked Sendable { // `result` is written by the work before `group` leaves, read after the wait
    private let group = DispatchGroup()
    private var result: Result<T, any Error>?

    init(_ work: @escaping @Sendable () throws -> T) {
        DispatchQueue.global(qos: .userInitiated).async(group: group) { [self] in
            result = Result { try work() }
        }
    }

    /// Waits for the work; its result, or its error rethrown.
    func value() throws -> T {
        group.wait()
        return try result!.get()
    }

    /// Waits for the work, whatever it gives (before leaving on an error of one's own).
    func wait() {
        group.wait()
    }
}
