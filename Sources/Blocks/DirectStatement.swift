import Foundation
import GRDB
import GRDBSQLite

/// Arguments bound straight to an SQLite statement, in order (`?1`, `?2`, …).
///
/// The hot inserts of a folder put (seven or eight per file: item, version, its blocks, the
/// files cache, the journal, the block index) run a prepared statement tens of thousands of
/// times. GRDB's `execute(arguments:)` boxes each argument as an existential, copies them into
/// `DatabaseValue`s and binds them through nested closures: about a sixth of the commit's time,
/// more than most of the inserts themselves. These bind each value with one C call.
public struct DirectBindings {
    fileprivate let statement: OpaquePointer
    fileprivate var index: Int32 = 0

    fileprivate init(_ statement: OpaquePointer) { self.statement = statement }

    /// SQLite copies a string or a blob bound this way before the call returns.
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    public mutating func add(_ value: Int64?) {
        index += 1
        if let value { sqlite3_bind_int64(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    public mutating func add(_ value: Int?) { add(value.map(Int64.init)) }

    public mutating func add(_ value: Bool) { add(Int64(value ? 1 : 0)) }

    public mutating func add(_ value: Double?) {
        index += 1
        if let value { sqlite3_bind_double(statement, index, value) } else { sqlite3_bind_null(statement, index) }
    }

    public mutating func add(_ value: String?) {
        index += 1
        guard let value else { sqlite3_bind_null(statement, index); return }
        sqlite3_bind_text(statement, index, value, Int32(value.utf8.count), Self.transient)
    }

    public mutating func add(_ value: Data?) {
        index += 1
        guard let value else { sqlite3_bind_null(statement, index); return }
        guard !value.isEmpty else { sqlite3_bind_zeroblob(statement, index, 0); return }
        value.withUnsafeBytes { bytes in
            _ = sqlite3_bind_blob(statement, index, bytes.baseAddress, Int32(bytes.count), Self.transient)
        }
    }
}

extension Statement {
    /// Runs this statement, which returns no rows, with the arguments `bind` adds (every one of
    /// its parameters, in order). Use it only for statements no observer watches (the store has
    /// none) and always this way: the bindings stay on the statement after it runs.
    ///
    /// A failure throws the `DatabaseError` GRDB would (the extended result code and SQLite's
    /// message) and leaves the statement reset for the next run; the caller's transaction is
    /// rolled back by GRDB as for any error (SQLite may already have rolled it back).
    public func run(_ bind: (inout DirectBindings) -> Void) throws {
        let statement = sqliteStatement
        sqlite3_reset(statement)
        var bindings = DirectBindings(statement)
        bind(&bindings)
        assert(bindings.index == sqlite3_bind_parameter_count(statement), "\(sql): bound \(bindings.index) arguments")
        let code = sqlite3_step(statement)
        guard code == SQLITE_DONE else {
            let message = String(cString: sqlite3_errmsg(sqlite3_db_handle(statement)))
            sqlite3_reset(statement)
            throw DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
        }
        sqlite3_reset(statement)
    }
}
