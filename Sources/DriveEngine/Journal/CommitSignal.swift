#if canImport(Glibc)
import Glibc
#endif
import Foundation
import GRDB

/// Writes a byte to the store's `commits` file after every commit of this process's writer
/// connection, so that ``StoreChangeHub`` wakes waiters in every process once a commit is
/// visible to readers.
///
/// The WAL is written before a commit is visible: with `synchronous = FULL` the writer syncs the
/// WAL between writing its frames and publishing the commit in the shared index (`-shm`, a memory
/// map, which inotify does not see). A waiter woken by the WAL write alone looks too early, finds
/// nothing new and sleeps until its poll. This write comes after the publication, so the look it
/// causes sees the commit.
///
/// A transaction observer of the pool: it observes no row changes (no per-row cost), and GRDB calls
/// `databaseDidCommit` after the COMMIT statement returned. Used on the writer's queue only.
final class CommitSignal: TransactionObserver, @unchecked Sendable { // its state is touched on the writer's queue only
    /// The file's name in the store folder.
    static let fileName = "commits"
    private var fd: Int32 = -1
    private let path: String
    /// The connection's count of rows changed (`sqlite3_total_changes`) at the last signal.
    private var changesSignalled = 0

    init(folder: String) {
        path = folder + "/" + Self.fileName
    }

    deinit { if fd >= 0 { close(fd) } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { false }
    func databaseDidChange(with event: DatabaseEvent) {}
    func databaseDidRollback(_ db: Database) {}

    func databaseDidCommit(_ db: Database) {
        // GRDB reports every write transaction's end as a commit, an empty one too (a claim of
        // queued work that found none). Signalling those would wake every waiter, whose look
        // may itself be such a transaction: an endless loop. Only a transaction that changed
        // rows wrote anything to the WAL.
        let changes = db.totalChangesCount
        guard changes != changesSignalled else { return }
        changesSignalled = changes
        if fd < 0 { fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644) }
        // A store that cannot be written here (read-only folder) still wakes waiters through
        // the WAL, later: the poll catches what the early look missed.
        guard fd >= 0 else { return }
        var byte: UInt8 = 1
        _ = pwrite(fd, &byte, 1, 0)
    }
}
