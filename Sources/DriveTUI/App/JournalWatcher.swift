import DriveEngine
import Foundation

/// Polls the drive's change journal every `interval` on a background queue and posts
/// ``Action/driveChanged(_:)`` when the sequence moved: how changes made by another process
/// (the CLI, a sync) reach the screen. Thread-safe: the timer's state lives on its queue.
public final class JournalWatcher: @unchecked Sendable {
    private let timer: DispatchSourceTimer
    private var lastSequence: Int64?  // touched only on the timer's queue

    /// Starts polling `drive`; `post` receives each new sequence.
    public init(drive: Drive, interval: TimeInterval = 0.5, post: @escaping @Sendable (Action) -> Void) {
        let queue = DispatchQueue(label: "DriveTUI.journal", qos: .utility)
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(50))
        timer.setEventHandler { @Sendable [weak self] in
            guard let self, let sequence = try? drive.latestSequence() else { return }
            if sequence != lastSequence {
                lastSequence = sequence
                post(.driveChanged(sequence))
            }
        }
        timer.resume()
    }

    /// Stops polling.
    public func stop() {
        timer.cancel()
    }
}
