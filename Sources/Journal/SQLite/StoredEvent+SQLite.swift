extension StoredEvent {
    /// Reads the current row of a statement that selected `columns`.
    init(_ statement: Statement) {
        self.init(
            seq: statement.int64(at: 0), stream: statement.text(at: 1), version: statement.int64(at: 2),
            type: statement.text(at: 3), time: statement.int64(at: 4), actor: statement.text(at: 5),
            dictionaryID: statement.int64(at: 6), rawLength: statement.int64(at: 7), payload: statement.blob(at: 8),
            hash: statement.blob(at: 9))
    }
}
