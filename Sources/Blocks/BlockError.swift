/// What went wrong in the block layer. The engine converts these into its own error values.
public enum BlockError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A block is not in the store.
    case missing(BlockID)
    /// Stored bytes do not decode or do not match their id.
    case corrupted(String)
    /// The store's files could not be read or written.
    case io(String)
    /// The disk is full.
    case storageFull(String)
    /// The block index stayed locked by another process longer than the wait allows; retryable.
    case busy(String)
    /// A stored block is in a format this process cannot read (zstd where libzstd does not load).
    case unsupported(String)

    public var description: String {
        switch self {
        case .missing(let id): "block \(id) is missing"
        case .corrupted(let why): why
        case .io(let why): why
        case .storageFull(let why): why
        case .busy(let why): why
        case .unsupported(let why): why
        }
    }
}
