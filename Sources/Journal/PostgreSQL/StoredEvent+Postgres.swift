extension StoredEvent {
    /// Reads row `row` of a result that selected `columns`.
    init(_ result: PostgresResult, row: Int) {
        self.init(
            seq: result.int64(row: row, column: 0), stream: result.text(row: row, column: 1),
            version: result.int64(row: row, column: 2), type: result.text(row: row, column: 3),
            time: result.int64(row: row, column: 4), actor: result.text(row: row, column: 5),
            dictionaryID: result.int64(row: row, column: 6), rawLength: result.int64(row: row, column: 7),
            payload: result.bytea(row: row, column: 8), hash: result.bytea(row: row, column: 9))
    }
}
