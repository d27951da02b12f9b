import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client over one keep-alive TCP connection to 127.0.0.1, so a request's timing is
/// the server's work plus one local round trip, not a client library's set-up.
final class HTTPClient {
    private var socket: Int32 = -1
    let port: Int
    private var buffer: [UInt8] = []

    init(port: Int) {
        self.port = port
    }

    deinit { close() }

    func close() {
        if socket >= 0 { Glibc.close(socket) }
        socket = -1
        buffer = []
    }

    private func connect() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw BenchError("socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            Glibc.close(fd)
            throw BenchError("connect to port \(port): \(String(cString: strerror(errno)))")
        }
        var one: Int32 = 1
        setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        socket = fd
    }

    /// Sends one request and returns the status and body; reconnects once when the kept-alive connection closed.
    func request(_ method: String, _ path: String, body: [UInt8] = [], contentType: String = "application/json") throws -> (status: Int, body: [UInt8]) {
        do {
            return try attempt(method, path, body: body, contentType: contentType)
        } catch {
            close()
            return try attempt(method, path, body: body, contentType: contentType)
        }
    }

    private func attempt(_ method: String, _ path: String, body: [UInt8], contentType: String) throws -> (status: Int, body: [UInt8]) {
        if socket < 0 { try connect() }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAccept: application/json\r\n"
        if !body.isEmpty || method == "POST" || method == "PUT" {
            head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        }
        head += "\r\n"
        try send(Array(head.utf8) + body)
        let headerEnd = try readUntilHeaderEnd()
        let header = String(decoding: buffer[..<headerEnd], as: UTF8.self)
        buffer.removeFirst(headerEnd + 4)
        let lines = header.split(separator: "\r\n")
        guard let statusLine = lines.first, let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") else {
            throw BenchError("malformed HTTP response")
        }
        var length: Int?
        var chunked = false
        var closes = false
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2 else { continue }
            let name = parts[0].lowercased()
            let value = parts[1].trimmingCharacters(in: .whitespaces).lowercased()
            if name == "content-length" { length = Int(value) }
            if name == "transfer-encoding" && value.contains("chunked") { chunked = true }
            if name == "connection" && value == "close" { closes = true }
        }
        var bodyBytes: [UInt8] = []
        if chunked {
            while true {
                let lineEnd = try readUntil([13, 10])
                let sizeText = String(decoding: buffer[..<lineEnd], as: UTF8.self).split(separator: ";").first ?? "0"
                buffer.removeFirst(lineEnd + 2)
                let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) ?? 0
                try fill(size + 2)
                bodyBytes += buffer[..<size]
                buffer.removeFirst(size + 2)
                if size == 0 { break }
            }
        } else if let length {
            try fill(length)
            bodyBytes = Array(buffer[..<length])
            buffer.removeFirst(length)
        }
        if closes { close() }
        return (status, bodyBytes)
    }

    private func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw BenchError("send: \(String(cString: strerror(errno)))") }
            offset += sent
        }
    }

    private func receive() throws {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { throw BenchError("connection closed") }
        buffer += chunk[..<count]
    }

    private func fill(_ count: Int) throws {
        while buffer.count < count { try receive() }
    }

    private func readUntilHeaderEnd() throws -> Int { try readUntil([13, 10, 13, 10]) }

    private func readUntil(_ marker: [UInt8]) throws -> Int {
        var searched = 0
        while true {
            if buffer.count >= marker.count {
                var index = max(0, searched - marker.count)
                while index + marker.count <= buffer.count {
                    if buffer[index] == marker[0] && Array(buffer[index..<index + marker.count]) == marker { return index }
                    index += 1
                }
                searched = buffer.count
            }
            try receive()
        }
    }
}
