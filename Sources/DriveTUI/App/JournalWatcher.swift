import DriveEngine
import Foundation
import Synchronization

/// Watches the store on a thread of its own and posts what moved: ``Action/driveChanged(_:entries:)``
/// with the change journal's new entries (so only what they touch is reloaded), and
/// ``Action/inboxCounted(unread:newest:)`` when this user's inbox changes (the badge, and news for
/// the status line). How changes made by another process (the CLI, a sync, the notifier's fan-out)
/// reach the screen.
///
/// One wait covers both: any process's commit wakes it at once (the engine's long poll watches the
/// store's WAL), so the screen follows within milliseconds, not a timer. An inbox row adds no
/// journal entry, hence the look at the inbox on every wake.
/// Thread-safe: the only shared state is the stop flag, in a `Mutex`.
public final class JournalWatcher: Sendable {
    /// The stop flag, shared with the watching thread.
    private final class Flag: Sendable {
        let isSet = Mutex(false)
    }

    /// What one look at the store sees: the journal's sequence and the inbox's count.
    private struct Look: Equatable {
        var sequence: Int64
        var unread: Int
        var newest: Int64
    }

    /// Most journal entries read after one wake; past that, everything shown is reloaded.
    static let entryLimit = 1000

    private let stopped = Flag()

    /// Starts watching `session`'s drive and its user's inbox; `post` receives what changed.
    public init(session: DriveSession, post: @escaping @Sendable (Action) -> Void) {
        let drive = session.drive
        let me = session.user.id ?? 0
        /// The store now; an inbox that cannot be read keeps the count it had, so it does not flap.
        @Sendable func look(_ last: Look?) throws(DriveError) -> Look {
            let inbox = try? drive.notifier.inboxSummary(for: me)
            return Look(sequence: try drive.latestSequence(), unread: inbox?.unread ?? last?.unread ?? 0,
                        newest: inbox?.latestId ?? last?.newest ?? 0)
        }
        let thread = Thread { [stopped] in
            var last: Look?
            while !stopped.isSet.withLock({ $0 }) {
                do throws(DriveError) {
                    guard let seen = last else {
                        last = try look(nil)
                        continue
                    }
                    // A bounded wait, so `stop` takes effect within a second.
                    var now = try drive.waitForChange(from: seen, timeout: .seconds(1)) { () throws(DriveError) in try look(seen) }
                    if now.sequence != seen.sequence {
                        let (sequence, entries) = Self.changes(drive, after: seen.sequence, latest: now.sequence)
                        now.sequence = sequence
                        post(.driveChanged(sequence, entries: entries))
                    }
                    if now.unread != seen.unread || now.newest != seen.newest {
                        post(.inboxCounted(unread: now.unread, newest: now.newest))
                    }
                    last = now
                } catch {
                    Thread.sleep(forTimeInterval: 1) // the store is unreadable for now: try again
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

    /// The journal entries after `sequence` and the sequence they reach; `nil` entries (and
    /// `latest`) when there are too many, or they cannot be read: then everything is reloaded.
    private static func changes(_ drive: Drive, after sequence: Int64, latest: Int64) -> (Int64, [JournalEntry]?) {
        guard let entries = try? drive.journal(after: sequence, limit: entryLimit), entries.count < entryLimit else {
            return (latest, nil)
        }
        return (max(latest, entries.last?.seq ?? latest), entries)
    }
}
