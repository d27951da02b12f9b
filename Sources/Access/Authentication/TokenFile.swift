import Foundation

/// A static token file (`--token-auth-file`), the API server's CSV: `token,user,uid[,"group1,group2"]`.
public struct TokenFile: Sendable {
    public var users: [String: UserInfo]

    public struct Invalid: Error, CustomStringConvertible {
        public var description: String
    }

    public init(path: String) throws {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw Invalid(description: "token file '\(path)' cannot be read")
        }
        try self.init(csv: text, path: path)
    }

    public init(csv text: String, path: String) throws {
        users = [:]
        for record in try CSV.records(text) {
            guard record.count >= 3 else {
                throw Invalid(description: "token file '\(path)' must have at least 3 columns (token, user name, user uid), found \(record.count)")
            }
            // A row with an empty token is skipped; for a repeated token the last row wins.
            guard !record[0].isEmpty else { continue }
            let groups = record.count > 3 ? record[3].split(separator: ",").map(String.init) : []
            users[record[0]] = UserInfo(name: record[1], uid: record[2], groups: groups)
        }
    }

    public func user(for token: String) -> UserInfo? { users[token] }
}

/// The part of Go's `encoding/csv` a token file needs: comma-separated fields, double-quoted fields with `""`
/// for a quote, records of any length, blank lines skipped.
enum CSV {
    struct Malformed: Error, CustomStringConvertible {
        var line: Int
        var description: String { "token file: record on line \(line): bare or unterminated quote in a field" }
    }

    static func records(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var line = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            line += 1
            let row = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if row.isEmpty { continue }
            records.append(try fields(Array(row), line: line))
        }
        return records
    }

    private static func fields(_ row: [Character], line: Int) throws -> [String] {
        var fields: [String] = []
        var index = 0
        while true {
            var field = ""
            if index < row.count, row[index] == "\"" {
                index += 1
                while true {
                    guard index < row.count else { throw Malformed(line: line) }
                    if row[index] == "\"" {
                        if index + 1 < row.count, row[index + 1] == "\"" {
                            field.append("\"")
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    field.append(row[index])
                    index += 1
                }
                guard index == row.count || row[index] == "," else { throw Malformed(line: line) }
            } else {
                while index < row.count, row[index] != "," {
                    guard row[index] != "\"" else { throw Malformed(line: line) }
                    field.append(row[index])
                    index += 1
                }
            }
            fields.append(field)
            guard index < row.count else { return fields }
            index += 1
        }
    }
}
