#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// A real SMTP server on 127.0.0.1 (Debian's python3-aiosmtpd) that writes every message it
/// accepts, byte for byte as received, to a folder; stopped when the sink is released.
///
/// The server binds port 0 itself and writes the port it got to a file once it listens, so tests
/// running in parallel never race for a port and the file's appearing means it takes connections.
final class SMTPSink {
    /// Debian's python, which has aiosmtpd (the python3 first in PATH may be another one).
    static let python = "/usr/bin/python3"
    static let installHint = "apt-get install -y msmtp python3-aiosmtpd"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// One accepted message.
    struct Received {
        /// The DATA as received: CRLF line ends, dots unstuffed.
        var text: String
        /// The envelope's recipients (RCPT TO).
        var recipients: [String]
    }

    let port: Int
    private let folder: TempFolder
    private let pid: pid_t

    init(in folder: TempFolder) throws {
        self.folder = folder
        try FileManager.default.createDirectory(atPath: folder.file("mail"), withIntermediateDirectories: true)
        let script = try folder.write("sink.py", Self.script)
        pid = try Self.spawn([Self.python, script, folder.file("mail"), folder.file("port")], log: folder.file("server.log"))
        do {
            port = try Self.waitForPort(folder, pid: pid)
        } catch {
            kill(pid, SIGKILL)
            _ = waitpid(pid, nil, 0)
            throw error
        }
    }

    deinit {
        kill(pid, SIGKILL)
        _ = waitpid(pid, nil, 0)
    }

    /// The messages received so far, oldest first, once there are `count` (or `seconds` pass).
    func messages(count: Int, seconds: Double = 10) throws -> [Received] {
        var received: [Received] = []
        _ = waitUntil(seconds: seconds) {
            received = (try? self.receivedSoFar()) ?? []
            return received.count >= count
        }
        return received
    }

    private func receivedSoFar() throws -> [Received] {
        let names = try FileManager.default.contentsOfDirectory(atPath: folder.file("mail")).filter { $0.hasSuffix(".eml") }
        return try names.sorted { Int($0.dropLast(4))! < Int($1.dropLast(4))! }.map { name in
            let base = "mail/" + name.dropLast(4)
            return Received(text: try folder.read(base + ".eml"),
                            recipients: try folder.read(base + ".rcpt").split(separator: "\n").map(String.init))
        }
    }

    /// Waits up to 15 s for the server to listen; fails with its log when it exits or is slow.
    private static func waitForPort(_ folder: TempFolder, pid: pid_t) throws -> Int {
        var exited = false
        let listening = waitUntil(seconds: 15) {
            exited = waitpid(pid, nil, WNOHANG) == pid
            return exited || FileManager.default.fileExists(atPath: folder.file("port"))
        }
        guard listening, !exited, let port = Int(try folder.read("port")) else {
            let log = (try? folder.read("server.log")) ?? ""
            throw Failure(description: "the test SMTP server (\(python) + aiosmtpd) did not start: install it with '\(installHint)'\n\(log)")
        }
        return port
    }

    /// Starts `arguments` with standard input from /dev/null and its output to `log`.
    private static func spawn(_ arguments: [String], log: String) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, arguments[0], &actions, nil, argv, environ)
        guard status == 0 else {
            throw Failure(description: "cannot run \(arguments[0]) (\(String(cString: strerror(status)))): install it with '\(installHint)'")
        }
        return pid
    }

    /// The server: aiosmtpd's SMTP protocol with a handler that writes N.rcpt then N.eml
    /// (renamed into place, so a reader never sees half a message).
    private static let script = """
        import asyncio, os, sys
        from aiosmtpd.smtp import SMTP

        class Folder:
            def __init__(self, path):
                self.path, self.count = path, 0

            async def handle_DATA(self, server, session, envelope):
                self.count += 1
                base = os.path.join(self.path, str(self.count))
                with open(base + ".rcpt", "w") as f:
                    f.write("\\n".join(envelope.rcpt_tos))
                with open(base + ".tmp", "wb") as f:
                    f.write(envelope.original_content)
                os.rename(base + ".tmp", base + ".eml")
                return "250 OK"

        async def main(mail, port_file):
            handler = Folder(mail)
            loop = asyncio.get_running_loop()
            server = await loop.create_server(lambda: SMTP(handler, hostname="localhost"), "127.0.0.1", 0)
            with open(port_file + ".tmp", "w") as f:
                f.write(str(server.sockets[0].getsockname()[1]))
            os.rename(port_file + ".tmp", port_file)
            await server.serve_forever()

        asyncio.run(main(sys.argv[1], sys.argv[2]))
        """
}
