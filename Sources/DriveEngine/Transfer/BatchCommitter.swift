import Blocks
import Synchronization

/// Commits a folder put's batches in the background, one at a time and in order, while the
/// put reads, hashes and compresses the next batch: on a tree of many small files the metadata
/// transaction costs about as much as everything else, so the two run on both cores.
///
/// Each batch first waits for its blocks (`BlockWriter.drain`) and makes them durable (the
/// store's `makeDurable`), then commits their index rows with the metadata in one transaction:
/// metadata never names a block that is not durable (invariant 1). At most one batch waits
/// behind the one committing, so memory stays bounded. The first failure stops every later
/// batch and is rethrown by `submit` or `finish`.
///
/// Thread-safe: the tally and the carried folder names are one `Mutex`; batches run in a
/// `SerialStage`.
final class BatchCommitter: Sendable {
    /// One batch: the files and folders a put hands to a single transaction.
    struct Batch: Sendable {
        var commits: [FileCommit]
        var folders: [DrivePath]
    }

    /// What the committed batches did, in `PutReport`'s terms.
    struct Tally: Sendable {
        var filesStored = 0
        var filesUnchanged = 0
        var foldersCreated = 0
        var newBlocks = 0
        var sharedBlocks = 0
        var conflicts: [DrivePath] = []
    }

    private let session: DriveSession
    private let writer: BlockWriter
    /// The put's destination, for error messages.
    private let subject: String
    private let stage = SerialStage(label: "cairn.put.commit")
    /// `made`: the folders this put made and the names it made in each (`KnownFolders`), carried
    /// from one batch's transaction to the next.
    private let state = Mutex((tally: Tally(), made: [Int64: Set<String>]()))

    init(session: DriveSession, writer: BlockWriter, subject: String) {
        self.session = session
        self.writer = writer
        self.subject = subject
    }

    /// Queues `batch` behind the one committing (waiting while another is queued already);
    /// rethrows an earlier batch's failure instead.
    func submit(_ batch: Batch) throws {
        try stage.submit { [self] in
            let tally = try commit(batch)
            state.withLock { $0.tally.add(tally) }
        }
    }

    /// Waits for every queued batch; returns what they did, or rethrows the first failure.
    func finish() throws -> Tally {
        try stage.finish()
        return state.withLock { $0.tally }
    }

    /// Waits for every queued batch, whatever happened: a put that fails must not release the
    /// store lock while a commit of its still runs.
    func waitForAll() {
        stage.waitForAll()
    }

    /// Makes the blocks so far durable, then commits their index rows and `batch` in one transaction.
    private func commit(_ batch: Batch) throws -> Tally {
        try writer.drain()
        let drive = session.drive
        let durable = try drive.blocks.makeDurable()
        // The transaction works on its own copy (a busy store may run it again), kept once it commits.
        let made = state.withLock { $0.made }
        let (outcomes, created, madeNow) = try drive.write("put", subject) { db -> ([CommitOutcome], Int, [Int64: Set<String>]) in
            // The blocks' index rows commit with the metadata naming them: one WAL commit a batch.
            try drive.blocks.index(durable, db)
            var folders = KnownFolders(namesMade: made)
            var created = 0
            for path in batch.folders where try session.folder(db, path, known: &folders).made {
                created += 1
            }
            let outcomes = try batch.commits.map { try session.commit(db, $0, folders: &folders) }
            return (outcomes, created, folders.namesMade)
        }
        drive.blocks.indexed(durable)
        state.withLock { $0.made = madeNow }
        var tally = Tally(foldersCreated: created)
        for (commit, outcome) in zip(batch.commits, outcomes) {
            let fresh = commit.blocks.filter(\.isNew).count
            // An unchanged file or a conflict with blocks stored anew: a damaged block repaired.
            tally.newBlocks += fresh
            switch outcome {
            case .unchanged:
                tally.filesUnchanged += 1
            case .conflicted:
                tally.conflicts.append(commit.dest)
            case .created, .updated:
                tally.filesStored += 1
                tally.sharedBlocks += commit.blocks.count - fresh
            }
        }
        return tally
    }
}

extension BatchCommitter.Tally {
    mutating func add(_ other: Self) {
        filesStored += other.filesStored
        filesUnchanged += other.filesUnchanged
        foldersCreated += other.foldersCreated
        newBlocks += other.newBlocks
        sharedBlocks += other.sharedBlocks
        conflicts += other.conflicts
    }
}
