import Foundation
import Testing

/// One scripted answer of the test server: a status, extra headers, a body, and how long to
/// wait before answering (to make a request time out).
struct Reply {
    var status: Int
    var body: String
    var headers: [String: String]
    var delay: Double

    init(_ status: Int, _ body: String = "{}", headers: [String: String] = [:], delay: Double = 0) {
        self.status = status
        self.body = body
        self.headers = headers
        self.delay = delay
    }
}

/// One request as the test server recorded it.
struct RecordedRequest: Decodable {
    var method: String
    var path: String
    var headers: [String: String]
    var body: String
    /// "1.1" or "2".
    var httpVersion: String
    /// For a request with Standard Webhooks headers: "ok" when the server verified its signature
    /// with the plan's secret, else "fail".
    var signature: String?

    enum CodingKeys: String, CodingKey {
        case method, path, headers, body, signature
        case httpVersion = "http_version"
    }

    /// The body parsed as a JSON object.
    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }
}

/// A real HTTP server on 127.0.0.1 for one test: hypercorn serving `test_server.py` in a temp
/// folder of its own, over TLS with HTTP/2 when asked (with a CA and certificate made by
/// openssl for the test), answering by a plan the test writes and recording every request.
/// The server is killed and its folder removed when this is released.
final class TestServer {
    let directory: URL
    let port: Int
    /// The CA that signed the server's certificate (TLS servers only).
    let caFile: String?
    private let process: Process

    /// The server's base URL.
    var url: String { "\(caFile == nil ? "http" : "https")://127.0.0.1:\(port)" }

    init(tls: Bool = false) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-http-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        var arguments = [try Self.script(), directory.path]
        if tls {
            try Self.makeCertificates(in: directory)
            arguments += [directory.appendingPathComponent("server.pem").path, directory.appendingPathComponent("server.key").path]
            caFile = directory.appendingPathComponent("ca.pem").path
        } else {
            caFile = nil
        }
        process = try Self.run("/usr/bin/python3", arguments, log: directory.appendingPathComponent("stderr.log"), wait: false)
        port = try Self.waitForPort(directory, process)
    }

    deinit {
        // SIGKILL: the server inherits this process's blocked signals, SIGTERM among them.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Scripts the answers: each path's replies in order, the last one repeating (a path with
    /// none answers 200 "{}"); `secret` is the webhook secret the server verifies signatures with.
    func plan(_ paths: [String: [Reply]], secret: String? = nil) throws {
        var plan: [String: Any] = ["paths": paths.mapValues { $0.map { [$0.status, $0.headers, $0.body, $0.delay] as [Any] } }]
        plan["secret"] = secret
        let data = try JSONSerialization.data(withJSONObject: plan)
        try data.write(to: directory.appendingPathComponent("plan.json"), options: .atomic)
    }

    /// Every request so far, oldest first.
    func requests() throws -> [RecordedRequest] {
        guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent("requests.jsonl").path) else { return [] }
        return try data.split(separator: UInt8(ascii: "\n")).map { try JSONDecoder().decode(RecordedRequest.self, from: Data($0)) }
    }

    /// The requests to `path`.
    func requests(to path: String) throws -> [RecordedRequest] {
        try requests().filter { $0.path == path }
    }

    /// The server script, from the test bundle's resources.
    private static func script() throws -> String {
        try #require(Bundle.module.url(forResource: "test_server", withExtension: "py"), "test_server.py is not in the test bundle").path
    }

    /// Waits for the script to write its port, which it does once it answers.
    private static func waitForPort(_ directory: URL, _ process: Process) throws -> Int {
        let deadline = Date().addingTimeInterval(20)
        let portFile = directory.appendingPathComponent("port").path
        while Date() < deadline {
            if let data = FileManager.default.contents(atPath: portFile), let port = Int(String(decoding: data, as: UTF8.self)) {
                return port
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.02)
        }
        let log = FileManager.default.contents(atPath: directory.appendingPathComponent("stderr.log").path)
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        throw TestSetupError("""
            the test HTTP server did not start; it needs Debian's python3 with hypercorn and h2 \
            (apt-get install -y python3-hypercorn python3-h2). Its output:
            \(log.suffix(2000))
            """)
    }

    /// A CA and a certificate for 127.0.0.1 (subjectAltName IP:127.0.0.1) signed by it.
    private static func makeCertificates(in directory: URL) throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl") else {
            throw TestSetupError("openssl is missing: apt-get install -y openssl")
        }
        let extensions = directory.appendingPathComponent("server.ext")
        try Data("subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n".utf8).write(to: extensions)
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        let steps: [[String]] = [
            ["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=Cairn Test CA",
                                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
            ["req"] + ec + ["-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem",
             "-days", "2", "-extfile", extensions.path],
        ]
        for step in steps {
            let process = try run("/usr/bin/openssl", step, log: directory.appendingPathComponent("openssl.log"), in: directory)
            guard process.terminationStatus == 0 else { throw TestSetupError("openssl \(step.prefix(2).joined(separator: " ")) failed") }
        }
    }

    /// Starts `tool` with its output in `log` (and waits for it unless `wait` is false).
    @discardableResult
    private static func run(_ tool: String, _ arguments: [String], log: URL, in directory: URL? = nil, wait: Bool = true) throws -> Process {
        guard FileManager.default.isExecutableFile(atPath: tool) else { throw TestSetupError("\(tool) is missing") }
        if !FileManager.default.fileExists(atPath: log.path) { try Data().write(to: log) }
        let output = try FileHandle(forWritingTo: log)
        output.seekToEndOfFile()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        if wait { process.waitUntilExit() }
        return process
    }
}

/// A test could not set up what it needs (a missing tool); the message says how to get it.
struct TestSetupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
