package store

// PreparedTexts waits for the SQLite statement cache's background prepares and
// reports how many query texts it holds prepared.
func (db *DB) PreparedTexts() int {
	db.stmts.pending.Wait()
	_, prepared := db.stmts.size()
	return prepared
}
