import Foundation
import Notifier
import Synchronization

/// What a short command's wait for its notifications left behind.
public struct SettleReport: Sendable, Equatable {
    /// Journal entries fanned out by this call.
    public var entries = 0
    /// Messages queued (or folded into a digest) by this call.
    public var queued = 0
    /// Of those, how many were still due and not yet delivered when the wait ended: they stay
    /// queued for the next process that runs workers (`cairn notify run`, the full-screen app).
    public var stillQueued = 0
}

/// A process's part in notifications: it fans the journal out and runs delivery workers for the
/// providers it was given. Every process that opens the store runs one: the full-screen app and
/// `cairn notify run` in the background while they live (`start`), a short command once before
/// it exits (`settle`).
public final class NotificationService: Sendable {
    public let drive: Drive
    public let workers: NotifierWorkers
    private let running = Mutex(false)

    public init(drive: Drive, providers: [any NotificationProvider]) {
        self.drive = drive
        self.workers = NotifierWorkers(notifier: drive.notifier, providers: providers)
    }

    /// Fans out what the journal holds now, then delivers the messages that made, for at most
    /// `timeout` seconds (messages held for quiet hours, a digest or a backoff are not waited for).
    public func settle(timeout: Double) throws(DriveError) -> SettleReport {
        let fanned = try drive.fanOutNotifications()
        let left = workers.drain(fanned.messageIds, timeout: timeout)
        return SettleReport(entries: fanned.entries, queued: fanned.messageIds.count, stillQueued: left)
    }

    /// Starts the background loops: fan-out whenever the store is written (any process's commit
    /// wakes it within milliseconds), and the delivery workers, poked on every write so a
    /// message another process queued goes out at once. One watch for both, on the process's one
    /// inotify instance.
    public func start() {
        let first = running.withLock { was in
            defer { was = true }
            return !was
        }
        guard first else { return }
        workers.start()
        let thread = Thread { [self] in watchLoop() }
        thread.name = "cairn.notify.watch"
        thread.start()
    }

    /// Stops the loops after their current round.
    public func stop() {
        running.withLock { $0 = false }
        workers.stop()
    }

    private func watchLoop() {
        // Watching starts before the first look, so a commit between the two is not missed.
        var signal = StoreChangeSignal(folder: drive.location.path)
        while running.withLock({ $0 }) {
            do {
                try drive.fanOutNotifications()
            } catch {
                drive.notifier.log.warning("notification fan-out failed, will retry: \(error)")
            }
            workers.poke()
            signal.wait(seconds: 2)
        }
    }
}
