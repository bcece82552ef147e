import Foundation

extension Drive {
    /// Waits until the change journal moves past `seq` or `timeout` passes (the long poll of
    /// DESIGN.md): returns the latest sequence number, equal to `seq` on timeout.
    ///
    /// Blocks the calling thread: call it off the main actor. A change made through this `Drive`
    /// wakes it at once; one made by another process is seen within 100 ms.
    public func waitForChange(after seq: Int64, timeout: Duration) throws(DriveError) -> Int64 {
        let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18)
        while true {
            let latest = try latestSequence()
            if latest > seq || Date() >= deadline { return latest }
            changes.lock()
            _ = changes.wait(until: min(deadline, Date().addingTimeInterval(0.1)))
            changes.unlock()
        }
    }

    /// Wakes every `waitForChange` in this process; called after each committed write.
    func announceChange() {
        changes.lock()
        changes.broadcast()
        changes.unlock()
    }
}
