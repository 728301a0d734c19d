import GRDB
import GRDBSQLite

/// A value bound to a statement parameter by `Statement.runBound`.
enum BoundValue {
    case text(String)
    case integer(Int64)
    case real(Double)
    case null

    /// `value` as text, or NULL.
    static func text(_ value: String?) -> BoundValue { value.map { .text($0) } ?? .null }
    /// `value` as a real, or NULL.
    static func real(_ value: Double?) -> BoundValue { value.map { .real($0) } ?? .null }
}

extension Statement {
    /// Runs this prepared statement once with `values` bound in order, through SQLite's C API.
    ///
    /// Ingest runs its two statements for every record of every batch on the one writer connection, where GRDB's
    /// `StatementArguments` (an array of existentials, converted value by value) was a sixth of the writer's time.
    /// Text is bound with its length, so a NUL inside it is kept. Only for statements that return no rows.
    ///
    /// - throws: `DatabaseError` with SQLite's code and message, as GRDB's `execute` would.
    func runBound(_ values: [BoundValue], in db: Database) throws {
        let handle = sqliteStatement
        sqlite3_reset(handle)
        defer { sqlite3_reset(handle) }
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let code: Int32
            switch value {
            case .text(let text):
                var text = text
                code = text.withUTF8 { bytes in
                    // An empty buffer may have no address, which SQLite would bind as NULL.
                    guard let start = bytes.baseAddress, !bytes.isEmpty else {
                        return sqlite3_bind_text(handle, index, "", 0, transient)
                    }
                    return start.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                        sqlite3_bind_text(handle, index, $0, Int32(bytes.count), transient)
                    }
                }
            case .integer(let number): code = sqlite3_bind_int64(handle, index, number)
            case .real(let number): code = sqlite3_bind_double(handle, index, number)
            case .null: code = sqlite3_bind_null(handle, index)
            }
            guard code == SQLITE_OK else { throw failure(code, db) }
        }
        let step = sqlite3_step(handle)
        guard step == SQLITE_DONE else { throw failure(step, db) }
    }

    private func failure(_ code: Int32, _ db: Database) -> DatabaseError {
        let message = db.sqliteConnection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: sql)
    }
}

/// SQLite copies the bound bytes before the call returns.
private let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
