import Foundation

/// What the app knows about where it runs; fixed for a session. Value type, Sendable.
public struct AppContext: Equatable, Sendable {
    /// The store shown in the top bar (its folder).
    public var storeName: String
    /// The acting user's name.
    public var userName: String
    /// The folder local paths are relative to (the process's working directory).
    public var localDirectory: String
    /// The user's home folder, for `~` in local paths.
    public var homeDirectory: String
    /// The time zone dates are shown in.
    public var timeZone: TimeZone

    /// Creates a context.
    public init(
        storeName: String, userName: String, localDirectory: String,
        homeDirectory: String = NSHomeDirectory(), timeZone: TimeZone = .current
    ) {
        self.storeName = storeName
        self.userName = userName
        self.localDirectory = localDirectory
        self.homeDirectory = homeDirectory
        self.timeZone = timeZone
    }
}

/// A transfer running in the background: its progress bar and how to cancel it.
public struct JobState: Equatable, Sendable {
    /// Identifies the job in effects and results.
    public var id: Int
    /// What is being done, e.g. "Adding photos".
    public var title: String
    /// The latest progress report.
    public var progress: TransferProgressSnapshot
    /// Whether Esc was pressed and the job is stopping.
    public var isCancelling = false

    /// Creates a job with no progress yet.
    public init(id: Int, title: String) {
        self.id = id
        self.title = title
        self.progress = TransferProgressSnapshot()
    }
}

/// The part of the engine's `TransferProgress` the progress bar shows. Value type, Sendable.
public struct TransferProgressSnapshot: Equatable, Sendable {
    /// Bytes done so far.
    public var bytesDone: Int64 = 0
    /// Bytes in all.
    public var bytesTotal: Int64 = 0
    /// Files done.
    public var filesDone = 0
    /// Files in all.
    public var filesTotal = 0

    /// Creates a snapshot.
    public init(bytesDone: Int64 = 0, bytesTotal: Int64 = 0, filesDone: Int = 0, filesTotal: Int = 0) {
        self.bytesDone = bytesDone
        self.bytesTotal = bytesTotal
        self.filesDone = filesDone
        self.filesTotal = filesTotal
    }

    /// Done as a fraction 0…1 (0 while the total is unknown).
    public var fraction: Double {
        bytesTotal > 0 ? min(1, Double(bytesDone) / Double(bytesTotal)) : 0
    }
}
