import FleetAPI

/// What changed between two resource snapshots of a placement: per object, a unified diff of its YAML.
public enum SnapshotDiff {
    /// Objects are matched by kind, namespace and name; one only in `to` shows as all added lines, one only in
    /// `from` as all removed. Unchanged objects are left out; nil when nothing changed.
    public static func diff(_ from: PlacementHistory.Snapshot, _ to: PlacementHistory.Snapshot, placement: String) -> String? {
        let old = objects(from.resources)
        let new = objects(to.resources)
        var out = ""
        for name in Set(old.keys).union(new.keys).sorted() {
            let before = old[name].map { lines(YAML.emit($0)) } ?? []
            let after = new[name].map { lines(YAML.emit($0)) } ?? []
            guard before != after else { continue }
            out += "--- \(placement)@\(from.index) \(old[name] == nil ? "/dev/null" : name)\n"
            out += "+++ \(placement)@\(to.index) \(new[name] == nil ? "/dev/null" : name)\n"
            out += unified(before, after).joined(separator: "\n") + "\n"
        }
        return out.isEmpty ? nil : out
    }

    static func objects(_ resources: [JSON]) -> [String: JSON] {
        var objects: [String: JSON] = [:]
        for object in resources {
            let kind = object["kind"]?.stringValue ?? ""
            let namespace = object[path: ["metadata", "namespace"]]?.stringValue
            let name = object[path: ["metadata", "name"]]?.stringValue ?? ""
            objects[[kind, namespace, name].compactMap { $0 }.joined(separator: "/")] = object
        }
        return objects
    }

    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0).map(String.init)
    }

    /// The hunks of a unified diff (`@@ -a,n +b,m @@`, then ` `, `-` and `+` lines) with `context` lines around
    /// each change, from a longest common subsequence of the lines.
    static func unified(_ a: [String], _ b: [String], context: Int = 3) -> [String] {
        enum Op { case same, removed, added }
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        var ops: [(op: Op, a: Int, b: Int)] = []
        var (i, j) = (0, 0)
        while i < a.count || j < b.count {
            if i < a.count, j < b.count, a[i] == b[j] {
                ops.append((.same, i, j)); i += 1; j += 1
            } else if i < a.count, j == b.count || lcs[i + 1][j] >= lcs[i][j + 1] {
                ops.append((.removed, i, j)); i += 1
            } else {
                ops.append((.added, i, j)); j += 1
            }
        }
        let changed = ops.indices.filter { ops[$0].op != .same }
        var out: [String] = []
        var next = 0
        while next < changed.count {
            let start = max(0, changed[next] - context)
            var end = min(ops.count, changed[next] + context + 1)
            next += 1
            while next < changed.count, changed[next] - context <= end {
                end = min(ops.count, changed[next] + context + 1)
                next += 1
            }
            let hunk = ops[start..<end]
            let oldCount = hunk.filter { $0.op != .added }.count
            let newCount = hunk.filter { $0.op != .removed }.count
            let oldStart = oldCount == 0 ? hunk.first!.a : hunk.first!.a + 1
            let newStart = newCount == 0 ? hunk.first!.b : hunk.first!.b + 1
            out.append("@@ -\(oldStart),\(oldCount) +\(newStart),\(newCount) @@")
            for entry in hunk {
                switch entry.op {
                case .same: out.append(" " + a[entry.a])
                case .removed: out.append("-" + a[entry.a])
                case .added: out.append("+" + b[entry.b])
                }
            }
        }
        return out
    }
}
