import DriveEngine
import Foundation
import Synchronization

/// Runs effects off the main actor and sends their results back as actions.
///
/// Engine calls block (SQLite, file I/O), so they run on a serial Dispatch queue — in the
/// order the reducer asked for them — and transfers on a second queue, so a long upload
/// never holds up browsing. A Details load is skipped when a newer one was asked for before
/// it started (holding j down must not queue hundreds of loads).
///
/// Thread-safe: `state` (a `Mutex`) holds the in-flight count, the job cancellations and the
/// latest-request token; everything else is immutable.
public final class EffectRunner: Sendable {
    let session: DriveSession
    let context: AppContext
    let send: @Sendable (Action) -> Void
    private let queue = DispatchQueue(label: "DriveTUI.effects", qos: .userInitiated)
    /// How many entries of a folder are read first (more than any screen shows).
    static let firstListing = 300
    private let transfers = DispatchQueue(label: "DriveTUI.transfers", qos: .utility)
    private let state = Mutex(State())

    private struct State {
        var inFlight = 0
        var cancellations: [Int: Cancellation] = [:]
        var detailsToken = 0
    }

    /// A runner acting through `session`; `send` posts results to the app's mailbox.
    public init(session: DriveSession, context: AppContext, send: @escaping @Sendable (Action) -> Void) {
        self.session = session
        self.context = context
        self.send = send
    }

    /// Whether no effect is queued or running (tests wait for this).
    public var isIdle: Bool { state.withLock { $0.inFlight == 0 } }

    /// Starts `effect` in the background; returns at once.
    public func run(_ effect: Effect) {
        switch effect {
        case .cancelJob(let id):
            state.withLock { $0.cancellations[id] }?.cancel()
        case .put(let job, let local, let destination):
            let cancellation = begin(job: job)
            submit(on: transfers) { [self] in
                let options = transferOptions(job: job, cancellation: cancellation)
                defer { state.withLock { _ = $0.cancellations.removeValue(forKey: job) } }
                do throws(DriveError) {
                    let report = try session.put(local: local, to: destination.description, options: options)
                    var text = "Added \(report.destination): \(Formatting.count(report.filesStored, "file")) stored"
                    if report.filesUnchanged > 0 { text += ", \(report.filesUnchanged) unchanged" }
                    text += ", \(report.newBlocks) new blocks, \(report.sharedBlocks) shared"
                    send(.jobFinished(job, text))
                } catch {
                    send(.jobFailed(job, error))
                }
            }
        case .get(let job, let path, let local, let version, let force):
            let cancellation = begin(job: job)
            submit(on: transfers) { [self] in
                let options = transferOptions(job: job, cancellation: cancellation)
                defer { state.withLock { _ = $0.cancellations.removeValue(forKey: job) } }
                let target = Self.downloadTarget(local, for: path)
                if !force, let isFolder = Self.localKind(at: target) {
                    send(.localTargetExists(job: job, path, local: local, target: target, isFolder: isFolder, version: version))
                    return
                }
                do throws(DriveError) {
                    let report = try session.get(path.description, to: target, version: version, force: force, options: options)
                    send(.jobFinished(job, "Downloaded \(path) to \(report.destination) "
                        + "(\(Formatting.count(report.files, "file")), \(Formatting.bytes(report.bytesWritten)))"))
                } catch {
                    send(.jobFailed(job, error))
                }
            }
        case .list(let path):
            // A screenful first: a folder of 100,000 items shows before all of it is read.
            submit(on: queue) { [self] in
                send(result { () throws(DriveError) in
                    let first = try session.list(path.description, limit: Self.firstListing)
                    guard first.count == Self.firstListing else { return .listed(path, first) }
                    send(.listedFirst(path, first))
                    return .listed(path, try session.list(path.description))
                })
            }
        case .emptyTrash:
            // Emptying the trash runs gc, which waits for every transfer (they hold the store
            // lock). On the transfers queue it waits its turn there instead of holding up
            // browsing on the effects queue.
            submit(on: transfers) { [self] in send(result { () throws(DriveError) in try perform(effect) }) }
        case .loadDetails(let path):
            let token = state.withLock { $0.detailsToken += 1; return $0.detailsToken }
            submit(on: queue) { [self] in
                guard state.withLock({ $0.detailsToken == token }) else { return }
                send(result { () throws(DriveError) in .detailsLoaded(path, try session.log(path.description)) })
            }
        default:
            submit(on: queue) { [self] in send(result { () throws(DriveError) in try perform(effect) }) }
        }
    }

