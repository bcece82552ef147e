import Foundation

/// Finds the built `cairn` executable that the tests run.
///
/// `swift test` builds every executable product into the same products folder as the test
/// bundle (`<scratch>/debug/`, whatever `--scratch-path` says), so the search starts from the
/// running test binary and walks up a few folders (on macOS the bundle nests it three deep).
/// `CAIRN_BINARY` overrides the search.
enum CairnBinary {
    struct NotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String {
            "the built 'cairn' executable was not found; run 'swift build' (or 'swift test', which builds it) "
                + "or set CAIRN_BINARY. Looked in:\n" + searched.map { "  " + $0 }.joined(separator: "\n")
        }
    }

    /// The executable, or an error listing every place searched.
    static func url() throws -> URL { try located.get() }

    private static let located: Result<URL, NotFound> = locate()

    private static func locate() -> Result<URL, NotFound> {
        let environment = ProcessInfo.processInfo.environment
        if let override = environment["CAIRN_BINARY"], !override.isEmpty {
            return isExecutableFile(override) ? .success(URL(fileURLWithPath: override)) : .failure(NotFound(searched: [override]))
        }
        var searched: [String] = []
        for start in startingPoints() {
            var folder = start
            for _ in 0..<5 {
                let candidate = folder.appendingPathComponent("cairn").path
                if !searched.contains(candidate) {
                    searched.append(candidate)
                    if isExecutableFile(candidate) { return .success(URL(fileURLWithPath: candidate)) }
                }
                folder = folder.deletingLastPathComponent()
            }
        }
        // Last resort: the default scratch path of this package.
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let fallback = packageRoot.appendingPathComponent(".build/debug/cairn").path
        searched.append(fallback)
        if isExecutableFile(fallback) { return .success(URL(fileURLWithPath: fallback)) }
        return .failure(NotFound(searched: searched))
    }

    /// Folders near the running test binary, most specific first.
    private static func startingPoints() -> [URL] {
        var points: [URL] = []
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            points.append(URL(fileURLWithPath: exe).deletingLastPathComponent())
        }
        if let exe = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            points.append(exe.deletingLastPathComponent())
        }
        points.append(Bundle.main.bundleURL.resolvingSymlinksInPath())
        if let first = CommandLine.arguments.first, first.contains("/") {
            points.append(URL(fileURLWithPath: first).resolvingSymlinksInPath().deletingLastPathComponent())
        }
        return points
    }

    private static func isExecutableFile(_ path: String) -> Bool {
        var isFolder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) && !isFolder.boolValue
            && FileManager.default.isExecutableFile(atPath: path)
    }
}
