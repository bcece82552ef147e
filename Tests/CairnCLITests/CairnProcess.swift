#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A running `cairn`, started with its stdout and stderr going to files (a pipe could fill up and
/// stall it) and stdin from /dev/null, so it never sees a terminal.
final class CairnProcess: @unchecked Sendable {
    // `process` is only touched from the thread that owns this object; `exited` is a semaphore
    // signalled once from Foundation's termination handler.
    let arguments: [String]
    private let process = Process()
    private let exited = DispatchSemaphore(value: 0)
    private let stdoutFile: URL
    private let stderrFile: URL

    struct Timeout: Error, CustomStringConvertible {
        var arguments: [String]
        var seconds: Double
        var description: String { "cairn \(arguments.joined(separator: " ")) did not finish within \(seconds) s; killed it" }
    }

    init(binary: URL, arguments: [String], environment: [String: String], directory: URL, outputFolder: URL) throws {
        self.arguments = arguments
        let name = UUID().uuidString
        stdoutFile = outputFolder.appendingPathComponent("\(name).stdout")
        stderrFile = outputFolder.appendingPathComponent("\(name).stderr")
        _ = FileManager.default.createFile(atPath: stdoutFile.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
        let out = try FileHandle(forWritingTo: stdoutFile)
        let err = try FileHandle(forWritingTo: stderrFile)
        defer {
            try? out.close()
            try? err.close()
        }
        process.executableURL = binary
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        let exited = exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
    }

    /// What the process has printed on stdout so far (it keeps running).
    var stdoutSoFar: String {
        String(decoding: (try? Data(contentsOf: stdoutFile)) ?? Data(), as: UTF8.self)
    }

    /// Sends SIGKILL (`kill -9`): the process gets no chance to clean up.
    func kill() {
        _ = Glibc.kill(process.processIdentifier, SIGKILL)
    }

    /// Waits for the process to end (killing it after `timeout`) and collects its output.
    func wait(timeout: Double = 300) throws -> CommandResult {
        if exited.wait(timeout: .now() + timeout) == .timedOut {
            kill()
            exited.wait()
            throw Timeout(arguments: arguments, seconds: timeout)
        }
        let stdout = String(decoding: (try? Data(contentsOf: stdoutFile)) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: (try? Data(contentsOf: stderrFile)) ?? Data(), as: UTF8.self)
        try? FileManager.default.removeItem(at: stdoutFile)
        try? FileManager.default.removeItem(at: stderrFile)
        return CommandResult(arguments: arguments, status: process.terminationStatus,
                             killedBySignal: process.terminationReason == .uncaughtSignal, stdout: stdout, stderr: stderr)
    }
}