    /// The result of a quick effect, as an action.
    private func perform(_ effect: Effect) throws(DriveError) -> Action {
        switch effect {
        case .loadUsers:
            return .usersLoaded(Dictionary(try session.drive.users().compactMap { user in user.id.map { ($0, user.name) } },
                                           uniquingKeysWith: { first, _ in first }))
        case .loadVersions(let path):
            return .versionsLoaded(path, try session.log(path.description))
        case .loadTrash:
            return .trashLoaded(try session.trashList())
        case .loadSharing:
            return .sharingLoaded(try session.sharing())
        case .loadStats:
            let stats = try session.stats(biggest: 12)
            return .statsLoaded(stats, stats.biggest.map { BiggestFile(path: $0.path, size: $0.size) })
        case .preview(let path, let version):
            let chosen = try session.log(path.description).first { version == nil ? $0.isHead : $0.version.number == version }
            if let target = chosen?.version.linkTarget { return .pagerReady(.link(path, version: version, target: target)) }
            let data = try session.contents(path.description, version: version, limit: PagerContent.previewLimit)
            return .pagerReady(.preview(of: path, version: version, data: data, size: chosen?.version.size))
        case .diff(let path, let old, let new):
            let versions = try session.log(path.description)
            let oldData = try diffContent(path, old, versions)
            let newData = try diffContent(path, new, versions)
            return .pagerReady(.diff(of: path, old: old, new: new, oldData: oldData, newData: newData))
        case .restoreVersion(let path, let number):
            let version = try session.restore(path.description, version: number)
            return .changed("Restored \(path) to version \(number): the new head is version \(version.number)")
        case .setPinned(let path, let number, let pinned):
            try session.pin(path.description, version: number, pinned: pinned)
            return .changed(pinned ? "Pinned version \(number) of \(path)" : "Unpinned version \(number) of \(path)")
        case .makeFolder(let path, let parents):
            try session.makeFolder(path.description, parents: parents)
            return .changed("Made folder \(path)")
        case .move(let source, let destination):
            let landed = try session.move(source.description, to: destination.description)
            return .changed("Moved \(source) to \(landed)")
        case .moveInto(let source, let folder):
            // The engine renames when the destination is no folder: the move dialog never should.
            let target: Item
            do throws(DriveError) {
                target = try session.item(at: folder.description)
            } catch where error.code == .notFound {
                return .refused("no folder \(folder): type an existing folder")
            }
            guard target.isFolder else { return .refused("\(folder) is a file, not a folder: type an existing folder") }
            let landed = try session.move(source.description, to: folder.description)
            return .changed("Moved \(source) to \(landed)")
        case .trash(let path):
            try session.trash(path.description)
            return .changed("Moved \(path) to the trash (3 shows it; r there puts it back)")
        case .untrash(let path):
            try session.untrash(path.description)
            return .changed("Put \(path) back")
        case .emptyTrash:
            let count = try session.emptyTrash()
            return .changed("Emptied the trash: \(Formatting.count(count, "item")) deleted for good")
        case .share(let path, let user, let role):
            try session.share(path.description, with: user, role: role)
            return .changed("Shared \(path) with \(user) as \(role.rawValue)")
        case .unshare(let path, let user):
            try session.unshare(path.description, with: user)
            return .changed("Stopped sharing \(path) with \(user)")
        case .completeLocalPath(let text):
            let completion = LocalPathCompletion.complete(text, directory: context.localDirectory, home: context.homeDirectory)
            return .completions(for: text, completed: completion.text, candidates: completion.candidates)
        case .loadInbox, .countInbox, .loadNewNotifications, .markRead, .markAllRead, .archive:
            return try performInbox(effect)
        case .openLink(let link):
            return try open(link)
        case .loadConflicts, .loadMerge, .keepSide, .writeMerge:
            return try performConflicts(effect)
        case .loadDevices:
            return .devicesLoaded(try session.deviceStatuses())
        case .syncDevices(let names):
            var reports: [SyncReport] = []
            for name in names {
                do {
                    reports.append(try session.sync(device: name))
                } catch {
                    return .devicesSynced(reports, failure: error.description)
                }
            }
            return .devicesSynced(reports, failure: nil)
        case .put, .get, .cancelJob, .loadDetails, .list:
            preconditionFailure("handled in run(_:)")
        case .editText:
            preconditionFailure("run by the app, which owns the terminal")
        }
    }

