import Blocks
import Foundation
import GRDB

/// The one error the engine throws: a closed code, the operation, the subject (usually a drive
/// or local path) and what to do about it.
///
/// SQLite, POSIX and block-layer errors are converted where they enter the engine, so callers
/// match on `code` only; the error met there is kept in `underlying` for logs. `Sendable` value.
public struct DriveError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case notFound, alreadyExists, conflict, permissionDenied, corrupted, storageFull, cancelled, invalidArgument, io
        /// Another thread or process holds the store longer than the wait allows. Retryable: the
        /// same command run again succeeds. Never an edit conflict.
        case busy
    }

    public var code: Code
    /// What was being done, e.g. "put", "get".
    public var operation: String
    /// The path or item the error is about.
    public var subject: String
    /// Why, in words a user understands.
    public var reason: String
    /// What to do next; may be empty.
    public var hint: String
    /// The SQLite, POSIX or block-layer error this one was converted from, if any.
    public var underlying: Underlying?

    public init(_ code: Code, _ operation: String, _ subject: String, _ reason: String, hint: String = "",
                underlying: Underlying? = nil) {
        self.code = code
        self.operation = operation
        self.subject = subject
        self.reason = reason
        self.hint = hint
        self.underlying = underlying
    }

    /// The error beneath a `DriveError`, kept as a value: what it said and, where it had them,
    /// its SQLite extended result code and POSIX errno.
    public struct Underlying: Sendable, Equatable, CustomStringConvertible {
        public var description: String
        public var sqliteCode: Int32?
        public var posixErrno: Int32?

        public init(_ error: any Error) {
            description = "\(error)"
            if let error = error as? DatabaseError { sqliteCode = error.extendedResultCode.rawValue }
            if let error = error as? CocoaError, let posix = error.underlying as? POSIXError { posixErrno = posix.code.rawValue }
            if let error = error as? POSIXError { posixErrno = error.code.rawValue }
        }
    }

    /// Equal when code, operation, subject, reason and hint are: the underlying error is detail.
    public static func == (lhs: DriveError, rhs: DriveError) -> Bool {
        lhs.code == rhs.code && lhs.operation == rhs.operation && lhs.subject == rhs.subject
            && lhs.reason == rhs.reason && lhs.hint == rhs.hint
    }

    /// One line: "put /docs/a.txt: no such file or folder (hint)".
    public var description: String {
        var line = "\(operation) \(subject): \(reason)"
        if !hint.isEmpty { line += " (\(hint))" }
        return line
    }
}

extension DriveError {
    /// Converts any error met while doing `operation` on `subject` into a `DriveError`.
    static func wrap(_ error: any Error, _ operation: String, _ subject: String) -> DriveError {
        var converted = convert(error, operation, subject)
        if converted.underlying == nil && !(error is DriveError) { converted.underlying = Underlying(error) }
        return converted
    }

    /// What `error` means to a user of the drive.
    private static func convert(_ error: any Error, _ operation: String, _ subject: String) -> DriveError {
        switch error {
        case let error as DriveError:
            return error
        case let error as BlockError:
            switch error {
            case .missing(let id):
                return DriveError(.corrupted, operation, subject, "block \(id.hex) is missing from the store", hint: Drive.repairHint)
            case .corrupted(let why):
                return DriveError(.corrupted, operation, subject, why, hint: Drive.repairHint)
            case .storageFull(let why):
                return DriveError(.storageFull, operation, subject, why, hint: "free disk space and run the command again")
            case .io(let why):
                return DriveError(.io, operation, subject, why)
            case .busy(let why):
                return busy(operation, subject, why)
            case .unsupported(let why):
                return DriveError(.io, operation, subject, why)
            }
        case let error as DatabaseError:
            if error.resultCode == .SQLITE_FULL {
                return DriveError(.storageFull, operation, subject, "the disk is full", hint: "free disk space and run the command again")
            }
            if error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
                return DriveError(.corrupted, operation, subject, "the metadata database is damaged: \(error.message ?? "")")
            }
            if error.resultCode == .SQLITE_BUSY {
                return busy(operation, subject, error.message ?? "database is locked")
            }
            return DriveError(.io, operation, subject, "database error: \(error.message ?? "\(error)")")
        case let error as CocoaError:
            return DriveError(.io, operation, subject, error.localizedDescription)
        default:
            return DriveError(.io, operation, subject, "\(error)")
        }
    }
}

extension DriveError {
    /// The store stayed locked by another cairn (a put, a gc, a TUI) longer than the wait allows.
    static func busy(_ operation: String, _ subject: String, _ why: String) -> DriveError {
        DriveError(.busy, operation, subject, "the store is busy: another cairn is writing to it (\(why))",
                   hint: "try again in a moment")
    }
}
