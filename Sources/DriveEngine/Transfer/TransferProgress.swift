import Foundation
import Synchronization

/// Where a long transfer stands; handed to a progress callback from the transferring thread.
public struct TransferProgress: Sendable, Equatable {
    public var bytesDone: Int64 = 0
    public var bytesTotal: Int64 = 0
    public var filesDone: Int = 0
    public var filesTotal: Int = 0
    /// The path being transferred now.
    public var current: String = ""
    /// Set when a resumable upload continued from an earlier, interrupted one.
    public var resumedAt: Int64?

    public init() {}
}

/// A flag another thread sets to stop a transfer between batches (the TUI's Esc).
///
/// A cancelled transfer leaves nothing half done: stored blocks without metadata are swept by
/// garbage collection, and a resumable upload can continue later. Thread-safe: the flag is a
/// `Mutex`.
public final class Cancellation: Sendable {
    private let cancelled = Mutex(false)

    public init() {}

    public func cancel() { cancelled.withLock { $0 = true } }
    public var isCancelled: Bool { cancelled.withLock { $0 } }

    func check(_ operation: String, _ subject: String) throws(DriveError) {
        if isCancelled { throw DriveError(.cancelled, operation, subject, "cancelled") }
    }
}

/// Options shared by long operations.
public struct TransferOptions: Sendable {
    public var progress: (@Sendable (TransferProgress) -> Void)?
    public var cancellation: Cancellation?

    public init(progress: (@Sendable (TransferProgress) -> Void)? = nil, cancellation: Cancellation? = nil) {
        self.progress = progress
        self.cancellation = cancellation
    }
}