    /// Version `number`'s content for a diff: a link's is its target, on one line (it has no
    /// content of its own), so a changed target shows as a changed line.
    private func diffContent(_ path: DrivePath, _ number: Int, _ versions: [VersionEntry]) throws(DriveError) -> Data {
        if let target = versions.first(where: { $0.version.number == number })?.version.linkTarget {
            return Data("-> \(target)\n".utf8)
        }
        return try session.contents(path.description, version: number, limit: PagerContent.previewLimit * 4)
    }

    /// Where downloading `path` to `local` writes: inside `local` when that is an existing
    /// local folder (as cp does), else `local` itself.
    static func downloadTarget(_ local: String, for path: DrivePath) -> String {
        var isDirectory: ObjCBool = false
        guard !path.isRoot, FileManager.default.fileExists(atPath: local, isDirectory: &isDirectory), isDirectory.boolValue
        else { return local }
        return (local.hasSuffix("/") ? local : local + "/") + path.name
    }

    /// Whether something is at the local path `path` (without following a last symbolic link):
    /// `nil` when nothing, else whether it is a folder.
    static func localKind(at path: String) -> Bool? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return nil }
        return attributes[.type] as? FileAttributeType == .typeDirectory
    }

    private func result(_ body: () throws(DriveError) -> Action) -> Action {
        do { return try body() } catch { return .failed(error) }
    }

    /// Counts the work in flight around `body` on `queue`.
    private func submit(on queue: DispatchQueue, _ body: @escaping @Sendable () -> Void) {
        state.withLock { $0.inFlight += 1 }
        queue.async { [self] in
            body()
            state.withLock { $0.inFlight -= 1 }
        }
    }

    private func begin(job: Int) -> Cancellation {
        let cancellation = Cancellation()
        state.withLock { $0.cancellations[job] = cancellation }
        return cancellation
    }

    /// Progress reports at most every 50 ms, so a fast transfer cannot flood the mailbox.
    private func transferOptions(job: Int, cancellation: Cancellation) -> TransferOptions {
        let throttle = ProgressThrottle(interval: 0.05)
        return TransferOptions(progress: { [send] progress in
            guard throttle.shouldReport() else { return }
            send(.jobProgress(job, TransferProgressSnapshot(
                bytesDone: progress.bytesDone, bytesTotal: progress.bytesTotal,
                filesDone: progress.filesDone, filesTotal: progress.filesTotal)))
        }, cancellation: cancellation)
    }
}

/// Lets a report through at most once per interval. Thread-safe: the last report's time is a `Mutex`.
final class ProgressThrottle: Sendable {
    private let interval: TimeInterval
    private let last = Mutex(Date.distantPast)

    init(interval: TimeInterval) {
        self.interval = interval
    }

    func shouldReport() -> Bool {
        last.withLock { last in
            let now = Date()
            guard now.timeIntervalSince(last) >= interval else { return false }
            last = now
            return true
        }
    }
}
