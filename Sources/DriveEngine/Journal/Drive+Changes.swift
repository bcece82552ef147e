import Foundation

extension Drive {
    /// How long a wait for a change sleeps between looks at the journal when no write to the
    /// store wakes it: the fallback where inotify is not available.
    public static let changePollFallback: Double = 1

    /// Waits until the change journal moves past `seq` or `timeout` passes (the long poll):
    /// returns the latest sequence number, equal to `seq` on timeout.
    ///
    /// Blocks the calling thread: call it off the main actor. A commit by any process, this one
    /// included, wakes it at once (an inotify watch on the store's WAL file); without inotify it
    /// looks again every `poll` seconds.
    public func waitForChange(after seq: Int64, timeout: Duration, poll: Double = Drive.changePollFallback) throws(DriveError) -> Int64 {
        try waitForChange(from: seq, timeout: timeout, poll: poll) { () throws(DriveError) in max(seq, try latestSequence()) }
    }

    /// Waits until `look` gives something other than `last` or `timeout` passes: returns the
    /// last look (equal to `last` on timeout). The long poll of ``waitForChange(after:timeout:poll:)``
    /// for what the journal does not hold — an inbox, a queue — so a watcher of several things
    /// wakes on any process's commit to any of them, none missed between a look and the wait.
    ///
    /// Blocks the calling thread: call it off the main actor.
    public func waitForChange<Value: Equatable>(from last: Value, timeout: Duration, poll: Double = Drive.changePollFallback,
                                                look: () throws(DriveError) -> Value) throws(DriveError) -> Value {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        // Watching starts before the first look, so a commit between the two is not missed.
        var signal = StoreChangeSignal(folder: location.path)
        while true {
            let value = try look()
            if value != last || Date() >= deadline { return value }
            signal.wait(seconds: min(deadline.timeIntervalSinceNow, poll))
        }
    }

    /// Blocks up to `seconds` until any process writes the store's database (a commit), or
    /// returns early for no reason: callers look again at what they wait for. Notification
    /// workers wait here so a message another process queued goes out at once.
    public func waitForWrite(seconds: Double) {
        var signal = StoreChangeSignal(folder: location.path)
        signal.wait(seconds: seconds)
    }
}
