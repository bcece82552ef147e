import DriveEngine
import Foundation
import Synchronization

/// Waits on the drive's change journal on a thread of its own and posts
/// ``Action/driveChanged(_:)`` when the sequence moves: how changes made by another process (the
/// CLI, a sync) reach the screen. The wait wakes on any process's commit at once (the engine's
/// long poll watches the store's WAL), so the screen follows within milliseconds, not a timer.
/// Thread-safe: the only shared state is the stop flag, in a `Mutex`.
public final class JournalWatcher: Sendable {
    /// The stop flag, shared with the watching thread.
    private final class Flag: Sendable {
        let isSet = Mutex(false)
    }

    private let stopped = Flag()

    /// Starts watching `drive`; `post` receives each new sequence.
    public init(drive: Drive, post: @escaping @Sendable (Action) -> Void) {
        let thread = Thread { [stopped] in
            var last = (try? drive.latestSequence()) ?? 0
            while !stopped.isSet.withLock({ $0 }) {
                // A bounded wait, so `stop` takes effect within a second.
                guard let sequence = try? drive.waitForChange(after: last, timeout: .seconds(1)) else {
                    Thread.sleep(forTimeInterval: 1) // the store is unreadable for now: try again
                    continue
                }
                if sequence != last {
                    last = sequence
                    post(.driveChanged(sequence))
                }
            }
        }
        thread.name = "DriveTUI.journal"
        thread.qualityOfService = .utility
        thread.start()
    }

    /// Stops watching (the thread ends within a second).
    public func stop() {
        stopped.isSet.withLock { $0 = true }
    }
}
