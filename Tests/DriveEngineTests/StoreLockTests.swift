@testable import DriveEngine
import Foundation
import Testing

/// The store lock excludes garbage collection from every thread and process that stores or reads
/// blocks. Each test here failed against the flock-only lock, where `exclusive` converted the
/// process's shared hold instead of waiting for its other threads.
@Suite struct StoreLockTests {
    /// A thread of this process that holds the lock shared until told to let go.
    final class Holder: @unchecked Sendable {
        // Both semaphores are thread-safe by themselves.
        let entered = DispatchSemaphore(value: 0)
        let letGo = DispatchSemaphore(value: 0)
        let left = DispatchSemaphore(value: 0)

        init(_ lock: StoreLock, exclusive: Bool = false) {
            Thread.detachNewThread { [self] in
                let body = {
                    self.entered.signal()
                    self.letGo.wait()
                }
                if exclusive { lock.exclusive(body) } else { lock.shared(body) }
                left.signal()
            }
            entered.wait()
        }

        func release() {
            letGo.signal()
            left.wait()
        }
    }

    /// A flag set from another thread.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var set = false // guarded by `lock`
        var isSet: Bool { lock.withLock { set } }
        func raise() { lock.withLock { set = true } }
    }

    /// Removes a lock file made by `tempLock` and its gate.
    static func removeLock(_ path: String) {
        unlink(path)
        unlink(path + ".gate")
    }

    static func tempLock() throws -> (StoreLock, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-lock-\(UUID().uuidString)").path
        return (try StoreLock(path: path), path)
    }

    /// Whether another process can take the file lock right now (`flock(1)`, non-blocking).
    static func otherProcessCanLock(_ path: String, exclusive: Bool) throws -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/flock")
        process.arguments = [exclusive ? "--exclusive" : "--shared", "--nonblock", path, "true"]
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus == 0
    }

    @Test func exclusiveWaitsForSharedHoldersOfThisProcess() throws {
        let (lock, path) = try Self.tempLock()
        defer { Self.removeLock(path) }
        let holder = Holder(lock)
        let inside = Flag()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            lock.exclusive { inside.raise() }
            done.signal()
        }
        // The gc thread must still be waiting while the writer holds the lock. (This bounded wait
        // only gives the old, wrong lock time to let it in.)
        #expect(done.wait(timeout: .now() + 0.3) == .timedOut)
        #expect(!inside.isSet, "exclusive entered while another thread of the process held the lock shared")
        holder.release()
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(inside.isSet)
    }

    @Test func sharedWaitsForExclusiveOfThisProcess() throws {
        let (lock, path) = try Self.tempLock()
        defer { Self.removeLock(path) }
        let gc = Holder(lock, exclusive: true)
        let inside = Flag()
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            lock.shared { inside.raise() }
            done.signal()
        }
        #expect(done.wait(timeout: .now() + 0.3) == .timedOut)
        #expect(!inside.isSet)
        gc.release()
        #expect(done.wait(timeout: .now() + 10) == .success)
    }

    @Test func fileLockFollowsTheHoldersOfEveryThread() throws {
        let (lock, path) = try Self.tempLock()
        defer { Self.removeLock(path) }
        #expect(try Self.otherProcessCanLock(path, exclusive: true))
        let first = Holder(lock)
        let second = Holder(lock)
        #expect(try !Self.otherProcessCanLock(path, exclusive: true), "another process's gc got in beside two writers")
        #expect(try Self.otherProcessCanLock(path, exclusive: false), "another process's writer was kept out")
        first.release()
        #expect(try !Self.otherProcessCanLock(path, exclusive: true), "one writer left and dropped the other's hold")
        second.release()
        #expect(try Self.otherProcessCanLock(path, exclusive: true))

        let gc = Holder(lock, exclusive: true)
        #expect(try !Self.otherProcessCanLock(path, exclusive: false))
        gc.release()
        #expect(try Self.otherProcessCanLock(path, exclusive: false))
    }

    /// flock has no queue: without the gate, readers of other processes that keep overlapping
    /// would keep a gc out forever. A gc waiting (in another "process": a second lock object on
    /// the same file has a descriptor of its own) makes a newcomer wait behind it.
    @Test func aWaitingExclusiveOfAnotherProcessHoldsNewSharedTakersBack() throws {
        let (readerLock, path) = try Self.tempLock()
        defer { Self.removeLock(path) }
        let gcLock = try StoreLock(path: path), newcomerLock = try StoreLock(path: path)
        let reader = Holder(readerLock)
        let gcInside = Flag(), newcomerInside = Flag()
        let gcDone = DispatchSemaphore(value: 0), newcomerDone = DispatchSemaphore(value: 0)
        let gcGo = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            gcLock.exclusive {
                gcInside.raise()
                gcGo.wait()
            }
            gcDone.signal()
        }
        // Give the gc time to start waiting (its gate is taken first, at once).
        #expect(gcDone.wait(timeout: .now() + 0.3) == .timedOut)
        Thread.detachNewThread {
            newcomerLock.shared { newcomerInside.raise() }
            newcomerDone.signal()
        }
        #expect(newcomerDone.wait(timeout: .now() + 0.3) == .timedOut, "a new reader went past a waiting gc")
        #expect(!newcomerInside.isSet)
        reader.release()
        let deadline = Date().addingTimeInterval(10)
        while !gcInside.isSet && Date() < deadline { usleep(1000) }
        #expect(gcInside.isSet, "the gc did not get the lock once the reader left")
        #expect(!newcomerInside.isSet, "the newcomer got in beside the gc")
        gcGo.signal()
        #expect(gcDone.wait(timeout: .now() + 10) == .success)
        #expect(newcomerDone.wait(timeout: .now() + 10) == .success)
        #expect(newcomerInside.isSet)
    }

    @Test func reentrantOnOneThread() throws {
        let (lock, path) = try Self.tempLock()
        defer { Self.removeLock(path) }
        let depth = lock.shared { lock.shared { lock.shared { 3 } } }
        #expect(depth == 3)
        let nested = lock.exclusive { lock.shared { lock.exclusive { true } } }
        #expect(nested)
        #expect(try Self.otherProcessCanLock(path, exclusive: true), "a nested section left the file locked")
    }

    /// Many threads taking it shared while others take it exclusive: no exclusive section ever
    /// overlaps another section, and nobody is left waiting.
    @Test func manyThreadsNeverOverlapAnExclusiveSection() throws {
        let (lock, path) = try Self.tempLock()
        defer { Self.removeLock(path) }
        final class Counters: @unchecked Sendable {
            // Guarded by `lock`.
            let lock = NSLock()
            var readers = 0, writers = 0, violations = 0
        }
        let counters = Counters()
        let group = DispatchGroup()
        for i in 0..<16 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                for round in 0..<200 {
                if (i + round) % 7 == 0 {
                    lock.exclusive {
                        counters.lock.withLock {
                            if counters.readers > 0 || counters.writers > 0 { counters.violations += 1 }
                            counters.writers += 1
                        }
                        counters.lock.withLock { counters.writers -= 1 }
                    }
                } else {
                    lock.shared {
                        counters.lock.withLock {
                            if counters.writers > 0 { counters.violations += 1 }
                            counters.readers += 1
                        }
                        counters.lock.withLock { counters.readers -= 1 }
                    }
                }
                }
            }
        }
        #expect(group.wait(timeout: .now() + 60) == .success, "a thread was left waiting")
        #expect(counters.violations == 0)
    }
}
