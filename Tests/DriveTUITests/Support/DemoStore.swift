import DriveEngine
import Foundation

/// The demo drive (`cairn demo`) in a fresh temp folder at a fixed time: four users with shares
/// both ways — minji shares /문서 with alice (editor) and bob (viewer), alice shares /Design
/// with minji (viewer), junho shares /한국어 폴더 with minji (editor). Removed on deinit.
final class DemoStore: @unchecked Sendable {
    /// 2025-03-15 09:00 UTC: the demo's history ends just before it.
    static let now = Date(timeIntervalSince1970: 1_742_029_200)
    let root: URL
    let drive: Drive

    init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-tui-demo-\(UUID().uuidString)")
        drive = try DemoDrive.build(at: root.appendingPathComponent("store"), clock: { DemoStore.now })
    }

    deinit {
        try? FileManager.default.removeItem(at: root)
    }

    /// A session acting as `user`.
    func session(_ user: String) throws -> DriveSession {
        try drive.session(for: user)
    }
}
