import Blocks
import Foundation
import GRDB

/// The one error the engine throws: a closed code, the operation, the subject (usually a drive
/// or local path) and what to do about it.
///
/// SQLite, POSIX and block-layer errors are converted where they enter the engine, so callers
/// match on `code` only. `Sendable` value.
public struct DriveError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, CaseIterable {
        case notFound, alreadyExists, conflict, permissionDenied, corrupted, storageFull, cancelled, invalidArgument, io
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

    public init(_ code: Code, _ operation: String, _ subject: String, _ reason: String, hint: String = "") {
        self.code = code
        self.operation = operation
        self.subject = subject
        self.reason = reason
        self.hint = hint
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
            }
        case let error as DatabaseError:
            if error.resultCode == .SQLITE_FULL {
                return DriveError(.storageFull, operation, subject, "the disk is full", hint: "free disk space and run the command again")
            }
            if error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
                return DriveError(.corrupted, operation, subject, "the metadata database is damaged: \(error.message ?? "")")
            }
            if error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                return DriveError(.conflict, operation, subject, "the store is busy", hint: "another cairn process holds it; try again")
            }
            return DriveError(.io, operation, subject, "database error: \(error.message ?? "\(error)")")
        case let error as CocoaError:
            return DriveError(.io, operation, subject, error.localizedDescription)
        default:
            return DriveError(.io, operation, subject, "\(error)")
        }
    }
}
