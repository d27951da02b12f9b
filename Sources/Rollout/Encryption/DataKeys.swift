import Crypto
import Foundation

/// The keys that encrypt objects in the journal, kept beside it as the API server keeps its encryption
/// configuration beside etcd: a key-encryption key (`encryption-keys.json`, the first one current) wraps one
/// AES-256 data key per object (`data-keys.json`). Destroying an object's data key makes every value of it the
/// journal holds unreadable, while the chain, which covers what is stored, still verifies.
///
/// Files are rewritten whole and atomically under an advisory lock, so a hub and `flotilla journal` commands
/// can use them at once; a data key is on disk before anything it seals is written.
///
/// `@unchecked Sendable`: the cache is read and written only while `lock` is held.
public final class DataKeys: @unchecked Sendable {
    public let directory: String
    private let lock = NSLock()
    private var cache: [String: SymmetricKey] = [:]

    struct Named: Codable {
        var name: String
        var secret: String
    }

    struct Wrapped: Codable {
        /// The name of the key-encryption key that wrapped it.
        var key: String
        var data: String
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    var keyFile: String { directory + "/encryption-keys.json" }
    var dataFile: String { directory + "/data-keys.json" }

    public static func exist(in directory: String) -> Bool {
        FileManager.default.fileExists(atPath: directory + "/encryption-keys.json")
    }

    /// Opens the keys in `directory`, making a first key-encryption key when there is none and `create` is set.
    public init(directory: String, create: Bool) throws {
        self.directory = directory
        try withFileLock {
            if !FileManager.default.fileExists(atPath: keyFile) {
                guard create else { throw Failure(description: "\(directory) holds no encryption key") }
                try write([Self.newKey()], to: keyFile)
            }
            _ = try keys()
        }
    }

    /// The data key of `id`, made and stored first when `create` is set and there is none; nil when there is
    /// none (never made, or destroyed).
    public func key(for id: String, create: Bool) throws -> SymmetricKey? {
        lock.lock()
        defer { lock.unlock() }
        if let cached = cache[id] { return cached }
        return try withFileLock {
            var wrapped = try dataKeys()
            let wrapping = try keys()
            if let stored = wrapped[id] {
                let key = try Self.unwrap(stored, id: id, with: wrapping, file: keyFile)
                cache[id] = key
                return key
            }
            guard create else { return nil }
            let key = SymmetricKey(size: .bits256)
            wrapped[id] = try Self.wrap(key, id: id, with: wrapping[0])
            try write(wrapped, to: dataFile)
            cache[id] = key
            return key
        }
    }

    /// Whether no object has a data key, so that nothing sealed can be opened. A file that cannot be read counts
    /// as holding keys: the caller then looks for each as before.
    public func holdsNone() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard cache.isEmpty else { return false }
        return (try? withFileLock { try dataKeys().isEmpty }) ?? false
    }

    /// Destroys the data keys of `ids`; returns those there were.
    public func destroy(_ ids: [String]) throws -> [String] {
        lock.lock()
        defer { lock.unlock() }
        return try withFileLock {
            var wrapped = try dataKeys()
            let found = ids.filter { wrapped.removeValue(forKey: $0) != nil }
            for id in ids { cache[id] = nil }
            try write(wrapped, to: dataFile)
            return found
        }
    }

    /// Makes a new key-encryption key, re-wraps every data key with it and drops the old ones; returns its name
    /// and how many data keys it re-wrapped.
    public func rotate() throws -> (name: String, rewrapped: Int) {
        lock.lock()
        defer { lock.unlock() }
        return try withFileLock {
            let old = try keys()
            let new = Self.newKey()
            var wrapped = try dataKeys()
            for (id, stored) in wrapped {
                wrapped[id] = try Self.wrap(try Self.unwrap(stored, id: id, with: old, file: keyFile), id: id, with: new)
            }
            // The new key is stored before anything is wrapped with it, and the old ones go last.
            try write([new] + old, to: keyFile)
            try write(wrapped, to: dataFile)
            try write([new], to: keyFile)
            return (new.name, wrapped.count)
        }
    }

    /// The names of the key-encryption keys, the current one first.
    public func keyNames() throws -> [String] {
        try withFileLock { try keys().map(\.name) }
    }

    static func newKey() -> Named {
        let secret = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        return Named(name: "key-\(UUID().uuidString.prefix(8).lowercased())", secret: secret)
    }

    static func wrap(_ key: SymmetricKey, id: String, with kek: Named) throws -> Wrapped {
        let sealed = try AES.GCM.seal(key.withUnsafeBytes { Data($0) }, using: try secret(kek), authenticating: Data(id.utf8))
        return Wrapped(key: kek.name, data: sealed.combined!.base64EncodedString())
    }

    static func unwrap(_ stored: Wrapped, id: String, with keys: [Named], file: String) throws -> SymmetricKey {
        guard let kek = keys.first(where: { $0.name == stored.key }) else {
            throw Failure(description: "the data key of \(id) was wrapped by key \(stored.key), which \(file) no longer holds")
        }
        let box = try AES.GCM.SealedBox(combined: try bytes(stored.data))
        return SymmetricKey(data: try AES.GCM.open(box, using: try secret(kek), authenticating: Data(id.utf8)))
    }

    static func secret(_ named: Named) throws -> SymmetricKey {
        SymmetricKey(data: try bytes(named.secret))
    }

    static func bytes(_ base64: String) throws -> Data {
        guard let data = Data(base64Encoded: base64) else { throw Failure(description: "a stored key is not base64") }
        return data
    }

    private func keys() throws -> [Named] {
        let keys = try read([Named].self, from: keyFile) ?? []
        guard !keys.isEmpty else { throw Failure(description: "\(keyFile) holds no key") }
        return keys
    }

    private func dataKeys() throws -> [String: Wrapped] {
        try read([String: Wrapped].self, from: dataFile) ?? [:]
    }

    private func read<T: Decodable>(_ type: T.Type, from file: String) throws -> T? {
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        do {
            return try JSONDecoder().decode(T.self, from: data)
        } catch {
            throw Failure(description: "\(file) does not decode: \(error)")
        }
    }

    /// Writes a file whole: a temporary beside it, synced, then renamed over it, readable by its owner only.
    private func write<T: Encodable>(_ value: T, to file: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        let data = try encoder.encode(value)
        let temporary = file + ".tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard descriptor >= 0 else { throw Failure(description: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
        let written = data.withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor)
        close(descriptor)
        guard written == data.count, synced == 0, rename(temporary, file) == 0 else {
            throw Failure(description: "cannot write \(file): \(String(cString: strerror(errno)))")
        }
    }

    private func withFileLock<T>(_ body: () throws -> T) throws -> T {
        let file = directory + "/keys.lock"
        var descriptor = open(file, O_RDWR | O_CREAT, 0o600)
        // On a read-only file system nothing can change the keys, so reading them needs no lock.
        if descriptor < 0 && (errno == EROFS || errno == EACCES) {
            descriptor = open(file, O_RDONLY)
            if descriptor < 0 { return try body() }
        }
        guard descriptor >= 0 else { throw Failure(description: "cannot open \(file): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        guard flock(descriptor, LOCK_EX) == 0 else { throw Failure(description: "cannot lock \(file)") }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
