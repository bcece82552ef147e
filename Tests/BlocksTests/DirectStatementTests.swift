import Blocks
import Foundation
import GRDB
import Testing

/// Arguments bound straight to SQLite read back as GRDB binds them, and a refused row throws
/// GRDB's error, changes nothing and leaves the statement ready to run again.
@Suite struct DirectStatementTests {
    func database() throws -> (DatabaseQueue, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cairn-direct-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let queue = try DatabaseQueue(path: folder.appendingPathComponent("t.sqlite").path)
        try queue.write { db in
            try db.execute(sql: "CREATE TABLE t (i INTEGER, d DOUBLE, s TEXT, b BLOB, flag BOOLEAN, UNIQUE (s))")
        }
        return (queue, folder)
    }

    @Test func valuesReadBackAsBound() throws {
        let (queue, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let rows: [(Int64?, Double?, String?, Data?, Bool)] = [
            (-7, 2.5, "파일 ☃.txt", Data([0, 1, 255]), true),
            (nil, nil, nil, nil, false),
            (Int64.max, -0.25, "", Data(), true),
        ]
        try queue.write { db in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (i, d, s, b, flag) VALUES (?, ?, ?, ?, ?)")
            for row in rows {
                try insert.run { $0.add(row.0); $0.add(row.1); $0.add(row.2); $0.add(row.3); $0.add(row.4) }
            }
        }
        let read = try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT i, d, s, b, flag, typeof(s) AS ts, typeof(b) AS tb FROM t ORDER BY rowid")
        }
        #expect(read.count == 3)
        for (row, expected) in zip(read, rows) {
            #expect(row["i"] as Int64? == expected.0)
            #expect(row["d"] as Double? == expected.1)
            #expect(row["s"] as String? == expected.2)
            #expect(row["b"] as Data? == expected.3)
            #expect(row["flag"] as Bool == expected.4)
        }
        // An empty string and an empty blob are values, not NULL.
        #expect(read[2]["ts"] as String == "text" && read[2]["tb"] as String == "blob")
        #expect(read[1]["ts"] as String == "null" && read[1]["tb"] as String == "null")
    }

    @Test func aRefusedRowThrowsAndTheStatementRunsAgain() throws {
        let (queue, folder) = try database()
        defer { try? FileManager.default.removeItem(at: folder) }
        let outcome = try queue.write { db -> (DatabaseError?, Int) in
            let insert = try db.cachedStatement(sql: "INSERT INTO t (i, s) VALUES (?, ?)")
            try insert.run { $0.add(1); $0.add("a") }
            var refused: DatabaseError?
            do {
                try insert.run { $0.add(2); $0.add("a") }
            } catch let error as DatabaseError {
                refused = error
            }
            try insert.run { $0.add(3); $0.add("b") }
            return (refused, try Int.fetchOne(db, sql: "SELECT SUM(i) FROM t") ?? 0)
        }
        #expect(outcome.0?.extendedResultCode == .SQLITE_CONSTRAINT_UNIQUE)
        #expect(outcome.0?.message?.contains("t.s") == true)
        #expect(outcome.1 == 4)
    }
}
