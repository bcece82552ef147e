import Foundation

/// What a stress run saw: how many operations of each kind ran, and every failure grouped by
/// kind, ending and message, each judged expected (a documented answer to the race, such as
/// "not found" for a file another process removed, or "the store is busy") or not.
///
/// Shared by all worker threads; every access holds `lock`.
final class StressTally: @unchecked Sendable {
    /// One group of failures of the same kind, ending and (normalised) message.
    struct Failure: Codable, Sendable {
        var kind: String
        var ending: String
        /// The first message seen in the group.
        var message: String
        var count: Int
        var expected: Bool
    }

    private let lock = NSLock()
    private var operations: [String: Int] = [:] // guarded by `lock`
    private var failures: [String: Failure] = [:] // guarded by `lock`
    private var order: [String] = [] // guarded by `lock`

    /// Whether a failed `cairn` run is the documented "try again" answer: exit 75 saying that
    /// the store is busy.
    static func isBusy(_ result: CairnRunner.Result) -> Bool {
        !result.signalled && result.status == 75 && result.message.contains("busy")
    }

    /// Whether a failed read is the documented answer for a file deleted for good while it was
    /// being read (cat reads block by block, gc may run between blocks): exit 5 saying so.
    static func wasDeletedWhileRead(_ result: CairnRunner.Result) -> Bool {
        !result.signalled && result.status == 5 && result.message.contains("deleted from the drive while")
    }

    /// Counts `result` as one operation of `kind`; a failure is expected when its exit code is in
    /// `allowed`, it says the store is busy, or (`vanishing`: a read of a file others delete) it
    /// says the file was deleted while it was read. Returns whether the run succeeded (exit 0).
    @discardableResult
    func record(_ kind: String, _ result: CairnRunner.Result, allowed: Set<Int32> = [], vanishing: Bool = false) -> Bool {
        let succeeded = !result.signalled && result.status == 0
        lock.withLock { operations[kind, default: 0] += 1 }
        if !succeeded {
            let expected = !result.signalled
                && (allowed.contains(result.status) || Self.isBusy(result) || (vanishing && Self.wasDeletedWhileRead(result)))
            let message = result.message.isEmpty ? "(nothing on stderr) cairn \(result.arguments.joined(separator: " "))" : result.message
            add(Failure(kind: kind, ending: result.ending, message: message, count: 1, expected: expected))
        }
        return succeeded
    }

    /// Records a problem found by checking what a command did (e.g. it wrote other bytes).
    func problem(_ kind: String, _ message: String) {
        add(Failure(kind: kind, ending: "exit 0", message: message, count: 1, expected: false))
    }

    private func add(_ failure: Failure) {
        let key = "\(failure.kind)|\(failure.ending)|\(failure.expected)|\(Self.normalised(failure.message))"
        lock.withLock {
            if failures[key] == nil {
                failures[key] = failure
                order.append(key)
            } else {
                failures[key]?.count += 1
            }
        }
    }

    /// The message with numbers and hex names blanked, so "pack 12" and "pack 13" group together.
    static func normalised(_ message: String) -> String {
        message.replacing(/[0-9a-f]{8,}/, with: "#").replacing(/[0-9]+/, with: "N")
    }

    /// Operations per kind.
    var operationCounts: [String: Int] { lock.withLock { operations } }

    /// The failure groups, in the order first seen.
    var failureGroups: [Failure] { lock.withLock { order.compactMap { failures[$0] } } }

    /// The failures no documented race explains.
    var unexpected: [Failure] { failureGroups.filter { !$0.expected } }
}
